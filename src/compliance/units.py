"""Capacity units as people write them, and the conversions that are safe to make.

A capacity is only compared in a unit it can be converted to exactly; t/d to t/a would need the
plant's operating days, so it is not converted and a rule on t/a says `needs_info` instead.
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

    @property
    def label_zh(self) -> str:
        return _LABELS_ZH.get(self.canonical, self.canonical)


_TABLE: dict[str, tuple[str, str, str]] = {
    # alias: (canonical, dimension, factor to the dimension's base unit)
    "t/a": ("t/a", "mass_per_year", "1"),
    "吨/年": ("t/a", "mass_per_year", "1"),
    "吨": ("t/a", "mass_per_year", "1"),
    "万t/a": ("万t/a", "mass_per_year", "10000"),
    "万吨/年": ("万t/a", "mass_per_year", "10000"),
    "万吨": ("万t/a", "mass_per_year", "10000"),
    "亿t/a": ("亿t/a", "mass_per_year", "100000000"),
    "亿吨/年": ("亿t/a", "mass_per_year", "100000000"),
    "t/d": ("t/d", "mass_per_day", "1"),
    "吨/日": ("t/d", "mass_per_day", "1"),
    "吨/天": ("t/d", "mass_per_day", "1"),
    "ka": ("kA", "current", "1"),
    "千安": ("kA", "current", "1"),
    "万重量箱/年": ("万重量箱/年", "weight_boxes_per_year", "10000"),
    "重量箱/年": ("重量箱/年", "weight_boxes_per_year", "1"),
    "mw": ("MW", "power", "1"),
    "万kw": ("万kW", "power", "10"),
    "万千瓦": ("万kW", "power", "10"),
}
_LABELS_ZH = {"t/a": "吨/年", "万t/a": "万吨/年", "亿t/a": "亿吨/年", "t/d": "吨/日"}


def _key(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).replace(" ", "").lower()
    return folded.replace("／", "/").replace("每年", "/年").replace("/y", "/a")


def parse_unit(text: str) -> Unit | None:
    """The unit for a written unit, or None when it is not one we know."""
    entry = _TABLE.get(_key(text))
    if entry is None:
        return None
    canonical, dimension, factor = entry
    return Unit(canonical, dimension, Decimal(factor))


def known_units() -> list[str]:
    return sorted({canonical for canonical, _, _ in _TABLE.values()})


def to_tonnes_per_year(amount: Decimal, unit: Unit) -> Decimal | None:
    """Exact conversion to t/a, or None where none is exact (another dimension)."""
    return amount * unit.factor if unit.dimension == "mass_per_year" else None
