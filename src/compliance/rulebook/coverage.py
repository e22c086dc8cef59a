"""The clause coverage matrix: every clause of every document, and what the rulebook does with it.

Each rule file lists its document's clauses in `coverage:` (see `model.CoverageEntry` and
docs/rules.md, "Coverage"). This module turns those lists into the matrix that
`compliance rules coverage` prints, and finds what is wrong with them for `compliance rules lint`:

- `rule-not-encoded`: a rule cites a clause that coverage does not record as `encoded` by it;
- `encoded-without-rule`: an `encoded` clause that no rule encodes;
- `unknown-rule`: a listed rule id that does not exist in the file;
- `rule-cites-other-clause`: a listed rule that cites a different clause;
- `duplicate-clause`: the same clause recorded twice;
- `clause-not-covered`: a numbered clause of the source text missing from coverage;
- `unknown-clause`: a clause that is neither a numbered clause of the source nor an unnumbered
  paragraph marked `<numbered clause>第N段` (see `clauses`);
- `not-normalised`: a clause written with spaces, half-width brackets or `1．`;
- `out-of-order`: entries not in document order;
- `no-summary`: an entry without its short Chinese summary;
- `missing-source`: the source text is not there, so clauses cannot be checked;
- `missing-coverage`: a rule file without a coverage list, once `COVERAGE_REQUIRED` is on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from compliance.rulebook.clauses import Clause, normalise_clause, read_source_clauses, unnumbered_parent
from compliance.rulebook.model import CoverageEntry, RuleFile
from compliance.rulebook.problems import LintProblem

if TYPE_CHECKING:
    from rich.console import Console

    from compliance.rulebook.book import Rulebook

#: Every rule file must carry a coverage list (on since all five shipped files have one).
COVERAGE_REQUIRED = True
STATUSES = ("encoded", "not_project_level", "informational")
STATUS_ZH = {"encoded": "已编码", "not_project_level": "非项目层面", "informational": "仅说明"}


@dataclass(frozen=True)
class CoverageRow:
    """One clause of one document in the matrix."""

    document: str
    number: str
    clause: str
    status: str
    #: the rules encoding it: the entry's own list, else the rules citing this clause
    rules: tuple[str, ...]
    reason: str | None
    summary: str | None

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "clause": self.clause, "status": self.status,
                "rules": list(self.rules), "reason": self.reason, "summary": self.summary}


def _citing(rule_file: RuleFile) -> dict[str, list[str]]:
    citing: dict[str, list[str]] = {}
    for rule in rule_file.rules:
        citing.setdefault(rule.clause, []).append(rule.id)
    return citing


def document_rows(rule_file: RuleFile) -> list[CoverageRow]:
    citing = _citing(rule_file)
    document = rule_file.document
    rows = []
    for entry in rule_file.coverage:
        rules = entry.rules or (citing.get(entry.clause, []) if entry.status == "encoded" else [])
        rows.append(CoverageRow(document.id, document.number, entry.clause, entry.status,
                                tuple(rules), entry.reason, entry.summary))
    return rows


def select_files(rulebook: Rulebook, document: str | None = None) -> list[tuple[Path, RuleFile]]:
    """The rule files, or the one whose document id or number is `document`."""
    if document is None:
        return list(rulebook.files)
    wanted = "".join(document.split())
    return [(path, rule_file) for path, rule_file in rulebook.files
            if wanted in (rule_file.document.id, "".join(rule_file.document.number.split()))]


def coverage_rows(rulebook: Rulebook, document: str | None = None) -> list[CoverageRow]:
    """The matrix: every coverage entry of every (or one) document, in file and document order."""
    return [row for _, rule_file in select_files(rulebook, document)
            for row in document_rows(rule_file)]


def status_counts(rows: list[CoverageRow]) -> dict[str, int]:
    counts = Counter(row.status for row in rows)
    return {status: counts.get(status, 0) for status in STATUSES}


# ------------------------------------------------------------------------------------ problems

def source_clauses(path: Path, rule_file: RuleFile) -> list[Clause] | None:
    source = path.parent / "sources" / rule_file.document.source
    return read_source_clauses(source) if source.is_file() else None


def _subtree_end(clauses: list[Clause]) -> dict[str, int]:
    """For each numbered clause, the index of the first later clause that is not inside it."""
    ends: dict[str, int] = {}
    for index, clause in enumerate(clauses):
        end = index + 1
        while end < len(clauses) and clauses[end].id.startswith(clause.id):
            end += 1
        ends[clause.id] = end
    return ends


def file_problems(path: Path, rule_file: RuleFile, all_rule_ids: frozenset[str] = frozenset(),
                  required: bool | None = None) -> list[LintProblem]:
    """Everything wrong with one file's coverage list (nothing if it has none and none is
    required)."""
    required = COVERAGE_REQUIRED if required is None else required
    problems: list[LintProblem] = []

    def problem(kind: str, where: str, message: str, rule_id: str = "-") -> None:
        problems.append(LintProblem(path.name, rule_id, where, f"[{kind}] {message}"))

    coverage = rule_file.coverage
    if not coverage:
        if required:
            problem("missing-coverage", "coverage",
                    "no coverage list: record every clause of the document (docs/rules.md)")
        return problems

    rules = {rule.id: rule for rule in rule_file.rules}
    citing = _citing(rule_file)
    entries: dict[str, int] = {}
    for index, entry in enumerate(coverage):
        where = f"coverage[{index}] {entry.clause}"
        if entry.clause in entries:
            problem("duplicate-clause", where,
                    f"clause recorded twice (first at coverage[{entries[entry.clause]}])")
        else:
            entries[entry.clause] = index
        if not entry.summary:
            problem("no-summary", where, "no summary: give a short Chinese summary of the clause")
        if entry.status != "encoded":
            continue
        if not entry.rules and not citing.get(entry.clause):
            problem("encoded-without-rule", where, "status encoded, but no rule cites this clause")
        for rule_id in entry.rules:
            rule = rules.get(rule_id)
            if rule is None:
                elsewhere = " (it belongs to another document)" if rule_id in all_rule_ids else ""
                problem("unknown-rule", where, f"lists rule {rule_id}, which is not a rule of "
                        f"this file{elsewhere}", rule_id)
            elif rule.clause != entry.clause:
                problem("rule-cites-other-clause", where,
                        f"lists rule {rule_id}, which cites clause {rule.clause}", rule_id)

    for rule in rule_file.rules:
        index = entries.get(rule.clause)
        entry = coverage[index] if index is not None else None
        if entry is None:
            message = f"cites clause {rule.clause}, which coverage does not record"
        elif entry.status != "encoded":
            message = f"cites clause {rule.clause}, which coverage marks {entry.status}"
        elif entry.rules and rule.id not in entry.rules:
            message = (f"cites clause {rule.clause}, but its coverage entry lists only "
                       f"{', '.join(entry.rules)}")
        else:
            continue
        problem("rule-not-encoded", "clause", message, rule.id)

    clauses = source_clauses(path, rule_file)
    if clauses is None:
        problem("missing-source", "document.source",
                f"source text {rule_file.document.source!r} not found: clauses not checked")
        return problems
    _check_clauses(coverage, clauses, problem)
    return problems


def _check_clauses(coverage: list[CoverageEntry], clauses: list[Clause],
                   problem: Callable[[str, str, str], None]) -> None:
    """Clauses of the source missing from coverage, coverage clauses the source does not have,
    and entries out of document order."""
    position = {clause.id: index for index, clause in enumerate(clauses)}
    ends = _subtree_end(clauses)
    recorded = {entry.clause for entry in coverage}
    for clause in clauses:
        if clause.id not in recorded:
            problem("clause-not-covered", f"coverage {clause.id}",
                    f"numbered clause {clause.id} (line {clause.line}: {clause.text[:30]}) "
                    "is missing from coverage")
    last = -1
    last_clause = ""
    for index, entry in enumerate(coverage):
        where = f"coverage[{index}] {entry.clause}"
        normal = normalise_clause(entry.clause)
        if normal != entry.clause:
            problem("not-normalised", where, f"write the clause as {normal} (no spaces, "
                    "full-width brackets, `1.`)")
        if entry.clause in position:
            start = end = position[entry.clause]
        else:
            parent = unnumbered_parent(entry.clause)
            if parent is None or (parent and parent not in position):
                hint = (f"; {parent} is not a numbered clause of the source" if parent else "")
                problem("unknown-clause", where,
                        "neither a numbered clause of the source nor an unnumbered paragraph "
                        f"marked <numbered clause>第N段 (e.g. {clauses[0].id if clauses else '一、'}"
                        f"第1段){hint}")
                continue
            start = position[parent] if parent else -1
            end = ends[parent] - 1 if parent else -1
        if end < last:
            problem("out-of-order", where, f"comes after {last_clause}; list clauses in document order")
        last = max(last, start)
        last_clause = entry.clause


def coverage_problems(rulebook: Rulebook, required: bool | None = None) -> list[LintProblem]:
    """Every coverage problem of every file: what `compliance rules lint` reports."""
    all_ids = frozenset(rulebook.by_id)
    return [problem for path, rule_file in rulebook.files
            for problem in file_problems(path, rule_file, all_ids, required)]


# ---------------------------------------------------------------------------------- presenters

MARKDOWN_HEADER = """# Clause coverage

<!-- Generated by `compliance rules coverage --format md > docs/coverage.md`: do not edit by
     hand. tests/test_coverage.py fails when this file is stale. -->

Generated from the `coverage:` lists of the rule files in `rules/` by
`compliance rules coverage --format md > docs/coverage.md`. Every clause of every document, in
document order, with its status: `encoded` (the rules that encode it), `not_project_level`
(an aggregate or regional target, or an organisational measure) or `informational` (no duty on
a project), and why. Unnumbered paragraphs are written `<clause>第N段` (see docs/rules.md).
"""


def _cell(text: str | None) -> str:
    return " ".join((text or "").split()).replace("|", "\\|")


def render_markdown(rulebook: Rulebook, document: str | None = None) -> str:
    parts = [MARKDOWN_HEADER]
    for _, rule_file in select_files(rulebook, document):
        doc = rule_file.document
        rows = document_rows(rule_file)
        parts.append(f"## {doc.number}《{doc.title}》\n")
        if not rows:
            parts.append("_No coverage list yet._\n")
            continue
        counts = status_counts(rows)
        parts.append(" · ".join(f"{status} {counts[status]}" for status in STATUSES)
                     + f" · total {len(rows)}\n")
        lines = ["| Clause 条款 | Status 状态 | Rules 规则 | Summary 摘要 | Reason 理由 |",
                 "|---|---|---|---|---|"]
        lines += [f"| {_cell(row.clause)} | {row.status} | "
                  f"{'<br>'.join(f'`{rule}`' for rule in row.rules)} | {_cell(row.summary)} | "
                  f"{_cell(row.reason)} |" for row in rows]
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)


def render_terminal(rulebook: Rulebook, console: Console, document: str | None = None) -> None:
    from rich.table import Table

    for _, rule_file in select_files(rulebook, document):
        doc = rule_file.document
        rows = document_rows(rule_file)
        if not rows:
            console.print(f"[bold]{doc.number}[/bold]《{doc.title}》：尚无条款覆盖清单", highlight=False)
            continue
        table = Table(title=f"{doc.number}《{doc.title}》", show_lines=True)
        table.add_column("条款", no_wrap=True)
        table.add_column("状态", no_wrap=True)
        table.add_column("规则", overflow="fold")
        table.add_column("摘要 / 理由", overflow="fold")
        for row in rows:
            note = row.summary or ""
            if row.reason:
                note = f"{note}（{row.reason}）" if note else row.reason
            table.add_row(row.clause, STATUS_ZH[row.status], "\n".join(row.rules), note)
        console.print(table)
        counts = status_counts(rows)
        console.print("  ".join(f"{STATUS_ZH[status]} {status}: {counts[status]}"
                                for status in STATUSES) + f"  合计 total: {len(rows)}",
                      highlight=False)
