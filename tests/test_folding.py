"""One way to fold what people type: full-width forms and blanks (issue 15)."""

from __future__ import annotations

import pytest

from compliance.folding import compact, trimmed
from compliance.units import parse_unit


@pytest.mark.parametrize(("typed", "folded"), [
    ("Ｃ２５２１", "C2521"), ("万 吨／年", "万吨/年"), ("安阳\u3000市", "安阳市"),
    ("国\t六\n", "国六"), ("４．３米", "4.3米"), ("", "")])
def test_compact_drops_every_blank_after_nfkc(typed: str, folded: str) -> None:
    assert compact(typed) == folded


def test_trimmed_keeps_inner_blanks() -> None:
    assert trimmed("\u3000 Ｃ 25\t") == "C 25"


@pytest.mark.parametrize(("typed", "canonical"), [
    ("万吨\t/年", "万t/a"), ("万 吨／年", "万t/a")])
def test_a_unit_with_a_pasted_tab_reads_like_one_without(typed: str, canonical: str) -> None:
    unit = parse_unit(typed)
    assert unit is not None and unit.canonical == canonical
