"""The printable report an approval officer files: one self-contained HTML document.

Offline by construction (DESIGN.md principle 8): inline CSS, a system font stack, no scripts,
fonts or images fetched. Deterministic: no generation timestamp, so the same verdicts always give
byte-identical HTML (reports can be diffed and hashed). Everything from a form or a rule file is
autoescaped: project names and quotes are untrusted text.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from compliance.explain import form_value_text, label
from compliance.formdict import flatten
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


def render_html(verdicts: list[Verdict], *, lang: str = "zh", show_all: bool = False,
                forms: list[dict[str, Any]] | None = None, issuer: str = "",
                references: list[dict[str, str]] | None = None) -> str:
    """One HTML document, one page-separated report per verdict, in input order: with the
    project's data when its form is given, the issuing body's line when configured, and the
    check id and permalink of a stored check (`references`)."""
    lab = labels(lang)
    projects = [project(verdict, lang, forms[index] if forms else None,
                        references[index] if references else None)
                for index, verdict in enumerate(verdicts)]
    title = lab.h["report"]
    if len(verdicts) == 1:
        title += f" — {verdicts[0].project}"
    return environment().get_template(TEMPLATE).render(
        title=title, projects=projects, footer=page_footer(verdicts, references, lab),
        **report_context(lang, issuer=issuer, show_all=show_all))


def report_context(lang: str, *, issuer: str = "", show_all: bool = False,
                   rule_href: Callable[[str], str] | None = None) -> dict[str, Any]:
    """What `project.html.j2` needs besides the project: the words and helpers in `lang`, and
    for a served page the link of each rule's page (a filed report links nowhere)."""
    lab = labels(lang)
    return {"L": lab, "h": lab.h, "cite": cite, "issuer": issuer, "show_all": show_all,
            "rule_href": rule_href, "field_label": lambda path: label(path, lang),
            "status_label": lambda result, as_of: status_label(result, as_of, lang)}


def print_css(verdict: Verdict, reference: dict[str, str] | None, lang: str) -> str:
    """The printed page's foot for a served result page (a stylesheet of its own: the pages'
    Content-Security-Policy allows no inline style): check id, ruleset version and as-of date
    on every page, and the page number."""
    footer = page_footer([verdict], [reference or {}], labels(lang))
    return ("@page {\n"
            f'  @bottom-left {{ content: "{footer}"; font-size: 8pt; color: #5b616e; }}\n'
            '  @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt;'
            " color: #5b616e; }\n}\n")


def project(verdict: Verdict, lang: str, form: dict[str, Any] | None = None,
            reference: dict[str, str] | None = None,
            counts: dict[str, int] | None = None) -> dict[str, Any]:
    """What the template shows for one verdict (ordering and counting are decided here), with
    the project's data when its form is given and a stored check's id, time and permalink;
    `counts` for a verdict that lists only the results needing action (a batch row's)."""
    lab = labels(lang)
    sections = []
    for status in SECTIONS:
        results = sorted_results(verdict.results, (status,))
        if results:
            sections.append({"status": status, "heading": lab.h[status], "results": results})
    return {
        "v": verdict,
        "sections": sections,
        "others": sorted_results(verdict.results, OTHER_STATUSES),
        "counts": count_line(verdict, lab.lang, counts),
        "data": project_rows(form, lang) if form else [],
        "reference": reference or {},
    }


#: the form fields a report shows as the project's data, in this order (technology: all given)
DATA_FIELDS = ("applicant", "project_code", "application_date", "project_type", "industry",
               "location.province", "location.city", "location.county", "location.admin_code",
               "capacity.new", "capacity.retired", "capacity.unit", "capacity.existing", "fuel")


def project_rows(form: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    """(label, value) for the project's data as the form states it."""
    flat = flatten(form)
    paths = [*DATA_FIELDS, *sorted(path for path in flat if path.startswith("technology."))]
    rows = []
    for path in paths:
        value = flat.get(path)
        if value in (None, "", []):
            continue
        rows.append((label(path, lang), form_value_text(path, value, lang)))
    return rows


def page_footer(verdicts: list[Verdict], references: list[dict[str, str]] | None,
                lab: Labels) -> str:
    """The text printed at the foot of every page (a CSS string, so no quotes or backslashes):
    the check id, ruleset version and as-of date of a single report."""
    if len(verdicts) != 1:
        return lab.h["report"]
    verdict = verdicts[0]
    parts = [f"{lab.h['ruleset']} {verdict.ruleset_version}",
             f"{lab.h['as_of']} {verdict.as_of.isoformat()}"]
    check_id = (references or [{}])[0].get("check_id")
    if check_id:
        parts.insert(0, f"{lab.h['check_id']} {check_id}")
    return " · ".join(parts).replace("\\", "").replace('"', "")
