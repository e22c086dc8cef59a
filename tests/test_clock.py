"""A form without an application date is judged as of today in China, whatever the server's zone."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest

from compliance import clock
from compliance.checker import Checker

FORM = {"name": "无申报日期", "project_type": "new", "industry": "C2521",
        "location": {"city": "安阳市"}}


def test_today_is_beijings_date_in_any_server_time_zone() -> None:
    beijing = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()
    for zone in ("UTC", "America/Los_Angeles", "Pacific/Kiritimati"):
        said = subprocess.run(
            [sys.executable, "-c", "from compliance.clock import today; print(today())"],
            capture_output=True, text=True, check=True, timeout=60,
            env={**os.environ, "TZ": zone}).stdout.strip()
        assert said == beijing.isoformat(), zone


@pytest.mark.slow
def test_a_check_without_a_date_is_judged_as_of_chinas_today(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "today", lambda: dt.date(2031, 1, 1))
    with Checker(engine="python") as checker:
        assert checker.check(FORM).as_of == dt.date(2031, 1, 1)
        assert checker.check({**FORM, "application_date": "2020-05-01"}).as_of == dt.date(
            2020, 5, 1)
