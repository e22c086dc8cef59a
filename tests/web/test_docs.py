"""docs/web.md keeps up with the service: every setting, flag and API route is explained."""

from __future__ import annotations

import inspect
import re

from fastapi.testclient import TestClient

from compliance.web.cli import serve_command
from compliance.web.settings import Settings
from tests.web.conftest import ROOT

DOC = (ROOT / "docs" / "web.md").read_text("utf-8")


def test_every_setting_has_its_variable_explained() -> None:
    missing = [f"COMPLIANCE_{name.upper()}" for name in Settings.model_fields
               if f"`COMPLIANCE_{name.upper()}`" not in DOC]
    assert missing == []


def test_every_serve_flag_is_explained() -> None:
    flags = ["--" + name.replace("_", "-") for name in inspect.signature(serve_command).parameters]
    assert [flag for flag in flags if f"`{flag}`" not in DOC] == []


def _shape(path: str) -> str:
    """`/api/v1/rules/{rule_id:path}` and `/api/v1/rules/{rule_id}` alike: `/api/v1/rules/{}`."""
    return re.sub(r"\{[^}]*\}", "{}", path)


def test_every_api_route_is_explained(client: TestClient) -> None:
    routes = {_shape(path) for path in client.get("/api/v1/openapi.json").json()["paths"]}
    written = {_shape(path) for path in re.findall(r"/api/v1/[\w/{},.-]*\w\}?", DOC)}
    assert routes - written == set()
