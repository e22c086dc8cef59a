"""Functions of a text remembered for the texts that repeat.

Lists and forms repeat a few short texts (a city, a unit, an address, a batch row's
description read by several readers) many times, while a long text comes once: remembering
every text would let a handful of 1 MB cells hold gigabytes. So a remembered function keeps at
most `size` texts, and only texts of at most `max_chars` characters; a longer one is worked
out each time.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def remembered(max_chars: int, size: int) -> Callable[[Callable[[str], T]], Callable[[str], T]]:
    """Decorate a function of one text: its results kept for `size` texts of up to
    `max_chars` characters (least recently used first out)."""

    def decorate(function: Callable[[str], T]) -> Callable[[str], T]:
        kept = functools.lru_cache(maxsize=size)(function)

        @functools.wraps(function)
        def call(text: str) -> T:
            return kept(text) if len(text) <= max_chars else function(text)

        return call

    return decorate
