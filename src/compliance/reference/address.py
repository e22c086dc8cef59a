"""Find the division named inside a free-text address (batch rows, imported spreadsheets).

Screening lists often carry one address column instead of province / city / county fields:
``河南省安阳市龙安区马家乡``, ``安阳市龙安区``, ``湖北孝感市孝南区``. The longest consistent
province → city → county chain of names found in the text wins; the rest (towns, roads) is
ignored. Ambiguity is an error, never a guess.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from functools import cache, lru_cache

from compliance.folding import compact

from ._division_index import (
    CITY,
    COUNTY,
    EXTRA_ALIASES,
    PROVINCE,
    Place,
    Unit,
    consistent,
    division_index,
    place_of,
)
from .errors import lookup_error

_SEPARATORS = re.compile(r"[,，、/\\|·()（）\-－—]")


@cache
def _spellings_by_first_char() -> dict[str, list[tuple[str, str, tuple[Unit, ...], bool]]]:
    """For address parsing: first char -> (spelling, level, units, exact), longest first.

    Counties are matched by full name only: road and village names often contain a district's
    short name (文峰大道 is not necessarily in 文峰区).
    """
    index = division_index()
    table: dict[str, list[tuple[str, str, tuple[Unit, ...], bool]]] = defaultdict(list)
    for level in (PROVINCE, CITY, COUNTY):
        sources = [(index.exact[level], True)]
        if level != COUNTY:
            sources.append((index.alias[level], False))
        for names, exact in sources:
            for spelling, units in names.items():
                table[spelling[0]].append((spelling, level, units, exact))
    for spelling, code in EXTRA_ALIASES[COUNTY].items():  # 杨凌示范区
        table[spelling[0]].append((spelling, COUNTY, (index.units[COUNTY][code],), False))
    for entries in table.values():
        entries.sort(key=lambda entry: -len(entry[0]))
    return dict(table)


#: a spelling found in an address: (spelling, level, units, exact)
_Entry = tuple[str, str, tuple[Unit, ...], bool]


def _found_at(text: str) -> list[list[_Entry]]:
    """Per position of the text, the spellings that start there, longest first: looked up
    once per position, not again for every chain and level that reaches it."""
    entries = _spellings_by_first_char()
    return [[entry for entry in entries.get(char, ()) if text.startswith(entry[0], position)]
            for position, char in enumerate(text)]


def _chains(found: list[list[_Entry]], start: int
            ) -> Iterator[tuple[int, int, list[list[Unit]]]]:
    """Every consistent province → city → county reading starting at ``start`` (`found`:
    `_found_at` of the text).

    Yields (matched characters, exact matches, units per matched level); a level may be
    skipped (安阳市龙安区 has no province).
    """

    def walk(position: int, level: int, chosen: list[list[Unit]], size: int, exact: int):
        if level == 3:
            if chosen:
                yield size, exact, chosen
            return
        yield from walk(position, level + 1, chosen, size, exact)
        if position >= len(found):
            return
        wanted = (PROVINCE, CITY, COUNTY)[level]
        for spelling, entry_level, units, is_exact in found[position]:
            if entry_level != wanted:
                continue
            fitting = [unit for unit in units if _fits(unit, chosen)]
            if fitting:
                yield from walk(
                    position + len(spelling),
                    level + 1,
                    [*chosen, fitting],
                    size + len(spelling),
                    exact + is_exact,
                )

    yield from walk(start, 0, [], 0, 0)


def _fits(unit: Unit, chosen: list[list[Unit]]) -> bool:
    if not chosen:
        return True
    place = place_of(unit)
    return any(consistent(place, place_of(previous)) for previous in chosen[-1])


#: addresses up to this length are remembered: a list's address column repeats its places
REMEMBERED_CHARS = 200


@lru_cache(maxsize=1024)
def _remembered_places(cleaned: str) -> tuple[Place, ...]:
    return _places_in(cleaned)


def _places_in(cleaned: str) -> tuple[Place, ...]:
    """The places the longest consistent chain in `cleaned` may mean (none, one, or several:
    ambiguous)."""
    best: tuple[int, int, int, int] | None = None
    best_chain: list[list[Unit]] = []
    found = _found_at(cleaned)
    for start in range(len(cleaned)):
        if not found[start]:  # no name starts here: no chain can
            continue
        for size, exact, chain in _chains(found, start):
            score = (size, len(chain), exact, -start)
            if best is None or score > best:
                best, best_chain = score, chain
    if not best_chain:
        return ()
    places = [place_of(unit) for unit in best_chain[-1]]
    for previous in best_chain[:-1]:
        places = [p for p in places if any(consistent(p, place_of(u)) for u in previous)]
    return tuple(places)


def parse_address(text: str, field: str = "location.address") -> Place:
    """Find the province / city / county inside a free-text address (batch rows).

    ``河南省安阳市龙安区马家乡``, ``安阳市龙安区``, ``湖北孝感市孝南区``: the longest consistent
    chain wins; the parts after the county (towns, roads) are ignored. An ambiguous result (a
    bare 朝阳区) or no division at all raises ReferenceLookupError.
    """
    cleaned = _SEPARATORS.sub("", compact(text))
    places = (_remembered_places(cleaned) if len(cleaned) <= REMEMBERED_CHARS
              else _places_in(cleaned))
    if not places:
        raise lookup_error(
            field,
            f"未能从「{text}」中识别出省、市或区县",
            f"no province, city or county found in {text!r}",
        )
    if len(places) > 1:
        names = tuple(place.full_name for place in places)
        raise lookup_error(
            field,
            f"「{text}」中的地名不唯一（{'、'.join(names)}），请写明省、市",
            f"the place in {text!r} is ambiguous ({', '.join(names)})",
            names,
        )
    return places[0]
