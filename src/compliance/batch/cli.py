"""`compliance batch` and `compliance generate`: plain typer callbacks the main app registers.

Only the arguments live here; the work is in `session`, imported when a command runs, so the
main CLI's start-up does not pay for openpyxl and the batch machinery.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from compliance.commandline import Engine


class CsvEncoding(StrEnum):
    utf8 = "utf-8"
    gbk = "gbk"


class JsonlResults(StrEnum):
    full = "full"
    findings = "findings"


#: how each choice is written: UTF-8 with a BOM (Excel), GB18030 (GBK's superset)
CSV_ENCODINGS = {CsvEncoding.utf8: "utf-8-sig", CsvEncoding.gbk: "gb18030"}


def batch_command(
    input_file: Annotated[Path | None, typer.Argument(
        metavar="INPUT", help="项目清单：.csv（UTF-8 / GBK）、.xlsx 或 .jsonl")] = None,
    output: Annotated[list[Path] | None, typer.Option(
        "--output", "-o", help="输出文件，按扩展名：.xlsx .csv .jsonl .html；可多次指定")] = None,
    sheet: Annotated[str | None, typer.Option(help="Excel 工作表名称（默认第一个）")] = None,
    mapping: Annotated[Path | None, typer.Option(
        help="表头对应表（YAML：「表头: 字段」）")] = None,
    as_of: Annotated[str | None, typer.Option(
        help="全部项目的审查基准日（默认各行的申报日期，否则今天）")] = None,
    workers: Annotated[int | None, typer.Option(min=1, help="工作进程数（默认全部核心）")] = None,
    engine: Annotated[Engine, typer.Option(help="规则引擎")] = Engine.durable,
    jsonl_results: Annotated[JsonlResults, typer.Option(
        help="JSONL 每行：full 完整审查结果（每行约 75 KB）；findings 仅需处理的结果"
             "（不符合、需审查、需补充、建议）及各状态计数（每行约 3–9 KB）")] = JsonlResults.full,
    conformity_dir: Annotated[Path | None, typer.Option(
        help="每个项目一份符合性分析表（Word），写入此文件夹（须不存在或为空）或 .zip")] = None,
    scheduler: Annotated[str | None, typer.Option(
        help="在 Dask 集群上审查：调度器地址，如 tcp://10.0.0.5:8786（需 pip install -e .[cluster]）"
    )] = None,
    shard_rows: Annotated[int | None, typer.Option(
        min=1, help="每个 .csv/.jsonl/.xlsx 输出按此行数拆分为多个文件（结果-00001.csv …）")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="不显示进度条")] = False,
    template: Annotated[Path | None, typer.Option(
        help="写出空白的 .xlsx 填报模板（带下拉选项）后退出")] = None,
) -> None:
    """批量审查项目清单 / screen a list of projects (CSV, Excel, JSONL)."""
    from compliance.batch import session

    session.batch(input_file, output, sheet, mapping, as_of, workers, engine.value,
                  jsonl_results.value, quiet, template, conformity_dir, scheduler, shard_rows)


def generate_command(
    target: Annotated[Path | None, typer.Argument(
        metavar="OUTPUT", help="输出清单：.csv、.xlsx 或 .jsonl（或用 -o）")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="输出清单：.csv、.xlsx 或 .jsonl")] = None,
    rows: Annotated[int, typer.Option(min=1, help="行数")] = 1000,
    seed: Annotated[int, typer.Option(help="随机种子（相同种子生成相同清单）")] = 1,
    encoding: Annotated[CsvEncoding, typer.Option(help="CSV 编码")] = CsvEncoding.utf8,
) -> None:
    """生成模拟项目清单（基准测试、演示）/ generate a synthetic project list."""
    from compliance.batch import session

    session.generate(target, output, rows, seed, CSV_ENCODINGS[encoding])
