"""Markdown: for pasting a verdict into a ticket, a wiki page or an e-mail.

Tables hold one line per result, so `|` and newlines in cells are escaped; quotes go in `>`
blocks below the table, whole and with their citation, because a quote is what an officer cites.
"""

from __future__ import annotations

import datetime as dt

from compliance.presenters.labels import (
    ACTION_STATUSES,
    OTHER_STATUSES,
    Labels,
    cite,
    count_line,
    labels,
    missing_text,
    question_line,
    sorted_results,
    status_label,
)
from compliance.result import Result, Verdict


def render_markdown(verdicts: list[Verdict], *, lang: str = "zh", show_all: bool = False) -> str:
    """One `#` section per project, in input order; the same input gives the same text."""
    lab = labels(lang)
    return "\n\n".join(_one(verdict, lab, show_all) for verdict in verdicts) + "\n"


def cell(text: str) -> str:
    """A GFM table cell: `|` escaped, line breaks as `<br>` so the row stays one line."""
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return "<br>".join(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def _inline(text: str) -> str:
    """Text for a heading or list item: a single line."""
    return " ".join(text.split())


def _one(verdict: Verdict, lab: Labels, show_all: bool) -> str:
    h, c = lab.h, lab.colon
    out = [f"# {_inline(verdict.project)}", "",
           f"**{h['verdict']}{c}{lab.verdict[verdict.verdict]}**", ""]
    if verdict.project_id:
        out.append(f"- {h['project_id']}{c}{_inline(verdict.project_id)}")
    out += [f"- {h['as_of']}{c}{verdict.as_of.isoformat()}",
            f"- {h['ruleset']}{c}`{verdict.ruleset_version}`",
            f"- {h['engine']}{c}{verdict.engine}", ""]

    action = sorted_results(verdict.results, ACTION_STATUSES)
    if action:
        out += [*_table(action, lab, verdict.as_of), ""]
        out += [f"## {h['quote']}", ""]
        for result in action:
            out += [*_quote(result, lab), ""]
    else:
        out += [h["nothing_to_do"], ""]

    if verdict.questions:
        out += [f"## {h['questions']}", "", h["questions_lead"], ""]
        out += [question_line(q, n, lab.lang) for n, q in enumerate(verdict.questions, 1)]
        out.append("")

    remedies = [r for r in sorted_results(verdict.results, ("fail", "review")) if r.remedy]
    if remedies:
        out += [f"## {h['remedy']}", ""]
        for n, r in enumerate(remedies, 1):
            out.append(f"{n}. {_inline(r.remedy or '')}{lab.paren(f'`{r.rule_id}`')}")
            if r.what_if:
                changes = lab.list_sep.join(change.text for change in r.what_if)
                out.append(f"   - {h['what_if']}{c}{_inline(changes)}")
        out.append("")

    advisories = sorted_results(verdict.results, ("advisory",))
    if advisories:
        out += [f"## {h['advisory']}", ""]
        for r in advisories:
            advice = f"{c}{_inline(r.remedy)}" if r.remedy else ""
            source = f"`{r.rule_id}`{lab.list_sep}{cite(r.citation)}"
            out.append(f"- {_inline(r.title)}{advice}{lab.paren(source)}")
        out.append("")

    if show_all:
        others = sorted_results(verdict.results, OTHER_STATUSES)
        if others:
            out += [f"## {h['other']}", "", *_table(others, lab, verdict.as_of), ""]

    out.append(count_line(verdict, lab.lang))
    return "\n".join(out)


def _table(rows: list[Result], lab: Labels, as_of: dt.date) -> list[str]:
    h = lab.h
    lines = [f"| {h['status']} | {h['rule']} | {h['source']} | {h['explanation']} |",
             "|---|---|---|---|"]
    for r in rows:
        explanation = "\n".join(part for part in (r.explanation, missing_text(r, lab.lang))
                                if part)
        lines.append(f"| {cell(status_label(r, as_of, lab.lang))} | {cell(r.title)} "
                     f"`{cell(r.rule_id)}` "
                     f"| {cell(cite(r.citation))} | {cell(explanation)} |")
    return lines


def _quote(result: Result, lab: Labels) -> list[str]:
    """`**title**（rule · status）` then the verbatim quote and its source as a block quote."""
    tags = f"`{result.rule_id}` · {lab.status[result.status]} · {lab.effect[result.effect]}"
    head = f"**{_inline(result.title)}**{lab.paren(tags)}"
    body = [f"> {line}".rstrip() for line in result.citation.quote.splitlines() or [""]]
    return [head, "", *body, ">", f"> —— {cite(result.citation)}"]
