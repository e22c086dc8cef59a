"""Resolve a project's location (names as people write them, or a GB/T 2260 code) to a Place.

Whether a rule binds often depends on where the project is (a key region, the Yangtze belt,
one city), so a location must resolve to exactly one division or be refused with a message the
officer can act on: an unknown name gets a suggestion, an ambiguous one (朝阳区) the list of
candidates, and fields that contradict each other (湖北 + 安阳市) an error naming both. A
guess is never made silently.

Conventions (see rules/reference/README.md):
- a municipality (北京、天津、上海、重庆) is both the province and the city, with the
  province's code: 北京市朝阳区 = Place(110000 北京市, 110000 北京市, 110105 朝阳区);
- a county directly under a province (济源市, 仙桃市, 石河子市) is its own city:
  Place(410000 河南省, 419001 济源市, 419001 济源市); likewise a prefecture city without
  districts (东莞市, 中山市, 儋州市, 嘉峪关市) is its own county.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, lru_cache

from compliance.folding import compact

from ._division_index import (
    CITY,
    COUNTY,
    PROVINCE,
    ZONES,
    Place,
    Unit,
    consistent,
    division_index,
    place_of,
    stem,
)
from .address import parse_address
from .data import read_csv, suggest
from .errors import ReferenceLookupError, lookup_error

__all__ = [
    "Place",
    "city_names",
    "county_places",
    "parse_address",
    "place_from_code",
    "province_names",
    "resolve_place",
]

_LEVEL_ZH = {PROVINCE: "省份", CITY: "城市", COUNTY: "区县"}
_RANK = {PROVINCE: 0, CITY: 1, COUNTY: 2}


def place_from_code(code: str | int, field: str = "location.admin_code") -> Place:
    """The Place of a 6-digit GB/T 2260 code (province, city or county)."""
    text = compact(str(code))
    index = division_index()
    if not re.fullmatch(r"\d{6}", text):
        raise lookup_error(
            field,
            f"行政区划代码应为6位数字（GB/T 2260），收到「{text}」",
            f"an administrative code has 6 digits (GB/T 2260), got {text!r}",
        )
    if text in index.units[PROVINCE]:
        return place_of(index.units[PROVINCE][text])
    if text in index.units[CITY]:
        return place_of(index.units[CITY][text])
    if text in index.municipality_codes:  # 110100 北京市市辖区 → 北京市
        return place_of(index.units[CITY][index.municipality_codes[text]])
    if text in index.units[COUNTY]:
        return place_of(index.units[COUNTY][text])
    if text in index.group_codes:
        raise lookup_error(
            field,
            f"「{text}」是省直辖县级行政区划的汇总代码，请填写具体县级代码",
            f"{text!r} groups the counties under a province; give the county's own code",
        )
    raise lookup_error(
        field, f"未知行政区划代码「{text}」", f"unknown administrative code {text!r}"
    )


def _is_exact_anywhere(text: str) -> bool:
    exact = division_index().exact
    return any(text in exact[level] for level in exact)


@cache
def _former_names() -> frozenset[str]:
    """Every name a division has had since 1980 (divisions/history.csv)."""
    return frozenset(row["名称"] for row in read_csv("divisions/history.csv"))


def _search(field_level: str, text: str, province: str | None, city: str | None) -> list[Unit]:
    """Units a field's text may mean, most literal reading first, within the given scope.

    A city field may hold a county-level city (林州市); a name without its suffix is read
    (龙安 → 龙安区), and a trailing 县/区/市 that matches nothing is forgiven for a former name
    (铜仁地区 → 铜仁市), unless the text is a real name elsewhere (安阳市 in the county field
    must not become 安阳县).
    """
    index = division_index()
    tries: list[tuple[str, dict[str, tuple[Unit, ...]], str]] = [
        (field_level, index.exact[field_level], text),
        (field_level, index.alias[field_level], text),
    ]
    if field_level == CITY:
        tries.append((COUNTY, index.exact[COUNTY], text))
    short = stem(text, field_level)
    # a suffix that matches nothing is forgiven only for a name the division once had (林县 →
    # 林州市, 铜仁地区 → 铜仁市), never for one it never had (龙安县 is asked, not read as 龙安区)
    if field_level != PROVINCE and not _is_exact_anywhere(text) and (
            short == text or text in _former_names()):
        tries += [(field_level, index.exact[field_level], short)]
        tries += [(field_level, index.alias[field_level], short)]
        if field_level == CITY:
            tries.append((COUNTY, index.alias[COUNTY], text))
    for level, table, spelling in tries:
        found = [
            unit
            for unit in table.get(spelling, ())
            if (province is None or unit.province_code == province)
            and (city is None or level != COUNTY or unit.city_code == city)
        ]
        if found:
            return sorted(found, key=lambda unit: unit.code)
    return []


def _suggestions(field_level: str, text: str, province: str | None) -> tuple[str, ...]:
    index = division_index()
    choices = []
    for table in (index.exact[field_level], index.alias[field_level]):
        for spelling, units in table.items():
            for unit in units:
                if province is None or unit.province_code == province:
                    label = unit.name if field_level != COUNTY else place_of(unit).full_name
                    choices.append((unit.code, spelling, label))
    choices.sort()
    return suggest(text, ((spelling, label) for _, spelling, label in choices))


def _not_found(
    current: Place | None, source: str, field_level: str, text: str, field: str
) -> ReferenceLookupError:
    """The most helpful error for a field that matched nothing within the known place."""
    elsewhere = [place_of(unit) for unit in _search(field_level, text, None, None)]
    if current is not None and elsewhere:
        names = "、".join(place.full_name for place in elsewhere)
        return lookup_error(
            field,
            f"「{text}」（{names}）与 {source}（{current.full_name}）不一致",
            f"{text!r} ({names}) contradicts {source} ({current.full_name})",
            tuple(place.full_name for place in elsewhere),
        )
    if text in ZONES:
        counties = ZONES[text]
        return lookup_error(
            field,
            f"「{text}」没有自己的行政区划代码，请填写其所辖县：{'、'.join(counties)}",
            f"{text!r} has no administrative code of its own; give its county: "
            f"{', '.join(counties)}",
            counties,
        )
    province = current.province_code if current else None
    for level in (PROVINCE, CITY):  # a city written into the county field, and so on
        index = division_index()
        if level != field_level and (text in index.exact[level] or text in index.alias[level]):
            right = f"{field.rsplit('.', 1)[0]}.{level}"
            return lookup_error(
                field,
                f"「{text}」是{_LEVEL_ZH[level]}名称，"
                f"不是{_LEVEL_ZH[field_level]}；请填写在 {right}",
                f"{text!r} is a {level}, not a {field_level}; put it in {right}",
            )
    short = stem(text, field_level)  # 龙安县 → 龙安区: the division with that name and its own suffix
    renamed = [place_of(unit).full_name for unit in _search(field_level, short, province, None)
               ] if short != text else []
    candidates = tuple(dict.fromkeys([*renamed, *_suggestions(field_level, text, province)]))[:3]
    hint = "，是否为" + "".join(f"「{c}」" for c in candidates) + "？" if candidates else ""
    return lookup_error(
        field,
        f"未知{_LEVEL_ZH[field_level]}「{text}」{hint}",
        f"unknown {field_level} {text!r}",
        candidates,
    )


def _refine(current: Place | None, source: str, field_level: str, text: str, field: str) -> Place:
    """Narrow (or check) the place known so far with one more field."""
    province = current.province_code if current else None
    city = current.city_code if current and field_level == COUNTY else None
    places = list(dict.fromkeys(place_of(u) for u in _search(field_level, text, province, city)))
    if current is not None:
        places = [place for place in places if consistent(place, current)]
    if not places:
        raise _not_found(current, source, field_level, text, field)
    if len(places) > 1:
        names = tuple(place.full_name for place in places)
        need_zh, need_en = ("城市", "city") if field_level == COUNTY else ("省份", "province")
        raise lookup_error(
            field,
            f"「{text}」不唯一（{'、'.join(names)}），请同时填写{need_zh}",
            f"{text!r} is ambiguous ({', '.join(names)}); give the {need_en} too",
            names,
        )
    found = places[0]
    if current is not None and _RANK[current.level] >= _RANK[found.level]:
        return current  # the field only confirmed what was known
    return found


def _optional(value: str | int | None) -> str | None:
    text = compact(str(value)) if value is not None else ""
    return text or None


#: remembered per spelling: a check resolves its place again for each change `what_if` proposes,
#: and a list's rows share a few places (a refusal is not kept: it is raised each time)
@lru_cache(maxsize=4096)
def resolve_place(
    province: str | None = None,
    city: str | None = None,
    county: str | None = None,
    admin_code: str | int | None = None,
    *,
    field_prefix: str = "location",
) -> Place:
    """Resolve the location fields of a form to one Place, checking they agree.

    Names may omit their suffix (安阳, 河南, 广西, 龙安); any field may be given alone as long
    as it is unique (龙安区 alone works, 朝阳区 alone does not). Raises ReferenceLookupError with
    the field path first: unknown, ambiguous or contradictory.
    """
    code = _optional(admin_code)
    current = place_from_code(code, f"{field_prefix}.admin_code") if code else None
    sources = [f"{field_prefix}.admin_code「{code}」"] if code else []
    given = ((PROVINCE, _optional(province)), (CITY, _optional(city)), (COUNTY, _optional(county)))
    if current is None and not any(text for _, text in given):
        raise lookup_error(
            field_prefix,
            "未填写项目所在地（省、市、区县或行政区划代码）",
            "no location given (province, city, county or administrative code)",
        )
    for level, text in given:
        if text:
            field = f"{field_prefix}.{level}"
            current = _refine(current, "、".join(sources), level, text, field)
            sources.append(f"{field}「{text}」")
    assert current is not None
    return current


def province_names() -> tuple[str, ...]:
    """Full province names in code order (for generators and forms)."""
    return tuple(unit.name for unit in division_index().units[PROVINCE].values())


def city_names() -> tuple[str, ...]:
    """Full city names in code order, municipalities and 省直辖 counties included."""
    units = division_index().units[CITY]
    return tuple(units[code].name for code in sorted(units))


def county_places() -> Iterator[Place]:
    """Every county-level Place, in code order (for generators and round-trip tests)."""
    units = division_index().units[COUNTY]
    return (place_of(units[code]) for code in sorted(units))
