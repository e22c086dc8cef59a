"""Resolving locations as people write them to GB/T 2260 divisions."""

from __future__ import annotations

import os
import random
import subprocess
import sys

import pytest

from compliance.reference import (
    Place,
    ReferenceLookupError,
    address,
    city_names,
    county_places,
    parse_address,
    place_from_code,
    province_names,
    resolve_place,
)

LONGAN = Place("410000", "河南省", "410500", "安阳市", "410506", "龙安区")
TONGREN = Place("520000", "贵州省", "520600", "铜仁市")
ANYANG = Place("410000", "河南省", "410500", "安阳市")
HENAN = Place("410000", "河南省")


def error_of(**fields: str) -> ReferenceLookupError:
    with pytest.raises(ReferenceLookupError) as caught:
        resolve_place(**fields)
    return caught.value


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"city": "安阳"}, ANYANG),
        ({"city": "安阳市"}, ANYANG),
        ({"city": " 安阳\u3000市 "}, ANYANG),
        ({"county": "龙安区"}, LONGAN),
        ({"county": "龙安"}, LONGAN),
        ({"admin_code": "410506"}, LONGAN),
        ({"admin_code": "４１０５０６"}, LONGAN),
        ({"admin_code": "410500"}, ANYANG),
        ({"admin_code": "410000"}, HENAN),
        ({"province": "河南"}, HENAN),
        ({"province": "河南省"}, HENAN),
        ({"province": "河南省", "city": "安阳市", "county": "龙安区"}, LONGAN),
        ({"province": "河南", "city": "安阳", "county": "龙安"}, LONGAN),
        ({"admin_code": "410500", "county": "龙安区"}, LONGAN),
        ({"admin_code": "410506", "province": "河南", "city": "安阳"}, LONGAN),
        ({"city": "铜仁地区"}, TONGREN),  # a former name (地区 → 市) is forgiven
    ],
)
def test_anyang_spellings(fields: dict[str, str], expected: Place) -> None:
    assert resolve_place(**fields) == expected


@pytest.mark.parametrize(("fields", "suggested"), [
    ({"city": "安阳市", "county": "龙安县"}, "河南省安阳市龙安区"),  # never existed: asked
    ({"city": "安阳市", "county": "汤阴区"}, "河南省安阳市汤阴县"),
    ({"county": "龙安县"}, "河南省安阳市龙安区"),
])
def test_a_suffix_the_division_never_had_is_an_error_with_a_suggestion(
        fields: dict[str, str], suggested: str) -> None:
    with pytest.raises(ReferenceLookupError) as caught:
        resolve_place(**fields)
    assert f"是否为「{suggested}」" in caught.value.message_zh


def test_integer_admin_code() -> None:
    assert resolve_place(admin_code=410506) == LONGAN  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("province", "expected"),
    [
        ("内蒙古", "内蒙古自治区"),
        ("内蒙", "内蒙古自治区"),
        ("广西", "广西壮族自治区"),
        ("宁夏", "宁夏回族自治区"),
        ("新疆", "新疆维吾尔自治区"),
        ("西藏", "西藏自治区"),
        ("黑龙江", "黑龙江省"),
    ],
)
def test_province_short_names(province: str, expected: str) -> None:
    assert resolve_place(province=province).province == expected


@pytest.mark.parametrize(
    "fields",
    [{"province": "北京"}, {"province": "北京市"}, {"city": "北京"}, {"admin_code": "110000"},
     {"admin_code": "110100"}, {"province": "北京", "city": "北京市"}],
)  # fmt: skip
def test_municipality_is_its_own_city(fields: dict[str, str]) -> None:
    assert resolve_place(**fields) == Place("110000", "北京市", "110000", "北京市")


def test_municipality_district() -> None:
    expected = Place("110000", "北京市", "110000", "北京市", "110105", "朝阳区")
    assert resolve_place(city="北京", county="朝阳区") == expected
    assert resolve_place(province="北京市", county="朝阳区") == expected
    assert resolve_place(admin_code="110105") == expected
    assert expected.full_name == "北京市朝阳区"
    assert resolve_place(admin_code="500200").city == "重庆市"  # 重庆 县 rows


@pytest.mark.parametrize(
    "fields",
    [{"city": "济源"}, {"city": "济源市"}, {"county": "济源市"}, {"admin_code": "419001"},
     {"province": "河南", "city": "济源市", "county": "济源市"}],
)  # fmt: skip
def test_county_under_a_province_is_its_own_city(fields: dict[str, str]) -> None:
    place = resolve_place(**fields)
    assert place == Place("410000", "河南省", "419001", "济源市", "419001", "济源市")
    assert place.full_name == "河南省济源市"


def test_other_counties_under_a_province() -> None:
    assert resolve_place(county="仙桃市") == Place(
        "420000", "湖北省", "429004", "仙桃市", "429004", "仙桃市"
    )
    assert resolve_place(city="神农架").county_code == "429021"


def test_grouping_code_of_counties_under_a_province_is_refused() -> None:
    with pytest.raises(ReferenceLookupError, match="419000"):
        resolve_place(admin_code="419000")


def test_city_without_districts_is_its_own_county() -> None:
    assert resolve_place(city="东莞") == Place(
        "440000", "广东省", "441900", "东莞市", "441900", "东莞市"
    )
    assert resolve_place(admin_code="620200").county_code == "620201"  # 嘉峪关市


def test_county_level_city_written_as_city() -> None:
    place = resolve_place(province="河南", city="林州市")
    assert (place.city, place.county) == ("安阳市", "林州市")


def test_special_zones() -> None:
    assert resolve_place(province="陕西", city="杨凌示范区").county_code == "610403"
    assert resolve_place(county="杨凌区").county == "杨陵区"
    error = error_of(province="河北", city="雄安新区")
    assert str(error) == (
        "location.city: 「雄安新区」没有自己的行政区划代码，请填写其所辖县：雄县、容城县、安新县"
    )
    assert error.candidates == ("雄县", "容城县", "安新县")


def test_autonomous_prefecture_short_names() -> None:
    assert resolve_place(city="恩施州").city == "恩施土家族苗族自治州"
    assert resolve_place(city="恩施").city_code == "422800"
    assert resolve_place(county="长阳").county == "长阳土家族自治县"


def test_ambiguous_county_lists_candidates() -> None:
    error = error_of(county="朝阳区")
    assert str(error) == (
        "location.county: 「朝阳区」不唯一（北京市朝阳区、吉林省长春市朝阳区），请同时填写城市"
    )
    assert error.field == "location.county"
    assert error.candidates == ("北京市朝阳区", "吉林省长春市朝阳区")
    assert resolve_place(city="长春", county="朝阳区").county_code == "220104"


def test_inconsistent_fields_name_both() -> None:
    error = error_of(city="安阳市", province="湖北")
    message = str(error)
    assert message.startswith("location.city: ")
    assert "安阳市" in message and "location.province「湖北」" in message and "湖北省" in message
    error = error_of(admin_code="420902", city="安阳")
    assert "location.admin_code「420902」" in str(error)
    error = error_of(city="长春", county="龙安区")
    assert str(error).startswith("location.county: ")


def test_unknown_city_with_a_suggestion() -> None:
    error = error_of(province="河南", city="安洋")
    assert str(error) == "location.city: 未知城市「安洋」，是否为「安阳市」？"
    assert error.candidates == ("安阳市",)
    # Without the province the homophone typo cannot be ranked: near ties come together.
    error = error_of(city="安洋")
    assert str(error).startswith("location.city: 未知城市「安洋」，是否为")
    assert "安阳市" in error.candidates


def test_unknown_province_and_county() -> None:
    assert str(error_of(province="河楠")).startswith("location.province: 未知省份「河楠」")
    assert "河南省" in error_of(province="河楠").candidates
    assert str(error_of(city="安阳", county="龙按区")).startswith("location.county: 未知区县")


def test_name_in_the_wrong_field() -> None:
    assert str(error_of(province="河南", county="安阳市")) == (
        "location.county: 「安阳市」是城市名称，不是区县；请填写在 location.city"
    )
    assert "location.province" in str(error_of(city="河南省"))


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("419999", "location.admin_code: 未知行政区划代码「419999」"),
        ("4105", "location.admin_code: 行政区划代码应为6位数字（GB/T 2260），收到「4105」"),
    ],
)
def test_bad_codes(code: str, message: str) -> None:
    assert str(error_of(admin_code=code)) == message


def test_nothing_given() -> None:
    assert error_of().field == "location"
    assert error_of(city="  ").field == "location"


def test_field_prefix() -> None:
    with pytest.raises(ReferenceLookupError) as caught:
        resolve_place(county="朝阳区", field_prefix="site")
    assert str(caught.value).startswith("site.county: ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("河南省安阳市龙安区马家乡", LONGAN),
        ("安阳市龙安区", LONGAN),
        ("河南安阳龙安区", LONGAN),
        ("中国河南省安阳市龙安区文明大道72号", LONGAN),
        ("湖北孝感市孝南区", Place("420000", "湖北省", "420900", "孝感市", "420902", "孝南区")),
        ("北京市朝阳区建国路", Place("110000", "北京市", "110000", "北京市", "110105", "朝阳区")),
        ("吉林省吉林市船营区", Place("220000", "吉林省", "220200", "吉林市", "220204", "船营区")),
        ("安阳县白璧镇", Place("410000", "河南省", "410500", "安阳市", "410522", "安阳县")),
        ("河北省 保定市 雄县", Place("130000", "河北省", "130600", "保定市", "130638", "雄县")),
        ("河南省郑州市", Place("410000", "河南省", "410100", "郑州市")),
        ("河南省济源市", Place("410000", "河南省", "419001", "济源市", "419001", "济源市")),
    ],
)  # fmt: skip
def test_parse_address(text: str, expected: Place) -> None:
    assert parse_address(text) == expected


def test_parse_address_refuses_ambiguity_and_garbage() -> None:
    with pytest.raises(ReferenceLookupError) as caught:
        parse_address("朝阳区三里屯")
    assert caught.value.candidates == ("北京市朝阳区", "吉林省长春市朝阳区")
    with pytest.raises(ReferenceLookupError) as caught:
        parse_address("no address here")
    assert caught.value.field == "location.address"


def test_a_remembered_address_answers_and_refuses_as_the_first_time() -> None:
    """Addresses are remembered (a list's address column repeats its places): the same
    place each time, the refusal naming the field it is asked for, and an address too long
    to remember read the same way."""
    for _ in range(2):
        assert parse_address("河南省安阳市龙安区") == LONGAN
        for field in ("location.address", "建设地点"):
            with pytest.raises(ReferenceLookupError) as caught:
                parse_address("朝阳区三里屯", field)
            assert caught.value.field == field
            assert caught.value.message_zh.startswith(f"{field}: ")
    long = "河南省安阳市龙安区" + "马家乡东小庄村" * 40
    assert len(long) > address.REMEMBERED_CHARS
    assert parse_address(long) == parse_address("河南省安阳市龙安区")


def test_every_spelling_an_address_may_hold_has_two_characters_to_be_found_by() -> None:
    """Addresses are searched by the first two characters of each spelling: a one-character
    name or alias would never be found."""
    table = address._spellings_by_start()
    spellings = [entry[0] for entries in table.values() for entry in entries]
    assert len(spellings) > 3000 and all(len(spelling) >= 2 for spelling in spellings)
    assert all(entry[0][:2] == start for start, entries in table.items() for entry in entries)


def test_helper_name_lists_resolve() -> None:
    assert len(province_names()) == 31
    assert "安阳市" in city_names()
    for name in province_names():
        assert resolve_place(province=name).province == name
    for name in city_names():
        assert resolve_place(city=name).city == name


def test_every_county_round_trips_by_code() -> None:
    places = list(county_places())
    assert len(places) == 2978
    for place in places:
        assert place_from_code(place.county_code or "") == place


def test_sample_of_counties_round_trips_by_city_and_county_name() -> None:
    places = random.Random(4754).sample(list(county_places()), 200)
    for place in places:
        assert resolve_place(city=place.city, county=place.county) == place
        assert resolve_place(admin_code=place.county_code) == place
        assert parse_address(place.full_name) == place


def test_a_text_no_name_is_as_long_as_gets_no_suggestion_and_no_search() -> None:
    """The "did you mean" search is bounded: a 480-character county is no misspelling."""
    from compliance.reference.data import MAX_SUGGEST_CHARS, suggest

    choices = [("龙安区", "河南省安阳市龙安区"), ("殷都区", "河南省安阳市殷都区")]
    assert suggest("龙按区", choices) == ("河南省安阳市龙安区",)
    assert suggest("龙安区" * 14, choices) == ()
    assert len("龙安区" * 14) > MAX_SUGGEST_CHARS
    with pytest.raises(ReferenceLookupError) as caught:
        resolve_place(None, "安阳市", "龙安区" * 160, None)
    assert "是否为" not in caught.value.message_zh


def test_a_homophone_is_heard_without_pypinyins_phrase_dictionary() -> None:
    """The dictionary (45 MiB a process) read polyphones by word (厦门 xià); every reading of
    each character is taken instead, so 夏门 still sounds like 厦门."""
    script = ("from compliance.reference import ReferenceLookupError, resolve_place\n"
              "for typed in ('夏门', '冲庆', '场沙'):\n"
              "    try:\n        resolve_place(city=typed)\n"
              "    except ReferenceLookupError as error:\n        print(error.message_zh)\n"
              "import pypinyin.constants\nprint(len(pypinyin.constants.PHRASES_DICT))\n")
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYPINYIN")}
    shown = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           env=env, check=True).stdout.splitlines()
    assert shown == ["location.city: 未知城市「夏门」，是否为「厦门市」？",
                     "location.city: 未知城市「冲庆」，是否为「重庆市」？",
                     "location.city: 未知城市「场沙」，是否为「长沙市」？", "0"]
