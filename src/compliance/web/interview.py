"""The interview: what decides applicability first, then only what the rules in force read.

A wall of 110 fields asks a coking plant about vehicle emission standards. The page asks first
for the basics that decide which rules reach a project (name, type, industry, place, capacity);
then it checks that partial form, without storing it, and asks exactly the facts the verdict
still waits for, in the order of the 补正清单 (the facts that can still turn it into 不予通过
first), grouped by section. The fields no rule in force reads stay reachable under 其他信息.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from functools import cache
from typing import Any, Literal

from compliance import conditions as cond
from compliance.checker import Checker
from compliance.definitions import Meaning, meanings_by_field
from compliance.errors import FieldProblem, InputError
from compliance.fields import catalogue
from compliance.questions import PLACE
from compliance.result import Question, Verdict
from compliance.web import formview
from compliance.web.formview import WebField, WebGroup

Mode = Literal["basics", "interview", "full"]

#: asked first: what decides which rules reach the project
BASICS: tuple[str, ...] = (
    "name", "applicant", "project_type", "industry", "application_date",
    "location.province", "location.city", "location.county", "location.admin_code",
    "capacity.new", "capacity.unit")
#: required before the questions are listed (the place: its city or a code)
NEEDED = ("name", "project_type", "industry")
#: outcomes of rules that do not reach the project: what they read is not asked
OUT_OF_REACH = frozenset({"not_applicable", "not_in_force"})


#: the tiers of the questions, in the order of the 补正清单; then the fields the rules in
#: force read that are answered, and those whose answer cannot change the verdict as it stands
TIERS = ("可能导致不予通过的事实", "其他待答事实", "已填写的相关事实",
         "其他相关事实（按已填内容不影响结论，可不填）")


@dataclass(frozen=True)
class Tier:
    heading: str
    groups: list[WebGroup]


@dataclass(frozen=True)
class Interview:
    """The page's fields: the basics, the questions by tier and section, everything else."""

    basics: list[WebGroup]
    asked: list[Tier]
    other: list[WebGroup]

    @property
    def question_count(self) -> int:
        return sum(field.question is not None for tier in self.asked for group in tier.groups
                   for field in group.fields)


def has_place(values: dict[str, Any]) -> bool:
    return bool(values.get("location.city") or values.get("location.admin_code"))


def city_problem(values: dict[str, Any]) -> list[FieldProblem]:
    """The city, asked at once: without it dozens of local rules each ask for the place."""
    if has_place(values):
        return []
    return [FieldProblem("location.city", "请填写项目所在城市（或 6 位行政区划代码）：多数规定按所在城市适用",
                         "the city (or a GB/T 2260 code) decides which local rules apply")]


def mode_for(values: dict[str, Any], requested: str = "") -> Mode:
    """The full form when asked for; the questions once the basics are in, or once the page
    holds more than the basics (a stored check, a description read, a posted interview)."""
    if requested == "full":
        return "full"
    complete = all(values.get(path) for path in NEEDED) and has_place(values)
    beyond = any(value not in ("", []) for path, value in values.items()
                 if path not in BASICS and path != formview.AS_OF)
    return "interview" if complete or beyond else "basics"


def interview(checker: Checker, values: dict[str, Any], problems: list[FieldProblem],
              as_of: dt.date | None) -> Interview:
    """The fields of the interview page for what has been typed so far."""
    meanings = meanings_by_field(checker.rulebook)
    every = formview.build_groups(values, problems, set(), meanings)
    derived = {group.legend: group.meanings for group in every if group.meanings}
    fields = {field.name: field for group in every for field in group.fields}
    verdict = _partial_verdict(checker, values, problems, as_of)
    place = "location.county" if has_place(values) else "location.city"
    order = _asked_order(checker, verdict, place)
    marked = {path: replace(fields[path], question=question) for path, question in order.items()}
    asked = [field for path, field in marked.items() if path not in BASICS]
    tiers = [Tier(heading, _grouped([field for field in asked if _tier(field) == index]))
             for index, heading in enumerate(TIERS)]
    return Interview(
        basics=_grouped([marked.get(path, fields[path]) for path in BASICS], derived),
        asked=[tier for tier in tiers if tier.groups],
        other=_grouped([field for path, field in fields.items()
                        if path not in BASICS and path not in order]))


def _tier(field: WebField) -> int:
    if field.question is None:
        return 2 if field.value else 3
    return 0 if field.question.decisive else 1


def _partial_verdict(checker: Checker, values: dict[str, Any], problems: list[FieldProblem],
                     as_of: dt.date | None) -> Verdict | None:
    """The form checked as it stands, with any field that has a problem left out."""
    data = formview.repaired(formview.form_data(values), {p.path for p in problems})
    try:
        return checker.check(data, as_of)
    except InputError:
        return None


def _asked_order(checker: Checker, verdict: Verdict | None, place: str
                 ) -> dict[str, Question | None]:
    """Input fields in the order they are asked: the 补正清单's questions (the place's at the
    input `place`), then the fields the rules in force read that are answered already (None:
    no question left)."""
    if verdict is None:
        return {}
    order: dict[str, Question | None] = {}
    for question in verdict.questions:
        path = place if question.field == PLACE else formview.input_name(question.field)
        if path is not None and path not in order:
            order[path] = question
    for path in sorted(_fields_read(checker, verdict), key=_catalogue_position):
        order.setdefault(path, None)
    return order


def _fields_read(checker: Checker, verdict: Verdict) -> set[str]:
    """The input fields that the rules reaching this project read, derived facts traced back
    to the fields they are computed from."""
    specs = catalogue()
    read: set[str] = set()
    for result in verdict.results:
        if result.status in OUT_OF_REACH:
            continue
        rule = checker.rulebook.by_id[result.rule_id]
        for tree in (rule.applicability, rule.violation, rule.review):
            for leaf in cond.leaves(tree) if tree is not None else ():
                spec = specs.get(leaf.field)
                sources = spec.sources if spec is not None and spec.derived else (leaf.field,)
                read |= {name for name in map(formview.input_name, sources) if name}
    return read


@cache
def _positions() -> dict[str, int]:
    return {path: index for index, path in enumerate(catalogue())}


def _catalogue_position(path: str) -> int:
    return _positions().get(path, len(_positions()))


def _grouped(fields: list[WebField], meanings: dict[str, tuple[Meaning, ...]] | None = None
             ) -> list[WebGroup]:
    """Fields under their sections' legends, sections in the order of their first field."""
    groups: dict[str, list[WebField]] = {}
    for field in fields:
        groups.setdefault(formview.group_of(field.name) or formview.BASIC, []).append(field)
    return [WebGroup(legend, members, (meanings or {}).get(legend, ()))
            for legend, members in groups.items()]
