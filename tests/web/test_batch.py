"""Batch uploads through the API and the page, with a stand-in runner in a worker process."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from compliance.web import app as web_app
from compliance.web.batch import SMALL_ROWS
from compliance.web.batch_pages import remaining_text
from compliance.web.errors import UPLOAD_HEADLINE
from compliance.web.settings import MIB, Settings
from tests.batch.conftest import ENTITY_BOMB, XXE, declared_workbook
from tests.web import fake_batch
from tests.web.conftest import ROOT, make_client, page_form

LIST = '{"name": "甲"}\n{"name": "乙"}\nnot json\n'


@pytest.fixture(scope="module")
def batch_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    client = make_client(tmp_path_factory.mktemp("batch"), runner=fake_batch.run,
                         batch_max_rows=5, max_upload_bytes=2 * MIB)
    with client:
        yield client


def wait_done(client: TestClient, job_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = client.get(f"/api/v1/batch/{job_id}").json()
        if status["state"] in ("done", "failed"):
            return status
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish: {status}")


@pytest.mark.slow
def test_upload_runs_a_job_and_serves_its_results(batch_client: TestClient) -> None:
    response = batch_client.post("/api/v1/batch", files={"file": ("清单.jsonl", LIST.encode())},
                                 data={"as_of": "2020-01-01"})
    assert response.status_code == 202
    job_id = response.json()["job_id"]
    status = wait_done(batch_client, job_id)
    assert status["state"] == "done", status
    assert status["counts"] == {"rejected": 2, "error": 1} and status["rows_done"] == 3
    assert status["filename"] == "清单.jsonl"
    result = batch_client.get(f"/api/v1/batch/{job_id}/result.jsonl")
    assert result.status_code == 200 and '"as_of": "2020-01-01"' in result.text
    assert batch_client.get(f"/api/v1/batch/{job_id}/result.xlsx").status_code == 200
    assert batch_client.get(f"/api/v1/batch/{job_id}/result.exe").status_code == 422
    page = batch_client.get(f"/batch/{job_id}").text
    assert "共 3 个项目" in page and 'data-outcome="rejected">2<' in page
    assert f"/api/v1/batch/{job_id}/result.html" in page


def test_the_page_uploads_with_a_csrf_token(batch_client: TestClient) -> None:
    token = page_form(batch_client, "/batch")
    files = {"file": ("list.jsonl", LIST.encode())}
    refused = batch_client.post("/batch", files=files)
    assert refused.status_code == 403
    response = batch_client.post("/batch", files=files, data={"csrf_token": token})
    assert response.status_code == 200 and response.url.path.startswith("/batch/")
    wait_done(batch_client, response.url.path.rsplit("/", 1)[1])


def test_wrong_file_type_and_too_many_rows(batch_client: TestClient) -> None:
    wrong = batch_client.post("/api/v1/batch", files={"file": ("list.txt", b"x")})
    assert wrong.status_code == 422 and wrong.json()["problems"][0]["path"] == "file"
    many = batch_client.post("/api/v1/batch", files={"file": ("big.csv", b"{}\n" * 6)})
    status = wait_done(batch_client, many.json()["job_id"])
    assert status["state"] == "failed" and "超过上限 5 行" in status["message"]
    assert batch_client.get(f"/api/v1/batch/{status['id']}/result.jsonl").status_code == 404


def test_uploads_over_the_limit_are_413(batch_client: TestClient) -> None:
    files = {"file": ("big.jsonl", b"{}\n" * (MIB))}  # 3 MiB > 2 MiB
    assert batch_client.post("/api/v1/batch", files=files).status_code == 413
    assert Settings().max_upload_bytes == 50 * MIB and Settings().max_form_bytes == MIB


@pytest.mark.slow
def test_without_batch_screening_uploads_are_503(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(web_app, "installed_runner", lambda engine: None)
    with make_client(tmp_path) as client:
        response = client.post("/api/v1/batch", files={"file": ("a.csv", b"x")})
        assert response.status_code == 503 and "批量审查功能尚未启用" in response.json()["detail"]
        assert "批量审查功能尚未启用" in client.get("/batch").text


@pytest.mark.slow
def test_the_installed_batch_screening_checks_a_gbk_list(tmp_path: Path) -> None:
    """The real runner (`compliance.batch`) on the example GBK list: every row counted."""
    listing = ROOT / "examples" / "lists" / "projects.gbk.csv"
    with make_client(tmp_path) as client:
        response = client.post("/api/v1/batch",
                               files={"file": ("清单.csv", listing.read_bytes())})
        status = wait_done(client, response.json()["job_id"])
        assert status["state"] == "done", status
        counts = status["counts"]
        assert sum(counts.values()) == 26 and counts["rejected"] >= 7 and counts["error"] == 4
        # never dropped silently: the columns that fill no field are named, on the API and page
        assert status["unknown_columns"] == ["序号", "联审情况", "备注"]
        page = client.get(f"/batch/{status['id']}").text
        assert "未能识别，未参与审查" in page and "「联审情况」" in page
        report = client.get(f"/api/v1/batch/{status['id']}/result.html")
        assert report.status_code == 200 and "安政办〔2019〕19号" in report.text
        assert "attachment" in report.headers["content-disposition"]
        shown = client.get(f"/batch/{status['id']}/report")
        assert shown.text == report.text and "content-disposition" not in shown.headers
        assert shown.headers["content-security-policy"] == "default-src 'none'; style-src 'unsafe-inline'"
        workbook = client.get(f"/api/v1/batch/{status['id']}/result.xlsx")
        assert workbook.content[:2] == b"PK"
        utf8 = client.get(f"/api/v1/batch/{status['id']}/result.csv").content
        gbk = client.get(f"/api/v1/batch/{status['id']}/result.gbk.csv").content
        assert utf8.startswith("\ufeff".encode()) and utf8.decode("utf-8-sig").splitlines()[0]
        assert gbk.decode("gb18030") == utf8.decode("utf-8-sig")  # the same table, two encodings
        assert "下载 CSV（GBK，旧版 Excel）" in client.get(f"/batch/{status['id']}").text


@pytest.mark.slow
def test_shutdown_stops_a_running_job_and_the_next_start_says_so(tmp_path: Path) -> None:
    started = time.monotonic()
    with make_client(tmp_path, runner=fake_batch.run_slowly) as client:
        job_id = client.post("/api/v1/batch", files={"file": ("a.jsonl", b"{}\n")}).json()["job_id"]
        while client.get(f"/api/v1/batch/{job_id}").json()["state"] != "running":
            assert time.monotonic() - started < 60
            time.sleep(0.1)
    assert time.monotonic() - started < 60
    with make_client(tmp_path) as client:
        status = client.get(f"/api/v1/batch/{job_id}").json()
        assert status["state"] == "failed" and "处理中断" in status["message"]


def test_a_wrong_file_type_has_an_upload_headline(batch_client: TestClient) -> None:
    response = batch_client.post("/api/v1/batch", files={"file": ("form.json", b"{}")})
    assert response.status_code == 422
    assert response.json()["detail"] == UPLOAD_HEADLINE and "表单" not in UPLOAD_HEADLINE


@pytest.mark.slow
def test_the_page_states_the_limits_with_separators(tmp_path: Path) -> None:
    with make_client(tmp_path, runner=fake_batch.run) as client:
        page = client.get("/batch").text
    assert "50 MiB" in page and "200,000 行" in page


@pytest.mark.slow
@pytest.mark.parametrize(("content", "message"), [
    (b"x\n" + b"a" * 1000 + b"\n" * 2000, "表头中没有可识别的列"),
    ("项目名称,所属行业\n".encode(), "没有读到任何项目行"),
    (b"", "文件无法读取")])
def test_a_list_with_nothing_to_check_fails_with_a_reason(tmp_path: Path, content: bytes,
                                                          message: str) -> None:
    """Not "done, 共 0 个项目": a list where no column or no row could be read is an error."""
    with make_client(tmp_path) as client:
        response = client.post("/api/v1/batch", files={"file": ("清单.csv", content)})
        status = wait_done(client, response.json()["job_id"])
        assert status["state"] == "failed" and message in status["message"], status
        page = client.get(f"/batch/{status['id']}").text
        assert message in page and "共 0 个项目" not in page


def test_the_list_template_is_downloadable(client) -> None:
    import io

    from openpyxl import load_workbook

    page = client.get("/batch").text
    assert 'href="/batch/template.xlsx"' in page
    response = client.get("/batch/template.xlsx")
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    headers = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    assert any(header and "项目名称" in header for header in headers)
    assert any(header and "焦炉炭化室高度" in header for header in headers)


def test_the_upload_page_lists_this_browsers_recent_jobs_only(batch_client: TestClient) -> None:
    token = page_form(batch_client, "/batch")
    files = {"file": ("我的清单.jsonl", LIST.encode())}
    response = batch_client.post("/batch", files=files, data={"csrf_token": token},
                                 follow_redirects=False)
    job_id = response.headers["location"].rsplit("/", 1)[1]
    wait_done(batch_client, job_id)
    page = batch_client.get("/batch").text
    assert "最近上传的清单（本浏览器）" in page and f'href="/batch/{job_id}"' in page
    assert "我的清单.jsonl" in page and "已完成" in page
    batch_client.cookies.clear()  # another browser sees none of them
    assert "最近上传的清单" not in batch_client.get("/batch").text


def test_a_list_over_the_row_limit_is_refused_before_any_row_is_checked(tmp_path: Path) -> None:
    from compliance.web.batch import BatchRefused
    from compliance.web.batch_runner import run_list

    source = tmp_path / "big.csv"
    source.write_text("项目名称,建设性质,所属行业,所在市\n" + "P,新建,C2521,安阳市\n" * 300,
                      encoding="utf-8")
    checked: list[int] = []
    with pytest.raises(BatchRefused, match=r"约有 300 行，超过 100 行的上限.*未审查任何一行"):
        run_list(source, [tmp_path / "r.jsonl"], name="big.csv", as_of=None, max_rows=100,
                 progress=checked.append, engine="python")
    assert checked == [] and not (tmp_path / "r.jsonl").exists()


@pytest.mark.slow
def test_the_job_page_lists_each_row_and_opens_its_report(tmp_path: Path) -> None:
    """Issue 12 item 5: the per-row table (flagged rows by default, review rows with the
    rejected ones, the rules broken in Chinese), each row linked to its own report."""
    listing = ROOT / "examples" / "lists" / "projects.gbk.csv"
    with make_client(tmp_path) as client:
        response = client.post("/api/v1/batch", files={"file": ("清单.csv", listing.read_bytes())})
        status = wait_done(client, response.json()["job_id"])
        counts, job_id = status["counts"], status["id"]
        page = client.get(f"/batch/{job_id}").text
        table = page.split('id="rows"', 1)[1]
        flagged = sum(counts.get(key, 0)
                      for key in ("rejected", "needs_review", "needs_info", "error"))
        assert f"共 {flagged} 行" in table
        assert table.count('<tr class="') == min(flagged, 100)
        assert "不符合：" in table
        assert ('<tr class="needs_review"' in table) == (counts.get("needs_review", 0) > 0)
        everything = client.get(f"/batch/{job_id}", params={"show": "all"}).text
        assert f"共 {sum(counts.values())} 行" in everything
        rejected = re.search(r'<tr class="rejected"><td class="num">(\d+)</td>', table).group(1)
        row_page = client.get(f"/batch/{job_id}/rows/{rejected}").text
        assert "不予通过" in row_page and f"清单.csv 第 {rejected} 行" in row_page
        assert "审查意见" in row_page and 'href="/rules/' in row_page
        # issue 14 item 4: the JSONL is the findings form, and the page says what it leaves out
        lines = client.get(f"/api/v1/batch/{job_id}/result.jsonl").text.splitlines()
        checked = [json.loads(line) for line in lines if '"error":null' in line]
        assert checked and all("counts" in line and {result["status"] for result in line[
            "results"]} <= {"fail", "review", "needs_info", "advisory"} for line in checked)
        assert re.search(r"另有 \d+ 条规定符合、不适用或未生效", row_page)
        assert re.search(r"不适用 [1-9]\d*", row_page)  # counted, though not listed
        error_row = re.search(r'<tr class="error"><td class="num">(\d+)</td>', table).group(1)
        assert "无法审查" in client.get(f"/batch/{job_id}/rows/{error_row}").text
        assert client.get(f"/batch/{job_id}/rows/99999").status_code == 404
        assert client.get(f"/batch/{job_id}", params={"page": 0}).status_code == 422


def wait_state(client: TestClient, job_id: str, state: str) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = client.get(f"/api/v1/batch/{job_id}").json()
        if status["state"] == state:
            return status
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} never {state}: {status}")


LARGE_LIST = b"{}\n" * (SMALL_ROWS + 500)


@pytest.mark.slow
def test_a_small_list_is_not_stuck_behind_a_large_one(tmp_path: Path) -> None:
    """Issue 12 item 5, fair scheduling: large and small lists run in separate lanes."""
    with make_client(tmp_path, runner=fake_batch.run_slowly_if_large,
                     batch_max_rows=10**6) as client:
        large = client.post("/api/v1/batch", files={"file": ("大.jsonl", LARGE_LIST)}).json()
        wait_state(client, large["job_id"], "running")
        small = client.post("/api/v1/batch", files={"file": ("小.jsonl", LIST.encode())}).json()
        assert wait_done(client, small["job_id"])["state"] == "done"
        assert client.get(f"/api/v1/batch/{large['job_id']}").json()["state"] == "running"
        page = client.get(f"/batch/{large['job_id']}").text
        assert f"/ 约 {SMALL_ROWS + 500:,} 行" in page and "取消此任务" in page


@pytest.mark.slow
def test_a_running_or_queued_job_can_be_cancelled(tmp_path: Path) -> None:
    with make_client(tmp_path, runner=fake_batch.run_slowly) as client:
        first = client.post("/api/v1/batch", files={"file": ("a.jsonl", b"{}\n")}).json()
        second = client.post("/api/v1/batch", files={"file": ("b.jsonl", b"{}\n")}).json()
        wait_state(client, first["job_id"], "running")
        queued = client.post(f"/api/v1/batch/{second['job_id']}/cancel")
        assert queued.status_code == 200 and queued.json()["state"] == "cancelled"
        token = page_form(client, f"/batch/{first['job_id']}")
        page = client.post(f"/batch/{first['job_id']}/cancel", data={"csrf_token": token})
        assert page.url.path == f"/batch/{first['job_id']}" and "已取消" in page.text
        assert client.get(f"/api/v1/batch/{first['job_id']}").json()["state"] == "cancelled"
        again = client.post(f"/api/v1/batch/{first['job_id']}/cancel")
        assert again.status_code == 409 and "无法取消" in again.text
        assert client.post("/batch/x/cancel", data={"csrf_token": token}).status_code == 404


def test_the_time_left_follows_the_rate_so_far() -> None:
    started = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    status = {"state": "running", "started_at": started.isoformat(), "rows_done": 1_000,
              "rows_estimated": 31_000}
    assert remaining_text(status, started + dt.timedelta(seconds=10)) == "预计还需约 5 分钟"
    assert remaining_text({**status, "rows_done": 30_000}, started + dt.timedelta(seconds=10)) \
        == "预计不到 1 分钟"
    assert remaining_text({**status, "rows_done": 0}, started) == ""
    assert remaining_text({**status, "state": "queued"}, started) == ""


@pytest.mark.slow
def test_unrecognised_columns_are_mapped_on_the_page_or_by_a_mapping_file(
        tmp_path: Path) -> None:
    """Issue 12 item 5: the 联审情况 column the web dropped is mapped (a 两高 joint-review
    failure the CLI found with `--mapping` is found on the web too)."""
    listing = (ROOT / "examples" / "lists" / "projects.gbk.csv").read_bytes()
    mapping = (ROOT / "examples" / "lists" / "mapping.yaml").read_bytes()
    with make_client(tmp_path) as client:
        plain = wait_done(client, client.post(
            "/api/v1/batch", files={"file": ("清单.csv", listing)}).json()["job_id"])
        page = client.get(f"/batch/{plain['id']}").text
        assert "按所选对应重新审查" in page and '<input type="hidden" name="column" value="联审情况">' in page
        token = page_form(client, f"/batch/{plain['id']}")
        remapped = client.post(f"/batch/{plain['id']}/remap", data={
            "csrf_token": token, "column": ["序号", "联审情况", "备注"],
            "target": ["", "procedures.joint_review_passed", ""]})
        assert remapped.url.path != f"/batch/{plain['id']}"
        mapped = wait_done(client, remapped.url.path.rsplit("/", 1)[1])
        assert mapped["mapping"]["联审情况"] == "procedures.joint_review_passed"
        assert mapped["unknown_columns"] == []
        def broken(job_id: str, row: int) -> str:
            cards = client.get(f"/batch/{job_id}/rows/{row}").text.split('<article class="card ')
            return "".join(card for card in cards if card.startswith('fail"'))

        joint_review = "xiaogan-2023-3/two-high-joint-review"
        assert joint_review in broken(mapped["id"], 6)
        assert joint_review not in broken(plain["id"], 6)
        token = page_form(client, "/batch")
        uploaded = client.post("/batch", data={"csrf_token": token}, files={
            "file": ("清单.csv", listing), "mapping": ("mapping.yaml", mapping)})
        by_file = wait_done(client, uploaded.url.path.rsplit("/", 1)[1])
        assert by_file["counts"] == mapped["counts"]
        bad = client.post("/batch", data={"csrf_token": token}, files={
            "file": ("清单.csv", listing), "mapping": ("m.yaml", "联审情况: 不存在的字段".encode())})
        assert bad.status_code == 422 and "不存在" in bad.text


@pytest.mark.slow
def test_the_result_workbook_is_made_to_be_worked_in(tmp_path: Path) -> None:
    """Issue 12 item 5: typed numbers, filters, widths, wrapped text, the Chinese rule titles
    and each row's link to its own report."""
    listing = ROOT / "examples" / "lists" / "projects.gbk.csv"
    with make_client(tmp_path) as client:
        job_id = client.post("/api/v1/batch", files={"file": ("清单.csv", listing.read_bytes())}
                             ).json()["job_id"]
        assert wait_done(client, job_id)["state"] == "done"
        body = client.get(f"/api/v1/batch/{job_id}/result.xlsx").content
    (tmp_path / "r.xlsx").write_bytes(body)
    sheet = load_workbook(tmp_path / "r.xlsx")["审查结果"]
    header = [cell.value for cell in sheet[1]]
    assert header[-1] == "详细报告"
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(header))}{sheet.max_row}"
    rows = {row[header.index("原表行号")].value: row for row in sheet.iter_rows(min_row=2)}
    broken = rows[2][header.index("不符合规定")]
    assert "淘汰炭化室高度4.3米及以下焦炉（安政办〔2019〕19号 三、（二）2.（3））" in broken.value
    assert broken.alignment.wrap_text
    link = rows[2][header.index("详细报告")]
    assert link.hyperlink.target == f"http://testserver/batch/{job_id}/rows/2"
    assert rows[2][header.index("序号")].value == 1  # typed as a number, not the text "1"
    assert rows[2][header.index("焦炉炭化室高度")].value == "4.3米"  # a unit keeps it text
    assert rows[2][header.index("项目代码")].value == "2019-410506-25-03-000101"
    width = sheet.column_dimensions[get_column_letter(header.index("不符合规定") + 1)].width
    assert 48 <= width < 49  # 48 characters, stored as Excel does: with its cell padding


def _zip(path: Path, parts: dict[str, bytes]) -> bytes:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    return path.read_bytes()


def test_a_workbook_bomb_or_a_non_workbook_is_refused_before_it_is_queued(
        batch_client: TestClient, tmp_path: Path) -> None:
    """Issue 12 item 5 / issue 14 item 4: the decompressed size is checked up front."""
    bomb = _zip(tmp_path / "bomb.xlsx", {"xl/sharedStrings.xml": b"<si>" + b"A" * 40 * 1024**2})
    assert len(bomb) < 200_000
    refused = batch_client.post("/api/v1/batch", files={"file": ("清单.xlsx", bomb)})
    assert refused.status_code == 422 and "压缩比" in refused.text
    fake = batch_client.post("/api/v1/batch", files={"file": ("清单.xlsx", b"not a zip")})
    assert fake.status_code == 422 and "不是有效的 XLSX" in fake.text
    token = page_form(batch_client, "/batch")
    page = batch_client.post("/batch", data={"csrf_token": token},
                             files={"file": ("清单.xlsx", bomb)})
    assert page.status_code == 422 and "未审查任何一行" in page.text
    ordinary = _zip(tmp_path / "ok.xlsx", {"xl/worksheets/sheet1.xml": b"<row/>" * 1000})
    assert batch_client.post("/api/v1/batch", files={"file": ("清单.xlsx", ordinary)}
                             ).status_code == 202


@pytest.mark.slow
def test_a_mapping_chosen_while_the_list_runs_restarts_it_with_the_mapping(
        tmp_path: Path) -> None:
    with make_client(tmp_path, runner=fake_batch.run_slowly) as client:
        first = client.post("/api/v1/batch", files={"file": ("a.jsonl", b"{}\n")}).json()
        wait_state(client, first["job_id"], "running")
        token = page_form(client, f"/batch/{first['job_id']}")
        again = client.post(f"/batch/{first['job_id']}/remap", data={
            "csrf_token": token, "column": ["联审情况"],
            "target": ["procedures.joint_review_passed"]})
        new_id = again.url.path.rsplit("/", 1)[1]
        assert new_id != first["job_id"]
        assert client.get(f"/api/v1/batch/{first['job_id']}").json()["state"] == "cancelled"
        status = client.get(f"/api/v1/batch/{new_id}").json()
        assert status["mapping"] == {"联审情况": "procedures.joint_review_passed"}
        client.post(f"/api/v1/batch/{new_id}/cancel")


def test_a_text_list_far_over_the_row_limit_is_refused_before_it_is_queued(
        batch_client: TestClient) -> None:
    """Issue 14 item 4: a 200,001-row list ran 37 minutes before it was refused."""
    jobs = batch_client.app.state.jobs  # type: ignore[attr-defined]
    before = set(jobs.root.iterdir()) if jobs.root.exists() else set()
    response = batch_client.post("/api/v1/batch", files={"file": ("big.csv", b"{}\n" * 40)})
    assert response.status_code == 422
    assert "约有 40 行，超过 5 行的上限" in response.json()["problems"][0]["message"]
    assert set(jobs.root.iterdir()) == before  # nothing stored, nothing queued


@pytest.mark.parametrize(("declaration", "entity"), [(XXE, "xxe"), (ENTITY_BOMB, "lol9")])
def test_a_workbook_declaring_entities_is_refused_when_uploaded(
        batch_client: TestClient, tmp_path: Path, declaration: str, entity: str) -> None:
    """Issue 14 item 4: an XXE or entity-bomb workbook was 服务器内部错误."""
    path = declared_workbook(tmp_path / "清单.xlsx", declaration, entity)
    response = batch_client.post("/api/v1/batch", files={"file": ("清单.xlsx", path.read_bytes())})
    assert response.status_code == 422
    assert "含文档类型或实体定义" in response.json()["problems"][0]["message"]


def test_ended_jobs_past_their_retention_and_leftover_temporary_files_are_removed(
        tmp_path: Path) -> None:
    """Issue 14 item 4: job folders (enterprises' lists) and `.part` files stayed forever."""
    from compliance.web.batch import BatchJobs, _write_status

    def job(name: str, state: str, age: dt.timedelta) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        _write_status(folder, id=name, state=state,
                      created_at=(dt.datetime.now(dt.UTC) - age).isoformat())
        (folder / "input.csv").write_text("项目名称\n甲\n", encoding="utf-8")
        return folder

    old_done = job("old-done", "done", dt.timedelta(days=8))
    old_failed = job("old-failed", "failed", dt.timedelta(days=30))
    recent = job("recent", "failed", dt.timedelta(hours=1))
    (recent / ".result.xlsx.k3j2.part").write_bytes(b"half")
    (recent / "status.json.77.88.tmp").write_text("{", encoding="utf-8")
    interrupted = job("7c0e8d4a-1f2b-4c3d-8e9f-0a1b2c3d4e5f", "running", dt.timedelta(hours=2))
    jobs = BatchJobs(tmp_path, None, 10, retention=dt.timedelta(days=7))
    jobs.close()
    assert not old_done.exists() and not old_failed.exists()
    assert sorted(path.name for path in recent.iterdir()) == ["input.csv", "status.json"]
    assert interrupted.exists()  # marked interrupted at this start, kept for its retention
    assert jobs.status(interrupted.name)["state"] == "failed"  # type: ignore[index]


def test_a_workbook_far_over_the_row_limit_is_refused_when_uploaded(
        batch_client: TestClient, tmp_path: Path) -> None:
    """Its first sheet says how many rows it spans: read from the zip, no workbook opened."""
    from openpyxl import Workbook

    from compliance.batch.workbook import declared_rows

    book = Workbook()
    book.create_sheet("小表", 0).append(["项目名称"])  # the first sheet is the one checked
    for number in range(60):
        book["Sheet"].append([f"项目{number}"])
    book["小表"].append(["甲"])
    path = tmp_path / "清单.xlsx"
    book.save(path)
    assert declared_rows(path) == 2
    book.move_sheet("Sheet", -1)
    book.save(path)
    assert declared_rows(path) == 60
    response = batch_client.post("/api/v1/batch", files={"file": ("清单.xlsx", path.read_bytes())})
    assert response.status_code == 422
    assert "约有 60 行，超过 5 行的上限" in response.json()["problems"][0]["message"]
