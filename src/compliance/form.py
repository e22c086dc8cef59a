"""The project form: the public contract of DESIGN.md as pydantic models.

Every field carries its Chinese and English label and its unit here, once; the web form, the
batch headers, the schema and the explanations all read them from this module (see `fields`).
Names are a public contract: extend, never rename.

Over 400 lines on purpose: the whole contract in one file, section by section (location,
capacity, technology …) as DESIGN.md lists it, so a reviewer reads a field's type, range, unit
and labels together; split, it would be one model per file and the contract nowhere whole.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Callable
from enum import StrEnum
from functools import cache
from typing import Annotated, Any, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from compliance.choices import read_bool, read_choice

#: Largest magnitude accepted for any number: beyond it no real project exists, and the engine
#: works on scaled 64-bit integers (see `facts.ENGINE_SCALE`).
MAX_NUMBER = 1e12


def _meta(zh: str, en: str, unit: str | None = None, **extra: Any) -> dict[str, Any]:
    meta: dict[str, Any] = {"label_zh": zh, "label_en": en, **extra}
    if unit:
        meta["unit"] = unit
    return meta


def field(zh: str, en: str, unit: str | None = None, **kwargs: Any) -> Any:
    """A form field with its labels; `kwargs` go to pydantic (`ge`, `le`, `default` …)."""
    kwargs.setdefault("default", None)
    return Field(title=en, description=zh, json_schema_extra=_meta(zh, en, unit), **kwargs)


def number(zh: str, en: str, unit: str | None = None, *, ge: float = -MAX_NUMBER,
           le: float = MAX_NUMBER) -> Any:
    return field(zh, en, unit, ge=ge, le=le, allow_inf_nan=False)


class LabelledEnum(StrEnum):
    """An enum whose members have Chinese and English labels (`labels_zh`, `labels_en`)."""

    @classmethod
    def label_zh(cls, value: str) -> str:
        return cls._labels()[value][0]

    @classmethod
    def label_en(cls, value: str) -> str:
        return cls._labels()[value][1]

    @classmethod
    def _labels(cls) -> dict[str, tuple[str, str]]:
        raise NotImplementedError


def _labelled(name: str, labels: dict[str, tuple[str, str]]) -> type[LabelledEnum]:
    enum_cls = LabelledEnum(name, {key.upper(): key for key in labels})  # type: ignore[misc]
    enum_cls._labels = classmethod(lambda cls: labels)  # type: ignore[attr-defined]
    return enum_cls


ProjectType = _labelled("ProjectType", {
    "new": ("新建", "new"),
    "expansion": ("扩建", "expansion"),
    "renovation": ("改建（技术改造）", "renovation"),
    "relocation": ("搬迁", "relocation"),
})
FunctionalZone = _labelled("FunctionalZone", {
    "optimized": ("优化开发区域", "optimized development zone"),
    "key": ("重点开发区域", "key development zone"),
    "restricted": ("限制开发区域", "restricted development zone"),
    "prohibited": ("禁止开发区域", "prohibited development zone"),
})
LakeBasin = _labelled("LakeBasin", {
    "taihu": ("太湖", "Taihu"),
    "chaohu": ("巢湖", "Chaohu"),
    "dongtinghu": ("洞庭湖", "Dongting Lake"),
    "poyanghu": ("鄱阳湖", "Poyang Lake"),
    "none": ("不在上述湖泊周边", "none of these lakes"),
})
CoalGasifier = _labelled("CoalGasifier", {
    "fixed_bed_intermittent": ("固定床间歇式", "fixed bed, intermittent"),
    "fixed_bed_continuous": ("固定床连续式", "fixed bed, continuous"),
    "fluidized_bed": ("流化床", "fluidized bed"),
    "entrained_flow": ("气流床", "entrained flow"),
    "none": ("无", "none"),
})
Fuel = _labelled("Fuel", {
    "coal": ("煤", "coal"),
    "natural_gas": ("天然气", "natural gas"),
    "electricity": ("电", "electricity"),
    "biomass": ("生物质", "biomass"),
    "oil": ("油", "oil"),
    "other": ("其他", "other"),
})
VocsOffset = _labelled("VocsOffset", {
    "none": ("未削减替代", "none"),
    "equal": ("等量削减替代", "equal offset"),
    "double": ("倍量削减替代", "double offset"),
})
EnergyLevel = _labelled("EnergyLevel", {
    "international_advanced": ("国际先进水平", "international advanced"),
    "domestic_advanced": ("国内先进水平", "domestic advanced"),
    "below": ("低于国内先进水平", "below domestic advanced"),
})
IndustrialPolicyCategory = _labelled("IndustrialPolicyCategory", {
    "encouraged": ("鼓励类", "encouraged"),
    "permitted": ("允许类（未列入鼓励、限制、淘汰类）", "permitted (not listed)"),
    "restricted": ("限制类", "restricted"),
    "eliminated": ("淘汰类", "eliminated"),
})
NegativeListCategory = _labelled("NegativeListCategory", {
    "prohibited": ("禁止类（禁止发展）", "prohibited"),
    "restricted": ("限制类（限制发展）", "restricted"),
    "not_listed": ("未列入", "not listed"),
})

Text = Annotated[str, Field(min_length=1, max_length=500)]


def _calendar_day(value: Any) -> dt.date:
    """Only a calendar date written YYYY-MM-DD (or a `date`): pydantic's lax mode would read a
    number as a Unix timestamp (`0` is 1970-01-01) and cut a datetime to its day silently."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and len(value) == 10 and value[4] == value[7] == "-":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise PydanticCustomError("date_parsing", "Input should be a date written YYYY-MM-DD")


#: a calendar day, YYYY-MM-DD
Day = Annotated[dt.date, BeforeValidator(_calendar_day),
                WithJsonSchema({"type": "string", "format": "date"})]


SectionKind = TypeVar("SectionKind", bound="Section")


def _empty(section: type[SectionKind]) -> Callable[[], SectionKind]:
    """The default of a section the form leaves out: one empty section shared by every form
    (sections are frozen), not one made and validated per form: a list's row leaves out
    most of its ten sections."""
    empty = EMPTY_SECTIONS[section] = section()
    return lambda: empty


#: each section's shared empty default (`_empty`), by its class: holds no value to read
EMPTY_SECTIONS: dict[type[Section], Section] = {}


class Section(BaseModel):
    """A group of optional facts; unknown keys are refused so a typo never passes silently.
    Choices and yes/no may be written in Chinese (新建, 燃煤, 是), as lists write them."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True, str_strip_whitespace=True,
                              frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _written_in_chinese(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        read = None  # a copy only when a value is written otherwise (a list's never are)
        for name, kind in _choice_fields(cls).items():
            if name in data:
                value = data[name]
                choice = _read_choice(kind, value)
                if choice is not value:
                    read = dict(data) if read is None else read
                    read[name] = choice
        return data if read is None else read


@cache
def _choice_fields(model: type[BaseModel]) -> dict[str, Any]:
    """The fields of a section that are choices (an enum, a list of one) or yes/no: worked
    out once per section class, not for every form (batch rows parse thousands)."""
    found: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        inner = [arg for arg in typing.get_args(info.annotation) if arg is not type(None)] or [
            info.annotation]
        kind = inner[0]
        if typing.get_origin(kind) is list:
            kind = ("list", typing.get_args(kind)[0])
        if kind is bool or (isinstance(kind, type) and issubclass(kind, LabelledEnum)) or (
                isinstance(kind, tuple) and isinstance(kind[1], type)
                and issubclass(kind[1], LabelledEnum)):
            found[name] = kind
    return found


def _read_choice(kind: Any, value: Any) -> Any:
    if kind is bool:
        return read_bool(value)
    if isinstance(kind, tuple):
        return [read_choice(kind[1], item) for item in value] if isinstance(value, list) else (
            read_choice(kind[1], value))
    return read_choice(kind, value)


def _code_text(value: Any) -> Any:
    """`410506` written as a number (JSON clients, unquoted YAML) is the code `"410506"`."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class Location(Section):
    province: Text | None = field("省份", "province")
    city: Text | None = field("城市", "city")
    county: Text | None = field("区县", "county")
    admin_code: Annotated[str, BeforeValidator(_code_text), Field(pattern=r"^\d{6}$"), WithJsonSchema(
        {"anyOf": [{"type": "string", "pattern": r"^\d{6}$"},
                   {"type": "integer", "minimum": 100000, "maximum": 999999}]})] | None = field(
        "行政区划代码（GB/T 2260）", "administrative division code (GB/T 2260)")
    in_industrial_park: bool | None = field("位于依法设立的工业园区/产业集聚区", "in an industrial park")
    in_chemical_park: bool | None = field("位于认定的化工园区", "in a recognised chemical park")
    park_infrastructure_ok: bool | None = field(
        "园区环境基础设施完善且稳定运行", "park environmental infrastructure complete and running")
    in_urban_built_up_area: bool | None = field("位于城市建成区", "in an urban built-up area")
    in_population_dense_area: bool | None = field("位于城镇人口密集区", "in a population-dense area")
    riverside: bool | None = field("沿江（长江干流及主要支流）", "along the Yangtze or a major tributary")
    yangtze_shoreline_km: float | None = number("距长江岸线距离", "distance to the Yangtze shoreline",
                                                "km", ge=0)
    functional_zone: FunctionalZone | None = field("主体功能区", "main functional zone")
    lake_basin: LakeBasin | None = field("所在湖泊流域", "lake basin")
    heating_network_covered: bool | None = field(
        "在热电联产供热管网覆盖范围内", "covered by a CHP heating network")
    riverside_city: bool | None = field(
        "所在城市为沿江城市（长江干流及主要支流沿岸城市）",
        "in a city along the Yangtze or a major tributary")
    protection_distance_ok: bool | None = field(
        "安全、卫生防护距离满足相关要求", "safety and health protection distances met")
    conforms_to_planning: bool | None = field(
        "选址符合相关规划（城乡规划、产业布局规划）", "site conforms to the applicable plans")
    chemical_park_newly_established: bool | None = field(
        "所在化工园区为新设立（新增）的化工园区", "the chemical park is a newly established one")


class Capacity(Section):
    unit: Text | None = field("产能单位", "capacity unit")
    new: float | None = number("新增产能（扩建为增量）", "capacity built (increment for expansions)",
                               ge=0)
    retired: float | None = number("置换淘汰产能", "capacity retired in exchange", ge=0)
    transferred_from_other_region: bool | None = field(
        "承接跨区域产业转移（项目或产能由其他省市转入）",
        "project or capacity transferred in from another region")
    existing: float | None = number("现有产能（项目建设前，单位同产能单位）",
                                    "existing capacity before the project (same unit)", ge=0)
    retired_location: Text | None = field(
        "置换淘汰产能所在地（省、市、区县名称或行政区划代码）",
        "where the retired capacity was (place name or GB/T 2260 code)")


class Technology(Section):
    coke_oven_chamber_height_m: float | None = number("焦炉炭化室高度", "coke oven chamber height",
                                                      "m", ge=0, le=100)
    clinker_line_tpd: float | None = number("水泥熟料生产线规模", "cement clinker line size", "t/d",
                                            ge=0)
    cement_mill_diameter_m: float | None = number("水泥粉磨装备直径", "cement mill diameter", "m",
                                                  ge=0, le=100)
    ammonia_unit_tpa: float | None = number("合成氨单套装置规模", "synthetic ammonia unit size",
                                            "t/a", ge=0)
    coal_gasifier: CoalGasifier | None = field("煤气化炉型", "coal gasifier type")
    gas_producer_hearth_m: float | None = number("燃料类煤气发生炉炉膛直径",
                                                 "fuel gas producer hearth diameter", "m", ge=0,
                                                 le=100)
    coal_fired_hot_blast_stove: bool | None = field("燃煤热风炉", "coal-fired hot-blast stove")
    coal_fired_dryer_kiln: bool | None = field("燃煤加热、烘干炉（窑）", "coal-fired heating/drying kiln")
    induction_furnace_steel: bool | None = field("中频炉/工频炉炼钢（地条钢）",
                                                 "induction-furnace steel")
    open_spraying: bool | None = field("露天或敞开式喷涂作业", "open-air spraying")
    industrial_kiln: bool | None = field("设有工业炉窑（加热、熔炼、焙烧、烘干等）",
                                         "has industrial furnaces or kilns")
    coal_fired_boiler: bool | None = field("设有燃煤锅炉", "has a coal-fired boiler")
    renovation_above_national_average: bool | None = field(
        "技术改造后生产工艺、设施（装备）水平高于行业全国平均水平",
        "renovated process and equipment above the national industry average")
    coke_dry_quenching: bool | None = field("采用干熄焦", "coke dry quenching")
    grinding_without_ball_mill: bool | None = field(
        "采用无球化粉磨（辊压机终粉磨、立磨等）", "grinding without ball mills")
    new_structure_aluminium_cell: bool | None = field("采用新型结构铝电解槽",
                                                      "new-structure aluminium reduction cells")
    electric_furnace_short_process: bool | None = field(
        "采用电炉钢短流程工艺（废钢电炉炼钢）", "electric-furnace short-process steelmaking")
    molten_aluminium_direct_supply: bool | None = field(
        "铝液直供（电解铝液直接供下游加工）", "molten aluminium supplied directly downstream")
    chrome_containing_refractories: bool | None = field(
        "生产或使用含铬耐火材料", "makes or uses chrome-containing refractories")
    hexavalent_chromium_plating: bool | None = field("采用六价铬电镀工艺",
                                                     "hexavalent chromium plating")
    pulp_from_forestry_waste_or_straw: bool | None = field(
        "制浆原料为林业废物、农作物秸秆等", "pulp made from forestry waste or crop straw")
    flexible_nev_line: bool | None = field(
        "生产线柔性化改造，可生产新能源汽车",
        "flexible production line that can make new-energy vehicles")


class Vocs(Section):
    involved: bool | None = field("涉VOCs排放", "emits VOCs")
    collection_and_treatment: bool | None = field("废气收集与高效治理设施",
                                                  "VOCs collection and efficient treatment")
    offset: VocsOffset | None = field("区域内VOCs排放削减替代", "regional VOCs offset")
    high_vocs_solvent_products: bool | None = field(
        "生产或使用高VOCs含量的溶剂型涂料、油墨、胶粘剂",
        "makes or uses high-VOCs solvent coatings, inks or adhesives")


class Emissions(Section):
    ultra_low: bool | None = field("达到超低排放", "ultra-low emission")
    special_limits: bool | None = field("执行大气污染物特别排放限值", "special emission limits applied")
    vocs: Vocs = Field(default_factory=_empty(Vocs))
    heavy_metals: bool | None = field("涉重金属排放", "emits heavy metals")
    regional_reduction_offset: bool | None = field("落实污染物排放区域削减",
                                                   "regional emission reduction secured")
    standards_met: bool | None = field("污染物稳定达到国家和地方现行排放标准",
                                       "emissions steadily within current national and local standards")
    fugitive_controlled: bool | None = field(
        "物料运输、生产工艺、堆场等环节无组织排放治理到位",
        "fugitive emissions of transport, process and stockyards controlled")
    enclosed_material_storage: bool | None = field(
        "易产生粉尘的粉状、粒状物料及燃料密闭储存", "dusty powders, granules and fuels stored enclosed")
    clean_transport: bool | None = field(
        "大宗物料和产品清洁方式运输（铁路、水路、管道、管状带式输送机或新能源车辆）",
        "bulk materials and products moved by clean transport")
    deep_treatment: bool | None = field("完成大气污染物深度治理（达到深度治理排放限值）",
                                        "deep treatment of air pollutants completed")
    green_leading_enterprise: bool | None = field(
        "评为绿色环保引领企业（重污染天气应急减排绩效引领性企业）",
        "rated a green environmental leader (exempt from staggered production)")
    water_pollutants_compliant: bool | None = field(
        "废水化学需氧量、氨氮、总氮、总磷达标排放（无生产废水外排的填“是”）",
        "wastewater COD, ammonia nitrogen, total nitrogen and total phosphorus within standards")


class Energy(Section):
    two_high: bool | None = field("两高项目（高耗能、高排放）",
                                  "energy-intensive, high-emission project")
    unit_consumption_level: EnergyLevel | None = field("单位产品能耗水平",
                                                       "unit energy consumption level")
    coal_consumption_offset: bool | None = field("落实煤炭消费减量（等量）替代",
                                                 "coal consumption offset secured")
    meets_mandatory_limits: bool | None = field(
        "单位产品能耗符合强制性能耗限额标准（无相应标准的填“是”）",
        "unit energy consumption within the mandatory limit standards")


class Water(Section):
    self_supplied_well: bool | None = field("企业自备井", "self-supplied well")
    discharge_to_central_plant: bool | None = field("废水排入集中污水处理设施",
                                                    "wastewater discharged to a central plant")
    pretreatment_meets_intake_standard: bool | None = field(
        "预处理后符合集中污水处理设施的接纳标准",
        "pretreated wastewater within the central plant's intake standard")
    meets_intake_quota: bool | None = field(
        "单位产品取水量符合取水定额国家标准（无相应标准的填“是”）",
        "water intake per unit of product within the national quota standards")
    high_water_backward_process: bool | None = field(
        "采用高耗水落后工艺、技术或装备（列入国家高耗水工艺、技术和装备淘汰目录）",
        "uses high-water-use backward processes, technology or equipment")
    reclaimed_water_used: bool | None = field("利用城市中水（再生水）",
                                              "uses municipal reclaimed water")
    wastewater_recycling: bool | None = field("建设废水循环利用（处理回用）设施",
                                              "wastewater recycling and reuse facilities")


class SolidWaste(Section):
    phosphogypsum_utilization_rate: float | None = number("磷石膏综合利用率",
                                                          "phosphogypsum utilisation rate", ge=0,
                                                          le=1)
    slag_yard_meets_standards: bool | None = field(
        "渣场、尾矿库按规范建设（无渣场、尾矿库的填“是”）",
        "slag yards and tailings ponds built to the applicable standards")
    unutilised_solid_waste: bool | None = field("产生不能综合利用的工业固体废物",
                                                "generates industrial solid waste not reused")
    three_prevention_measures: bool | None = field(
        "固体废物落实防扬散、防流失、防渗漏（“三防”）措施",
        "solid waste protected against scattering, loss and seepage")
    hazardous_waste: bool | None = field("产生危险废物", "generates hazardous waste")
    hazardous_waste_licensed_disposal: bool | None = field(
        "危险废物交由具有相应资质的危险废物经营单位处置利用",
        "hazardous waste handed to licensed operators")
    phosphogypsum_produced: bool | None = field("产生磷石膏", "generates phosphogypsum")
    phosphogypsum_harmless_treatment: bool | None = field("新产生的磷石膏全部无害化处理",
                                                          "all new phosphogypsum made harmless")


class Procedures(Section):
    eia_approved: bool | None = field("环评批复", "EIA approved")
    energy_review_passed: bool | None = field("节能审查", "energy review passed")
    capacity_replacement_plan: bool | None = field("产能置换方案已公告/批复",
                                                   "capacity replacement plan published/approved")
    joint_review_passed: bool | None = field("两高项目联合审查", "joint review of a 两高 project")
    investment_approved: bool | None = field("项目核准或备案（投资管理手续）",
                                             "investment approval or filing completed")
    land_use_approved: bool | None = field("土地供应（用地）手续", "land supply procedures completed")
    safety_review_passed: bool | None = field("安全条件审查（安全预评价）通过",
                                             "safety conditions review passed")
    cleaner_production_audit: bool | None = field(
        "已开展清洁生产审核（技术改造按审核方案实施）", "based on a cleaner production audit")


class Products(Section):
    vehicle_emission_standard: Text | None = field("车辆排放标准", "vehicle emission standard")
    hazardous_chemicals: bool | None = field("生产危险化学品（列入《危险化学品目录》）",
                                             "produces hazardous chemicals")
    aluminium_carbon: bool | None = field("铝用炭素（预焙阳极、阴极炭块等）产品",
                                          "aluminium carbon products (prebaked anodes, cathode blocks)")
    electrolytic_aluminium: bool | None = field(
        "电解铝（原铝）产品（铝冶炼 C3216 中不含仅生产氧化铝的项目）",
        "primary aluminium by electrolysis (C3216 also holds alumina refineries)")
    electroplating: bool | None = field(
        "涉电镀工序（C3360 中不含仅做热处理、其他表面处理的项目）",
        "electroplating (C3360 also holds heat treatment and other surface treatment)")
    brown_fused_alumina: bool | None = field(
        "棕刚玉产品（C3099 其他非金属矿物制品中的棕刚玉）",
        "brown fused alumina (one product of C3099)")


class Relocation(Section):
    """Where a relocated enterprise comes from (the form's `location` is the new site)."""

    from_population_dense_area: bool | None = field("由城镇人口密集区搬出",
                                                    "moves out of a population-dense area")
    from_urban_built_up_area: bool | None = field("由城市建成区搬出",
                                                  "moves out of an urban built-up area")


class ProjectForm(Section):
    """One proposed project, as an officer or an enterprise describes it."""

    id: Text | None = field("项目编号", "reference")
    name: Text = Field(title="name", description="项目名称",
                       json_schema_extra=_meta("项目名称", "project name"))
    applicant: Text | None = field("建设单位", "applicant")
    project_code: Text | None = field(
        "项目代码（投资项目在线审批监管平台赋码，如 2101-410522-04-01-123456）",
        "national investment project code")
    application_date: Day | None = field("申报日期", "application date")
    project_type: ProjectType = Field(title="project type", description="建设性质",
                                      json_schema_extra=_meta("建设性质", "project type"))
    industry: Annotated[list[Text], WithJsonSchema({"anyOf": [
        {"type": "string", "minLength": 1, "maxLength": 500},
        {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": 500},
         "minItems": 1, "maxItems": 20}]})] = Field(
        title="industry", description="所属行业（GB/T 4754-2017 代码或行业键，一个或多个）",
        min_length=1, max_length=20, json_schema_extra=_meta("所属行业", "industry"))
    location: Location = Field(default_factory=_empty(Location))
    capacity: Capacity = Field(default_factory=_empty(Capacity))
    independent_plant: bool | None = field("独立（非钢铁/电解铝企业配套）",
                                           "independent plant (not part of a smelter)")
    industrial_policy_category: IndustrialPolicyCategory | None = field(
        "《产业结构调整指导目录》类别（项目含淘汰类或限制类内容的，按该类填写）",
        "category in the Guiding Catalogue for Industrial Structure Adjustment")
    yangtze_negative_list: NegativeListCategory | None = field(
        "长江经济带产业发展市场准入负面清单（行业、生产工艺、产品）中的类别",
        "category in the Yangtze River Economic Belt market-access negative list")
    ten_small_enterprise: bool | None = field(
        "属“十小”企业（不符合国家产业政策的小型造纸、制革、印染、染料、炼焦、炼硫、炼砷、炼油、电镀、"
        "农药等严重污染水环境的生产项目）", "a \"ten small\" water-polluting enterprise")
    scattered_polluting_enterprise: bool | None = field(
        "建设单位属“散乱污”企业（含已取缔的“散乱污”企业）",
        "the applicant is a scattered, disorderly and polluting (散乱污) enterprise")
    technology: Technology = Field(default_factory=_empty(Technology))
    fuel: list[Fuel] | None = field("燃料", "fuel", max_length=6)
    emissions: Emissions = Field(default_factory=_empty(Emissions))
    energy: Energy = Field(default_factory=_empty(Energy))
    water: Water = Field(default_factory=_empty(Water))
    solid_waste: SolidWaste = Field(default_factory=_empty(SolidWaste))
    procedures: Procedures = Field(default_factory=_empty(Procedures))
    products: Products = Field(default_factory=_empty(Products))
    relocation: Relocation = Field(default_factory=_empty(Relocation))
    #: where facts were read from (`technology.coke_oven_chamber_height_m` → `从「建设内容」读出：…`),
    #: stated in every result that uses them; set by the batch and extraction, never a question
    readings: dict[Annotated[str, Field(max_length=100)], Text] | None = field(
        "读取来源（字段 → 从何处读出）", "where facts were read from (field → reading)",
        max_length=200)

    @field_validator("industry", "fuel", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value
