"""From engine outcomes to the verdict contract: statuses, explanations, precedence."""

from __future__ import annotations

import bisect
import datetime as dt
import weakref
from dataclasses import dataclass, field

from compliance import explain
from compliance.engine import Outcome
from compliance.facts import Facts
from compliance.questions import questions
from compliance.result import Result, Status, Verdict, overall
from compliance.rulebook import CompiledRule

TRIGGERED_STATUS: dict[str, Status] = {"prohibit": "fail", "require": "fail",
                                       "restrict": "review", "advise": "advisory"}


def status_for(rule: CompiledRule, outcome: Outcome, as_of: dt.date) -> Status:
    if not rule.in_force(as_of):
        return "not_in_force"
    effect = rule.rule.effect
    if outcome is Outcome.VIOLATED:
        return TRIGGERED_STATUS[effect]
    if outcome is Outcome.REVIEW:
        return "advisory" if effect == "advise" else "review"
    if outcome is Outcome.CLEAR:
        return "pass"
    if outcome is Outcome.NOT_APPLICABLE:
        return "not_applicable"
    # an advisory never asks for information: it cannot change the verdict
    return "advisory" if effect == "advise" else "needs_info"


def _undecided(rule: CompiledRule, facts: Facts, missing: list[str], lang: str) -> str:
    """`无法判定：缺少「…」。…（why a given fact is unusable）。已知：…` — the facts named first,
    then the facts that were there, so nobody reads a known fact as the missing one."""
    zh = lang == "zh"
    absent = [explain.label(path, lang) for path in missing if path not in facts.given]
    unusable = [explain.label(path, lang) for path in missing if path in facts.given]
    head = "无法判定" if zh else "cannot be decided"
    if absent:
        head += (f"：缺少{'、'.join(f'「{name}」' for name in absent)}" if zh
                 else f": missing {', '.join(absent)}")
    if unusable:
        head += (f"{'；' if absent else '：'}{'、'.join(f'「{name}」' for name in unusable)}"
                 f"的填写无法使用" if zh else f"{'; ' if absent else ': '}"
                 f"{', '.join(unusable)} given but unusable")
    known = explain.describe(rule.applicability, facts, lang, only=explain.cond.Truth.TRUE) + [
        text for text in explain.describe(rule.violation, facts, lang)]
    parts = [head, *explain.notes_for(rule, facts), *explain.assumptions_for(rule.fields, facts)]
    if known:
        parts.append(("已知：" if zh else "known: ") + ("；" if zh else "; ").join(
            dict.fromkeys(known)))
    return ("。" if zh else ". ").join(parts)


def _explanation(rule: CompiledRule, status: Status, outcome: Outcome, facts: Facts,
                 as_of: dt.date, lang: str) -> str:
    """A rule not in force, or decided (an undecided one is worded by `undecided_wording`)."""
    zh = lang == "zh"
    if status == "not_in_force":
        until = f"，止于 {rule.valid_until}" if rule.valid_until else ""
        return (f"审查基准日 {as_of} 不在本条有效期内（自 {rule.valid_from} 起{until}）" if zh
                else f"as of {as_of} the rule is not in force (from {rule.valid_from}"
                     f"{f' until {rule.valid_until}' if rule.valid_until else ''})")
    text = _decided(rule, outcome, facts, lang)
    readings = explain.assumptions_for(rule.fields, facts) if facts.assumptions else []
    return (text.removesuffix("。") + "；" + "；".join(readings)) if readings else text


@dataclass
class _Memo:
    """One rule's decided explanations, keyed by the facts their wording reads, and its
    results, keyed by status, wording and missing fields (a result is immutable: one object
    serves every verdict that says the same)."""

    reads: dict[Outcome, tuple[str, ...]] = field(default_factory=dict)
    texts: dict[tuple, str] = field(default_factory=dict)
    results: dict[tuple[str, ...], Result] = field(default_factory=dict)
    #: an undecided rule's missing fields and wording, keyed by everything they read
    undecided: dict[tuple, tuple[tuple[str, ...], str]] = field(default_factory=dict)
    #: the rule's facts in a fixed order, and the form fields that can decide them
    fields: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


#: in a list of thousands of projects most rules meet the same few values (the industry is not
#: theirs), and wording each explanation again was most of a check's time. Kept by the rule's
#: identity, with a weak reference that drops the entry when the rule goes (mutation testing
#: makes thousands of short-lived rulebooks): a WeakKeyDictionary's look-up, a Python call
#: making a new reference each time, was read ~200 times a full verdict
_MEMO: dict[int, tuple[weakref.ref[CompiledRule], _Memo]] = {}
#: entries per rule in each of its memos, emptied when full. A rule that meets the same few
#: values stays far below; one whose wording quotes a value every row has differently (the
#: capacity a description states) fills it, and at 4,096 a batch worker on a real-shaped list
#: still grew by 36 MB every 20,000 rows (a 1,000,000-row run: 751 MiB over its processes)
#: where at 512 it levels off, with the same speed (measured on 60,000 rows of each kind)
_MEMO_SIZE = 512


def _decided(rule: CompiledRule, outcome: Outcome, facts: Facts, lang: str) -> str:
    memo = _memo(rule)
    reads = memo.reads.get(outcome) or memo.reads.setdefault(outcome, _read_by(rule, outcome))
    key = (outcome, lang, facts.values.get("capacity.unit"), *map(facts.values.get, reads))
    text = memo.texts.get(key)
    if text is None:
        if len(memo.texts) >= _MEMO_SIZE:
            memo.texts.clear()
        text = memo.texts[key] = _word_decided(rule, outcome, facts, lang)
    return text


def _memo(rule: CompiledRule) -> _Memo:
    key = id(rule)
    entry = _MEMO.get(key)
    if entry is not None and entry[0]() is rule:
        return entry[1]
    fields = tuple(sorted(rule.fields))
    sources = tuple(dict.fromkeys(source for path in fields
                                  for source in explain.sources_of(path)))
    memo = _Memo(fields=fields, sources=sources)
    memos = _MEMO
    _MEMO[key] = (weakref.ref(rule, lambda _: memos.pop(key, None)), memo)
    return memo


def undecided_wording(rule: CompiledRule, facts: Facts, lang: str) -> tuple[list[str], str]:
    """An undecided rule's missing form fields and its wording (`_undecided`), worked out once
    for everything they read: the values of the rule's facts and the capacity unit, which of
    their form fields were given, the sources a derived fact still needs, and the notes and
    readings on its facts. Most rules of a list wait for the same few facts."""
    memo = _memo(rule)
    fields, needs, given = memo.fields, facts.needs, facts.given
    # (`map` over bound look-ups: a full verdict words ~40 undecided rules)
    key = (lang, facts.values.get("capacity.unit"), *map(facts.values.get, fields),
           *map(given.__contains__, memo.sources), *map(needs.get, fields),
           *(source in given for path in fields for source in needs.get(path, ())),
           *map(facts.notes.get, fields), *map(facts.assumptions.get, fields))
    found = memo.undecided.get(key)
    if found is None:
        if len(memo.undecided) >= _MEMO_SIZE:
            memo.undecided.clear()
        missing = explain.missing_fields(rule, facts)
        found = memo.undecided[key] = (tuple(missing), _undecided(rule, facts, missing, lang))
    return list(found[0]), found[1]


def _read_by(rule: CompiledRule, outcome: Outcome) -> tuple[str, ...]:
    """The facts `_word_decided` reads for this outcome (besides the capacity unit)."""
    if outcome is Outcome.NOT_APPLICABLE or (
            outcome is Outcome.VIOLATED and rule.violation == explain.cond.TRUE_CONDITION):
        conditions = [rule.applicability]
    elif outcome is Outcome.REVIEW and rule.review is not None:
        conditions = [rule.review]
    else:
        conditions = [rule.violation]
    return tuple(dict.fromkeys(leaf.field for c in conditions for leaf in explain.cond.leaves(c)))


def _word_decided(rule: CompiledRule, outcome: Outcome, facts: Facts, lang: str) -> str:
    """What a decided rule compared; reads only the facts `_read_by` names and the unit."""
    zh = lang == "zh"
    if outcome is Outcome.NOT_APPLICABLE:
        facts_text = "；".join(explain.describe(rule.applicability, facts, lang,
                                                  only=explain.cond.Truth.FALSE))
        return (f"不适用：{facts_text}" if zh else f"not applicable: {facts_text}")
    parts = explain.describe(rule.violation, facts, lang)
    if outcome is Outcome.REVIEW and rule.review is not None:
        parts = [*explain.describe(rule.review, facts, lang), rule.rule.review_note or ""]
    elif outcome is Outcome.VIOLATED and rule.violation == explain.cond.TRUE_CONDITION:
        parts = explain.describe(rule.applicability, facts, lang)
    if rule.rule.explanation_note and outcome is Outcome.VIOLATED:
        parts.append(rule.rule.explanation_note)
    return "；".join(part for part in parts if part)


def build_result(rule: CompiledRule, outcome: Outcome, status: Status, facts: Facts,
                 as_of: dt.date, lang: str = "zh",
                 wording: tuple[list[str], str] | None = None) -> Result:
    """The rule's result; `wording`, an undecided rule's `undecided_wording` when the caller
    has it already."""
    if outcome is Outcome.UNDECIDED and status in ("needs_info", "advisory"):
        missing, explanation = wording or undecided_wording(rule, facts, lang)
    else:
        missing, explanation = [], _explanation(rule, status, outcome, facts, as_of, lang)
    memo = _memo(rule)
    key = (status, lang, explanation, *missing)
    found = memo.results.get(key)
    if found is None:
        if len(memo.results) >= _MEMO_SIZE:
            memo.results.clear()
        found = memo.results[key] = _result(rule, status, lang, explanation, list(missing))
    return found


def _result(rule: CompiledRule, status: Status, lang: str, explanation: str,
            missing: list[str]) -> Result:
    # model_construct: every value here comes from a validated rule and the verdict logic, and
    # validating ~100 results per project again was most of a check's time
    return Result.model_construct(
        rule_id=rule.id,
        status=status,
        effect=rule.rule.effect,
        title=rule.rule.title.zh if lang == "zh" else rule.rule.title.en,
        citation=rule.citation,
        explanation=explanation,
        missing=missing,
        remedy=rule.rule.remedy if status in ("fail", "review", "needs_info") else None,
        valid_from=rule.valid_from,
        valid_until=rule.valid_until,
    )


@dataclass(frozen=True)
class Judgement:
    """What the rules decided for one form as of a day: each rule's outcome and status.

    Kept apart from the wording of results so that a caller which shows only some results (the
    batch outputs show the ones that need action) still weighs every rule for the verdict."""

    facts: Facts
    as_of: dt.date
    outcomes: dict[str, Outcome]
    statuses: dict[str, Status]


class StatusTable:
    """Each rule's status for each outcome, one table per stretch of days in which no rule
    comes into or goes out of force: a project's statuses are looked up, not worked out from
    every rule's validity period again (112 of them per project)."""

    def __init__(self, rules: tuple[CompiledRule, ...]) -> None:
        self.rules = rules
        #: the days on which some rule comes into force or has just gone out of it
        self.turns = sorted({rule.valid_from for rule in rules} | {
            rule.valid_until + dt.timedelta(days=1) for rule in rules
            if rule.valid_until is not None and rule.valid_until < dt.date.max})
        self._tables: dict[int, list[tuple[str, dict[Outcome, Status]]]] = {}

    def on(self, as_of: dt.date) -> list[tuple[str, dict[Outcome, Status]]]:
        """(rule id, status by outcome) for every rule, as of that day."""
        stretch = bisect.bisect_right(self.turns, as_of)
        table = self._tables.get(stretch)
        if table is None:
            table = self._tables[stretch] = [
                (rule.id, {outcome: status_for(rule, outcome, as_of) for outcome in Outcome})
                for rule in self.rules]
        return table


#: the status tables of the rulebooks in use (a few; mutation testing makes many, so bounded)
_TABLES: dict[tuple[CompiledRule, ...], StatusTable] = {}
MAX_TABLES = 16


def status_table(rules: tuple[CompiledRule, ...]) -> StatusTable:
    table = _TABLES.get(rules)
    if table is None:
        if len(_TABLES) >= MAX_TABLES:
            _TABLES.clear()
        table = _TABLES[rules] = StatusTable(rules)
    return table


def judge(rules: tuple[CompiledRule, ...], outcomes: dict[str, Outcome], facts: Facts,
          as_of: dt.date) -> Judgement:
    statuses = {rule_id: by_outcome[outcomes[rule_id]]
                for rule_id, by_outcome in status_table(rules).on(as_of)}
    return Judgement(facts, as_of, outcomes, statuses)


def build_verdict(rules: tuple[CompiledRule, ...], judgement: Judgement, ruleset_version: str,
                  engine: str, lang: str = "zh", only: frozenset[str] | None = None,
                  with_questions: bool = True) -> Verdict:
    """The verdict object; with `only`, results just for rules of those statuses (the verdict
    itself still weighs every rule); without `with_questions`, no 补正清单 (for outputs that
    leave it out)."""
    facts, as_of = judgement.facts, judgement.as_of
    statuses, outcomes = judgement.statuses, judgement.outcomes
    waiting: list[CompiledRule] = []
    missing: dict[str, list[str]] = {}
    results: list[Result] = []
    for rule in rules:  # one pass: a verdict weighs every rule (112), and most are skipped
        status = statuses[rule.id]
        wording = None
        if status == "needs_info":
            waiting.append(rule)
            wording = undecided_wording(rule, facts, lang)
            missing[rule.id] = wording[0]
        if only is None or status in only:
            results.append(build_result(rule, outcomes[rule.id], status, facts, as_of, lang,
                                        wording))
    return Verdict(
        project=facts.form.name,
        project_id=facts.form.id,
        verdict=overall(list(statuses.values())),
        as_of=as_of,
        ruleset_version=ruleset_version,
        engine=engine,
        results=results,
        questions=questions(waiting, missing, facts, lang) if with_questions else [],
    )
