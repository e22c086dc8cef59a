"""The `Runner` for web batch jobs, built from `compliance.batch` (imported only here).

It does what `compliance batch` does for one file, with the web's limits: one process checks
the rows (other cores stay free for officers' requests) and a list over the row limit is refused
without any output. Importing this module fails when batch screening is not installed, which
is how `batch.installed_runner` tells.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from compliance.batch.columns import MappingError, build_columns
from compliance.batch.readers import SourceRow, Table, UnusableInput, open_table
from compliance.batch.runner import Job, run_batch
from compliance.batch.writers import Outputs, RunInfo
from compliance.checker import Checker
from compliance.web.batch_limits import BatchRefused, count_lines, over_limit, too_long


def _bounded(rows: Iterable[SourceRow], limit: int) -> Iterator[SourceRow]:
    """The rows, refusing the whole list (outputs discarded) at row `limit + 1`."""
    for count, row in enumerate(rows, start=1):
        if count > limit:
            raise BatchRefused(f"清单超过 {limit:,} 行的上限，请拆分后分批上传。")
        yield row


def _refuse_if_too_long(source: Path, table: Table, max_rows: int) -> None:
    """Refuse a list over the row limit before checking a single row (a 376,000-row list ran
    45 minutes before it was refused, while a small one waited behind it): a workbook says how
    many rows it has, a text file is counted by its line breaks (an upper bound: a quoted cell
    may hold one, so a list near the limit is still bounded row by row)."""
    if source.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        rows = (table.progress()[1] or 0) - table.header_row
    else:
        rows = count_lines(source) - table.header_row
    if over_limit(rows, max_rows):
        raise too_long(rows, max_rows)


def run_list(source: Path, outputs: list[Path], *, name: str, as_of: dt.date | None,
             max_rows: int, progress: Callable[[int], None], engine: str,
             mapping: dict[str, str] | None = None, row_link: str = "") -> dict[str, int]:
    """Check every row of `source` into `outputs`; counts per verdict (and `error`)."""
    try:
        table = open_table(source)
    except UnusableInput as error:
        raise BatchRefused(f"文件无法读取：{error}") from None
    try:
        _refuse_if_too_long(source, table, max_rows)
        columns = None if table.forms else build_columns(table.header, mapping)
        if columns is not None and not columns.targets:
            shown = "、".join(f"「{header[:20]}」" for header in columns.headers[:5])
            raise BatchRefused(f"表头中没有可识别的列（读到 {shown or '空表头'}）。第一行须为表头，"
                               "用字段名或中文名，如 项目名称、建设性质、所属行业、城市。")
        headers = columns.headers if columns else [str(header) for header in table.header]
        if columns is not None and hasattr(progress, "columns"):
            progress.columns([header for header in columns.unknown()
                              if header not in (mapping or {})])  # not those said 不审查
        with Checker(engine=engine) as checker:
            info = RunInfo(name, checker.engine, checker.rulebook.version,
                           as_of.isoformat() if as_of else "各行申报日期（未填则为审查当日）",
                           row_link)
            # the findings form: a full verdict per row was 83 MB for 1,000 rows
            job = Job(engine, as_of, columns, with_json=True, json_results="findings")
            summary = run_batch(_bounded(table.rows, max_rows), job,
                                Outputs(outputs, headers, info), workers=1, checker=checker,
                                on_row=progress)
    except MappingError as error:
        raise BatchRefused(str(error)) from None
    finally:
        table.close()
    if not sum(summary.verdicts.values()):
        raise BatchRefused("文件中没有读到任何项目行（只有表头，或为空）。")
    return dict(summary.verdicts)
