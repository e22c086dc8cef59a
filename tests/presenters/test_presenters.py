"""Presenters: what an officer reads must carry the verdict, the citation, the quote, the missing
fields and the remedy, in Chinese by default, and the HTML must be safe, offline and printable."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from rich.console import Console

from compliance.paths import templates_dir
from compliance.presenters import (
    labels,
    render_html,
    render_json,
    render_markdown,
    render_terminal,
)
from compliance.presenters.html import environment
from compliance.presenters.markdown import cell
from compliance.result import Citation, Question, Result, Verdict

ANYANG = "安阳市产业结构调整专项实施方案"
ANYANG_NO = "安政〔2019〕19号"
YANGTZE = "关于加强长江经济带工业绿色发展的指导意见"
YANGTZE_NO = "工信部联节〔2017〕178号"

COKE_QUOTE = "在全市范围内淘汰炭化室高度在 4.3 米及以下的焦炉"
VOCS_QUOTE = "禁止建设生产和使用高 VOCs 含量的溶剂型涂料、油墨、胶粘剂等项目"


def result(rule_id: str, status: str, *, effect: str = "prohibit", title: str = "规则",
           document: str = ANYANG, number: str = ANYANG_NO, clause: str = "三、（一）",
           quote: str = "原文", explanation: str = "", missing: list[str] | None = None,
           remedy: str | None = None) -> Result:
    return Result(
        rule_id=rule_id, status=status, effect=effect, title=title,
        citation=Citation(document=document, number=number, clause=clause, quote=quote),
        explanation=explanation, missing=missing or [], remedy=remedy,
        valid_from=dt.date(2019, 3, 1),
    )


@pytest.fixture
def rejected() -> Verdict:
    results = [
        result("anyang.pass_1", "pass", title="超低排放", explanation="达到超低排放"),
        result("anyang.na_1", "not_applicable", title="水泥熟料", explanation="行业不符"),
        result("anyang.advise_1", "advisory", effect="advise", title="推广清洁能源",
               remedy="优先使用天然气或电能"),
        result("anyang.vocs_needs", "needs_info", effect="require", title="VOCs 废气收集治理",
               clause="四、（四）2.（2）", quote="新建、改建、扩建涉 VOCs 排放项目应加强废气收集",
               explanation="未填写是否涉 VOCs 排放",
               missing=["emissions.vocs.involved", "emissions.vocs.collection_and_treatment"]),
        result("anyang.coke_oven_height", "fail", title="焦炉炭化室高度",
               clause="二、（一）2.（3）", quote=COKE_QUOTE,
               explanation="炭化室高度 4.3 米 ≤ 4.3 米", remedy="改建炭化室高度 6 米以上焦炉"),
        result("yangtze.two_high_review", "review", effect="restrict", title="严格控制两高项目",
               document=YANGTZE, number=YANGTZE_NO, clause="二、（三）",
               quote="严格控制沿江石油加工、化学原料等项目", explanation="沿江 两高 项目",
               remedy="提交联合审查意见"),
        result("anyang.vocs_solvent", "fail", title="高 VOCs 溶剂型涂料",
               clause="四、（四）2.（3）", quote=VOCS_QUOTE,
               explanation="使用高 VOCs 含量溶剂型涂料", remedy="改用水性 | 粉末涂料"),
    ]
    questions = [
        Question(field="emissions.vocs.involved", label="涉VOCs排放", help="填写 是 或 否",
                 rules=["anyang.vocs_needs"], decisive=True),
        Question(field="emissions.vocs.collection_and_treatment", label="废气收集与高效治理设施",
                 help="填写 是 或 否", rules=["anyang.vocs_needs"], decisive=True),
    ]
    return Verdict(project="安阳某焦化有限公司 60 万吨焦化项目", project_id="AY-2024-007",
                   verdict="rejected", as_of=dt.date(2024, 5, 1), ruleset_version="sha256:ab12cd34",
                   engine="python", results=results, questions=questions)


@pytest.fixture
def compliant() -> Verdict:
    results = [result("anyang.pass_1", "pass", title="超低排放", explanation="达到超低排放"),
               result("anyang.old", "not_in_force", title="旧规定", explanation="尚未生效")]
    return Verdict(project="孝感某电子项目", verdict="compliant", as_of=dt.date(2024, 1, 2),
                   ruleset_version="sha256:ab12cd34", engine="durable_rules", results=results)


def terminal_text(verdicts: list[Verdict], **kwargs: object) -> str:
    console = Console(record=True, width=120, color_system=None)
    render_terminal(verdicts, console, **kwargs)  # type: ignore[arg-type]
    return console.export_text()


# --- labels ---------------------------------------------------------------------------------

def test_labels_cover_every_contract_value() -> None:
    for lang in ("zh", "en"):
        lab = labels(lang)
        assert set(lab.verdict) == {"rejected", "needs_info", "needs_review", "compliant"}
        assert len(lab.status) == 7 and len(lab.effect) == 4
        assert set(labels("zh").h) == set(lab.h)
    assert labels("zh").h["fail"] == "不符合的规定"
    assert labels("en").h["fail"] == "Rules broken"
    with pytest.raises(ValueError):
        labels("fr")


# --- terminal -------------------------------------------------------------------------------

def test_terminal_shows_what_an_officer_needs(rejected: Verdict) -> None:
    text = terminal_text([rejected])
    assert "不予通过" in text
    assert "二、（一）2.（3）" in text and ANYANG_NO in text
    assert "米及以下的焦炉" in text  # the quote (it wraps: check a fragment)
    assert "含量的溶剂型涂料" in text
    assert "补正清单" in text and "【决定性】涉VOCs排放" in text  # each missing fact once
    assert "emissions.vocs.involved" in text
    assert "emissions.vocs.collection_and_treatment" in text
    assert "改建炭化室高度 6 米以上焦炉" in text and "提交联合审查意见" in text
    assert "优先使用天然气或电能" in text  # advisory
    assert "不符合 2 · 需审查 1 · 需补充 1 · 建议 1 · 符合 1 · 不适用 1" in text
    assert "超低排放" not in text  # passes hidden by default


def test_terminal_orders_by_status_and_numbers_remedies(rejected: Verdict) -> None:
    text = terminal_text([rejected])
    order = [text.index(title) for title in ("焦炉炭化室高度", "严格控制两高项目", "VOCs 废气收集")]
    assert order == sorted(order)
    assert re.search(r"1\. 改建炭化室高度", text) and re.search(r"3\. 提交联合审查意见", text)


def test_terminal_show_all_adds_pass_rows(rejected: Verdict) -> None:
    text = terminal_text([rejected], show_all=True)
    assert "超低排放" in text and "水泥熟料" in text
    assert "anyang.pass_1" in text


def test_terminal_markup_in_data_is_not_interpreted() -> None:
    verdict = Verdict(project="[bold]项目[/bold]", verdict="compliant", as_of=dt.date(2024, 1, 1),
                      ruleset_version="v", engine="python", results=[])
    text = terminal_text([verdict])
    assert "[bold]项目[/bold]" in text and "没有需要处理的规定" in text


def test_terminal_english(rejected: Verdict, compliant: Verdict) -> None:
    text = terminal_text([rejected, compliant], lang="en")
    assert "Rejected" in text and "Compliant" in text and "Facts to supply" in text
    assert "不予通过" not in text


# --- markdown -------------------------------------------------------------------------------

def test_markdown_escapes_table_cells(rejected: Verdict) -> None:
    assert cell("a|b\nc") == "a\\|b<br>c"
    md = render_markdown([rejected])
    assert "# 安阳某焦化有限公司" in md and "**审查结论：不予通过**" in md
    rows = [line for line in md.splitlines() if line.startswith("| ")]
    assert len(rows) == 1 + 4  # header + fail, fail, review, needs_info
    assert all(row.count("|") - row.count("\\|") == 5 for row in rows)
    assert f"> {COKE_QUOTE}" in md
    assert f"> —— 《{ANYANG}》{ANYANG_NO} 二、（一）2.（3）" in md
    assert "1. 改建炭化室高度 6 米以上焦炉（`anyang.coke_oven_height`）" in md


def test_markdown_pipe_in_table_is_escaped() -> None:
    verdict = Verdict(project="p", verdict="rejected", as_of=dt.date(2024, 1, 1),
                      ruleset_version="v", engine="python",
                      results=[result("r.1", "fail", title="A | B", explanation="x\ny")])
    row = next(line for line in render_markdown([verdict]).splitlines()
               if line.startswith("| 不符合"))
    assert "A \\| B" in row and "x<br>y" in row
    assert row.count("|") - row.count("\\|") == 5


def test_markdown_show_all_and_english(compliant: Verdict) -> None:
    assert "旧规定" not in render_markdown([compliant])
    assert "## 其他规定" in render_markdown([compliant], show_all=True)
    english = render_markdown([compliant], lang="en", show_all=True)
    assert "**Verdict: Compliant**" in english and "## Other rules" in english


# --- html -----------------------------------------------------------------------------------

def test_html_contains_quote_citation_and_sections(rejected: Verdict) -> None:
    html = render_html([rejected])
    assert '<html lang="zh-CN">' in html
    assert f"<blockquote>{COKE_QUOTE}</blockquote>" in html
    assert f"依据：</strong>《{ANYANG}》{ANYANG_NO} 二、（一）2.（3）" in html
    assert "<code>emissions.vocs.involved</code>" in html
    assert "改建炭化室高度 6 米以上焦炉" in html and "AY-2024-007" in html
    positions = [html.index(heading) for heading in
                 ("<h2>不符合的规定", "<h2>需审查", "<h2>补正清单", "<summary>需补充的材料",
                  "<h2>建议")]
    assert positions == sorted(positions)  # the needs_info cards folded under the 补正清单
    assert "<details" in html and "<details class=\"others\" open" not in html
    assert "不予通过" in html  # the verdict in words, not only in colour


def test_html_is_offline_printable_and_deterministic(rejected: Verdict,
                                                     compliant: Verdict) -> None:
    html = render_html([rejected, compliant])
    assert "http://" not in html and "https://" not in html
    assert "<script" not in html.lower() and "<link" not in html.lower()
    assert "@import" not in html and "url(" not in html
    assert "@page" in html and "size: A4" in html and "@media print" in html
    assert "break-before: page" in html
    assert "Noto Sans CJK SC" in html
    assert html.count('<section class="project">') == 2
    assert "合规审查工具" in html
    assert html == render_html([rejected, compliant])


def test_html_autoescapes_untrusted_text() -> None:
    verdict = Verdict(project="<script>alert(1)</script>", verdict="rejected",
                      as_of=dt.date(2024, 1, 1), ruleset_version="v", engine="python",
                      results=[result("r.1", "fail", quote="<b>x</b> & y")])
    html = render_html([verdict])
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html
    assert "&lt;b&gt;x&lt;/b&gt; &amp; y" in html


def test_j2_templates_are_autoescaped() -> None:
    env = environment()
    assert templates_dir().joinpath("verdict.html.j2").is_file()
    assert env.autoescape("verdict.html.j2") is True  # type: ignore[operator]
    assert env.autoescape("anything.j2") is True  # type: ignore[operator]
    assert env.from_string("{{ x }}").render(x="<i>") == "&lt;i&gt;"


def test_html_show_all_opens_details_and_english(compliant: Verdict) -> None:
    assert '<details class="others" open>' in render_html([compliant], show_all=True)
    html = render_html([compliant], lang="en")
    assert '<html lang="en">' in html and "Compliant" in html and "Other rules" in html
    assert "No rule needs action." in html


# --- json -----------------------------------------------------------------------------------

def test_json_single_and_array(rejected: Verdict, compliant: Verdict) -> None:
    single = render_json([rejected], single=True)
    data = json.loads(single)
    assert isinstance(data, dict)
    assert set(data) == set(Verdict.model_fields)
    assert data["as_of"] == "2024-05-01" and data["verdict"] == "rejected"
    assert "不予通过" not in single and "安阳某焦化" in single  # no labels added, no \\u escapes
    assert Verdict.model_validate(data) == rejected
    array = json.loads(render_json([rejected, compliant], single=False))
    assert [item["verdict"] for item in array] == ["rejected", "compliant"]
    assert json.loads(render_json([compliant], single=False))[0]["project"] == "孝感某电子项目"
    with pytest.raises(ValueError):
        render_json([rejected, compliant], single=True)


def test_an_ended_rule_reads_expired_and_a_future_one_not_in_force() -> None:
    from compliance.presenters.labels import status_label

    ended = result("miit.plan", "not_in_force")
    ended = ended.model_copy(update={"valid_until": dt.date(2020, 12, 31)})
    assert status_label(ended, dt.date(2021, 1, 1), "zh") == "已失效"
    assert status_label(ended, dt.date(2019, 1, 1), "zh") == "未生效"
    verdict = Verdict(project="p", verdict="compliant", as_of=dt.date(2022, 1, 1),
                      ruleset_version="v", engine="python", results=[ended])
    assert "已失效" in terminal_text([verdict], show_all=True)
    assert "已失效" in render_html([verdict], show_all=True)


def test_project_data_shows_choices_however_the_form_wrote_them() -> None:
    """A form file may say 新建 or 固定床间歇式 (the form accepts them): the report's project
    data names the choice, never fails on it; an unknown spelling is shown as written."""
    from compliance.presenters.html import project_rows

    rows = dict(project_rows({"project_type": "新建", "technology": {
        "coal_gasifier": "固定床间歇式"}, "fuel": ["煤", "electricity"]}, "zh"))
    assert rows["建设性质"] == "新建" and "固定床" in rows["煤气化炉型"]
    assert rows["燃料"] == "煤、电"
    assert dict(project_rows({"project_type": "扩张"}, "zh"))["建设性质"] == "扩张"
