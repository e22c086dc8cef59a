"""The JSON API with FastAPI's TestClient: contract, errors, limits, audit trail."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from compliance.result import Verdict
from tests.web.conftest import ADMIN_TOKEN, ANYANG_NUMBER, ANYANG_QUOTE, coking_form, make_client


def test_check_returns_the_verdict_and_stores_it(client: TestClient) -> None:
    response = client.post("/api/v1/check", json=coking_form())
    assert response.status_code == 200
    verdict = response.json()
    assert verdict["verdict"] == "rejected"
    failed = [r for r in verdict["results"] if r["status"] == "fail"]
    assert [r["rule_id"] for r in failed] == ["anyang-2019-19/coke-oven-4.3m"]
    assert failed[0]["citation"]["number"] == ANYANG_NUMBER
    assert ANYANG_QUOTE in failed[0]["citation"]["quote"]
    check_id = response.headers["x-check-id"]
    assert response.headers["location"] == f"/api/v1/checks/{check_id}"
    assert uuid.UUID(check_id).version == 4

    stored = client.get(f"/api/v1/checks/{check_id}").json()
    assert stored["verdict"] == verdict
    assert stored["form"] == coking_form()
    assert stored["rules_changed"] is False
    assert "client" not in stored  # the address is for administrators only


def test_a_check_is_serialised_once(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 13: the verdict is written as JSON once, and that text is stored, sealed and sent
    (neither pydantic's dict nor its JSON is asked for again)."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the verdict was serialised again")

    with monkeypatch.context() as patch:
        patch.setattr(Verdict, "model_dump", refuse)
        patch.setattr(Verdict, "model_dump_json", refuse)
        response = client.post("/api/v1/check", json=coking_form())
    assert response.status_code == 200
    stored = client.get(response.headers["location"]).json()
    assert stored["verdict"] == response.json() and response.json()["verdict"] == "rejected"


def test_as_of_selects_the_rules_in_force(client: TestClient) -> None:
    response = client.post("/api/v1/check", params={"as_of": "2018-01-01"}, json=coking_form())
    statuses = {r["rule_id"]: r["status"] for r in response.json()["results"]}
    assert response.json()["as_of"] == "2018-01-01"
    assert statuses["anyang-2019-19/coke-oven-4.3m"] == "not_in_force"


def test_invalid_form_is_422_with_field_paths_in_chinese(client: TestClient) -> None:
    response = client.post("/api/v1/check", json={
        "name": "x", "technology": {"coke_oven_chamber_height_m": "高"}, "colour": "red"})
    assert response.status_code == 422
    problems = {p["path"]: p["message"] for p in response.json()["problems"]}
    assert problems["project_type"] == "必填项，未填写"
    assert problems["industry"] == "必填项，未填写"
    assert "须为数值" in problems["technology.coke_oven_chamber_height_m"]
    assert "未知字段" in problems["colour"]


def test_unknown_place_is_422_on_its_field(client: TestClient) -> None:
    form = {**coking_form(), "location": {"city": "火星市"}}
    response = client.post("/api/v1/check", json=form)
    assert response.status_code == 422
    assert [p["path"] for p in response.json()["problems"]] == ["location.city"]


@pytest.mark.parametrize("body", [
    b"{not json", b"[1, 2]", "名称".encode("gbk"), b"[" * 100_000 + b"]" * 100_000,
    b'{"name": ' + b"9" * 5000 + b"}", b'!!python/object/apply:os.system ["id"]'])
def test_a_body_that_is_not_a_form_is_422(client: TestClient, body: bytes) -> None:
    response = client.post("/api/v1/check", content=body,
                           headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["problems"][0]["path"] == "(body)"


@pytest.mark.parametrize(("body", "path"), [
    (b'{"name": "\\ud800", "project_type": "new", "industry": "C2521"}', "name"),
    (b'{"name": "x", "location": {"city": "\\udc00\xe5\xae\x89"}}', "location.city"),
    (b'{"name": "x", "notes\\ud83d": 1}', "notes\\ud83d"),
    (b'{"name": "x", "industry": ["C2521", "\\udfff"]}', "industry[1]")])
def test_a_lone_surrogate_is_422_in_chinese_and_the_next_request_is_served(
        client: TestClient, body: bytes, path: str) -> None:
    response = client.post("/api/v1/check", content=body,
                           headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["problems"] == [{
        "path": path, "message": "含无效字符（单独的 UTF-16 代理码位，如 \\ud800），请检查文本的编码",
        "message_en": "holds a lone UTF-16 surrogate, which is not text"}]
    assert client.post("/api/v1/check", json=coking_form()).status_code == 200


def test_a_json_body_with_a_byte_order_mark_is_read_like_a_file(client: TestClient) -> None:
    body = "\ufeff".encode() + json.dumps(coking_form(), ensure_ascii=False).encode()
    response = client.post("/api/v1/check", content=body,
                           headers={"content-type": "application/json"})
    assert response.status_code == 200, response.text
    assert response.json()["verdict"] == "rejected"


def test_bad_query_parameter_is_422_in_the_same_shape(client: TestClient) -> None:
    response = client.post("/api/v1/check", params={"as_of": "yesterday"}, json=coking_form())
    assert response.status_code == 422
    assert response.json()["problems"][0]["path"] == "query.as_of"


def test_nothing_is_stored_for_an_invalid_form(client: TestClient) -> None:
    response = client.post("/api/v1/check", json={"name": "invalid"})
    assert "x-check-id" not in response.headers


def test_body_over_one_mib_is_413(client: TestClient) -> None:
    form = {**coking_form(), "applicant": "x" * (1 << 20)}
    response = client.post("/api/v1/check", json=form)
    assert response.status_code == 413
    assert "过大" in response.json()["detail"]


def test_streamed_body_over_the_limit_is_413(client: TestClient) -> None:
    chunks = (b"x" * 65536 for _ in range(20))  # no Content-Length: chunked
    response = client.post("/api/v1/check", content=chunks,
                           headers={"content-type": "application/json"})
    assert response.status_code == 413


@pytest.mark.parametrize("path", [
    "/api/v1/rules/no/such-rule", f"/api/v1/checks/{uuid.uuid4()}", "/api/v1/checks/../../etc",
    "/api/v1/documents/nope", f"/api/v1/batch/{uuid.uuid4()}", "/api/v1/nothing-here"])
def test_unknown_things_are_404_in_chinese(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    detail = response.json()["detail"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in detail), detail


def test_rules_documents_schema_and_health(client: TestClient) -> None:
    rules = client.get("/api/v1/rules").json()
    assert any(rule["citation"]["number"] == ANYANG_NUMBER for rule in rules)
    one = client.get("/api/v1/rules/anyang-2019-19/coke-oven-4.3m").json()
    assert one["effect"] == "prohibit" and len(one["examples"]) >= 2
    documents = client.get("/api/v1/documents").json()
    assert "anyang-2019-19/coke-oven-4.3m" in next(
        d for d in documents if d["id"] == "anyang-2019-19")["rule_ids"]
    schema = client.get("/api/v1/schema").json()
    assert set(schema["required"]) == {"name", "project_type", "industry"}
    health = client.get("/api/v1/healthz").json()
    assert health["status"] == "ok" and health["database"] is True
    assert len(health["ruleset_version"]) == 12 and health["rules"] == len(rules)


def test_openapi_documents_the_form_body(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    body = spec["paths"]["/api/v1/check"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"]["$ref"].endswith("/ProjectForm")
    assert "Location" in spec["components"]["schemas"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and "cdn" not in docs.text.lower()
    assert "'sha256-" in docs.headers["content-security-policy"]


def test_listing_checks_needs_the_admin_token(client: TestClient) -> None:
    check_id = client.post("/api/v1/check", json=coking_form()).headers["x-check-id"]
    assert client.get("/api/v1/checks").status_code == 401
    wrong = client.get("/api/v1/checks", headers={"authorization": "Bearer nope"})
    assert wrong.status_code == 401
    listed = client.get("/api/v1/checks", headers={"authorization": f"Bearer {ADMIN_TOKEN}"})
    assert listed.status_code == 200
    row = next(row for row in listed.json()["checks"] if row["id"] == check_id)
    assert row["verdict"] == "rejected" and row["client"] == "testclient"


@pytest.mark.slow
def test_without_a_configured_token_there_is_no_listing(tmp_path: Path) -> None:
    with make_client(tmp_path) as client:
        response = client.get("/api/v1/checks", headers={"authorization": "Bearer "})
        assert response.status_code == 403


@pytest.mark.slow
def test_check_endpoints_are_rate_limited_per_client(tmp_path: Path) -> None:
    with make_client(tmp_path, rate_limit_per_minute=6, rate_limit_burst=2) as client:
        codes = [client.post("/api/v1/check", json=coking_form()).status_code for _ in range(3)]
        assert codes == [200, 200, 429]
        limited = client.post("/api/v1/check", json=coking_form())
        assert int(limited.headers["retry-after"]) >= 1
        assert "频繁" in limited.json()["detail"]
        assert client.get("/api/v1/rules").status_code == 200  # reading is not limited


@pytest.mark.parametrize("path", ["/", "/api/v1/healthz", "/api/v1/nothing", "/check"])
def test_security_headers_on_every_response(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    assert headers["content-security-policy"].startswith("default-src 'none'")
    assert "script-src 'self';" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["cache-control"] == "no-store"


def test_static_files_may_be_cached(client: TestClient) -> None:
    response = client.get("/static/style.css")
    assert response.status_code == 200 and "cache-control" not in response.headers


def test_an_internal_error_leaks_no_stack_trace(client: TestClient,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr(client.app.state.service, "check", explode)  # type: ignore[attr-defined]
    response = client.post("/api/v1/check", json=coking_form())
    assert response.status_code == 500
    body = response.text
    assert "secret" not in body and "Traceback" not in body and "RuntimeError" not in body
    assert "服务器内部错误" in response.json()["detail"]
    assert response.headers["content-security-policy"].startswith("default-src 'none'")


def test_stored_checks_are_never_modified(client: TestClient) -> None:
    check_id = client.post("/api/v1/check", json=coking_form()).headers["x-check-id"]
    engine = client.app.state.service.store.engine  # type: ignore[attr-defined]
    for statement in ("UPDATE checks SET outcome = 'compliant' WHERE id = :id",
                      "DELETE FROM checks WHERE id = :id"):
        with pytest.raises(DatabaseError, match="never modified"), engine.begin() as connection:
            connection.execute(text(statement), {"id": check_id})
    stored = client.get(f"/api/v1/checks/{check_id}").json()
    assert stored["verdict"]["verdict"] == "rejected"
    assert dt.datetime.fromisoformat(stored["created_at"]).tzinfo is not None


@pytest.mark.parametrize("as_of", ["0", "1568764800", "20190918", "2019-9-18", "2019-02-30",
                                   "2019-09-18T00:00:00"])
def test_as_of_is_a_calendar_date_only(client: TestClient, as_of: str) -> None:
    """A Unix timestamp (`0` is 1970-01-01) or a run-together date is refused, never guessed."""
    response = client.post("/api/v1/check", params={"as_of": as_of}, json=coking_form())
    assert response.status_code == 422 and "x-check-id" not in response.headers
    problem = response.json()["problems"][0]
    assert problem["path"] == "query.as_of"
    assert problem["message"].startswith("须为日期（YYYY-MM-DD）")


def test_a_key_written_twice_is_refused_not_silently_overwritten(client: TestClient) -> None:
    body = b'{"name": "\xe7\x94\xb2", "name": "\xe4\xb9\x99", "project_type": "new", "industry": "C2521"}'
    response = client.post("/api/v1/check", content=body,
                           headers={"content-type": "application/json"})
    assert response.status_code == 422
    problem = response.json()["problems"][0]
    assert problem["path"] == "name" and "重复出现" in problem["message"]


@pytest.mark.parametrize(("body", "english"), [
    (b'{name:', "Expecting property name"), ("名称".encode("gbk"), "codec can't decode"),
    (b'{"name": ' + b"9" * 5000 + b"}", "integer string conversion")])
def test_unreadable_bodies_are_explained_in_chinese(client: TestClient, body: bytes,
                                                    english: str) -> None:
    response = client.post("/api/v1/check", content=body,
                           headers={"content-type": "application/json"})
    problem = response.json()["problems"][0]
    assert problem["message"].isascii() is False
    assert english not in problem["message"] and english in problem["message_en"]


def test_no_english_in_chinese_parameter_messages(client: TestClient) -> None:
    response = client.get("/api/v1/checks", params={"limit": "1.5"},
                          headers={"authorization": f"Bearer {ADMIN_TOKEN}"})
    assert response.status_code == 422
    for problem in response.json()["problems"]:
        assert not any("a" <= ch.lower() <= "z" for ch in problem["message"]), problem


def test_a_malformed_multipart_body_is_400_in_chinese(client: TestClient) -> None:
    response = client.post("/api/v1/batch", content=b"--x\r\n[bad\r\n",
                           headers={"content-type": "multipart/form-data; boundary=x"})
    assert response.status_code == 400
    assert response.json()["detail"] == "请求格式有误，无法解析。"  # not "Invalid multipart data."


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x", None])
def test_the_check_endpoint_takes_only_json(client: TestClient, content_type: str | None
                                            ) -> None:
    """A page on another site can make a browser post text/plain here without a preflight."""
    headers = {"content-type": content_type} if content_type else {}
    response = client.post("/api/v1/check", content=json.dumps(coking_form()).encode(),
                           headers=headers)
    assert response.status_code == 415 and "x-check-id" not in response.headers
    assert "application/json" in response.json()["detail"]
    ok = client.post("/api/v1/check", content=json.dumps(coking_form()).encode(),
                     headers={"content-type": "application/json; charset=utf-8"})
    assert ok.status_code == 200


def test_listing_offset_is_bounded(client: TestClient) -> None:
    auth = {"authorization": f"Bearer {ADMIN_TOKEN}"}
    huge = client.get("/api/v1/checks", params={"offset": "99999999999999999999"}, headers=auth)
    assert huge.status_code == 422 and huge.json()["problems"][0]["path"] == "query.offset"
    assert client.get("/api/v1/checks", params={"offset": 10**9}, headers=auth).json()[
        "checks"] == []


def test_recheck_stores_a_new_check_and_says_what_changed(client: TestClient) -> None:
    service = client.app.state.service  # type: ignore[attr-defined]
    old = dict(service.check(coking_form(), as_of=None, client="test", channel="api").verdict)
    old.update(ruleset_version="000000000000", verdict="compliant", results=[
        {**r, "status": "pass"} if r["status"] == "fail" else r for r in old["results"]][:-1])
    stored = service.store.insert(channel="api", client="test", form=coking_form(), verdict=old)

    response = client.post(f"/api/v1/checks/{stored.id}/recheck")
    assert response.status_code == 201
    body = response.json()
    assert body["recheck_of"] == stored.id and response.headers["x-check-id"] == body["id"]
    assert body["verdict"]["verdict"] == "rejected"
    changes = body["changes"]
    assert (changes["verdict_before"], changes["verdict_after"]) == ("compliant", "rejected")
    assert changes["ruleset_before"] == "000000000000"
    by_rule = {change["rule_id"]: change for change in changes["rules"]}
    assert by_rule["anyang-2019-19/coke-oven-4.3m"]["before"] == "pass"
    assert by_rule["anyang-2019-19/coke-oven-4.3m"]["after"] == "fail"
    assert any(change["before"] is None for change in changes["rules"])  # the rule cut off

    original = client.get(f"/api/v1/checks/{stored.id}").json()
    assert original["rechecks"] == [body["id"]] and original["verdict"]["verdict"] == "compliant"
    fresh = client.get(f"/api/v1/checks/{body['id']}").json()
    assert fresh["recheck_of"] == stored.id and fresh["channel"] == "recheck"
    assert client.post(f"/api/v1/checks/{uuid.uuid4()}/recheck").status_code == 404


def test_an_english_check_is_stored_with_its_language(client: TestClient) -> None:
    response = client.post("/api/v1/check", params={"lang": "en"}, json=coking_form())
    stored = client.get(f"/api/v1/checks/{response.headers['x-check-id']}").json()
    assert stored["lang"] == "en"


def test_extract_reads_the_form_facts_of_a_description(client: TestClient) -> None:
    response = client.post("/api/v1/extract",
                           json={"text": "拆除2座4.3米焦炉，新建2座6.25米捣固焦炉，年产焦炭200万吨"})
    assert response.status_code == 200, response.text
    payload = response.json()
    assert payload["form"]["technology"]["coke_oven_chamber_height_m"] == 6.25
    assert payload["form"]["capacity"] == {"new": 200, "unit": "万t/a"}
    assert payload["conflicts"] == []
    assert any(reading["text"] == "6.25米捣固焦炉" for reading in payload["readings"])


@pytest.mark.parametrize("body", [{"description": "x"}, {"text": 3}, ["x"],
                                  {"text": "x" * 100_001}])
def test_extract_refuses_other_bodies_in_chinese(client: TestClient, body: object) -> None:
    response = client.post("/api/v1/extract", json=body)
    assert response.status_code == 422
    assert "text" in response.text


def test_the_verdict_is_serialised_once_and_stored_as_answered(client: TestClient) -> None:
    answer = client.post("/api/v1/check", json=coking_form())
    assert answer.headers["content-type"] == "application/json"
    stored = client.get(f"/api/v1/checks/{answer.headers['x-check-id']}").json()["verdict"]
    assert answer.json() == stored
    store = client.app.state.service.store  # type: ignore[attr-defined]
    with store.engine.connect() as connection:
        text = connection.exec_driver_sql(
            "SELECT verdict FROM checks WHERE id = ?", (answer.headers["x-check-id"],)).scalar()
    assert text == answer.text and "不予通过" not in text and "安政办〔2019〕19号" in text


@pytest.mark.parametrize(("path", "headers"), [
    ("/api/v1/batch", {"origin": "http://evil.example"}),
    ("/api/v1/batch", {"referer": "http://evil.example/page.html"}),
    ("/api/v1/batch", {"origin": "null"}),
    ("/api/v1/check", {"origin": "http://testserver.evil.example"})])
def test_a_post_from_a_page_of_another_site_is_refused(client: TestClient, path: str,
                                                       headers: dict[str, str]) -> None:
    """A page elsewhere can make a browser post a form (multipart, no preflight); the browser
    then says where the page is."""
    response = client.post(path, files={"file": ("清单.csv", "项目名称\n甲\n".encode())},
                           headers=headers)
    assert response.status_code == 403
    assert "拒绝来自其他网站的请求" in response.json()["detail"]


def test_a_post_from_this_site_or_from_a_program_is_served(client: TestClient) -> None:
    for headers in ({"origin": "http://testserver"}, {"referer": "http://testserver/check"}, {}):
        response = client.post("/api/v1/check", json=coking_form(), headers=headers)
        assert response.status_code == 200, (headers, response.text)
    assert client.get("/api/v1/rules", headers={"origin": "http://evil.example"}).status_code \
        == 200  # reading changes nothing
