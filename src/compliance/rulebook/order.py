"""A document's rules in the order of its clauses, as printed (for pages and tables).

Rules in a file are grouped by topic; an officer reads a document clause by clause. The file's
coverage list is in document order (lint's `out-of-order` check keeps it so), so it gives each
clause its place.
"""

from __future__ import annotations

from dataclasses import dataclass

from compliance.rulebook.book import CompiledRule, Rulebook


def rules_of(rulebook: Rulebook, document_id: str) -> list[CompiledRule]:
    """The document's rules, in the file's order."""
    return [rule for rule in rulebook.rules if rule.document.id == document_id]


@dataclass(frozen=True)
class ClauseRules:
    """A clause of a document as printed, with the rules encoded from it."""

    clause: str
    rules: list[CompiledRule]


def document_order(rulebook: Rulebook, document_id: str) -> dict[str, int]:
    """Each clause's place in the document: its coverage list is in document order (lint's
    `out-of-order` check keeps it so), unlike the rules, which are grouped by topic."""
    return {entry.clause: index for _, rule_file in rulebook.files
            if rule_file.document.id == document_id
            for index, entry in enumerate(rule_file.coverage)}


def clauses(rulebook: Rulebook, document_id: str) -> list[ClauseRules]:
    """Rules grouped by clause, in document order. A clause the coverage list lacks goes after
    the longest listed clause it lies within (`二、（三）第2段` after `二、（三）`), else last."""
    order = document_order(rulebook, document_id)

    def position(clause: str) -> tuple[int, int]:
        if clause in order:
            return order[clause], 0
        parents = [listed for listed in order if clause.startswith(listed)]
        return (order[max(parents, key=len)], 1) if parents else (len(order), 0)

    grouped: dict[str, list[CompiledRule]] = {}
    for rule in rules_of(rulebook, document_id):
        grouped.setdefault(rule.rule.clause, []).append(rule)
    return [ClauseRules(clause, grouped[clause]) for clause in sorted(grouped, key=position)]
