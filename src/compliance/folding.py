"""Text as people type it, folded for matching: the one place for full-width forms and blanks.

NFKC turns full-width digits and letters into ASCII (Ｃ２５２１ → C2521) and the ideographic
space into a plain one. Names, codes, units and headers never hold a blank, so `compact` drops
every one (a tab or a line break pasted from a notice too); `trimmed` keeps the inner blanks of
free text and drops only the ends. Callers add what only they mean (lower case, a suffix).
"""

from __future__ import annotations

import re
import unicodedata

_BLANKS = re.compile(r"\s+")


def compact(text: str) -> str:
    """NFKC, without any whitespace: `Ｃ２５２１`, `万 吨／年`, `安阳　市` → `C2521`, `万吨/年`, `安阳市`."""
    return _BLANKS.sub("", unicodedata.normalize("NFKC", text))


def trimmed(text: str) -> str:
    """NFKC, without outer whitespace: a cell or a word whose inner blanks may matter."""
    return unicodedata.normalize("NFKC", text).strip()
