"""Reading the cells people really write into typed form values.

Screening lists are typed by hand or exported from provincial systems: `6.0米`, `150万吨/年`,
`√`, `2019年9月1日`, full-width digits. Each parser here accepts those spellings and refuses
everything else with a Chinese message (without the column name: `rows` adds it), because a
guessed value could turn a violation into a pass. Words that mean "unknown" (`不详`, `/`) read
as blank, so the rule asks for the fact instead of judging on a guess.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from compliance.choices import enum_aliases, normalise_label
from compliance.folding import trimmed
from compliance.form import LabelledEnum
from compliance.memo import remembered as texts_remembered
from compliance.units import parse_unit, unit_problem, written_period

#: distinct cell texts remembered per parser: lists repeat a few spellings a lot, and a bound
#: keeps a worker's memory flat over a million rows of unique values
CACHED_CELLS = 4096
#: longer cell texts are parsed each time, not remembered
CACHED_CHARS = 64
#: characters of a cell an error message quotes
SHOWN_CHARS = 40


class CellError(ValueError):
    """A cell that cannot be read as its column's type; `str()` is the Chinese reason."""


#: cells that mean "no data": read as blank, so a rule reports needs_info rather than judging
UNKNOWN_WORDS = frozenset({
    "-", "--", "—", "——", "/", "\\", "n/a", "na", "null", "none", "nan", "#n/a", "未知", "不详",
    "不清楚", "待定", "暂无", "空", "未填", "未填写", "无数据",
})
TRUE_WORDS = frozenset({
    "是", "√", "✓", "✔", "☑", "有", "true", "t", "yes", "y", "1", "对", "涉及", "是的", "已",
})
FALSE_WORDS = frozenset({
    "否", "×", "✗", "✘", "☒", "x", "无", "没有", "false", "f", "no", "n", "0", "不", "不涉及",
    "不是", "未", "非",
})
#: verbs an approval column is filled with: 已批复 is yes, 未批复 is no
_DONE_VERBS = frozenset({"批复", "取得", "通过", "完成", "落实", "公告", "审查", "办理", "备案",
                         "审批", "开展", "批准", "核准"})
_NUMBER = re.compile(
    r"(?P<lead>年产能|年产|产能|规模)?"
    r"(?P<num>[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)"
    r"(?P<unit>(?![\d.]).*)")
#: a number of 10^100 or more is no capacity, height or distance (and `1e999999千米` in a metre
#: column overflowed Decimal arithmetic: found by tests/fuzz/test_fuzz_batch.py)
MAX_EXPONENT = 99
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}(?!\d))")
_DATE = re.compile(
    r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?"
    r"(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")  # an exported datetime's time is ignored
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_SERIAL = re.compile(r"\d{5}(?:\.0+)?")
_LIST_SEPARATORS = re.compile(r"[、,，;；/|\n]+|\s+")
#: units of length a metre or kilometre column may be written in, in metres
_LENGTHS = {"m": Decimal(1), "米": Decimal(1), "mm": Decimal("0.001"), "毫米": Decimal("0.001"),
            "cm": Decimal("0.01"), "厘米": Decimal("0.01"), "km": Decimal(1000),
            "公里": Decimal(1000), "千米": Decimal(1000)}
#: spellings of project types that are not a label but are common in provincial exports;
#: 改扩建 counts as an expansion, the reading under which capacity rules apply
@dataclass(frozen=True)
class Quantity:
    """A number as written, with the unit written after it (None when bare)."""

    amount: Decimal
    unit: str | None


def shown(text: str) -> str:
    """A cell's text as a message quotes it: whole, or its start and its length (a message
    must not carry a 1 MB cell into every output again)."""
    if len(text) <= SHOWN_CHARS:
        return text
    return f"{text[:SHOWN_CHARS]}…（共 {len(text):,} 字）"


def fold(value: Any) -> str:
    """A cell as text for matching: NFKC (full-width digits and letters), no outer whitespace."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        value = value.isoformat()
    return trimmed(str(value))


#: a parser of a cell's text, remembered for texts up to CACHED_CHARS (`memo`). Each parser
#: folds the text itself, so a repeated cell is not even folded
remembered = texts_remembered(CACHED_CHARS, CACHED_CELLS)


def _text_of(value: Any) -> str:
    """The key a parser remembers a cell by: its text as given, or as folded for a non-text."""
    return value if type(value) is str else fold(value)


def is_blank(value: Any) -> bool:
    """Empty, whitespace, or a word that means "unknown"."""
    if value is None or value == "":
        return True
    return _blank_text(_text_of(value))


@remembered
def _blank_text(text: str) -> bool:
    text = fold(text)
    return not text or text.lower() in UNKNOWN_WORDS


def parse_text(value: Any) -> str:
    """Text as written, trimmed (a project's name is not normalised: it is quoted back as
    given); an admin code typed as a number (410506.0) reads as `410506`."""
    if isinstance(value, str):
        return value.strip()
    return fold(value)


@remembered
def _bool_from_text(text: str) -> bool:
    text = fold(text)
    key = text.lower().rstrip("。.")
    if key in TRUE_WORDS:
        return True
    if key in FALSE_WORDS:
        return False
    if key[:1] in ("已", "未") and key[1:] in _DONE_VERBS:
        return key[0] == "已"
    raise CellError(f"无法识别的是/否「{shown(text)}」（可填：是、否、√、×、有、无）")


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return _bool_from_text(_text_of(value))


def _date_from_serial(serial: float) -> dt.date:
    if not 1 <= serial < 2958466:  # before float(): a huge int cell does not fit a float
        raise CellError(f"无效的日期序号「{shown(fold(serial))}」")
    # imported here: openpyxl takes ~60 ms to import, which every worker process would pay
    # for lists that hold no Excel date serial at all
    from openpyxl.utils.datetime import from_excel

    return from_excel(float(serial)).date()


def _date(year: str, month: str, day: str, text: str) -> dt.date:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        raise CellError(f"不存在的日期「{shown(text)}」") from None


@remembered
def _date_from_text(text: str) -> dt.date:
    text = fold(text)
    for pattern in (_DATE, _COMPACT_DATE):
        match = pattern.fullmatch(text.lower())
        if match:
            return _date(*match.groups(), text)
    if _SERIAL.fullmatch(text):
        return _date_from_serial(float(text))
    raise CellError(f"无法识别的日期「{shown(text)}」（可填：2019-09-01、2019/9/1、2019年9月1日）")


def parse_date(value: Any) -> dt.date:
    """A date from a date cell, an Excel serial number or the spellings officers use."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _date_from_serial(value)
    return _date_from_text(_text_of(value))


@remembered
def _quantity_from_text(text: str) -> Quantity:
    text = fold(text)
    compact = _THOUSANDS.sub("", text).replace(" ", "")
    match = _NUMBER.fullmatch(compact.lower())
    if match is None:
        raise CellError(f"无法识别的数值「{shown(text)}」")
    try:
        amount = Decimal(match["num"])
    except InvalidOperation:
        raise CellError(f"无法识别的数值「{shown(text)}」") from None
    if amount.adjusted() > MAX_EXPONENT:  # converting its unit would overflow the context
        raise CellError(f"数值过大「{shown(text)}」")
    unit = compact[match.start("unit"):] or None
    if unit and match["lead"] and written_period(unit) is None:
        unit += "/年"  # 年产150万吨 is 150 万吨/年; 规模10万吨/月 keeps its month (and is refused)
    return Quantity(amount, unit)


def parse_quantity(value: Any) -> Quantity:
    """A number and the unit written after it: `6.0米`, `150万吨/年`, `1,200`, `85%`."""
    if isinstance(value, bool):
        raise CellError(f"须为数值，收到「{shown(fold(value))}」")
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise CellError(f"须为有限数值，收到「{value}」")
        if abs(value) >= 10 ** (MAX_EXPONENT + 1):
            raise CellError(f"数值过大「{shown(fold(value))}」")
        return Quantity(Decimal(str(value)), None)
    return _quantity_from_text(_text_of(value))


def in_unit(quantity: Quantity, unit: str | None, default_unit: str | None = None) -> Decimal:
    """The amount in the column's unit: `4300mm` in a metre column is 4.3; a foreign unit errs.

    `default_unit` is the unit a header names (`焦炉炭化室高度（毫米）`) for bare numbers.
    """
    written = quantity.unit or default_unit
    if written == "%" and unit is None:
        return quantity.amount / 100
    if written is None or unit is None:
        if written is not None:
            raise CellError(f"本栏不带单位，收到「{shown(written)}」")
        return quantity.amount
    factor = unit_factor(written, unit)
    if factor is None:
        raise CellError(f"单位「{shown(written)}」与本栏单位「{unit}」不符")
    return quantity.amount * factor


def unit_factor(written: str, unit: str) -> Decimal | None:
    """How many `unit` one `written` is, when they measure the same thing."""
    key = written.lower()
    if unit in _LENGTHS and key in _LENGTHS:
        return _LENGTHS[key] / _LENGTHS[unit]
    mine, theirs = parse_unit(written), parse_unit(unit)
    if mine is None or theirs is None or mine.dimension != theirs.dimension:
        return None
    return mine.factor / theirs.factor


def parse_enum(enum: type[LabelledEnum], value: Any) -> str:
    """An enum value from its value, its Chinese or English label, or a common short form."""
    text = fold(value)
    found = enum_aliases(enum).get(normalise_label(text))
    if found is None:
        choices = "、".join(enum.label_zh(member.value) for member in enum)
        raise CellError(f"无法识别的选项「{shown(text)}」（可填：{choices}）")
    return found


def split_list(value: Any) -> list[str]:
    """Items of a list cell: `煤、天然气`, `C2521,C2522`, one per line."""
    return [item for item in _LIST_SEPARATORS.split(fold(value)) if item]


_INDUSTRY_CODE = re.compile(r"(?<![0-9a-z])[a-t]?\d{2,4}(?![0-9])", re.IGNORECASE)
_NAME_SEPARATORS = re.compile(r"[;；|\n]+")


def parse_industries(value: Any) -> list[str]:
    """Industry codes, or names: `C2521、C2522`, `C2672 焰火、鞭炮产品制造` (code and name in
    one cell: the code counts), `炼焦`. Names are split only at `；`, `|` or a line break,
    because official names contain `、` and `，`."""
    text = fold(value)
    codes = _INDUSTRY_CODE.findall(text)
    if codes:
        return [code.upper() for code in codes]
    return [item.strip() for item in _NAME_SEPARATORS.split(text) if item.strip()]


def unknown_capacity_unit(written: str) -> CellError:
    """Why a capacity unit cannot be used: a period that cannot be converted says so."""
    return CellError(unit_problem(shown(written)))
