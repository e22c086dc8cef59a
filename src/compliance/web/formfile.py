"""One project form uploaded as a file on the check page ("fill in or upload a project form").

The file is what `compliance check` reads: YAML or JSON, UTF-8, at most 1 MiB, read with the
project's safe loader (no tags, no objects; dates stay text and are checked at their field).
Every problem is a `FieldProblem` on the `form_file` input, shown like the form's own.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from compliance.checker import MAX_FORM_BYTES, form_from_text
from compliance.errors import FieldProblem, InputError
from compliance.web.errors import UploadError

#: the input's name on the page, and the path its problems are reported at
FORM_FILE = "form_file"
SUFFIXES = (".yaml", ".yml", ".json")


def _refused(message_zh: str, message_en: str) -> UploadError:
    return UploadError([FieldProblem(FORM_FILE, message_zh, message_en)])


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
        data = form_from_text(text, json_only=suffix == ".json")
    except InputError as error:
        raise UploadError([FieldProblem(FORM_FILE, problem.message_zh, problem.message_en)
                           for problem in error.problems]) from None
    if not isinstance(data, dict):
        raise _refused("文件内容须为一个项目表单（字段名: 值）", "the file must hold one form (a mapping)")
    return data
