"""The outputs of a batch run, chosen by extension; several may be written at once.

`Outputs` keeps them in step: every row goes to every output in input order; at the end all
are completed and only then renamed into place; on any failure all are discarded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from compliance.batch.outcome import RowResult
from compliance.batch.readers import SourceRow
from compliance.batch.summary import Summary
from compliance.batch.writers.common import RunInfo, Writer
from compliance.batch.writers.conformity import ConformityWriter
from compliance.batch.writers.csvfile import CsvWriter
from compliance.batch.writers.jsonl import JsonlWriter
from compliance.batch.writers.report import HtmlWriter
from compliance.batch.writers.shards import SHARDABLE, ShardedOutput
from compliance.batch.writers.xlsx import XlsxWriter

OUTPUT_SUFFIXES = (".xlsx", ".csv", ".jsonl", ".html")

__all__ = ["OUTPUT_SUFFIXES", "Outputs", "RunInfo", "open_writer"]


def open_writer(target: Path, header: list[str], info: RunInfo) -> Writer:
    suffix = target.suffix.lower()
    if suffix == ".xlsx":
        return XlsxWriter(target, header, info.row_link)
    if suffix == ".csv":
        return CsvWriter(target, header)
    if suffix == ".jsonl":
        return JsonlWriter(target, header)
    if suffix == ".html":
        return HtmlWriter(target, header, info)
    raise ValueError(f"unknown output type {suffix!r}")


class Output(Protocol):
    """What `Outputs` asks of each output: a file (`Writer`) or a folder of them."""

    def write(self, source: SourceRow, result: RowResult) -> None: ...
    def finish(self, summary: Summary) -> None: ...
    def commit(self) -> None: ...
    def discard(self) -> None: ...


class Outputs:
    """All outputs of one run; use as a context manager so a failure discards every one."""

    def __init__(self, targets: list[Path], header: list[str], info: RunInfo,
                 conformity_dir: Path | None = None, shard_rows: int | None = None) -> None:
        """With `shard_rows`, each spreadsheet and JSONL output is split (`shards`)."""
        self.writers: list[Output] = []
        try:
            for target in targets:
                if shard_rows is not None and target.suffix.lower() in SHARDABLE:
                    self.writers.append(ShardedOutput(
                        target, shard_rows, lambda path: open_writer(path, header, info)))
                else:
                    self.writers.append(open_writer(target, header, info))
            if conformity_dir is not None:
                self.writers.append(ConformityWriter(conformity_dir))
        except BaseException:
            self.discard()
            raise

    def write(self, source: SourceRow, result: RowResult) -> None:
        for writer in self.writers:
            writer.write(source, result)

    def commit(self, summary: Summary) -> None:
        """Complete every output, then rename each into place."""
        for writer in self.writers:
            writer.finish(summary)
        for writer in self.writers:
            writer.commit()

    def discard(self) -> None:
        for writer in self.writers:
            writer.discard()

    def __enter__(self) -> Outputs:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if kind is not None:
            self.discard()
