"""Reading YAML and JSON text: safe, and strict about what would otherwise pass silently.

YAML goes through the safe loader only (no tags, no objects), in libyaml's C version when
present. Timestamps stay text: YAML's own parser turns `2020-02-30` into a `ValueError` with no
field name, and `2020-01-01 08:00` into a datetime; as text, dates are parsed where the field
is known (`form.Day`, the rule model), so a bad one is reported at its path. A key written twice
(`name: a` … `name: b`) is an error in both formats: both parsers would keep the last silently.
"""

from __future__ import annotations

import json
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, ScalarNode


class DuplicateKeyError(ConstructorError, ValueError):
    """A mapping names a key twice; `key` and `line` (1-based, YAML only) say where."""

    def __init__(self, key: str, line: int | None = None) -> None:
        self.key, self.line = key, line
        where = f" (line {line})" if line else ""
        super().__init__(None, None, f"duplicate key {key!r}{where}", None)

    def zh(self) -> str:
        where = f"（第 {self.line} 行）" if self.line else ""
        return f"字段「{self.key}」重复出现{where}，请只保留一个"


class SafeLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader, with timestamps read as strings and duplicate keys refused."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                if key_node.value in seen:
                    raise DuplicateKeyError(key_node.value, key_node.start_mark.line + 1)
                seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)


SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", SafeLoader.construct_yaml_str)


def safe_load(text: str) -> Any:
    """`yaml.safe_load`, several times faster with libyaml; the same safe constructor set."""
    return yaml.load(text, Loader=SafeLoader)


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise DuplicateKeyError(key)
        result[key] = value
    return result


def json_loads(text: str | bytes) -> Any:
    """`json.loads` refusing duplicate keys (raises `DuplicateKeyError`, a `ValueError`)."""
    return json.loads(text, object_pairs_hook=_unique)
