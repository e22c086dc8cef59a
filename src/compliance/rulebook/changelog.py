"""What changed between two versions of the rulebook: documents and rules, part by part.

A ruleset version is a content hash: it says that the rules changed, not what changed. An
officer re-checking an old project, or reading that "规则集已更新", needs to know which
documents and rules were added, removed or reworded. A digest keeps, for each document and
rule, its title and a hash of each of its parts; it is small enough to store for every version
a service has run, and two digests give the changes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from compliance.rulebook import Rulebook

#: the parts of a rule an officer recognises, in the order they are listed
RULE_PARTS: dict[str, str] = {
    "title": "标题", "clause": "条款", "quote": "原文", "effect": "效力",
    "applies_to": "适用范围", "condition": "违反条件", "review_if": "需审查条件",
    "valid_from": "生效日期", "valid_until": "失效日期", "remedy": "整改建议", "examples": "示例",
}
DOCUMENT_PARTS: dict[str, str] = {
    "title": "标题", "number": "文号", "issuer": "发布机关", "issued": "发布日期",
    "jurisdiction": "适用地域", "definitions": "定义",
}


@dataclass(frozen=True)
class Change:
    """A document or rule added, removed or changed (`parts`: the Chinese names of what)."""

    kind: str  # "added", "removed", "changed"
    id: str
    title: str
    where: str  # a rule's citation (文号 条款), a document's number
    parts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Changelog:
    documents: list[Change]
    rules: list[Change]

    def __bool__(self) -> bool:
        return bool(self.documents or self.rules)


def _hash(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def digest(rulebook: Rulebook) -> dict[str, Any]:
    """Each document and rule: its title, where it is, and a hash of each of its parts."""
    documents = {}
    for document in rulebook.documents:
        data = document.model_dump(mode="json")
        documents[document.id] = {"title": document.title, "where": document.number,
                                  "parts": {part: _hash(data.get(part))
                                            for part in DOCUMENT_PARTS}}
    rules = {}
    for rule in rulebook.rules:
        data = rule.rule.model_dump(mode="json")
        rules[rule.id] = {"title": rule.rule.title.zh,
                          "where": f"{rule.document.number} {rule.rule.clause}",
                          "parts": {part: _hash(data.get(part)) for part in RULE_PARTS}}
    return {"documents": documents, "rules": rules}


def changelog(before: dict[str, Any], after: dict[str, Any]) -> Changelog:
    """The changes from one digest to another, documents then rules, each in the newer
    rulebook's order (removed ones last)."""
    return Changelog(_changes(before["documents"], after["documents"], DOCUMENT_PARTS),
                     _changes(before["rules"], after["rules"], RULE_PARTS))


def _changes(old: dict[str, Any], new: dict[str, Any], names: dict[str, str]) -> list[Change]:
    found = []
    for key, entry in new.items():
        if key not in old:
            found.append(Change("added", key, entry["title"], entry["where"]))
            continue
        parts = tuple(label for part, label in names.items()
                      if old[key]["parts"].get(part) != entry["parts"].get(part))
        if parts:
            found.append(Change("changed", key, entry["title"], entry["where"], parts))
    found += [Change("removed", key, entry["title"], entry["where"])
              for key, entry in old.items() if key not in new]
    return found
