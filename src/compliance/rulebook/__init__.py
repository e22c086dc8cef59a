"""The rulebook: rule files loaded, validated and compiled into conditions."""

from compliance.rulebook.book import CompiledRule, Rulebook, RulebookError, load_rulebook

__all__ = ["CompiledRule", "Rulebook", "RulebookError", "load_rulebook"]
