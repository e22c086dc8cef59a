"""Each distinct cell of a column read once: the typed value, blank, or the reason it is refused.

A list repeats a few spellings per column (2.9 % of a generated list's cells are distinct; a
real list's 项目类型 column holds 新建 and 扩建 thousands of times), yet each row's cells were
folded, tested for blank and parsed again, through three layers of calls: about a fifth of a
row's time. A column's reader answers a repeated cell with one dictionary look-up, the same
value or the same Chinese reason as reading it afresh (tests/batch/test_columncells.py holds
them equal on generated and fuzzed cells).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from compliance.batch import cells

#: distinct cells remembered per column: a column of names or free text never repeats, and
#: the bound keeps a worker's memory flat over a million rows (~100 columns × 512 cells)
REMEMBERED_PER_COLUMN = 512


class _Blank:
    def __repr__(self) -> str:
        return "BLANK"


#: what a reader returns for a blank cell (empty, whitespace, 不详 …)
BLANK: Final = _Blank()


class ColumnReader:
    """Reads the cells of one column with `read` (value → typed value, or CellError)."""

    __slots__ = ("_read", "_seen")

    def __init__(self, read: Callable[[Any], Any]) -> None:
        self._read = read
        #: cell key → BLANK, a typed value (a list kept as a tuple), or a CellError's reason
        self._seen: dict[Any, Any] = {}

    def __call__(self, value: Any) -> Any:
        """BLANK, or the cell's typed value (a fresh list where the value is a list);
        raises CellError."""
        key = _key(value)
        known = self if key is None else self._seen.get(key, self)
        if known is self:
            known = self._remember(key, value)
        if known.__class__ is tuple:
            return list(known)
        if known.__class__ is _Refused:
            raise cells.CellError(known.reason)
        return known

    def _remember(self, key: Any, value: Any) -> Any:
        if cells.is_blank(value):
            known: Any = BLANK
        else:
            try:
                known = self._read(value)
            except cells.CellError as error:
                known = _Refused(str(error))
            if known.__class__ is list:
                known = tuple(known)
        if key is not None and len(self._seen) < REMEMBERED_PER_COLUMN:
            self._seen[key] = known
        return known


class _Refused:
    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


def _key(value: Any) -> Any:
    """What a cell is remembered by: its text (up to CACHED_CHARS), else its type and value
    (1, 1.0 and True are equal keys in a dict but not the same cell); None for a cell not
    remembered."""
    if value.__class__ is str:  # most cells
        return value if len(value) <= cells.CACHED_CHARS else None
    try:
        hash(value)
    except TypeError:
        return None
    return (value.__class__, value)
