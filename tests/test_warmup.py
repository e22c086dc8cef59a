"""Readying a long-running checker: every rule's example checked once, then a frozen heap."""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from compliance.batch.runner import _start_worker
from compliance.batch.worker import Job
from compliance.checker import Checker
from compliance.errors import FieldProblem, InputError
from compliance.warmup import freeze_heap, warm
from compliance.web.app import create_app
from compliance.web.settings import Settings

pytestmark = pytest.mark.slow


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


@pytest.mark.parametrize("engine", ["durable", "python"])
def test_warming_checks_one_example_of_every_rule(engine: str) -> None:
    with Checker(engine=engine) as checker:
        assert warm(checker) == len(checker.rulebook.rules)


def test_a_rule_whose_example_is_refused_does_not_stop_the_others(
        monkeypatch: pytest.MonkeyPatch) -> None:
    with Checker(engine="python") as checker:
        check, refused = checker.check, []

        def refuse_the_first(form: dict[str, Any], **options: Any) -> Any:
            if not refused:
                refused.append(form)
                raise InputError([FieldProblem("project_type", "不是有效的项目类型", "not a project type")])
            return check(form, **options)

        monkeypatch.setattr(checker, "check", refuse_the_first)
        assert warm(checker) == len(checker.rulebook.rules) - 1


def test_freezing_hides_what_lives_now_from_later_collections(unfrozen: None) -> None:
    assert gc.get_freeze_count() == 0
    freeze_heap()
    assert gc.get_freeze_count() > 0


def test_the_service_is_warm_and_frozen_before_its_first_request_and_stores_nothing(
        tmp_path: Path, unfrozen: None) -> None:
    app = create_app(Settings(data_dir=tmp_path, engine="python", admin_token="t" * 32))
    with TestClient(app) as client:
        assert gc.get_freeze_count() > 0
        listing = client.get("/api/v1/checks", headers={"Authorization": "Bearer " + "t" * 32})
        assert listing.status_code == 200 and listing.json()["checks"] == []


def test_a_batch_pool_worker_freezes_its_heap_once_its_checker_is_built() -> None:
    job = Job("python", None, None)
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_start_worker, initargs=(job, os.getpid())) as pool:
        assert pool.submit(gc.get_freeze_count).result(timeout=120) > 0
