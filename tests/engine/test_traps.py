"""Each durable_rules trap from DESIGN.md, as a test against both backends."""

from __future__ import annotations

import json
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.checker import parse_form, read_form_file
from compliance.engine import Outcome, create_backend, durable_backend, rulesets
from compliance.engine.durable_backend import fact_body, with_id
from compliance.engine.limits import EngineLimitError
from compliance.engine.rulesets import partition
from compliance.facts import derive
from compliance.numbers import exact
from tests.engine.conftest import synthetic_rule

BACKENDS = ["durable", "python"]
HEIGHT = "technology.coke_oven_chamber_height_m"


def leaf(field: str, op: str, value: object) -> dict:
    return {"field": field, "op": op, "value": value}


def three_rules() -> list[dict]:
    return [
        synthetic_rule(1, leaf(HEIGHT, "<=", 4.3)),
        synthetic_rule(2, leaf("capacity.net_added", ">", 0)),
        synthetic_rule(3, leaf("location.in_chemical_park", "==", False)),
    ]


def facts(**values: object) -> dict:
    base: dict = {"industry.coking": True, "project_type": "new"}
    base.update({key.replace("__", "."): exact(v) if isinstance(v, float | int) and not
                 isinstance(v, bool) else v for key, v in values.items()})
    return base


@pytest.mark.parametrize("backend_name", BACKENDS)
def test_a_form_breaking_three_rules_reports_all_three(make_rulebook, backend_name):
    backend = create_backend(backend_name, make_rulebook(three_rules()))
    try:
        outcomes = backend.evaluate(facts(technology__coke_oven_chamber_height_m=4.3,
                                          capacity__net_added=5,
                                          location__in_chemical_park=False))
    finally:
        backend.close()
    assert list(outcomes.values()) == [Outcome.VIOLATED] * 3


@pytest.mark.parametrize("backend_name", BACKENDS)
def test_nothing_matched_is_a_normal_outcome(make_rulebook, backend_name):
    backend = create_backend(backend_name, make_rulebook(three_rules()))
    try:
        outcomes = backend.evaluate(facts(technology__coke_oven_chamber_height_m=6,
                                          capacity__net_added=0,
                                          location__in_chemical_park=True))
        unrelated = backend.evaluate({"industry.coking": False, "project_type": "new"})
    finally:
        backend.close()
    assert set(outcomes.values()) == {Outcome.CLEAR}
    assert set(unrelated.values()) == {Outcome.NOT_APPLICABLE}


def test_no_rule_matching_at_all_is_return_code_1_and_a_normal_outcome(make_rulebook,
                                                                        monkeypatch):
    """`assert_fact` returns 1 when no rule matches (`MessageNotHandledException` in the stock
    API): nothing fired, nothing is an error, every rule stays undecided."""
    backend = create_backend("durable", make_rulebook(three_rules()))
    codes: list[int] = []
    assert_fact = durable_backend.native.assert_fact

    def spy(handle, fact):
        result = assert_fact(handle, fact)
        codes.append(result[0])
        return result

    monkeypatch.setattr(durable_backend.native, "assert_fact", spy)
    try:
        outcomes = backend.evaluate({"industry.coking": True})  # no fact any rule tests
    finally:
        backend.close()
    assert codes == [1]
    assert set(outcomes.values()) == {Outcome.UNDECIDED}


@pytest.mark.parametrize("backend_name", BACKENDS)
@pytest.mark.parametrize("text", ["$s", "$s\":1", "{\"$s\": 1}", "sid", "id"])
def test_text_values_that_look_like_engine_keys_are_just_text(make_rulebook, backend_name, text):
    """The session's state fact is recognised by its `$s` key; a project's text value `$s`
    used to be mistaken for it, and every rule it fired for was dropped."""
    rules = [synthetic_rule(1, leaf("products.vehicle_emission_standard", "==", "国五"))]
    backend = create_backend(backend_name, make_rulebook(rules))
    try:
        outcomes = backend.evaluate(facts(products__vehicle_emission_standard=text))
    finally:
        backend.close()
    assert outcomes == {"synthetic/r1": Outcome.CLEAR}


@pytest.mark.parametrize("backend_name", BACKENDS)
def test_missing_fact_is_undecided_never_clear(make_rulebook, backend_name):
    """A missing field matches no comparison, not even `!=`: the rule stays undecided."""
    rules = [synthetic_rule(1, leaf(HEIGHT, "<=", 4.3)),
             synthetic_rule(2, leaf("location.in_chemical_park", "!=", True))]
    backend = create_backend(backend_name, make_rulebook(rules))
    try:
        outcomes = backend.evaluate(facts())
    finally:
        backend.close()
    assert set(outcomes.values()) == {Outcome.UNDECIDED}


@pytest.mark.parametrize("backend_name", BACKENDS)
def test_a_rule_whose_gate_is_unknown_is_undecided_unless_the_rest_rules_it_out(
        make_rulebook, backend_name):
    """The gate (the industry) weighed in Python reaches the engine as a flag: unknown keeps
    the rule undecided even when its condition is met, and a false `where` still decides it."""
    rule = synthetic_rule(1, leaf("capacity.net_added", ">", 0),
                          where=leaf("energy.two_high_effective", "==", True))
    backend = create_backend(backend_name, make_rulebook([rule]))
    unknown_industry = {"project_type": "new", "capacity.net_added": exact(5)}
    try:
        undecided = backend.evaluate({**unknown_industry, "energy.two_high_effective": True})
        ruled_out = backend.evaluate({**unknown_industry, "energy.two_high_effective": False})
        coking = backend.evaluate({**unknown_industry, "energy.two_high_effective": True,
                                   "industry.coking": True})
    finally:
        backend.close()
    assert undecided == {"synthetic/r1": Outcome.UNDECIDED}
    assert ruled_out == {"synthetic/r1": Outcome.NOT_APPLICABLE}
    assert coking == {"synthetic/r1": Outcome.VIOLATED}


def test_no_engine_rule_of_a_gated_out_rule_fires(make_rulebook, monkeypatch):
    """A rule of another industry is not applicable by its gate alone: the engine is not made
    to fire for it (its `n`, the rest being false, fired for every such rule before)."""
    where = leaf("energy.two_high_effective", "==", True)
    rules = [synthetic_rule(1, leaf("capacity.net_added", ">", 0), where=where),
             synthetic_rule(2, leaf("capacity.net_added", ">", 0), industries=("cement",),
                            where=where)]
    backend = durable_backend.DurableBackend(make_rulebook(rules))
    fired: list[str] = []
    original = durable_backend._Session._drain

    def spy(session, fact, *rest):
        names = original(session, fact, *rest)
        fired.extend(session.outcomes[name][0] for name in names)
        return names

    monkeypatch.setattr(durable_backend._Session, "_drain", spy)
    try:
        outcomes = backend.evaluate({"project_type": "new", "industry.coking": True,
                                     "industry.cement": False, "capacity.net_added": exact(5),
                                     "energy.two_high_effective": False})
    finally:
        backend.close()
    assert outcomes == {"synthetic/r1": Outcome.NOT_APPLICABLE,
                        "synthetic/r2": Outcome.NOT_APPLICABLE}
    assert fired == ["synthetic/r1"]


@pytest.mark.parametrize("backend_name", BACKENDS)
def test_or_branches_fire_once_per_rule(make_rulebook, backend_name):
    condition = {"any": [leaf(HEIGHT, "<=", 4.3), leaf("capacity.net_added", ">", 0),
                         leaf("location.in_chemical_park", "==", False)]}
    backend = create_backend(backend_name, make_rulebook([synthetic_rule(1, condition)]))
    try:
        outcomes = backend.evaluate(facts(technology__coke_oven_chamber_height_m=4,
                                          capacity__net_added=5,
                                          location__in_chemical_park=False))
    finally:
        backend.close()
    assert outcomes == {"synthetic/r1": Outcome.VIOLATED}


@pytest.mark.parametrize("backend_name", BACKENDS)
def test_absence_only_rule_does_not_fire_on_the_session_state(make_rulebook, backend_name):
    rules = [synthetic_rule(1, leaf("emissions.ultra_low", "exists", False))]
    backend = create_backend(backend_name, make_rulebook(rules))
    try:
        assert backend.evaluate(facts()) == {"synthetic/r1": Outcome.VIOLATED}
        assert backend.evaluate(facts(emissions__ultra_low=True)) == {
            "synthetic/r1": Outcome.CLEAR}
    finally:
        backend.close()


@pytest.mark.parametrize("backend_name", BACKENDS)
@pytest.mark.parametrize(("value", "expected"), [
    (0.00001, Outcome.VIOLATED),  # json writes 1e-05, which the engine misparses
    (1e11, Outcome.VIOLATED),  # json writes 100000000000.0: fine, but scaled it is an int
    (0, Outcome.CLEAR),
    (0.0000004, Outcome.CLEAR),  # below the 6-decimal quantum: exactly 0 for both backends
])
def test_awkward_numbers_reach_the_engine_as_exact_integers(make_rulebook, backend_name, value,
                                                             expected):
    backend = create_backend(backend_name, make_rulebook(
        [synthetic_rule(1, leaf("capacity.net_added", ">", 0))]))
    try:
        outcome = backend.evaluate(facts(capacity__net_added=value))
    finally:
        backend.close()
    assert outcome == {"synthetic/r1": expected}


def test_engine_fact_has_no_exponent_and_own_id():
    text = with_id(fact_body({"capacity.net_added": exact(0.00001), "industry.coking": True}), 7)
    assert "e-" not in text.lower() and "e+" not in text.lower()
    key = rulesets.engine_key("capacity.net_added")
    assert '"id": 7' in text and f'"{key}": 10' in text
    assert exact(1e-05) == Decimal("0.00001")


def test_engine_keys_are_short_distinct_stable_and_never_reserved():
    """A fact's text is parsed at every assert and retract: each path has a short name, its
    own, the same every time, and never one the engine keeps for itself."""
    paths = [f"synthetic.field_{number}" for number in range(300)] + [
        "id", "sid", "kind", "location.city_code"]
    keys = [rulesets.engine_key(path) for path in paths]
    assert len(set(keys)) == len(paths)
    assert not {"id", "sid", "kind"} & set(keys)
    assert max(map(len, keys)) <= 6
    assert [rulesets.engine_key(path) for path in paths] == keys


_PATHS = ("location.city", "industry.coking", "capacity.net_added", "products.vehicle_emission_standard")


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(values=st.lists(st.one_of(st.booleans(), st.text(), st.decimals(-10**6, 10**6, places=4)),
                       min_size=len(_PATHS), max_size=len(_PATHS)),
       keep=st.lists(st.booleans(), min_size=len(_PATHS), max_size=len(_PATHS)))
def test_a_fact_text_is_the_json_of_the_facts_a_ruleset_reads(values, keep):
    """Values are written straight into the fact's text: any text (quotes, backslashes,
    control characters, CJK) and any number must read back as `engine_value` gives it."""
    facts = {path: value for path, value, kept in zip(_PATHS, values, keep, strict=True) if kept}
    fields = durable_backend.fact_fields(_PATHS[1:])
    text = with_id(fact_body(facts, fields), 9)
    assert text.startswith(durable_backend.PROJECT_FACT)
    expected = {rulesets.engine_key(path): rulesets.engine_value(value)
                for path, value in facts.items() if path != _PATHS[0]}
    assert json.loads(text) == {"kind": "project", "id": 9, **expected}
    assert json.loads(with_id(fact_body(facts), 9)) == {
        "kind": "project", "id": 9, **{rulesets.engine_key(path):
                                       rulesets.engine_value(value)
                                       for path, value in facts.items()}}


def test_threads_give_the_same_results_as_serial(make_rulebook):
    backend = create_backend("durable", make_rulebook(three_rules()))
    cases = [facts(technology__coke_oven_chamber_height_m=h / 10, capacity__net_added=n,
                   location__in_chemical_park=p)
             for h in range(38, 50) for n in (-1, 0, 1) for p in (True, False)]
    serial = [backend.evaluate(case) for case in cases]
    results: dict[int, list] = {}

    def worker(index: int) -> None:
        results[index] = [backend.evaluate(case) for case in cases]

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    backend.close()
    assert all(results[i] == serial for i in range(8))


def test_compiler_refuses_a_rule_with_too_many_simultaneous_branches(make_rulebook):
    condition = {"any": [leaf(f"fuel.f{i}", "==", True) for i in range(70)]}
    with pytest.raises(EngineLimitError, match=r"synthetic/r1.*branches"):
        partition(make_rulebook([synthetic_rule(1, condition)]))


def test_compiler_refuses_nesting_too_deep(make_rulebook):
    condition: dict = leaf(HEIGHT, "<=", 4.3)
    for level in range(8):
        key = "all" if level % 2 else "any"
        condition = {key: [condition, leaf(f"x.f{level}", "==", True)]}
    with pytest.raises(EngineLimitError, match="nested"):
        partition(make_rulebook([synthetic_rule(1, condition)]))


def test_compiler_refuses_too_many_distinct_conditions(make_rulebook):
    condition = leaf(HEIGHT, "in", list(range(600)))
    with pytest.raises(EngineLimitError, match="distinct comparisons"):
        partition(make_rulebook([synthetic_rule(1, condition)]))


@pytest.mark.parametrize("backend_name", BACKENDS)
def test_any_industry_rule_binds_every_industry_and_its_where_narrows_it(make_rulebook,
                                                                         backend_name):
    rule = synthetic_rule(1, leaf("procedures.joint_review_passed", "==", False),
                          industries=("*",),
                          where=leaf("energy.two_high_effective", "==", True))
    backend = create_backend(backend_name, make_rulebook([rule]))
    try:
        plastics = {"industry.coking": False, "project_type": "new",
                    "energy.two_high_effective": True, "procedures.joint_review_passed": False}
        assert backend.evaluate(plastics) == {"synthetic/r1": Outcome.VIOLATED}
        not_two_high = {**plastics, "energy.two_high_effective": False}
        assert backend.evaluate(not_two_high) == {"synthetic/r1": Outcome.NOT_APPLICABLE}
    finally:
        backend.close()


def test_threads_on_the_real_rulebook_match_serial_and_the_oracle(rulebook):
    """8 threads sharing one checker's engine, on the shipped rules and the example projects."""
    examples = Path(__file__).resolve().parents[2] / "examples" / "projects"
    cases = [derive(parse_form(read_form_file(path))).values
             for path in sorted(examples.glob("*.yaml")) if not path.stem.endswith(".expected")]
    engine, oracle = create_backend("durable", rulebook), create_backend("python", rulebook)
    try:
        serial = [engine.evaluate(case) for case in cases]
        assert serial == [oracle.evaluate(case) for case in cases]
        results: dict[int, list] = {}

        def worker(index: int) -> None:
            results[index] = [engine.evaluate(case) for case in cases * 5]

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        engine.close()
        oracle.close()
    assert all(results[i] == serial * 5 for i in range(8))
