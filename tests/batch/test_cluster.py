"""`compliance batch --scheduler`: a Dask LocalCluster gives the local pool's outputs exactly."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import LocalCluster

from compliance.batch import cluster
from compliance.batch.runner import Job
from tests.batch.conftest import run

pytestmark = pytest.mark.slow

LIST = Path(__file__).resolve().parents[2] / "examples" / "lists" / "projects.gbk.csv"


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """Two worker processes with one thread each, as the issue asks."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as local:
        yield local.scheduler_address


def test_a_cluster_writes_what_the_local_pool_writes(scheduler: str, tmp_path: Path) -> None:
    local = [tmp_path / "local.jsonl", tmp_path / "local.csv"]
    remote = [tmp_path / "remote.jsonl", tmp_path / "remote.csv"]
    here = run("batch", LIST, "-o", local[0], "-o", local[1], "--workers", "2", "-q")
    there = run("batch", LIST, "-o", remote[0], "-o", remote[1], "--scheduler", scheduler, "-q")
    assert here.exit_code == there.exit_code == 1, there.stderr
    for mine, theirs in zip(local, remote, strict=True):
        assert mine.read_bytes() == theirs.read_bytes()
    assert here.stderr.splitlines()[-1] == there.stderr.splitlines()[-1]


def test_a_worker_with_other_rules_refuses_to_check() -> None:
    job = Job("python", None, None, ruleset_version="000000000000", token="t")
    with pytest.raises(RuntimeError, match="is not the client's"):
        cluster.check_chunk(job, [])


def test_an_unreachable_scheduler_is_a_usage_error(tmp_path: Path) -> None:
    result = run("batch", LIST, "-o", tmp_path / "r.csv", "--scheduler", "tcp://127.0.0.1:9",
                 "-q")
    assert result.exit_code == 2 and "无法连接" in result.stderr
    assert not (tmp_path / "r.csv").exists()
