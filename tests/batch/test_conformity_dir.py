"""`compliance batch --conformity-dir`: one Word file of 符合性分析 tables per checked row."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from docx import Document

from compliance.batch.writers.conformity import file_name
from tests.batch.conftest import run

LIST = Path(__file__).resolve().parents[2] / "examples" / "lists" / "projects.gbk.csv"


@pytest.mark.slow
def test_one_word_file_per_checked_row_in_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "符合性分析"
    result = run("batch", LIST, "--conformity-dir", folder, "-o", tmp_path / "r.jsonl",
                 "--engine", "python", "--workers", "2")
    assert result.exit_code == 1, result.stderr
    lines = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text("utf-8").splitlines()]
    checked = [line for line in lines if line["verdict"] != "error"]
    files = sorted(folder.iterdir())
    assert [path.name for path in files] == [file_name(line["row"], line["project"])
                                             for line in checked]
    first = Document(str(files[0]))
    assert first.paragraphs[0].text == f"{checked[0]['project']}：产业政策符合性分析"
    assert "counts" not in lines[0] and len(lines[0]["results"]) > 60  # still full verdicts
    assert not list(tmp_path.glob(".*.part"))


@pytest.mark.slow
def test_a_zip_beside_findings_and_nothing_left_when_refused(tmp_path: Path) -> None:
    archive = tmp_path / "tables.zip"
    result = run("batch", LIST, "--conformity-dir", archive, "-o", tmp_path / "r.jsonl",
                 "--jsonl-results", "findings", "--engine", "python")
    assert result.exit_code == 1, result.stderr
    names = zipfile.ZipFile(archive).namelist()
    assert len(names) == 22 and all(name.endswith(".docx") for name in names)
    first = json.loads((tmp_path / "r.jsonl").read_text("utf-8").splitlines()[0])
    assert "counts" in first  # findings stay findings
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x.txt").write_text("x")
    refused = run("batch", LIST, "--conformity-dir", tmp_path / "full", "--engine", "python")
    assert refused.exit_code == 2 and "不是空文件夹" in refused.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["full", "r.jsonl", "tables.zip"]


def test_file_names_are_safe_and_sort_as_the_list() -> None:
    assert file_name(7, "安阳/龙安区:焦化\n项目*") == "000007-安阳_龙安区_焦化 项目.docx"
    assert file_name(12, None) == "000012-未填名称.docx"
    assert file_name(3, "..") == "000003-未填名称.docx"
