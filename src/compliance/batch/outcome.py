"""What the batch keeps of one checked row: small, picklable, enough for every output.

A worker process checks a row and sends back a `RowResult` rather than the `Verdict`: the
spreadsheet, the summary and the HTML report need a fraction of it, and the verdict object
travels only (as JSON text, made in the worker) when a JSONL output asks for it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any

from compliance.presenters.conformity import Conformity
from compliance.reference import ReferenceLookupError, resolve_industry, resolve_place
from compliance.result import VERDICT_LABELS_ZH as CONTRACT_LABELS_ZH
from compliance.result import Result, Verdict

#: the verdict of a row that could not be checked (blank, unreadable, refused by the checker)
ERROR = "error"
#: every verdict a row can get, in the order summaries list them
VERDICTS: tuple[str, ...] = ("rejected", "needs_info", "needs_review", "compliant", ERROR)
VERDICT_LABELS_ZH: dict[str, str] = {**CONTRACT_LABELS_ZH, ERROR: "错误"}
NOT_GIVEN = "（未填写）"
UNKNOWN = "（无法识别）"


@dataclass(frozen=True)
class RuleHit:
    """A rule a project broke or must be reviewed against, as a row of the results shows it."""

    rule_id: str
    title: str
    document: str
    number: str
    clause: str
    quote: str
    explanation: str

    @property
    def label(self) -> str:
        """`淘汰炭化室高度4.3米及以下焦炉（安政办〔2019〕19号 三、（二）2.（3））`: the rule as an
        officer names it, with the clause to find it by."""
        return f"{self.title}（{self.number} {self.clause}）"


@dataclass(frozen=True)
class RowResult:
    """One input row's outcome: a verdict or an error, never nothing."""

    row: int
    verdict: str
    project: str | None = None
    project_id: str | None = None
    error: str | None = None
    city: str = NOT_GIVEN
    industry: str = NOT_GIVEN
    failing: tuple[RuleHit, ...] = ()
    review: tuple[RuleHit, ...] = ()
    missing: tuple[str, ...] = ()
    #: the verdict object as JSON for the JSONL output, UTF-8: encoded once, in the worker, and
    #: so carried to the parent and written as it is (a findings verdict is ~9 KB, a full one
    #: ~75 KB: decoding and encoding it again in the parent cost more than the writing)
    verdict_json: bytes | None = None
    #: the 符合性分析 tables, when the run writes them (`--conformity-dir`)
    conformity: Conformity | None = None

    @property
    def label_zh(self) -> str:
        return VERDICT_LABELS_ZH[self.verdict]

    def __reduce__(self) -> tuple[type[RowResult], tuple[Any, ...]]:
        """A result travels back from a worker as its values in field order: a dataclass's
        default pickle (its `__dict__`, set again on an empty object) cost the parent ~12 µs
        a row to unpickle, this ~6."""
        return RowResult, tuple(getattr(self, name) for name in _ROW_RESULT_FIELDS)


_ROW_RESULT_FIELDS = tuple(field.name for field in fields(RowResult))


def _hit(result: Result) -> RuleHit:
    citation = result.citation
    return RuleHit(result.rule_id, result.title, citation.document, citation.number,
                   citation.clause, citation.quote, result.explanation)


def _missing(verdict: Verdict) -> tuple[str, ...]:
    """Missing field paths over all needs-info results, once each, in first-seen order."""
    seen: dict[str, None] = {}
    for result in verdict.by_status("needs_info"):
        seen.update(dict.fromkeys(result.missing))
    return tuple(seen)


def from_verdict(row: int, verdict: Verdict, city: str, industry: str,
                 verdict_json: bytes | None = None) -> RowResult:
    return RowResult(
        row=row, verdict=verdict.verdict, project=verdict.project,
        project_id=verdict.project_id, city=city, industry=industry,
        failing=tuple(_hit(r) for r in verdict.by_status("fail")),
        review=tuple(_hit(r) for r in verdict.by_status("review")),
        missing=_missing(verdict),
        verdict_json=verdict_json,
    )


@lru_cache(maxsize=4096)
def city_label(province: str | None, city: str | None, county: str | None,
               admin_code: str | None) -> str:
    """The city a summary counts a project under (cached: a list names few places)."""
    if not any((province, city, county, admin_code)):
        return NOT_GIVEN
    try:
        place = resolve_place(province, city, county, admin_code)
    except ReferenceLookupError:
        return UNKNOWN
    return place.city or place.province


@lru_cache(maxsize=4096)
def industry_label(value: str | None) -> str:
    """`C2521 炼焦` for the first industry a project names (so the counts add up)."""
    if not value:
        return NOT_GIVEN
    try:
        found = resolve_industry(value)
    except ReferenceLookupError:
        return UNKNOWN
    return f"{found.code} {found.name}" if found.code else found.name
