"""The normal form of a description: characters folded one by one, each traced to its origin."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.extract import text as normal_form
from compliance.extract.text import normalise


def _folded_one_by_one(written: str) -> tuple[list[str], list[int]]:
    """The definition: each simplified character's NFKC form, at that character's place."""
    converter = normal_form._converter()
    simplified = converter.convert(written)
    if len(simplified) != len(written):
        simplified = "".join(converter.convert(char) for char in written)
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(simplified):
        folded = unicodedata.normalize("NFKC", char)
        chars.extend(folded)
        origin.extend([index] * len(folded))
    return chars, origin


#: descriptions as typed: Chinese, full-width forms, ligatures and units that fold to several
#: characters (㎡, ﬁ, ½), traditional characters, and any other character
_TEXTS = st.text(st.one_of(
    st.sampled_from("年产焦炭万吨焦爐新建２３４ｔ/ａ㎡ﬁ½㈱（）：，。Φ×"),
    st.characters(blacklist_categories=("Cs",))), max_size=40)


@settings(max_examples=250, deadline=None)
@given(_TEXTS)
def test_folding_matches_folding_each_character_alone(written: str) -> None:
    assert normal_form._per_character(written) == _folded_one_by_one(written)


def test_a_description_folds_with_its_origins() -> None:
    normal = normalise("新建２座６.７８米焦爐，占地１２０㎡")
    assert normal.text == "新建2座6.78米焦炉,占地120m2"
    start = normal.text.index("m2")
    assert normal.quote(start, start + 2) == "㎡"
    assert normalise(normal.original) is normal  # read once for all the row's readers


def test_the_folding_memo_is_bounded(monkeypatch) -> None:
    monkeypatch.setattr(normal_form, "_FOLDED", normal_form._Folded())
    monkeypatch.setattr(normal_form, "FOLDED_CHARS", 3)
    assert normal_form._per_character("ＡＢＣＤＥ") == (list("ABCDE"), [0, 1, 2, 3, 4])
    assert len(normal_form._FOLDED) == 3


def test_no_character_folds_to_nothing() -> None:
    """What the folding's shortcut rests on: equal lengths mean one character for one."""
    assert not [code for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF
                and unicodedata.normalize("NFKC", chr(code)) == ""]
