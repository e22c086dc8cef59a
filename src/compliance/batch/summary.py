"""Counting a checked list: per verdict, per rule, per city, per industry.

Every row is counted exactly once per view (a row's city is its resolved city or a marker such
as （无法识别）; its industry is the first one it names), so each view adds up to the number of
input rows, which is how a screening team checks that nothing was lost.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from compliance.batch.outcome import VERDICT_LABELS_ZH, VERDICTS, RowResult, RuleHit


@dataclass
class RuleCount:
    """How many projects broke one rule, or must be reviewed against it."""

    hit: RuleHit
    fail: int = 0
    review: int = 0

    @property
    def total(self) -> int:
        return self.fail + self.review


@dataclass
class Summary:
    rows: int = 0
    verdicts: Counter[str] = field(default_factory=Counter)
    rules: dict[str, RuleCount] = field(default_factory=dict)
    cities: dict[str, Counter[str]] = field(default_factory=dict)
    industries: dict[str, Counter[str]] = field(default_factory=dict)

    def add(self, result: RowResult) -> None:
        self.rows += 1
        self.verdicts[result.verdict] += 1
        self.cities.setdefault(result.city, Counter())[result.verdict] += 1
        self.industries.setdefault(result.industry, Counter())[result.verdict] += 1
        for hit in result.failing:
            self.rules.setdefault(hit.rule_id, RuleCount(hit)).fail += 1
        for hit in result.review:
            self.rules.setdefault(hit.rule_id, RuleCount(hit)).review += 1

    @property
    def flagged(self) -> bool:
        """Whether any row was rejected or could not be checked (exit code 1)."""
        return bool(self.verdicts["rejected"] or self.verdicts["error"])

    def verdict_counts(self) -> list[tuple[str, str, int]]:
        """(verdict, Chinese label, rows) for every verdict, in the contract's order."""
        return [(name, VERDICT_LABELS_ZH[name], self.verdicts[name]) for name in VERDICTS]

    def rule_counts(self) -> list[RuleCount]:
        """Rules that flagged a project, most projects first, then by rule id."""
        return sorted(self.rules.values(), key=lambda count: (-count.total, count.hit.rule_id))

    def line(self) -> str:
        """`12,034 行：不予通过 311，需补充材料 97，需重点审查 12，符合 11,600，错误 14`."""
        parts = "，".join(f"{label} {count:,}" for _, label, count in self.verdict_counts())
        return f"{self.rows:,} 行：{parts}"


def ranked(groups: dict[str, Counter[str]], limit: int) -> list[tuple[str, Counter[str]]]:
    """The `limit` largest groups by rows, the rest folded into 其他 so the totals still add up."""
    order = sorted(groups.items(), key=lambda item: (-item[1].total(), item[0]))
    if len(order) <= limit:
        return order
    rest: Counter[str] = Counter()
    for _, counts in order[limit - 1:]:
        rest.update(counts)
    return [*order[:limit - 1], (f"其他（{len(order) - limit + 1} 项）", rest)]
