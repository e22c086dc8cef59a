"""The admin token cannot be guessed fast, a logout ends the session on the server, and every
login, logout and wrong token is logged."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from tests.web.conftest import ADMIN_TOKEN, csrf_token, make_client

pytestmark = pytest.mark.slow

ALLOWED = 3


@pytest.fixture()
def admin_client(tmp_path: Path):
    with make_client(tmp_path, admin_token=ADMIN_TOKEN, rate_limit_per_minute=0,
                     admin_failures_per_minute=ALLOWED) as client:
        yield client


def _login(client, token: str):
    page = client.get("/checks")
    return client.post("/checks/login", data={"csrf_token": csrf_token(page.text),
                                              "token": token})


def test_wrong_bearer_tokens_are_refused_with_429_past_the_allowance(admin_client) -> None:
    for _ in range(ALLOWED):
        wrong = admin_client.get("/api/v1/checks", headers={"authorization": "Bearer guess"})
        assert wrong.status_code == 401
    refused = admin_client.get("/api/v1/checks", headers={"authorization": "Bearer guess"})
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    # the right token too: once over the allowance, nothing is compared
    right = admin_client.get("/api/v1/checks",
                             headers={"authorization": f"Bearer {ADMIN_TOKEN}"})
    assert right.status_code == 429


def test_wrong_tokens_in_the_login_form_count_the_same(admin_client) -> None:
    for _ in range(ALLOWED):
        assert _login(admin_client, "guess").status_code == 401
    assert _login(admin_client, ADMIN_TOKEN).status_code == 429
    assert admin_client.get("/api/v1/checks", headers={
        "authorization": f"Bearer {ADMIN_TOKEN}"}).status_code == 429


def test_a_right_token_is_not_counted(admin_client) -> None:
    for _ in range(ALLOWED * 3):
        assert admin_client.get("/api/v1/checks", headers={
            "authorization": f"Bearer {ADMIN_TOKEN}"}).status_code == 200


def test_logging_out_ends_the_session_on_the_server(admin_client) -> None:
    assert _login(admin_client, ADMIN_TOKEN).url.path == "/checks"
    copied = admin_client.cookies["compliance_admin"]
    page = admin_client.get("/checks")
    assert page.status_code == 200
    admin_client.post("/checks/logout", data={"csrf_token": csrf_token(page.text)})
    assert "compliance_admin" not in admin_client.cookies  # the browser's copy is dropped
    admin_client.cookies.set("compliance_admin", copied)  # a copy kept by someone else
    assert admin_client.get("/checks").status_code == 401


def test_logins_logouts_and_wrong_tokens_are_logged(admin_client,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="compliance.web.admin"):
        _login(admin_client, "guess")
        admin_client.get("/api/v1/checks", headers={"authorization": "Bearer guess"})
        page = _login(admin_client, ADMIN_TOKEN)
        admin_client.post("/checks/logout", data={"csrf_token": csrf_token(page.text)})
    messages = [record.getMessage() for record in caplog.records
                if record.name == "compliance.web.admin"]
    assert messages == ["wrong admin token (login form) from testclient",
                        "wrong admin token (bearer) from testclient",
                        "admin login from testclient", "admin logout from testclient"]
    assert ADMIN_TOKEN not in caplog.text and "guess" not in caplog.text
