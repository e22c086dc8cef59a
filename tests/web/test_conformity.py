"""`GET /api/v1/checks/{id}/conformity` and the result page's link to it (issue 21, item 3)."""

from __future__ import annotations

import io

from docx import Document
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.web.conftest import ANYANG_QUOTE, coking_form


def _stored(client: TestClient, **changes: object) -> str:
    return client.post("/api/v1/check", json={**coking_form(), **changes}).headers["x-check-id"]


def test_a_stored_check_gives_its_tables_in_word_markdown_and_excel(client: TestClient) -> None:
    check_id = _stored(client)
    word = client.get(f"/api/v1/checks/{check_id}/conformity")
    assert word.status_code == 200 and word.content[:2] == b"PK"
    assert "attachment" in word.headers["content-disposition"]
    document = Document(io.BytesIO(word.content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert any(ANYANG_QUOTE in text for text in cells)
    assert any(text.startswith("不符合") for text in cells)
    assert f"审查编号 {check_id}" in "".join(paragraph.text for paragraph in document.paragraphs)
    markdown = client.get(f"/api/v1/checks/{check_id}/conformity", params={"format": "md"})
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert ANYANG_QUOTE in markdown.text and f"审查编号 {check_id}" in markdown.text
    assert f"/checks/{check_id}" in markdown.text  # the permalink
    sheet = load_workbook(io.BytesIO(client.get(
        f"/api/v1/checks/{check_id}/conformity", params={"format": "xlsx"}).content))["符合性分析"]
    values = [cell.value for row in sheet.iter_rows() for cell in row if cell.value]
    assert any(ANYANG_QUOTE in str(value) for value in values)
    assert any(str(value).startswith("综上所述") for value in values)


def test_what_cannot_be_tabled_is_refused_with_the_way_forward(client: TestClient) -> None:
    assert client.get("/api/v1/checks/nope/conformity").status_code == 404
    english = client.post("/api/v1/check", params={"lang": "en"}, json=coking_form())
    refused = client.get(f"/api/v1/checks/{english.headers['x-check-id']}/conformity")
    assert refused.status_code == 409 and "中文" in refused.json()["detail"]
    service = client.app.state.service  # type: ignore[attr-defined]
    old = service.store.insert(channel="api", client="t", form=coking_form(), verdict={
        **service.check(coking_form(), as_of=None, client="t", channel="api").verdict,
        "ruleset_version": "0ld0ld0ld0ld"})
    stale = client.get(f"/api/v1/checks/{old.id}/conformity")
    assert stale.status_code == 409 and "recheck" in stale.json()["detail"]
    assert "下载符合性分析表" not in client.get(f"/checks/{old.id}").text
    assert client.get(f"/api/v1/checks/{old.id}/conformity",
                      params={"format": "pdf"}).status_code == 422


def test_every_result_page_links_to_its_word_tables(client: TestClient) -> None:
    check_id = _stored(client)
    page = client.get(f"/checks/{check_id}").text
    assert (f'<a class="button" href="/api/v1/checks/{check_id}/conformity?format=docx">'
            "下载符合性分析表（Word）</a>") in page
