"""Explanations: the facts a result compared, in words an officer can check by hand.

`炭化室高度 4.3 米 ≤ 4.3 米` for a comparison that holds, the negated operator for one that does
not, and the missing facts for an undecided rule.
"""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal
from functools import cache
from typing import Any

from compliance import conditions as cond
from compliance.choices import read_choice
from compliance.facts import Facts
from compliance.fields import UNIT_LABELS_ZH, FieldSpec, catalogue
from compliance.reference.divisions import place_from_code
from compliance.rulebook import CompiledRule

SYMBOL = {"==": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥", "in": "∈",
          "not_in": "∉"}
PLAIN_OPS = {"==", "!="}


def number_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _spec(path: str) -> FieldSpec | None:
    return catalogue().get(path)


def label(path: str, lang: str) -> str:
    spec = _spec(path)
    if spec is None:
        return path
    return spec.label_zh if lang == "zh" else spec.label_en


def value_text(path: str, value: cond.Scalar, facts: Facts, lang: str) -> str:
    spec = _spec(path)
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if isinstance(value, Decimal):
        unit = _unit(spec, facts, lang)
        return f"{number_text(value)} {unit}".rstrip()
    if spec is not None and spec.enum is not None and lang == "zh":
        return spec.choice_label_zh(value)
    if path in DIVISION_CODES:
        return f"{place_name(value, path)}（{value}）"
    return value


def form_value_text(path: str, value: Any, lang: str = "zh") -> str:
    """A value as the form holds it, as a report shows it: 是/否, a choice by its label (each
    of a list's, written as a key or any spelling the form accepts: `新建`), a number without
    a trailing `.0` and with its field's unit."""
    zh = lang == "zh"
    if isinstance(value, bool):
        return ("是" if value else "否") if zh else ("yes" if value else "no")
    if isinstance(value, list):
        return ("、" if zh else ", ").join(form_value_text(path, item, lang) for item in value)
    spec = _spec(path)
    if spec is not None and spec.enum is not None and isinstance(value, str):
        key = read_choice(spec.enum, value)
        if key in spec.choices:
            return spec.choice_label_zh(key) if zh else key
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    unit = ""
    if spec is not None and spec.unit and isinstance(value, int | float):
        unit = spec.unit_zh() if zh else spec.unit
    return f"{value} {unit}".rstrip()


#: derived facts holding a GB/T 2260 code, shown by name: `安阳市（410500）`
DIVISION_CODES = {"location.province_code": "province", "location.city_code": "city",
                  "location.county_code": "county", "capacity.retired_province_code": "province",
                  "capacity.retired_city_code": "city", "capacity.retired_county_code": "county"}


@cache
def place_name(code: str, path: str) -> str:
    try:
        place = place_from_code(code)
    except ValueError:  # a code the division table lacks: show it bare
        return code
    return getattr(place, DIVISION_CODES[path]) or place.full_name


def _unit(spec: FieldSpec | None, facts: Facts, lang: str) -> str:
    if spec is None:
        return ""
    if spec.unit:
        return spec.unit_zh() if lang == "zh" else spec.unit
    if spec.path in ("capacity.new", "capacity.retired", "capacity.existing",
                     "capacity.net_added"):
        unit = str(facts.values.get("capacity.unit", ""))
        return UNIT_LABELS_ZH.get(unit, unit) if lang == "zh" else unit
    return ""


def describe_leaf(leaf: cond.Compare, facts: Facts, lang: str) -> str | None:
    """One comparison with the project's value, or None when the fact is missing."""
    fact = facts.values.get(leaf.field)
    name = label(leaf.field, lang)
    if leaf.op == "exists":
        return None
    if fact is None:
        return None
    truth = cond.compare(fact, leaf.op, leaf.value)
    op = leaf.op if truth is cond.Truth.TRUE else cond.NEGATED_OP[leaf.op]
    shown = value_text(leaf.field, fact, facts, lang)
    if isinstance(fact, bool) or (leaf.op in PLAIN_OPS and not isinstance(fact, Decimal)):
        return f"{name}：{shown}" if lang == "zh" else f"{name}: {shown}"
    if isinstance(leaf.value, tuple):
        return f"{name} {shown} {SYMBOL[op]} {{{_options(leaf, facts, lang)}}}"
    return f"{name} {shown} {SYMBOL[op]} {value_text(leaf.field, leaf.value, facts, lang)}"


#: a value list longer than this is shown by its first few and a count
MAX_OPTIONS_SHOWN = 4


def _options(leaf: cond.Compare, facts: Facts, lang: str) -> str:
    values = leaf.value if isinstance(leaf.value, tuple) else ()
    shown = [value_text(leaf.field, value, facts, lang) for value in values[:MAX_OPTIONS_SHOWN]]
    if len(values) <= MAX_OPTIONS_SHOWN:
        return "、".join(shown) if lang == "zh" else ", ".join(shown)
    return (f"{'、'.join(shown[:3])} 等 {len(values)} 项" if lang == "zh"
            else f"{', '.join(shown[:3])} and {len(values) - 3} more")


def describe(condition: cond.Condition, facts: Facts, lang: str,
             only: cond.Truth | None = None) -> list[str]:
    """The comparisons of a condition with the project's values; with `only`, just those that
    came out that way (a rule not applicable is explained by what made it so)."""
    seen: dict[str, None] = {}
    for leaf in cond.leaves(condition):
        if only is not None and cond.compare(facts.values.get(leaf.field), leaf.op,
                                             leaf.value) is not only:
            continue
        text = describe_leaf(leaf, facts, lang)
        if text:
            seen[text] = None
    return list(seen)


def sources_of(path: str) -> tuple[str, ...]:
    """The form fields a fact is computed from (the field itself for a form field)."""
    spec = _spec(path)
    return spec.sources if spec and spec.sources else (path,)


def missing_fields(rule: CompiledRule, facts: Facts) -> list[str]:
    """Form field paths to fill in; a derived fact names the form fields it is computed from."""
    undecided: dict[str, None] = {}
    for condition in (rule.applicability, rule.violation, rule.review):
        if condition is not None:
            undecided.update(dict.fromkeys(cond.undecided_fields(condition, facts.values)))
    paths: dict[str, None] = {}
    for path in undecided:
        sources = facts.needs.get(path) or sources_of(path)
        absent = [source for source in sources if source not in facts.given]
        # every source given, yet unknown (a unit that won't convert, a coarse industry code):
        # those fields need correcting, and the rule's notes say how
        paths.update(dict.fromkeys(absent or sources))
    return list(paths)


def notes_for(rule: CompiledRule, facts: Facts) -> list[str]:
    """Why a derived fact the rule needs could not be computed (e.g. a unit that won't convert)."""
    return [note for path, note in facts.notes.items() if path in rule.fields]


def assumptions_for(fields: Collection[str], facts: Facts) -> list[str]:
    """The readings the checker made to know these facts (产能单位「万吨」按「万吨/年」理解), in
    the order it made them: in the order of `fields`, a set, the same verdict was worded
    differently from one process to the next (string hashes differ per process)."""
    return list(dict.fromkeys(text for path, text in facts.assumptions.items()
                              if path in fields))
