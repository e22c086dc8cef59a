"""One fact found in a description: the form field, the value, where, and by which reading."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Found:
    field: str
    value: Any
    #: normal-form positions of the words it rests on
    start: int
    end: int
    rule: str
