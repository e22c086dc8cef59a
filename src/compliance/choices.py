"""Every way people write a choice: the value, its Chinese or English label, the label's parts
and the short forms officers use (技改, 燃煤, 是/否).

Forms, uploaded files and list cells all accept these, so a form written in Chinese (建设性质：新建，
燃料：燃煤) reads the same as one written with the contract's values.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

from compliance.folding import compact, trimmed

_EXTRA_ALIASES: dict[str, dict[str, str]] = {
    "ProjectType": {"技改": "renovation", "技术改造": "renovation", "改建": "renovation",
                    "改扩建": "expansion", "迁建": "relocation", "异地搬迁": "relocation",
                    "整体搬迁": "relocation", "新上": "new"},
    "Fuel": {"燃煤": "coal", "煤炭": "coal", "原煤": "coal", "燃气": "natural_gas",
             "电力": "electricity", "电能": "electricity", "燃油": "oil", "柴油": "oil",
             "重油": "oil", "生物质燃料": "biomass", "生物质成型燃料": "biomass"},
    "VocsOffset": {"无": "none", "否": "none", "等量": "equal", "倍量": "double"},
}
_LABEL_SUFFIXES = ("开发区域", "区域", "水平", "流域", "削减替代", "替代")
#: yes and no as officers write them (pydantic reads true/false, yes/no, 1/0 itself)
BOOL_WORDS = {"是": True, "否": False, "有": True, "无": False, "√": True, "×": False,
              "✓": True, "✗": False, "对": True, "不是": False, "没有": False}


def normalise_label(text: str) -> str:
    return compact(text).lower().removesuffix("项目")


@cache
def enum_aliases(enum: Any) -> dict[str, str]:
    """Every spelling of a labelled enum's members: value, labels, label parts, short forms."""
    table: dict[str, str] = {}
    for member in enum:
        value = member.value
        label = enum.label_zh(value)
        spellings = {value, enum.label_en(value), label, *re.split(r"[（）()]", label)}
        spellings |= {label.removesuffix(suffix) for suffix in _LABEL_SUFFIXES}
        for spelling in spellings:
            if spelling.strip():
                table.setdefault(normalise_label(spelling), value)
    for spelling, value in _EXTRA_ALIASES.get(enum.__name__, {}).items():
        table.setdefault(normalise_label(spelling), value)
    return table


def read_choice(enum: Any, value: Any) -> Any:
    """The member value a written choice means, or the value unchanged (validation then says
    what is allowed)."""
    if not isinstance(value, str):
        return value
    if len(value) > 64:  # no spelling is this long: not remembered
        return enum_aliases(enum).get(normalise_label(value), value)
    return _choice(enum, value)


@lru_cache(maxsize=4096)
def _choice(enum: Any, value: str) -> str:
    """(Remembered: every form reads a dozen choices, and a list writes the same few.)"""
    return enum_aliases(enum).get(normalise_label(value), value)


def read_bool(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    return BOOL_WORDS.get(trimmed(value), value)
