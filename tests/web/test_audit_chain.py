"""The audit trail's hash chain: a record rewritten by hand, removed or slipped in is found.

The attack the issue names: `REPLACE INTO checks …` (and `DROP TRIGGER`) rewrote a stored
rejected check as compliant with no trace. Now REPLACE is refused, and whatever gets past the
triggers breaks the chain at the record it touched.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from compliance.web.audit import GENESIS
from compliance.web.db import CheckStore
from tests.web.conftest import coking_form, legacy_checks_table, make_client

pytestmark = pytest.mark.slow


@pytest.fixture()
def trail(tmp_path: Path) -> Path:
    """A data dir whose database holds four checks made through the API."""
    with make_client(tmp_path) as client:
        for _ in range(4):
            assert client.post("/api/v1/check", json=coking_form()).status_code == 200
    return tmp_path


def _database(trail: Path) -> Path:
    return trail / "compliance.sqlite3"


def _verify(trail: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "compliance", "audit", "verify", "--data-dir",
                           str(trail)], capture_output=True, text=True, timeout=120, check=False)


def _ids(trail: Path) -> list[str]:
    with sqlite3.connect(_database(trail)) as database:
        return [row[0] for row in database.execute("SELECT id FROM checks ORDER BY seq")]


def test_checks_made_through_the_service_form_an_intact_chain(trail: Path) -> None:
    store = CheckStore(f"sqlite:///{_database(trail)}")
    result = store.verify_chain()
    store.close()
    assert result.intact and result.records == 4
    verified = _verify(trail)
    assert verified.returncode == 0, verified.stderr
    assert "审计链完整" in verified.stderr and "共 4 条记录" in verified.stderr


def test_replace_into_an_existing_check_is_refused(trail: Path) -> None:
    with sqlite3.connect(_database(trail)) as database, pytest.raises(
            sqlite3.DatabaseError, match="never modified"):
        database.execute("REPLACE INTO checks (id, created_at, channel, client, project, "
                         "outcome, as_of, ruleset_version, form, verdict, lang) SELECT id, "
                         "created_at, channel, client, project, 'compliant', as_of, "
                         "ruleset_version, form, verdict, lang FROM checks WHERE seq = 2")


def test_a_check_rewritten_by_hand_is_named_and_exit_1(trail: Path) -> None:
    second = _ids(trail)[1]
    with sqlite3.connect(_database(trail)) as database:
        database.execute("DROP TRIGGER checks_no_update")
        database.execute("UPDATE checks SET outcome = 'compliant', verdict = json_set(verdict, "
                         "'$.verdict', 'compliant') WHERE id = ?", (second,))
    verified = _verify(trail)
    assert verified.returncode == 1
    assert second in verified.stderr and "第 2 条记录" in verified.stderr
    assert "记录被改动" in verified.stderr and "其前 1 条记录完好" in verified.stderr


def test_a_removed_check_breaks_the_chain_at_the_next(trail: Path) -> None:
    ids = _ids(trail)
    with sqlite3.connect(_database(trail)) as database:
        database.execute("DROP TRIGGER checks_no_delete")
        database.execute("DELETE FROM checks WHERE id = ?", (ids[1],))
    verified = _verify(trail)
    assert verified.returncode == 1 and ids[2] in verified.stderr
    assert "序号应为 2，实为 3" in verified.stderr


def test_a_check_slipped_in_without_its_seal_is_named(trail: Path) -> None:
    with sqlite3.connect(_database(trail)) as database:
        database.execute("INSERT INTO checks (id, created_at, channel, client, project, outcome, "
                         "as_of, ruleset_version, form, verdict, lang) VALUES ('11111111-1111-"
                         "4111-8111-111111111111', '2030-01-01 00:00:00', 'api', 'x', '假项目', "
                         "'compliant', '2030-01-01', 'v', '{}', '{}', 'zh')")
    verified = _verify(trail)
    assert verified.returncode == 1 and "11111111-1111-4111-8111-111111111111" in verified.stderr
    assert "不在哈希链中" in verified.stderr


def test_checks_stored_before_the_chain_are_sealed_in_the_order_they_were_made(
        tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    old = create_engine(url)
    with old.begin() as connection:
        connection.execute(text(legacy_checks_table(with_lang=True)))
        for number, moment in ((2, "2024-01-02 00:00:00.5"), (1, "2024-01-01 00:00:00")):
            connection.execute(text(
                f"INSERT INTO checks VALUES ('0000000{number}-0000-4000-8000-000000000000', "
                f"'{moment}', 'web', 'x', '旧项目{number}', 'compliant', '2024-01-01', 'v0', "
                "NULL, '{\"name\": \"旧\"}', '{\"verdict\": \"compliant\"}', 'zh')"))
    old.dispose()
    store = CheckStore(url)
    assert store.verify_chain().records == 2
    assert store.get("00000001-0000-4000-8000-000000000000").seq == 1  # type: ignore[union-attr]
    first = store.get("00000001-0000-4000-8000-000000000000")
    assert first is not None and first.previous_hash == GENESIS
    added = store.insert(channel="api", client="x", form=coking_form(), verdict={
        "project": "新", "verdict": "rejected", "as_of": "2024-01-01", "ruleset_version": "v1"})
    assert added.seq == 3 and store.verify_chain().intact
    store.close()


def test_checks_stored_from_many_threads_form_one_chain(tmp_path: Path) -> None:
    store = CheckStore(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    verdict = {"project": "p", "verdict": "rejected", "as_of": "2024-01-01",
               "ruleset_version": "v"}

    def store_some() -> None:
        for _ in range(10):
            store.insert(channel="api", client="x", form={"name": "p"}, verdict=verdict)

    threads = [threading.Thread(target=store_some) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result = store.verify_chain()
    store.close()
    assert result.intact and result.records == 40


def test_the_api_and_the_page_say_when_a_record_does_not_match_its_seal(tmp_path: Path
                                                                        ) -> None:
    with make_client(tmp_path) as client:
        ids = [client.post("/api/v1/check", json=coking_form()).headers["x-check-id"]
               for _ in range(3)]
        assert client.get(f"/api/v1/checks/{ids[1]}").json()["record_intact"] is True
        assert "tampered" not in client.get(f"/checks/{ids[1]}").text
        with sqlite3.connect(_database(tmp_path)) as database:
            database.execute("DROP TRIGGER checks_no_update")
            database.execute("UPDATE checks SET outcome = 'compliant' WHERE id = ?", (ids[1],))
        assert client.get(f"/api/v1/checks/{ids[1]}").json()["record_intact"] is False
        page = client.get(f"/checks/{ids[1]}").text
        assert "此审查记录与审计哈希链不符" in page and 'class="notice tampered"' in page
        assert client.get(f"/api/v1/checks/{ids[0]}").json()["record_intact"] is True
