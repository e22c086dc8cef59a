"""Key regions (重点区域, 2018 and 2023 definitions) and the Yangtze River Economic Belt."""

from __future__ import annotations

import pytest

from compliance.reference import (
    KEY_REGION_DEFINITIONS,
    ReferenceLookupError,
    RegionUndeterminedError,
    in_yangtze_belt,
    key_region,
    key_region_members,
    key_region_names,
    place_from_code,
    resolve_place,
    yangtze_reach,
)
from compliance.reference.data import read_csv

ANYANG = resolve_place(city="安阳")
XIAOGAN = resolve_place(city="孝感")


def test_definitions() -> None:
    assert KEY_REGION_DEFINITIONS == ("2018", "2023")
    for definition in KEY_REGION_DEFINITIONS:
        assert key_region_names(definition) == ("京津冀及周边", "长三角", "汾渭平原")
    with pytest.raises(ReferenceLookupError):
        key_region(ANYANG, "2020")


@pytest.mark.parametrize("row", read_csv("key_regions.csv"), ids=lambda row: row["name"])
def test_every_key_region_row_resolves_to_a_place(row: dict[str, str]) -> None:
    codes = row["member_codes"].split(";")
    assert codes and all(codes)
    if row["gbt2260_code"]:
        assert row["gbt2260_code"] in codes
    for code in codes:
        place = place_from_code(code)
        names = {place.province, place.city, place.county}
        if row["name"] == "雄安新区":
            assert place.county in {"雄县", "容城县", "安新县"}
        elif row["name"] == "杨凌示范区":
            assert place.county == "杨陵区"
        else:
            assert row["name"] in names
        if row["province"]:
            assert place.province.startswith(row["province"])
        assert key_region(place, row["definition"]) == row["region"]
    if row["province"] and row["gbt2260_code"]:  # and by the names people write
        place = resolve_place(province=row["province"], city=row["name"])
        assert place.code == row["gbt2260_code"]


@pytest.mark.parametrize("definition", KEY_REGION_DEFINITIONS)
def test_regions_of_one_definition_do_not_overlap(definition: str) -> None:
    seen: dict[str, str] = {}
    for member in key_region_members(definition):
        for code in member.member_codes:
            assert seen.setdefault(code, member.region) == member.region, code


def test_anyang_and_xiaogan() -> None:
    assert key_region(ANYANG, "2018") == "京津冀及周边"
    assert key_region(ANYANG, "2023") == "京津冀及周边"
    assert not in_yangtze_belt(ANYANG)
    assert yangtze_reach(ANYANG) is None
    assert in_yangtze_belt(XIAOGAN)
    assert yangtze_reach(XIAOGAN) == "middle"
    assert key_region(XIAOGAN, "2018") is None
    assert key_region(XIAOGAN, "2023") is None


def test_counties_inherit_their_city() -> None:
    assert key_region(resolve_place(county="龙安区"), "2018") == "京津冀及周边"
    assert key_region(resolve_place(county="孝南区"), "2018") is None


def test_county_level_members() -> None:
    for county in ("雄县", "容城县", "安新县"):
        assert key_region(resolve_place(province="河北", county=county), "2018") == "京津冀及周边"
    assert key_region(resolve_place(county="杨陵区"), "2018") == "汾渭平原"
    assert key_region(resolve_place(city="济源"), "2023") == "京津冀及周边"
    assert key_region(resolve_place(city="济源"), "2018") is None


def test_definitions_differ() -> None:
    luoyang = resolve_place(city="洛阳")
    assert key_region(luoyang, "2018") == "汾渭平原"
    assert key_region(luoyang, "2023") == "京津冀及周边"
    taiyuan = resolve_place(city="太原")
    assert key_region(taiyuan, "2018") == "京津冀及周边"
    assert key_region(taiyuan, "2023") == "汾渭平原"
    wenzhou = resolve_place(city="温州")
    assert key_region(wenzhou, "2018") == "长三角"  # 2018: whole provinces
    assert key_region(wenzhou, "2023") is None
    assert key_region(resolve_place(city="杭州"), "2023") == "长三角"


def test_whole_provinces() -> None:
    assert key_region(resolve_place(province="江苏"), "2018") == "长三角"
    assert key_region(resolve_place(city="上海"), "2023") == "长三角"
    assert key_region(resolve_place(province="北京"), "2018") == "京津冀及周边"
    assert key_region(resolve_place(province="湖北"), "2018") is None


@pytest.mark.parametrize(("province", "definition"), [("河南", "2018"), ("浙江", "2023")])
def test_a_province_alone_cannot_say(province: str, definition: str) -> None:
    with pytest.raises(RegionUndeterminedError) as caught:
        key_region(resolve_place(province=province), definition)
    assert caught.value.missing == "location.city"
    assert str(caught.value).startswith("location.city: ")


@pytest.mark.parametrize(
    ("province", "reach"),
    [("上海", "lower"), ("江苏", "lower"), ("浙江", "lower"), ("安徽", "lower"),
     ("江西", "middle"), ("湖北", "middle"), ("湖南", "middle"),
     ("重庆", "upper"), ("四川", "upper"), ("贵州", "upper"), ("云南", "upper")],
)  # fmt: skip
def test_yangtze_belt_provinces(province: str, reach: str) -> None:
    place = resolve_place(province=province)
    assert in_yangtze_belt(place)
    assert yangtze_reach(place) == reach


@pytest.mark.parametrize("province", ["北京", "河南", "广东", "陕西", "西藏", "青海"])
def test_outside_the_yangtze_belt(province: str) -> None:
    place = resolve_place(province=province)
    assert not in_yangtze_belt(place)
    assert yangtze_reach(place) is None
