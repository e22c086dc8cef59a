"""Input errors: what was wrong, where, in Chinese for users and English for logs.

Bad input never crashes and is never silently guessed: every problem names its field path.
"""

from __future__ import annotations

import json
import re
import reprlib
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError


@dataclass(frozen=True)
class FieldProblem:
    path: str
    message_zh: str
    message_en: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message_zh}"


class InputError(ValueError):
    """One or more problems with a project form; `str()` lists them in Chinese."""

    def __init__(self, problems: list[FieldProblem], source: str | None = None) -> None:
        self.problems = problems
        self.source = source
        super().__init__(self.describe())

    def describe(self, lang: str = "zh") -> str:
        lines = [f"{p.path}: {p.message_zh if lang == 'zh' else p.message_en}"
                 for p in self.problems]
        prefix = f"{self.source}: " if self.source else ""
        return prefix + "; ".join(lines)

    def with_source(self, source: str) -> InputError:
        return InputError(self.problems, source)

    def as_json(self) -> list[dict[str, str]]:
        return [{"path": p.path, "message": p.message_zh, "message_en": p.message_en}
                for p in self.problems]


#: a bounded repr: a hostile value (an alias bomb, nesting past the recursion limit, a 1 MB
#: string) is shown by its first few items, never walked whole
_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxlist, _REPR.maxdict, _REPR.maxstring, _REPR.maxother = 2, 4, 4, 40, 40


def _shown(value: Any) -> str:
    text = value[:41] if isinstance(value, str) else _REPR.repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


_GOT = "，收到「{shown}」"
#: Chinese messages by pydantic error type; `{shown}` is the bad value, `{le}` … its context.
#: Formatted lazily, for the one message needed: showing a value costs a (bounded) repr.
_MESSAGES_ZH = {
    "missing": "必填项，未填写",
    "extra_forbidden": "未知字段（请检查拼写，字段名见 `compliance schema`）",
    "finite_number": "须为有限数值",
    "float_parsing": "须为数值" + _GOT,
    "float_type": "须为数值" + _GOT,
    "int_parsing": "须为整数" + _GOT,
    "bool_parsing": "须为是/否（true/false）" + _GOT,
    "bool_type": "须为是/否（true/false）" + _GOT,
    "string_type": "须为文字" + _GOT,
    "string_unicode": "须为文字（所给字节不是有效的 UTF-8 编码）" + _GOT,
    "date_from_datetime_parsing": "须为日期（YYYY-MM-DD）" + _GOT,
    "date_parsing": "须为日期（YYYY-MM-DD）" + _GOT,
    "date_type": "须为日期（YYYY-MM-DD）" + _GOT,
    "less_than_equal": "不得大于 {le}",
    "greater_than_equal": "不得小于 {ge}",
    "string_too_long": "过长（最多 {max_length} 字）",
    "string_too_short": "不得为空",
    "too_short": "不得为空",
    "too_long": "过多（最多 {max_length} 项）",
    "string_pattern_mismatch": "格式不符" + _GOT,
    "enum": "须为以下之一：{expected}" + _GOT,
    "list_type": "须为列表",
    "model_type": "须为一组字段（对象）",
    "dict_type": "须为一组字段（对象）",
    "invalid_key": "字段名须为文字",
    "recursion_loop": "含循环引用，不是项目表单的结构",
}


#: messages that read better for one field than the type's general one
_FIELD_MESSAGES_ZH = {
    ("industry", "list_type"): "须为行业代码或行业键（如 C2521、coking），或它们的列表" + _GOT,
}


def _zh(error: dict[str, Any], path: str) -> str:
    """The Chinese message; pydantic's English stays in `message_en`, never in this one."""
    template = _FIELD_MESSAGES_ZH.get((path, error["type"])) or _MESSAGES_ZH.get(
        error["type"], "取值无效" + _GOT)
    context: dict[str, Any] = {key: _number(value) for key, value in
                               (error.get("ctx") or {}).items()}
    if error["type"] == "enum":
        context["expected"] = _choices(path, str(context.get("expected", "")))
    if "{shown}" in template:
        context["shown"] = _shown(error.get("input"))
    return template.format_map(_Blank(context))


def _number(value: Any) -> Any:
    """`0.0` → `0`: bounds are printed as people write them."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _choices(path: str, expected: str) -> str:
    """`'new', 'expansion' or …` → `new（新建）、expansion（扩建）…` from the field's labels."""
    from compliance.fields import catalogue  # the catalogue reads the form, which imports us

    values = re.findall(r"'([^']*)'", expected)
    spec = catalogue().get(re.sub(r"\.\d+$", "", path))
    if spec is None or spec.enum is None:
        return "、".join(values)
    return "、".join(f"{value}（{spec.choice_label_zh(value)}）" for value in values)


class _Blank(dict):
    """Formatting context in which a key pydantic did not supply reads as empty."""

    def __missing__(self, key: str) -> str:
        return ""


def _path_part(part: object) -> str:
    """A key as written, quoted when blanks would hide it (`" "`, `"name "`)."""
    text = str(part)
    return json.dumps(text, ensure_ascii=False) if not text or text != text.strip() else text


def from_validation_error(error: ValidationError) -> InputError:
    problems = []
    for item in error.errors():
        path = ".".join(_path_part(part) for part in item["loc"]) or "(form)"
        problems.append(FieldProblem(path, _zh(item, path), item["msg"]))
    return InputError(problems)
