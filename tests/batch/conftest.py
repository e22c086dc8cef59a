"""Shared helpers: lists written in every format, and the batch commands run in-process."""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner, Result

from compliance.batch.cli import batch_command, generate_command

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "lists"
HEADER = ["项目名称", "建设性质", "所属行业", "所在市", "县（市、区）", "焦炉炭化室高度", "新增产能",
          "淘汰产能", "产能置换方案", "申报日期", "备注"]
#: (cells, expected verdict) — small enough for every test. Only rejections and errors are
#: pinned: a rule added to the rulebook may turn a pass into needs_info, never undo a failure.
ROWS: list[tuple[list[Any], str | None]] = [
    (["安阳焦炉<script>alert(1)</script>", "新建", "C2521", "安阳", "龙安区", "4.3米",
      "150万吨/年", "100万吨", "", "2020-01-01", "=cmd|' /C calc'!A0"], "rejected"),
    (["安阳焦炉6米减量", "改建", "C2521", "安阳市", "龙安区", "6.0米", "100万吨/年", "120万吨", "",
      "2020/1/1", ""], None),
    (["成都水泥等量", "改建", "C3011", "成都", "新津区", "", "300万吨/年", "300万吨/年", "是",
      "2021年9月1日", "+1"], None),
    (["唐山水泥", "新建", "C3011", "唐山", "玉田县", "", "4500吨/日", "", "", "2022.1.10", ""],
     None),
    ([""] * 11, "error"),
    (["安洋焦化", "新建", "C2521", "安洋", "", "6米", "", "", "", "2021-05-05", ""],
     "error"),
    (["<b>龙安</b>焦炉", "改建", "C2521", "安阳市", "龙安区", "四米三", "", "", "",
      "2021-05-06", "@SUM(A1)"], "error"),
    (["上海船舶扩建", "扩建", "C3731", "上海", "崇明区", "", "150", "0", "", "2020-11-02",
      "-2"],
     "rejected"),
]


def cache_formula_value(path: Path, formula: str, value: str) -> None:
    """Give a formula of the first sheet the value Excel would have saved (openpyxl saves
    none, and a formula never computed reads as blank)."""
    patched = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(patched, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":  # `<v />`, `<v></v>` with lxml
                data = re.sub(rf"<f>{re.escape(formula)}</f>(?:<v ?/>|<v></v>)".encode(),
                              f"<f>{formula}</f><v>{value}</v>".encode(), data)
            target.writestr(item, data)
    patched.replace(path)


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]],
              encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def small_list(tmp_path: Path) -> Path:
    """The ROWS list as a UTF-8 CSV."""
    return write_csv(tmp_path / "list.csv", HEADER, [cells for cells, _ in ROWS])


def app() -> typer.Typer:
    """The two commands as the main app registers them."""
    application = typer.Typer()
    application.command("batch")(batch_command)
    application.command("generate")(generate_command)
    return application


def run(*args: str | Path) -> Result:
    """`compliance batch|generate …` in-process; stderr is kept apart from stdout."""
    return CliRunner().invoke(app(), [str(arg) for arg in args], env={"CI": "1"})


def last_line(result: Result) -> str:
    return result.stderr.strip().splitlines()[-1]


def markdown_table(text: str, head: str) -> list[list[str]]:
    """The cells of every body row of the Markdown table whose header row starts with `head`
    (`\\|` inside a cell is not a separator)."""
    rows = []
    for line in text[text.index(head):].splitlines()[2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]])
    return rows


XXE = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
ENTITY_BOMB = ('<!DOCTYPE lolz [<!ENTITY lol0 "lol">' + "".join(
    f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, 10)) + "]>")


def declared_workbook(path: Path, declaration: str, entity: str) -> Path:
    """A workbook whose sheet declares a document type and uses `entity` in a cell: how a
    file reads the server's files (XXE) or unpacks to gigabytes (an entity bomb)."""
    from openpyxl import Workbook

    plain = path.with_name(f"plain-{path.name}")
    book = Workbook()
    book.active.append(["项目名称", "所在市"])
    book.active.append(["甲", "安阳"])
    book.save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode().replace("&#30002;", f"&{entity};")
                data = ('<?xml version="1.0" encoding="UTF-8"?>' + declaration + text).encode()
            target.writestr(item, data)
    plain.unlink()
    return path
