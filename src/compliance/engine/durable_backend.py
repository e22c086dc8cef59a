"""The durable_rules backend, driven only in the safe pattern DESIGN.md prescribes.

Per ruleset (`rulesets`): one handle, ONE long-lived session (sid "0") initialised by a warm-up
action; per check: `assert_fact` the project, drain the activations, `retract_fact` the same
JSON, all under one lock. Never `post` (events are consumed by the first rule), never a fresh
sid followed by `delete_state` (frees uninitialised memory), never the stock `Host` (its timer
threads race).

Most rules are out of a project's industry or place, and an engine activation for each of them
was most of the engine's time. So the gates are weighed in Python first (`GateIndex`): a ruleset
none of whose rules passes its gate is not asked at all, the others are given each open rule's
gate flag, and each ruleset is given only the facts its rules read (a smaller fact asserts
faster). What a ruleset is given is all it decides on, so a fact it has decided before is
answered from memory (`_Session.evaluate`): the rows of a real list repeat a few facts.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import lru_cache

from compliance import conditions as cond
from compliance.engine.base import EngineUnavailable, Outcome
from compliance.engine.gates import GateIndex
from compliance.engine.rulesets import (
    ANCHOR,
    GATE_FLAG,
    EngineRule,
    engine_key,
    engine_value,
    partition,
)
from compliance.numbers import scaled
from compliance.rulebook import Rulebook

try:
    import durable_rules_engine as native
except ImportError as error:  # pragma: no cover - depends on the interpreter
    native = None
    IMPORT_ERROR: ImportError | None = error
else:
    IMPORT_ERROR = None

WARMUP_RULE = "warmup"
#: fact bodies whose outcomes a ruleset keeps (`_Session.evaluate`); emptied when full. On a
#: real-shaped list 1,024 answer 59 % of the asks (4,096: 65 %)
DECIDED_SIZE = 1024
#: a ruleset whose memory, when full, answered fewer asks than this share of its size stops
#: remembering: facts that never repeat (a generated list's, every field random) only cost
#: memory, and the engine itself ran 4-6 % slower beside 1,024 of them held a ruleset
DECIDED_WORTH = 0.25
_names = itertools.count()

#: a fact as the engine is given it: (its path in the facts, its key written as JSON and `: `)
FactField = tuple[str, str]


def fact_fields(paths: Iterable[str]) -> tuple[FactField, ...]:
    return tuple((path, f"{json.dumps(engine_key(path))}: ") for path in sorted(paths))


def fact_body(facts: Mapping[str, cond.Scalar], fields: Iterable[FactField] | None = None,
              flags: Iterable[str] = ()) -> str:
    """The fact as JSON without its id and closing brace: the anchor first (`_fired_rule`
    relies on it), then the values of `fields` (every fact when None), each value written
    straight into the text, then `flags`, written already (`, "f3": true`: the gates of the
    ruleset's open rules). The body is all a ruleset decides on (`_Session.evaluate`).

    A ruleset is given only the facts its rules read, so each evaluation writes a few
    rulesets' facts: building a dict of every fact and dumping it per ruleset was a third of
    an evaluation."""
    parts = [PROJECT_FACT]
    for path, key in fact_fields(facts) if fields is None else fields:
        value = facts.get(path, _ABSENT)
        if value is not _ABSENT:
            parts.append(f", {key}{_json_value(value)}")
    parts.extend(flags)
    return "".join(parts)


def with_id(body: str, fact_id: int) -> str:
    """The fact asserted, as JSON: its `fact_body`, its id and the closing brace."""
    return f'{body}, "id": {fact_id}}}'


_ABSENT = object()


def _json_value(value: cond.Scalar) -> str:
    """A fact's value as JSON; numbers as scaled integers (`engine_value`)."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value.__class__ is Decimal:
        return str(scaled(value))  # type: ignore[arg-type]
    if value.__class__ is str:
        return _json_text(value)  # type: ignore[arg-type]
    return json.dumps(engine_value(value), ensure_ascii=False)


@lru_cache(maxsize=4096)
def _json_text(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


#: how every project fact we assert begins (`fact_body` writes the anchor first)
PROJECT_FACT = json.dumps(ANCHOR)[:-1]
WARMUP_FACT = json.dumps({"kind": "warmup", "id": "warmup"})


def _fired_rule(message: str, fact_start: str = PROJECT_FACT) -> str | None:
    """The rule an activation is for, from its text `{"<rule>":{"m":{...fact...}}}`.

    Only the name is needed: decoding the whole fact again for every activation cost more than
    the match itself. Our rule names are plain (`r12v`), so the first quoted string is the name.
    An activation for any other fact (the session's own state fact `{"sid": …, "$s": 1}`) is
    skipped: the fact must begin with `fact_start`, checked in place rather than by scanning
    the fact's text (where a project's own values could be anything).
    """
    end = message.index('"', 2)
    if not message.startswith(fact_start, end + 7):  # after `":{"m":`
        return None
    return message[2:end]


class _Session:
    """One ruleset handle and its single long-lived session."""

    def __init__(self, rules: list[EngineRule]) -> None:
        self.outcomes = {rule.name: (rule.rule_id, rule.outcome) for rule in rules}
        self.rule_ids = frozenset(rule.rule_id for rule in rules)
        read = {leaf.field for rule in rules for leaf in cond.leaves(rule.condition)}
        #: the facts this ruleset's rules read: the only ones it is given
        self.paths = frozenset(path for path in read if not path.startswith(GATE_FLAG))
        self.fields = fact_fields(self.paths)
        #: each gated rule's flag as the backend writes it (`gate_flag`): (rule id, key written)
        self.flags = tuple((path.removeprefix(GATE_FLAG), key)
                           for path, key in fact_fields(read - self.paths))
        #: outcomes by fact body, bounded by DECIDED_SIZE (`evaluate`), and the asks it
        #: answered since it was last emptied
        self.decided: dict[str, tuple[tuple[str, Outcome], ...]] = {}
        self.answered = 0
        self.remembering = True
        definition = {rule.name: rule.definition() for rule in rules}
        definition[WARMUP_RULE] = {"all": [{"m": {"kind": "warmup"}}]}
        name = f"compliance_{next(_names)}"
        self.handle = native.create_ruleset(name, json.dumps(definition, ensure_ascii=False))
        if self._drain(WARMUP_FACT, WARMUP_FACT[:-1]) != [WARMUP_RULE]:
            raise RuntimeError("durable_rules session did not initialise")

    def _drain(self, fact: str, fact_start: str = PROJECT_FACT) -> list[str]:
        """Assert, collect the names of the rules that fired, retract."""
        result = native.assert_fact(self.handle, fact)
        fired: list[str] = []
        try:
            if result[0] == 0:
                state_handle = result[1]
                action = native.start_action_for_state(self.handle, state_handle)
                message = action[1] if action else None
                while message:
                    name = _fired_rule(message, fact_start)
                    if name is not None:
                        fired.append(name)
                    message = native.complete_and_start_action(self.handle, state_handle)
            elif result[0] != 1:  # 1: nothing matched, the normal compliant outcome
                raise RuntimeError(f"durable_rules assert_fact returned {result[0]}")
        finally:
            native.retract_fact(self.handle, fact)
        return fired

    def evaluate(self, body: str, fact_id: int) -> tuple[tuple[str, Outcome], ...]:
        """The outcomes of the rules that fire for the fact `body` (`fact_body`) asserted with
        `fact_id`, as (rule id, outcome) pairs; remembered by the body, which holds all the
        ruleset decides on (a real list's rows give a ruleset the same few facts again and
        again: DECIDED_SIZE says how often), while remembering pays (DECIDED_WORTH)."""
        found = self.decided.get(body)
        if found is not None:
            self.answered += 1
            return found
        found = tuple(self.outcomes[name]
                      for name in dict.fromkeys(self._drain(with_id(body, fact_id))))
        if self.remembering:
            if len(self.decided) >= DECIDED_SIZE:
                self.remembering = self.answered >= DECIDED_WORTH * DECIDED_SIZE
                self.decided.clear()
                self.answered = 0
            if self.remembering:
                self.decided[body] = found
        return found

    def close(self) -> None:
        native.delete_state(self.handle, "0")
        native.delete_ruleset(self.handle)


class DurableBackend:
    name = "durable"

    def __init__(self, rulebook: Rulebook) -> None:
        if native is None:
            raise EngineUnavailable(
                f"durable_rules does not import on this Python ({IMPORT_ERROR}); "
                "use --engine python")
        self.rule_ids = [rule.id for rule in rulebook.rules]
        self._sessions = [_Session(chunk) for chunk in partition(rulebook)]
        self._gates = GateIndex(rulebook, [session.rule_ids for session in self._sessions])
        #: by gated rule: its ruleset's index and its gate flag written as held and as unknown
        self._flags = {rule_id: (index, f", {key}true", f", {key}false")
                       for index, session in enumerate(self._sessions)
                       for rule_id, key in session.flags}
        self._lock = threading.Lock()
        self._fact_ids = itertools.count(1)

    def evaluate(self, facts: Mapping[str, cond.Scalar]) -> dict[str, Outcome]:
        outcomes = dict.fromkeys(self.rule_ids, Outcome.UNDECIDED)
        with self._lock:
            gates = self._gates.ruled_out(facts)
            flags: dict[int, list[str]] = {}
            for rule_id, holds in gates.opened.items():
                index, held, unknown = self._flags[rule_id]
                flags.setdefault(index, []).append(held if holds else unknown)
            fact_id = next(self._fact_ids)
            for index in gates.live:
                session = self._sessions[index]
                outcomes.update(session.evaluate(
                    fact_body(facts, session.fields, flags.get(index, ())), fact_id))
        outcomes.update(dict.fromkeys(gates.out, Outcome.NOT_APPLICABLE))
        return outcomes

    def close(self) -> None:
        with self._lock:
            for session in self._sessions:
                session.close()
            self._sessions = []
