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
from functools import cache

from compliance.folding import compact
from compliance.memo import remembered

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


#: a spelling found in an address: (spelling, level, the places it may name, exact)
_Entry = tuple[str, str, tuple[Place, ...], bool]


@cache
def _spellings_by_start() -> dict[str, list[_Entry]]:
    """For address parsing: first two characters (every spelling has at least two) ->
    (spelling, level, places, exact), longest first.

    Counties are matched by full name only: road and village names often contain a district's
    short name (文峰大道 is not necessarily in 文峰区). Each spelling carries the places its
    divisions stand for, made once here rather than for every chain that tries it.
    """
    index = division_index()
    table: dict[str, list[_Entry]] = defaultdict(list)

    def add(spelling: str, level: str, units: tuple[Unit, ...], exact: bool) -> None:
        table[spelling[:2]].append((spelling, level, tuple(map(place_of, units)), exact))

    for level in (PROVINCE, CITY, COUNTY):
        sources = [(index.exact[level], True)]
        if level != COUNTY:
            sources.append((index.alias[level], False))
        for names, exact in sources:
            for spelling, units in names.items():
                add(spelling, level, units, exact)
    for spelling, code in EXTRA_ALIASES[COUNTY].items():  # 杨凌示范区
        add(spelling, COUNTY, (index.units[COUNTY][code],), False)
    for entries in table.values():
        entries.sort(key=lambda entry: -len(entry[0]))
    return dict(table)


def _found_at(text: str) -> dict[int, list[_Entry]]:
    """At each position where some spelling starts, those spellings, longest first: looked up
    once per position, not again for every chain and level that reaches it."""
    table = _spellings_by_start()
    found: dict[int, list[_Entry]] = {}
    for position in range(len(text) - 1):
        bucket = table.get(text[position:position + 2])
        if bucket:
            matched = [entry for entry in bucket if text.startswith(entry[0], position)]
            if matched:
                found[position] = matched
    return found


def _chains(found: dict[int, list[_Entry]], start: int
            ) -> Iterator[tuple[int, int, list[list[Place]]]]:
    """Every consistent province → city → county reading starting at ``start`` (`found`:
    `_found_at` of the text).

    Yields (matched characters, exact matches, places per matched level); a level may be
    skipped (安阳市龙安区 has no province). Three plain loops, a level each (skipping it first,
    then each spelling of it found there), in the order a recursive walk would take.
    """
    for after_province, provinces, province_size, province_exact in _steps(
            found, start, PROVINCE, []):
        for after_city, cities, city_size, city_exact in _steps(
                found, after_province, CITY, provinces):
            for _, counties, county_size, county_exact in _steps(
                    found, after_city, COUNTY, cities):
                if counties:
                    yield (province_size + city_size + county_size,
                           province_exact + city_exact + county_exact, counties)


def _steps(found: dict[int, list[_Entry]], position: int, level: str, chosen: list[list[Place]]
           ) -> list[tuple[int, list[list[Place]], int, int]]:
    """The ways on from `position` at `level`: skip it, or take a spelling of it found there
    that fits the level before: (next position, places per level so far, characters, exact)."""
    steps = [(position, chosen, 0, 0)]
    for spelling, entry_level, places, is_exact in found.get(position, ()):
        if entry_level != level:
            continue
        fitting = [place for place in places if _fits(place, chosen)]
        if fitting:
            steps.append((position + len(spelling), [*chosen, fitting], len(spelling),
                          int(is_exact)))
    return steps


def _fits(place: Place, chosen: list[list[Place]]) -> bool:
    return not chosen or any(consistent(place, previous) for previous in chosen[-1])


#: addresses up to this length are remembered: a list's address column repeats its places
REMEMBERED_CHARS = 200
#: readings kept by the names an address holds (`_places_in`); emptied when full
NAMED_SIZE = 4096
_NAMED: dict[tuple[tuple[int, tuple[str, ...]], ...], tuple[Place, ...]] = {}


@remembered(REMEMBERED_CHARS, 1024)
def _places_in(cleaned: str) -> tuple[Place, ...]:
    """The places the longest consistent chain in `cleaned` may mean (none, one, or several:
    ambiguous).

    The chains are made of the names found in the text and nothing else, and only where the
    names stand to one another matters, so they are worked out once per arrangement of names
    (where each starts, from the first, and which spellings start there): every project of a
    county has an address of its own (its town, village, road), and each was read afresh,
    ~18 µs a row of a real list."""
    found = _found_at(cleaned)
    first = next(iter(found), 0)
    names = tuple((position - first, tuple(entry[0] for entry in entries))
                  for position, entries in found.items())
    places = _NAMED.get(names)
    if places is None:
        if len(_NAMED) >= NAMED_SIZE:
            _NAMED.clear()
        places = _NAMED[names] = _best_chain(found)
    return places


def _best_chain(found: dict[int, list[_Entry]]) -> tuple[Place, ...]:
    """The places of the longest consistent chain of the names `found` (`_found_at`)."""
    best: tuple[int, int, int, int] | None = None
    best_chain: list[list[Place]] = []
    for start in found:  # where no name starts, no chain can
        for size, exact, chain in _chains(found, start):
            score = (size, len(chain), exact, -start)
            if best is None or score > best:
                best, best_chain = score, chain
    if not best_chain:
        return ()
    places = best_chain[-1]
    for previous in best_chain[:-1]:
        places = [p for p in places if any(consistent(p, other) for other in previous)]
    return tuple(places)


def parse_address(text: str, field: str = "location.address") -> Place:
    """Find the province / city / county inside a free-text address (batch rows).

    ``河南省安阳市龙安区马家乡``, ``安阳市龙安区``, ``湖北孝感市孝南区``: the longest consistent
    chain wins; the parts after the county (towns, roads) are ignored. An ambiguous result (a
    bare 朝阳区) or no division at all raises ReferenceLookupError.
    """
    cleaned = _SEPARATORS.sub("", compact(text))
    places = _places_in(cleaned)
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
