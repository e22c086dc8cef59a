"""`--shard-rows N`: a spreadsheet or JSONL output as numbered files of at most N rows each.

For results longer than one file should be: a sheet holds at most 1,048,576 rows, and a team
hands a million-row result round in parts. `结果.csv` becomes `结果-00001.csv`, `结果-00002.csv`,
…, each with the header row, the rows in input order with their 原表行号; a workbook's 统计
sheet counts the whole run. Shards are written like any output (temporary files, renamed only
when the whole run succeeded); then the shards an earlier run left under the same name beyond
this run's last are removed, so a folder never mixes two runs. The HTML summary is of the whole
run and is not split.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from compliance.batch.outcome import RowResult
from compliance.batch.readers import SourceRow
from compliance.batch.summary import Summary
from compliance.batch.writers.common import Writer

#: the outputs that can be split
SHARDABLE = (".csv", ".jsonl", ".xlsx")
DIGITS = 5


def shard_path(target: Path, number: int) -> Path:
    """`结果.csv`, 3 → `结果-00003.csv`."""
    return target.with_name(f"{target.stem}-{number:0{DIGITS}d}{target.suffix}")


def is_shard_of(path: Path, target: Path) -> bool:
    """Whether `path` is named as one of `target`'s shards."""
    pattern = rf"{re.escape(target.stem)}-\d{{{DIGITS}}}{re.escape(target.suffix)}"
    return path.parent.resolve() == target.parent.resolve() and re.fullmatch(
        pattern, path.name) is not None


class ShardedOutput:
    """One output split every `rows_per_shard` rows; each shard is a whole output of its own."""

    def __init__(self, target: Path, rows_per_shard: int,
                 open_shard: Callable[[Path], Writer]) -> None:
        self.target = target
        self.rows_per_shard = rows_per_shard
        self.open_shard = open_shard
        self.shards: list[Writer] = []
        self.rows_in_last = 0

    def write(self, source: SourceRow, result: RowResult) -> None:
        if not self.shards or self.rows_in_last == self.rows_per_shard:
            self._open_next()
        self.shards[-1].write(source, result)
        self.rows_in_last += 1

    def _open_next(self) -> None:
        self.shards.append(self.open_shard(shard_path(self.target, len(self.shards) + 1)))
        self.rows_in_last = 0

    def finish(self, summary: Summary) -> None:
        if not self.shards:
            self._open_next()
        for shard in self.shards:
            shard.finish(summary)

    def commit(self) -> None:
        for shard in self.shards:
            shard.commit()
        written = {shard_path(self.target, number) for number in range(1, len(self.shards) + 1)}
        for stale in self.target.parent.iterdir():
            if is_shard_of(stale, self.target) and stale not in written:
                stale.unlink(missing_ok=True)

    def discard(self) -> None:
        for shard in self.shards:
            shard.discard()
