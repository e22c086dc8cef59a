"""One row of a list → one project form, or that row's error in words the officer can act on.

Every problem of a row is reported at once and names the column as the list spells it
(`第 7 行「焦炉炭化室高度」：无法识别的数值「四米三」`), whether a cell cannot be read here or
the checker refuses a value later (`rows` maps the checker's field paths back to columns).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from compliance.batch import cells
from compliance.batch.columncells import BLANK, ColumnReader
from compliance.batch.columns import (
    ADDRESS,
    CAPACITY_AMOUNTS,
    DESCRIPTION,
    Column,
    ColumnMap,
    input_fields,
)
from compliance.batch.described import OperatingRates, fill_from_description
from compliance.errors import InputError
from compliance.fields import FieldSpec
from compliance.form import Fuel
from compliance.formdict import set_in, set_path
from compliance.reference import ReferenceLookupError, parse_address
from compliance.units import Unit, parse_unit

#: a problem of a row: (the column it is about, the Chinese reason)
Problem = tuple[str, str]

_LOCATION_NAMES = ("province", "city", "county")
#: an address longer than this is not an address (and would be slow to search for places)
MAX_ADDRESS_CHARS = 200
#: a place or industry name longer than this is not one (the longest official names have 21
#: characters): refused before the checker's "did you mean" search, whose time grows with the
#: square of the text (a 300-character industry cell took 8 s, a 1 MB one never finished)
MAX_NAME_CHARS = 40
#: the fields whose text is looked up among names (and searched for a suggestion when unknown)
_NAME_FIELDS = frozenset({"location.province", "location.city", "location.county",
                          "location.admin_code"})
_PATH_PREFIX = re.compile(r"^[a-z_]+(?:\.[a-z_]+)*(?:\[\d+\])?: ")


class RowError(ValueError):
    """Cells of a row that cannot be read: every problem, and the form of the cells that could.

    The partial form lets the checker add its own objections (an unknown city) to the same
    message, and lets the summary count the row under its city.
    """

    def __init__(self, problems: list[Problem], partial: dict[str, Any]) -> None:
        super().__init__("；".join(f"{header}：{reason}" for header, reason in problems))
        self.problems = problems
        self.partial = partial


def blank_row_message(number: int) -> str:
    return f"第 {number} 行：空行（没有任何内容）"


def row_message(number: int, problems: Sequence[Problem]) -> str:
    """`第 7 行「A」：reason；「B」：reason` — every problem of the row, in column order."""
    parts = [f"「{cells.shown(header)}」：{reason}" if header else reason
             for header, reason in problems]
    return f"第 {number} 行" + "；".join(parts)


class RowParser:
    """Turns the cells of one row into a form dict for `Checker.check` (built once per list)."""

    def __init__(self, columns: ColumnMap) -> None:
        self.columns = columns
        self.fields = input_fields()
        #: the plain fields (read cell by cell): where each goes in the form and the columns
        #: that may fill it, best first, each with its reader, worked out once per list
        self.plain = [(_parents(path), path.rpartition(".")[2],
                       tuple((column, self._reader(self.fields[path], column))
                             for column in targets))
                      for path, targets in columns.targets.items()
                      if path not in (ADDRESS, DESCRIPTION, "capacity.unit", *CAPACITY_AMOUNTS)]

    def form(self, row: Sequence[Any]) -> dict[str, Any]:
        """The form of a row; raises RowError listing every cell that cannot be read."""
        form: dict[str, Any] = {}
        problems: list[Problem] = []
        if _any_undecodable(row):
            problems = self._undecodable(row)
            # read the rest of the row without them, so each is reported once
            row = [None if _undecodable(value) else value for value in row]
        width = len(row)
        for parents, leaf, readers in self.plain:
            for column, reader in readers:
                cell = row[column.index] if column.index < width else None
                if cell == "":  # (a quarter of a list's cells: no call)
                    continue
                try:
                    value = reader(cell)
                except cells.CellError as error:
                    problems.append((column.header, str(error)))
                    break
                if value is not BLANK:
                    set_in(form, parents, leaf, value)
                    break
        problems += self._capacity(form, row)
        problems += self._address(form, row)
        problems += self._overflow(row)
        self._description(form, row)
        if problems:
            raise RowError(problems, form)
        return form

    def _undecodable(self, row: Sequence[Any]) -> list[Problem]:
        """Cells holding bytes the file's encoding could not decode (U+FFFD, see `textfiles`),
        in any column, the unchecked ones included: the row is not what its author wrote."""
        headers = self.columns.headers
        problems = []
        for index, value in enumerate(row):
            if _undecodable(value):
                header = headers[index] if index < len(headers) else ""
                where = "" if header else f"第 {index + 1} 列"
                problems.append((header, f"{where}含无法解码的字符（文件编码有误？请另存为 UTF-8 或 GBK）"))
        return problems

    def _overflow(self, row: Sequence[Any]) -> list[Problem]:
        """Cells beyond the last header: in a CSV, an unquoted comma that shifted the row."""
        extra = [value for value in row[len(self.columns.columns):] if not cells.is_blank(value)]
        if not extra:
            return []
        first = cells.shown(cells.fold(extra[0]))
        return [("", f"单元格数多于表头列数（多出「{first}」等 {len(extra)} 个），"
                     "可能某单元格含未加引号的逗号")]

    def _column_order(self, problem: Problem) -> int:
        headers = self.columns.headers
        return headers.index(problem[0]) if problem[0] in headers else len(headers)

    @staticmethod
    def _first_value(columns: Sequence[Column], row: Sequence[Any]) -> tuple[Column | None, Any]:
        """The best-ranked column of a field that has a value in this row."""
        for column in columns:
            value = row[column.index] if column.index < len(row) else None
            if not cells.is_blank(value):
                return column, value
        return None, None

    @classmethod
    def _reader(cls, spec: FieldSpec, column: Column) -> ColumnReader:
        return ColumnReader(lambda value: cls._read(spec, column, value))

    @staticmethod
    def _read(spec: FieldSpec, column: Column, value: Any) -> Any:
        if spec.kind == "number":
            return float(cells.in_unit(cells.parse_quantity(value), spec.unit, column.unit))
        if spec.kind == "bool":
            return cells.parse_bool(value)
        if spec.kind == "enum" and spec.enum is not None:
            return cells.parse_enum(spec.enum, value)
        if spec.kind == "date":
            return cells.parse_date(value)
        if spec.path == "industry":
            industries = cells.parse_industries(value)
            for name in industries:
                _short_name(name, spec)
            return industries
        if spec.path in _NAME_FIELDS:
            return _short_name(cells.parse_text(value), spec)
        if spec.path == "fuel":
            return [cells.parse_enum(Fuel, item) for item in cells.split_list(value)]
        return cells.parse_text(value)

    def _capacity(self, form: dict[str, Any], row: Sequence[Any]) -> list[Problem]:
        """Capacity amounts in one unit: the unit column's, else the first one written.

        A unit inside a cell (`150万吨/年`) or in the header fills `capacity.unit`; amounts in
        another unit of the same kind are converted exactly, any other unit is an error.
        """
        problems: list[Problem] = []
        rates = OperatingRates(self._description_text(row))
        column, text = self._first_value(self.columns.targets.get("capacity.unit", ()), row)
        chosen = None
        if column is not None:
            written = cells.parse_text(text)
            chosen = parse_unit(written) or rates.yearly(written)
            if chosen is None:
                problems.append((column.header, str(cells.unknown_capacity_unit(written))))
            else:
                set_path(form, "capacity.unit", chosen.canonical if rates.used else written)
        for path in CAPACITY_AMOUNTS:
            amount_column, value = self._first_value(self.columns.targets.get(path, ()), row)
            if amount_column is None:
                continue
            try:
                amount, chosen = self._amount(amount_column, value, chosen, column, rates)
            except cells.CellError as error:
                problems.append((amount_column.header, str(error)))
                continue
            set_path(form, path, float(amount))
            if column is None and chosen is not None:
                set_path(form, "capacity.unit", chosen.canonical)
            if rates.used:
                form.setdefault("readings", {})[path] = rates.reading(amount_column.header)
        return problems

    def _description_text(self, row: Sequence[Any]) -> str:
        column, value = self._first_value(self.columns.targets.get(DESCRIPTION, ()), row)
        return cells.parse_text(value) if column is not None else ""

    @staticmethod
    def _amount(column: Column, value: Any, chosen: Unit | None, unit_column: Column | None,
                rates: OperatingRates) -> tuple[Decimal, Unit | None]:
        quantity = cells.parse_quantity(value)
        written = quantity.unit or column.unit
        if written is None:
            return quantity.amount * rates.multiplier, chosen
        unit, amount = parse_unit(written), quantity.amount
        if unit is None:  # 万吨/月: a yearly capacity only with the operating time the text gives
            unit, amount = rates.yearly(written), amount * rates.multiplier
        if unit is None:
            raise cells.unknown_capacity_unit(written)
        if chosen is None:
            return amount, unit
        if unit.dimension != chosen.dimension:
            source = f"「{unit_column.header}」的" if unit_column else ""
            raise cells.CellError(f"单位「{cells.shown(written)}」与{source}「{chosen.label_zh}」不一致")
        return amount * unit.factor / chosen.factor, chosen

    def _description(self, form: dict[str, Any], row: Sequence[Any]) -> None:
        """Facts only the description column states (see `described`)."""
        column, value = self._first_value(self.columns.targets.get(DESCRIPTION, ()), row)
        if column is not None:
            fill_from_description(form, column.header, cells.parse_text(value))

    def _address(self, form: dict[str, Any], row: Sequence[Any]) -> list[Problem]:
        """Province / city / county from a free-text address, where no column gave them."""
        column, value = self._first_value(self.columns.targets.get(ADDRESS, ()), row)
        if column is None:
            return []
        text = cells.parse_text(value)
        if len(text) > MAX_ADDRESS_CHARS:
            return [(column.header, f"地址过长（超过 {MAX_ADDRESS_CHARS} 字）")]
        try:
            place = parse_address(text)
        except ReferenceLookupError as error:
            return [(column.header, strip_path(error.message_zh))]
        location = form.setdefault("location", {})
        for name in _LOCATION_NAMES:
            found = getattr(place, name)
            if found and not location.get(name):
                location[name] = found
        return []

    def message(self, number: int, problems: Sequence[Problem]) -> str:
        """The row's message, problems in the order of the list's columns."""
        return row_message(number, sorted(problems, key=self._column_order))

    def refusal(self, error: InputError) -> list[Problem]:
        """The checker's objections to a row, its field paths turned back into column names."""
        problems = []
        for problem in error.problems:
            path = re.sub(r"(\[\d+\]|\.\d+)$", "", problem.path)
            problems.append((self.header_for(path), self._with_headers(
                strip_path(problem.message_zh))))
        return problems

    def header_for(self, path: str) -> str:
        header = self.columns.header_of(path)
        if header is not None:
            return header
        spec = self.fields.get(path)
        return f"{spec.label_zh}（表中无此列）" if spec else path

    def _with_headers(self, message: str) -> str:
        """`location.province「河南」` in a reference message becomes `省份「河南」`."""
        for name in (*_LOCATION_NAMES, "admin_code"):
            path = f"location.{name}"
            if f"{path}「" in message:
                message = message.replace(f"{path}「", f"{self.header_for(path)}「")
        return message


def _parents(path: str) -> tuple[str, ...]:
    """The sections a dotted path passes through (`location` of `location.city`)."""
    return tuple(path.split(".")[:-1])


def _any_undecodable(row: Sequence[Any]) -> bool:
    try:
        return "\ufffd" in "".join(row)  # a row of text (any CSV's) in one search
    except TypeError:  # numbers, dates, None: a workbook's row
        return any(map(_undecodable, row))


def _undecodable(value: Any) -> bool:
    return type(value) is str and "\ufffd" in value


def _short_name(text: str, spec: FieldSpec) -> str:
    if len(text) > MAX_NAME_CHARS:
        raise cells.CellError(f"过长（{len(text):,} 字），不是有效的{spec.label_zh}"
                              f"（最多 {MAX_NAME_CHARS} 字）")
    return text


def strip_path(message: str) -> str:
    """A reference message without its leading `location.city: ` (the column says it)."""
    return _PATH_PREFIX.sub("", message)
