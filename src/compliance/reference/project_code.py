"""The national investment project code (项目代码), read for what it says about the project.

Two formats are in use (shared reference, project-lists.md):

- since 2020-11 (发改投资〔2020〕1439号, GB/T 40058-2021): `YYMM-RRRRRR-DD-TT-NNNNNC`: issue year
  and month, the site's GB/T 2260 code, the central department that guides the project (NOT an
  industry: steel and coking projects carry 04 and 07), the project type, five random digits and
  a check character;
- before (2014 to 2020-10): `YYYY-RRRRRR-II-TT-NNNNNN`: year, site, the GB/T 4754 division of the
  industry (25 = 石油、煤炭及其他燃料加工业), 01 审批 / 02 核准 / 03 备案, serial.

The last two digits of the first block tell them apart: a month (01–12) in the new format, a year
(14–20) in the old one. The site is read as the division was when the code was issued (潞城市
140481 is today's 潞城区). The check character is not verified (its algorithm is not at hand); the
structure, the date and the place are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from compliance.folding import compact

from ._division_index import Place
from .errors import lookup_error
from .history import name_as_of, place_as_issued
from .industries import lookup_code

#: one pattern for both formats; in text it follows 项目代码 / 备案代码 / 项目编码, often bracketed
CODE_PATTERN = re.compile(r"(?<![0-9A-Z])(\d{4})-(\d{6})-(\d{2})-(\d{2})-(\d{5}[0-9A-Z])"
                          r"(?![0-9A-Z])")
APPROVAL_KINDS = {"01": "审批", "02": "核准", "03": "备案"}
FIRST_NEW_FORMAT = (2020, 11)


@dataclass(frozen=True)
class ProjectCode:
    text: str
    scheme: Literal["2020", "2016"]
    year: int
    #: the month of issue (new format only)
    month: int | None
    #: the site's GB/T 2260 code as issued, its name then, and today's place for it
    place_code: str
    place_name_then: str | None
    place: Place
    #: old format: the GB/T 4754 division (`C25`) and 审批 / 核准 / 备案
    industry_division: str | None = None
    approval: str | None = None
    #: new format: the guiding central department's code (not an industry) and the project type
    department: str | None = None
    project_type_code: str | None = None

    @property
    def describe_zh(self) -> str:
        issued = f"{self.year}年{self.month}月" if self.month else f"{self.year}年"
        then = (f"（赋码时为「{self.place_name_then}」）"
                if self.place_name_then and self.place_name_then not in self.place.full_name
                else "")
        parts = [f"{issued}赋码", f"建设地点 {self.place.full_name}{then}"]
        if self.industry_division:
            parts.append(f"行业门类大类 {self.industry_division}")
        if self.approval:
            parts.append(f"{self.approval}类项目")
        return "，".join(parts)


def find_project_codes(text: str) -> list[str]:
    """Every project code written in a text (full-width digits and dashes folded first)."""
    folded = _fold(text)
    return ["-".join(match.groups()) for match in CODE_PATTERN.finditer(folded)]


def decode_project_code(text: str, field: str = "project_code") -> ProjectCode:
    """The code's date, place and (old format) industry division and approval kind; a
    `ReferenceLookupError` in Chinese for text that is not a project code of either format."""
    folded = _fold(text).strip()
    match = CODE_PATTERN.fullmatch(folded)
    if match is None:
        raise lookup_error(field, f"「{text}」不是项目代码（应为 2101-410522-04-01-123456 或 "
                                  "2018-410522-25-03-012345 的格式）",
                           f"{text!r} is not a project code")
    first, site, third, fourth, _serial = match.groups()
    if int(first[2:]) <= 12:
        return _new_format(folded, first, site, third, fourth, field)
    return _old_format(folded, first, site, third, fourth, field)


def _new_format(text: str, first: str, site: str, department: str, kind: str,
                field: str) -> ProjectCode:
    year, month = 2000 + int(first[:2]), int(first[2:])
    if month == 0 or (year, month) < FIRST_NEW_FORMAT:
        raise lookup_error(field, f"项目代码「{text}」的赋码年月 {first} 无效"
                                  "（新格式自 2020 年 11 月起使用）",
                           f"project code {text!r}: issue month {first} is not valid")
    return ProjectCode(text, "2020", year, month, site, name_as_of(site, year),
                       place_as_issued(site, year, field), department=department,
                       project_type_code=kind)


def _old_format(text: str, first: str, site: str, division: str, approval: str,
                field: str) -> ProjectCode:
    year = int(first)
    if not 2014 <= year <= 2020:
        raise lookup_error(field, f"项目代码「{text}」的年份 {first} 无效（旧格式用于 2014–2020 年）",
                           f"project code {text!r}: year {first} is not valid")
    industry = _division_code(division)
    return ProjectCode(text, "2016", year, None, site, name_as_of(site, year),
                       place_as_issued(site, year, field), industry_division=industry,
                       approval=APPROVAL_KINDS.get(approval))


@cache
def _division_code(digits: str) -> str | None:
    """The code of the GB/T 4754-2017 division with these two digits (any section letter);
    worked out once for each of the 100 pairs (twenty look-ups each, every old-format code of
    a list)."""
    return next((entry.code for letter in "ABCDEFGHIJKLMNOPQRST"
                 if (entry := lookup_code(f"{letter}{digits}")) is not None
                 and entry.level == "division"), None)


def _fold(text: str) -> str:
    folded = compact(text)
    return re.sub(r"[‐‑‒–—―−－]", "-", folded).upper()
