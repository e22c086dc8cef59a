"""Synthetic rulebooks for engine tests: rules written as data, facts given directly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from compliance.rulebook import Rulebook, load_rulebook

DOCUMENT = {
    "id": "synthetic", "title": "测试文件", "number": "测〔2020〕1号", "issuer": "测试",
    "issued": "2020-01-01", "source": "synthetic.txt", "jurisdiction": {"name_zh": "全国"},
}
PLACEHOLDER_EXAMPLES = [
    {"name": "a", "expect": "fail", "form": {}},
    {"name": "b", "expect": "pass", "form": {}},
]


def synthetic_rule(index: int, condition: dict[str, Any] | None, *,
                   industries: tuple[str, ...] = ("coking",), effect: str = "prohibit",
                   where: dict[str, Any] | None = None,
                   review_if: dict[str, Any] | None = None) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": f"synthetic/r{index}", "title": {"zh": f"规则{index}", "en": f"rule {index}"},
        "clause": f"一、（{index}）", "quote": "测试", "effect": effect,
        "applies_to": {"industries": list(industries)}, "remedy": "整改",
        "examples": PLACEHOLDER_EXAMPLES,
    }
    if where:
        rule["applies_to"]["where"] = where
    if condition is not None:
        rule["condition"] = condition
    if review_if is not None:
        rule["review_if"], rule["review_note"] = review_if, "边界值需人工判断"
    return rule


@pytest.fixture
def make_rulebook(tmp_path: Path) -> Callable[..., Rulebook]:
    def make(rules: list[dict[str, Any]], name: str = "synthetic",
             jurisdiction: dict[str, Any] | None = None) -> Rulebook:
        """A rulebook of `rules`; with `jurisdiction`, its document binds only where that
        condition holds."""
        document = DOCUMENT if jurisdiction is None else {
            **DOCUMENT, "jurisdiction": {"name_zh": "测试省", "condition": jurisdiction}}
        directory = tmp_path / name
        directory.mkdir(exist_ok=True)
        (directory / "synthetic.yaml").write_text(
            yaml.safe_dump({"document": document, "rules": rules}, allow_unicode=True),
            encoding="utf-8")
        return load_rulebook(directory)

    return make
