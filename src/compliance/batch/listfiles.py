"""Writing a list of row dicts as an input file (CSV, XLSX or JSONL, by extension).

Used by `compliance generate` and by tests that need lists in every encoding: the files look
like what screening teams receive (a GBK CSV, a workbook, JSON forms), written atomically.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from compliance.batch.columns import build_columns
from compliance.batch.rows import RowError, RowParser
from compliance.batch.writers.common import AtomicFile

LIST_SUFFIXES = (".csv", ".xlsx", ".jsonl")


def write_list(target: Path, header: Sequence[str], rows: Iterable[dict[str, Any]],
               encoding: str = "utf-8-sig") -> int:
    """Write rows keyed by header; returns the number of rows. `encoding` is for CSV only."""
    suffix = target.suffix.lower()
    if suffix not in LIST_SUFFIXES:
        raise ValueError(f"unknown list type {suffix!r}: use {', '.join(LIST_SUFFIXES)}")
    output = AtomicFile(target)
    try:
        if suffix == ".csv":
            count = _csv(output.path, header, rows, encoding)
        elif suffix == ".xlsx":
            count = _xlsx(output.path, header, rows)
        else:
            count = _jsonl(output.path, header, rows)
        output.commit()
    except BaseException:
        output.discard()
        raise
    return count


def _csv(path: Path, header: Sequence[str], rows: Iterable[dict[str, Any]],
         encoding: str) -> int:
    count = 0
    with path.open("w", encoding=encoding, newline="", errors="strict") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        for count, row in enumerate(rows, start=1):  # noqa: B007 - count is the result
            writer.writerow(["" if row.get(name) is None else row[name] for name in header])
    return count


def _xlsx(path: Path, header: Sequence[str], rows: Iterable[dict[str, Any]]) -> int:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("项目清单")
    sheet.append(list(header))
    count = 0
    for count, row in enumerate(rows, start=1):  # noqa: B007 - count is the result
        sheet.append([row.get(name) for name in header])
    book.save(path)
    return count


def _jsonl(path: Path, header: Sequence[str], rows: Iterable[dict[str, Any]]) -> int:
    """JSON forms (the DESIGN.md contract), read from the rows as `compliance batch` would."""
    parser = RowParser(build_columns(header))
    count = 0
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for count, row in enumerate(rows, start=1):  # noqa: B007 - count is the result
            try:
                form = parser.form([row.get(name) for name in header])
            except RowError as error:
                form = error.partial
            handle.write(json.dumps(form, ensure_ascii=False, default=str) + "\n")
    return count
