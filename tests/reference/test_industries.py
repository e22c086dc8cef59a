"""GB/T 4754-2017 lookups and the rulebook's industry keys."""

from __future__ import annotations

import pytest

from compliance.reference import (
    ReferenceLookupError,
    all_industry_keys,
    classes,
    industry_key_names,
    industry_keys,
    lookup_code,
    resolve_industry,
    rulebook_keys,
    two_high_keys,
)
from compliance.reference import industries as industries_module

REQUIRED_KEYS = {
    "coking", "steel", "iron_making", "steel_making", "steel_rolling", "ferroalloy", "cement",
    "flat_glass", "glass", "electrolytic_aluminium", "aluminium_carbon", "casting",
    "refractories", "ceramics", "brick_tile", "synthetic_ammonia", "methanol", "coal_chemical",
    "nitrogen_fertiliser", "phosphate_fertiliser", "phosphorus_chemical", "pesticides",
    "chemical_api", "pharmaceutical", "paper", "printing_dyeing", "leather", "electroplating",
    "petroleum_refining", "chemical", "chemical_fibre", "non_ferrous", "heavy_metal",
    "shipbuilding", "coal_power", "coatings_inks_adhesives", "automobile", "lime",
    "brown_fused_alumina",
}  # fmt: skip


@pytest.mark.parametrize("value", ["C2521", "2521", "Ｃ２５２１", " c2521 ", "炼焦", "C 2521"])
def test_coking_spellings_resolve_to_the_class(value: str) -> None:
    resolved = resolve_industry(value)
    assert resolved.code == "C2521"
    assert resolved.name == "炼焦"
    assert resolved.level == "class"
    # coking is one of the six energy-intensive industries (C25), which contain all of C2521
    assert resolved.keys == {"coking", "energy_intensive"}
    assert resolved.possible_keys == resolved.keys
    assert resolved.warnings == ()


def test_integer_code_from_yaml_is_accepted() -> None:
    assert resolve_industry(2521).code == "C2521"


@pytest.mark.parametrize(
    ("value", "code", "level"),
    [("C252", "C252", "group"), ("252", "C252", "group"), ("C25", "C25", "division")],
)
def test_coarse_codes_carry_only_covering_keys(value: str, code: str, level: str) -> None:
    resolved = resolve_industry(value)
    assert (resolved.code, resolved.level) == (code, level)
    assert "coking" not in resolved.keys  # C25 may or may not be coking ...
    assert "coking" in resolved.possible_keys  # ... so a coking rule can ask, not pass


def test_division_code_carries_the_division_key() -> None:
    assert resolve_industry("C31").keys == {"ferrous_metallurgy", "energy_intensive"}
    assert resolve_industry("C26").keys == {"chemical", "chemical_raw_materials", "energy_intensive"}


def test_rulebook_key_resolves_with_its_covering_keys() -> None:
    coking = resolve_industry("coking")
    assert coking.code is None
    assert coking.level == "key"
    assert coking.name == industry_key_names()["coking"]
    assert coking.keys == {"coking", "energy_intensive"}
    assert resolve_industry("Coking").keys == {"coking", "energy_intensive"}
    # a narrower key also carries the wider keys that contain all of it
    assert {"iron_making", "steel"} <= resolve_industry("iron_making").keys
    assert {"electrolytic_aluminium", "non_ferrous"} <= resolve_industry(
        "electrolytic_aluminium"
    ).keys
    steel = resolve_industry("steel")
    assert "steel" in steel.keys
    assert "iron_making" not in steel.keys
    assert {"iron_making", "steel_making"} <= steel.possible_keys


@pytest.mark.parametrize(("value", "key"), [
    ("焦化", "coking"), ("钢铁", "steel"), ("水泥", "cement"), ("化工", "chemical"),
    ("炼油", "petroleum_refining"), ("电解铝", "electrolytic_aluminium"),
    ("铝用炭素（预焙阳极）", "aluminium_carbon"),
])
def test_the_rulebook_keys_chinese_names_are_accepted(value: str, key: str) -> None:
    """Officers write 焦化, not `coking` or C2521: a key's own Chinese name means the key."""
    resolved = resolve_industry(value)
    assert resolved.code is None and key in resolved.keys


def test_a_list_inside_brackets_is_not_a_synonym() -> None:
    assert "含熟料、粉磨站" not in industries_module.key_names_zh()
    assert "熟料" not in industries_module.key_names_zh()


def test_group_and_class_with_the_same_name_mean_the_class() -> None:
    assert resolve_industry("炼铁").code == "C3110"
    assert resolve_industry("皮革鞣制加工").code == "C1910"


def test_name_variants_and_full_width_brackets() -> None:
    assert resolve_industry("木制品制造").code == "C203"
    assert resolve_industry("酒、饮料及精制茶制造业").code == "C15"
    assert resolve_industry("人造纤维(纤维素纤维)制造").code == "C2812"


def test_every_class_round_trips_by_digits_and_by_name() -> None:
    entries = list(classes())
    assert len(entries) == 1381
    for entry in entries:
        assert resolve_industry(entry.code[1:]).code == entry.code
        assert resolve_industry(entry.name).code == entry.code


def test_2011_code_2520_points_to_c2521() -> None:
    with pytest.raises(ReferenceLookupError) as caught:
        resolve_industry("C2520")
    assert str(caught.value) == (
        "industry: 未知行业代码「C2520」（GB/T 4754-2017 无此代码；"
        "2011版的2520「炼焦」在2017版为 C2521）"
    )
    assert caught.value.field == "industry"
    assert caught.value.candidates == ("C2521",)
    assert caught.value.message_en.startswith("industry: unknown industry code 'C2520'")
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("value", "expected"), [("2520", "C2521"), ("1310", "C131"), ("3150", "C3140")]
)
def test_vanished_2011_codes_are_refused_with_the_2017_code(value: str, expected: str) -> None:
    with pytest.raises(ReferenceLookupError) as caught:
        resolve_industry(value)
    assert "2011版" in str(caught.value)
    assert expected in str(caught.value)


@pytest.mark.parametrize("value", ["3130", "C3130", "3140", "3963"])
def test_codes_whose_meaning_changed_since_2011_carry_a_warning(value: str) -> None:
    resolved = resolve_industry(value)
    assert resolved.code is not None
    assert len(resolved.warnings) == 1
    assert "2011" in resolved.warnings[0]


def test_steel_rolling_warning_names_both_meanings() -> None:
    (warning,) = resolve_industry("3130").warnings
    assert "黑色金属铸造" in warning
    assert "钢压延加工" in warning


def test_unknown_name_gets_a_close_suggestion() -> None:
    with pytest.raises(ReferenceLookupError) as caught:
        resolve_industry("炼焦炭")
    assert str(caught.value) == "industry: 未知行业「炼焦炭」，是否为「C2521 炼焦」？"


def test_wrong_section_letter_suggests_the_right_one() -> None:
    with pytest.raises(ReferenceLookupError) as caught:
        resolve_industry("D2521")
    assert caught.value.candidates == ("C2521 炼焦",)


def test_unknown_code_suggests_codes_of_the_same_division() -> None:
    with pytest.raises(ReferenceLookupError) as caught:
        resolve_industry("C2599")
    assert caught.value.candidates
    assert all(candidate.startswith("C25") for candidate in caught.value.candidates)


@pytest.mark.parametrize("value", ["", "   ", "99999", "foo_bar", "C252x"])
def test_garbage_is_refused(value: str) -> None:
    with pytest.raises(ReferenceLookupError):
        resolve_industry(value)


def test_error_names_the_given_field() -> None:
    with pytest.raises(ReferenceLookupError) as caught:
        resolve_industry("炼焦炭", field="industry[1]")
    assert str(caught.value).startswith("industry[1]: ")
    assert caught.value.field == "industry[1]"


def test_rulebook_has_the_required_keys_with_existing_codes() -> None:
    keys = rulebook_keys()
    assert keys.keys() >= REQUIRED_KEYS
    assert all_industry_keys() == tuple(sorted(keys))
    assert industry_key_names().keys() == keys.keys()
    for key, entry in keys.items():
        assert entry.codes, key
        assert entry.name_zh and entry.name_en, key
        for code in entry.codes:
            assert lookup_code(code) is not None, (key, code)


def test_two_high_keys_are_defined_and_cover_the_six_sectors() -> None:
    assert two_high_keys() <= set(all_industry_keys())
    for code in ["D4411", "C2511", "C2614", "C2621", "C2521", "C3110", "C3120", "C3140",
                 "C3216", "C3011", "C3041", "C3071"]:  # fmt: skip
        assert industry_keys(code) & two_high_keys(), code
    for code in ["C3130", "C2641", "C2682", "C2710", "C3074", "C3391", "C3670"]:
        assert not industry_keys(code) & two_high_keys(), code


def test_key_decisions() -> None:
    keys = rulebook_keys()
    assert keys["steel"].codes == ("C3110", "C3120")
    assert "steel" not in industry_keys("C3130")
    assert "steel" not in industry_keys("C3140")
    assert "chemical" not in industry_keys("C2521")  # coking is its own sector
    assert {"chemical", "petroleum_refining"} <= industry_keys("C2511")
    assert {"chemical", "coal_chemical"} <= industry_keys("C2523")
    assert "chemical" not in industry_keys("C2710")
    assert "chemical" not in industry_keys("C2822")
    assert industry_keys("C3212") >= {"non_ferrous", "heavy_metal"}
    assert "non_ferrous" not in industry_keys("C3252")
    assert industry_keys("c3391") == {"casting"}
    assert industry_keys("C1762") == {"printing_dyeing"}


def test_lookup_code() -> None:
    entry = lookup_code("C2521")
    assert entry is not None and entry.name == "炼焦" and entry.level == "class"
    assert lookup_code("C2520") is None
    assert lookup_code("c25") is not None


def test_bad_rulebook_is_refused_at_load(monkeypatch: pytest.MonkeyPatch) -> None:
    bad = {"industries": {"coking": {"name_zh": "炼焦", "name_en": "Coking",
                                     "codes": ["C2520"]}},
           "two_high": ["coking"]}  # fmt: skip
    monkeypatch.setattr(industries_module, "read_yaml", lambda _path: bad)
    industries_module._rulebook.cache_clear()
    try:
        with pytest.raises(ValueError, match="C2520"):
            industries_module._rulebook()
    finally:
        monkeypatch.undo()
        industries_module._rulebook.cache_clear()
        industries_module.industry_keys.cache_clear()
        industries_module._overlapping_keys.cache_clear()
    assert "coking" in all_industry_keys()
