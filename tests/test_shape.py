"""Raw input is bounded in depth and expanded size before validation walks it."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance import shape
from compliance.checker import parse_form
from compliance.errors import InputError
from compliance.shape import MAX_DEPTH, MAX_VALUES, check_shape

BASE = {"name": "某项目", "project_type": "new", "industry": "C2521"}


def nested(levels: int) -> Any:
    value: Any = "x"
    for _ in range(levels):
        value = [value]
    return value


def refusal(data: dict[str, Any]) -> tuple[str, str]:
    with pytest.raises(InputError) as raised:
        check_shape(data)
    (problem,) = raised.value.problems
    return problem.path, problem.message_zh


def test_an_ordinary_form_passes():
    check_shape({**BASE, "location": {"city": "安阳市"}, "emissions": {"vocs": {"offset": "equal"}},
                 "fuel": ["coal", "natural_gas"]})


def test_depth_up_to_the_limit_passes_and_one_more_level_is_refused():
    check_shape({"junk": nested(MAX_DEPTH - 1)})
    path, message = refusal({**BASE, "junk": nested(MAX_DEPTH)})
    assert path == "junk[0]" and "嵌套超过" in message


def test_the_path_names_the_field_the_trouble_is_under():
    assert refusal({**BASE, "location": {"functional_zone": nested(50_000)}})[0] == (
        "location.functional_zone")


def test_shared_references_count_at_their_expanded_size():
    leaf = ["x"] * 9
    layer: Any = leaf
    for _ in range(3):
        layer = [layer] * 9
    check_shape({**BASE, "fuel": layer})  # 9**4 leaves: fine
    for _ in range(2):
        layer = [layer] * 9
    path, message = refusal({**BASE, "fuel": layer})  # 9**6 leaves
    assert path.startswith("fuel") and f"{MAX_VALUES:,}" in message


def test_a_shared_value_reused_deeper_is_measured_at_its_new_depth():
    shared = nested(MAX_DEPTH - 3)
    check_shape({"a": shared})
    assert refusal({"a": shared, "b": [[[[shared]]]]})[0] == "b[0]"


def test_a_cycle_is_refused_not_followed_forever():
    loop: list[Any] = []
    loop.append(loop)
    assert "嵌套超过" in refusal({**BASE, "junk": loop})[1]


def test_parse_form_refuses_before_validating():
    with pytest.raises(InputError) as raised:
        parse_form({**BASE, "project_type": nested(5000)})
    assert str(raised.value) == f"project_type[0]: 嵌套超过 {MAX_DEPTH} 层，不是项目表单的结构"


class Label(str):
    """A subclass of str, as some YAML loaders and clients hand text."""


def plain_walk(node: Any, depth: int, seen: dict[int, tuple[int, int]]) -> tuple[int, int]:
    """The specification `check_shape` is written against: every key and value in order, text
    tested for a lone surrogate, containers measured once and counted at full size."""
    def invalid(value: Any) -> bool:
        return isinstance(value, str) and re.search("[\ud800-\udfff]", value) is not None

    if id(node) in seen:
        if depth + seen[id(node)][0] > shape.MAX_DEPTH:
            raise shape._Refused(shape._TOO_DEEP)
        return seen[id(node)]
    if depth >= shape.MAX_DEPTH:
        raise shape._Refused(shape._TOO_DEEP)
    height, size = 1, 1
    for key, child in node.items() if isinstance(node, dict) else enumerate(node):
        if invalid(key) or invalid(child):
            raise shape._Refused(shape._SURROGATE, key)
        if isinstance(child, dict | list):
            try:
                child_height, child_size = plain_walk(child, depth + 1, seen)
            except shape._Refused as refused:
                refused.path.append(key)
                raise
            height, size = max(height, child_height + 1), size + child_size
        else:
            size += 1
    if size > shape.MAX_VALUES:
        raise shape._Refused(shape._TOO_LARGE)
    seen[id(node)] = (height, size)
    return height, size


def outcome(walk: Any, data: dict[str, Any]) -> tuple[Any, ...]:
    try:
        return ("measured", walk(data, 0, {}))
    except shape._Refused as refused:
        return ("refused", refused.messages, refused.path)


def test_the_walk_gives_what_the_plain_walk_gives_on_any_input(monkeypatch):
    """Limits made small so that random input reaches them; shared containers included."""
    monkeypatch.setattr(shape, "MAX_DEPTH", 4)
    monkeypatch.setattr(shape, "MAX_VALUES", 40)
    text = st.text(alphabet=st.sampled_from(["a", "炭", "\ud800", "\udfff", " "]), max_size=3)
    scalars = st.one_of(text, text.map(Label), st.integers(), st.floats(), st.booleans(),
                        st.none(), st.dates(), st.datetimes(max_value=dt.datetime(2100, 1, 1)))
    keys = st.one_of(text, st.integers(-2, 2), text.map(Label))
    trees = st.recursive(scalars, lambda inner: st.one_of(
        st.lists(inner, max_size=5), st.dictionaries(keys, inner, max_size=5)), max_leaves=60)

    @st.composite
    def forms(draw: Any) -> dict[Any, Any]:
        form = draw(st.dictionaries(keys, trees, max_size=5))
        shared = draw(st.lists(trees, max_size=3))
        for value in shared:  # the same container under several keys (a YAML alias)
            for key in draw(st.lists(keys, max_size=3)):
                form[key] = [value, value] if draw(st.booleans()) else value
        return form

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(forms())
    def agree(form: dict[Any, Any]) -> None:
        assert outcome(shape._measure, form) == outcome(plain_walk, form)

    agree()
