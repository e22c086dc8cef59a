"""An address is read by the names in it alone: once per arrangement of names, the same as
reading every address afresh (the search as it was, kept here as the specification)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.reference import address, city_names, county_places, province_names
from compliance.reference._division_index import Place, consistent

SAMPLE = random.Random(2260)
COUNTIES = SAMPLE.sample([place.county for place in county_places() if place.county], 300)
NAMES = [*province_names(), *(name[:2] for name in province_names()), *city_names(),
         *(name[:-1] for name in city_names() if len(name) > 2), *COUNTIES,
         "朝阳区", "鼓楼区", "吉林市", "吉林省", "杨凌示范区"]
FILLERS = ["", "马家乡", "东小庄村", "文明大道72号", "工业园区", "中国", "产业集聚区", "镇", "路", "12"]


def searched_afresh(cleaned: str) -> tuple[Place, ...]:
    """The search before names were remembered: every position of the text, every chain."""
    table = address._spellings_by_start()
    found = [[entry for entry in table.get(cleaned[position:position + 2], ())
              if cleaned.startswith(entry[0], position)] for position in range(len(cleaned))]

    def steps(position, level, chosen):
        ways = [(position, chosen, 0, 0)]
        if position < len(found):
            for spelling, entry_level, places, is_exact in found[position]:
                fitting = [place for place in places if not chosen or any(
                    consistent(place, previous) for previous in chosen[-1])]
                if entry_level == level and fitting:
                    ways.append((position + len(spelling), [*chosen, fitting], len(spelling),
                                 int(is_exact)))
        return ways

    best, best_chain = None, []
    for start in range(len(cleaned)):
        for after_p, provinces, p_size, p_exact in steps(start, "province", []):
            for after_c, cities, c_size, c_exact in steps(after_p, "city", provinces):
                for _, counties, k_size, k_exact in steps(after_c, "county", cities):
                    if counties:
                        score = (p_size + c_size + k_size, len(counties),
                                 p_exact + c_exact + k_exact, -start)
                        if best is None or score > best:
                            best, best_chain = score, counties
    if not best_chain:
        return ()
    places = best_chain[-1]
    for previous in best_chain[:-1]:
        places = [p for p in places if any(consistent(p, other) for other in previous)]
    return tuple(places)


addresses = st.lists(st.sampled_from(NAMES + FILLERS), min_size=1, max_size=6).map("".join)


@pytest.mark.slow
@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(texts=st.lists(addresses, min_size=1, max_size=4))
def test_an_address_reads_as_it_did_when_read_afresh(texts: list[str]) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(address, "NAMED_SIZE", 3)  # emptied often, and kept across texts
        for text in texts:
            assert address._places_in.__wrapped__(text) == searched_afresh(text), text


@pytest.mark.parametrize("texts", [
    ("河南省安阳市龙安区马家乡", "河南省安阳市龙安区东小庄村", "中国河南省安阳市龙安区文明大道72号"),
    ("朝阳区三里屯", "朝阳区建国路"),
    ("安阳县白璧镇", "工业园区安阳县"),
])
def test_addresses_naming_the_same_places_alike_are_read_once(texts, monkeypatch) -> None:
    monkeypatch.setattr(address, "_NAMED", {})
    readings = {address._places_in.__wrapped__(text) for text in texts}
    assert len(readings) == 1 and len(address._NAMED) == 1


def test_a_different_name_is_read_again(monkeypatch) -> None:
    monkeypatch.setattr(address, "_NAMED", {})
    first = address._places_in.__wrapped__("河南省安阳市龙安区")
    second = address._places_in.__wrapped__("河南省安阳市文峰区")
    assert first != second and len(address._NAMED) == 2
