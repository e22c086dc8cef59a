"""House rules that a reviewer would otherwise have to remember (issue 15)."""

from __future__ import annotations

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "src" / "compliance"
MAX_LINES = 400


def test_a_module_over_400_lines_says_why_at_its_top() -> None:
    unexplained = []
    for path in sorted(SOURCE.rglob("*.py")):
        text = path.read_text("utf-8")
        if text.count("\n") <= MAX_LINES:
            continue
        docstring = ast.get_docstring(ast.parse(text)) or ""
        if "Over 400 lines" not in docstring:
            unexplained.append(f"{path.relative_to(SOURCE)} ({text.count(chr(10))} lines)")
    assert not unexplained, f"split these, or say at the top why not: {unexplained}"


#: the extractor folds character by character to keep each one's offset in the notice
OWN_FOLDING = {"folding.py", "extract/text.py"}


def test_text_is_folded_in_one_place() -> None:
    elsewhere = [str(path.relative_to(SOURCE)) for path in sorted(SOURCE.rglob("*.py"))
                 if "unicodedata.normalize" in path.read_text("utf-8")
                 and str(path.relative_to(SOURCE)) not in OWN_FOLDING]
    assert not elsewhere, f"fold with compliance.folding instead: {elsewhere}"
