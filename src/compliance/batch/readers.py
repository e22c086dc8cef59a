"""Opening a list by its extension: CSV (any encoding), XLSX, XLS, JSONL.

Anything that is not a usable list (missing, unknown type, unreadable, no header) raises
`UnusableInput` with a Chinese message: exit code 2, before any output is started.
"""

from __future__ import annotations

from pathlib import Path

from compliance.batch.source import SourceRow, Table, UnusableInput
from compliance.batch.textfiles import JSONL_COLUMNS, detect_encoding, open_csv, open_jsonl

INPUT_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".xls", ".jsonl")

__all__ = ["INPUT_SUFFIXES", "JSONL_COLUMNS", "SourceRow", "Table", "UnusableInput",
           "detect_encoding", "open_table"]


def open_table(path: Path, sheet: str | None = None) -> Table:
    """Open a list by its extension; raises UnusableInput for anything that is not a list."""
    suffix = path.suffix.lower()
    if suffix not in INPUT_SUFFIXES:
        raise UnusableInput(f"不支持的文件类型「{suffix or path.name}」（可用：.csv、.xlsx、.xls、"
                            ".jsonl）")
    if not path.is_file():
        raise UnusableInput("文件不存在" if not path.exists() else "不是文件")
    try:
        if suffix == ".csv":
            return open_csv(path)
        if suffix == ".jsonl":
            return open_jsonl(path)
        # imported here: openpyxl takes ~50 ms to import, which a worker process (it imports
        # this module for SourceRow) and a CSV list need not pay
        from compliance.batch.workbook import open_xls, open_xlsx

        if suffix == ".xls":
            return open_xls(path, sheet)
        return open_xlsx(path, sheet)
    except OSError as error:
        raise UnusableInput(f"无法读取：{error.strerror or error}") from None
