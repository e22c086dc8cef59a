"""Hypothesis strategies for hostile input, and the helpers the fuzz tests share.

`valid_forms()` are `tests.strategies.forms()` (every one must be accepted); `near_valid_forms()`
take such a form and break one to three things the way real input breaks: wrong types, huge
numbers, NaN and infinities, negative capacities, unknown industry codes and cities, deep nesting,
1 MB strings, emoji, mixed full-width digits, unknown keys, the engine's reserved `sid` / `id`
keys, lists where scalars belong, a missing required field. `form_files()` turn any of them into
the bytes of a YAML or JSON file, or into a broken file (truncated, not UTF-8, binary, alias
bombs, tags). `batch_rows()` do the same to the rows of a list: the same hostile values as
cells, among the spellings people write, in rows cut short or run over.

The crashes this fuzzing found (alias bombs and nesting past the recursion limit reaching the
error messages, deeply nested JSON files) have regression tests of their own in
`test_fuzz_forms.py` and `test_fuzz_cli.py`.
"""

from __future__ import annotations

import copy
import json
import math
import os
import re
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from compliance.fields import catalogue
from compliance.form import ProjectForm
from compliance.units import known_units
from tests.strategies import INDUSTRIES, PLACES, forms, thresholds

#: FUZZ_EXAMPLES: examples per fuzz test (300 in CI; bench/fuzz.py runs ≥ 10,000)
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
#: FUZZ_RANDOM=1: fresh random examples (bench/fuzz.py); CI is derandomized (reproducible)
RANDOM = os.environ.get("FUZZ_RANDOM") == "1"
#: every fuzz test's settings: no deadline (the time limit below catches hangs), no example
#: database, no health check (hostile input is slow and large on purpose)
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=not RANDOM, database=None,
                suppress_health_check=list(HealthCheck))
#: seconds before one example counts as a hang
TIME_LIMIT = int(os.environ.get("FUZZ_TIME_LIMIT", "20"))

#: nesting of generated values: hypothesis's own printer recurses about 4 frames per level, so a
#: drawn value nested past ~200 levels breaks hypothesis, not the code under test. Nesting past
#: the recursion limit is fuzzed as file bytes (`form_files`, up to `MAX_FILE_DEPTH`) and pinned
#: by explicit regression tests on in-memory values.
MAX_DEPTH = 150
#: nesting in generated files; libyaml (PyYAML >= 6.0.4) refuses past 1,000 levels, json past the
#: recursion limit, and libyaml before 6.0.4 segfaulted from about 30,000 (a regression test)
MAX_FILE_DEPTH = 50_000
MB = 1 << 20

CJK = re.compile(r"[\u4e00-\u9fff]")
TOP_FIELDS = frozenset(ProjectForm.model_fields)
SECTIONS = ("location", "capacity", "technology", "emissions", "energy", "water", "solid_waste",
            "procedures", "products")
FORM_PATHS = tuple(sorted(path for path, spec in catalogue().items() if not spec.derived))
NUMBER_PATHS = tuple(p for p in FORM_PATHS if catalogue()[p].kind == "number")
TEXT_PATHS = tuple(p for p in FORM_PATHS if catalogue()[p].kind == "text")

FULL_WIDTH = "０１２３４５６７８９．－"
EMOJI = "🏭🔥💨🚫✅🇨🇳👨‍👩‍👧"

# --------------------------------------------------------------------------- values


def valid_forms() -> st.SearchStrategy[dict[str, Any]]:
    return forms()


def full_width_numbers() -> st.SearchStrategy[str]:
    """`４.3`, `１２０００`, `-０.５`: digits people type with a Chinese input method."""
    return st.text(alphabet=FULL_WIDTH + "0123456789.", min_size=1, max_size=12)


def emoji_text() -> st.SearchStrategy[str]:
    return st.text(alphabet=EMOJI + "安阳市焦化abc ", min_size=1, max_size=20)


def megabyte_strings() -> st.SearchStrategy[str]:
    return st.sampled_from(["安", "a", "🏭", "１", " ", "\u200b"]).map(lambda char: char * MB)


HUGE = [10**400, -(10**400), 2**63, -(2**63) - 1, 2**64, 10**12 + 1, 1e308, -1e308, 5e-324,
        1e-7, 1e15, 9_007_199_254_740_993]
SPECIAL_FLOATS = [math.nan, math.inf, -math.inf, -0.0]


def numbers() -> st.SearchStrategy[Any]:
    """Huge, tiny, negative, NaN, infinite, and numbers written as (full-width) text."""
    return st.one_of(
        st.sampled_from(HUGE + SPECIAL_FLOATS),
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(),
        st.integers(-(10**6), -1),
        full_width_numbers(),
        st.sampled_from(["4.3米", "4,3", "1e3", "0x10", "１e5", "NaN", "inf", "", " 4.3 ", "4.3.1",
                         "三百万", "1_000"]),
    )


def nested(depth: st.SearchStrategy[int] | None = None) -> st.SearchStrategy[Any]:
    """A dict or list nested `depth` levels deep."""
    depth = st.integers(2, MAX_DEPTH) if depth is None else depth

    def build(args: tuple[int, bool]) -> Any:
        levels, as_list = args
        value: Any = "x"
        for _ in range(levels):
            value = [value] if as_list else {"a": value}
        return value

    return st.tuples(depth, st.booleans()).map(build)


def alias_bomb(levels: int = 9, width: int = 9) -> list[Any]:
    """What a YAML billion-laughs file loads into: `width ** levels` leaves, shared references.

    Drawn by `junk()` into any field, enum fields included: `shape.check_shape` refuses it before
    validation (it used to hang the Enum's error message, inside C code no time limit can stop).
    """
    value: list[Any] = ["x"] * width
    for _ in range(levels - 1):
        value = [value] * width
    return value


def scalars() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(), st.booleans(), numbers(), st.text(max_size=40), emoji_text(),
        full_width_numbers(), st.dates(), st.datetimes(), st.binary(max_size=16),
        st.sampled_from(["true", "否", "是", "yes", "on", "null", "~", "0", "\x00", "\ufeff"]),
    )


def junk() -> st.SearchStrategy[Any]:
    """Any value a YAML or JSON file can hold, mostly of the wrong type for where it goes."""
    options = [
        scalars(),
        st.lists(scalars(), max_size=5),
        st.dictionaries(st.text(max_size=8), scalars(), max_size=4),
        nested(st.integers(2, 60)),
        nested(),
        megabyte_strings(),
        # up to 9**5 leaves: past `shape.MAX_VALUES`, yet small enough for hypothesis to print
        st.builds(alias_bomb, st.integers(2, 5), st.integers(2, 9)),
    ]
    return st.one_of(*options)


def keys() -> st.SearchStrategy[Any]:
    """Unknown keys: the engine's reserved `sid` / `id`, look-alikes, non-string keys."""
    return st.one_of(
        st.sampled_from(["sid", "id", "$s", "", " ", "Name", "name ", "名称", "location.city",
                         "__proto__", "__class__", "industry[0]", "ｎａｍｅ", "🏭"]),
        st.text(max_size=12),
        st.sampled_from([1, 0, True, None, 1.5]),
    )


def unknown_industries() -> st.SearchStrategy[Any]:
    code = st.one_of(
        st.sampled_from(["C9999", "C25211", "X", "", " ", "C", "2521", "Ｃ２５２１", "c2521",
                         "coking ", "焦化", "炼焦", "C2521🏭", "C25", "3130", "2520", "3963",
                         "nonexistent_key", "*", "steel,coking", "C 2521", "C2521\n"]),
        st.text(max_size=10), emoji_text())
    return st.one_of(
        code,
        st.lists(st.one_of(code, st.sampled_from(INDUSTRIES)), min_size=0, max_size=25),
        junk(),
    )


def unknown_places() -> st.SearchStrategy[Any]:
    name = st.one_of(
        st.sampled_from(["火星市", "安阳市市", "安阳 市", "ＡＮＹＡＮＧ", "", "北京", "410500", "🏭",
                         "安阳县", "龙安区", "河南", "湖北省", "上海市", "朝阳区", "新区"]),
        st.text(max_size=8), emoji_text())
    code = st.one_of(st.sampled_from(["999999", "41050", "4105000", "４１０５００", "410500",
                                      "000000", "41 05 00", "410522", "110000", "420900"]),
                     st.text(alphabet="0123456789０１２", max_size=8))
    place = st.fixed_dictionaries({}, optional={"province": name, "city": name, "county": name,
                                                "admin_code": code})
    return st.one_of(place, st.sampled_from(PLACES).map(dict), junk())


def dates() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.dates(), st.datetimes(), junk(),
        st.sampled_from(["2020-13-45", "２０２０-01-01", "2020/01/01", "20200101", "2020年1月1日",
                         "0000-00-00", "9999-12-31", "1-1-1", "", "today"]),
    )


# --------------------------------------------------------------------------- corruptions


def _put(form: dict[Any, Any], path: str, value: Any) -> None:
    node = form
    *parents, leaf = path.split(".")
    for part in parents:
        if not isinstance(node.get(part), dict):
            node[part] = {}
        node = node[part]
    node[leaf] = value


def _path_value(draw: st.DrawFn, form: dict[str, Any]) -> None:
    _put(form, draw(st.sampled_from(FORM_PATHS)), draw(junk()))


def _bad_number(draw: st.DrawFn, form: dict[str, Any]) -> None:
    _put(form, draw(st.sampled_from(NUMBER_PATHS)), draw(numbers()))


def _negative_capacity(draw: st.DrawFn, form: dict[str, Any]) -> None:
    field = draw(st.sampled_from(["capacity.new", "capacity.retired"]))
    _put(form, field, draw(st.one_of(st.integers(-(10**12), -1), st.floats(max_value=-1e-9))))


def _section_type(draw: st.DrawFn, form: dict[str, Any]) -> None:
    form[draw(st.sampled_from(SECTIONS))] = draw(st.one_of(scalars(), st.lists(scalars())))


def _unknown_key(draw: st.DrawFn, form: dict[Any, Any]) -> None:
    where = draw(st.sampled_from((None, *SECTIONS, "emissions.vocs")))
    node = form
    if where is not None:
        for part in where.split("."):
            if not isinstance(node.get(part), dict):
                node[part] = {}
            node = node[part]
    key = draw(keys())
    if where is None and key in TOP_FIELDS:
        key = f"{key}_"
    node[key] = draw(junk())


def _industry(draw: st.DrawFn, form: dict[str, Any]) -> None:
    form["industry"] = draw(unknown_industries())


def _place(draw: st.DrawFn, form: dict[str, Any]) -> None:
    form["location"] = draw(unknown_places())


def _date(draw: st.DrawFn, form: dict[str, Any]) -> None:
    form["application_date"] = draw(dates())


def _missing_required(draw: st.DrawFn, form: dict[str, Any]) -> None:
    form.pop(draw(st.sampled_from(["name", "project_type", "industry"])), None)


def _list_for_scalar(draw: st.DrawFn, form: dict[str, Any]) -> None:
    path = draw(st.sampled_from(FORM_PATHS))
    _put(form, path, draw(st.lists(scalars(), min_size=0, max_size=3)))


def _big_text(draw: st.DrawFn, form: dict[str, Any]) -> None:
    _put(form, draw(st.sampled_from(TEXT_PATHS)), draw(megabyte_strings()))


def _deep(draw: st.DrawFn, form: dict[str, Any]) -> None:
    _put(form, draw(st.sampled_from(FORM_PATHS)), draw(nested()))


def _emoji(draw: st.DrawFn, form: dict[str, Any]) -> None:
    _put(form, draw(st.sampled_from((*TEXT_PATHS, "project_type"))), draw(emoji_text()))


def _full_width(draw: st.DrawFn, form: dict[str, Any]) -> None:
    path = draw(st.sampled_from((*NUMBER_PATHS, "location.admin_code", "industry")))
    _put(form, path, draw(full_width_numbers()))


CORRUPTIONS = (_path_value, _bad_number, _negative_capacity, _section_type, _unknown_key,
               _industry, _place, _date, _missing_required, _list_for_scalar, _big_text, _deep,
               _emoji, _full_width)


def edge_numbers(path: str) -> st.SearchStrategy[float | int]:
    """Accepted but awkward numbers for one field: its bounds, a hair inside them, a hair (below
    the 6-decimal quantum) off each threshold a rule compares it with, -0.0, 10**12 …"""
    spec = catalogue()[path]
    low = spec.minimum if spec.minimum is not None else -1e12
    high = spec.maximum if spec.maximum is not None else 1e12
    near = [float(t) + d for t in thresholds().get(path, []) for d in (-4e-7, 4e-7, 6e-7)]
    edges = [low, high, low + 1e-7, high - 1e-7, 0.0, -0.0, 5e-7, 1.5e-6, int(high)]
    return st.one_of(st.sampled_from([v for v in edges + near if low <= v <= high]),
                     st.floats(low, high, allow_nan=False, allow_infinity=False),
                     st.integers(int(low), int(high)))


ODD_BUT_VALID_TEXT = ["🏭项目", "安阳🔥焦化", "x" * 500, " 带空格的名称 ", "Ｃ２５２１焦化", "\u200b零宽"]


@st.composite
def edge_forms(draw: st.DrawFn) -> dict[str, Any]:
    """A valid form with accepted extreme values: bounds, sub-quantum offsets from thresholds,
    huge capacities in large units, emoji and full-width text, full-width codes."""
    form = copy.deepcopy(draw(valid_forms()))
    for path in draw(st.lists(st.sampled_from(NUMBER_PATHS), min_size=1, max_size=4, unique=True)):
        _put(form, path, draw(edge_numbers(path)))
    if draw(st.booleans()):
        form.setdefault("capacity", {})["unit"] = draw(st.sampled_from(list(known_units())))
    if draw(st.booleans()):
        form["name"] = draw(st.sampled_from(ODD_BUT_VALID_TEXT))
    if draw(st.booleans()):
        form["industry"] = draw(st.sampled_from(["Ｃ２５２１", " C2521 ", "c2521", "C3110",
                                                 ["C2521", "coking", "C2521"]]))
    if draw(st.booleans()):
        place_keys = {"province", "city", "county", "admin_code"}
        facts = {k: v for k, v in form.get("location", {}).items() if k not in place_keys}
        form["location"] = {**facts, **draw(st.sampled_from(
            [{"admin_code": "４１０５２２"}, {"city": " 安阳市 "}, {"city": "孝感"}]))}
    return form


@st.composite
def near_valid_forms(draw: st.DrawFn) -> dict[Any, Any]:
    """A valid form with one to three things broken."""
    form = copy.deepcopy(draw(valid_forms()))
    for _ in range(draw(st.integers(1, 3))):
        draw(st.sampled_from(CORRUPTIONS))(draw, form)
    return form


def not_a_form() -> st.SearchStrategy[Any]:
    """What a file may hold that is not a mapping at all."""
    return st.one_of(scalars(), st.lists(scalars(), max_size=3), nested(st.integers(1, 50)))


def any_forms() -> st.SearchStrategy[tuple[str, Any]]:
    """(kind, form): `valid`, `edge` (valid, awkward values), `near_valid` or `not_a_form`."""
    return st.one_of(
        valid_forms().map(lambda form: ("valid", form)),
        edge_forms().map(lambda form: ("edge", form)),
        near_valid_forms().map(lambda form: ("near_valid", form)),
        near_valid_forms().map(lambda form: ("near_valid", form)),
        not_a_form().map(lambda value: ("not_a_form", value)),
    )


# --------------------------------------------------------------------------- batch rows

#: cells as people and exports really write them, and as they break (units, words, formulas,
#: bytes that did not decode, per-month capacities, places and codes that do not exist)
MESSY_CELLS = ["6.0米", "4300mm", "150万吨/年", "10万吨/月", "100吨/小时", "年产150万吨", "是", "×",
               "√", "已批复", "不详", "/", "nan", "新建", "技术改造", "C2521 炼焦", "Ｃ２５２１", "2521",
               "安阳", "安洋", "龙安区", "河南省安阳市龙安区", "火星市", "2019年9月1日", "2019/13/45",
               "43709", "=1+1", "=HYPERLINK(\"http://x\";\"y\")", "@cmd", "１２０万吨", "四米三",
               "安\ufffd阳", "\x00", "\u200b", "煤、电", "1,200", "85%", "-0", "1e400", "9" * 400]


def cells() -> st.SearchStrategy[Any]:
    """One cell of a CSV or XLSX list: text (hostile or messy) or what a workbook holds."""
    return st.one_of(
        st.none(), st.booleans(), st.dates(), st.datetimes(), numbers(),
        st.text(max_size=40), emoji_text(), full_width_numbers(), megabyte_strings(),
        st.sampled_from(MESSY_CELLS),
        st.sampled_from(["C9999", "C25211", "X", "coking ", "C2521🏭", "3963"]),
        st.sampled_from(["火星市", "安阳市市", "ＡＮＹＡＮＧ", "朝阳区", "新区", "999999"]),
    )


@st.composite
def batch_rows(draw: st.DrawFn, columns: int, rows: tuple[tuple[Any, ...], ...]
               ) -> list[Any]:
    """A realistic row (one of `rows`) with one to four cells made hostile, sometimes cut short
    or run past the header's `columns`; now and then a row of hostile cells only."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.lists(cells(), max_size=columns + 4))
    row = list(draw(st.sampled_from(rows)))
    for _ in range(draw(st.integers(1, 4))):
        row[draw(st.integers(0, len(row) - 1))] = draw(cells())
    shape = draw(st.integers(0, 9))
    if shape == 0:
        row = row[: draw(st.integers(0, len(row)))]
    elif shape == 1:
        row += draw(st.lists(cells(), min_size=1, max_size=4))
    return row


# --------------------------------------------------------------------------- files


def _yaml_text(value: Any) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False)


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str, skipkeys=True)


BOMB_YAML = "name: x\nproject_type: new\nindustry: C2521\na0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 9))
NASTY_FILES = [
    b"", b"\xef\xbb\xbf", b"\xff\xfe\x00\x00", b"\x00\x01\x02", b"---\n...\n", b"[]", b"null",
    b"name: x\nproject_type: new\nindustry: C2521\n---\nname: y\n",
    b"!!python/object/apply:os.system ['echo pwned']\n",
    b"name: !!python/name:os.system x\nproject_type: new\nindustry: C2521\n",
    b"name: x\nproject_type: new\nindustry: !!binary aGVsbG8=\n",
    b"name: x\nproject_type: new\nindustry: C2521\nlocation: {city: \xe5\xae\x89\xe9\x98\xb3\xe5}\n",
    b"name: x\nproject_type: new\nindustry: C2521\napplication_date: 2020-01-01T00:00:00+08:00\n",
    b"{\"name\": \"x\", \"project_type\": \"new\", \"industry\": \"C2521\", \"capacity\": "
    b"{\"new\": NaN, \"retired\": Infinity}}",
    b"name: x\nproject_type: new\nindustry: C2521\ncapacity: {new: .nan, retired: -.inf}\n",
    b"name: x\nproject_type: new\nindustry: C2521\ntechnology: {coke_oven_chamber_height_m: 1e999}\n",
    b"name: x\nproject_type: new\nindustry: C2521\n<<: {sid: 1}\n",
    b"name: x\nname: y\nproject_type: new\nindustry: C2521\n",
    b"? [a, b]\n: 1\nname: x\nproject_type: new\nindustry: C2521\n",
    b"name: x\nproject_type: new\nindustry: C2521\n" + b"x" * (MB + 1),
    BOMB_YAML.encode(),
    b"name: x\nproject_type: new\nindustry: C2521\njunk: " + b"[" * 3000 + b"]" * 3000 + b"\n",
    b'{"name": "x", "junk": ' + b"[" * 3000 + b"]" * 3000 + b"}",
    # libyaml before PyYAML 6.0.4 segfaulted from about 30,000 levels
    b"name: x\nproject_type: new\nindustry: C2521\ncapacity: {new: " + b"[" * 50_000
    + b"]" * 50_000 + b"}\n",
    b"name: x\nproject_type: " + b"[" * 999 + b"new" + b"]" * 999 + b"\nindustry: C2521\n",
    BOMB_YAML.replace("name: x\nproject_type: new\n", "name: x\n").encode()
    + b"project_type: *a8\n",
]


@st.composite
def form_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """(file suffix, file bytes) for `compliance check`."""
    suffix = draw(st.sampled_from([".yaml", ".yml", ".json", ".txt", ""]))
    choice = draw(st.integers(0, 9))
    if choice <= 6:
        _, form = draw(any_forms()) if choice >= 4 else ("valid", draw(
            st.one_of(valid_forms(), edge_forms())))
        try:
            text = _json_text(form) if suffix == ".json" else _yaml_text(form)
        except (TypeError, ValueError, RecursionError, yaml.YAMLError):
            text = _json_text({"name": "x"})
        data = text.encode("utf-8")
        if choice == 6:  # truncated at a random byte
            data = data[: draw(st.integers(0, max(0, len(data) - 1)))]
        if draw(st.integers(0, 5)) == 0:
            data = draw(st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff", b"\x00"])) + data
        return suffix, data
    if choice <= 8:
        if draw(st.booleans()):
            return suffix, draw(st.sampled_from(NASTY_FILES))
        depth = draw(st.integers(1, MAX_FILE_DEPTH))
        opening, closing = draw(st.sampled_from([(b"[", b"]"), (b"{a: ", b"}"), (b'{"a": ', b"}")]))
        where = draw(st.sampled_from([b"junk", b"name", b"capacity", b"industry", b"location",
                                      b"project_type", b"fuel", b"technology"]))
        return suffix, (b"name: x\nproject_type: new\nindustry: C2521\n" + where + b": "
                        + opening * depth + b"1" + closing * depth + b"\n")
    return suffix, draw(st.binary(max_size=512))


# --------------------------------------------------------------------------- helpers


class Hang(Exception):
    """An example ran longer than `TIME_LIMIT` seconds."""


@contextmanager
def time_limit(seconds: int = TIME_LIMIT) -> Iterator[None]:
    """Fail instead of hanging forever (SIGALRM: main thread, Unix)."""

    def expire(signum: int, frame: object) -> None:
        raise Hang(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def path_root(path: str) -> str:
    """`location.city` → `location`, `industry[0]` → `industry`, `industry.0` → `industry`."""
    return re.split(r"[.\[]", path, maxsplit=1)[0]


def record(counts: dict[str, int], name: str) -> None:
    """Append a test's example counts to $FUZZ_REPORT (JSON lines), for bench/fuzz.py."""
    target = os.environ.get("FUZZ_REPORT")
    if target:
        with Path(target).open("a", encoding="utf-8") as handle:
            handle.write(json.dumps({"test": name, **counts}, ensure_ascii=False) + "\n")
