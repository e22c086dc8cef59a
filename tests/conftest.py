"""Shared fixtures: one checker per backend for the whole run (building one takes ~0.1 s)."""

from __future__ import annotations

import pytest

from compliance.checker import Checker
from compliance.rulebook import load_rulebook


@pytest.fixture(scope="session")
def rulebook():
    return load_rulebook()


@pytest.fixture(scope="session", params=["durable", "python"])
def checker(request, rulebook):
    with Checker(rulebook, engine=request.param) as instance:
        yield instance


@pytest.fixture(scope="session")
def durable_checker(rulebook):
    with Checker(rulebook, engine="durable") as instance:
        yield instance
