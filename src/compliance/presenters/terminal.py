"""The CLI's human output: what an officer or enterprise reads in a terminal.

Everything that comes from a form or a rule file (project names, quotes, explanations) goes in as
`rich.text.Text`, never as markup, so a `[` in a quote cannot turn into styling or vanish.
Columns fold rather than truncate: a quote cut short with "…" could not be cited.
"""

from __future__ import annotations

import datetime as dt

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from compliance.presenters.labels import (
    ACTION_STATUSES,
    OTHER_STATUSES,
    Labels,
    count_line,
    labels,
    missing_text,
    question_line,
    sorted_results,
    status_label,
)
from compliance.result import Result, Verdict

VERDICT_STYLES: dict[str, str] = {
    "rejected": "bold red", "needs_info": "bold yellow", "needs_review": "bold magenta",
    "compliant": "bold green",
}
STATUS_STYLES: dict[str, str] = {
    "fail": "bold red", "review": "bold magenta", "needs_info": "bold yellow",
    "advisory": "cyan", "pass": "green", "not_applicable": "dim", "not_in_force": "dim",
}


def render_terminal(verdicts: list[Verdict], console: Console, *, lang: str = "zh",
                    show_all: bool = False) -> None:
    """Print each verdict: banner, the rules needing action, remedies, advisories, counts."""
    lab = labels(lang)
    for index, verdict in enumerate(verdicts):
        if index:
            console.print()
            console.rule(style="dim")
        _render_one(verdict, console, lab, show_all)


def _render_one(verdict: Verdict, console: Console, lab: Labels, show_all: bool) -> None:
    console.print(_banner(verdict, lab))
    rows = sorted_results(verdict.results, ACTION_STATUSES)
    for result in sorted_results(rows, ("fail", "review") + (("needs_info",) if show_all else ())):
        # soft wrap: rich breaks lines only at spaces, which would push whole Chinese sentences
        # onto new lines; the terminal itself folds them at its width, character by character
        console.print(_block(result, lab), soft_wrap=True)
    if not rows:
        console.print(Text(lab.h["nothing_to_do"], style="green"))
    _questions(verdict, console, lab, show_all)

    remedies = [r for r in sorted_results(verdict.results, ("fail", "review")) if r.remedy]
    if remedies:
        console.print(Text(lab.h["remedy"], style="bold"))
        for number, result in enumerate(remedies, 1):
            line = Text(f"{number:>2}. ")
            line.append(result.remedy or "")
            line.append(f"  ({result.rule_id})", style="dim")
            console.print(line, soft_wrap=True)
            if result.what_if:
                changes = lab.list_sep.join(change.text for change in result.what_if)
                console.print(Text(f"    {lab.h['what_if']}{lab.colon}{changes}", style="cyan"),
                              soft_wrap=True)

    advisories = sorted_results(verdict.results, ("advisory",))
    if advisories:
        console.print(Text(lab.h["advisory"], style="bold cyan"))
        for result in advisories:
            line = Text(" • ")
            line.append(result.title)
            if result.remedy:
                line.append(f"{lab.colon}{result.remedy}")
            line.append(f"  ({result.rule_id})", style="dim")
            console.print(line)

    if show_all:
        others = sorted_results(verdict.results, OTHER_STATUSES)
        if others:
            console.print(Text(lab.h["other"], style="bold"))
            console.print(_table(others, lab, verdict.as_of))

    console.print(Text(count_line(verdict, lab.lang), style="bold"))


def _questions(verdict: Verdict, console: Console, lab: Labels, show_all: bool) -> None:
    """The 补正清单 once, then the rules waiting for it one line each (whole with --all)."""
    if not verdict.questions:
        return
    console.print(Text(f"\n{lab.h['questions']}", style="bold yellow"))
    console.print(Text(lab.h["questions_lead"], style="dim"))
    for number, question in enumerate(verdict.questions, 1):
        console.print(Text(question_line(question, number, lab.lang),
                           style="yellow" if question.decisive else ""), soft_wrap=True)
    waiting = sorted_results(verdict.results, ("needs_info",))
    if waiting and not show_all:
        console.print(Text(lab.h["waiting_rules"], style="bold"))
        for result in waiting:
            line = Text(f" • {result.title}")
            line.append(f"  {result.citation.number} {result.citation.clause}  ({result.rule_id})",
                        style="dim")
            console.print(line, soft_wrap=True)


def _block(result: Result, lab: Labels) -> Text:
    """One rule needing action, as labelled lines: Chinese text wraps cleanly in full-width
    lines, where table columns would split document numbers and quotes mid-word."""
    text = Text("\n")
    text.append(f"【{lab.status[result.status]}】", style=STATUS_STYLES[result.status])
    text.append(result.title, style="bold")
    text.append(f"  {result.rule_id}", style="dim")
    citation = result.citation
    lines = [(lab.h["source"], f"{citation.number} {citation.clause}《{citation.document}》"),
             (lab.h["quote"], f"「{citation.quote}」"),
             (lab.h["facts"], result.explanation)]
    missing = missing_text(result, lab.lang)
    for heading, value in lines:
        if value:
            text.append(f"\n  {heading}{lab.colon}", style="dim")
            text.append(value)
    if missing:
        text.append(f"\n  {missing}", style="yellow")
    return text


def _banner(verdict: Verdict, lab: Labels) -> Panel:
    """The verdict in words and colour, with what it was judged against (date, rules, engine)."""
    style = VERDICT_STYLES[verdict.verdict]
    head = Text(f"{lab.h['verdict']}{lab.colon}")
    head.append(lab.verdict[verdict.verdict], style=style)
    lines = [head, _field(lab, "project", verdict.project)]
    if verdict.project_id:
        lines.append(_field(lab, "project_id", verdict.project_id))
    lines.append(_field(lab, "as_of", verdict.as_of.isoformat()))
    lines.append(_field(lab, "ruleset", verdict.ruleset_version))
    lines.append(_field(lab, "engine", verdict.engine))
    return Panel(Group(*lines), border_style=style.removeprefix("bold "), expand=True)


def _field(lab: Labels, key: str, value: str) -> Text:
    text = Text(f"{lab.h[key]}{lab.colon}", style="dim")
    text.append(value, style="default")
    return text


def _table(rows: list[Result], lab: Labels, as_of: dt.date) -> Table:
    """The rules needing nothing, one line each: status, rule, citation."""
    table = Table(box=box.SIMPLE, expand=True)
    table.add_column(lab.h["status"], no_wrap=True)
    table.add_column(lab.h["rule"], ratio=3, overflow="fold")
    table.add_column(lab.h["source"], ratio=2, overflow="fold")
    for result in rows:
        title = Text(result.title)
        title.append(f"  {result.rule_id}", style="dim")
        table.add_row(Text(status_label(result, as_of, lab.lang),
                           style=STATUS_STYLES[result.status]), title,
                      Text(f"{result.citation.number} {result.citation.clause}"))
    return table
