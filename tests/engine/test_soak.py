"""Long runs of the durable backend in a child process: no crash, flat memory, same answers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def run_soak(checks: int, rules_per_book: int, timeout: float) -> dict:
    completed = subprocess.run(
        [sys.executable, "-m", "tests.engine.soak", str(checks), str(rules_per_book)],
        cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)
    assert completed.returncode == 0, completed.stderr[-2000:]
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_ten_thousand_checks_two_rulebooks_one_reload_memory_flat():
    report = run_soak(10_000, 60, timeout=300)
    assert report["disagreements"] == 0
    assert {"violated", "clear", "not_applicable"} <= set(report["outcomes"])
    growth_kib = report["end_rss_kib"] - report["warm_rss_kib"]
    assert growth_kib < 8 * 1024, report


def test_oversized_rulebook_is_split_and_loads_without_hanging():
    """600 rules would hang create_ruleset as one ruleset; split, they load and agree."""
    report = run_soak(500, 600, timeout=120)
    assert report["disagreements"] == 0
