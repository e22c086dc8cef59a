"""What every output shares: atomic files, the result columns, safe cell values.

Outputs are written to a temporary file beside the target and renamed over it only when the
whole run succeeded, so a crash, a full disk or Ctrl-C never leaves a half-written list that
looks complete. Spreadsheet cells are text or numbers only, and text that a spreadsheet would
run as a formula (`=cmd|' /C calc'!A0`, CSV injection) is made inert with a leading `'`, in the
header row as in the data: a header is as much the list author's text as any cell.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import tempfile
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compliance.batch.outcome import RowResult
from compliance.batch.readers import SourceRow
from compliance.batch.summary import Summary
from compliance.fields import catalogue

#: the columns every spreadsheet output adds after the list's own columns
RESULT_HEADERS: tuple[str, ...] = ("审查结论", "不符合规定", "需审查规定", "缺少信息", "错误",
                                   "原表行号")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: what may stand before a formula and be dropped on the way into a spreadsheet: control
#: characters (XML cannot hold most of them, so the XLSX writer removes them), whitespace and
#: invisible format characters (zero-width spaces, BOM); `\x01=1+1` is a formula once `\x01` goes
_DROPPABLE_LEAD = "".join(
    chr(code) for code in (*range(0x00, 0x21), *range(0x7F, 0xA1), 0x1680, *range(0x2000, 0x2010),
                           *range(0x2028, 0x2030), *range(0x205F, 0x2070), 0x3000, 0xFEFF))


@dataclass(frozen=True)
class RunInfo:
    """What a report says about the run itself (no timestamp: same input, same report)."""

    source: str
    engine: str
    ruleset_version: str
    as_of: str
    #: where each row's own report is served: the row number is appended (a web job's rows)
    row_link: str = ""


#: the first characters after which a text may be a formula; any other text is safe as it is
_RISKY_FIRST = frozenset(FORMULA_STARTS + tuple(_DROPPABLE_LEAD))


def neutralise(text: str) -> str:
    """Text a spreadsheet would evaluate (`=`, `+`, `-`, `@`, tab, CR first, also behind
    control, blank or invisible characters) gets a `'` first. Every cell of every output
    passes here, and nearly all begin with a character that cannot start a formula."""
    if not text or text[0] not in _RISKY_FIRST:
        return text
    if text.startswith(FORMULA_STARTS) or text.lstrip(_DROPPABLE_LEAD).startswith(
            FORMULA_STARTS[:4]):
        return "'" + text
    return text


def cell_value(value: Any) -> str | int | float:
    """A cell as text or a number; dates as ISO text, booleans as TRUE/FALSE, None as ''."""
    if type(value) is str:  # nearly every cell of a list: no other test needed
        return neutralise(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if value.time() != dt.time() else value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return neutralise(str(value))


#: bytes a text output gathers before each write: a row's findings (~9 KB of JSON on a real
#: list) outgrew the default 8 KB, so every row was a system call of its own
WRITE_BUFFER = 1 << 20


def header_cells(header: list[str]) -> list[str]:
    """The header row: the list's own headers, neutralised like any cell, then the results'."""
    return [*(neutralise(text) for text in header), *RESULT_HEADERS]


def missing_labels(paths: tuple[str, ...]) -> str:
    """Missing field paths as the Chinese labels officers know them."""
    specs = catalogue()
    return "、".join(specs[path].label_zh if path in specs else path for path in paths)


def result_cells(result: RowResult) -> list[str | int]:
    """The cells of RESULT_HEADERS for one row."""
    return [
        result.label_zh,
        neutralise("；".join(hit.label for hit in result.failing)),
        neutralise("；".join(hit.label for hit in result.review)),
        neutralise(missing_labels(result.missing)),
        neutralise(result.error or ""),
        result.row,
    ]


def own_cells(source: SourceRow, width: int) -> list[str | int | float]:
    """The row's own cells, as many as the header has columns (a safe text cell, most of
    them, as it is without a call per cell)."""
    values = source.cells[:width]
    risky = _RISKY_FIRST
    return [value if value.__class__ is str and (not value or value[0] not in risky)
            else cell_value(value) for value in values] + [""] * (width - len(values))


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class AtomicFile:
    """A temporary file in the target's directory, renamed onto the target by `commit`."""

    def __init__(self, target: Path) -> None:
        self.target = target
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                        suffix=".part")
        os.close(handle)
        self.path = Path(name)
        self.path.chmod(0o666 & ~_umask())  # mkstemp's 0600 is for the temporary file only

    def commit(self) -> None:
        os.replace(self.path, self.target)

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


class Writer(ABC):
    """One output: rows in input order, then `finish` with the summary, then commit or discard."""

    def __init__(self, target: Path, header: list[str]) -> None:
        self.file = AtomicFile(target)
        self.header = header

    @abstractmethod
    def write(self, source: SourceRow, result: RowResult) -> None: ...

    @abstractmethod
    def finish(self, summary: Summary) -> None:
        """Complete the temporary file (the target is untouched until `commit`)."""

    @abstractmethod
    def close(self) -> None:
        """Release open handles without completing the file (on failure)."""

    def commit(self) -> None:
        self.file.commit()

    def discard(self) -> None:
        self.close()
        self.file.discard()
