"""The printable report an approval officer files: one self-contained HTML document.

Offline by construction (DESIGN.md principle 8): inline CSS, a system font stack, no scripts,
fonts or images fetched. Deterministic: no generation timestamp, so the same verdicts always give
byte-identical HTML (reports can be diffed and hashed). Everything from a form or a rule file is
autoescaped: project names and quotes are untrusted text.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from compliance.explain import label
from compliance.paths import templates_dir
from compliance.presenters.labels import (
    ACTION_STATUSES,
    OTHER_STATUSES,
    Labels,
    cite,
    count_line,
    labels,
    sorted_results,
    status_label,
)
from compliance.result import Verdict

TEMPLATE = "verdict.html.j2"
#: the sections of cards, in the order an officer works through them
SECTIONS: tuple[str, ...] = (*ACTION_STATUSES, "advisory")


@cache
def environment() -> Environment:
    """The jinja2 environment: `.j2`/`.html` (and anything else) autoescaped, undefined is an error.

    `default=True` makes autoescaping the rule rather than a list of exceptions: a template
    name nobody thought of is escaped too.
    """
    return Environment(
        loader=FileSystemLoader(templates_dir()),
        autoescape=select_autoescape(enabled_extensions=("html", "htm", "xml", "j2"),
                                     default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_html(verdicts: list[Verdict], *, lang: str = "zh", show_all: bool = False) -> str:
    """One HTML document, one page-separated report per verdict, in input order."""
    lab = labels(lang)
    projects = [_project(verdict, lab) for verdict in verdicts]
    title = lab.h["report"]
    if len(verdicts) == 1:
        title += f" — {verdicts[0].project}"
    return environment().get_template(TEMPLATE).render(
        L=lab, h=lab.h, title=title, projects=projects, show_all=show_all, cite=cite,
        field_label=lambda path: label(path, lang),
        status_label=lambda result, as_of: status_label(result, as_of, lang),
    )


def _project(verdict: Verdict, lab: Labels) -> dict[str, Any]:
    """What the template shows for one verdict; ordering and counting are decided here."""
    sections = []
    for status in SECTIONS:
        results = sorted_results(verdict.results, (status,))
        if results:
            sections.append({"status": status, "heading": lab.h[status], "results": results})
    return {
        "v": verdict,
        "sections": sections,
        "others": sorted_results(verdict.results, OTHER_STATUSES),
        "counts": count_line(verdict, lab.lang),
    }
