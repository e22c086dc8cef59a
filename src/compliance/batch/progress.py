"""The progress bar of a batch run: rows, rate and ETA on stderr, only for a person watching.

Shown when stderr is a terminal, unless `--quiet` or `CI` is set: a log file or a CI console
gets only the final summary line. Progress is measured in what the reader can tell (bytes of
a CSV or JSONL file, rows of a sheet), since a streamed list's row count is unknown upfront.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

#: refresh at most every this many rows (the bar is cheap, the call is not free)
EVERY_ROWS = 200


@contextmanager
def progress_bar(console: Console, where: Callable[[], tuple[float, float | None]],
                 enabled: bool) -> Iterator[Callable[[int], None]]:
    """Yields `advance(rows_done)`; a no-op when the bar is not shown."""
    if not enabled:
        yield lambda rows: None
        return
    columns = (TextColumn("审查中"), BarColumn(), TaskProgressColumn(),
               TextColumn("{task.fields[rows]:,} 行 · {task.fields[rate]:,.0f} 行/秒"),
               TextColumn("剩余"), TimeRemainingColumn())
    started = time.monotonic()
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("batch", total=where()[1], rows=0, rate=0.0)

        def advance(rows: int) -> None:
            if rows % EVERY_ROWS:
                return
            done, total = where()
            elapsed = max(time.monotonic() - started, 1e-6)
            progress.update(task, completed=done, total=total, rows=rows, rate=rows / elapsed)

        yield advance
