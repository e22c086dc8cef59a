"""Fixtures for the web service: one app for most tests, small variants where settings differ."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from compliance.web.app import create_app
from compliance.web.batch import Runner
from compliance.web.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
ADMIN_TOKEN = "test-admin-token-0123456789"
ANYANG_QUOTE = "在全市范围内淘汰炭化室高度在 4.3 米及以下的焦炉"
ANYANG_NUMBER = "安政办〔2019〕19号"


def example(name: str) -> dict[str, Any]:
    """An example project form as JSON would carry it (dates as text)."""
    data = yaml.safe_load((ROOT / "examples" / "projects" / f"{name}.yaml").read_text("utf-8"))
    return json.loads(json.dumps(data, default=str, ensure_ascii=False))


def coking_form() -> dict[str, Any]:
    return example("anyang-coking-4.3m-oven-rejected")


def csrf_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "page has no CSRF field"
    return found.group(1)


@pytest.fixture(scope="session")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The default engine, an admin token, rate limiting off (tested on its own app)."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("web"), admin_token=ADMIN_TOKEN,
                        rate_limit_per_minute=0)
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client


def make_client(tmp_path: Path, runner: Runner | None = None, **settings: Any) -> TestClient:
    """A client for an app with other settings (python engine: quick to build)."""
    app = create_app(Settings(data_dir=tmp_path, engine="python", **settings), runner=runner)
    return TestClient(app, raise_server_exceptions=False)


def page_form(client: TestClient, path: str = "/check") -> str:
    """GET a page with a form; returns its CSRF token (the cookie is now in the client)."""
    response = client.get(path)
    assert response.status_code == 200
    return csrf_token(response.text)


def legacy_checks_table(with_lang: bool) -> str:
    """`checks` as `create_all` made it before migrations (before the `lang` column, or after)."""
    lang = ", lang VARCHAR(2) DEFAULT 'zh' NOT NULL" if with_lang else ""
    return ("CREATE TABLE checks (id VARCHAR(36) PRIMARY KEY, created_at DATETIME NOT NULL, "
            "channel VARCHAR(16) NOT NULL, client VARCHAR(64) NOT NULL, project VARCHAR(500) "
            "NOT NULL, outcome VARCHAR(16) NOT NULL, as_of DATE NOT NULL, ruleset_version "
            f"VARCHAR(64) NOT NULL, recheck_of VARCHAR(36), form JSON NOT NULL, "
            f"verdict JSON NOT NULL{lang})")
