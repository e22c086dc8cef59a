"""The audit trail's hash chain: each stored check sealed with the seal of the one before.

The database refuses changes to stored checks (triggers), but whoever holds the database file
can drop a trigger, or write with a tool that ignores it, and rewrite a rejected check as
compliant. So each record also carries `record_hash`: SHA-256 over its position (`seq`), the
previous record's hash and everything it says (form, verdict, ruleset version, time, ...). A
record changed, removed or slipped in breaks the chain from there on, and `verify` names the
first record where it breaks. The hash is a contract: changing what goes into it would make
every existing chain fail, so it never changes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

#: the `previous_hash` of the first record
GENESIS = "0" * 64
#: what a record's hash covers, in this order (besides the previous hash and its position);
#: the form and the verdict as the JSON texts stored, byte for byte (`TEXTS`)
SEALED = ("id", "created_at", "channel", "client", "project", "outcome", "as_of",
          "ruleset_version", "recheck_of", "lang")
TEXTS = ("form", "verdict")


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return moment.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def record_hash(record: Mapping[str, Any], seq: int, previous_hash: str) -> str:
    """The seal of a record at position `seq` after a record sealed `previous_hash`. The form
    and verdict are taken as the texts the database holds (`form_text`, `verdict_text`): no
    re-serialising of a 47 KB verdict for every check stored, and nothing to canonicalise."""
    head = json.dumps([previous_hash, seq, *(_plain(record[name]) for name in SEALED)],
                      ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(head.encode("utf-8"))
    for name in TEXTS:
        text = record[f"{name}_text"]
        digest.update(b"\n%d\n" % len(text))  # lengths first: no two splits read the same
        digest.update(text.encode("utf-8"))
    return digest.hexdigest()


@dataclass(frozen=True)
class Break:
    """Where the chain breaks: the record, its position and why (Chinese)."""

    check_id: str
    seq: int | None
    reason: str


@dataclass(frozen=True)
class Verification:
    records: int
    last_hash: str
    broken: Break | None

    @property
    def intact(self) -> bool:
        return self.broken is None


def verify(records: Iterable[Mapping[str, Any]]) -> Verification:
    """Walk records in chain order (`seq`, unchained ones last) to the first that breaks."""
    previous, count = GENESIS, 0
    for count, record in enumerate(records, start=1):
        seq = record["seq"]
        reason = fault(record, count, previous)
        if reason is not None:
            return Verification(count - 1, previous, Break(record["id"], seq, reason))
        previous = record["record_hash"]
    return Verification(count, previous, None)


def fault(record: Mapping[str, Any], position: int, previous: str) -> str | None:
    """What is wrong with a record expected at `position` after a record sealed `previous`
    (Chinese), or None."""
    seq = record["seq"]
    if seq is None or record["record_hash"] is None:
        return "记录不在哈希链中（未经本服务写入）"
    if seq != position:
        return f"序号应为 {position}，实为 {seq}（其前有记录被删除或插入）"
    if record["previous_hash"] != previous:
        return "前一条记录的哈希不符（其前的记录被改动、删除或插入）"
    if record_hash(record, seq, previous) != record["record_hash"]:
        return "记录内容与其哈希不符（记录被改动）"
    return None
