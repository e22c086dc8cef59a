"""Field-level precision and recall of the extractor on the corpus of real-style descriptions.

A predicted fact is right when the corpus states that field with that value (industries and
fuels as sets); every other predicted fact is wrong, and every stated fact not predicted right
is missed. A capacity the corpus does not state is an invented capacity: the one error that
would turn a missing fact into a wrong verdict, counted on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from compliance.extract import extract
from compliance.formdict import flatten

CORPUS = Path(__file__).with_name("corpus.yaml")
SET_FIELDS = ("industry", "fuel")
CAPACITY_FIELDS = ("capacity.new", "capacity.retired")


@dataclass
class Score:
    right: int = 0
    wrong: int = 0
    missed: int = 0
    invented_capacities: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.right / (self.right + self.wrong) if self.right + self.wrong else 1.0

    @property
    def recall(self) -> float:
        return self.right / (self.right + self.missed) if self.right + self.missed else 1.0


def corpus() -> list[dict[str, Any]]:
    return yaml.safe_load(CORPUS.read_text(encoding="utf-8"))


def _same(name: str, predicted: Any, stated: Any) -> bool:
    if name in SET_FIELDS:
        return set(predicted) == set(stated)
    if isinstance(stated, int | float) and isinstance(predicted, int | float):
        return float(stated) == float(predicted)
    return predicted == stated


def score(entries: list[dict[str, Any]] | None = None) -> Score:
    total = Score()
    for entry in entries or corpus():
        stated = entry.get("facts") or {}
        predicted = flatten(extract(entry["text"]).form)
        for name, value in predicted.items():
            if name in stated and _same(name, value, stated[name]):
                total.right += 1
                continue
            total.wrong += 1
            if name in CAPACITY_FIELDS and name not in stated:
                total.invented_capacities += 1
            total.errors.append(f"{entry['id']}: {name} = {value!r}, stated "
                                f"{stated.get(name, '(nothing)')!r}")
        for name, value in stated.items():
            if name not in predicted or not _same(name, predicted[name], value):
                total.missed += 1
                if name not in predicted:
                    total.errors.append(f"{entry['id']}: {name} missed (stated {value!r})")
    return total
