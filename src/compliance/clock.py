"""Days as approval offices count them: China time, UTC+8 all year (no daylight saving).

A check without an application date is judged as of today, and "today" is Beijing's whatever
zone the server's clock is set to: at 07:00 in Beijing a server on UTC still says yesterday,
and a rule that came into force today would not bind yet.
"""

from __future__ import annotations

import datetime as dt

BEIJING = dt.timezone(dt.timedelta(hours=8), "CST")


def today() -> dt.date:
    return dt.datetime.now(BEIJING).date()
