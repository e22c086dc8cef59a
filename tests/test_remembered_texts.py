"""`memo.remembered`: short texts are worked out once, long ones every time, and the number kept
is bounded; the text functions that use it keep their bounds."""

from __future__ import annotations

from compliance.extract import clauses, text
from compliance.memo import remembered


def test_short_texts_are_remembered_long_ones_are_not_and_few_are_kept() -> None:
    calls: list[str] = []

    @remembered(max_chars=5, size=2)
    def shout(value: str) -> str:
        calls.append(value)
        return value.upper()

    assert [shout("ab"), shout("ab"), shout("abcdef"), shout("abcdef")] == [
        "AB", "AB", "ABCDEF", "ABCDEF"]
    assert calls == ["ab", "abcdef", "abcdef"]  # the long text worked out each time
    shout("cd")
    shout("ef")  # a third short text: the least recently used, "ab", is let go
    shout("ab")
    assert calls[-3:] == ["cd", "ef", "ab"]
    assert shout.__name__ == "shout"


def test_a_description_is_normalised_once_and_a_huge_text_each_time() -> None:
    """A batch row's description is read by several readers; a 1 MB cell must not be held."""
    description = "新建年产150万吨焦炭项目，" * 10
    assert text.normalise(description) is text.normalise(description)
    huge = "年产" * (text.REMEMBERED_CHARS // 2 + 1)
    assert text.normalise(huge) is not text.normalise(huge)
    assert text.normalise(huge) == text.normalise(huge)
    assert clauses.clauses(description) is clauses.clauses(description)
