"""What every reader yields: numbered rows, and the rules shared by every table format.

Rows keep the number the officer sees in Excel (the header is row 1 when it is the first line),
so an error message points at the right row. A blank row inside the list is reported as that
row's error; blank rows after the last project are formatting, not rows, and are dropped. Rows
above the header (a title such as `2023年拟建项目清单`) are not data rows either.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from compliance.batch.rows import blank_row_message

_PREAMBLE_ROWS = 30


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


@dataclass
class Table:
    """An open list: its header, its rows (an iterator, read once) and how far reading got."""

    header: list[Any]
    rows: Iterator[SourceRow]
    progress: Callable[[], tuple[float, float | None]]
    close: Callable[[], None]
    forms: bool = False


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


def with_header(numbered: Iterator[tuple[int, list[Any]]]) -> tuple[list[Any], Iterator[
        tuple[int, list[Any]]]]:
    """The header (the first row with two filled cells, after a title) and the rows after it."""
    first: list[Any] | None = None
    for _ in range(_PREAMBLE_ROWS):
        try:
            _, cells = next(numbered)
        except StopIteration:
            break
        filled = sum(not is_empty(value) for value in cells)
        if filled >= 2:
            return cells, numbered
        first = first if first is not None or not filled else cells
    if first is None:
        raise UnusableInput("文件没有表头（前 30 行均为空或只有一个单元格）")
    return first, numbered


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
