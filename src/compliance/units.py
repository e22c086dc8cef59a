"""Capacity units as people write them, and the conversions that are safe to make.

A capacity is only compared in a unit it can be converted to exactly; t/d to t/a would need the
plant's operating days, so it is not converted and a rule on t/a says `needs_info` instead.

Spellings are folded before lookup (吨 → t, /年 → /a, /日 and /天 → /d), so `万t`, `万吨/a`,
`t/年` and `吨/天` need no table entry of their own. A mass written without a period (`吨`, `万吨`,
`t`) is read as per year, as a Chinese capacity figure normally is ("年产 150 万吨"); the unit says
so (`period_assumed`), so that the reading is stated wherever the figure is used, never silent.

Only a whole spelling is read: a period that is not a year or a day (`万吨/月`, `吨/小时`) makes
the unit unknown (None), never read as its mass alone, since per month or per hour would need the
plant's operating time, and a monthly figure taken as yearly turns a violation into a pass.

Any other product unit people write (万辆/年, 万台/年, 万m²/年, 万载重吨, 万标箱) is a valid unit of
its own: a capacity in it is compared only with a capacity in the same unit (new against retired),
and a rule that must compare tonnes says it cannot (needs_info), naming the unit it needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from compliance.folding import compact


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
    folded = compact(text).lower()
    for written, spelling in _FOLDS:
        folded = folded.replace(written, spelling)
    return folded


#: a mass, a product named after it and the period: `万吨焦炭/年`, `吨钢`; a period word is never
#: part of the product, so `万吨月` is not `万吨` of a product called 月
_MASS_OF_PRODUCT = re.compile(r"(?P<mass>亿吨|万吨|吨|亿t|万t|t)"
                              r"(?P<product>(?:(?![年月日天时周季旬班每吨])[\u4e00-\u9fff])+)"
                              r"(?P<period>[/每].*)?", re.IGNORECASE)
#: `/月`, `每小时`, `/h`: a rate written per some period (of any unit)
_PERIOD = re.compile(r"(?:/|每)(?P<period>month|mon|min|yr|hr|季度|小时|分钟|星期"
                     r"|[年ayd日天月m时h周w季旬班秒s])$", re.IGNORECASE)
#: every spelling of a period, in Chinese
_PERIOD_NAMES = {"年": "年", "a": "年", "y": "年", "yr": "年", "日": "日", "天": "日", "d": "日",
                 "月": "月", "m": "月", "mon": "月", "month": "月", "小时": "小时", "时": "小时",
                 "h": "小时", "hr": "小时", "周": "周", "星期": "周", "w": "周", "季": "季度",
                 "季度": "季度", "旬": "旬", "班": "班", "分钟": "分钟", "min": "分钟", "秒": "秒",
                 "s": "秒"}
#: the periods a capacity is compared in; any other needs the plant's operating time
CAPACITY_PERIODS = frozenset({"年", "日"})
#: a product unit: an optional multiplier and measure words or unit symbols (辆, 台, 载重吨,
#: m², kWh …), then an optional period; free text (`含置换`, `备注`) is not a unit, and a mass
#: (吨) is one only as a known mass unit or as 载重吨 (deadweight, a ship's size)
_PRODUCT = re.compile(r"(?:[万亿千百])?(?:载重吨|[辆台套件只个片双块张条箱标重量千瓦伏安时度米平方立升"
                      r"头羽瓶支根卷颗粒枚副部艘架座匹锭包袋桶罐盒册幅株棵亩公顷兆吉]"
                      r"|[a-z][a-z0-9²³]{0,7})+(?:/(?:[a-z]+|[年日天]))?", re.IGNORECASE)
_PERIOD_LABELS = (("/a", "/年"), ("/y", "/年"), ("/d", "/日"), ("/天", "/日"))


def written_period(text: str) -> str | None:
    """The period a rate is written per (`万吨/月` → `月`), in Chinese; None without one."""
    match = _PERIOD.search(compact(text))
    return _PERIOD_NAMES[match["period"].lower()] if match else None


def parse_unit(text: str) -> Unit | None:
    """The unit for a written unit, or None when it cannot be used: a rate per month or hour
    (`万吨/月`), or text that is not a unit. A mass of a named product (`万吨焦炭/年`) is that
    mass; any other product unit (`万辆/年`) is a unit of its own."""
    folded = compact(text)
    known = _known(folded)
    if known is not None:
        return known
    product = _MASS_OF_PRODUCT.fullmatch(folded)
    if product is not None:
        return _known(product["mass"] + (product["period"] or ""))
    period = written_period(folded)
    if (period is not None and period not in CAPACITY_PERIODS) or not _PRODUCT.fullmatch(folded):
        return None
    shown = folded
    for written, label in _PERIOD_LABELS:
        shown = shown.removesuffix(written) + label if shown.endswith(written) else shown
    return Unit(shown, f"product:{_key(shown)}", Decimal(1))


def _known(folded: str) -> Unit | None:
    key = _key(folded)
    assumed = key in _PER_YEAR_ASSUMED
    entry = _TABLE.get(_PER_YEAR_ASSUMED.get(key, key))
    if entry is None:
        return None
    canonical, dimension, factor = entry
    return Unit(canonical, dimension, Decimal(factor), period_assumed=assumed)


def unit_problem(text: str) -> str:
    """Why a written capacity unit cannot be used, in Chinese."""
    period = written_period(text)
    if period is not None and period not in CAPACITY_PERIODS:
        return (f"产能单位「{text}」按{period}计，年运行时间未知，无法换算为年产能"
                "（请按 万吨/年、吨/年 或 吨/日 填写，或写明年运行时间后换算）")
    return f"无法识别的产能单位「{text}」（如 万吨/年、吨/日、万辆/年、万m²/年）"


def known_units() -> list[str]:
    return sorted({canonical for canonical, _, _ in _TABLE.values()})


def to_tonnes_per_year(amount: Decimal, unit: Unit) -> Decimal | None:
    """Exact conversion to t/a, or None where none is exact (another dimension)."""
    return amount * unit.factor if unit.dimension == "mass_per_year" else None
