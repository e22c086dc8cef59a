"""Vehicle emission standards as people write them (国六, 国6, 国VI, 纯电动), as levels a rule compares.

Kept apart from `facts`, which derives the level, because the field catalogue (`fields`) names
the levels as the choices of a derived field, and the catalogue must not need the facts.
"""

from __future__ import annotations

import re

from compliance.folding import compact
from compliance.form import LabelledEnum


class VehicleEmissionLevel(LabelledEnum):
    """`products.vehicle_emission_standard` as a level a rule can compare: people write 国六,
    国6, 国VI, 国Ⅵ, 国六b阶段 for one standard, and zero-emission vehicles have none at all."""

    CHINA_1 = "china_1"
    CHINA_2 = "china_2"
    CHINA_3 = "china_3"
    CHINA_4 = "china_4"
    CHINA_5 = "china_5"
    CHINA_6 = "china_6"
    ZERO_EMISSION = "zero_emission"

    @classmethod
    def _labels(cls) -> dict[str, tuple[str, str]]:
        return _VEHICLE_LABELS


_VEHICLE_LABELS = {
    **{f"china_{n}": (f"国{zh}", f"China {n}") for n, zh in enumerate("一二三四五六", start=1)},
    "zero_emission": ("零排放（纯电动、燃料电池，无排气污染物排放标准）", "zero emission"),
}
_LEVEL_DIGITS = {**{zh: n for n, zh in enumerate("一二三四五六", start=1)},
                 **{str(n): n for n in range(1, 7)},
                 "I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6}
#: 国六, 国6, 国VI (国Ⅵ folds to it), 国六b, 国六B阶段, 国六排放标准, China 6 …
_STANDARD = re.compile(r"(?:国|CHINA|CN)(?P<level>[一二三四五六1-6]|VI|IV|V|III|II|I)"
                       r"(?:[AB]?阶段|[AB])?(?:排放标准|标准)?")
_ZERO_EMISSION = frozenset({"纯电动", "燃料电池", "氢燃料电池", "零排放", "BEV", "FCEV"})


def vehicle_emission_level(text: str) -> VehicleEmissionLevel | None:
    """The level a written emission standard means, or None when it cannot be told."""
    folded = compact(text).upper()
    match = _STANDARD.fullmatch(folded)
    if match:
        return VehicleEmissionLevel(f"china_{_LEVEL_DIGITS[match['level']]}")
    for suffix in ("汽车", "车辆", "车"):
        folded = folded.removesuffix(suffix)
    return VehicleEmissionLevel.ZERO_EMISSION if folded in _ZERO_EMISSION else None
