"""GB/T 2260 codes as they were: a code issued years ago, read as today's division.

A 项目代码 carries the site's division code of the day it was issued, and divisions change:
潞城市 140481 became 潞城区 140406 in 2018, 邹平县 371626 became 邹平市 371681. The history table
(`divisions/history.csv`, every county-level-and-above code in use from 1980 to 2025) says what a
retired code became; its successors are followed until they reach codes in use today. A code
split between several successors resolves to what they share (their city, else their province),
never to one of them picked at random.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ._division_index import Place
from .data import read_csv
from .divisions import place_from_code
from .errors import ReferenceLookupError, lookup_error

HISTORY_FILE = "divisions/history.csv"
#: `CODE[YEAR]`: a part handed over in that year while the code itself stayed in use
_PART_HANDED_OVER = re.compile(r"^\d{6}\[\d{4}\]$")


@dataclass(frozen=True)
class HistoricCode:
    code: str
    name: str
    level: str
    in_use: bool
    start: int
    end: int | None
    successors: tuple[str, ...]


@cache
def _history() -> dict[str, tuple[HistoricCode, ...]]:
    by_code: dict[str, list[HistoricCode]] = {}
    for row in read_csv(HISTORY_FILE):
        successors = tuple(code for code in (row["新代码"] or "").split(";")
                           if code and not _PART_HANDED_OVER.match(code))
        end = row["变更/弃用时间"]
        by_code.setdefault(row["代码"], []).append(HistoricCode(
            row["代码"], row["名称"], row["级别"], row["状态"] == "在用", int(row["启用时间"]),
            int(end) if end else None, successors))
    return {code: tuple(rows) for code, rows in by_code.items()}


def name_as_of(code: str, year: int) -> str | None:
    """The division's name under this code in that year, if the table has it (in the year of a
    change, the name before it: a code issued that year may predate the change)."""
    for entry in _history().get(code, ()):
        if entry.start <= year and (entry.end is None or year <= entry.end):
            return entry.name
    return None


def place_as_issued(code: str, year: int, field: str = "project_code") -> Place:
    """Today's Place for a GB/T 2260 code issued in `year`; a retired code follows its successors.

    Development-zone statistical codes (410571 安阳高新区) are in today's table and resolve to
    their city's zone; a code neither in use nor in the history is refused."""
    try:
        return place_from_code(code, field)
    except ReferenceLookupError:
        pass
    current = _current_successors(code, frozenset())
    if not current:
        raise lookup_error(field, f"行政区划代码「{code}」既不在现行区划中，也不在 1980 年以来的"
                           f"区划变更记录中（{year} 年所赋）",
                           f"administrative code {code!r} (issued {year}) is neither in use nor "
                           "in the division history")
    places = [place_from_code(successor, field) for successor in sorted(current)]
    return _shared(places)


def _current_successors(code: str, seen: frozenset[str]) -> set[str]:
    """The codes in use today that a retired code's territory went to."""
    if code in seen:
        return set()
    try:
        place_from_code(code)
        return {code}
    except ReferenceLookupError:
        pass
    found: set[str] = set()
    for entry in _history().get(code, ()):
        for successor in entry.successors:
            if successor != code:
                found |= _current_successors(successor, seen | {code})
    return found


def _shared(places: list[Place]) -> Place:
    """What several places have in common: themselves, their city, or their province."""
    first = places[0]
    if all(place == first for place in places):
        return first
    if first.city_code and all(place.city_code == first.city_code for place in places):
        return Place(first.province_code, first.province, first.city_code, first.city)
    return Place(first.province_code, first.province)
