"""Clauses and what surrounds a number in them: the build side or the retire side, and
amounts that are not capacity at all.

"拆除2座4.3米焦炉，新建2座6.25米焦炉" builds 6.25 m ovens; "年产焦炭200万吨，年用煤280万吨"
has one capacity. A number is read with the nearest action word before it in its clause (新建,
建设, 年产 … against 淘汰, 拆除, 关停, 置换 …), and never as capacity when the words just before or
after it say what else it is (投资, 标煤, 节约, 减排, 占地 …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from compliance.memo import remembered

_CLAUSE_END = re.compile(r"[,;。!?\n]")
_RETIRE = re.compile(r"淘汰|拆除|关停|关闭|退出|压减|置换出|被置换|用于置换|置换淘汰|置换|替代|"
                     r"停产|报废|拆减|削减产能")
_BUILD = re.compile(r"新建|建设|建成|年产|形成|新增|扩建|改造为|配套|上马|投产|规模为|规模")
#: words just before a number that make it something other than a capacity
NOT_CAPACITY_BEFORE = re.compile(r"(?:投资|总投资|节约|节能|减排|削减|排放|占地|用地|用水|耗煤|"
                                 r"用煤|消耗|消纳|原料|原煤|洗精煤|购买|外购|利用|处置|处理|"
                                 r"储存|贮存|堆存|运输|收入|产值|税|利润)[^,;。]{0,6}$")
#: words right after an amount that make it something other than a capacity
NOT_CAPACITY_AFTER = re.compile(r"^(?:标煤|标准煤|煤炭|原煤|洗精煤|精煤|煤|二氧化硫|氮氧化物|颗粒物|"
                                r"烟尘|粉尘|废水|污水|固废|固体废物|危废|危险废物|VOCs|CO2|二氧化碳|"
                                r"(?:新鲜)?水(?![泥晶])|蒸汽|元|万元|亩|平方米)", re.IGNORECASE)


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    text: str


#: texts up to this length have their clauses remembered: every number read in a description
#: asks for its clause (a dozen a description), and a batch row's description is read by
#: several readers; longer texts are split each time
REMEMBERED_CHARS = 2_000


@remembered(REMEMBERED_CHARS, 64)
def clauses(text: str) -> tuple[Clause, ...]:
    """The text's clauses, split at , ; 。 ! ? and line ends (empty ones left out)."""
    found: list[Clause] = []
    start = 0
    for match in _CLAUSE_END.finditer(text):
        if match.start() > start:
            found.append(Clause(start, match.start(), text[start:match.start()]))
        start = match.end()
    if start < len(text):
        found.append(Clause(start, len(text), text[start:]))
    return tuple(found)


def clause_at(text: str, position: int) -> Clause:
    for clause in clauses(text):
        if clause.start <= position < clause.end:
            return clause
    return Clause(position, position, "")


def side(text: str, position: int) -> str:
    """`retire` when the nearest action word before `position` in its clause retires, or the
    clause goes on to retire it (原有燃煤锅炉全部拆除); with no action word in the clause, the
    nearest one earlier in the sentence decides (拟退出2座高炉，对应产能120万吨); else `build`
    (a number with no action word at all is the project's own)."""
    clause = clause_at(text, position)
    nearest = _nearest(text[clause.start:position])
    if nearest is None:
        after = text[position:clause.end]
        if _RETIRE.search(after) and not _BUILD.search(after):
            return "retire"
        sentence_start = max(text.rfind(mark, 0, clause.start) for mark in "。;\n") + 1
        nearest = _nearest(text[sentence_start:clause.start])
    return nearest or "build"


def _nearest(before: str) -> str | None:
    retire = [match.end() for match in _RETIRE.finditer(before)]
    build = [match.end() for match in _BUILD.finditer(before)]
    if not retire and not build:
        return None
    return "retire" if retire and (not build or max(retire) > max(build)) else "build"


def is_not_capacity(text: str, start: int, end: int) -> bool:
    """Whether the amount at [start, end) is something else: the words since the last action
    word before it (以洗精煤为原料年产焦炭200万吨 is a capacity) or the words right after it."""
    clause = clause_at(text, start)
    before = text[clause.start:start]
    builds = [match.end() for match in _BUILD.finditer(before)]
    since = before[max(builds, default=0):]
    return bool(NOT_CAPACITY_BEFORE.search(since) or NOT_CAPACITY_AFTER.match(text[end:]))
