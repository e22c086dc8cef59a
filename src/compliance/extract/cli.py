"""`compliance extract`: the partial form a project description states, and the words behind it."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from compliance.commandline import fail_usage, say
from compliance.explain import label
from compliance.extract.extractor import READING_ONLY_PREFIX, Extraction, Reading, extract

#: a description longer than this is refused (a notice's 建设内容 is a few hundred characters)
MAX_TEXT_CHARS = 100_000


class ExtractFormat(StrEnum):
    terminal = "terminal"
    json = "json"


def extract_command(
    text: Annotated[str | None, typer.Argument(
        help="项目建设内容（省略或写 - 则从标准输入读取） / the description; - or none: stdin")] = None,
    output_format: Annotated[ExtractFormat, typer.Option(
        "--format", "-f", help="terminal：中文表格；json：{form, readings, conflicts}")] =
        ExtractFormat.terminal,
) -> None:
    """从项目建设内容中读出表单字段 / read the form facts a project description states."""
    if text is None or text == "-":
        text = sys.stdin.read()
    if len(text) > MAX_TEXT_CHARS:
        raise fail_usage(f"(text): 内容过长（上限 {MAX_TEXT_CHARS:,} 字）")
    extraction = extract(text)
    if output_format is ExtractFormat.json:
        sys.stdout.write(json.dumps(extraction.to_json(), ensure_ascii=False, indent=2) + "\n")
        return
    render_terminal(extraction, Console())


def render_terminal(extraction: Extraction, console: Console) -> None:
    if not extraction.readings:
        console.print("未读出任何表单字段。")
        return
    table = Table(title="从项目建设内容读出", show_lines=False)
    for heading in ("字段", "读出的值", "原文", "读法"):
        table.add_column(heading)
    conflicted = {conflict.field for conflict in extraction.conflicts}
    for reading in extraction.readings:
        mark = "（冲突，未采用）" if reading.field in conflicted else ""
        name = (reading.rule if reading.field.startswith(READING_ONLY_PREFIX)
                else label(reading.field, "zh"))
        table.add_row(*(Text(cell) for cell in (name, f"{_shown(reading)}{mark}",
                                                 f"「{reading.text}」", reading.rule)))
    console.print(table)
    for conflict in extraction.conflicts:
        values = "、".join(_shown(reading) for reading in conflict.readings)
        say("冲突：", f"{label(conflict.field, 'zh')} 读出不同的值（{values}），未填入表单，请核对。",
            console)


def _shown(reading: Reading) -> str:
    value = reading.to_json()["value"]
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
