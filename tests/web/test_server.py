"""End to end: a real uvicorn process with a real SQLite file, restarted in between."""

from __future__ import annotations

from pathlib import Path

import httpx

from compliance.web.subprocess_server import ServerProcess
from tests.web.conftest import ANYANG_QUOTE, coking_form


def test_a_check_survives_a_restart(tmp_path: Path) -> None:
    with ServerProcess(tmp_path) as server:
        response = httpx.post(f"{server.url}/api/v1/check", json=coking_form(), timeout=10)
        assert response.status_code == 200, server.output()
        check_id = response.headers["x-check-id"]
        verdict = response.json()
    assert (tmp_path / "compliance.sqlite3").stat().st_size > 0

    with ServerProcess(tmp_path) as server:
        stored = httpx.get(f"{server.url}/api/v1/checks/{check_id}", timeout=10).json()
        assert stored["verdict"] == verdict
        page = httpx.get(f"{server.url}/checks/{check_id}", timeout=10)
        assert page.status_code == 200 and ANYANG_QUOTE in page.text
        assert page.headers["content-security-policy"].startswith("default-src 'none'")
    assert "Application shutdown complete" in server.output()
