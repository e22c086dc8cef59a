"""The rule file format, validated by pydantic.

One YAML file per source document: its metadata, then its rules, each with a citation, an
effect, where and when it binds, a declarative condition and examples that must pass and fail.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from compliance import conditions as cond
from compliance.numbers import exact

Effect = Literal["prohibit", "require", "restrict", "advise"]
Expectation = Literal["fail", "review", "pass", "needs_info", "not_applicable", "not_in_force",
                      "advisory"]
RULE_ID = r"^[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9.-]*$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bilingual(Strict):
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class ConditionSpec(Strict):
    """A node of the condition tree as written in YAML: exactly one of the shapes below."""

    field: str | None = None
    op: cond.Op | None = None
    value: bool | int | float | str | list[bool | int | float | str] | None = None
    all: list[ConditionSpec] | None = None
    any: list[ConditionSpec] | None = None
    not_: ConditionSpec | None = Field(default=None, alias="not")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _one_shape(self) -> ConditionSpec:
        shapes = [self.field is not None, self.all is not None, self.any is not None,
                  self.not_ is not None]
        if sum(shapes) != 1:
            raise ValueError("a condition is exactly one of: field/op/value, all, any, not")
        if self.field is not None and self.op is None:
            raise ValueError(f"condition on {self.field!r} needs an op")
        if self.op in ("in", "not_in") and not isinstance(self.value, list):
            raise ValueError(f"op {self.op!r} takes a list value")
        if self.op == "exists" and not isinstance(self.value, bool):
            raise ValueError("op 'exists' takes true or false")
        return self

    def to_condition(self) -> cond.Condition:
        if self.all is not None:
            return cond.All(tuple(item.to_condition() for item in self.all))
        if self.any is not None:
            return cond.Any(tuple(item.to_condition() for item in self.any))
        if self.not_ is not None:
            return cond.Not(self.not_.to_condition())
        assert self.field is not None and self.op is not None
        value = self.value
        converted = tuple(_scalar(v) for v in value) if isinstance(value, list) else _scalar(value)
        return cond.Compare(self.field, self.op, converted)


def _scalar(value: Any) -> cond.Scalar:
    """YAML numbers become Decimals through their text, so 4.3 is exactly 4.3."""
    if isinstance(value, bool | str):
        return value
    return exact(value)


class AppliesTo(Strict):
    industries: list[str] = Field(min_length=1)
    #: equipment facts (`technology.*`) that bring a project in scope whatever its industry: a
    #: ban on an oven, a gasifier or a unit binds wherever the form says the equipment is
    equipment: list[str] = []
    #: why a rule on equipment stays limited to its industries (the text names them)
    industry_limit: str | None = None
    project_types: list[Literal["new", "expansion", "renovation", "relocation"]] = Field(
        default=["new", "expansion", "renovation", "relocation"], min_length=1)
    where: ConditionSpec | None = None

    @model_validator(mode="after")
    def _one_reading(self) -> AppliesTo:
        if self.equipment and self.industry_limit:
            raise ValueError("equipment widens the industries, industry_limit keeps them: "
                             "give one or the other")
        if self.equipment and "*" in self.industries:
            raise ValueError("equipment only widens an industry list; `*` is already every "
                             "industry")
        return self


class Example(Strict):
    name: str = Field(min_length=1)
    expect: Expectation
    as_of: dt.date | None = None
    form: dict[str, Any]


class Rule(Strict):
    id: Annotated[str, Field(pattern=RULE_ID)]
    title: Bilingual
    clause: str = Field(min_length=1)
    quote: str = Field(min_length=1)
    effect: Effect
    applies_to: AppliesTo
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    condition: ConditionSpec | None = None
    review_if: ConditionSpec | None = None
    review_note: str | None = None
    explanation_note: str | None = None
    remedy: str = Field(min_length=1)
    examples: list[Example] = Field(min_length=2)

    @model_validator(mode="after")
    def _consistent(self) -> Rule:
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValueError("valid_until is before valid_from")
        if self.review_if is not None and not self.review_note:
            raise ValueError("review_if needs a review_note saying why an officer must judge")
        return self


class Jurisdiction(Strict):
    name_zh: str
    condition: ConditionSpec | None = None


class Definition(Strict):
    """A term the text leaves open, with the meaning the rules give it and why; `fields` are
    the facts it defines, so that the form shows the meaning beside them."""

    term: str = Field(min_length=1)
    meaning: str = Field(min_length=1)
    fields: list[str] = []


class Document(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    title: str
    number: str
    issuer: str
    issued: dt.date
    source: str
    jurisdiction: Jurisdiction
    definitions: list[Definition] = []


class CoverageEntry(Strict):
    """One clause of the document and what the rulebook does with it."""

    clause: str = Field(min_length=1)
    status: Literal["encoded", "not_project_level", "informational"]
    #: for `encoded`: the rules that encode it (defaults to the rules citing this clause)
    rules: list[str] = []
    reason: str | None = None
    summary: str | None = None

    @model_validator(mode="after")
    def _reason_when_not_encoded(self) -> CoverageEntry:
        if self.status != "encoded" and not self.reason:
            raise ValueError(f"clause {self.clause}: status {self.status} needs a reason")
        if self.status != "encoded" and self.rules:
            raise ValueError(f"clause {self.clause}: only encoded clauses list rules")
        return self


class RuleFile(Strict):
    document: Document
    rules: list[Rule] = Field(min_length=1)
    #: every clause of the document, in order (see docs/rules.md, "Coverage")
    coverage: list[CoverageEntry] = []

    @field_validator("rules")
    @classmethod
    def _unique_ids(cls, rules: list[Rule]) -> list[Rule]:
        ids = [rule.id for rule in rules]
        duplicates = sorted({rule_id for rule_id in ids if ids.count(rule_id) > 1})
        if duplicates:
            raise ValueError(f"duplicate rule ids: {', '.join(duplicates)}")
        return rules
