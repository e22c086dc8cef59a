"""The project's place as facts: where it is, and where the capacity it retires was.

A place comes from the location the form writes, else from the 项目代码 (stated as read from it);
a code whose place disagrees with the written one is a conflict, never a silent pick. Key region,
Yangtze belt and reach are computed here once, for the project and for its retired capacity.
"""

from __future__ import annotations

from functools import lru_cache

from compliance.conditions import Scalar
from compliance.errors import FieldProblem
from compliance.form import ProjectForm
from compliance.reference import (
    KEY_REGION_DEFINITIONS,
    Place,
    ProjectCode,
    ReferenceLookupError,
    RegionUndeterminedError,
    consistent_places,
    decode_project_code,
    in_yangtze_belt,
    key_region,
    parse_address,
    place_from_code,
    resolve_place,
    riverside_river,
    yangtze_reach,
)


def problem_from(error: ReferenceLookupError, default_path: str) -> FieldProblem:
    """The reference layer's messages start with their field path; keep it once."""
    path = error.field or default_path
    strip = len(path) + 2 if error.message_zh.startswith(f"{path}: ") else 0
    strip_en = len(path) + 2 if error.message_en.startswith(f"{path}: ") else 0
    return FieldProblem(path, error.message_zh[strip:], error.message_en[strip_en:])


def project_place(form: ProjectForm, problems: list[FieldProblem],
                  assumptions: dict[str, str]) -> Place | None:
    """The written place; else the place in the project code, stated as read from it. A code
    whose place disagrees with the written one is a conflict, never a silent pick."""
    location = form.location
    coded = _coded_place(form, problems)
    if not any((location.province, location.city, location.county, location.admin_code)):
        if coded is not None:
            reading = f"建设地点按项目代码「{coded.text}」读出：{coded.describe_zh}"
            assumptions.update(dict.fromkeys(PLACE_FACTS, reading))
            return coded.place
        return None
    try:
        written = resolve_place(location.province, location.city, location.county,
                                location.admin_code)
    except ReferenceLookupError as error:
        problems.append(problem_from(error, "location"))
        return None
    if coded is not None and not consistent_places(written, coded.place):
        problems.append(FieldProblem(
            "project_code", f"项目代码中的建设地点为「{coded.place.full_name}」，与填写的地点"
            f"「{written.full_name}」不一致，请核对", "the project code's place "
            f"{coded.place.code} disagrees with the location {written.code}"))
    return written


#: the facts that come from the project's place
PLACE_FACTS = ("location.province_code", "location.city_code", "location.county_code",
               "region.key_region_2018", "region.key_region_2023", "region.yangtze_belt",
               "region.yangtze_reach")


def _coded_place(form: ProjectForm, problems: list[FieldProblem]) -> ProjectCode | None:
    if form.project_code is None:
        return None
    try:
        return decode_project_code(form.project_code)
    except ReferenceLookupError as error:
        problems.append(problem_from(error, "project_code"))
        return None


def region_facts(place: Place | None) -> dict[str, Scalar]:
    return {} if place is None else dict(_region_facts(place))


@lru_cache(maxsize=4096)
def _region_facts(place: Place) -> tuple[tuple[str, Scalar], ...]:
    """Remembered per place: a list has few places, and each asks every region's membership."""
    values: dict[str, Scalar] = {"location.province_code": place.province_code,
                                 "region.yangtze_belt": in_yangtze_belt(place),
                                 "region.yangtze_reach": yangtze_reach(place) or "outside"}
    if place.city_code:
        values["location.city_code"] = place.city_code
    if place.county_code:
        values["location.county_code"] = place.county_code
    for definition in KEY_REGION_DEFINITIONS:
        try:
            values[f"region.key_region_{definition}"] = key_region(place, definition) is not None
        except RegionUndeterminedError:
            continue  # a province alone cannot say: unknown, so rules that need it ask for it
    return tuple(values.items())


def retired_place_facts(form: ProjectForm, problems: list[FieldProblem]) -> dict[str, Scalar]:
    """Where the retired capacity was, for the capacity rules of a region: capacity retired in
    another province adds to the region the project is in (工信部节〔2018〕136号 二、（二） counts
    new capacity in the key region, not nationwide)."""
    written = form.capacity.retired_location
    if written is None:
        return {}
    path = "capacity.retired_location"
    try:
        place = (place_from_code(written.strip(), path) if written.strip().isdigit()
                 else parse_address(written, path))
    except ReferenceLookupError as error:
        problems.append(problem_from(error, path))
        return {}
    regional = region_facts(place)
    return {f"capacity.retired_{name.split('.', 1)[1]}": value
            for name, value in regional.items()}


def riverside_city_facts(place: Place | None, declared: bool | None,
                         assumptions: dict[str, str]) -> dict[str, Scalar]:
    """`region.riverside_city`: a 沿江城市 by the reference table, not a question for the form.
    A city the table lists is one (whatever the form says, and the result says why); a place
    outside the Yangtze belt is not; for any other city the form's answer counts, else unknown."""
    river = riverside_river(place) if place is not None else None
    if river is not None:
        assumptions["region.riverside_city"] = f"{place.city}位于{river}沿岸，属沿江城市（参考数据）"
        return {"region.riverside_city": True}
    if place is not None and not in_yangtze_belt(place):
        return {"region.riverside_city": False}
    return {} if declared is None else {"region.riverside_city": declared}
