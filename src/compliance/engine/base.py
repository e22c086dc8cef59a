"""The engine interface and the outcome each backend reports per rule."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Protocol

from compliance.conditions import Scalar


class Outcome(Enum):
    """A rule's outcome on one project, before effect and validity give it a status."""

    VIOLATED = "violated"  # applicable and its condition holds
    REVIEW = "review"  # applicable, condition false, review condition holds
    CLEAR = "clear"  # applicable, neither holds
    NOT_APPLICABLE = "not_applicable"
    UNDECIDED = "undecided"  # a missing fact leaves it open

    #: members are singletons, so identity is equality: every verdict looks up each rule's
    #: status by its outcome (112 a project), and Enum's own hash is a Python call
    __hash__ = object.__hash__


class EngineUnavailable(RuntimeError):
    """The requested backend cannot run here; the message says what to use instead."""


class Backend(Protocol):
    name: str

    def evaluate(self, facts: Mapping[str, Scalar]) -> dict[str, Outcome]:
        """Every rule of the rulebook, by id."""
        ...

    def close(self) -> None: ...
