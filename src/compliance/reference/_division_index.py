"""The administrative-division tables, indexed for name and code lookups (private).

Built once from ``divisions/{provinces,cities,areas}.csv`` (2023 statistical codes, equal to
GB/T 2260 at these levels). Every lookup is a dict access, so resolving the locations of a
batch of 10⁵ projects costs nothing noticeable.

Two shapes of the source tables are folded here, so the rest of the code sees one hierarchy:
- the 市辖区 / 县 rows of the municipalities (北京、天津、上海、重庆) are not cities: the
  municipality itself is the city, with the province's code (``110000``);
- the 省直辖县级行政区划 rows (济源市、仙桃市、石河子市 …) are not cities either: each such county
  is its own city, with its own code (``419001``), since policy lists treat them as cities.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from compliance.folding import compact

from .data import read_csv

PROVINCE, CITY, COUNTY = "province", "city", "county"
LEVELS = (PROVINCE, CITY, COUNTY)

# The 56 ethnic groups, to shorten autonomous units (恩施土家族苗族自治州 → 恩施).
_GROUPS = (  # noqa: SIM905 - one line per row of names reads better than 56 lines
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 "
    "高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 "
    "阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 "
    "赫哲 门巴 珞巴 基诺"
).split()
_ETHNIC = sorted(
    [g + "族" for g in _GROUPS] + [g for g in _GROUPS if len(g) > 1] + ["各族"],
    key=len,
    reverse=True,
)
_PROVINCE_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "省", "市")
_CITY_SUFFIXES = ("地区", "盟", "市")
_COUNTY_SUFFIXES = ("特区", "林区", "新区", "区", "县", "市", "旗")
EXTRA_ALIASES = {
    PROVINCE: {"内蒙": "150000"},
    # 杨凌示范区 (杨凌农业高新技术产业示范区) is the district 杨陵区: note 凌/陵.
    COUNTY: {"杨凌示范区": "610403", "杨凌区": "610403", "杨凌": "610403"},
}
# Zones without a code of their own: name -> their counties (see key_regions.csv).
ZONES = {"雄安新区": ("雄县", "容城县", "安新县"), "雄安": ("雄县", "容城县", "安新县")}


@dataclass(frozen=True)
class Unit:
    """One division: ``code`` is 6 digits; ``city_code`` is the city a county belongs to."""

    code: str
    name: str
    level: str
    province_code: str
    city_code: str | None


@dataclass(frozen=True)
class DivisionIndex:
    units: dict[str, dict[str, Unit]]  # level -> code -> unit
    exact: dict[str, dict[str, tuple[Unit, ...]]]  # level -> full name -> units
    alias: dict[str, dict[str, tuple[Unit, ...]]]  # level -> short name -> units
    self_county: dict[str, str]  # city code -> its only county, when they are one place
    group_codes: frozenset[str]  # codes of 省直辖县级行政区划 rows (419000): not places
    municipality_codes: dict[str, str]  # 110100, 500200 ... -> the municipality 110000


def _strip_ethnic(base: str) -> str:
    changed = True
    while changed:
        changed = False
        for group in _ETHNIC:
            if base.endswith(group) and len(base) - len(group) >= 2:
                base, changed = base[: -len(group)], True
                break
    return base


def aliases(name: str, level: str) -> set[str]:
    """Short spellings people use for a division name (安阳市 → 安阳, 广西壮族自治区 → 广西)."""
    found: set[str] = set()
    autonomous = {CITY: "自治州", COUNTY: "自治县"}
    if level == PROVINCE:
        for suffix in _PROVINCE_SUFFIXES:
            if name.endswith(suffix):
                found.add(name[: -len(suffix)])
                break
    elif name.endswith(autonomous[level]) or name.endswith("自治旗"):
        base = _strip_ethnic(name[:-3])
        found |= {base, base + name[-1]}  # 恩施, 恩施州; 长阳, 长阳县
        if base.endswith("族"):
            found.add(base[:-1])  # 东乡族自治县 → 东乡
    else:
        for suffix in _CITY_SUFFIXES if level == CITY else _COUNTY_SUFFIXES:
            if name.endswith(suffix):
                found.add(name[: -len(suffix)])
                break
    return {alias for alias in found if len(alias) >= 2 and alias != name}


def stem(text: str, level: str) -> str:
    """``text`` without its level suffix (龙安县 → 龙安), to forgive 县/区/市 renamings."""
    for suffix in _CITY_SUFFIXES if level == CITY else _COUNTY_SUFFIXES:
        if text.endswith(suffix) and len(text) - len(suffix) >= 2:
            return text[: -len(suffix)]
    return text


@dataclass(frozen=True)
class Place:
    """A resolved location; codes are 6-digit GB/T 2260 codes (``410000``, ``410500``)."""

    province_code: str
    province: str
    city_code: str | None = None
    city: str | None = None
    county_code: str | None = None
    county: str | None = None

    @property
    def code(self) -> str:
        """The most specific code known."""
        return self.county_code or self.city_code or self.province_code

    @property
    def level(self) -> str:
        """``province``, ``city`` or ``county``: how precisely the place is known."""
        return COUNTY if self.county_code else CITY if self.city_code else PROVINCE

    @property
    def full_name(self) -> str:
        """The name as printed in a report, without repeats: 北京市朝阳区, 河南省济源市."""
        parts = [self.province]
        for name in (self.city, self.county):
            if name and name != parts[-1]:
                parts.append(name)
        return "".join(parts)

    def __str__(self) -> str:
        return self.full_name


@cache
def place_of(unit: Unit) -> Place:
    """The Place a unit stands for, with the conventions of the module docstring."""
    index = division_index()
    province = index.units[PROVINCE][unit.province_code]
    if unit.level == PROVINCE:
        municipality = index.units[CITY].get(unit.code)
        if municipality is None:
            return Place(province.code, province.name)
        unit = municipality
    if unit.level == CITY:
        own = index.self_county.get(unit.code)
        county = index.units[COUNTY][own] if own else None
        return Place(
            province.code,
            province.name,
            unit.code,
            unit.name,
            county.code if county else None,
            county.name if county else None,
        )
    city = index.units[CITY][unit.city_code or ""]
    return Place(province.code, province.name, city.code, city.name, unit.code, unit.name)


def consistent(a: Place, b: Place) -> bool:
    """Whether two places can be the same place (no code differs at a level both know)."""
    pairs = ((a.province_code, b.province_code), (a.city_code, b.city_code))
    pairs += ((a.county_code, b.county_code),)
    return all(x is None or y is None or x == y for x, y in pairs)


@cache
def division_index() -> DivisionIndex:
    """Build the folded hierarchy and its name indexes (once per process)."""
    units: dict[str, dict[str, Unit]] = {level: {} for level in LEVELS}
    for row in read_csv("divisions/provinces.csv"):
        code = row["code"] + "0000"
        units[PROVINCE][code] = Unit(code, row["name"], PROVINCE, code, None)

    city_of_group: dict[str, str | None] = {}  # 4-digit city row -> city code (None: per county)
    group_codes: set[str] = set()
    municipality_codes: dict[str, str] = {}
    for row in read_csv("divisions/cities.csv"):
        province = row["provinceCode"] + "0000"
        if row["name"] in ("市辖区", "县"):
            municipality = units[PROVINCE][province]
            units[CITY][province] = Unit(province, municipality.name, CITY, province, province)
            city_of_group[row["code"]] = province
            municipality_codes[row["code"] + "00"] = province
        elif row["name"].endswith("直辖县级行政区划"):
            city_of_group[row["code"]] = None
            group_codes.add(row["code"] + "00")
        else:
            code = row["code"] + "00"
            units[CITY][code] = Unit(code, row["name"], CITY, province, code)
            city_of_group[row["code"]] = code

    counties_of: dict[str, list[Unit]] = defaultdict(list)
    for row in read_csv("divisions/areas.csv"):
        province = row["provinceCode"] + "0000"
        city = city_of_group[row["cityCode"]]
        if city is None:  # 省直辖县级: the county is its own city
            city = row["code"]
            units[CITY][city] = Unit(city, row["name"], CITY, province, city)
        county = Unit(row["code"], row["name"], COUNTY, province, city)
        units[COUNTY][county.code] = county
        counties_of[city].append(county)

    self_county = {
        city: members[0].code
        for city, members in counties_of.items()
        if len(members) == 1 and members[0].name == units[CITY][city].name
    }
    exact: dict[str, dict[str, tuple[Unit, ...]]] = {}
    alias: dict[str, dict[str, tuple[Unit, ...]]] = {}
    for level in LEVELS:
        full: dict[str, list[Unit]] = defaultdict(list)
        short: dict[str, list[Unit]] = defaultdict(list)
        for unit in units[level].values():
            full[compact(unit.name)].append(unit)
            # A 省直辖 county acting as a city is shortened like a county (仙桃市 → 仙桃).
            rules = level if unit.code.endswith("00") else COUNTY
            for spelling in aliases(compact(unit.name), rules):
                short[spelling].append(unit)
        for spelling, code in EXTRA_ALIASES.get(level, {}).items():
            short[spelling].append(units[level][code])
        exact[level] = {k: tuple(v) for k, v in full.items()}
        alias[level] = {k: tuple(v) for k, v in short.items() if k not in full}
    return DivisionIndex(
        units, exact, alias, self_county, frozenset(group_codes), municipality_codes
    )
