"""Where the reference data lives, and reading it once.

The data ships as plain files under ``rules/reference`` so that maintainers can review and
update it without touching code. In a source checkout that is ``<repo>/rules/reference``; an
installed wheel carries a copy at ``compliance/data/rules/reference`` (see pyproject's
force-include), which wins when present. Nothing here reads ``../shared``: the project must run
offline from its own copy.
"""

from __future__ import annotations

import csv
import itertools
import os
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz.distance import Indel

from compliance.yamlio import safe_load

_PACKAGE_DIR = Path(__file__).resolve().parents[1]
_INSTALLED = _PACKAGE_DIR / "data" / "rules" / "reference"
_CHECKOUT = Path(__file__).resolve().parents[3] / "rules" / "reference"


@cache
def reference_dir() -> Path:
    """The directory holding the reference files (installed copy first, then the checkout)."""
    for candidate in (_INSTALLED, _CHECKOUT):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"reference data not found: looked in {_INSTALLED} and {_CHECKOUT}")


@cache
def read_csv(relative_path: str) -> tuple[dict[str, str], ...]:
    """Rows of a UTF-8 CSV file under the reference directory, read once per process."""
    path = reference_dir() / relative_path
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return tuple(dict(row) for row in csv.DictReader(handle))


@cache
def read_yaml(relative_path: str) -> Any:
    """A YAML file under the reference directory, parsed once per process (safe loader)."""
    path = reference_dir() / relative_path
    return safe_load(path.read_text(encoding="utf-8"))


#: pypinyin without its phrase dictionary, which settles how a polyphone reads inside a word
#: (厦门 xià): loaded, it took 45 MiB of every batch worker that met one mistyped place. Every
#: reading of each character is taken instead, so 夏门 still sounds like 厦门 (shà or xià).
#: (Set before pypinyin is first imported; an operator's own setting wins.)
PINYIN_SETTINGS = {"PYPINYIN_NO_PHRASES": "1", "PYPINYIN_NO_DICT_COPY": "1"}
#: readings kept per text: names are short, and a few polyphones give few combinations
MAX_READINGS = 16


def _sounds(text: str) -> tuple[str, ...]:
    """The toneless pinyin readings of a name: 安洋 and 安阳 sound alike though they share one
    character; 厦门 reads `sha men` and `xia men`."""
    for name, value in PINYIN_SETTINGS.items():
        os.environ.setdefault(name, value)
    from pypinyin import Style, pinyin  # imported late: only a failed lookup needs it

    readings = pinyin(text, style=Style.NORMAL, heteronym=True)
    combined = itertools.islice(itertools.product(*readings), MAX_READINGS)
    return tuple(dict.fromkeys(" ".join(reading) for reading in combined))


#: the reference spellings' readings, worked out once; a query's are not kept (what users type
#: is unbounded, and a long-running server must not remember it)
_spelling_sounds = lru_cache(maxsize=None)(_sounds)


#: the longest text a "did you mean" is looked for: the longest place or industry name is far
#: shorter, and the search must stay cheap whatever a request holds
MAX_SUGGEST_CHARS = 40


def suggest(
    query: str,
    choices: Iterable[tuple[str, str]],
    *,
    limit: int = 3,
    cutoff: float = 0.5,
) -> tuple[str, ...]:
    """The targets whose spellings are closest to ``query``, best first, for "did you mean".

    ``choices`` are ``(spelling, target)`` pairs in a stable order (e.g. by code), so a target
    may have several spellings (安阳市, 安阳). A spelling scores the better of its written and
    its spoken likeness (similarity ratios, rapidfuzz's Indel, over characters and over pinyin:
    2 × common subsequence / total length), so the commonest typo,
    a homophone (安洋 → 安阳市), ranks first; a shared first character adds a small bonus. Only
    targets close to the best score are returned, so a clear winner comes alone.
    """
    if len(query) > MAX_SUGGEST_CHARS:  # no name is this long: not a misspelling of one
        return ()
    best: dict[str, float] = {}
    order: dict[str, int] = {}
    sounds = _sounds(query)
    for index, (spelling, target) in enumerate(choices):
        written = Indel.normalized_similarity(query, spelling)
        spoken = max(Indel.normalized_similarity(sound, reading) for sound in sounds
                     for reading in _spelling_sounds(spelling))
        score = max(written, spoken) + (0.05 if spelling[:1] == query[:1] else 0)
        if score >= cutoff and score > best.get(target, -1.0):
            best[target] = score
            order.setdefault(target, index)
    if not best:
        return ()
    top = max(best.values())
    ranked = sorted((t for t in best if best[t] >= top - 0.04), key=lambda t: (-best[t], order[t]))
    return tuple(ranked[:limit])
