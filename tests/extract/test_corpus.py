"""The extractor on the corpus of real-style descriptions: the targets of issue 11."""

from __future__ import annotations

from tests.extract.scoring import corpus, score


def test_the_corpus_is_large_and_varied_enough() -> None:
    entries = corpus()
    assert len(entries) >= 60
    assert len({entry["id"] for entry in entries}) == len(entries)
    assert sum(1 for entry in entries if not entry.get("facts")) >= 4  # texts with no facts


def test_precision_recall_and_no_invented_capacity() -> None:
    result = score()
    assert result.invented_capacities == 0, result.errors
    assert result.precision >= 0.97, result.errors
    assert result.recall >= 0.90, result.errors
