"""Synthetic screening lists: realistic rows for benchmarks, demos and differential testing.

Rows look like a provincial export (Chinese headers, units in cells, 是/√, several date
styles, an address column for some rows) so they exercise the same reading path as real lists.
A share of rows is built from the rulebook's own examples (projects known to fail, pass, need
review or information), so violations occur at plausible rates and in the right places; the
rest are background projects anywhere in China, in rule industries more often than chance, with
some facts left out. A few rows are broken on purpose (a mistyped city, a height in words).
The same `seed` always gives the same rows.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from functools import cache
from typing import Any

from compliance import conditions as cond
from compliance.batch.columns import ADDRESS_LABEL, input_fields
from compliance.batch.template import template_header
from compliance.reference import IndustryClass, Place, classes, county_places, rulebook_keys
from compliance.rulebook import load_rulebook

#: shares of rows: seeded from a rule example, deliberately broken, blank
EXAMPLE_SHARE, BROKEN_SHARE, BLANK_SHARE = 0.12, 0.003, 0.0005
REMARK = "备注"
#: cities where the rulebook's local documents bind, drawn more often than chance
RULE_CITIES = ("安阳市", "孝感市", "唐山市", "邯郸市", "上海市", "成都市", "武汉市", "黄石市",
               "宜昌市", "重庆市", "南京市", "石家庄市")
FIRMS = ("宏达", "鑫源", "华润", "中兴", "恒通", "金盛", "永安", "瑞丰", "盛隆", "东方", "新星",
         "天元", "国泰", "富源", "长城")
PROJECT_WORDS = ("升级改造项目", "新建项目", "扩建工程", "技术改造项目", "搬迁入园项目",
                 "生产线建设项目")
DATE_STYLES = ("{y}-{m:02d}-{d:02d}", "{y}/{m}/{d}", "{y}年{m}月{d}日", "{y}.{m}.{d}")
BOOL_STYLES = (("是", "否"), ("√", "×"), ("有", "无"), ("是", "否"))
NUMBER_CHOICES: dict[str, tuple[float, ...]] = {
    "technology.coke_oven_chamber_height_m": (4.3, 5.5, 6.0, 6.25, 6.78, 7.65),
    "technology.clinker_line_tpd": (1000, 2000, 2500, 4500, 5000),
    "technology.cement_mill_diameter_m": (2.2, 3.0, 3.2, 4.2),
    "technology.ammonia_unit_tpa": (80000, 180000, 300000, 450000),
    "technology.gas_producer_hearth_m": (2.4, 3.0, 3.6),
}
#: how often a yes/no or choice fact is filled in, and how often with the value rules forbid
PRESENT_SHARE, BAD_SHARE = 0.8, 0.02
FUELS = ((("electricity",), 4), (("natural_gas",), 3), (("coal",), 1),
         (("natural_gas", "electricity"), 2))
BROKEN_CELLS = (("城市", "安洋"), ("焦炉炭化室高度（米）", "四米三"),
                ("申报日期", "2019年13月1日"), ("建设性质", "新建设"))


@cache
def headers() -> tuple[str, ...]:
    """The columns of a generated list: every form field, an address column and a remark."""
    return (*(template_header(spec) for spec in input_fields().values()), ADDRESS_LABEL, REMARK)


@cache
def _places() -> tuple[tuple[Place, ...], tuple[Place, ...]]:
    """All counties, and those of the cities the rulebook names (drawn more often)."""
    everywhere = tuple(county_places())
    return everywhere, tuple(p for p in everywhere if p.city in RULE_CITIES)


@cache
def _industries() -> tuple[tuple[IndustryClass, ...], tuple[IndustryClass, ...]]:
    """Every GB/T 4754 class, and the classes under some rulebook key."""
    every = tuple(classes())
    prefixes = tuple(code for key in rulebook_keys().values() for code in key.codes)
    return every, tuple(entry for entry in every if entry.code.startswith(prefixes))


def _industry_cell(rng: random.Random, entry: IndustryClass) -> str:
    """`C2521`, `2521` or `C2521 炼焦`: the ways lists write an industry."""
    return rng.choices((entry.code, entry.code[1:], f"{entry.code} {entry.name}"), (7, 1.5, 1.5))[0]


@cache
def _examples() -> tuple[tuple[dt.date | None, dict[str, Any]], ...]:
    return tuple((example.as_of, example.form) for rule in load_rulebook().rules
                 for example in rule.rule.examples)


class _Row:
    """One generated row being filled in; `put` renders a form value the way people type it."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.cells: dict[str, Any] = dict.fromkeys(headers())
        self.specs = input_fields()
        self.filled: set[str] = set()

    def put(self, path: str, value: Any) -> None:
        self.filled.add(path)
        spec = self.specs[path]
        header = template_header(spec)
        if spec.kind == "number" and spec.unit and self.rng.random() < 0.3:
            value = f"{value}{spec.unit_zh()}"
        elif spec.kind == "bool":
            value = self.rng.choice(BOOL_STYLES)[0 if value else 1]
        elif spec.kind == "enum" and spec.enum is not None and self.rng.random() < 0.8:
            value = spec.enum.label_zh(value)
        elif spec.kind == "date":
            value = self.rng.choice(DATE_STYLES).format(y=value.year, m=value.month, d=value.day)
        elif spec.kind == "list":
            items = [value] if isinstance(value, str) else value
            value = "、".join(spec.enum.label_zh(i) if spec.enum else i for i in items)
        self.cells[header] = value

    def put_form(self, form: dict[str, Any], prefix: str = "") -> None:
        for key, value in form.items():
            path = f"{prefix}{key}"
            if isinstance(value, dict):
                self.put_form(value, f"{path}.")
            elif path in self.specs and value is not None:
                self.put(path, value)


def _date(rng: random.Random) -> dt.date:
    return dt.date(2018, 1, 1) + dt.timedelta(days=rng.randrange(8 * 365))


def _example_row(rng: random.Random, number: int) -> dict[str, Any]:
    as_of, form = rng.choice(_examples())
    row = _Row(rng)
    row.put_form(form)
    row.put("name", f"示例项目{number:06d}（{rng.choice(FIRMS)}）")
    row.put("application_date", as_of or _date(rng))
    _choices(row, rng)
    return row.cells


def _background_row(rng: random.Random, number: int) -> dict[str, Any]:
    everywhere, rule_places = _places()
    place = rng.choice(rule_places if rng.random() < 0.3 else everywhere)
    every, ruled = _industries()
    industry = rng.choice(ruled if rng.random() < 0.5 else every)
    row = _Row(rng)
    row.put("id", f"{2018 + number % 8}-{place.code}-{industry.code[1:3]}-0{rng.randint(1, 3)}-"
                  f"{number:06d}")
    row.put("name", f"{place.county}{rng.choice(FIRMS)}{rng.choice(PROJECT_WORDS)}")
    row.put("applicant", f"{place.city}{rng.choice(FIRMS)}实业有限公司")
    row.put("application_date", _date(rng))
    row.put("project_type", rng.choices(("new", "expansion", "renovation", "relocation"),
                                        (4, 2.5, 2.5, 1))[0])
    row.put("industry", _industry_cell(rng, industry))
    if rng.random() < 0.2:
        row.cells[ADDRESS_LABEL] = f"{place.full_name}{rng.choice(FIRMS)}路{rng.randint(1, 300)}号"
    else:
        for name in ("province", "city", "county"):
            row.put(f"location.{name}", getattr(place, name))
    _facts(row, rng)
    return row.cells


@cache
def _forbidden() -> dict[str, Any]:
    """Field → the value some rule's violation tests it for (`== value`), from the rulebook.

    Drawn rarely (BAD_SHARE), so violations stay as rare as in real lists, and new rules on
    new fields need no change here.
    """
    forbidden: dict[str, Any] = {}
    for rule in load_rulebook().rules:
        for leaf in cond.leaves(rule.violation):
            if leaf.op == "==" and isinstance(leaf.value, bool | str):
                forbidden.setdefault(leaf.field, leaf.value)
    return forbidden


def _choices(row: _Row, rng: random.Random) -> None:
    """Every yes/no and choice field not filled yet: usually present, rarely forbidden."""
    for path, spec in row.specs.items():
        if path in row.filled or spec.required or spec.kind not in ("bool", "enum"):
            continue
        if rng.random() >= PRESENT_SHARE:
            continue
        bad = _forbidden().get(path)
        if rng.random() < BAD_SHARE and bad is not None:
            row.put(path, bad)
        elif spec.kind == "bool":
            row.put(path, (not bad) if isinstance(bad, bool) else rng.random() < 0.5)
        else:
            row.put(path, rng.choice([c for c in spec.choices if c != bad]))


def _facts(row: _Row, rng: random.Random) -> None:
    """Technical facts, fuel, capacity and yes/no facts, each present or left out at random."""
    for path, choices in NUMBER_CHOICES.items():
        if rng.random() < 0.25:
            row.put(path, rng.choice(choices))
    if rng.random() < 0.6:
        fuels, weights = zip(*FUELS, strict=True)
        row.put("fuel", list(rng.choices(fuels, weights)[0]))
    _choices(row, rng)
    if rng.random() < 0.7:
        new = rng.choice((20, 60, 100, 150, 300))
        row.put("capacity.new", new)
        row.put("capacity.unit", rng.choice(("万吨/年", "吨/年", "吨/日")))
        if rng.random() < 0.8:
            row.put("capacity.retired", rng.choice((0, new // 2, new, new * 2)))


def _broken(rng: random.Random, cells: dict[str, Any]) -> dict[str, Any]:
    header, value = rng.choice(BROKEN_CELLS)
    cells[header] = value
    return cells


def generate(rows: int, seed: int) -> Iterator[dict[str, Any]]:
    """`rows` row dicts keyed by `headers()`; the same seed always gives the same rows."""
    rng = random.Random(seed)
    for number in range(1, rows + 1):
        draw = rng.random()
        if draw < BLANK_SHARE:
            yield dict.fromkeys(headers())
            continue
        maker = _example_row if draw < EXAMPLE_SHARE else _background_row
        cells = maker(rng, number)
        if rng.random() < BROKEN_SHARE:
            cells = _broken(rng, cells)
        if rng.random() < 0.001:
            cells[REMARK] = "=cmd|' /C calc'!A0"  # must reach every output inert
        yield cells
