"""Why a list is refused as a whole, and how its length is judged before any row is read.

Shared by the service side (`batch`: an upload refused before it is queued) and the worker
side (`batch_runner`: a list refused before its first row is checked), which must say the same.
"""

from __future__ import annotations

from pathlib import Path


class BatchRefused(Exception):
    """The list cannot be screened as a whole; `str()` is the Chinese reason shown to users."""


def over_limit(rows: int, max_rows: int) -> bool:
    """Whether a list counted at `rows` is past the limit (blank lines and line breaks inside
    quoted cells are not rows: some slack; the rows themselves are bounded one by one)."""
    return rows > max_rows * 1.05 + 10


def too_long(rows: int, max_rows: int) -> BatchRefused:
    return BatchRefused(f"清单约有 {rows:,} 行，超过 {max_rows:,} 行的上限，请拆分后分批上传"
                        "（未审查任何一行）。")


def count_lines(source: Path) -> int:
    """A text file's line breaks, read a MiB at a time."""
    with source.open("rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
