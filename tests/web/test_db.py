"""The audit trail's database: URLs, drivers, start-up messages, immutability per dialect."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DatabaseError

from compliance.web.db import CheckStore, DatabaseUnavailable, database_url
from compliance.web.migrate import head_revision, offline_sql
from tests.web.conftest import coking_form, legacy_checks_table


def ddl(url: str) -> str:
    """The SQL the migrations send to an empty database of this dialect, without a server."""
    return offline_sql(url)


def test_postgresql_refuses_changes_to_stored_checks_like_sqlite() -> None:
    postgres = ddl("postgresql+psycopg://")
    assert "RAISE EXCEPTION 'stored checks are never modified'" in postgres
    assert "BEFORE UPDATE OR DELETE OR TRUNCATE ON checks" in postgres
    sqlite = ddl("sqlite://")
    assert "BEFORE UPDATE ON checks" in sqlite and "BEFORE DELETE ON checks" in sqlite
    assert "plpgsql" not in sqlite and "RAISE(ABORT" not in postgres


def test_a_plain_postgresql_url_means_psycopg_3() -> None:
    assert database_url("postgresql://u:p@db/checks").drivername == "postgresql+psycopg"
    assert database_url("postgres://u:p@db/checks").drivername == "postgresql+psycopg"
    assert database_url("sqlite:////tmp/x.sqlite3").drivername == "sqlite"


@pytest.mark.slow
@pytest.mark.parametrize(("url", "message"), [
    ("notaurl", "数据库 URL 格式无效"), ("nosuchdb://x/y", "不支持的数据库类型"),
    ("postgresql://u:p@127.0.0.1:1/checks", "PostgreSQL")])
def test_serve_explains_an_unusable_database_and_exits_2(tmp_path: Path, url: str,
                                                          message: str) -> None:
    if url.startswith("postgresql") and importlib.util.find_spec("psycopg"):
        message = "无法连接或初始化数据库"  # the driver is there; nothing listens on port 1
    result = subprocess.run(
        [sys.executable, "-m", "compliance.web", "--db", url, "--data-dir", str(tmp_path)],
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr


def test_the_missing_driver_message_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # absent, whether installed here or not
    with pytest.raises(DatabaseUnavailable, match=r"pip install -e \.\[postgres\]"):
        CheckStore("postgresql://u:p@localhost/checks")


def test_a_database_from_before_languages_were_stored_gets_the_column(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    old = create_engine(url)
    with old.begin() as connection:
        connection.execute(text(legacy_checks_table(with_lang=False)))
        connection.execute(text(
            "INSERT INTO checks VALUES ('00000000-0000-4000-8000-000000000000', "
            "'2024-01-01 00:00:00', 'web', 'x', '旧项目', 'compliant', '2024-01-01', 'v0', NULL, "
            "'{}', '{}')"))
    old.dispose()
    store = CheckStore(url)
    found = store.get("00000000-0000-4000-8000-000000000000")
    assert found is not None and found.lang == "zh" and found.project == "旧项目"
    verdict = {"project": "新项目", "verdict": "rejected", "as_of": "2024-01-01",
               "ruleset_version": "v1"}
    added = store.insert(channel="api", client="x", form=coking_form(), verdict=verdict,
                         lang="en")
    assert store.get(added.id).lang == "en"  # type: ignore[union-attr]
    store.record_ruleset("v1", {})  # the table the old database lacked is there
    store.close()
    with create_engine(url).connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() \
            == head_revision()
        with pytest.raises(DatabaseError, match="never modified"):
            connection.execute(text("DELETE FROM checks"))


def test_every_start_leaves_a_database_at_the_newest_migration(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    for _ in range(2):  # made, then opened again
        CheckStore(url).close()
    with create_engine(url).connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() \
            == head_revision()


@pytest.mark.slow
def test_serve_refuses_a_database_that_cannot_keep_checks_unchanged(tmp_path: Path) -> None:
    """达梦, 金仓 or MySQL get no append-only triggers: only with --allow-mutable-audit."""
    command = [sys.executable, "-m", "compliance.web", "--db", "mysql://u:p@127.0.0.1:1/x",
               "--data-dir", str(tmp_path)]
    refused = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "--allow-mutable-audit" in refused.stderr
    assert "无法安装禁止改动审查记录的触发器" in refused.stderr
    allowed = subprocess.run([*command, "--allow-mutable-audit"], capture_output=True,
                             text=True, timeout=60)
    assert allowed.returncode == 2 and "--allow-mutable-audit" not in allowed.stderr
    assert "数据库驱动" in allowed.stderr  # past the refusal, stopped by the missing driver
