"""The 补正清单: every fact the verdict still needs, asked once, the decisive ones first.

A form that leaves the place blank is undecided for dozens of rules, all for the same four
fields; an applicant needs one list, not the fields repeated under every rule. A fact is
*decisive* when some prohibition or requirement it leaves undecided could still be broken, so
that its answer can turn the verdict into 不予通过; next come the facts that can only lead to
需重点审查, then the rest (facts that decide only whether a rule that cannot fail applies).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from compliance import conditions as cond
from compliance.explain import label
from compliance.facts import Facts
from compliance.fields import catalogue
from compliance.result import Question
from compliance.rulebook import CompiledRule

#: the place is one question, whichever of its fields the form would fill
PLACE = "location"
PLACE_FIELDS = frozenset({"location.province", "location.city", "location.county",
                          "location.admin_code"})
#: tiers: 0 can still fail (decisive), 1 can lead to review, 2 neither
DECISIVE, REVIEW, OTHER = 0, 1, 2


def tier(rule: CompiledRule, facts: Facts) -> int:
    """How much an undecided rule's missing facts can still change the verdict."""
    violation = cond.evaluate(rule.violation, facts.values)
    if rule.rule.effect in ("prohibit", "require") and violation is not cond.Truth.FALSE:
        return DECISIVE
    review_possible = rule.review is not None and cond.evaluate(
        rule.review, facts.values) is not cond.Truth.FALSE
    if (rule.rule.effect == "restrict" and violation is not cond.Truth.FALSE) or review_possible:
        return REVIEW
    return OTHER


def questions(undecided: Iterable[CompiledRule], missing: Mapping[str, list[str]],
              facts: Facts, lang: str = "zh") -> list[Question]:
    """One question per missing field over the undecided rules, decisive ones first, then by
    how many rules wait for the answer."""
    asked: dict[str, tuple[int, list[str]]] = {}
    for rule in undecided:
        rank = tier(rule, facts)
        for path in dict.fromkeys(PLACE if path in PLACE_FIELDS else path
                                  for path in missing.get(rule.id, ())):
            best, rules = asked.get(path, (OTHER, []))
            asked[path] = (min(best, rank), [*rules, rule.id])
    order = {path: index for index, path in enumerate(asked)}
    ranked = sorted(asked, key=lambda path: (asked[path][0], -len(asked[path][1]), order[path]))
    return [Question(field=path, label=_label(path, lang), help=help_text(path, lang),
                     rules=asked[path][1], decisive=asked[path][0] == DECISIVE)
            for path in ranked]


def _label(path: str, lang: str) -> str:
    if path == PLACE:
        return "建设地点" if lang == "zh" else "Project site"
    return label(path, lang)


def help_text(path: str, lang: str = "zh") -> str:
    """What to fill in: the kind of answer, its unit or its choices."""
    if path == PLACE:
        return ("填写省、市、区县名称（如 河南省安阳市龙安区），或 6 位行政区划代码" if lang == "zh"
                else "province, city and county names, or a 6-digit GB/T 2260 code")
    spec = catalogue().get(path)
    if spec is None:
        return ""
    zh = lang == "zh"
    if spec.kind == "bool":
        return "填写 是 或 否" if zh else "yes or no"
    if spec.kind == "enum":
        names = [spec.choice_label_zh(c) if zh else c for c in spec.choices]
        return ("可选：" if zh else "one of: ") + ("、" if zh else ", ").join(names)
    if spec.kind == "number":
        if spec.unit:
            return f"填写数值（单位：{spec.unit_zh()}）" if zh else f"a number in {spec.unit}"
        return "填写数值" if zh else "a number"
    if spec.kind == "list":
        return "可填多项" if zh else "one or more values"
    return "填写文字" if zh else "text"
