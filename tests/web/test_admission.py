"""Above capacity the service sheds load: 503 with Retry-After at once, not minutes in a queue."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from compliance.web.admission import Admission
from tests.web.conftest import coking_form, make_client, page_form


@pytest.mark.slow
def test_a_full_service_says_busy_and_when_to_come_back(tmp_path: Path) -> None:
    with make_client(tmp_path, max_pending_checks=1) as client:
        gate: Admission = client.app.state.admission  # type: ignore[attr-defined]
        assert client.post("/api/v1/check", json=coking_form()).status_code == 200
        assert gate.inside == 0  # the place is given back once answered
        assert gate.enter()  # another check is in the service
        busy = client.post("/api/v1/check", json=coking_form())
        assert busy.status_code == 503 and busy.headers["retry-after"] == "2"
        assert "服务繁忙" in busy.json()["detail"]
        token = page_form(client)
        page = client.post("/check", data={"csrf_token": token, "name": "x"})
        assert page.status_code == 503 and "服务繁忙" in page.text
        assert client.get("/api/v1/rules").status_code == 200  # reading is never refused
        gate.leave()
        assert client.post("/api/v1/check", json=coking_form()).status_code == 200


def test_no_limit_when_set_to_zero() -> None:
    gate = Admission(0)
    assert all(gate.enter() for _ in range(1000)) and gate.inside == 1000


@pytest.mark.slow
def test_the_default_capacity_admits_a_burst(client: TestClient) -> None:
    gate: Admission = client.app.state.admission  # type: ignore[attr-defined]
    assert gate.capacity == 32
