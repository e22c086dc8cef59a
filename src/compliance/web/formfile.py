"""One project form uploaded as a file on the check page ("fill in or upload a project form").

The file is what `compliance check` reads: YAML or JSON, UTF-8, at most 1 MiB, read with the
project's safe loader (no tags, no objects; dates stay text and are checked at their field).
Every problem is a `FieldProblem` on the `form_file` input, shown like the form's own.
"""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any

import yaml

from compliance.checker import MAX_FORM_BYTES
from compliance.errors import FieldProblem
from compliance.web.errors import UploadError
from compliance.yamlio import safe_load

#: the input's name on the page, and the path its problems are reported at
FORM_FILE = "form_file"
SUFFIXES = (".yaml", ".yml", ".json")


def _refused(message_zh: str, message_en: str) -> UploadError:
    return UploadError([FieldProblem(FORM_FILE, message_zh, message_en)])


def _position(error: Exception) -> str:
    """`（第 3 行第 5 列附近）` from a YAML or JSON error, when it says where."""
    mark = getattr(error, "problem_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark else (
        getattr(error, "lineno", None), getattr(error, "colno", None))
    return f"（第 {line} 行第 {column} 列附近）" if line else ""


def read_form_file(content: bytes, filename: str) -> dict[str, Any]:
    """The form in an uploaded file, or `UploadError` saying in Chinese what is wrong."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in SUFFIXES:
        raise _refused("仅支持 YAML（.yaml、.yml）或 JSON（.json）格式的项目表单文件",
                       f"not a .yaml/.yml/.json file: {filename[:80]!r}")
    if len(content) > MAX_FORM_BYTES:
        raise _refused("文件过大（上限 1 MiB）", "file over 1 MiB")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _refused("文件不是 UTF-8 编码，请另存为 UTF-8 后上传", f"not UTF-8: {error}") from None
    try:
        data = json.loads(text) if suffix == ".json" else safe_load(text)
    except RecursionError:
        raise _refused("嵌套层级过深，不是项目表单", "nested too deeply") from None
    except (yaml.YAMLError, ValueError) as error:  # JSONDecodeError is a ValueError
        kind = "JSON" if suffix == ".json" else "YAML"
        raise _refused(f"不是有效的 {kind}{_position(error)}",
                       f"not valid {kind}: {error}") from None
    if not isinstance(data, dict):
        raise _refused("文件内容须为一个项目表单（字段名: 值）", "the file must hold one form (a mapping)")
    return data
