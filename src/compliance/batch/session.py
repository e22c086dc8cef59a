"""What `compliance batch` and `compliance generate` do, behind their typer callbacks.

Kept apart from `cli` so that registering the commands on the main app costs nothing: openpyxl,
charset-normalizer and the checker are imported only when a batch command runs.
Exit codes: 0 when no row was rejected or errored, 1 when some were, 2 for an unusable input
file or a usage error (with a message naming the file), 130 when interrupted. Messages go to
stderr; its last line is the one-line summary of the run, so a log shows the outcome at once.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import signal
import sys
import threading
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import typer

from compliance.batch.cells import CellError, parse_date
from compliance.batch.cluster import ClusterUnavailable
from compliance.batch.columns import ColumnMap, MappingError, build_columns, load_mapping
from compliance.batch.generate import generate as generate_rows
from compliance.batch.generate import headers as generated_headers
from compliance.batch.listfiles import LIST_SUFFIXES, write_list
from compliance.batch.progress import progress_bar
from compliance.batch.readers import SourceRow, Table, UnusableInput, open_table
from compliance.batch.runner import Job, run_batch
from compliance.batch.template import write_template
from compliance.batch.writers import OUTPUT_SUFFIXES, Outputs, RunInfo
from compliance.batch.writers.shards import SHARDABLE, is_shard_of
from compliance.commandline import fail_usage, open_checker, say, stderr, written_problem

EXIT_OK, EXIT_FLAGGED, EXIT_INTERRUPTED = 0, 1, 130


def _check_outputs(source: Path | None, outputs: list[Path]) -> None:
    if not outputs:
        raise fail_usage("请用 -o 指定至少一个输出文件（.xlsx、.csv、.jsonl 或 .html）")
    seen: set[Path] = set()
    for output in outputs:
        resolved = output.resolve()
        if output.suffix.lower() not in OUTPUT_SUFFIXES:
            raise fail_usage(f"{output}: 不支持的输出类型（可用：{'、'.join(OUTPUT_SUFFIXES)}）")
        if not resolved.parent.is_dir():
            raise fail_usage(f"{output}: 目录不存在")
        if resolved in seen or (source is not None and resolved == source.resolve()):
            raise fail_usage(f"{output}: 与输入或其他输出是同一个文件")
        seen.add(resolved)


def _check_conformity_dir(target: Path) -> None:
    """A new folder (or an empty one) or a .zip, in a folder that exists."""
    if not target.resolve().parent.is_dir():
        raise fail_usage(f"{target}: 目录不存在")
    if target.suffix.lower() != ".zip" and target.exists() and (
            not target.is_dir() or any(target.iterdir())):
        raise fail_usage(f"{target}: 已存在且不是空文件夹（符合性分析表写入新的或空的文件夹，或 .zip）")


def _columns(table: Table, mapping: Path | None) -> ColumnMap | None:
    """The column map (None for JSONL forms); unknown columns are reported once."""
    if table.forms:
        return None
    columns = build_columns(table.header, load_mapping(mapping) if mapping else None)
    unknown = columns.unknown()
    if unknown:
        say("[yellow]注意[/yellow]：未识别的列（原样保留，不参与审查）：", "、".join(unknown))
    if "name" not in columns.targets:
        say("[yellow]注意[/yellow]：", "没有「项目名称」列，每一行都将报错；可用 --mapping 指定")
    return columns


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (a job scheduler's stop) cleans up like Ctrl-C: temporary outputs removed."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def show_progress(quiet: bool) -> bool:
    """A progress bar is for a person watching: stderr a terminal, not `--quiet`, not CI."""
    return not quiet and sys.stderr.isatty() and not os.environ.get("CI")


@dataclass(frozen=True)
class Destinations:
    """Where a run's results go: the output files, the 符合性分析 folder, the shard size."""

    targets: list[Path]
    conformity_dir: Path | None = None
    shard_rows: int | None = None

    def outputs(self, headers: list[str], info: RunInfo) -> Outputs:
        return Outputs(self.targets, headers, info, self.conformity_dir, self.shard_rows)


def _check_shards(source: Path, destinations: Destinations) -> None:
    """`--shard-rows` needs an output it splits, and a shard must not be the input."""
    if destinations.shard_rows is None:
        return
    split = [target for target in destinations.targets if target.suffix.lower() in SHARDABLE]
    if not split:
        raise fail_usage(f"--shard-rows 只拆分 {'、'.join(SHARDABLE)} 输出，请至少指定其中一个")
    if any(is_shard_of(source, target) for target in split):
        raise fail_usage(f"{source}: 与某个输出的分片同名，请换一个输出文件名")


def batch(input_file: Path | None, output: list[Path] | None, sheet: str | None,
          mapping: Path | None, as_of: str | None, workers: int | None, engine: str,
          jsonl_results: str, quiet: bool, template: Path | None,
          conformity_dir: Path | None = None, scheduler: str | None = None,
          shard_rows: int | None = None) -> None:
    """`compliance batch`: check a list into every output, or write the input template."""
    if template is not None:
        _template(template)
        return
    if input_file is None:
        raise fail_usage("请指定项目清单文件（或用 --template 生成模板）")
    targets = output or []
    destinations = Destinations(targets, conformity_dir, shard_rows)
    if conformity_dir is None or targets:
        _check_outputs(input_file, targets)
    if conformity_dir is not None:
        _check_conformity_dir(conformity_dir)
    _check_shards(input_file, destinations)
    try:
        date = parse_date(as_of) if as_of else None
    except CellError as error:
        raise fail_usage(f"--as-of：{error}") from None
    try:
        table = open_table(input_file, sheet)
    except UnusableInput as error:
        raise fail_usage(f"{input_file}: {error}") from None
    try:
        rows = _rows(table, input_file)
        job = Job(engine, date, None,
                  with_json=any(target.suffix.lower() == ".jsonl" for target in targets),
                  json_results=jsonl_results, conformity=conformity_dir is not None)
        _run(table, rows, input_file, destinations, mapping, job, workers, quiet, scheduler)
    finally:
        table.close()


def _rows(table: Table, source: Path) -> Iterator[SourceRow]:
    """The table's rows; a list without any is unusable (exit 2), not a run of "0 行"."""
    first = next(table.rows, None)
    if first is None:
        reason = "文件为空或只有空行" if table.forms else "只有表头"
        raise fail_usage(f"{source}: {table.where}没有可审查的行（{reason}）{table.hint}")
    return itertools.chain([first], table.rows)


def _template(target: Path) -> None:
    if target.suffix.lower() != ".xlsx":
        raise fail_usage(f"{target}: 模板须为 .xlsx 文件")
    if not target.resolve().parent.is_dir():
        raise fail_usage(f"{target}: 目录不存在")
    write_template(target)
    say("已写出模板：", str(target))


def _run(table: Table, rows: Iterator[SourceRow], source: Path, destinations: Destinations,
         mapping: Path | None, job: Job, workers: int | None, quiet: bool,
         scheduler: str | None = None) -> None:
    try:
        columns = _columns(table, mapping)
    except MappingError as error:
        raise fail_usage(str(error)) from None
    if table.title_rows:
        stderr().print(f"[yellow]注意[/yellow]：表头在第 {table.header_row} 行，其上 "
                        f"{table.title_rows} 行视为标题，不参与审查")
    headers = columns.headers if columns else [str(header) for header in table.header]
    checker = open_checker(job.engine)
    info = RunInfo(source.name, checker.engine, checker.rulebook.version,
                   job.as_of.isoformat() if job.as_of else "各行申报日期（未填则为审查当日）")
    job = dataclasses.replace(job, columns=columns)
    console = stderr()
    try:
        with progress_bar(console, table.progress, enabled=show_progress(quiet)) as advance, \
                _terminate_as_interrupt():
            summary = run_batch(rows, job, destinations.outputs(headers, info), workers,
                                checker, advance, scheduler)
    except KeyboardInterrupt:
        console.print("已中断，未写出任何输出文件")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except ClusterUnavailable as error:
        raise fail_usage(f"{error}；未写出任何输出文件") from None
    except BrokenProcessPool:
        raise fail_usage("工作进程意外退出，未写出任何输出文件；可改用 --workers 1 重试") from None
    except OSError as error:  # writing the outputs: a full disk, a folder made read-only
        raise fail_usage(f"无法写出输出文件（{written_problem(error)}），未写出任何输出文件"
                         ) from None
    finally:
        checker.close()
    console.print(summary.line())
    raise typer.Exit(EXIT_FLAGGED if summary.flagged else EXIT_OK)


def generate(target: Path | None, option: Path | None, rows: int, seed: int,
             encoding: str) -> None:
    """`compliance generate`: a synthetic list of `rows` rows, the same for the same seed."""
    output = option or target  # `-o FILE` as in `compliance batch`, or the file positionally
    if output is None or (option and target):
        raise fail_usage("请指定一个输出文件：-o FILE（或直接写文件名）")
    if output.suffix.lower() not in LIST_SUFFIXES:
        raise fail_usage(f"{output}: 不支持的类型（可用：{'、'.join(LIST_SUFFIXES)}）")
    if not output.resolve().parent.is_dir():
        raise fail_usage(f"{output}: 目录不存在")
    count = write_list(output, generated_headers(), generate_rows(rows, seed), encoding)
    say(f"已生成 {count:,} 行：", str(output))
