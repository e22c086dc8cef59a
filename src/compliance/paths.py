"""Where the data lives: the repository's `rules/` and `reports/`, or their copies in a wheel."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_root() -> Path:
    """The repository root in a checkout, else the wheel's `compliance/data`."""
    installed = _PACKAGE / "data"
    return installed if (installed / "rules").is_dir() else _PACKAGE.parents[1]


def rules_dir() -> Path:
    return data_root() / "rules"


def templates_dir() -> Path:
    return data_root() / "reports" / "templates"
