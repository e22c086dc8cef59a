"""`--conformity-dir`: one Word file of 符合性分析 tables per checked row, in a folder or a .zip.

For a screening team that hands each enterprise its own table. The files are written into a
temporary folder beside the target and moved into place only when the whole run succeeded, as
every other output is; a row that could not be checked has no file (its error is in the lists).
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from pathlib import Path

from compliance.batch.outcome import RowResult
from compliance.batch.readers import SourceRow
from compliance.batch.summary import Summary

#: what a file name may not hold on Windows, Linux or macOS (and control characters)
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')


def file_name(row: int, project: str | None) -> str:
    """`000002-安阳县焦化项目.docx`: the row number first, so the files sort as the list."""
    name = _UNSAFE.sub("_", " ".join((project or "").split()))[:60].strip(" ._")
    return f"{row:06d}-{name or '未填名称'}.docx"


class ConformityWriter:
    """One .docx per row with a verdict; a target ending in `.zip` is written as one archive."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.",
                                             suffix=".part"))
        self.archive: Path | None = None

    @property
    def zipped(self) -> bool:
        return self.target.suffix.lower() == ".zip"

    def write(self, source: SourceRow, result: RowResult) -> None:
        # imported here: Word's libraries (docxtpl, lxml) cost every batch run ~15 MiB a process
        from compliance.presenters.conformity_docx import render_conformity_docx

        if result.conformity is not None:
            render_conformity_docx([result.conformity],
                                   self.staging / file_name(result.row, result.project))

    def finish(self, summary: Summary) -> None:
        if self.zipped:
            self.archive = self.staging.with_name(self.staging.name + ".zip")
            with zipfile.ZipFile(self.archive, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in sorted(self.staging.iterdir()):
                    archive.write(path, path.name)

    def commit(self) -> None:
        if self.archive is not None:
            self.archive.replace(self.target)
            shutil.rmtree(self.staging, ignore_errors=True)
        else:
            if self.target.is_dir():
                self.target.rmdir()  # refused up front unless empty
            self.staging.replace(self.target)

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
        if self.archive is not None:
            self.archive.unlink(missing_ok=True)
