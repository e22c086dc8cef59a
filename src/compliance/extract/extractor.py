"""From a description to the partial form it states, with the words behind every fact.

Nothing is invented: a fact the text does not give stays absent, and a field the text gives two
different values for is a conflict, reported with both readings, and left absent. Capacities of
several products are settled by the project's industry when exactly one of them is its product
(年产焦炭200万吨、甲醇20万吨 in a coking project: 200万吨); otherwise they conflict too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from compliance.extract.capacity import CapacityReading, capacities, is_main_product, rates
from compliance.extract.context import (
    fuels,
    industries,
    park,
    project_codes,
    project_type,
    site,
)
from compliance.extract.equipment import equipment
from compliance.extract.found import Found
from compliance.extract.text import Normalised, normalise
from compliance.formdict import nest

#: readings of equipment the form has no field for (blast furnaces, converters, cells …)
READING_ONLY_PREFIX = "equipment."
#: list fields: every value found counts
LIST_FIELDS = ("industry", "fuel")
#: the products an industry's capacity is measured in
MAIN_PRODUCTS = {
    "C2521": ("焦炭", "兰炭", "半焦", "焦化", "冶金焦"), "C3110": ("铁", "生铁"), "C3120": ("钢", "粗钢"),
    "C3011": ("熟料", "水泥"), "C3041": ("玻璃", "平板玻璃"),
    "electrolytic_aluminium": ("电解铝", "原铝", "铝"), "aluminium_carbon": ("阳极", "炭素"),
    "C2621": ("合成氨",), "C2614": ("甲醇",), "casting": ("铸件",),
}


@dataclass(frozen=True)
class Reading:
    field: str
    value: Any
    text: str
    start: int
    end: int
    rule: str

    def to_json(self) -> dict[str, Any]:
        value = float(self.value) if isinstance(self.value, Decimal) else self.value
        return {"field": self.field, "value": value, "text": self.text, "start": self.start,
                "end": self.end, "rule": self.rule}


@dataclass(frozen=True)
class Conflict:
    field: str
    readings: tuple[Reading, ...]

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "values": [r.to_json()["value"] for r in self.readings],
                "readings": [reading.to_json() for reading in self.readings]}


@dataclass(frozen=True)
class Extraction:
    form: dict[str, Any]
    readings: tuple[Reading, ...]
    conflicts: tuple[Conflict, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        return {"form": self.form, "readings": [r.to_json() for r in self.readings],
                "conflicts": [conflict.to_json() for conflict in self.conflicts]}


def extract(text: str) -> Extraction:
    normal = normalise(text)
    body = normal.text
    found = [*project_codes(body), *project_type(body), *industries(body), *site(body),
             *park(body), *fuels(body), *equipment(body)]
    codes = tuple(item.value for item in found if item.field == "industry")
    found += list(_capacity_facts([*capacities(body), *rates(body)], codes))
    readings = tuple(_reading(normal, item) for item in found)
    flat: dict[str, Any] = {}
    conflicts: list[Conflict] = []
    for name in dict.fromkeys(reading.field for reading in readings):
        if name.startswith(READING_ONLY_PREFIX):
            continue  # equipment the form has no field for: a reading, not a fact
        mine = [reading for reading in readings if reading.field == name]
        values = list(dict.fromkeys(reading.value for reading in mine))
        if name in LIST_FIELDS:
            flat[name] = values
        elif len(values) == 1:
            flat[name] = values[0]
        else:
            conflicts.append(Conflict(name, tuple(mine)))
    if "capacity.unit" not in flat:  # amounts in units that disagree are no amounts at all
        for name in ("capacity.new", "capacity.retired", "capacity.existing"):
            flat.pop(name, None)
    elif not {"capacity.new", "capacity.retired", "capacity.existing"} & flat.keys():
        del flat["capacity.unit"]
    return Extraction(_plain(nest(flat)), readings, tuple(conflicts))


def _capacity_facts(found: list[CapacityReading], codes: tuple[str, ...]) -> Iterable[Found]:
    wanted = tuple(product for code in codes for product in MAIN_PRODUCTS.get(code, ()))
    unit: str | None = None
    for side, name in (("build", "capacity.new"), ("retire", "capacity.retired"),
                       ("existing", "capacity.existing")):
        mine = [reading for reading in found if reading.side == side]
        if len({_comparable(reading) for reading in mine}) > 1 and wanted:
            main = [reading for reading in mine if is_main_product(reading.product, wanted)]
            mine = main or mine
        for reading in mine:
            unit = unit or _unit_written(reading)
            amount = _in_unit(reading, unit)
            rule = reading.rule + (f"（产品：{reading.product}）" if reading.product else "")
            if amount is None:  # another unit than the other side's: a conflict of units
                yield Found("capacity.unit", _unit_written(reading), reading.start, reading.end,
                            rule)
                continue
            yield Found(name, amount, reading.start, reading.end, rule)
            yield Found("capacity.unit", unit, reading.start, reading.end, rule)


def _comparable(reading: CapacityReading) -> tuple[str, Decimal]:
    tonnes = reading.tonnes_per_year
    return ("t/a", tonnes) if tonnes is not None else (reading.unit, reading.amount)


def _unit_written(reading: CapacityReading) -> str:
    """The form's unit; a mass written without a period keeps its bare spelling (万吨), so the
    checker states that it read it per year."""
    if reading.period_assumed:
        return {"t/a": "吨", "万t/a": "万吨", "亿t/a": "亿吨"}[reading.unit]
    return reading.unit


def _in_unit(reading: CapacityReading, unit: str) -> Decimal | None:
    if _unit_written(reading) == unit:
        return reading.amount
    tonnes, factor = reading.tonnes_per_year, _TONNES.get(unit)
    return tonnes / factor if tonnes is not None and factor else None


_TONNES = {"t/a": Decimal(1), "吨": Decimal(1), "万t/a": Decimal(10_000), "万吨": Decimal(10_000),
           "亿t/a": Decimal(100_000_000), "亿吨": Decimal(100_000_000)}


def _reading(normal: Normalised, item: Found) -> Reading:
    start, end = normal.span(item.start, item.end)
    return Reading(item.field, item.value, normal.original[start:end], start, end, item.rule)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
