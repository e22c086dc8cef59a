"""The meanings the rulebook gives to words on the form, to show beside the fields they define.

An applicant asked 是否位于城市建成区 or 是否“两高”项目 answers by the meaning the rules apply,
not by a guess: each rule file states, under `document.definitions`, how it reads the terms its
text leaves open and which facts they define. This gathers them by field.
"""

from __future__ import annotations

from dataclasses import dataclass

from compliance.rulebook import Rulebook


@dataclass(frozen=True)
class Meaning:
    term: str
    meaning: str
    #: the document's number (文号), whose rules read the term this way
    number: str


def meanings_by_field(rulebook: Rulebook) -> dict[str, tuple[Meaning, ...]]:
    """Each defined field's meanings, in the rulebook's document order."""
    found: dict[str, list[Meaning]] = {}
    for document in rulebook.documents:
        for definition in document.definitions:
            for path in definition.fields:
                found.setdefault(path, []).append(
                    Meaning(definition.term, definition.meaning, document.number))
    return {path: tuple(meanings) for path, meanings in found.items()}
