"""The results as JSON Lines: per input row, its `row` number, the full verdict object of the
contract (DESIGN.md) and `error` (null when the row was checked).

A row that could not be checked has `"verdict": "error"`, its message, and whatever name and
reference could be read, so a program joining the lines back to the list loses nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

from compliance.batch.outcome import RowResult
from compliance.batch.readers import SourceRow
from compliance.batch.summary import Summary
from compliance.batch.writers.common import WRITE_BUFFER, Writer


def jsonl_line(result: RowResult) -> bytes:
    """One line, UTF-8; the verdict JSON from the worker is spliced in, not parsed again."""
    if result.verdict_json is not None:
        return b'{"row":%d,%s,"error":null}\n' % (result.row, result.verdict_json[1:-1])
    return json.dumps({"row": result.row, "project": result.project,
                       "project_id": result.project_id, "verdict": result.verdict,
                       "error": result.error}, ensure_ascii=False,
                      separators=(",", ":")).encode() + b"\n"


class JsonlWriter(Writer):
    def __init__(self, target: Path, header: list[str]) -> None:
        super().__init__(target, header)
        self.handle = self.file.path.open("wb", buffering=WRITE_BUFFER)

    def write(self, source: SourceRow, result: RowResult) -> None:
        self.handle.write(jsonl_line(result))

    def finish(self, summary: Summary) -> None:
        self.handle.close()

    def close(self) -> None:
        self.handle.close()
