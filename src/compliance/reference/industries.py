"""GB/T 4754-2017 industry codes and the rulebook's industry keys.

Projects name their industry as people file it: a 2017 class code with or without the section
letter, a coarser group or division code, an official Chinese name, or a rulebook key such as
``coking``. Rules bind keys. This module turns the former into a code and the set of keys it
carries, refusing (with a suggestion) anything it cannot place, because a wrong industry would
silently switch rules off. Known GB/T 4754-2011 codes get a pointed message: older filings
still use them, and some (3130) mean something else in 2017.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from types import MappingProxyType

from compliance.folding import compact

from .data import read_csv, read_yaml, suggest
from .errors import ReferenceLookupError, lookup_error

CLASSIFICATION_FILE = "gbt4754_2017.csv"
VARIANTS_FILE = "gbt4754_2017_name_variants.csv"
RULEBOOK_FILE = "industries.yaml"

_CODE = re.compile(r"^[A-Z](\d{2}|\d{3}|\d{4})?$")
_DIGITS = re.compile(r"^\d{2,4}$")
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")

# 2011-edition codes that do not exist in 2017: digits -> (2011 name, 2017 code, detail).
_GONE_2011 = {
    "2520": ("炼焦", "C2521", ""),
    "1310": ("谷物磨制", "C131", "（细分为 C1311–C1319）"),
    "3150": ("铁合金冶炼", "C3140", ""),
}
# 2011-edition codes that exist in 2017 with another meaning: digits -> (2011 name, its 2017 code).
_CHANGED_2011 = {
    "3130": ("黑色金属铸造", "C3391"),
    "3140": ("钢压延加工", "C3130"),
    "3963": ("集成电路制造", "C3973"),
}


@dataclass(frozen=True)
class IndustryClass:
    """One entry of GB/T 4754-2017; ``level`` is section, division, group or class."""

    code: str
    name: str
    level: str


@dataclass(frozen=True)
class IndustryKey:
    """One rulebook key from industries.yaml."""

    key: str
    name_zh: str
    name_en: str
    codes: tuple[str, ...]
    note: str
    #: a form field that decides the key for a project filed under one of its codes, because
    #: the code also holds other products (C3091 holds graphite as well as aluminium carbon)
    product_field: str | None = None


@dataclass(frozen=True)
class ResolvedIndustry:
    """What a project's industry value means.

    ``code`` is the 2017 code (None when a rulebook key was given); ``keys`` are the keys that
    certainly apply; ``possible_keys`` adds the keys that may apply because the input was coarse
    (``C25`` may be coking), so a rule can answer needs_info rather than pass; ``warnings`` are
    Chinese notes for the officer (e.g. a code whose 2011 meaning differs).
    """

    input: str
    code: str | None
    name: str
    level: str
    keys: frozenset[str]
    possible_keys: frozenset[str]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Classification:
    by_code: dict[str, IndustryClass]
    by_digits: dict[str, str]
    by_name: dict[str, str]


@cache
def _classification() -> _Classification:
    """Index the classification by code, by letterless digits and by name (incl. variants)."""
    by_code: dict[str, IndustryClass] = {}
    for row in read_csv(CLASSIFICATION_FILE):
        by_code[row["code"]] = IndustryClass(row["code"], row["name"], row["level"])
    by_digits = {code[1:]: code for code in by_code if len(code) > 1}
    by_name: dict[str, str] = {}
    for row in read_csv(VARIANTS_FILE):
        if row["code"] in by_code:
            by_name.setdefault(compact(row["variant_name"]), row["code"])
    # Official names win over variants; a name shared by a group and its only class (炼铁)
    # means the class, the most specific code.
    for code in sorted(by_code, key=len):
        by_name[compact(by_code[code].name)] = code
    return _Classification(by_code, by_digits, by_name)


@cache
def _rulebook() -> tuple[dict[str, IndustryKey], frozenset[str]]:
    """Load and check industries.yaml: every code must exist, every 两高 key must be defined."""
    document = read_yaml(RULEBOOK_FILE)
    known = _classification().by_code
    keys: dict[str, IndustryKey] = {}
    for key, entry in document["industries"].items():
        codes = tuple(entry["codes"])
        bad = [code for code in codes if code not in known]
        if not _KEY.match(key) or not codes or bad:
            raise ValueError(f"{RULEBOOK_FILE}: key {key!r} has a bad name or codes {bad or codes}")
        keys[key] = IndustryKey(
            key, entry["name_zh"], entry["name_en"], codes, entry.get("note") or "",
            entry.get("product_field"),
        )
    two_high = frozenset(document["two_high"])
    if not two_high <= keys.keys():
        raise ValueError(
            f"{RULEBOOK_FILE}: two_high names unknown keys {sorted(two_high - keys.keys())}"
        )
    return keys, two_high


def rulebook_keys() -> dict[str, IndustryKey]:
    """Every rulebook key with its names, codes and note."""
    return dict(_rulebook()[0])


def all_industry_keys() -> tuple[str, ...]:
    """The rulebook's keys, sorted (for schemas, generators and rule validation)."""
    return tuple(sorted(_rulebook()[0]))


def industry_key_names() -> dict[str, str]:
    """Key -> Chinese name, for reports."""
    return {key: entry.name_zh for key, entry in _rulebook()[0].items()}


@cache
def product_fields() -> Mapping[str, str]:
    """Key -> the form field that decides it for a project filed by code (see IndustryKey);
    read on every derivation, so built once and read-only."""
    return MappingProxyType({key: entry.product_field for key, entry in _rulebook()[0].items()
                             if entry.product_field})


def two_high_keys() -> frozenset[str]:
    """The keys that make a project 两高 by default (see industries.yaml two_high_note)."""
    return _rulebook()[1]


@cache
def key_names_zh() -> dict[str, str]:
    """Chinese names that mean one rulebook key: `炼焦（焦化）` is also `炼焦` and `焦化`.

    A name `X（Y）` gives X, and Y too when Y is a synonym rather than a list (no 、, no 含):
    `水泥（含熟料、粉磨站）` gives only 水泥. A name two keys share means neither.
    """
    owners: dict[str, set[str]] = {}
    for key, entry in _rulebook()[0].items():
        name = compact(entry.name_zh)
        aliases = {name}
        head, _, rest = name.partition("(")  # `compact` made the brackets half-width
        if rest.endswith(")"):
            aliases.add(head)
            inner = rest[:-1]
            if "、" not in inner and not inner.startswith("含"):
                aliases.add(inner)
        for alias in aliases:
            owners.setdefault(alias, set()).add(key)
    return {alias: keys.pop() for alias, keys in owners.items() if len(keys) == 1}


def lookup_code(code: str) -> IndustryClass | None:
    """The classification entry for a code with its letter (``C2521``), or None."""
    return _classification().by_code.get(compact(code).upper())


def classes() -> Iterator[IndustryClass]:
    """Every class-level (4-digit) entry, in code order (for generators)."""
    return (entry for entry in _classification().by_code.values() if entry.level == "class")


@cache
def industry_keys(code: str) -> frozenset[str]:
    """The keys a code carries: those with a code equal to or a prefix of it.

    ``C2521`` carries ``coking``; the coarse ``C25`` carries only keys covering all of C25.
    Cached, because a batch asks the same few hundred codes again and again.
    """
    code = compact(code).upper()
    return frozenset(
        key
        for key, entry in _rulebook()[0].items()
        if any(code.startswith(prefix) for prefix in entry.codes)
    )


@cache
def _overlapping_keys(code: str) -> frozenset[str]:
    """Keys with a code inside or covering ``code`` (may apply to a project filed as it)."""
    return frozenset(
        key
        for key, entry in _rulebook()[0].items()
        if any(code.startswith(c) or c.startswith(code) for c in entry.codes)
    )


def _key_result(text: str, key: str) -> ResolvedIndustry:
    entry = _rulebook()[0][key]
    covering = frozenset.intersection(*(industry_keys(code) for code in entry.codes))
    possible = frozenset().union(*(_overlapping_keys(code) for code in entry.codes))
    return ResolvedIndustry(text, None, entry.name_zh, "key", covering, possible)


def _code_result(text: str, code: str, warnings: tuple[str, ...] = ()) -> ResolvedIndustry:
    entry = _classification().by_code[code]
    keys = industry_keys(code)
    possible = keys if entry.level == "class" else keys | _overlapping_keys(code)
    return ResolvedIndustry(text, code, entry.name, entry.level, keys, possible, warnings)


def _did_you_mean(candidates: tuple[str, ...]) -> str:
    return "，是否为" + "".join(f"「{c}」" for c in candidates) + "？" if candidates else ""


def _label(code: str) -> str:
    return f"{code} {_classification().by_code[code].name}"


def _unknown_code(text: str, code: str, field: str) -> ReferenceLookupError:
    letter = code[:1] if code[:1].isalpha() else ""
    digits = code[len(letter) :]
    if digits in _GONE_2011:
        old_name, new_code, detail = _GONE_2011[digits]
        return lookup_error(
            field,
            f"未知行业代码「{text}」（GB/T 4754-2017 无此代码；2011版的{digits}「{old_name}」"
            f"在2017版为 {new_code}{detail}）",
            f"unknown industry code {text!r}: not in GB/T 4754-2017; the 2011 code {digits} "
            f"({old_name}) is {new_code} in 2017",
            (new_code,),
        )
    by_digits = _classification().by_digits
    if letter and digits in by_digits:  # right digits, wrong section letter
        candidates: tuple[str, ...] = (_label(by_digits[digits]),)
    else:  # nearest codes of the same length, in the same division when there are any
        pool = [c for d, c in by_digits.items() if len(d) == len(digits)]
        near = [c for c in pool if c[1:3] == digits[:2]] or pool
        candidates = tuple(_label(c) for c in suggest(digits, ((c[1:], c) for c in near)))
    return lookup_error(
        field,
        f"未知行业代码「{text}」（GB/T 4754-2017 无此代码）{_did_you_mean(candidates)}",
        f"unknown industry code {text!r} (not in GB/T 4754-2017)",
        candidates,
    )


@lru_cache(maxsize=1024)  # as `resolve_place`: once per spelling, a refusal raised each time
def resolve_industry(value: str | int, field: str = "industry") -> ResolvedIndustry:
    """Resolve one industry value of a project form.

    Accepts ``C2521``, ``2521``, ``C252``/``C25``, ``Ｃ２５２１`` (full-width), a rulebook key
    (``coking``), or an official Chinese name or known variant (``炼焦``). Raises
    ReferenceLookupError naming ``field``, with a 2011-edition explanation or a suggestion.
    """
    text = compact(str(value))
    if not text:
        raise lookup_error(field, "行业不能为空", "industry is empty")
    rulebook, _ = _rulebook()
    if text.lower() in rulebook and _KEY.match(text.lower()):
        return _key_result(text, text.lower())
    classification = _classification()
    upper = text.upper()
    if _CODE.match(upper):
        if upper in classification.by_code:
            return _code_result(text, upper, _changed_warning(upper[1:]))
        raise _unknown_code(text, upper, field)
    if _DIGITS.match(text):
        if text in _GONE_2011 or text not in classification.by_digits:
            raise _unknown_code(text, text, field)
        return _code_result(text, classification.by_digits[text], _changed_warning(text))
    if text.isdigit():
        raise lookup_error(
            field,
            f"未知行业代码「{text}」（GB/T 4754-2017 代码为门类字母加2至4位数字，如 C2521）",
            f"unknown industry code {text!r} (a GB/T 4754-2017 code is a letter and 2-4 digits)",
        )
    if text in classification.by_name:
        return _code_result(text, classification.by_name[text])
    if text in key_names_zh():
        return _key_result(text, key_names_zh()[text])
    # Classes first, then coarser codes, each in code order: ties favour the specific code.
    names = sorted(classification.by_name.items(), key=lambda item: (-len(item[1]), item[1]))
    candidates = tuple(_label(code) for code in suggest(text, names))
    raise lookup_error(
        field,
        f"未知行业「{text}」{_did_you_mean(candidates)}",
        f"unknown industry {text!r}",
        candidates,
    )


def _changed_warning(digits: str) -> tuple[str, ...]:
    if digits not in _CHANGED_2011:
        return ()
    old_name, old_now = _CHANGED_2011[digits]
    code = _classification().by_digits[digits]
    return (
        f"注意：{digits} 在 GB/T 4754-2011 中为「{old_name}」（2017版为 {old_now}），"
        f"在2017版为「{_classification().by_code[code].name}」，请确认所用代码版本",
    )
