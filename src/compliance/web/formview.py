"""The web form, built from the form model's catalogue, and posted fields turned into a form.

Labels, units and choices come from `compliance.fields.catalogue()`, so the page never drifts
from the contract. A yes/no fact is a three-way choice (未填 / 是 / 否): an unticked checkbox
would silently say "no", and a missing fact must stay missing (DESIGN.md principle 3).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import TypeAdapter, ValidationError

from compliance import conditions as cond
from compliance.checker import Checker
from compliance.choices import read_bool, read_choice
from compliance.definitions import Meaning
from compliance.errors import FieldProblem, InputError, from_validation_error
from compliance.fields import FieldSpec, catalogue
from compliance.form import Day
from compliance.reference import ReferenceLookupError, resolve_industry
from compliance.reference.industries import classes, key_names_zh, rulebook_keys
from compliance.result import Question
from compliance.rulebook import Rulebook
from compliance.shape import check_shape
from compliance.web.formfile import FORM_FILE
from compliance.web.views import field_label

#: (legend, path prefixes) in page order; top-level fields not listed are 基本信息
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("基本信息", ("products.",)),
    ("选址", ("location.", "relocation.")),
    ("产能", ("capacity.",)),
    ("工艺装备", ("technology.",)),
    ("排放", ("emissions.", "solid_waste.")),
    ("能耗", ("energy.", "fuel", "water.")),
    ("手续", ("procedures.",)),
)
BASIC = GROUPS[0][0]
#: not a form field: the date the rules are applied as of (the API's `as_of`)
AS_OF = "as_of"
#: inputs of the page that are not form fields, with their labels
PAGE_INPUTS = {AS_OF: "审查基准日", FORM_FILE: "表单文件"}
#: what to type, where the label alone does not say it
HINTS: dict[str, str] = {
    "industry": "GB/T 4754-2017 行业代码或名称，如 C2521 或 炼焦；多个用逗号分隔",
    "location.province": "如 河南省", "location.city": "如 安阳市", "location.county": "如 安阳县",
    "location.admin_code": "6 位数字，如 410522（可代替省市县）",
    "capacity.unit": "如 万吨/年、吨/日",
}
_SEPARATORS = re.compile(r"[\s,，、;；]+")
_DAY: TypeAdapter[dt.date] = TypeAdapter(Day)
#: stand-ins for required fields that are missing or wrong, so that the rest of a form can
#: still be resolved (places, industries, units) and all its problems shown at once
_STAND_INS: dict[str, Any] = {"name": "（未填）", "project_type": "new", "industry": ["C2521"]}


@dataclass(frozen=True)
class WebField:
    """One input as the template draws it."""

    spec: FieldSpec
    value: str | list[str]
    errors: tuple[str, ...]
    relevant: bool = False
    #: the 补正清单's question for this field, when the interview asks it
    question: Question | None = None
    #: what the rules mean by it (`document.definitions`)
    meanings: tuple[Meaning, ...] = ()

    @property
    def name(self) -> str:
        return self.spec.path

    @property
    def hint(self) -> str:
        return HINTS.get(self.spec.path, "")

    @property
    def chosen(self) -> str:
        """The industries typed, named in Chinese."""
        if self.spec.path != "industry" or not isinstance(self.value, str):
            return ""
        return chosen_industries(self.value)

    @property
    def multiple(self) -> bool:
        return is_multiple(self.spec)

    @property
    def dom_id(self) -> str:
        return "f-" + self.spec.path.replace(".", "-")

    def choices(self) -> list[tuple[str, str]]:
        return [(value, self.spec.choice_label_zh(value)) for value in self.spec.choices]


@dataclass(frozen=True)
class WebGroup:
    legend: str
    fields: list[WebField]
    #: what the rules mean by facts derived from this group's fields (重点区域 from the place)
    meanings: tuple[Meaning, ...] = ()


@cache
def input_fields() -> tuple[FieldSpec, ...]:
    """The catalogue's form fields (derived facts are computed, never asked for)."""
    return tuple(spec for spec in catalogue().values() if not spec.derived)


def is_multiple(spec: FieldSpec) -> bool:
    """A list with fixed choices (fuel) is a set of checkboxes; `industry` is typed text."""
    return spec.kind == "list" and bool(spec.choices)


def group_of(path: str) -> str | None:
    """The legend a field is shown under; None for a nested section no group claims."""
    for legend, prefixes in GROUPS:
        if any(path == p or (p.endswith(".") and path.startswith(p)) for p in prefixes):
            return legend
    return BASIC if "." not in path else None


@cache
def industry_options() -> tuple[tuple[str, str], ...]:
    """The industry picker: the rulebook's industries, then every GB/T 4754-2017 class, each in
    the classification's code order with its Chinese name. A rulebook industry is offered by
    the shortest Chinese name the form accepts for it (焦化), else by its key."""
    aliases: dict[str, str] = {}
    for alias, key in sorted(key_names_zh().items(), key=lambda item: len(item[0])):
        if resolve_industry(alias).level == "key":
            aliases.setdefault(key, alias)
    keys = sorted(rulebook_keys().values(), key=lambda entry: (min(entry.codes, default="~"),
                                                                entry.key))
    return (*((aliases.get(entry.key, entry.key), f"规则库行业 · {entry.name_zh}")
              for entry in keys),
            *((entry.code, entry.name) for entry in classes()))


def chosen_industries(text: str) -> str:
    """What the typed industries are, in Chinese (`C2521 炼焦；焦化 → 炼焦（焦化）`); entries
    that do not resolve are left to validation, beside the field."""
    names = []
    for value in split_list(text):
        try:
            resolved = resolve_industry(value)
        except ReferenceLookupError:
            continue
        names.append(f"{resolved.code} {resolved.name}" if resolved.code else resolved.name)
    return "；".join(names)


def industry_keys(values: Iterable[str]) -> set[str]:
    """Rulebook keys of the industries typed so far; unknown entries are left to validation."""
    keys: set[str] = set()
    for value in values:
        try:
            resolved = resolve_industry(value)
        except ReferenceLookupError:
            continue
        keys |= resolved.keys | resolved.possible_keys
    return keys


def relevant_technology(rulebook: Rulebook, keys: set[str]) -> set[str]:
    """Technology fields some rule for these industries tests: read from the rules themselves,
    so a new rule's field moves up without anyone maintaining a table. Rules for any industry
    (`*`) are left out: what concerns every project is relevant to none in particular."""
    fields: set[str] = set()
    for rule in rulebook.rules:
        if keys & set(rule.rule.applies_to.industries):
            trees = [rule.applicability, rule.violation, rule.review]
            fields |= {leaf.field for tree in trees if tree is not None
                       for leaf in cond.leaves(tree) if leaf.field.startswith("technology.")}
    return fields


def parse_day(text: str, path: str = AS_OF) -> tuple[dt.date | None, list[FieldProblem]]:
    """A YYYY-MM-DD date typed in a page (None when empty), with the API's message if not."""
    if not text:
        return None, []
    try:
        return _DAY.validate_python(text), []
    except ValidationError as error:
        return None, [FieldProblem(path, p.message_zh, p.message_en)
                      for p in from_validation_error(error).problems]


def _without(data: dict[str, Any], paths: set[str]) -> dict[str, Any]:
    """A copy of the form without the fields at `paths` (a list goes whole: `industry.1`)."""
    copied = copy.deepcopy(data)
    for path in paths:
        node: Any = copied
        *parents, leaf = path.split(".")
        for key in parents:
            if not isinstance(node, dict) or not isinstance(node.get(key), dict):
                leaf = key
                break
            node = node[key]
        if isinstance(node, dict):
            node.pop(leaf, None)
    return copied


def repaired(data: dict[str, Any], flagged: set[str]) -> dict[str, Any]:
    """The form without the fields that have problems, required ones stood in for, so that
    the rest of it can still be resolved and checked."""
    return {**_STAND_INS, **_without(data, flagged)} if flagged else data


def shape_problems(data: dict[str, Any]) -> list[FieldProblem]:
    """Nesting or size no form has (`compliance.shape`), found without walking it whole."""
    try:
        check_shape(data)
    except InputError as error:
        return list(error.problems)
    return []


def every_problem(checker: Checker, data: dict[str, Any]) -> list[FieldProblem]:
    """All of a form's problems at once. The checker stops at the form's own problems (a
    missing name, a number that is not one) before it resolves places, industries and units,
    so the form is resolved a second time without its bad fields to find those too."""
    shape = shape_problems(data)
    if shape:  # before any copy: a YAML alias bomb must not be expanded
        return shape
    try:
        checker.facts(data)
    except InputError as error:
        problems = list(error.problems)
    else:
        return []
    flagged = {problem.path for problem in problems}
    try:
        checker.facts(repaired(data, flagged))
    except InputError as error:
        problems += [problem for problem in error.problems if problem.path not in flagged]
    return problems


def build_groups(values: dict[str, Any], problems: list[FieldProblem], relevant: set[str],
                 meanings: dict[str, tuple[Meaning, ...]]) -> list[WebGroup]:
    """Every group with its fields, each with what the rules mean by it; relevant technology
    fields first and marked."""
    errors = field_errors(problems)
    groups: dict[str, list[WebField]] = {legend: [] for legend, _ in GROUPS}
    for spec in input_fields():
        default: str | list[str] = [] if is_multiple(spec) else ""
        groups[group_of(spec.path) or BASIC].append(WebField(
            spec, values.get(spec.path, default), tuple(errors.get(spec.path, ())),
            spec.path in relevant, meanings=meanings.get(spec.path, ())))
    for fields in groups.values():
        fields.sort(key=lambda field: not field.relevant)  # stable: model order otherwise
    derived = derived_meanings(meanings)
    return [WebGroup(legend, fields, derived.get(legend, ())) for legend, fields in groups.items()]


def derived_meanings(meanings: dict[str, tuple[Meaning, ...]]) -> dict[str, tuple[Meaning, ...]]:
    """Meanings of derived facts, by the legend of the group their form fields are in: the
    applicant fills in the place, and reads there what 重点区域 or 长江经济带 means."""
    specs = catalogue()
    by_group: dict[str, dict[tuple[str, str], Meaning]] = {}
    for path, found in meanings.items():
        spec = specs.get(path)
        if spec is None or not spec.derived:
            continue
        legend = group_of(spec.sources[0]) or BASIC
        for meaning in found:
            by_group.setdefault(legend, {})[meaning.term, meaning.number] = meaning
    return {legend: tuple(found.values()) for legend, found in by_group.items()}


def input_name(path: str) -> str | None:
    """The input a problem belongs to: `industry.1` to `industry`, `fuel.0` to `fuel`."""
    names = {spec.path for spec in input_fields()} | set(PAGE_INPUTS)
    while path not in names and "." in path:
        path = path.rsplit(".", 1)[0]
    return path if path in names else None


def field_errors(problems: list[FieldProblem]) -> dict[str, list[str]]:
    """Messages by input name, to show beside each input."""
    errors: dict[str, list[str]] = {}
    for problem in problems:
        name = input_name(problem.path)
        if name is not None:
            errors.setdefault(name, []).append(problem.message_zh)
    return errors


def problem_rows(problems: list[FieldProblem]) -> list[dict[str, str]]:
    """The summary above the form: label, path, message and the anchor of the input."""
    rows = []
    for problem in problems:
        name = input_name(problem.path)
        label = (PAGE_INPUTS.get(name) or field_label(name)) if name else problem.path
        rows.append({"path": problem.path, "message": problem.message_zh, "label": label,
                     "anchor": "f-" + name.replace(".", "-") if name else ""})
    return rows


def posted_values(items: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """The submitted inputs by name, as typed (lists for multi-valued fields), for redisplay."""
    specs = {spec.path: spec for spec in input_fields()}
    values: dict[str, Any] = {}
    for name, value in items:
        if not isinstance(value, str):
            continue
        if name in specs and is_multiple(specs[name]):
            values.setdefault(name, []).append(value)
        elif name in specs or name == AS_OF:
            values[name] = value.strip()
    return values


def form_data(values: dict[str, Any]) -> dict[str, Any]:
    """The nested form dict for `parse_form`; empty inputs are left out (a missing fact)."""
    specs = {spec.path: spec for spec in input_fields()}
    data: dict[str, Any] = {}
    for path, spec in specs.items():
        value = _typed(spec, values.get(path))
        if value is None:
            continue
        *parents, leaf = path.split(".")
        node = data
        for parent in parents:
            node = node.setdefault(parent, {})
        node[leaf] = value
    return data


def values_from_form(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Input values for a stored form, so "修改后重新审查" starts from what was checked; a
    choice or a yes/no written in Chinese (新建, 是) selects its option."""
    specs = catalogue()
    values: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        spec = specs.get(path)
        if spec is not None and spec.kind == "bool":
            value = read_bool(value)
        elif spec is not None and spec.enum is not None:
            value = ([read_choice(spec.enum, item) for item in value] if isinstance(value, list)
                     else read_choice(spec.enum, value))
        if isinstance(value, dict):
            values.update(values_from_form(value, f"{path}."))
        elif isinstance(value, bool):
            values[path] = "true" if value else "false"
        elif isinstance(value, list):
            values[path] = "、".join(map(str, value)) if path == "industry" else list(value)
        elif value is not None:
            values[path] = str(value)
    return values


def split_list(text: str) -> list[str]:
    """`C2521、coking` or `C2521, C3011`: officers separate codes in several ways."""
    return [part for part in _SEPARATORS.split(text) if part]


def _typed(spec: FieldSpec, raw: Any) -> Any:
    """What JSON would carry: booleans for 是/否, lists split on commas; numbers stay text so
    the model reports `须为数值，收到「…」` beside the field."""
    if raw in (None, "", []):
        return None
    if spec.kind == "bool":
        return {"true": True, "false": False}.get(raw, raw)
    if spec.path == "industry":
        return split_list(raw)
    return raw
