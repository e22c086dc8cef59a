"""The audit trail: every check through the API or the pages, stored once and never changed.

SQLAlchemy Core over any URL (an SQLite file by default, PostgreSQL in production). The store
offers insert and read only; the database itself also refuses UPDATE and DELETE (triggers on
SQLite, a trigger that also covers TRUNCATE on PostgreSQL), so a stored check stays what the
officer saw even if someone opens the database with another tool. The tables below describe
the schema to queries; the schema itself is made and changed by migrations (`migrate`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import json
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    cast,
    create_engine,
    event,
    or_,
    select,
    text,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, NoSuchModuleError, SQLAlchemyError

from compliance.clock import BEIJING
from compliance.result import Verdict
from compliance.web import audit, migrate

metadata = MetaData()

checks = Table(
    "checks",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False, index=True),
    #: `api`, `web` or `recheck`: where the check came from
    Column("channel", String(16), nullable=False),
    Column("client", String(64), nullable=False),
    Column("project", String(500), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("as_of", Date, nullable=False),
    Column("ruleset_version", String(64), nullable=False),
    #: the check this one re-ran with newer rules, if any
    Column("recheck_of", String(36), nullable=True, index=True),
    Column("form", JSON, nullable=False),
    Column("verdict", JSON, nullable=False),
    #: the language the verdict's texts were written in (`zh` or `en`)
    Column("lang", String(2), nullable=False, server_default="zh"),
    #: the record's place in the hash chain, the previous record's seal and its own (`audit`)
    Column("seq", Integer, nullable=True, unique=True),
    Column("previous_hash", String(64), nullable=True),
    Column("record_hash", String(64), nullable=True),
)

#: every rulebook version the service has run, with its digest (`rulebook.changelog`), so that
#: the changes between the version a check was made under and today's can be shown
rulesets = Table(
    "rulesets",
    metadata,
    Column("version", String(64), primary_key=True),
    Column("first_used", DateTime(timezone=True), nullable=False),
    Column("digest", JSON, nullable=False),
)

#: the columns of a record's place in the hash chain
CHAIN_COLUMNS = ("seq", "previous_hash", "record_hash")
#: a record as its seal reads it: the form and verdict as the texts stored (`audit.TEXTS`)
SEALED_RECORDS = select(
    *(checks.c[name] for name in (*audit.SEALED, *CHAIN_COLUMNS)),
    *(cast(checks.c[name], Text).label(f"{name}_text") for name in audit.TEXTS))
#: tries at a place in the chain when other processes write to the same database
CHAIN_ATTEMPTS = 5


class DatabaseUnavailable(RuntimeError):
    """The database cannot be used; `str()` tells the operator why, in Chinese."""


@dataclass(frozen=True)
class StoredCheck:
    """One row of the audit trail, as read back."""

    id: str
    created_at: dt.datetime
    channel: str
    client: str
    project: str
    outcome: str
    as_of: dt.date
    ruleset_version: str
    recheck_of: str | None
    form: dict[str, Any]
    #: the verdict object as read back; None for a row just made from a `Verdict` (`verdict`)
    verdict_data: dict[str, Any] | None
    lang: str = "zh"
    seq: int | None = None
    previous_hash: str | None = None
    record_hash: str | None = None
    #: the verdict as the JSON text stored, when this row was just made (not a column)
    verdict_json: str | None = None

    @functools.cached_property
    def verdict(self) -> dict[str, Any]:
        """The verdict object (the contract's JSON as Python); for a row just made, read from
        the text stored only when asked: `POST /api/v1/check` answers with the text itself."""
        found = self.verdict_data  # (a stored check has its verdict or its text)
        return found if found is not None else json.loads(self.verdict_json)  # type: ignore[arg-type]

    @property
    def place(self) -> str:
        """Where the form says the project is, as typed (`河南省安阳市龙安区`, or its code)."""
        location = self.form.get("location")
        if not isinstance(location, dict):
            return ""
        named = "".join(str(location.get(part) or "") for part in ("province", "city", "county"))
        return named or str(location.get("admin_code") or "")

    def summary(self) -> dict[str, Any]:
        """The row without its (large) form and verdict, for listings."""
        return {"id": self.id, "created_at": self.created_at.isoformat(),
                "channel": self.channel, "client": self.client, "project": self.project,
                "verdict": self.outcome, "as_of": self.as_of.isoformat(),
                "ruleset_version": self.ruleset_version, "recheck_of": self.recheck_of,
                "lang": self.lang}


class JsonText(str):
    """JSON text made already (a verdict's own serialisation): stored as it is, so a check's
    verdict is serialised once for the database and the response alike."""


def _json(value: Any) -> str:
    """Chinese stays readable in the database (no `\\uXXXX` escapes)."""
    if isinstance(value, JsonText):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _write_ahead_log(connection: Any, _record: Any) -> None:
    """WAL: readers never wait for the writer and a commit costs one fsync, not several
    (3.6 → 1.0 ms per stored check here); commits stay durable (synchronous=FULL)."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def database_url(url: str) -> URL:
    """The parsed URL; a plain `postgresql://` (or `postgres://`) means psycopg 3, the driver
    the `postgres` extra installs, not SQLAlchemy's default psycopg2."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseUnavailable(
            "数据库 URL 格式无效。应形如 sqlite:////绝对路径/compliance.sqlite3 或 "
            "postgresql://用户:密码@主机:5432/库名。") from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def connect(url: str) -> Engine:
    """An engine for `url`; for an SQLite file, its directory is created on first start.
    `DatabaseUnavailable` for a malformed URL, an unknown database or a missing driver."""
    parsed = database_url(url)
    options: dict[str, Any] = {"json_serializer": _json, "pool_pre_ping": True}
    sqlite_file = parsed.get_backend_name() == "sqlite" and parsed.database not in (
        None, "", ":memory:")
    if sqlite_file:
        Path(str(parsed.database)).parent.mkdir(parents=True, exist_ok=True)
        options["connect_args"] = {"check_same_thread": False, "timeout": 30}
    try:
        engine = create_engine(parsed, **options)
    except NoSuchModuleError:
        raise DatabaseUnavailable(f"不支持的数据库类型「{parsed.drivername}」；"
                                  "可用 sqlite 或 postgresql。") from None
    except ImportError as error:
        if parsed.get_backend_name() == "postgresql":
            raise DatabaseUnavailable(
                "未安装 PostgreSQL 驱动 psycopg。请在项目目录运行：pip install -e .[postgres]"
            ) from None
        raise DatabaseUnavailable(f"未安装数据库驱动（{error.name}）。") from None
    if sqlite_file:
        event.listen(engine, "connect", _write_ahead_log)
    return engine


def _contains(column: Any, text: str) -> Any:
    """`column` contains `text` as written: `%` and `_` are not wildcards."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.like(f"%{escaped}%", escape="\\")


@dataclass(frozen=True)
class CheckFilter:
    """What a list of past checks is narrowed to; an empty field narrows nothing. Applicant and
    place are read from the stored form (JSON), as the officer typed them."""

    project: str = ""
    applicant: str = ""
    place: str = ""
    outcome: str = ""
    since: dt.date | None = None
    until: dt.date | None = None

    def conditions(self) -> list[Any]:
        found: list[Any] = []
        if self.project:
            found.append(_contains(checks.c.project, self.project))
        if self.applicant:
            found.append(_contains(checks.c.form["applicant"].as_string(), self.applicant))
        if self.place:
            found.append(or_(*(_contains(checks.c.form[("location", part)].as_string(),
                                         self.place)
                               for part in ("province", "city", "county", "admin_code"))))
        if self.outcome:
            found.append(checks.c.outcome == self.outcome)
        if self.since:
            found.append(checks.c.created_at >= _day_start(self.since))
        if self.until:
            found.append(checks.c.created_at < _day_start(self.until + dt.timedelta(days=1)))
        return found


def _day_start(day: dt.date) -> dt.datetime:
    """The start of a day as officers count days (Beijing time), in UTC as stored."""
    return dt.datetime.combine(day, dt.time(), BEIJING).astimezone(dt.UTC)


class CheckStore:
    """Insert and read checks; there is deliberately no update or delete."""

    def __init__(self, url: str) -> None:
        self._chain_lock = threading.Lock()
        self.engine = connect(url)
        try:
            migrate.upgrade(self.engine)
        except SQLAlchemyError as error:
            self.engine.dispose()
            reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0][:300]
            raise DatabaseUnavailable(f"无法连接或初始化数据库：{reason}") from None

    def insert(self, *, channel: str, client: str, form: dict[str, Any],
               verdict: dict[str, Any] | Verdict, recheck_of: str | None = None,
               lang: str = "zh") -> StoredCheck:
        """Store a check. A `Verdict` is serialised once, into the text stored, sealed and sent
        back; a verdict given as JSON-ready data (tests) is written as JSON."""
        if isinstance(verdict, Verdict):
            project, outcome, as_of = verdict.project, verdict.verdict, verdict.as_of
            version, data = verdict.ruleset_version, None
            verdict_text = Verdict.__pydantic_serializer__.to_json(verdict).decode()
        else:
            project, outcome = verdict["project"], verdict["verdict"]
            as_of, version = dt.date.fromisoformat(verdict["as_of"]), verdict["ruleset_version"]
            data, verdict_text = verdict, _json(verdict)
        row = StoredCheck(
            id=str(uuid.uuid4()), created_at=dt.datetime.now(dt.UTC), channel=channel,
            client=client[:64], project=str(project).replace("\x00", "")[:500],
            outcome=outcome, as_of=as_of, ruleset_version=version, recheck_of=recheck_of,
            form=form, verdict_data=data, lang=lang, verdict_json=verdict_text)
        values = {key: value for key, value in row.__dict__.items()
                  if key not in ("verdict_json", "verdict_data")}
        # serialised once: stored as these texts, and sealed as them
        texts = {"form_text": _json(form), "verdict_text": verdict_text}
        values.update(form=JsonText(texts["form_text"]), verdict=JsonText(texts["verdict_text"]))
        with self._chain_lock:  # one link at a time here; other processes: the unique seq
            for attempt in range(CHAIN_ATTEMPTS):
                try:
                    with self.engine.begin() as connection:
                        values.update(self._link(connection, {**row.__dict__, **texts}))
                        # values as parameters, not in the statement: the statement stays
                        # cached instead of SQLAlchemy walking the whole verdict each time
                        connection.execute(checks.insert(), values)
                    break
                except IntegrityError:  # another process took this place in the chain
                    if attempt == CHAIN_ATTEMPTS - 1:
                        raise
        return dataclasses.replace(row, **{key: values[key] for key in CHAIN_COLUMNS})

    @staticmethod
    def _link(connection: Any, record: dict[str, Any]) -> dict[str, Any]:
        """The record's place after the chain's last one, and its seal."""
        head = connection.execute(select(checks.c.seq, checks.c.record_hash).where(
            checks.c.seq.is_not(None)).order_by(checks.c.seq.desc()).limit(1)).first()
        seq, previous = (head.seq + 1, head.record_hash) if head else (1, audit.GENESIS)
        return {"seq": seq, "previous_hash": previous,
                "record_hash": audit.record_hash(record, seq, previous)}

    def record_intact(self, check: StoredCheck) -> bool:
        """Whether this record matches its seal and its predecessor's: what a page or the API
        can afford per request (`verify_chain` walks them all)."""
        with self.engine.connect() as connection:
            record = connection.execute(SEALED_RECORDS.where(checks.c.id == check.id)
                                        ).mappings().first()
            if record is None or record["seq"] is None:
                return False
            seq = record["seq"]
            previous = audit.GENESIS if seq == 1 else connection.execute(
                select(checks.c.record_hash).where(checks.c.seq == seq - 1)).scalar()
        return audit.fault(record, seq, previous or "") is None

    def verify_chain(self) -> audit.Verification:
        """Every record, in chain order, checked against its seal and its predecessor's."""
        query = SEALED_RECORDS.order_by(checks.c.seq.asc().nulls_last(), checks.c.created_at)
        with self.engine.connect() as connection:
            rows = connection.execution_options(stream_results=True).execute(query)
            return audit.verify(row for row in rows.mappings())

    def get(self, check_id: str) -> StoredCheck | None:
        """The check with this id, or None (also for anything that is not a UUID)."""
        try:
            key = str(uuid.UUID(check_id))
        except ValueError:
            return None
        with self.engine.connect() as connection:
            found = connection.execute(select(checks).where(checks.c.id == key)).mappings().first()
        return _stored(found) if found else None

    def latest(self, limit: int, offset: int = 0, where: CheckFilter | None = None
               ) -> list[StoredCheck]:
        """The newest checks first, narrowed by `where`."""
        query = select(checks)
        for condition in (where or CheckFilter()).conditions():
            query = query.where(condition)
        query = (query.order_by(checks.c.created_at.desc(), checks.c.id)
                 .limit(limit).offset(offset))
        with self.engine.connect() as connection:
            return [_stored(row) for row in connection.execute(query).mappings()]

    def record_ruleset(self, version: str, digest: dict[str, Any]) -> None:
        """Remember a rulebook version the first time the service runs it."""
        if self.ruleset_digest(version) is not None:
            return
        # another process may record it a moment before: then its row stands
        with contextlib.suppress(IntegrityError), self.engine.begin() as connection:
            connection.execute(rulesets.insert(), {
                "version": version, "first_used": dt.datetime.now(dt.UTC), "digest": digest})

    def ruleset_versions(self) -> list[tuple[str, dt.datetime]]:
        """Every version run here, newest first, with when it was first used."""
        query = select(rulesets.c.version, rulesets.c.first_used).order_by(
            rulesets.c.first_used.desc())
        with self.engine.connect() as connection:
            return [(row.version, _utc(row.first_used)) for row in connection.execute(query)]

    def ruleset_digest(self, version: str) -> dict[str, Any] | None:
        with self.engine.connect() as connection:
            found = connection.execute(select(rulesets.c.digest).where(
                rulesets.c.version == version)).first()
        return found.digest if found else None

    def rechecks_of(self, check_id: str) -> list[StoredCheck]:
        """The re-checks of a check, oldest first."""
        query = (select(checks).where(checks.c.recheck_of == check_id)
                 .order_by(checks.c.created_at, checks.c.id))
        with self.engine.connect() as connection:
            return [_stored(row) for row in connection.execute(query).mappings()]

    def ping(self) -> bool:
        """Whether the database answers; `healthz` reports it instead of failing."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return False
        return True

    def close(self) -> None:
        self.engine.dispose()


def _utc(moment: dt.datetime) -> dt.datetime:
    """SQLite keeps no zone; we always write UTC."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment


def _stored(row: Any) -> StoredCheck:
    values = dict(row)
    values["created_at"] = _utc(values["created_at"])
    values["verdict_data"] = values.pop("verdict")
    return StoredCheck(**values)
