"""Input errors: what was wrong, where, in Chinese for users and English for logs.

Bad input never crashes and is never silently guessed: every problem names its field path.
"""

from __future__ import annotations

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


def _shown(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 40 else text[:37] + "…"


def _zh(error: dict[str, Any]) -> str:
    kind, ctx, given = error["type"], error.get("ctx") or {}, error.get("input")
    messages = {
        "missing": "必填项，未填写",
        "extra_forbidden": "未知字段（请检查拼写，字段名见 `compliance schema`）",
        "finite_number": "须为有限数值",
        "float_parsing": f"须为数值，收到「{_shown(given)}」",
        "float_type": f"须为数值，收到「{_shown(given)}」",
        "int_parsing": f"须为整数，收到「{_shown(given)}」",
        "bool_parsing": f"须为是/否（true/false），收到「{_shown(given)}」",
        "bool_type": f"须为是/否（true/false），收到「{_shown(given)}」",
        "string_type": f"须为文字，收到「{_shown(given)}」",
        "date_from_datetime_parsing": f"须为日期（YYYY-MM-DD），收到「{_shown(given)}」",
        "date_parsing": f"须为日期（YYYY-MM-DD），收到「{_shown(given)}」",
        "date_type": f"须为日期（YYYY-MM-DD），收到「{_shown(given)}」",
        "less_than_equal": f"不得大于 {ctx.get('le')}",
        "greater_than_equal": f"不得小于 {ctx.get('ge')}",
        "string_too_long": f"过长（最多 {ctx.get('max_length')} 字）",
        "string_too_short": "不得为空",
        "too_short": "不得为空",
        "too_long": f"过多（最多 {ctx.get('max_length')} 项）",
        "string_pattern_mismatch": f"格式不符，收到「{_shown(given)}」",
        "enum": f"须为以下之一：{ctx.get('expected', '')}，收到「{_shown(given)}」",
        "list_type": "须为列表",
        "model_type": "须为一组字段（对象）",
        "dict_type": "须为一组字段（对象）",
    }
    return messages.get(kind, f"无效：{error.get('msg', kind)}")


def from_validation_error(error: ValidationError) -> InputError:
    problems = []
    for item in error.errors():
        path = ".".join(str(part) for part in item["loc"]) or "(form)"
        problems.append(FieldProblem(path, _zh(item), item["msg"]))
    return InputError(problems)
