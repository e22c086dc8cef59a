"""A list shaped like a real one: an approval platform's export, not the generated form columns.

`compliance generate` fills a column for every form field; a real list (see
`../shared/reference/project-lists.md` and `examples/lists/notice.csv`) has a handful of
columns and carries its facts in a 项目代码 and a free-text 建设规模及内容, which cost more to read
than typed cells. Each row here takes one description of the extraction corpus
(`tests/extract/corpus.yaml`, phrased like public notices), prefixed with its own company name so
no two rows share a description, and fills the other columns consistently with it: the industry
and 建设性质 the text states (else drawn), a place where the text names none, and a 项目代码 of
that place in either format (2016–2020 or since November 2020).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from compliance.reference import classes, county_places, resolve_place, rulebook_keys
from compliance.reference.errors import ReferenceLookupError

ROOT = Path(__file__).resolve().parents[1]
HEADER = ("序号", "项目代码", "项目名称", "建设单位", "建设地点", "国标行业", "建设性质",
          "建设规模及内容", "总投资（万元）")
TYPES = {"new": "新建", "expansion": "扩建", "renovation": "改建", "relocation": "搬迁"}
FIRM_WORDS = "宏达鑫源华润中兴恒通金盛永安瑞丰盛隆东方新星天元国泰富源长城"
PROJECT_WORDS = ("升级改造项目", "新建项目", "扩建工程", "技术改造项目", "搬迁入园项目")
TOWNS = ("", "", "产业集聚区", "马家乡", "工业园区", "经济技术开发区")


@cache
def _corpus() -> tuple[dict[str, Any], ...]:
    with (ROOT / "tests" / "extract" / "corpus.yaml").open(encoding="utf-8") as file:
        return tuple(yaml.safe_load(file))


@cache
def _industries() -> dict[str, str]:
    """The classes under a rulebook key, code → name."""
    prefixes = tuple(code for key in rulebook_keys().values() for code in key.codes)
    return {entry.code: entry.name for entry in classes() if entry.code.startswith(prefixes)}


@cache
def _counties() -> tuple[Any, ...]:
    return tuple(county_places())


def _stated_place(facts: dict[str, Any]) -> Any | None:
    """The county (or city) the description names, if it names one."""
    if not any(path.startswith("location.") for path in facts):
        return None
    try:
        return resolve_place(province=facts.get("location.province"),
                             city=facts.get("location.city"),
                             county=facts.get("location.county"))
    except ReferenceLookupError:
        return None


def _class_code(rng: random.Random, stated: str) -> str:
    """The GB/T 4754 class the description states (a class under it for a rulebook key such
    as `casting`), else one drawn from the rulebook's industries."""
    industries = _industries()
    if stated in industries:
        return stated
    prefixes = rulebook_keys()[stated].codes if stated in rulebook_keys() else ("",)
    return rng.choice([code for code in industries if code.startswith(tuple(prefixes))])


def _project_code(rng: random.Random, code: str, industry: str) -> str:
    """`2104-410506-04-01-583201` (since 2020) or `2019-410506-25-03-012345` (before)."""
    if rng.random() < 0.6:
        return (f"{rng.randint(21, 25)}{rng.randint(1, 12):02d}-{code}-{rng.choice(('04', '07'))}"
                f"-{rng.choice(('01', '02'))}-{rng.randrange(10**6):06d}")
    return f"{rng.randint(2016, 2019)}-{code}-{industry[1:3]}-03-{rng.randrange(10**6):06d}"


def notice_rows(rows: int, seed: int) -> Iterator[dict[str, str]]:
    """`rows` rows keyed by HEADER; the same seed gives the same rows."""
    rng = random.Random(seed)
    industries = _industries()
    for number in range(1, rows + 1):
        entry = rng.choice(_corpus())
        facts = entry["facts"]
        industry = _class_code(rng, (facts.get("industry") or [""])[0])
        written_code = facts.get("project_code")
        stated = _stated_place(facts)
        place = stated or rng.choice(_counties())
        firm = "".join(rng.sample(FIRM_WORDS, 3)) + "有限公司"
        yield {
            "序号": str(number),
            "项目代码": written_code or _project_code(rng, place.code, industry),
            "项目名称": f"{firm[:-4]}{rng.choice(PROJECT_WORDS)}",
            "建设单位": firm,
            "建设地点": ("" if stated or written_code or rng.random() < 0.1
                     else place.full_name + rng.choice(TOWNS)),
            "国标行业": f"{industry} {industries.get(industry, '')}".strip(),
            "建设性质": TYPES.get(facts.get("project_type", ""), rng.choice(list(TYPES.values()))),
            "建设规模及内容": f"{firm}：{entry['text']}",
            "总投资（万元）": str(rng.randint(500, 500_000)),
        }
