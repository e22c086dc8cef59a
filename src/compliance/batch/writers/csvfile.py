"""The result list as CSV: UTF-8 with a BOM, so Excel opens the Chinese text right.

Same columns as the workbook's first sheet; every value is text, formula-like text made inert.
"""

from __future__ import annotations

import csv
from pathlib import Path

from compliance.batch.outcome import RowResult
from compliance.batch.readers import SourceRow
from compliance.batch.summary import Summary
from compliance.batch.writers.common import (
    WRITE_BUFFER,
    Writer,
    header_cells,
    own_cells,
    result_cells,
)


class CsvWriter(Writer):
    def __init__(self, target: Path, header: list[str]) -> None:
        super().__init__(target, header)
        self.handle = self.file.path.open("w", encoding="utf-8-sig", newline="",
                                          buffering=WRITE_BUFFER)
        self.csv = csv.writer(self.handle, lineterminator="\r\n")
        self.csv.writerow(header_cells(header))

    def write(self, source: SourceRow, result: RowResult) -> None:
        self.csv.writerow([*own_cells(source, len(self.header)), *result_cells(result)])

    def finish(self, summary: Summary) -> None:
        self.handle.close()

    def close(self) -> None:
        self.handle.close()
