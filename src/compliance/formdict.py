"""A form as nested dicts, addressed by dotted paths (`technology.coke_oven_chamber_height_m`).

Lists, descriptions, extraction and proposals all build or read form dicts field by field; one
set of helpers keeps them walking the nesting the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def flatten(form: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """A nested form as dotted paths."""
    flat: dict[str, Any] = {}
    for key, value in form.items():
        if isinstance(value, dict):
            flat.update(flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def nest(flat: dict[str, Any]) -> dict[str, Any]:
    """Dotted paths as a nested form."""
    nested: dict[str, Any] = {}
    for path, value in flat.items():
        set_path(nested, path, value)
    return nested


def get_path(form: dict[str, Any], path: str) -> Any:
    """The value at a dotted path, or None when any part of it is missing."""
    node: Any = form
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def set_path(form: dict[str, Any], path: str, value: Any) -> None:
    """Set the value at a dotted path, making the sections it passes through."""
    *parents, leaf = path.split(".")
    set_in(form, parents, leaf, value)


def set_in(form: dict[str, Any], parents: Sequence[str], leaf: str, value: Any) -> None:
    """Set `leaf` in the section `parents` names, making the sections on the way (`set_path`
    with the path split once, for a caller that sets the same paths row after row)."""
    for name in parents:
        form = form.setdefault(name, {})
    form[leaf] = value
