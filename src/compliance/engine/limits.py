"""The engine's known limits, and the checks that keep every compiled ruleset inside them.

Measured on durable_rules 2.0.28 (DESIGN.md): more than 64 activations at once → error 303;
more than 512 distinct conditions under one node → `create_ruleset` hangs forever; 256 rules
sharing one condition → error; and/or nested 8 deep → error. The compiler refuses a rule that
alone could reach one, and splits the rulebook into rulesets that stay well below them.
"""

from __future__ import annotations

#: activations one ruleset may produce for one fact (the engine fails above 64; one is the
#: warm-up rule's)
MAX_ACTIVATIONS = 60
#: distinct comparisons in one ruleset (the engine hangs above 512)
MAX_DISTINCT_CONDITIONS = 480
#: engine rules in one ruleset (the engine fails when 256 rules share one condition, and every
#: rule shares the anchor)
MAX_ENGINE_RULES = 200
#: and/or nesting of one engine rule, counting the anchor's `$and` (the engine fails at 8)
MAX_DEPTH = 7


class EngineLimitError(ValueError):
    """A rule or rule set that the engine could not run safely; says which limit and rule."""
