"""A full disk: 503 in Chinese with Retry-After, nothing half-stored, and /healthz says so."""

from __future__ import annotations

import errno
import shutil
import sqlite3
from collections import namedtuple
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from compliance.web import api
from tests.web.conftest import coking_form, make_client

pytestmark = pytest.mark.slow

FULL = "服务器存储空间已满"


@pytest.fixture()
def full_client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    with make_client(tmp_path, rate_limit_per_minute=0) as client:
        store = client.app.state.service.store  # type: ignore[attr-defined]

        def disk_full(**_: object) -> None:
            raise OperationalError("INSERT INTO checks …", {}, sqlite3.OperationalError(
                "database or disk is full"))

        monkeypatch.setattr(store, "insert", disk_full)
        yield client


def test_a_check_that_cannot_be_stored_is_503_in_chinese(full_client) -> None:
    response = full_client.post("/api/v1/check", json=coking_form())
    assert response.status_code == 503 and response.headers["retry-after"] == "60"
    assert FULL in response.json()["detail"] and "x-check-id" not in response.headers


def test_the_form_page_says_it_too(full_client) -> None:
    page = full_client.get("/check?mode=full")
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = full_client.post("/check", data={"csrf_token": token, "name": "焦化",
                                                "project_type": "new", "industry": "C2521",
                                                "location.city": "安阳市"})
    assert response.status_code == 503 and FULL in response.text


def test_an_upload_that_cannot_be_written_is_503(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    def no_space(*_: object, **__: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with make_client(tmp_path, rate_limit_per_minute=0) as client:
        monkeypatch.setattr(shutil, "copyfileobj", no_space)
        response = client.post("/api/v1/batch", files={"file": ("清单.csv", b"a\n")})
        assert response.status_code == 503 and FULL in response.json()["detail"]
        jobs = client.app.state.jobs.root  # type: ignore[attr-defined]
        assert not jobs.exists() or not any(jobs.iterdir())  # no half-stored upload


def test_healthz_reports_a_nearly_full_disk(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    with make_client(tmp_path) as client:
        healthy = client.get("/api/v1/healthz").json()
        assert healthy["disk"] is True and healthy["disk_free_mb"] > 0
        usage = namedtuple("usage", "total used free")
        monkeypatch.setattr(api.shutil, "disk_usage", lambda _: usage(10**9, 10**9, 10**6))
        response = client.get("/api/v1/healthz")
        assert response.status_code == 503
        assert response.json()["status"] == "degraded" and response.json()["disk"] is False
