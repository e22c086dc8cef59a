"""What changed between two rulebook versions, from their digests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from compliance.paths import rules_dir
from compliance.rulebook import load_rulebook
from compliance.rulebook.changelog import changelog, digest

pytestmark = pytest.mark.slow


def test_the_same_rulebook_has_no_changes() -> None:
    current = digest(load_rulebook())
    assert not changelog(current, current)


def test_a_reworded_rule_a_new_one_and_a_removed_one(tmp_path: Path) -> None:
    """The digest of a rule file edited as a maintainer would: a remedy reworded, a date set."""
    shutil.copytree(rules_dir(), tmp_path / "rules")
    path = tmp_path / "rules" / "anyang-2019-19.yaml"
    text = path.read_text(encoding="utf-8")
    assert "  - id: anyang-2019-19/coke-oven-4.3m\n" in text
    edited = text.replace("采用炭化室高度4.3米以上的焦炉", "采用炭化室高度5.5米及以上的焦炉", 1)
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    before, after = digest(load_rulebook()), digest(load_rulebook(tmp_path / "rules"))
    log = changelog(before, after)
    assert log.documents == []
    [change] = log.rules
    assert (change.kind, change.id, change.parts) == (
        "changed", "anyang-2019-19/coke-oven-4.3m", ("整改建议",))
    assert change.where == "安政办〔2019〕19号 三、（二）2.（3）"
    removed = {**after, "rules": {key: value for key, value in after["rules"].items()
                                  if key != "anyang-2019-19/coke-oven-4.3m"}}
    assert [(c.kind, c.id) for c in changelog(after, removed).rules] == [
        ("removed", "anyang-2019-19/coke-oven-4.3m")]
    assert [(c.kind, c.title) for c in changelog(removed, after).rules] == [
        ("added", "淘汰炭化室高度4.3米及以下焦炉")]
