"""The clause coverage matrix: clause extraction, every kind of coverage problem, the command,
and docs/coverage.md kept in step with the rule files."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from compliance import cli
from compliance.paths import rules_dir
from compliance.rulebook import load_rulebook
from compliance.rulebook.clauses import (
    chinese_number,
    extract_clauses,
    normalise_clause,
    read_source_clauses,
    unnumbered_parent,
)
from compliance.rulebook.coverage import coverage_problems, render_markdown
from compliance.rulebook.lint import lint

ROOT = Path(__file__).resolve().parents[1]
SOURCES = rules_dir() / "sources"
runner = CliRunner()


# ------------------------------------------------------------------------------ docs/coverage.md

@pytest.mark.slow
def test_docs_coverage_md_is_up_to_date():
    generated = render_markdown(load_rulebook())
    current = (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8")
    assert current == generated, (
        "docs/coverage.md is stale: run `compliance rules coverage --format md > docs/coverage.md`")


# ------------------------------------------------------------------------------------ clauses

@pytest.mark.parametrize(("source", "count"), [
    ("anyang-2019-19-structure-adjustment-plan.txt", 160),
    ("miit-2016-225-green-development-plan.txt", 22),
    ("miit-2017-178-yangtze-belt-guidance.txt", 27),
    ("miit-2018-136-three-year-action-plan.txt", 19),
    ("xiaogan-2023-3-pollution-prevention-plan.txt", 21),
])
def test_clause_count_of_each_source(source, count):
    clauses = read_source_clauses(SOURCES / source)
    assert len(clauses) == count
    ids = [clause.id for clause in clauses]
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize(("source", "clause", "text"), [
    ("anyang-2019-19-structure-adjustment-plan.txt", "三、（二）2.（3）", "加大独立焦化企业淘汰力度"),
    ("anyang-2019-19-structure-adjustment-plan.txt", "三、（一）2.（2）", "全市原则上禁止新建"),
    ("anyang-2019-19-structure-adjustment-plan.txt", "四、（三）1.", "时间节点"),
    ("anyang-2019-19-structure-adjustment-plan.txt", "九、（三）", "加强引导激励"),
    ("miit-2016-225-green-development-plan.txt", "三、（七）", "充分发挥区域比较优势"),
    ("miit-2016-225-green-development-plan.txt", "四、（五）", "强化宣传引导"),
    ("miit-2017-178-yangtze-belt-guidance.txt", "三、（六）", "依法依规淘汰落后"),
    ("miit-2017-178-yangtze-belt-guidance.txt", "六、（二十一）", "加大宣传力度"),
    ("miit-2018-136-three-year-action-plan.txt", "二、（四）", "实施错峰生产"),
    ("miit-2018-136-three-year-action-plan.txt", "三、（九）", "打好柴油货车"),
    ("xiaogan-2023-3-pollution-prevention-plan.txt", "二、1.", "参与对新建“两高”项目"),
    ("xiaogan-2023-3-pollution-prevention-plan.txt", "三、3.", "强化跟踪落实"),
    ("xiaogan-2023-3-pollution-prevention-plan.txt", "附件序号5", "推进固体废物综合治理"),
])
def test_known_clause_ids_and_their_first_text(source, clause, text):
    found = {c.id: c for c in read_source_clauses(SOURCES / source)}
    assert clause in found
    assert found[clause].text.startswith(text)


def test_anyang_hierarchy_half_width_brackets_and_page_breaks():
    clauses = {c.id: c for c in read_source_clauses(
        SOURCES / "anyang-2019-19-structure-adjustment-plan.txt")}
    # printed "(二) 加大产能压减力度。" and "(6) 淘汰 2000 吨/日…直径 3\n\n米及以下…"
    assert clauses["三、（二）"].text.startswith("加大产能压减力度")
    assert clauses["三、（二）2.（6）"].text.startswith("淘汰 2000 吨/日")
    assert clauses["三、（二）2.（6）"].parent == "三、（二）2."
    assert "三、（二）2.（8）" not in clauses
    # 六、（二）2. has a paragraph but no (1)
    assert "六、（二）2.（1）" not in clauses and "六、（二）3." in clauses


def test_136_numbers_its_sections_through_the_chapters():
    ids = [c.id for c in read_source_clauses(SOURCES / "miit-2018-136-three-year-action-plan.txt")]
    assert ids[:4] == ["一、", "二、", "二、（一）", "二、（二）"]
    assert "三、（五）" in ids and "五、（十四）" in ids and "三、（一）" not in ids


def test_annex_titles_are_not_clauses():
    ids = [c.id for c in read_source_clauses(SOURCES / "miit-2017-178-yangtze-belt-guidance.txt")]
    assert ids[-1] == "六、（二十一）"


SYNTHETIC = """\
某某文件

一、总 体要求
到 2020 年，
2020 年完成。

## 二、主要任务

( 一 ) 第一节。
1． 时间节点：2019 年。
2. 主要任务：
（1）第一项，力争 0.4 左右；
3 米及以下焦炉。
(2) 第二项。
3.责任单位。
（二）
第二节标题在下一行。
（1）不是（二）的子项的续号，而是新的第一项。
### **三、保障措施**
**1. 加强组织领导。**正文。
（四）跳号，不是标题。
"""


def test_synthetic_text_nesting_normalisation_and_noise():
    clauses = extract_clauses(SYNTHETIC)
    assert [c.id for c in clauses] == [
        "一、", "二、", "二、（一）", "二、（一）1.", "二、（一）2.", "二、（一）2.（1）",
        "二、（一）2.（2）", "二、（一）3.", "二、（二）", "二、（二）（1）", "三、", "三、1."]
    by_id = {c.id: c for c in clauses}
    assert by_id["二、（二）"].text == "第二节标题在下一行。"
    assert by_id["三、1."].text == "加强组织领导。正文。"
    assert by_id["二、（一）2.（1）"].depth == 4


def test_chinese_numbers_and_normalisation():
    assert [chinese_number(n) for n in ("一", "十", "十四", "二十一", "九十九")] == [1, 10, 14, 21, 99]
    assert normalise_clause("三、 (二) 2．(3)") == "三、（二）2.（3）"


def test_unnumbered_marker():
    assert unnumbered_parent("二、（三）第2段") == "二、（三）"
    assert unnumbered_parent("二、（三）第2段第1句") == "二、（三）"
    assert unnumbered_parent("第1段") == ""
    assert unnumbered_parent("二、（三）") is None
    assert unnumbered_parent("二、（三）第0段") is None


# ----------------------------------------------------------------------------------- problems

SOURCE_TEXT = """\
测试文件

一、总体要求

说明。

二、主要任务

（一）禁止事项。严禁新建焦化项目。

（二）鼓励事项。鼓励采用干熄焦。
"""

EXAMPLE_FORM = {"project_type": "new", "industry": "C2521"}
RULE = {
    "id": "test-doc/no-coking",
    "title": {"zh": "严禁新建焦化", "en": "No new coking"},
    "clause": "二、（一）",
    "quote": "严禁新建焦化项目。",
    "effect": "prohibit",
    "applies_to": {"industries": ["coking"], "project_types": ["new"]},
    "remedy": "不建设焦化项目。",
    "examples": [{"name": "新建焦化", "expect": "fail", "form": EXAMPLE_FORM},
                 {"name": "扩建焦化", "expect": "not_applicable",
                  "form": {**EXAMPLE_FORM, "project_type": "expansion"}}],
}
CLEAN = {
    "document": {"id": "test-doc", "title": "测试文件", "number": "测试〔2024〕1号",
                 "issuer": "测试机关", "issued": "2024-01-01", "source": "test.txt",
                 "jurisdiction": {"name_zh": "全国"}},
    "rules": [RULE],
    "coverage": [
        {"clause": "一、", "status": "informational", "reason": "章标题", "summary": "总体要求"},
        {"clause": "一、第1段", "status": "informational", "reason": "说明", "summary": "说明"},
        {"clause": "二、", "status": "informational", "reason": "章标题", "summary": "主要任务"},
        {"clause": "二、（一）", "status": "encoded", "summary": "严禁新建焦化"},
        {"clause": "二、（二）", "status": "not_project_level", "reason": "鼓励", "summary": "干熄焦"},
    ],
}


def _write(tmp_path: Path, data: dict, source: bool = True) -> Path:
    (tmp_path / "sources").mkdir(exist_ok=True)
    if source:
        (tmp_path / "sources" / "test.txt").write_text(SOURCE_TEXT, encoding="utf-8")
    (tmp_path / "test.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return tmp_path


def problems(tmp_path: Path, mutate=None, *, source: bool = True,
             required: bool = False) -> list[str]:
    data = copy.deepcopy(CLEAN)
    if mutate:
        mutate(data)
    rulebook = load_rulebook(_write(tmp_path, data, source))
    return [str(problem) for problem in coverage_problems(rulebook, required=required)]


def kinds(found: list[str]) -> set[str]:
    return {kind for text in found for kind in re.findall(r"\[([a-z][a-z-]+)\]", text)}


def _entry(data: dict, clause: str) -> dict:
    return next(entry for entry in data["coverage"] if entry["clause"] == clause)


def test_clean_coverage_has_no_problems(tmp_path):
    assert problems(tmp_path) == []


def test_rule_whose_clause_is_not_encoded(tmp_path):
    def mutate(data):
        _entry(data, "二、（一）").update(status="informational", reason="误标")
    found = problems(tmp_path, mutate)
    assert kinds(found) == {"rule-not-encoded"}
    assert "test-doc/no-coking" in found[0] and "marks informational" in found[0]


def test_rule_whose_clause_has_no_entry(tmp_path):
    def mutate(data):
        data["rules"][0]["clause"] = "二、（一）第1段"
    assert "rule-not-encoded" in kinds(problems(tmp_path, mutate))


def test_rule_left_out_of_an_explicit_list(tmp_path):
    def mutate(data):
        second = copy.deepcopy(RULE) | {"id": "test-doc/no-coking-2"}
        data["rules"].append(second)
        _entry(data, "二、（一）")["rules"] = ["test-doc/no-coking"]
    found = problems(tmp_path, mutate)
    assert kinds(found) == {"rule-not-encoded"} and "no-coking-2" in found[0]


def test_encoded_entry_without_a_rule(tmp_path):
    def mutate(data):
        _entry(data, "二、（二）").update(status="encoded", reason=None)
    assert kinds(problems(tmp_path, mutate)) == {"encoded-without-rule"}


def test_listed_rule_that_does_not_exist(tmp_path):
    def mutate(data):
        _entry(data, "二、（一）")["rules"] = ["test-doc/no-coking", "test-doc/nope"]
    found = problems(tmp_path, mutate)
    assert kinds(found) == {"unknown-rule"} and "test-doc/nope" in found[0]


def test_listed_rule_that_cites_another_clause(tmp_path):
    def mutate(data):
        _entry(data, "二、（二）").update(status="encoded", reason=None,
                                       rules=["test-doc/no-coking"])
    found = problems(tmp_path, mutate)
    assert kinds(found) == {"rule-cites-other-clause"} and "cites clause 二、（一）" in found[0]


def test_duplicate_clause(tmp_path):
    def mutate(data):
        data["coverage"].append(copy.deepcopy(_entry(data, "二、（二）")))
    assert kinds(problems(tmp_path, mutate)) == {"duplicate-clause"}


def test_numbered_clause_missing_from_coverage(tmp_path):
    def mutate(data):
        data["coverage"] = [e for e in data["coverage"] if e["clause"] != "二、"]
    found = problems(tmp_path, mutate)
    assert kinds(found) == {"clause-not-covered"} and "二、" in found[0]


@pytest.mark.parametrize("clause", ["二、（三）", "三、第1段", "二、（一）附注"])
def test_clause_that_is_neither_numbered_nor_marked(tmp_path, clause):
    def mutate(data):
        data["coverage"].append({"clause": clause, "status": "informational", "reason": "x",
                                 "summary": "x"})
    assert kinds(problems(tmp_path, mutate)) == {"unknown-clause"}


def test_unnumbered_paragraphs_and_the_preamble_are_accepted(tmp_path):
    def mutate(data):
        data["coverage"].insert(0, {"clause": "第1段", "status": "informational", "reason": "x",
                                    "summary": "x"})
        data["coverage"].append({"clause": "二、（二）第1段第2句", "status": "informational",
                                 "reason": "x", "summary": "x"})
    assert problems(tmp_path, mutate) == []


def test_half_width_clause_is_flagged(tmp_path):
    def mutate(data):
        _entry(data, "二、（二）")["clause"] = "二、(二)"
    assert "not-normalised" in kinds(problems(tmp_path, mutate))


def test_entries_out_of_document_order(tmp_path):
    def mutate(data):
        coverage = data["coverage"]
        coverage[3], coverage[4] = coverage[4], coverage[3]
    found = problems(tmp_path, mutate)
    assert kinds(found) == {"out-of-order"}


def test_paragraph_listed_after_the_next_clause_is_out_of_order(tmp_path):
    def mutate(data):
        paragraph = data["coverage"].pop(1)
        data["coverage"].append(paragraph)
    assert kinds(problems(tmp_path, mutate)) == {"out-of-order"}


def test_entry_without_summary(tmp_path):
    def mutate(data):
        del _entry(data, "二、")["summary"]
    assert kinds(problems(tmp_path, mutate)) == {"no-summary"}


def test_missing_source_text(tmp_path):
    assert kinds(problems(tmp_path, source=False)) == {"missing-source"}


def test_missing_coverage_list_only_when_required(tmp_path):
    def mutate(data):
        del data["coverage"]
    assert problems(tmp_path, mutate) == []
    assert kinds(problems(tmp_path, mutate, required=True)) == {"missing-coverage"}


def test_lint_reports_coverage_problems(tmp_path):
    data = copy.deepcopy(CLEAN)
    data["coverage"] = data["coverage"][:-1]
    found = [str(p) for p in lint(load_rulebook(_write(tmp_path, data)))]
    assert any("[clause-not-covered]" in p and "二、（二）" in p for p in found)


@pytest.mark.slow
def test_shipped_rule_files_have_no_coverage_problems():
    assert [str(p) for p in coverage_problems(load_rulebook())] == []


# ------------------------------------------------------------------------------------- command

@pytest.mark.slow
def test_coverage_json_rows():
    result = runner.invoke(cli.app, ["rules", "coverage", "--format", "json",
                                     "--document", "工信部节〔2018〕136号"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows and {"number", "clause", "status", "rules", "reason"} <= set(rows[0])
    assert {row["number"] for row in rows} == {"工信部节〔2018〕136号"}
    by_clause = {row["clause"]: row for row in rows}
    assert "miit-2018-136/key-region-no-new-capacity" in by_clause["二、（二）"]["rules"]
    assert all(row["reason"] for row in rows if row["status"] != "encoded")


@pytest.mark.slow
def test_coverage_markdown_and_terminal():
    result = runner.invoke(cli.app, ["rules", "coverage", "-f", "md", "-d", "miit-2018-136"])
    assert result.exit_code == 0
    assert result.stdout.startswith("# Clause coverage")
    assert "| 三、（九） | encoded |" in result.stdout
    result = runner.invoke(cli.app, ["rules", "coverage", "-d", "miit-2018-136"])
    assert result.exit_code == 0 and "encoded" in result.stdout


@pytest.mark.slow
def test_coverage_unknown_document_or_format_exits_2():
    assert runner.invoke(cli.app, ["rules", "coverage", "-d", "nope"]).exit_code == 2
    assert runner.invoke(cli.app, ["rules", "coverage", "-f", "html"]).exit_code == 2


# -------------------------------------------------------------------------------- docs/rules.md

def test_the_worked_example_in_docs_rules_md_lints_clean(tmp_path):
    from compliance.checker import Checker

    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    source = re.search(r"```text\n(.*?)```", text, re.S).group(1)
    rule_file = re.search(r"```yaml\n(# 示例.*?)```", text, re.S).group(1)
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "example-city-2024-1.txt").write_text(source, encoding="utf-8")
    (tmp_path / "example-city-2024-1.yaml").write_text(rule_file, encoding="utf-8")
    rulebook = load_rulebook(tmp_path)
    assert len(rulebook.rules) == 1 and rulebook.files[0][1].coverage
    with Checker(rulebook, engine="python") as checker:
        assert [str(p) for p in lint(rulebook, checker)] == []
