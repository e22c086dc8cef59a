"""Raw input is bounded in depth and expanded size before validation walks it."""

from __future__ import annotations

from typing import Any

import pytest

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
