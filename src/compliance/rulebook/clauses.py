"""The numbered clauses of a source text, as the document prints its hierarchy.

Chinese policy documents number their clauses in up to four styles, nested in the order they
first appear: 一、 → （一） → 1. → （1）. A clause id is the printed path down the hierarchy with no
spaces, e.g. `二、（二）` or `三、（二）2.（3）`; a document that skips a level (一、 → 1.) gives
`二、1.`. Half-width brackets become full-width and `1．` becomes `1.`, as the rule files write
clauses.

The texts come from PDF and Word extraction: page breaks split sentences over blank lines,
brackets are sometimes half-width, stray spaces sit inside labels (`( 二 )`), and some sources
carry Markdown (`## 一、`, `**1. …**`, `<p>`). So a heading is only recognised at the start of a
line, and only when its number is the next one expected: the first child of a new level is 1
(or continues the numbering of the same style under the previous parent, as 工信部节〔2018〕136号
numbers （一）…（十四） straight through its chapters); a sibling is the previous number + 1. A
line that merely starts with a number (`2020 年……`, `3米及以下……`) is never a heading.

An annex table (a line starting 附件, then rows `1<tab>…`, `2<tab>…` numbered from 1) gives the
clauses `附件序号1`, `附件序号2`, …

Unnumbered paragraphs that state a requirement are written in coverage lists as the numbered
clause they sit in plus `第N段` (`二、（三）第2段`, counted from the first paragraph of that
clause's own text), optionally narrowed to a sentence with `第M句` (`二、（三）第2段第1句`); text
before the first numbered heading uses no prefix (`第3段`). `unnumbered_parent` parses them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_NUMERAL = "[一二三四五六七八九十]{1,3}"

#: the four numbering styles, outermost first as they usually nest
STYLES = ("chapter", "section", "item", "subitem")
_PATTERNS = {
    "chapter": re.compile(rf"^({CN_NUMERAL})\s*、"),
    "section": re.compile(rf"^[（(]\s*({CN_NUMERAL})\s*[）)]"),
    "item": re.compile(r"^(\d{1,2})\s*[.．](?!\s*\d)"),
    "subitem": re.compile(r"^[（(]\s*(\d{1,2})\s*[）)]"),
}
#: Markdown and HTML decorations at the start of a line, and emphasis anywhere in it
_LEAD = re.compile(r"^(?:\s|#+|\*+|>|</?(?:p|b|strong|span)\b[^>]*>)+")
_MARKUP = re.compile(r"\*\*|</?(?:p|b|strong|span|br)\b[^>]*>")
_ANNEX_START = re.compile(r"^附件\s*[：:]")
_ANNEX_ROW = re.compile(r"^(\d{1,2})[\t ]+(?=\S)")
_UNNUMBERED = re.compile(r"^(?P<parent>.*?)第(?P<paragraph>[1-9]\d*)段(?:第(?P<sentence>[1-9]\d*)句)?$")
ANNEX_PREFIX = "附件序号"


@dataclass(frozen=True)
class Clause:
    """One numbered clause: its id as printed, its first line of text and where it starts."""

    id: str
    #: its own label, normalised: `三、`, `（二）`, `2.`, `（3）`, `附件序号5`
    label: str
    #: 1 for the outermost heading of the document
    depth: int
    #: the first line of its text after the label (Markdown removed, whitespace collapsed)
    text: str
    #: 1-based line number in the source text
    line: int
    parent: str | None = None


def chinese_number(numeral: str) -> int:
    """一 → 1, 十 → 10, 十四 → 14, 二十一 → 21 (up to 九十九)."""
    if "十" not in numeral:
        return CN_DIGITS[numeral] if len(numeral) == 1 else -1
    tens, _, units = numeral.partition("十")
    if len(tens) > 1 or len(units) > 1:
        return -1
    return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[units] if units else 0)


def _number(style: str, text: str) -> int:
    return int(text) if style in ("item", "subitem") else chinese_number(text)


def _label(style: str, numeral: str) -> str:
    if style == "chapter":
        return f"{numeral}、"
    if style == "section":
        return f"（{numeral}）"
    return f"{int(numeral)}." if style == "item" else f"（{int(numeral)}）"


def normalise_clause(clause: str) -> str:
    """A clause id as the rule files write it: no whitespace, full-width brackets, `1.`."""
    text = "".join(clause.split())
    return text.replace("(", "（").replace(")", "）").replace("．", ".")


def _clean(line: str) -> str:
    return " ".join(_MARKUP.sub("", line).split())


def _heading(line: str) -> tuple[str, int, str, str] | None:
    """(style, number, label, rest of the line) when the line starts with a numbered label."""
    stripped = _LEAD.sub("", line)
    for style in STYLES:
        match = _PATTERNS[style].match(stripped)
        if match:
            number = _number(style, match.group(1))
            if number <= 0:
                return None
            return style, number, _label(style, match.group(1)), _clean(stripped[match.end():])
    return None


@dataclass
class _Open:
    style: str
    number: int
    label: str


def _first_text(lines: list[str], index: int, rest: str) -> str:
    """The heading line's own text, else the next non-blank line's (a label alone on a line)."""
    if rest:
        return rest
    for line in lines[index + 1:index + 4]:
        cleaned = _clean(_LEAD.sub("", line))
        if cleaned:
            return cleaned
    return ""


def extract_clauses(text: str) -> list[Clause]:
    """Every numbered clause of a source text, in document order."""
    return list(_extract(text))


@lru_cache(maxsize=32)
def _extract(text: str) -> tuple[Clause, ...]:
    lines = text.splitlines()
    clauses: list[Clause] = []
    stack: list[_Open] = []
    #: the last number seen for each style at each depth, for numbering that runs on (136号)
    last_seen: dict[tuple[str, int], int] = {}
    annex_row = 0
    in_annex = False
    for index, raw in enumerate(lines):
        stripped = _LEAD.sub("", raw).strip()
        if _ANNEX_START.match(stripped):
            in_annex = True
            continue
        if in_annex:
            row = _ANNEX_ROW.match(stripped)
            if row and int(row.group(1)) == annex_row + 1:
                annex_row += 1
                label = f"{ANNEX_PREFIX}{annex_row}"
                first_cell = stripped[row.end():].split("\t")[0]
                clauses.append(Clause(label, label, 1, _clean(first_cell), index + 1))
            continue
        found = _heading(raw)
        if found is None:
            continue
        style, number, label, rest = found
        styles = [item.style for item in stack]
        if style in styles:
            position = styles.index(style)
            if number != stack[position].number + 1:
                continue
            del stack[position:]
        else:
            depth = len(stack) + 1
            previous = last_seen.get((style, depth))
            if number != 1 and (previous is None or number != previous + 1):
                continue
        stack.append(_Open(style, number, label))
        last_seen[(style, len(stack))] = number
        clause_id = "".join(item.label for item in stack)
        parent = "".join(item.label for item in stack[:-1]) or None
        clauses.append(Clause(clause_id, label, len(stack), _first_text(lines, index, rest),
                              index + 1, parent))
    return tuple(clauses)


def read_source_clauses(path: Path) -> list[Clause]:
    return extract_clauses(path.read_text(encoding="utf-8"))


def unnumbered_parent(clause: str) -> str | None:
    """For `二、（三）第2段` (or `…第2段第1句`): the numbered clause it sits in, `二、（三）`;
    `""` for text before the first heading; None when the id is not of that form."""
    match = _UNNUMBERED.match(clause)
    return match.group("parent") if match else None
