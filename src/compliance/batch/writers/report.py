"""The printable HTML summary of a checked list, for the screening team's leader.

Counts by verdict, rule, city and industry as inline SVG bar charts, then the rejected and
review projects with the clauses they break, quoted. Self-contained and offline (one file, no
scripts, no external assets); everything from the list is autoescaped by the shared jinja2
environment. The project list is capped at LIST_LIMIT rows so the report stays printable and
the writer's memory bounded; the spreadsheet and JSONL outputs carry every row.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from compliance.batch.charts import Chart, Series, bar_chart
from compliance.batch.outcome import VERDICT_LABELS_ZH, VERDICTS, RowResult
from compliance.batch.readers import SourceRow
from compliance.batch.summary import Summary, ranked
from compliance.batch.writers.common import RunInfo, Writer
from compliance.presenters.html import environment

TEMPLATE = "batch.html.j2"
LIST_LIMIT = 1000
ERROR_LIMIT = 200
GROUP_LIMIT = 15
LISTED = ("rejected", "needs_review")
VERDICT_SERIES: tuple[Series, ...] = tuple((v, v, VERDICT_LABELS_ZH[v]) for v in VERDICTS)
RULE_SERIES: tuple[Series, ...] = (("fail", "rejected", "不符合"),
                                   ("review", "needs_review", "需审查"))


class HtmlWriter(Writer):
    def __init__(self, target: Path, header: list[str], info: RunInfo) -> None:
        super().__init__(target, header)
        self.info = info
        self.projects: list[RowResult] = []
        self.errors: list[RowResult] = []

    def write(self, source: SourceRow, result: RowResult) -> None:
        if result.verdict in LISTED and len(self.projects) < LIST_LIMIT:
            self.projects.append(result)
        elif result.verdict == "error" and len(self.errors) < ERROR_LIMIT:
            self.errors.append(result)

    def finish(self, summary: Summary) -> None:
        html = environment().get_template(TEMPLATE).render(
            info=self.info, summary=summary, charts=charts(summary), verdicts=VERDICT_SERIES,
            projects=self.projects, listed=sum(summary.verdicts[v] for v in LISTED),
            errors=self.errors, labels=VERDICT_LABELS_ZH,
            cities=ranked(summary.cities, GROUP_LIMIT),
            industries=ranked(summary.industries, GROUP_LIMIT),
        )
        self.file.path.write_text(html, encoding="utf-8")

    def close(self) -> None:
        """Nothing is open: the report is written in one go by `finish`."""


def charts(summary: Summary) -> dict[str, Chart]:
    """The four charts: by verdict, by rule, by city, by industry."""
    by_verdict: list[tuple[str, Counter[str]]] = [
        (label, Counter({verdict: count})) for verdict, label, count in summary.verdict_counts()]
    by_rule = [(c.hit.title, Counter(fail=c.fail, review=c.review))
               for c in summary.rule_counts()]
    return {
        "verdict": bar_chart("审查结论", by_verdict, VERDICT_SERIES),
        "rule": bar_chart("按规定（不符合 / 需审查的项目数）", by_rule, RULE_SERIES),
        "city": bar_chart("按城市", ranked(summary.cities, GROUP_LIMIT), VERDICT_SERIES),
        "industry": bar_chart("按行业", ranked(summary.industries, GROUP_LIMIT),
                              VERDICT_SERIES),
    }

