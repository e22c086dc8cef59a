"""Above capacity the service sheds load: 503 with Retry-After at once, not minutes in a queue."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from compliance.web import api
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


def _calls(dependant: Dependant) -> list[Any]:
    return [call for dependency in dependant.dependencies
            for call in (dependency.call, *_calls(dependency))]


def test_the_api_check_waits_for_no_thread_but_the_checks_own() -> None:
    """A plain `def` dependency runs in the thread pool: one hop each way per request, and at
    200 checks a second the four of `POST /api/v1/check` cost a fifth of the server's time
    (3.06 against 2.4 ms a request, measured in-process). They only read app state."""
    route = next(route for route in api.router.routes if isinstance(route, APIRoute)
                 and route.path == "/api/v1/check" and "POST" in route.methods)
    calls = _calls(route.dependant)
    assert {call.__name__ for call in calls} >= {"require_json", "rate_limit", "admit", "service"}
    assert [call.__name__ for call in calls
            if not (inspect.iscoroutinefunction(call) or inspect.isasyncgenfunction(call))] == []
