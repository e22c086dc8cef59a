"""Engines decide, for every rule, its outcome on a project's facts.

Two backends evaluate the same compiled rulebook: `durable` (the Rete engine the design names)
and `python` (a small independent evaluator, the test oracle and the fallback where durable_rules
does not import). They must agree on every project.
"""

from compliance.engine.base import Backend, EngineUnavailable, Outcome, create_backend

__all__ = ["Backend", "EngineUnavailable", "Outcome", "create_backend"]
