"""`compliance extract`: each trap of real phrasing, and nothing invented."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from compliance.cli import app
from compliance.extract import extract
from compliance.formdict import flatten

CASES = [
    # capacity, with unit and product, in every usual spelling
    ("年产焦炭200万吨", {"capacity.new": 200, "capacity.unit": "万t/a", "industry": ["C2521"]}),
    ("建设120万吨/年焦化项目", {"capacity.new": 120, "capacity.unit": "万t/a"}),
    ("形成70万t/a焦炭生产能力", {"capacity.new": 70, "capacity.unit": "万t/a"}),
    ("建设规模70×10⁴t/a", {"capacity.new": 70, "capacity.unit": "万t/a"}),
    ("建设规模70×104t/a（上标丢失）", {"capacity.new": 70, "capacity.unit": "万t/a"}),
    ("项目产能1.5万吨", {"capacity.new": 1.5, "capacity.unit": "万吨"}),
    ("年产焦炭一百二十万吨", {"capacity.new": 120, "capacity.unit": "万t/a"}),
    ("年產焦炭２００萬噸（繁體轉載）", {"capacity.new": 200, "capacity.unit": "万t/a"}),
    ("新建年产20万辆新能源汽车整车项目", {"capacity.new": 20, "capacity.unit": "万辆/年",
                                          "project_type": "new"}),
    # build and retire sides
    ("通过置换淘汰产能180万吨，新建焦炭产能150万吨/年",
     {"capacity.new": 150, "capacity.retired": 180, "capacity.unit": "万t/a"}),
    # project types
    ("建设性质：改建。新建2座焦炉", {"project_type": "renovation"}),
    ("焦化企业退城入园搬迁项目", {"project_type": "relocation"}),
    ("焦炉技改项目，新建2座6.25米捣固焦炉", {"project_type": "renovation"}),
    ("扩建年产10万吨铸件项目", {"project_type": "expansion", "industry": ["casting"]}),
    # coke ovens: height, model, retired side, lowest oven
    ("新建2×65孔6.25米捣固焦炉", {"technology.coke_oven_chamber_height_m": 6.25}),
    ("焦炉炭化室高度7.1米", {"technology.coke_oven_chamber_height_m": 7.1}),
    ("炭化室高6.78m顶装焦炉2座", {"technology.coke_oven_chamber_height_m": 6.78}),
    ("采用JNX3-70型顶装焦炉", {"technology.coke_oven_chamber_height_m": 7}),
    ("采用JN60型焦炉", {"technology.coke_oven_chamber_height_m": 6}),
    ("拆除2座4.3米焦炉，新建2座6.25米捣固焦炉", {"technology.coke_oven_chamber_height_m": 6.25}),
    ("新建1座7.1米和1座5.5米焦炉", {"technology.coke_oven_chamber_height_m": 5.5}),
    # cement
    ("新建日产4500吨新型干法水泥熟料生产线", {"technology.clinker_line_tpd": 4500,
                                             "industry": ["C3011"]}),
    ("建设一条5000t/d熟料生产线", {"technology.clinker_line_tpd": 5000}),
    ("配套Φ4.2×13m水泥磨2台", {"technology.cement_mill_diameter_m": 4.2}),
    # ammonia, gasifiers, gas producers, burners
    ("建设30万吨/年合成氨装置", {"technology.ammonia_unit_tpa": 300000, "industry": ["C2621"]}),
    ("采用固定床间歇式煤气化炉", {"technology.coal_gasifier": "fixed_bed_intermittent"}),
    ("采用水煤浆加压气化技术", {"technology.coal_gasifier": "entrained_flow"}),
    ("配套建设Φ3.2米煤气发生炉4台", {"technology.gas_producer_hearth_m": 3.2}),
    ("新建燃煤锅炉1台", {"technology.coal_fired_boiler": True}),
    # fuel, park, industry
    ("窑炉以天然气为燃料", {"fuel": ["natural_gas"]}),
    ("项目位于安阳市龙安区产业集聚区", {"location.in_industrial_park": True}),
    ("项目位于某某化工园区内", {"location.in_chemical_park": True,
                                "location.in_industrial_park": True}),
    ("新建年产30万吨预焙阳极项目", {"industry": ["aluminium_carbon"], "capacity.new": 30}),
    ("新建600t/d浮法平板玻璃生产线", {"industry": ["C3041"]}),
    # a rate per month or hour, with the operating time the text gives
    ("月产焦炭10万吨，年运行12个月", {"capacity.new": 120, "capacity.unit": "万t/a"}),
    ("生产能力5吨/小时，年运行时间7200小时", {"capacity.new": 36000, "capacity.unit": "t/a"}),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[case[0][:16] for case in CASES])
def test_the_facts_a_person_reads(text: str, expected: dict) -> None:
    form = flatten(extract(text).form)
    for field, value in expected.items():
        assert form.get(field) == value, (field, form)


ABSENT = [
    ("项目总投资5000万元，年节约标煤1.2万吨，减排二氧化硫300吨", ("capacity.new",)),
    ("项目占地300亩，年用水50万吨", ("capacity.new",)),
    ("年用洗精煤280万吨", ("capacity.new",)),
    ("拆除4.3米焦炉2座", ("technology.coke_oven_chamber_height_m",)),
    ("淘汰2000吨/日熟料生产线", ("technology.clinker_line_tpd",)),
    ("配套天然气管道", ("fuel",)),
    ("不在化工园区", ("location.in_chemical_park", "location.in_industrial_park")),
    ("统一规划，一体化建设，一期工程", ("capacity.new", "project_type")),
    ("月产焦炭10万吨", ("capacity.new",)),  # no operating time: never taken as yearly
    ("生产能力5吨/小时", ("capacity.new",)),
]


@pytest.mark.parametrize(("text", "fields"), ABSENT, ids=[case[0][:16] for case in ABSENT])
def test_nothing_is_invented(text: str, fields: tuple[str, ...]) -> None:
    form = flatten(extract(text).form)
    for field in fields:
        assert field not in form, (field, form)


def test_two_values_for_one_field_are_a_conflict_and_left_absent() -> None:
    extraction = extract("一期年产焦炭100万吨，二期年产焦炭150万吨")
    assert "new" not in extraction.form.get("capacity", {})
    assert [conflict.field for conflict in extraction.conflicts] == ["capacity.new"]


def test_several_products_are_settled_by_the_industry() -> None:
    form = flatten(extract("年产焦炭200万吨、甲醇20万吨").form)
    assert form["capacity.new"] == 200


def test_a_reading_quotes_the_original_words() -> None:
    extraction = extract("建设规模：年產焦炭一百二十萬噸")
    reading = next(r for r in extraction.readings if r.field == "capacity.new")
    assert reading.text == "年產焦炭一百二十萬噸"
    assert "建设规模：年產焦炭一百二十萬噸"[reading.start:reading.end] == reading.text


def test_the_command_prints_form_readings_and_conflicts_as_json() -> None:
    result = CliRunner().invoke(app, ["extract", "年产焦炭200万吨，新建6.25米焦炉", "--format",
                                      "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert set(payload) == {"form", "readings", "conflicts"}
    assert payload["form"]["technology"]["coke_oven_chamber_height_m"] == 6.25
    assert {"field", "value", "text", "start", "end", "rule"} <= set(payload["readings"][0])


def test_the_command_reads_stdin_and_prints_a_chinese_table() -> None:
    result = CliRunner().invoke(app, ["extract"], input="年产焦炭200万吨")
    assert result.exit_code == 0, result.output
    assert "从项目建设内容读出" in result.output and "新增产能" in result.output


def test_equipment_without_a_form_field_is_a_reading_and_no_capacity_is_guessed() -> None:
    extraction = extract("新建1座1780m³高炉、2座120吨转炉，建设400kA预焙阳极电解槽系列，"
                         "新建2座6.25米捣固焦炉，配套60万吨/年甲醇装置")
    readings = {reading.field: reading.value for reading in extraction.readings
                if reading.field.startswith("equipment.")}
    assert readings == {"equipment.blast_furnace_m3": 1780, "equipment.converter_t": 120,
                        "equipment.electrolytic_cell_ka": 400,
                        "equipment.methanol_unit_tpa": 600000,
                        "equipment.coke_oven_charging": "stamp_charging"}
    assert "equipment" not in extraction.form
    assert "aluminium_carbon" not in extraction.form["industry"]  # prebaked-anode *cells*
    steel = extract("新建1座1780m³高炉、2座120吨转炉")
    assert "capacity" not in steel.form  # the steel a furnace stands for is not guessed


@pytest.mark.parametrize(("written", "place"), [
    ("河南省安阳市林州市姚村镇", ("河南省", "安阳市", "林州市")),
    ("汝州市产业集聚区", ("河南省", "平顶山市", "汝州市")),
    ("沧州渤海新区", ("河北省", "沧州市", "沧州渤海新区")),
    ("安阳高新技术产业开发区", ("河南省", "安阳市", "安阳高新技术产业开发区")),
    ("长治市潞城区店上镇", ("山西省", "长治市", "潞城区")),
    ("湖北孝感临空经济区", ("湖北省", "孝感市", None)),
])
def test_a_free_text_site_resolves_to_its_divisions(written: str, place: tuple) -> None:
    form = flatten(extract(f"建设地点：{written}。新建焦炉").form)
    assert (form.get("location.province"), form.get("location.city"),
            form.get("location.county")) == place


def test_a_bare_town_name_is_not_guessed() -> None:
    assert "location" not in extract("项目位于姚村镇，新建焦炉").form
