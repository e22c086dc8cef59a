"""A stand-in batch runner for the web's job machinery (the real one is `compliance.batch`).

It only counts non-empty lines (JSON ones as rejected, others as errors): the tests here are
about uploads, jobs, status, progress and downloads, not about reading lists.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from pathlib import Path

from compliance.web.batch import BatchRefused


def run(source: Path, outputs: list[Path], *, name: str, as_of: dt.date | None, max_rows: int,
        progress: Callable[[int], None],
        mapping: dict[str, str] | None = None, row_link: str = "") -> dict[str, int]:
    lines = [line for line in source.read_text("utf-8").splitlines() if line.strip()]
    if len(lines) > max_rows:
        raise BatchRefused(f"{name} 共 {len(lines)} 行，超过上限 {max_rows} 行。")
    counts = {"rejected": 0, "error": 0}
    for row, line in enumerate(lines, 1):
        try:
            json.loads(line)
            counts["rejected"] += 1
        except ValueError:
            counts["error"] += 1
        progress(row)
    for path in outputs:
        path.write_text(json.dumps({"as_of": str(as_of), "mapping": mapping, **counts},
                                   ensure_ascii=False), "utf-8")
    return counts


def run_slowly(source: Path, outputs: list[Path], *, name: str, as_of: dt.date | None,
               max_rows: int, progress: Callable[[int], None],
        mapping: dict[str, str] | None = None, row_link: str = "") -> dict[str, int]:
    """A list that takes far longer than any test: shutdown must not wait for it."""
    progress(1)
    time.sleep(600)
    return {}


def run_slowly_if_large(source: Path, outputs: list[Path], *, name: str, as_of: dt.date | None,
                        max_rows: int, progress: Callable[[int], None],
        mapping: dict[str, str] | None = None, row_link: str = "") -> dict[str, int]:
    """A large list takes far longer than any test; a small one is done at once."""
    if source.stat().st_size > 5_000:
        return run_slowly(source, outputs, name=name, as_of=as_of, max_rows=max_rows,
                          progress=progress)
    return run(source, outputs, name=name, as_of=as_of, max_rows=max_rows, progress=progress,
               mapping=mapping)
