"""Engines decide, for every rule, its outcome on a project's facts.

Two backends evaluate the same compiled rulebook: `durable` (the Rete engine the design names)
and `python` (a small independent evaluator, the test oracle and the fallback where durable_rules
does not import). They must agree on every project.
"""

from compliance.engine.base import Backend, EngineUnavailable, Outcome
from compliance.rulebook import Rulebook

__all__ = ["Backend", "EngineUnavailable", "Outcome", "create_backend"]


def create_backend(name: str, rulebook: Rulebook) -> Backend:
    """The backend of that name; the backends import `base`, the factory lives here so that
    `base` imports neither of them."""
    if name == "python":
        from compliance.engine.python_backend import PythonBackend

        return PythonBackend(rulebook)
    if name == "durable":
        from compliance.engine.durable_backend import DurableBackend

        return DurableBackend(rulebook)
    raise ValueError(f"unknown engine {name!r}: use 'durable' or 'python'")

