"""What pages and the API show about verdicts and rules, decided once for both.

Ordering and grouping of results reuse the report presenters' helpers, so the web page, the
printable report and the terminal list the same rules in the same order with the same words.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from compliance.clock import BEIJING
from compliance.fields import catalogue
from compliance.form import ProjectType
from compliance.presenters.labels import labels
from compliance.reference import industry_key_names
from compliance.rulebook import Rulebook
from compliance.rulebook.book import ANY_INDUSTRY, CompiledRule
from compliance.rulebook.model import Document
from compliance.rulebook.order import rules_of

ZH = labels("zh")
#: above a result page whose check was made in English (an API check may ask for it)
LANG_NOTICE = "本次审查以英文（lang=en）提交，以下报告按审查时的语言显示。"


def field_label(path: str, lang: str = "zh") -> str:
    """`焦炉炭化室高度（米）` for a fact path; the path itself when the catalogue lacks it."""
    spec = catalogue().get(path)
    if spec is None:
        return path
    if lang == "en":
        return f"{spec.label_en} ({spec.unit})" if spec.unit else spec.label_en
    unit = spec.unit_zh()
    return f"{spec.label_zh}（{unit}）" if unit else spec.label_zh


def beijing(moment: dt.datetime) -> str:
    """A stored UTC time as officers read it (China has one time zone, UTC+8, no DST)."""
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S（北京时间）")


def rule_json(rule: CompiledRule, with_examples: bool = False) -> dict[str, Any]:
    """A rule as API clients see it: citation, effect, where and when it binds."""
    document, spec = rule.document, rule.rule
    payload: dict[str, Any] = {
        "rule_id": rule.id, "effect": spec.effect, "title": spec.title.model_dump(),
        "document_id": document.id,
        "citation": {"document": document.title, "number": document.number,
                     "clause": spec.clause, "quote": spec.quote},
        "industries": list(spec.applies_to.industries),
        "project_types": list(spec.applies_to.project_types),
        "jurisdiction": document.jurisdiction.name_zh,
        "valid_from": rule.valid_from.isoformat(),
        "valid_until": rule.valid_until.isoformat() if rule.valid_until else None,
        "remedy": spec.remedy,
    }
    if with_examples:
        payload["examples"] = [example.model_dump(mode="json") for example in spec.examples]
    return payload


def find_document(rulebook: Rulebook, document_id: str) -> Document | None:
    return next((doc for doc in rulebook.documents if doc.id == document_id), None)


def document_json(document: Document, rulebook: Rulebook) -> dict[str, Any]:
    return {"id": document.id, "title": document.title, "number": document.number,
            "issuer": document.issuer, "issued": document.issued.isoformat(),
            "jurisdiction": document.jurisdiction.name_zh,
            "rule_ids": [rule.id for rule in rules_of(rulebook, document.id)]}




def rule_facts(rule: CompiledRule) -> dict[str, str]:
    """Readable applicability: industries and project types in Chinese."""
    names = {**industry_key_names(), ANY_INDUSTRY: "全部行业"}
    spec = rule.rule.applies_to
    return {"industries": "、".join(names.get(key, key) for key in spec.industries),
            "project_types": "、".join(ProjectType.label_zh(t) for t in spec.project_types)}
