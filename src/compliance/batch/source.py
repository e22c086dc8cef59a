"""What every reader yields: numbered rows, and the rules shared by every table format.

Rows keep the number the officer sees in Excel (the header is row 1 when it is the first line),
so an error message points at the right row. A blank row inside the list is reported as that
row's error; blank rows after the last project are formatting, not rows, and are dropped. Rows
above the header (a title such as `2023年拟建项目清单`) are not data rows either.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from compliance.batch.columns import resolve_header
from compliance.batch.rows import blank_row_message

#: rows, from the first non-blank one, among which the header is looked for
PREAMBLE_ROWS = 30


class UnusableInput(Exception):
    """The list as a whole cannot be read (exit code 2); `str()` is Chinese."""


@dataclass(frozen=True)
class SourceRow:
    """One input row: its cells as read, or (JSONL) its form; `error` when unreadable."""

    number: int
    cells: list[Any] = field(default_factory=list)
    form: Any = None
    error: str | None = None
    blank: bool = False

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """A row of text cells travels to a worker as one string: pickling 100 short strings
        a row, and unpickling them, cost the parent and the workers ~24 µs a row."""
        if self.form is None and self.error is None and not self.blank:
            try:
                joined = _CELL_SEPARATOR.join(self.cells)
            except TypeError:  # a number or a date among them: a workbook's row
                pass
            else:
                if joined.count(_CELL_SEPARATOR) == len(self.cells) - 1:  # none holds it
                    return _joined_row, (self.number, joined)
        return SourceRow, (self.number, self.cells, self.form, self.error, self.blank)


#: between the cells of a row sent as one string (a cell holding it is sent as it is)
_CELL_SEPARATOR = "\x1f"


def _joined_row(number: int, joined: str) -> SourceRow:
    return SourceRow(number, joined.split(_CELL_SEPARATOR))


@dataclass
class Table:
    """An open list: its header, its rows (an iterator, read once) and how far reading got."""

    header: list[Any]
    rows: Iterator[SourceRow]
    progress: Callable[[], tuple[float, float | None]]
    close: Callable[[], None]
    forms: bool = False
    #: the header's row number and the non-blank (title) rows above it, which are not checked
    header_row: int = 1
    title_rows: int = 0
    #: where in the file the rows are (`工作表「清单」`) and what else there is to choose, for
    #: messages; empty for a text file
    where: str = ""
    hint: str = ""


class Counting(io.RawIOBase):
    """A raw file that counts the bytes read from it, for a progress bar on a text stream."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw, self.count = raw, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        read = self.raw.readinto(buffer)  # type: ignore[attr-defined]
        self.count += read or 0
        return read  # type: ignore[no-any-return]


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass(frozen=True)
class Header:
    """A list's header row, where it was found, and how many non-blank rows stood above it."""

    cells: list[Any]
    number: int
    above: int


def with_header(numbered: Iterator[tuple[int, list[Any]]]) -> tuple[Header, Iterator[
        tuple[int, list[Any]]]]:
    """The header and every row after it.

    The header is the first row with two filled cells or with a cell naming a form field
    (`项目名称`), looked for among the first PREAMBLE_ROWS rows from the first non-blank one;
    rows above it are a title (`2023年拟建项目清单`). When none qualifies (a one-column list
    under an unknown header), the first non-blank row is the header. Either way the rows read
    while looking are handed back with the rest: no row after the header is lost.
    """
    read: list[tuple[int, list[Any]]] = []
    for number, cells in numbered:
        filled = [value for value in cells if not is_empty(value)]
        if not filled and not read:
            continue  # blank rows before anything are not kept (a file may start with many)
        read.append((number, cells))
        if len(filled) >= 2 or (filled and any(_names_a_field(value) for value in filled)):
            above = sum(any(not is_empty(value) for value in row) for _, row in read[:-1])
            return Header(cells, number, above), numbered
        if len(read) >= PREAMBLE_ROWS:
            break
    if not read:
        raise UnusableInput("没有表头（文件为空或只有空行）")
    number, cells = read[0]
    return Header(cells, number, 0), itertools.chain(read[1:], numbered)


def _names_a_field(value: Any) -> bool:
    return isinstance(value, str) and resolve_header(value) is not None


def table_rows(numbered: Iterator[tuple[int, list[Any]]]) -> Iterator[SourceRow]:
    for number, cells in numbered:
        yield SourceRow(number, cells, blank=all(is_empty(value) for value in cells))


def inner_blanks(rows: Iterator[SourceRow]) -> Iterator[SourceRow]:
    """Blank rows inside the list become errors; blank rows after the last row are dropped."""
    start, count = 0, 0
    for row in rows:
        if row.blank:
            start, count = (start, count + 1) if count else (row.number, 1)
            continue
        for number in range(start, start + count):
            yield SourceRow(number, error=blank_row_message(number), blank=True)
        count = 0
        yield row
