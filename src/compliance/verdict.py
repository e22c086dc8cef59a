"""From engine outcomes to the verdict contract: statuses, explanations, precedence."""

from __future__ import annotations

import datetime as dt

from compliance import explain
from compliance.engine import Outcome
from compliance.facts import Facts
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


def _explanation(rule: CompiledRule, status: Status, outcome: Outcome, facts: Facts,
                 as_of: dt.date, lang: str) -> str:
    zh = lang == "zh"
    if status == "not_in_force":
        until = f"，止于 {rule.valid_until}" if rule.valid_until else ""
        return (f"审查基准日 {as_of} 不在本条有效期内（自 {rule.valid_from} 起{until}）" if zh
                else f"as of {as_of} the rule is not in force (from {rule.valid_from}"
                     f"{f' until {rule.valid_until}' if rule.valid_until else ''})")
    if outcome is Outcome.NOT_APPLICABLE:
        facts_text = "；".join(explain.describe(rule.applicability, facts, lang,
                                                  only=explain.cond.Truth.FALSE))
        return (f"不适用：{facts_text}" if zh else f"not applicable: {facts_text}")
    if outcome is Outcome.UNDECIDED:
        known = explain.describe(rule.applicability, facts, lang) + explain.describe(
            rule.violation, facts, lang)
        notes = explain.notes_for(rule, facts)
        text = "；".join(notes + known)
        prefix = "无法判定，缺少必要事实" if zh else "cannot be decided: facts missing"
        return f"{prefix}{'：' if zh else ': '}{text}" if text else prefix
    parts = explain.describe(rule.violation, facts, lang)
    if outcome is Outcome.REVIEW and rule.review is not None:
        parts = [*explain.describe(rule.review, facts, lang), rule.rule.review_note or ""]
    elif outcome is Outcome.VIOLATED and rule.violation == explain.cond.TRUE_CONDITION:
        parts = explain.describe(rule.applicability, facts, lang)
    if rule.rule.explanation_note and outcome is Outcome.VIOLATED:
        parts.append(rule.rule.explanation_note)
    return "；".join(part for part in parts if part)


def build_result(rule: CompiledRule, outcome: Outcome, facts: Facts, as_of: dt.date,
                 lang: str = "zh") -> Result:
    status = status_for(rule, outcome, as_of)
    missing = explain.missing_fields(rule, facts) if status == "needs_info" or (
        status == "advisory" and outcome is Outcome.UNDECIDED) else []
    # model_construct: every value here comes from a validated rule and the verdict logic, and
    # validating ~100 results per project again was most of a check's time
    return Result.model_construct(
        rule_id=rule.id,
        status=status,
        effect=rule.rule.effect,
        title=rule.rule.title.zh if lang == "zh" else rule.rule.title.en,
        citation=rule.citation,
        explanation=_explanation(rule, status, outcome, facts, as_of, lang),
        missing=missing,
        remedy=rule.rule.remedy if status in ("fail", "review", "needs_info") else None,
        valid_from=rule.valid_from,
        valid_until=rule.valid_until,
    )


def build_verdict(rules: tuple[CompiledRule, ...], outcomes: dict[str, Outcome], facts: Facts,
                  as_of: dt.date, ruleset_version: str, engine: str, lang: str = "zh") -> Verdict:
    results = [build_result(rule, outcomes[rule.id], facts, as_of, lang) for rule in rules]
    return Verdict(
        project=facts.form.name,
        project_id=facts.form.id,
        verdict=overall([result.status for result in results]),
        as_of=as_of,
        ruleset_version=ruleset_version,
        engine=engine,
        results=results,
    )
