"""Facts a list states only in its free-text description column (建设规模及内容).

The description fills only what the structured cells leave empty: a cell is what its author
entered for that field, the text is what the checker read. A reading that is used, and a text
that disagrees with a cell, are both recorded in the form's `readings`, so every result that
rests on them says so (`从「建设规模及内容」读出：焦炉炭化室高度 7.1（「4座7.1米顶装焦炉」）`).
Capacity is one fact of three fields (new, retired, unit): the text fills it only when no cell
gave any of them, so that amounts are never mixed across units.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from compliance.explain import form_value_text, label
from compliance.extract import Extraction, Reading, extract
from compliance.extract.capacity import operating_time
from compliance.folding import compact
from compliance.formdict import flatten, get_path, set_path
from compliance.reference import ReferenceLookupError, resolve_industry
from compliance.units import Unit, parse_unit, to_tonnes_per_year, written_period

#: a description longer than this is not read (a notice's 建设内容 is a few hundred characters)
MAX_DESCRIPTION_CHARS = 5_000
CAPACITY_FIELDS = ("capacity.new", "capacity.retired", "capacity.unit")
_PERIOD_SUFFIX = re.compile(r"(?:/|每)(?:月|小时|时|h|month|mon)$", re.IGNORECASE)


def fill_from_description(form: dict[str, Any], header: str, text: str) -> None:
    """Add to `form` the facts `text` states and the cells left empty; record every reading."""
    if len(text) > MAX_DESCRIPTION_CHARS:
        return
    extraction = extract(text)
    readings: dict[str, str] = form.setdefault("readings", {})
    capacity_given = any(get_path(form, path) is not None for path in CAPACITY_FIELDS)
    for path, value in flatten(extraction.form).items():
        given = get_path(form, path)
        if path in CAPACITY_FIELDS and capacity_given:
            if path != "capacity.unit" and given is not None and not _same_capacity(
                    (given, get_path(form, "capacity.unit")),
                    (value, get_path(extraction.form, "capacity.unit"))):
                readings[path] = _disagreement(header, path, value, given, extraction)
            continue
        if given is None:
            set_path(form, path, value)
            readings[path] = _used(header, path, value, extraction)
        elif not _same(given, value):
            readings[path] = _disagreement(header, path, value, given, extraction)
    if not readings:
        del form["readings"]


def _used(header: str, path: str, value: Any, extraction: Extraction) -> str:
    quotes = "、".join(f"「{reading.text}」" for reading in _readings_of(extraction, path))
    return f"从「{header}」读出：{label(path, 'zh')} {form_value_text(path, value)}（{quotes}）"


def _disagreement(header: str, path: str, value: Any, given: Any,
                  extraction: Extraction) -> str:
    quotes = "、".join(f"「{reading.text}」" for reading in _readings_of(extraction, path))
    written, cell = form_value_text(path, value), form_value_text(path, given)
    return f"「{header}」写为 {written}（{quotes}），与表格栏的 {cell} 不一致，按表格栏审查，请核对"


def _readings_of(extraction: Extraction, path: str) -> list[Reading]:
    return [reading for reading in extraction.readings if reading.field == path][:3]


def _same(given: Any, value: Any) -> bool:
    if isinstance(given, list) or isinstance(value, list):
        given_codes, found_codes = _industries(given), _industries(value)
        if given_codes is not None and found_codes is not None:
            return bool(given_codes & found_codes)
        return set(map(str, given if isinstance(given, list) else [given])) == set(
            map(str, value if isinstance(value, list) else [value]))
    if isinstance(given, int | float) and isinstance(value, int | float):
        return float(given) == float(value)
    return given == value


def _same_capacity(given: tuple[Any, Any], found: tuple[Any, Any]) -> bool:
    """Amounts in their units: 100 万t/a is 1,000,000 t/a; amounts that cannot be compared in
    tonnes are the same only as written in one unit."""
    amounts = []
    for amount, unit in (given, found):
        parsed = parse_unit(unit) if isinstance(unit, str) else None
        tonnes = to_tonnes_per_year(Decimal(str(amount)), parsed) if parsed else None
        amounts.append(tonnes if tonnes is not None else (amount, unit))
    return amounts[0] == amounts[1]


def _industries(value: Any) -> set[str] | None:
    """The classes or keys industry values name (水泥制造 and C3011 are one), or None."""
    try:
        return {(found.code or found.name) for found in map(resolve_industry, value if isinstance(
            value, list) else [value])}
    except (ReferenceLookupError, TypeError, ValueError):
        return None


class OperatingRates:
    """A capacity cell per month or hour (`10万吨/月`) made yearly with the operating time the
    description gives (`年运行12个月`); without it the cell stays the row's error."""

    def __init__(self, description: str) -> None:
        self.times = operating_time(description) if description else {}
        self.multiplier = Decimal(1)
        self.used: tuple[str, str] | None = None

    def yearly(self, written: str) -> Unit | None:
        period = written_period(written)
        if period not in self.times:
            return None
        mass = _PERIOD_SUFFIX.sub("", compact(written))
        unit = parse_unit(f"{mass}/年")
        if unit is None or unit.dimension != "mass_per_year":
            return None
        self.multiplier, quote = self.times[period]
        self.used = (written, quote)
        return unit

    def reading(self, header: str) -> str:
        written, quote = self.used or ("", "")
        return f"「{header}」按{written}填写，按建设内容所写“{quote}”折算为年产能"
