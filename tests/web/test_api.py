"""The JSON API with FastAPI's TestClient: contract, errors, limits, audit trail."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

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


def test_without_a_configured_token_there_is_no_listing(tmp_path: Path) -> None:
    with make_client(tmp_path) as client:
        response = client.get("/api/v1/checks", headers={"authorization": "Bearer "})
        assert response.status_code == 403


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
