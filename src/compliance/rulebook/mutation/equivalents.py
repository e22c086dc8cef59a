"""Mutants no form could tell apart from the rule, listed with the reason, and where."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from compliance.paths import rules_dir


class MutateError(ValueError):
    """Bad input to the mutation tool (equivalents file, unknown rule or document)."""


def equivalents_path() -> Path:
    """Not `rules/*.yaml`: every YAML file directly in `rules/` is loaded as a rule file."""
    return rules_dir() / "mutation" / "mutants-equivalent.yaml"


@dataclass(frozen=True)
class Equivalent:
    rule: str
    mutation: str
    reason: str


def load_equivalents(path: Path | None) -> dict[tuple[str, str], Equivalent]:
    """The listed equivalent mutants; a missing file at the default place is an empty list."""
    from compliance.yamlio import safe_load

    path = path or equivalents_path()
    if not path.is_file():
        return {}
    try:
        data = safe_load(path.read_text(encoding="utf-8"))
    except Exception as error:  # a YAML error of any kind: the file is unusable
        raise MutateError(f"{path}: not valid YAML: {error}") from None
    if data is None:
        return {}
    if not isinstance(data, list):
        raise MutateError(f"{path}: expected a list of {{rule, mutation, reason}}")
    found: dict[tuple[str, str], Equivalent] = {}
    for index, entry in enumerate(data):
        if not isinstance(entry, dict) or set(entry) != {"rule", "mutation", "reason"} or not all(
                isinstance(entry[k], str) and entry[k].strip() for k in entry):
            raise MutateError(f"{path}: entry [{index}] must have exactly rule, mutation and a "
                              f"non-empty reason (strings)")
        key = (entry["rule"], entry["mutation"])
        if key in found:
            raise MutateError(f"{path}: entry [{index}] lists {key[0]} {key[1]} twice")
        found[key] = Equivalent(entry["rule"], entry["mutation"], entry["reason"])
    return found
