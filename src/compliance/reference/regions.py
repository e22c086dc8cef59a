"""Policy regions a place belongs to: 重点区域 (key regions) and the Yangtze River Economic Belt.

Key regions come from ``key_regions.csv``, one row per member (city, whole province, or - for
雄安新区 and 杨凌示范区, which have no city code - county-level territory in ``member_codes``).
The definition must always be named: 工信部节〔2018〕136号 means the 2018 one
(国发〔2018〕22号《打赢蓝天保卫战三年行动计划》), and the 2023 re-definition
(国发〔2023〕24号《空气质量持续改善行动计划》) moved cities between regions (洛阳, 太原).

A place too coarse to decide (河南省 without a city, for the 2018 京津冀及周边 that takes only
some of its cities) raises RegionUndeterminedError rather than answering "not a key region":
missing data is never a pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from .data import read_csv
from .divisions import Place, place_from_code
from .errors import ReferenceLookupError, RegionUndeterminedError

KEY_REGIONS_FILE = "key_regions.csv"
KEY_REGION_DEFINITIONS = ("2018", "2023")
_RANK = {"province": 0, "city": 1, "county": 2}

# 工信部联节〔2017〕178号 is addressed to exactly these 11 provinces (长江经济带, as in
# 《长江经济带发展规划纲要》, 2016). Reaches follow the same 纲要: upper 重庆、四川、贵州、云南;
# middle 江西、湖北、湖南; lower 上海、江苏、浙江、安徽 (so 长江中上游 = middle + upper).
_YANGTZE_REACH = {
    "310000": "lower",  # 上海
    "320000": "lower",  # 江苏
    "330000": "lower",  # 浙江
    "340000": "lower",  # 安徽
    "360000": "middle",  # 江西
    "420000": "middle",  # 湖北
    "430000": "middle",  # 湖南
    "500000": "upper",  # 重庆
    "510000": "upper",  # 四川
    "520000": "upper",  # 贵州
    "530000": "upper",  # 云南
}


@dataclass(frozen=True)
class KeyRegionMember:
    """One row of key_regions.csv."""

    definition: str
    region: str
    name: str
    member_codes: tuple[str, ...]


@cache
def key_region_members(definition: str) -> tuple[KeyRegionMember, ...]:
    """The members of every key region under one definition, as listed in the CSV."""
    _check_definition(definition)
    return tuple(
        KeyRegionMember(
            row["definition"],
            row["region"],
            row["name"],
            tuple(code for code in row["member_codes"].split(";") if code),
        )
        for row in read_csv(KEY_REGIONS_FILE)
        if row["definition"] == definition
    )


def key_region_names(definition: str) -> tuple[str, ...]:
    """The region names of one definition, in file order (京津冀及周边, 长三角, 汾渭平原)."""
    return tuple(dict.fromkeys(member.region for member in key_region_members(definition)))


def _check_definition(definition: str) -> None:
    if definition not in KEY_REGION_DEFINITIONS:
        raise ReferenceLookupError(
            f"未知的重点区域定义「{definition}」（可选：{'、'.join(KEY_REGION_DEFINITIONS)}）",
            f"unknown key-region definition {definition!r}; use one of {KEY_REGION_DEFINITIONS}",
        )


@cache
def _membership(definition: str) -> tuple[dict[str, str], tuple[tuple[Place, str], ...]]:
    """Member code -> region, and each member as a Place (to find members inside a place)."""
    by_code = {
        code: member.region
        for member in key_region_members(definition)
        for code in member.member_codes
    }
    return by_code, tuple((place_from_code(code), region) for code, region in by_code.items())


def key_region(place: Place, definition: str) -> str | None:
    """The key region (重点区域) containing ``place`` under ``definition`` ("2018" or "2023").

    Returns the region name (``京津冀及周边``, ``长三角``, ``汾渭平原``) or None when the place is
    certainly outside every region. Raises RegionUndeterminedError when only part of the place
    is a member (the place is coarser than the membership list).
    """
    by_code, members = _membership(definition)
    for code in (place.province_code, place.city_code, place.county_code):
        if code and code in by_code:
            return by_code[code]
    rank = _RANK[place.level]
    partly = sorted(
        {
            region
            for member, region in members
            if _RANK[member.level] > rank
            and member.province_code == place.province_code
            and (place.city_code is None or member.city_code == place.city_code)
        }
    )
    if not partly:
        return None
    if place.city_code is None:
        missing, word = "location.city", "城市"
    else:
        missing, word = "location.county", "区县"
    regions = "、".join(partly)
    raise RegionUndeterminedError(
        f"{missing}: {place.full_name}只有部分地区属于重点区域（{definition}年定义的{regions}），"
        f"请填写{word}",
        f"{missing}: only part of {place.full_name} is in a key region ({regions}, "
        f"{definition} definition); give the {missing.rsplit('.', 1)[1]}",
        missing=missing,
    )


def in_yangtze_belt(place: Place) -> bool:
    """Whether the place is in the 11 provinces of the Yangtze River Economic Belt (长江经济带)."""
    return place.province_code in _YANGTZE_REACH


def yangtze_reach(place: Place) -> str | None:
    """``upper`` / ``middle`` / ``lower`` reach of the Yangtze belt, or None outside it."""
    return _YANGTZE_REACH.get(place.province_code)


RIVERSIDE_CITIES_FILE = "riverside_cities.csv"


@cache
def _riverside_cities() -> dict[str, str]:
    return {row["city_code"]: row["river"] for row in read_csv(RIVERSIDE_CITIES_FILE)}


def riverside_river(place: Place) -> str | None:
    """The river that makes the place's city a 沿江城市 (on the Yangtze main stream or one of its
    eight major tributaries), or None when the table does not list the city (which is not a
    "no": a city on a smaller river is still for the form to say)."""
    return _riverside_cities().get(place.city_code or "")
