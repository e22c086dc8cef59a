"""In a real browser: Debian's Chromium, headless, driven by Playwright, against uvicorn.

The browser is installed by the project's setup script (apt: chromium, fonts-noto-cjk,
poppler-utils), never downloaded by Playwright; when it is missing these tests fail and say so.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from compliance.web.batch import installed_runner
from compliance.web.subprocess_server import ServerProcess
from tests.web.conftest import ANYANG_NUMBER, ANYANG_QUOTE, ROOT, example

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SETUP_HINT = ("请先运行项目的安装脚本（它用 apt 安装 chromium、fonts-noto-cjk、poppler-utils）"
              " / run the project's setup script first")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with ServerProcess(tmp_path_factory.mktemp("browser"),
                       env={"COMPLIANCE_RATE_LIMIT_PER_MINUTE": "0"}) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} 不存在。{SETUP_HINT}", pytrace=False)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, server: ServerProcess) -> Iterator[Page]:
    context = browser.new_context(base_url=server.url, locale="zh-CN")
    opened = context.new_page()
    yield opened
    context.close()


def fill_rejected_coking_project(page: Page) -> None:
    page.goto("/check")
    page.get_by_label("项目名称").fill("安阳县独立焦化企业焦炉置换项目")
    page.get_by_label("建设性质").select_option(label="新建")
    page.get_by_label("所属行业").fill("C2521")
    page.get_by_label("城市", exact=True).fill("安阳市")
    page.get_by_label("申报日期").fill("2019-09-18")
    page.get_by_role("button", name="下一步：列出需要回答的问题").click()
    expect(page.locator("#step-questions")).to_contain_text("需要回答的问题")
    page.get_by_label("焦炉炭化室高度").fill("4.3")
    page.get_by_role("button", name="提交审查").click()
    page.wait_for_url("**/checks/*")


def test_a_rejected_project_in_the_browser(page: Page) -> None:
    fill_rejected_coking_project(page)
    expect(page.get_by_role("status")).to_contain_text("不予通过")
    card = page.locator("article.card.fail")
    expect(card).to_contain_text(ANYANG_NUMBER)
    expect(card.locator("blockquote")).to_contain_text(ANYANG_QUOTE)
    expect(page.get_by_role("button", name="打印")).to_be_visible()  # the JS enhancement ran


def test_an_incomplete_form_names_the_missing_fields(page: Page) -> None:
    page.goto("/check")
    page.get_by_label("项目名称").fill("缺项目")
    page.get_by_role("button", name="下一步：列出需要回答的问题").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("表单有 3 处问题")
    expect(alert).to_contain_text("建设性质")
    expect(alert).to_contain_text("所属行业")
    expect(page.locator("#f-location-city-error")).to_contain_text("请填写项目所在城市")
    expect(page.locator("#f-industry-error")).to_have_text("必填项，未填写")
    expect(page.get_by_label("项目名称")).to_have_value("缺项目")


def test_the_permalink_shows_the_same_check_later(page: Page, browser: Browser,
                                                  server: ServerProcess) -> None:
    fill_rejected_coking_project(page)
    permalink = page.locator(".project-head a").first.get_attribute("href")
    assert permalink and permalink == page.url
    other = browser.new_context(base_url=server.url).new_page()  # another officer, no cookies
    other.goto(permalink)
    expect(other.get_by_role("status")).to_contain_text("不予通过")
    expect(other.locator("h1")).to_have_text("合规审查报告")
    other.context.close()


def test_printing_to_pdf_keeps_the_citation(page: Page, tmp_path: Path) -> None:
    fill_rejected_coking_project(page)
    pdf = tmp_path / "report.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    if not shutil.which("pdftotext"):
        pytest.fail(f"pdftotext 不存在。{SETUP_HINT}", pytrace=False)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    flat = "".join(text.split())
    assert ANYANG_NUMBER in flat and "".join(ANYANG_QUOTE.split()) in flat
    assert "不予通过" in flat and "项目审查" not in flat  # navigation is not printed
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "pts (A4)" in info  # the print stylesheet's @page size


def test_uploading_a_small_list_shows_the_counts(page: Page, tmp_path: Path) -> None:
    if installed_runner("python") is None:
        pytest.fail("compliance.batch 未安装：批量审查不可用", pytrace=False)
    listing = tmp_path / "清单.jsonl"
    form = {"name": "安阳县焦化项目", "project_type": "new", "industry": "C2521",
            "location": {"city": "安阳市"}, "technology": {"coke_oven_chamber_height_m": 4.3}}
    listing.write_text("\n".join(json.dumps(f, ensure_ascii=False) for f in (form, form)) + "\n",
                       "utf-8")
    page.goto("/batch")
    page.get_by_label("项目清单文件").set_input_files(str(listing))
    page.get_by_role("button", name="上传并审查").click()
    expect(page.get_by_role("heading", name="共 2 个项目")).to_be_visible(timeout=60_000)
    expect(page.locator('[data-outcome="rejected"]')).to_have_text("2")


def pdf_text(page: Page, path: Path) -> tuple[int, str]:
    """Print the page with Chromium's own PDF; its page count and text without whitespace."""
    page.pdf(path=str(path), prefer_css_page_size=True, print_background=True)
    if not shutil.which("pdftotext"):
        pytest.fail(f"pdftotext 不存在。{SETUP_HINT}", pytrace=False)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages")))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return pages, "".join(text.split())


def test_a_long_report_prints_compactly(page: Page, server: ServerProcess,
                                        tmp_path: Path) -> None:
    """Cards may break across pages (kept whole they left pages a third blank: 28 pages for this
    project before, 13 after), and the collapsed passing / not-applicable list prints as its
    count line unless the officer opened it."""
    response = httpx2.post(f"{server.url}/api/v1/check", timeout=30,
                           json=example("anyang-steel-coking-several-violations"))
    page.goto(f"/checks/{response.headers['x-check-id']}")
    pages, text = pdf_text(page, tmp_path / "collapsed.pdf")
    assert pages <= 16, pages
    assert re.search(r"其他规定：符合、不适用或未生效（\d+条）（未展开，打印时从略）", text)
    check_id = response.headers["x-check-id"]
    assert f"1/{pages}" in text and f"{pages}/{pages}" in text  # page numbers
    assert text.count(f"审查编号{check_id}") >= pages  # with the check on every page's foot
    page.locator("details.others > summary").click()
    opened_pages, opened = pdf_text(page, tmp_path / "opened.pdf")
    assert "打印时从略" not in opened and opened_pages > pages + 2


def test_the_filed_report_prints_on_four_pages_with_everything_an_officer_files(
        page: Page, tmp_path: Path) -> None:
    """Issue 12 item 3: issuing body, project data, verdict, the rules broken and reviewed,
    the 补正清单, the rules passed, 审查意见 and 经办人/审核人/日期, and on every page the
    ruleset version, the as-of date and the page number."""
    from compliance.checker import Checker
    from compliance.presenters import render_html

    form = example("anyang-steel-coking-several-violations")
    with Checker(engine="python") as checker:
        verdict = checker.check(form)
    page.set_content(render_html([verdict], forms=[form], issuer="安阳市发展和改革委员会",
                                 references=[{"check_id": "abc123", "permalink": "http://x/1"}]))
    pages, text = pdf_text(page, tmp_path / "filed.pdf")
    assert pages <= 4, pages
    for words in ("安阳市发展和改革委员会", "项目基本情况", "安阳华钢实业集团有限公司", "焦炉炭化室高度4.3米",
                  "补正清单", "已审查、符合的规定", "审查意见", "经办人", "审核人", "日期",
                  "审查编号abc123", f"1/{pages}", f"{pages}/{pages}"):
        assert words in text, words
    assert text.count("规则集版本") >= pages  # on every page's foot


@pytest.fixture
def phone(browser: Browser, server: ServerProcess) -> Iterator[Page]:
    """A phone-sized window (390 × 844 CSS pixels, touch), as an applicant on site uses it."""
    context = browser.new_context(base_url=server.url, locale="zh-CN", is_mobile=True,
                                  has_touch=True, viewport={"width": 390, "height": 844})
    opened = context.new_page()
    yield opened
    context.close()


def fits_the_width(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_the_interview_on_a_phone(phone: Page) -> None:
    phone.goto("/check")
    assert fits_the_width(phone)
    expect(phone.get_by_label("焦炉炭化室高度")).to_have_count(0)  # not asked before the basics
    phone.get_by_label("项目名称").fill("安阳县焦化项目")
    phone.get_by_label("建设性质").select_option(label="新建")
    phone.get_by_label("所属行业").fill("C2521")
    phone.get_by_label("城市", exact=True).fill("安阳市")
    phone.get_by_role("button", name="下一步：列出需要回答的问题").click()
    expect(phone.locator("#f-industry-chosen")).to_have_text("已选：C2521 炼焦")
    questions = phone.locator("#step-questions")
    expect(questions).to_contain_text(re.compile(r"需要回答的问题（\d+ 项）"))
    first = phone.locator(".tag").first
    expect(first).to_contain_text("可能导致不予通过")
    expect(phone.locator(".other-fields")).not_to_have_attribute("open", "")
    phone.locator("#f-energy-two_high").locator("..").locator("summary").click()
    expect(phone.locator("#f-energy-two_high").locator("..")).to_contain_text("“两高”项目")
    assert fits_the_width(phone)
    phone.get_by_label("焦炉炭化室高度").fill("4.3")
    phone.get_by_role("button", name="提交审查").click()
    phone.wait_for_url("**/checks/*")
    expect(phone.get_by_role("status")).to_contain_text("不予通过")
    assert fits_the_width(phone)


def test_a_list_is_mapped_listed_row_by_row_and_opened(page: Page) -> None:
    """Issue 12 item 7: the batch mapping step and the per-row table, in the browser."""
    page.goto("/batch")
    page.get_by_label("项目清单文件").set_input_files(str(ROOT / "examples" / "lists" /
                                                         "projects.gbk.csv"))
    page.get_by_role("button", name="上传并审查").click()
    expect(page.get_by_role("heading", name="共 26 个项目")).to_be_visible(timeout=60_000)
    expect(page.locator("table.rows tbody tr").first).to_be_visible()
    page.get_by_label("联审情况").select_option(label="两高项目联合审查")
    page.get_by_role("button", name="按所选对应重新审查").click()
    expect(page.get_by_role("heading", name="共 26 个项目")).to_be_visible(timeout=60_000)
    expect(page.locator("p.hint", has_text="列对应")).to_contain_text("「联审情况」→ 两高项目联合审查")
    page.locator("table.rows a", has_text="孝感").first.wait_for()
    job_page = page.url.split("#")[0]
    page.goto(job_page + "/rows/6")
    expect(page.locator("article.card.fail", has_text="xiaogan-2023-3/two-high-joint-review")
           ).to_contain_text("联合审查")
    page.set_viewport_size({"width": 390, "height": 844})  # and on a phone
    assert fits_the_width(page)
    page.goto(job_page)
    assert fits_the_width(page)


@pytest.fixture
def large_list(tmp_path: Path) -> Path:
    """A list long enough to be checking for many seconds."""
    from compliance.batch.generate import generate, headers
    from compliance.batch.listfiles import write_list

    path = tmp_path / "大清单.csv"
    write_list(path, headers(), generate(40_000, seed=7))
    return path


def test_a_small_list_runs_beside_a_large_one_which_can_be_cancelled(
        page: Page, browser: Browser, server: ServerProcess, large_list: Path) -> None:
    """Issue 12 item 7: fair scheduling and cancel, in the browser."""
    page.goto("/batch")
    page.get_by_label("项目清单文件").set_input_files(str(large_list))
    page.get_by_role("button", name="上传并审查").click()
    expect(page.get_by_role("status")).to_contain_text("审查中", timeout=30_000)
    other = browser.new_context(base_url=server.url, locale="zh-CN").new_page()
    other.goto("/batch")
    other.get_by_label("项目清单文件").set_input_files(
        str(ROOT / "examples" / "lists" / "projects.gbk.csv"))
    other.get_by_role("button", name="上传并审查").click()
    expect(other.get_by_role("heading", name="共 26 个项目")).to_be_visible(timeout=60_000)
    other.context.close()
    page.reload()
    expect(page.get_by_role("status")).to_contain_text("审查中")  # still running
    page.get_by_role("button", name="取消此任务").click()
    expect(page.get_by_role("status")).to_contain_text("已取消")
