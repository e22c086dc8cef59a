"""The 符合性分析 tables (issue 21): true to the verdict, verbatim, in clause order."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook
from tests.test_example_projects import EXAMPLES, FORMS
from typer.testing import CliRunner

from compliance.checker import read_form_file
from compliance.cli import app
from compliance.presenters.conformity import Conformity, build
from compliance.presenters.conformity_docx import render_conformity_docx
from compliance.presenters.conformity_md import HEADER, render_conformity_md
from compliance.rulebook import load_rulebook
from compliance.rulebook.lint import load_sources, squeeze
from compliance.rulebook.order import document_order

GOLDEN = Path(__file__).parent / "golden" / "several-violations.conformity.md"
SOURCES = load_sources(load_rulebook())


def conformity_of(checker, path: Path) -> tuple[Conformity, object]:
    form = read_form_file(path)
    verdict = checker.check(form)
    return build(verdict, checker.rulebook, checker.facts(form).values), verdict


@pytest.mark.parametrize("path", FORMS, ids=lambda path: path.stem)
def test_every_example_gives_tables_true_to_its_verdict(checker, path: Path) -> None:
    conformity, verdict = conformity_of(checker, path)
    statuses = {result.rule_id: result.status for result in verdict.results}
    rows = [row for table in conformity.tables for row in table.rows]
    for row in rows:
        rule = checker.rulebook.by_id[row.rule_id]
        assert row.requirement == rule.rule.quote  # verbatim (lint checks it against sources)
        assert row.status == statuses[row.rule_id]
        assert row.finding != "符合" or row.status == "pass"
        if row.status == "needs_info":
            assert row.finding == "待补充" and row.missing
    in_tables = {row.rule_id for row in rows}
    outside = {doc.number for doc in conformity.outside}
    for rule_id in statuses:  # every rule is in one table, or its document is out of reach
        rule = checker.rulebook.by_id[rule_id]
        assert (rule_id in in_tables) != (rule.document.number in outside)
    for table in conformity.tables:  # rows in clause order
        document = next(rule.document for rule in checker.rulebook.rules
                        if rule.document.number == table.number)
        order = document_order(checker.rulebook, document.id)
        positions = [_position(row.clause, order) for row in table.rows]
        assert positions == sorted(positions)
        assert [row.number for row in table.rows] == list(range(1, len(table.rows) + 1))
    says_compliant = conformity.conclusion.startswith("综上所述，本项目符合")
    assert says_compliant == (verdict.verdict == "compliant" and
                              not any(row.status == "needs_info" for row in rows) and
                              conformity.catalogue.finding.startswith("符合"))


def _position(clause: str, order: dict[str, int]) -> tuple[int, int]:
    """A clause's place in the document; one the coverage list lacks (`二、（三）第2段`) comes
    after the listed clause it lies within."""
    if clause in order:
        return order[clause], 0
    parents = [listed for listed in order if clause.startswith(listed)]
    assert parents, clause
    return order[max(parents, key=len)], 1


def test_documents_out_of_reach_are_listed_once_with_the_reason(durable_checker) -> None:
    conformity, _ = conformity_of(durable_checker, EXAMPLES / "hebi-coking-outside-anyang.yaml")
    reasons = {doc.number: doc.reason for doc in conformity.outside}
    assert reasons["安政办〔2019〕19号"].startswith("项目不在河南省安阳市")
    assert reasons["工信部联节〔2017〕178号"].startswith("项目不在长江经济带11省市")
    assert "安政办〔2019〕19号" not in {table.number for table in conformity.tables}


def test_the_catalogue_row_says_what_was_declared_not_checked(durable_checker) -> None:
    conformity, _ = conformity_of(
        durable_checker, EXAMPLES / "wuhan-steel-reduced-replacement-compliant.yaml")
    assert conformity.catalogue.situation == "申报为鼓励类（未经本工具核对）"
    assert conformity.conclusion.startswith("综上所述，本项目符合《")
    undeclared, _ = conformity_of(durable_checker,
                                  EXAMPLES / "anyang-steel-coking-several-violations.yaml")
    assert undeclared.catalogue.finding == "待补充"
    assert "不能得出本项目符合" in undeclared.conclusion
    assert "安政办〔2019〕19号 三、（二）2.（3）" in undeclared.conclusion


def test_the_markdown_of_the_several_violations_example(durable_checker) -> None:
    """A golden file. When the rules change on purpose, regenerate it with
    `compliance check examples/projects/anyang-steel-coking-several-violations.yaml -f
    conformity-md` and the ruleset version replaced by `<version>`, and read the diff."""
    conformity, _ = conformity_of(durable_checker,
                                  EXAMPLES / "anyang-steel-coking-several-violations.yaml")
    text = re.sub(r"规则集版本 \w+", "规则集版本 <version>", render_conformity_md([conformity]))
    assert text == GOLDEN.read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_cli_writes_the_tables_in_chinese_only(tmp_path: Path) -> None:
    form = str(EXAMPLES / "anyang-coking-4.3m-oven-rejected.yaml")
    result = CliRunner().invoke(app, ["check", form, "-f", "conformity-md",
                                      "--engine", "python"])
    assert result.exit_code == 1, result.output
    assert "| 序号 | 文件名称及文号 | 条款 | 文件要求 | 本项目情况 | 符合性 |" in result.output
    assert "**不符合**" in result.output and "## 结论" in result.output
    english = CliRunner().invoke(app, ["check", form, "-f", "conformity-md", "--lang", "en"])
    assert english.exit_code == 2 and "只有中文" in english.output


@pytest.mark.parametrize("path", FORMS, ids=lambda path: path.stem)
def test_the_word_tables_read_back_as_a_consultant_pastes_them(checker, path: Path,
                                                               tmp_path: Path) -> None:
    """Issue 21 item 5: header cells, one row per rule in reach, quotes verbatim, no 符合 for
    a missing fact, the conclusion as the verdict says."""
    conformity, verdict = conformity_of(checker, path)
    target = tmp_path / "符合性分析.docx"
    render_conformity_docx([conformity], target)
    document = Document(str(target))
    tables = document.tables
    assert len(tables) == len(conformity.tables) + 1  # and the catalogue's
    for word, table in zip(tables, [*conformity.tables, conformity.catalogue_table],
                           strict=True):
        header, *rows = word.rows
        assert [cell.text for cell in header.cells] == list(HEADER)
        assert header._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on each page
        assert len(rows) == len(table.rows)
        for row, expected in zip(rows, table.rows, strict=True):
            cells = [cell.text for cell in row.cells]
            assert cells[3] == expected.requirement and cells[1] == table.number
            if expected.rule_id in checker.rulebook.by_id:  # verbatim in the source text
                source = checker.rulebook.by_id[expected.rule_id].document.source
                assert squeeze(cells[3]) in SOURCES[source]
            assert cells[5].split("\n")[0] == expected.finding
            if expected.status == "needs_info":
                assert cells[5].startswith("待补充")
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    assert conformity.conclusion in paragraphs
    assert paragraphs[0] == f"{verdict.project}：产业政策符合性分析"


@pytest.mark.slow
def test_the_cli_writes_a_word_file_only_where_told(tmp_path: Path) -> None:
    form = str(EXAMPLES / "anyang-coking-4.3m-oven-rejected.yaml")
    target = tmp_path / "符合性分析.docx"
    result = CliRunner().invoke(app, ["check", form, "-f", "conformity-docx", "-o",
                                      str(target), "--engine", "python"])
    assert result.exit_code == 1 and target.read_bytes()[:2] == b"PK"
    assert "不符合" in "".join(cell.text for table in Document(str(target)).tables
                               for row in table.rows for cell in row.cells)
    unnamed = CliRunner().invoke(app, ["check", form, "-f", "conformity-docx"])
    assert unnamed.exit_code == 2 and "-o" in unnamed.output
    sheet = tmp_path / "符合性分析.xlsx"
    excel = CliRunner().invoke(app, ["check", form, "-f", "conformity-xlsx", "-o", str(sheet),
                                     "--engine", "python"])
    assert excel.exit_code == 1 and load_workbook(sheet)["符合性分析"]["A1"].value.endswith(
        "：产业政策符合性分析")
