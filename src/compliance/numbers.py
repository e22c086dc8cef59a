"""Exact numbers: every fact and threshold is a Decimal of at most `DECIMALS` places.

Both backends compare the same exact values; the engine receives them as integers scaled by
`10**DECIMALS`, because it misparses exponents (`1e-05`) and compares int64 exactly.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

DECIMALS = 6
QUANTUM = Decimal(1).scaleb(-DECIMALS)


def exact(number: float | int | Decimal | str) -> Decimal:
    """A number as an exact decimal, through its shortest text (so 4.3 is 4.3, not 4.29999…)."""
    return Decimal(str(number)).quantize(QUANTUM, rounding=ROUND_HALF_EVEN).normalize()


def scaled(number: Decimal) -> int:
    return int(number.scaleb(DECIMALS))
