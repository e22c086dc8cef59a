"""A project description made readable, with every character traced back to where it was written.

Notices are reposted in traditional characters, typed with full-width digits, and write numbers
as 一百二十万吨 or ×10⁴t/a. The readers match one normal form: simplified characters (OpenCC),
NFKC (full-width → ASCII, ㎡ → m2), Arabic numerals for Chinese ones (cn2an), `×10⁴` and its
mangled copy `×104` as 万. A reading must still quote the words it rests on, so the normal form
keeps, for each of its characters, the position in the original text it came from.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

from compliance.memo import remembered

#: a run of Chinese numerals (with 万/亿 kept apart: 一百二十万吨 is 120 万吨, never 1200000 吨)
_CHINESE_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百千]+(?:点[零〇一二三四五六七八九]+)?")
#: ×10⁴ / x10^4 / ×104 (a lost superscript) before a unit: ten thousand
_TEN_THOUSAND = re.compile(r"[×xX*]\s*10\s*(?:\^|⁴|4)(?=\s*(?:t|吨|m|台|辆|件|平方|立方|kw|千瓦))",
                           re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u3000]+")


@cache
def _converter() -> Any:
    """OpenCC's converter, imported on first use: a batch worker reading a list with no text
    column never pays for it (cn2an alone takes 0.17 s to import)."""
    import opencc

    return opencc.OpenCC("t2s")


@cache
def _cn2an() -> Any:
    import cn2an

    return cn2an.cn2an


@dataclass(frozen=True)
class Normalised:
    """`text` in normal form; `origin[i]` is the original index of `text[i]`."""

    original: str
    text: str
    origin: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original [start, end) of normal-form [start, end)."""
        first = self.origin[start] if start < len(self.origin) else len(self.original)
        return first, (self.origin[end - 1] + 1 if end > start else first)

    def quote(self, start: int, end: int) -> str:
        first, last = self.span(start, end)
        return self.original[first:last]


#: the longest text whose normal form is remembered: a batch row's description (the extractor
#: reads at most 5,000 characters of one) is read by several readers; 64 remembered texts of
#: any length could hold ~1 MB each (the operating time reads a description of any length)
REMEMBERED_CHARS = 5_000


@remembered(REMEMBERED_CHARS, 64)
def normalise(text: str) -> Normalised:
    """The normal form of `text`; remembered for a few texts, because a row's description is
    read by several readers (the extractor, the operating time) and normalising costs ~60 µs."""
    chars, origin = _per_character(text)
    for step in (_ten_thousand, _chinese_numbers, _spaces):
        chars, origin = step(chars, origin)
    return Normalised(text, "".join(chars), tuple(origin))


#: how many distinct characters' folded forms are remembered
FOLDED_CHARS = 20_000


class _Folded(dict[str, str]):
    """Each character's NFKC form, worked out the first time the character is met: a text
    folds with one C-level `map`, not a Python step per character."""

    def __missing__(self, char: str) -> str:
        folded = unicodedata.normalize("NFKC", char)
        if len(self) < FOLDED_CHARS:  # bounded: texts from the web may hold any characters
            self[char] = folded
        return folded


_FOLDED = _Folded()


def _per_character(text: str) -> tuple[list[str], list[int]]:
    simplified = _converter().convert(text)
    if len(simplified) != len(text):  # a phrase conversion changed the length: per character
        simplified = "".join(_converter().convert(char) for char in text)
    folded = list(map(_FOLDED.__getitem__, simplified))
    # NFKC folds no character to nothing (none of Unicode's), so the same length means each
    # character folded to one and every position stays where it was
    if len("".join(folded)) == len(folded):
        return folded, list(range(len(folded)))
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(folded):
        chars.extend(char)
        origin.extend([index] * len(char))
    return chars, origin


def _rewrite(chars: list[str], origin: list[int], pattern: re.Pattern[str],
             replace) -> tuple[list[str], list[int]]:
    text = "".join(chars)
    out_chars: list[str] = []
    out_origin: list[int] = []
    last = 0
    for match in pattern.finditer(text):
        replacement = replace(match)
        if replacement is None:
            continue
        out_chars.extend(chars[last:match.start()])
        out_origin.extend(origin[last:match.start()])
        first = origin[match.start()] if match.start() < len(origin) else 0
        out_chars.extend(replacement)
        out_origin.extend([first] * len(replacement))
        last = match.end()
    out_chars.extend(chars[last:])
    out_origin.extend(origin[last:])
    return out_chars, out_origin


def _ten_thousand(chars: list[str], origin: list[int]) -> tuple[list[str], list[int]]:
    return _rewrite(chars, origin, _TEN_THOUSAND, lambda match: "万")


def _chinese_numbers(chars: list[str], origin: list[int]) -> tuple[list[str], list[int]]:
    def convert(match: re.Match[str]) -> str | None:
        written = match.group(0)
        if written in ("一", "千", "百", "十"):  # 统一, 一体化, 千方百计: words, not amounts
            return None
        try:
            value = _cn2an()(written.replace("两", "二"), "smart")
        except (ValueError, KeyError):
            return None
        return format(value, "g") if isinstance(value, float) else str(value)
    return _rewrite(chars, origin, _CHINESE_NUMBER, convert)


def _spaces(chars: list[str], origin: list[int]) -> tuple[list[str], list[int]]:
    return _rewrite(chars, origin, _SPACES, lambda match: "")
