"""What kind of project a description is: its type, industry, park and fuel.

A type label (建设性质：改建) is taken as written. Otherwise the words of the description decide, the
most specific first: a 技改 project that 新建 two ovens is a renovation, a 退城入园 one a relocation.
Industries come from the words that name them (焦化, 熟料, 平板玻璃, 预焙阳极, 铸件 …) as GB/T
4754-2017 codes or rulebook keys, every one found; a park from its name (…化工园区, …产业集聚区).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from compliance.extract.clauses import side
from compliance.extract.found import Found
from compliance.reference import ReferenceLookupError, find_project_codes, parse_address

_TYPE_LABEL = re.compile(r"建设性质[:：]?(?P<t>新建|扩建|改扩建|改建|技术改造|技改|迁建|搬迁)")
_TYPE_NAMES = {"新建": "new", "扩建": "expansion", "改扩建": "expansion", "改建": "renovation",
               "技术改造": "renovation", "技改": "renovation", "迁建": "relocation",
               "搬迁": "relocation"}
#: the most specific first: the first that occurs decides
_TYPE_WORDS = (
    (re.compile(r"退城入园|搬迁|迁建|异地(?:新建|重建)|整体搬迁"), "relocation"),
    (re.compile(r"技术改造|技改|升级改造|改建|提升改造|改造升级|改造项目"), "renovation"),
    (re.compile(r"改扩建|扩建|扩能|二期|三期"), "expansion"),
    (re.compile(r"新建"), "new"),
)
#: words that name an industry → GB/T 4754-2017 code or rulebook key
_INDUSTRIES = (
    (re.compile(r"焦化|炼焦|焦炭|焦炉"), "C2521"),
    (re.compile(r"兰炭|半焦"), "C2521"),
    (re.compile(r"煤制油|煤制天然气|煤制烯烃|煤制乙二醇"), "C2523"),
    (re.compile(r"合成氨"), "C2621"),
    (re.compile(r"甲醇"), "C2614"),
    (re.compile(r"熟料|水泥(?:生产线|项目|厂|粉磨|磨)"), "C3011"),
    (re.compile(r"平板玻璃|浮法玻璃|浮法生产线"), "C3041"),
    (re.compile(r"预焙阳极(?!电解槽)|阴极炭块|铝用炭素"), "aluminium_carbon"),
    (re.compile(r"电解铝|原铝|铝电解|预焙阳极电解槽|预焙槽"), "electrolytic_aluminium"),
    (re.compile(r"高炉|炼铁"), "C3110"),
    (re.compile(r"转炉|电弧炉|电炉炼钢|炼钢"), "C3120"),
    (re.compile(r"铸件|铸造"), "casting"),
    (re.compile(r"耐火材料"), "C3089"),
    (re.compile(r"陶瓷|瓷砖"), "C3071"),
    (re.compile(r"农药"), "C263"),
    (re.compile(r"烧碱|纯碱"), "C2612"),
    (re.compile(r"电石"), "C2619"),
    (re.compile(r"电镀"), "electroplating"),
    (re.compile(r"燃煤(?:热电|发电|电厂|机组)|燃煤热电联产|火电机组"), "coal_power"),
)
_SITE = re.compile(r"(?:位于|建设地点[:：]?|建设地址[:：]?|厂址(?:位于|在)?|选址(?:于|位于|在)?|"
                   r"(?:迁建|搬迁|迁|落户)(?:至|到)|"
                   r"项目地址[:：]?|坐落于)(?P<place>[^,;。()（）]{2,40})")
_CHEMICAL_PARK = re.compile(r"化工园区|化工集中区|化学工业园|化工产业园|化工园")
_PARK = re.compile(r"产业集聚区|经济技术开发区|高新技术产业开发区|经济开发区|开发区|工业园区|工业园|"
                   r"产业园|工业集中区|循环经济园区|园区内")
_OUTSIDE_PARK = re.compile(r"园区外|不在(?:化工)?园区|未入园")
_FUELS = (
    (re.compile(r"天然气|LNG|CNG"), "natural_gas"),
    (re.compile(r"燃煤|煤炭|原煤|煤为燃料|煤制气|煤气发生炉"), "coal"),
    (re.compile(r"以电(?:为|作为)|电加热|电能|电力|电窑|电炉"), "electricity"),
    (re.compile(r"生物质"), "biomass"),
)
_FUEL_CONTEXT = re.compile(r"燃料|为能源|能源为|加热方式|热源")


def project_type(text: str) -> Iterator[Found]:
    label = _TYPE_LABEL.search(text)
    if label:
        yield Found("project_type", _TYPE_NAMES[label["t"]], label.start(), label.end(),
                    "建设性质栏")
        return
    for pattern, kind in _TYPE_WORDS:
        match = pattern.search(text)
        if match:
            yield Found("project_type", kind, match.start(), match.end(), "建设性质用语")
            return


def industries(text: str) -> Iterator[Found]:
    """The industries the build side names; a text that only retires (淘汰…焦炉) is of the
    industries it retires."""
    found = {side_name: [] for side_name in ("build", "retire")}
    for pattern, code in _INDUSTRIES:
        for match in pattern.finditer(text):
            found[side(text, match.start())].append(
                Found("industry", code, match.start(), match.end(), "行业用语"))
    chosen = found["build"] or found["retire"]
    yield from {item.value: item for item in reversed(chosen)}.values()


def park(text: str) -> Iterator[Found]:
    if _OUTSIDE_PARK.search(text):
        return
    chemical = _CHEMICAL_PARK.search(text)
    if chemical:
        yield Found("location.in_chemical_park", True, chemical.start(), chemical.end(), "化工园区")
        yield Found("location.in_industrial_park", True, chemical.start(), chemical.end(),
                    "化工园区亦属园区")
        return
    other = _PARK.search(text)
    if other:
        yield Found("location.in_industrial_park", True, other.start(), other.end(), "园区名称")


def fuels(text: str) -> Iterator[Found]:
    """Fuel only where the text speaks of fuel (燃料, 热源 …) in the clause: 天然气 in a list of
    products or a pipeline is no fuel."""
    found: dict[str, Found] = {}
    for context in _FUEL_CONTEXT.finditer(text):
        start = max(text.rfind(sep, 0, context.start()) for sep in ",;。") + 1
        ends = [index for index in (text.find(sep, context.end()) for sep in ",;。") if index >= 0]
        window = text[start:min(ends, default=len(text))]
        for pattern, fuel in _FUELS:
            match = pattern.search(window)
            if match and fuel not in found:
                found[fuel] = Found("fuel", fuel, start + match.start(), start + match.end(),
                                    "燃料用语")
    yield from found.values()


def site(text: str) -> Iterator[Found]:
    """The province, city and county of the place the text says the project is at (位于…,
    建设地点：…); a place the division index cannot tell (a bare town name) is not guessed."""
    for match in _SITE.finditer(text):
        try:
            place = parse_address(match["place"])
        except ReferenceLookupError:
            continue
        for name in ("province", "city", "county"):
            value = getattr(place, name)
            if value:
                yield Found(f"location.{name}", value, match.start("place"), match.end("place"),
                            "建设地点用语")
        return


def project_codes(text: str) -> Iterator[Found]:
    for code in dict.fromkeys(find_project_codes(text)):
        start = text.find(code)
        yield Found("project_code", code, max(start, 0), max(start, 0) + len(code), "项目代码")
