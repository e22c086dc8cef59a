"""Capacities in a description: the amount, its unit, its product, and which side it is on.

`年产焦炭200万吨`, `200万吨/年焦炭`, `70万t/a`, `×10⁴t/a` (normalised to 万), `1.5万吨` (read per
year, and said so): an amount on the build side is `capacity.new`, one after 淘汰 / 拆除 / 置换 …
is `capacity.retired`. Amounts that are money, coal use, savings, emissions or land are never
capacity. Product units other than mass (万辆/年, 万台/年, 万m2/年) are read as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from compliance.extract.clauses import is_not_capacity, side
from compliance.extract.text import normalise

_NUMBER = r"(?P<num>\d+(?:\.\d+)?)"
_PRODUCT = r"[\u4e00-\u9fff]{1,6}?"
#: 年产焦炭200万吨, 年产200万吨焦炭, 年产能200万吨
_YEARLY = re.compile(r"(?:年产(?:能|量)?|年生产能力|年设计产能|年加工)(?:为|达|约)?(?P<p1>" + _PRODUCT
                     + r")?" + _NUMBER + r"(?P<mult>万|亿)?(?P<mass>吨|t)(?!/|标|[a-z])"
                     r"(?P<p2>[\u4e00-\u9fff]{0,4})")
#: 200万吨/年焦炭, 70万t/a, 200万吨焦炭/年
_PER_YEAR = re.compile(_NUMBER + r"(?P<mult>万|亿)?(?P<mass>吨|t)(?P<p1>[\u4e00-\u9fff]{0,4}?)"
                       r"/(?:年|a)(?P<p2>[\u4e00-\u9fff]{0,4})")
#: 规模200万吨, 产能1.5万吨 (no period written: read per year, and said so)
_NO_PERIOD = re.compile(r"(?:产能|规模|生产能力)(?:为|达|约|达到)?" + _NUMBER
                        + r"(?P<mult>万|亿)?(?P<mass>吨|t)(?![/a-z标])(?P<p2>[\u4e00-\u9fff]{0,4})")
#: 20万辆/年, 50万台/年, 100万m2/年, 30万载重吨: product units as written
_PRODUCT_UNIT = re.compile(_NUMBER + r"(?P<unit>(?:万|亿)?(?:辆|台|套|件|载重吨|标箱|重量箱|m2|平方米|"
                           r"m3|立方米|千瓦|kW|MW)(?:/(?:年|a))?)(?P<p2>[\u4e00-\u9fff]{0,6})")
_CAPACITY_WORDS = re.compile(r"年产|产能|规模|生产能力")
_COUNT_BEFORE = re.compile(r"\d+(?:套|台|座|条|组)$")
_EQUIPMENT_AFTER = re.compile(r"^[\u4e00-\u9fff]{0,4}?(?:高炉|转炉|电炉|炉|窑|罐|池|槽|仓|库|机组|锅炉)")
_MAIN_PRODUCTS = ("焦炭", "冶金焦", "焦化", "兰炭", "半焦", "钢", "粗钢", "铁", "生铁", "钢材",
                  "熟料", "水泥", "玻璃", "平板玻璃", "电解铝", "原铝", "铝", "合成氨", "甲醇",
                  "尿素", "炭素", "阳极", "铸件", "铸造", "纸", "纸浆")
_NOT_PRODUCTS = re.compile(r"^(?:的|左右|以上|以下|规模|产能|项目|生产线|能力|及|和|、)")


@dataclass(frozen=True)
class CapacityReading:
    side: str  # build / retire
    amount: Decimal
    unit: str
    product: str
    start: int
    end: int
    rule: str
    period_assumed: bool = False

    @property
    def tonnes_per_year(self) -> Decimal | None:
        factor = {"t/a": 1, "万t/a": 10_000, "亿t/a": 100_000_000}.get(self.unit)
        return self.amount * factor if factor else None


_AMOUNT = r"(?P<{n}>\d+(?:\.\d+)?)(?P<{n}m>万|亿)?(?:吨|t)(?:/(?:年|a))?"
#: 产能由60万吨/年提升至100万吨/年: the plant before, and the increment the project builds
_FROM_TO = re.compile(r"由" + _AMOUNT.format(n="a") + r"(?:提升|提高|扩大|增加|扩建|扩至|增至)"
                      r"(?:到|至|为)?" + _AMOUNT.format(n="b"))
_MULTIPLIERS = {"": Decimal(1), "万": Decimal(10_000), "亿": Decimal(100_000_000)}


def _growth(text: str) -> Iterator[CapacityReading]:
    for match in _FROM_TO.finditer(text):
        unit_a, unit_b = match["am"] or "", match["bm"] or ""
        before = Decimal(match["a"]) * _MULTIPLIERS[unit_a] / _MULTIPLIERS[unit_b]
        after = Decimal(match["b"])
        if after <= before:
            continue
        unit = {"万": "万t/a", "亿": "亿t/a"}.get(unit_b, "t/a")
        yield CapacityReading("existing", before, unit, "", match.start(), match.end(),
                              "产能由X提升至Y（X为现有产能）")
        yield CapacityReading("build", after - before, unit, "", match.start(), match.end(),
                              "产能由X提升至Y（新增为Y−X）")


def capacities(text: str) -> Iterator[CapacityReading]:
    seen: set[tuple[int, int]] = set()
    for reading in _growth(text):
        seen.add((reading.start, reading.end))
        yield reading
    for pattern, rule, assumed in ((_YEARLY, "年产X吨", False), (_PER_YEAR, "X吨/年", False),
                                   (_NO_PERIOD, "产能X吨（未写时段）", True)):
        for match in pattern.finditer(text):
            span = (match.start("num"), match.end("mass"))
            if any(a <= span[0] < b for a, b in seen) or is_not_capacity(text, *span):
                continue
            seen.add((match.start(), match.end()))
            if _COUNT_BEFORE.search(text[:match.start("num")]):
                continue  # 2套30万吨/年: the amount of each unit, not the project's capacity
            unit = {"万": "万t/a", "亿": "亿t/a"}.get(match["mult"] or "", "t/a")
            yield CapacityReading(side(text, match.start("num")), Decimal(match["num"]), unit,
                                  _product(match) or _product_before(text, match.start("num")),
                                  match.start(), match.end(), rule, assumed)
    for match in _PRODUCT_UNIT.finditer(text):
        span = (match.start("num"), match.end("unit"))
        if any(a <= span[0] < b for a, b in seen) or is_not_capacity(text, *span):
            continue
        if _COUNT_BEFORE.search(text[:match.start("num")]) or _EQUIPMENT_AFTER.match(
                text[match.end("unit"):]):
            continue  # 1座2000立方米高炉: the size of a furnace, not a capacity
        unit = match["unit"].replace("/a", "/年")
        if "/" not in unit:
            if not _CAPACITY_WORDS.search(text[max(0, match.start() - 12):match.start()]):
                continue  # 水泥磨2台, 焦炉4座: counts of machines, not a capacity
            if re.search(r"年产(?:能)?[\u4e00-\u9fff]{0,6}$", text[:match.start()]):
                unit += "/年"  # 年产20万辆 is 20 万辆/年
        yield CapacityReading(side(text, match.start("num")), Decimal(match["num"]), unit,
                              _product(match), match.start(), match.end(), "X辆/年等产品单位")


#: 月产焦炭10万吨, 5吨/小时: rates per month or hour, a capacity only with the operating time
_PER_MONTH = re.compile(r"月产(?:能|量)?(?P<p1>" + _PRODUCT + r")?" + _NUMBER
                        + r"(?P<mult>万)?(?P<mass>吨|t)(?![/a-z标])")
_PER_HOUR = re.compile(_NUMBER + r"(?P<mult>万)?(?P<mass>吨|t)/(?:小时|h)")
_MONTHS = re.compile(r"年(?:运行|生产|工作|开工)(?:时间|时数)?(?:为|按)?(?P<n>\d+)个?月")
_HOURS = re.compile(r"年(?:运行|生产|工作|开工)(?:时间|时数)?(?:为|按)?(?P<n>\d+)(?:小时|h)")


def operating_time(text: str) -> dict[str, tuple[Decimal, str]]:
    """The yearly operating time a text gives, per period: {"月": (12, "年运行12个月")}."""
    found: dict[str, tuple[Decimal, str]] = {}
    normal = normalise(text).text
    for period, pattern in (("月", _MONTHS), ("小时", _HOURS)):
        match = pattern.search(normal)
        if match:
            found[period] = (Decimal(match["n"]), match.group(0))
    return found


def rates(text: str) -> Iterator[CapacityReading]:
    """A rate per month or hour times the operating time the text gives (月产10万吨，年运行12个
    月 is 120 万t/a): exact, and said so; without the operating time, nothing."""
    for pattern, time, rule in ((_PER_MONTH, _MONTHS, "月产×年运行月数"),
                                (_PER_HOUR, _HOURS, "小时产量×年运行小时数")):
        operating = time.search(text)
        if operating is None:
            continue
        for match in pattern.finditer(text):
            if is_not_capacity(text, match.start("num"), match.end("mass")):
                continue
            unit = "万t/a" if match["mult"] else "t/a"
            yield CapacityReading(side(text, match.start("num")),
                                  Decimal(match["num"]) * Decimal(operating["n"]), unit,
                                  _product(match), match.start(), match.end(),
                                  f"{rule}（{operating.group(0)}）")


def _product_before(text: str, start: int) -> str:
    """`焦炭70万t/a`: the product written just before the amount."""
    before = text[max(0, start - 4):start]
    return next((product for product in sorted(_MAIN_PRODUCTS, key=len, reverse=True)
                 if before.endswith(product)), "")


def _product(match: re.Match[str]) -> str:
    for name in ("p1", "p2"):
        written = (match.groupdict().get(name) or "").strip()
        if written and not _NOT_PRODUCTS.match(written):
            for product in sorted(_MAIN_PRODUCTS, key=len, reverse=True):
                if written.startswith(product) or written.endswith(product):
                    return product
            return written
    return ""


def is_main_product(product: str, products: tuple[str, ...]) -> bool:
    """Whether a capacity's product is one the project's industry is measured in."""
    return any(product == wanted or product.endswith(wanted) for wanted in products)
