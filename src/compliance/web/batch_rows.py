"""Each row of a finished web batch job, listed on its page and opened one by one.

The JSONL result holds every row's findings (the results needing action, and the count of every
status), one line per input row in input order. A screening officer needs the flagged rows
with the rules they break, and each row's own report, without downloading the whole file: when
a job finishes, an index (each row's name, verdict, the rules it breaks or that need review,
and where its line starts) is written beside the results once, and pages read only the index
and the one line they show.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

INDEX = "rows.jsonl"
RESULT = "result.jsonl"
PAGE_SIZE = 100
#: the row filters of the job page: the flagged rows (rejected with review, missing
#: information and errors: everything but compliant) unless another is chosen
FILTERS: dict[str, tuple[str, ...]] = {
    "flagged": ("rejected", "needs_review", "needs_info", "error"),
    "rejected": ("rejected",), "needs_review": ("needs_review",),
    "needs_info": ("needs_info",), "error": ("error",), "compliant": ("compliant",),
    "all": ("rejected", "needs_review", "needs_info", "error", "compliant"),
}
FILTER_LABELS = {"flagged": "需处理", "rejected": "不予通过", "needs_review": "需重点审查",
                 "needs_info": "需补充材料", "error": "无法审查", "compliant": "符合",
                 "all": "全部"}


@dataclass(frozen=True)
class RowsPage:
    rows: list[dict[str, Any]]
    total: int
    page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def write_index(job_dir: Path) -> None:
    """The index of a finished job's rows (lines that are not a row's verdict are skipped)."""
    source = job_dir / RESULT
    if not source.is_file():
        return
    temporary = job_dir / f"{INDEX}.part"
    with source.open("rb") as lines, temporary.open("w", encoding="utf-8") as index:
        offset = 0
        for line in lines:
            entry = _entry(line, offset)
            offset += len(line)
            if entry is not None:
                index.write(json.dumps(entry, ensure_ascii=False) + "\n")
    temporary.replace(job_dir / INDEX)


def _entry(line: bytes, offset: int) -> dict[str, Any] | None:
    try:
        verdict = json.loads(line)
    except ValueError:
        return None
    if not isinstance(verdict, dict) or not isinstance(verdict.get("row"), int):
        return None
    results = verdict.get("results") or []
    return {"row": verdict["row"], "project": verdict.get("project") or "",
            "verdict": verdict.get("verdict", "error"), "error": verdict.get("error") or "",
            "broken": [r["title"] for r in results if r.get("status") == "fail"],
            "reviewed": [r["title"] for r in results if r.get("status") == "review"],
            "offset": offset}


def _entries(job_dir: Path) -> Iterator[dict[str, Any]]:
    index = job_dir / INDEX
    if not index.is_file():
        return
    with index.open(encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


def rows_page(job_dir: Path, shown: str, page: int) -> RowsPage:
    """One page of the rows whose verdict the filter `shown` keeps, in input order."""
    verdicts = FILTERS.get(shown, FILTERS["flagged"])
    start = (max(page, 1) - 1) * PAGE_SIZE
    rows, total = [], 0
    for entry in _entries(job_dir):
        if entry["verdict"] in verdicts:
            if start <= total < start + PAGE_SIZE:
                rows.append(entry)
            total += 1
    return RowsPage(rows, total, max(page, 1))


def row_verdict(job_dir: Path, row: int) -> dict[str, Any] | None:
    """The full JSONL line of the row numbered `row` (its number in the input file)."""
    entry = next((entry for entry in _entries(job_dir) if entry["row"] == row), None)
    if entry is None:
        return None
    with (job_dir / RESULT).open("rb") as lines:
        lines.seek(entry["offset"])
        return json.loads(lines.readline())
