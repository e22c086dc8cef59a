"""Capacity units as people write them, and the conversions that are safe to make.

A capacity is only compared in a unit it can be converted to exactly; t/d to t/a would need the
plant's operating days, so it is not converted and a rule on t/a says `needs_info` instead.

Spellings are folded before lookup (吨 → t, /年 → /a, /日 and /天 → /d), so `万t`, `万吨/a`,
`t/年` and `吨/天` need no table entry of their own. A mass written without a period (`吨`, `万吨`,
`t`) is read as per year, as a Chinese capacity figure normally is ("年产 150 万吨"); the unit says
so (`period_assumed`), so that the reading is stated wherever the figure is used, never silent.

Only a whole spelling is read: a period that is not in the table (`万吨/月`, `吨/小时`) makes the
unit unknown (None), never read as its mass alone, since per month or per hour would need the
plant's operating time, and a monthly figure taken as yearly turns a violation into a pass.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Unit:
    canonical: str
    dimension: str
    factor: Decimal  # multiply by this to get the dimension's base unit
    #: the unit was written without a period (万吨) and is read as per year (万吨/年)
    period_assumed: bool = False

    @property
    def label_zh(self) -> str:
        return _LABELS_ZH.get(self.canonical, self.canonical)


_TABLE: dict[str, tuple[str, str, str]] = {
    # folded spelling (see `_key`): (canonical, dimension, factor to the dimension's base unit)
    "t/a": ("t/a", "mass_per_year", "1"),
    "万t/a": ("万t/a", "mass_per_year", "10000"),
    "亿t/a": ("亿t/a", "mass_per_year", "100000000"),
    "t/d": ("t/d", "mass_per_day", "1"),
    "万t/d": ("万t/d", "mass_per_day", "10000"),
    "ka": ("kA", "current", "1"),
    "千安": ("kA", "current", "1"),
    "万重量箱/a": ("万重量箱/年", "weight_boxes_per_year", "10000"),
    "重量箱/a": ("重量箱/年", "weight_boxes_per_year", "1"),
    "mw": ("MW", "power", "1"),
    "万kw": ("万kW", "power", "10"),
    "万千瓦": ("万kW", "power", "10"),
}
#: a mass with no period: the per-year unit it is read as
_PER_YEAR_ASSUMED = {"t": "t/a", "万t": "万t/a", "亿t": "亿t/a"}
_LABELS_ZH = {"t/a": "吨/年", "万t/a": "万吨/年", "亿t/a": "亿吨/年", "t/d": "吨/日",
              "万t/d": "万吨/日"}
#: written forms folded to one spelling, longest first so 每年 is folded before 年 could be
_FOLDS = (("／", "/"), ("每年", "/a"), ("每日", "/d"), ("每天", "/d"), ("/年", "/a"),
          ("/日", "/d"), ("/天", "/d"), ("/y", "/a"), ("吨", "t"))


def _key(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).replace(" ", "").lower()
    for written, spelling in _FOLDS:
        folded = folded.replace(written, spelling)
    return folded


def parse_unit(text: str) -> Unit | None:
    """The unit for a written unit, or None when it is not one we know (`万吨/月` included)."""
    key = _key(text)
    assumed = key in _PER_YEAR_ASSUMED
    entry = _TABLE.get(_PER_YEAR_ASSUMED.get(key, key))
    if entry is None:
        return None
    canonical, dimension, factor = entry
    return Unit(canonical, dimension, Decimal(factor), period_assumed=assumed)


def known_units() -> list[str]:
    return sorted({canonical for canonical, _, _ in _TABLE.values()})


def to_tonnes_per_year(amount: Decimal, unit: Unit) -> Decimal | None:
    """Exact conversion to t/a, or None where none is exact (another dimension)."""
    return amount * unit.factor if unit.dimension == "mass_per_year" else None
