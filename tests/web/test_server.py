"""End to end: a real uvicorn process with a real SQLite file, restarted in between."""

from __future__ import annotations

from pathlib import Path

import httpx2
import pytest

from compliance.web.subprocess_server import ServerProcess
from tests.web.conftest import ADMIN_TOKEN, ANYANG_QUOTE, coking_form

pytestmark = pytest.mark.slow


def test_a_check_survives_a_restart(tmp_path: Path) -> None:
    with ServerProcess(tmp_path) as server:
        response = httpx2.post(f"{server.url}/api/v1/check", json=coking_form(), timeout=10)
        assert response.status_code == 200, server.output()
        check_id = response.headers["x-check-id"]
        verdict = response.json()
    assert (tmp_path / "compliance.sqlite3").stat().st_size > 0

    with ServerProcess(tmp_path) as server:
        stored = httpx2.get(f"{server.url}/api/v1/checks/{check_id}", timeout=10).json()
        assert stored["verdict"] == verdict
        page = httpx2.get(f"{server.url}/checks/{check_id}", timeout=10)
        assert page.status_code == 200 and ANYANG_QUOTE in page.text
        assert page.headers["content-security-policy"].startswith("default-src 'none'")
    assert "Application shutdown complete" in server.output()


def clients_recorded(tmp_path: Path, env: dict[str, str]) -> list[str]:
    """The client addresses the audit trail records for a check claiming to come from elsewhere."""
    env = {"COMPLIANCE_ADMIN_TOKEN": ADMIN_TOKEN, "COMPLIANCE_ENGINE": "python", **env}
    with ServerProcess(tmp_path, env=env) as server:
        forged = {"x-forwarded-for": "203.0.113.9", "x-real-ip": "203.0.113.9"}
        response = httpx2.post(f"{server.url}/api/v1/check", json=coking_form(), headers=forged,
                               timeout=10)
        assert response.status_code == 200, server.output()
        listed = httpx2.get(f"{server.url}/api/v1/checks", timeout=10,
                            headers={"authorization": f"Bearer {ADMIN_TOKEN}"}).json()
    return [row["client"] for row in listed["checks"]]


def test_a_local_client_cannot_forge_its_address(tmp_path: Path) -> None:
    """uvicorn believes X-Forwarded-For from 127.0.0.1 by default; `serve` does not, so a
    local client cannot pick its own rate-limit bucket or audit-trail address."""
    assert clients_recorded(tmp_path / "default", {}) == ["127.0.0.1"]
    trusted = {"COMPLIANCE_TRUSTED_PROXIES": "127.0.0.1"}  # a reverse proxy on this machine
    assert clients_recorded(tmp_path / "proxied", trusted) == ["203.0.113.9"]


def test_the_service_logs_admin_logins_and_wrong_tokens(tmp_path: Path) -> None:
    env = {"COMPLIANCE_ADMIN_TOKEN": ADMIN_TOKEN, "COMPLIANCE_ENGINE": "python"}
    with ServerProcess(tmp_path, env=env) as server:
        refused = httpx2.get(f"{server.url}/api/v1/checks", timeout=10,
                             headers={"authorization": "Bearer guess"})
        assert refused.status_code == 401
    assert "wrong admin token (bearer) from 127.0.0.1" in server.output()
    assert "engine python" in server.output()  # the service's INFO lines are shown too
