"""YAML and JSON reading: safe, dates as text, duplicate keys refused."""

from __future__ import annotations

import pytest
import yaml

from compliance.checker import read_form_file
from compliance.errors import InputError
from compliance.yamlio import DuplicateKeyError, json_loads, safe_load


def test_dates_stay_text_so_the_field_can_judge_them():
    assert safe_load("a: 2020-02-30\nb: 2019-06-04\n") == {"a": "2020-02-30", "b": "2019-06-04"}


def test_tags_that_build_objects_are_refused():
    with pytest.raises(yaml.YAMLError):
        safe_load("!!python/object/apply:os.system ['echo pwned']\n")


@pytest.mark.parametrize(("text", "key", "line"), [
    ("name: a\nproject_type: new\nname: b\n", "name", 3),
    ("location:\n  city: 安阳\n  city: 鹤壁\n", "city", 3),
])
def test_a_key_written_twice_in_yaml_is_an_error_naming_it(text, key, line):
    with pytest.raises(DuplicateKeyError) as raised:
        safe_load(text)
    assert (raised.value.key, raised.value.line) == (key, line)


def test_merge_keys_are_not_duplicates():
    assert safe_load("base: &b {a: 1}\nx:\n  <<: *b\n  a: 2\n")["x"] == {"a": 2}


def test_a_key_written_twice_in_json_is_an_error():
    with pytest.raises(DuplicateKeyError):
        json_loads('{"name": "a", "location": {"city": "安阳", "city": "鹤壁"}}')
    assert json_loads('{"a": [{"b": 1}, {"b": 2}]}') == {"a": [{"b": 1}, {"b": 2}]}


@pytest.mark.parametrize(("suffix", "text"), [
    (".yaml", "name: a\nproject_type: new\nindustry: C2521\nname: b\n"),
    (".json", '{"name": "a", "project_type": "new", "industry": "C2521", "name": "b"}'),
])
def test_a_form_with_a_duplicate_key_is_refused_in_chinese(tmp_path, suffix, text):
    path = tmp_path / f"form{suffix}"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_form_file(path)
    (problem,) = raised.value.problems
    assert problem.path == "name" and "重复" in problem.message_zh


def test_a_syntax_error_says_where_in_chinese(tmp_path):
    path = tmp_path / "form.yaml"
    path.write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_form_file(path)
    problem = raised.value.problems[0]
    assert "第 2 行" in problem.message_zh and "flow" not in problem.message_zh
