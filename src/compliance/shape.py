"""The shape of raw input, checked before validation: bounded depth and size, valid text.

A project form is a few levels deep and holds about a hundred values. Input parsed from YAML can
be far larger than its text (an alias bomb: 500 bytes that expand to 9**9 leaves by reference),
nested past Python's recursion limit, or cyclic. Validation and its error messages walk values
whole (pydantic calls an Enum class whose error message reprs the value), so such input is
refused here, by a walk that stops at `MAX_DEPTH` and measures each shared object once. The
same walk refuses text holding a lone surrogate (JSON's `"\ud800"`): it cannot be encoded as
UTF-8, so it broke whatever wrote it out (a stored check, a response, a report) with a 500.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from compliance.errors import FieldProblem, InputError

#: deeper than any form (`emissions.vocs.offset` is 3 levels), with room for honest mistakes
MAX_DEPTH = 16
#: values in the form as it would be expanded; a full form has about a hundred
MAX_VALUES = 20_000

_TOO_DEEP = (f"嵌套超过 {MAX_DEPTH} 层，不是项目表单的结构", f"nested more than {MAX_DEPTH} levels deep")
_TOO_LARGE = (f"内容过多（展开后超过 {MAX_VALUES:,} 个值）", f"expands to more than {MAX_VALUES:,} values")
_SURROGATE = ("含无效字符（单独的 UTF-16 代理码位，如 \\ud800），请检查文本的编码",
              "holds a lone UTF-16 surrogate, which is not text")
_SURROGATES = re.compile("[\ud800-\udfff]")
#: values that hold no text and nothing inside (exact classes: a subclass takes the long way)
_SCALARS = frozenset({int, float, bool, type(None), dt.date, dt.datetime})


def _invalid_text(value: object) -> bool:
    return isinstance(value, str) and not value.isascii() and _SURROGATES.search(value) is not None


class _Refused(Exception):
    def __init__(self, messages: tuple[str, str], *where: Any) -> None:
        self.messages = messages
        self.path: list[Any] = list(where)  # innermost first


def check_shape(data: dict[str, Any]) -> None:
    """Raise `InputError` naming the field under which the input nests too deeply or expands too
    far. Shared references (YAML aliases) are measured once and counted at full size."""
    try:
        _measure(data, 0, {})
    except _Refused as refused:
        path = refused.path[::-1][:2]
        shown = "".join(f"[{key}]" if isinstance(key, int) else f".{_printable(str(key)[:60])}"
                        for key in path).lstrip(".")
        raise InputError([FieldProblem(shown or "(form)", *refused.messages)]) from None


def _printable(text: str) -> str:
    """A name as a message can carry it: a lone surrogate written as `\ud800`."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _measure(node: dict | list, depth: int, measured: dict[int, tuple[int, int]]) -> tuple[int, int]:
    """(height, expanded size) of a container; `measured` memoises shared ones by identity.

    Every list row passes here (a hundred values each), so the plain cases come first: a
    scalar costs a class look-up, an ASCII text one `isascii`.
    """
    known = measured.get(id(node))
    if known is not None:
        if depth + known[0] > MAX_DEPTH:
            raise _Refused(_TOO_DEEP)
        return known
    if depth >= MAX_DEPTH:
        raise _Refused(_TOO_DEEP)
    height, size = 1, 1 + len(node)
    keyed = isinstance(node, dict)
    for key, child in node.items() if keyed else enumerate(node):
        if keyed and (key.__class__ is not str or not key.isascii()) and _invalid_text(key):
            raise _Refused(_SURROGATE, key)
        kind = child.__class__
        if kind is str:
            if not child.isascii() and _SURROGATES.search(child) is not None:
                raise _Refused(_SURROGATE, key)
        elif kind in _SCALARS:
            continue
        elif isinstance(child, dict | list):
            try:
                child_height, child_size = _measure(child, depth + 1, measured)
            except _Refused as refused:
                refused.path.append(key)
                raise
            height = max(height, child_height + 1)
            size += child_size - 1  # the child itself was counted with its parent's length
        elif _invalid_text(child):  # a subclass of str
            raise _Refused(_SURROGATE, key)
    if size > MAX_VALUES:
        raise _Refused(_TOO_LARGE)
    measured[id(node)] = (height, size)
    return height, size
