"""`--shard-rows`: outputs split into numbered files, every row in exactly one, in order."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from compliance.batch.columns import build_columns
from compliance.batch.readers import open_table
from compliance.batch.runner import Job, run_batch
from compliance.batch.writers import Outputs, RunInfo
from compliance.batch.writers.csvfile import CsvWriter
from compliance.batch.writers.shards import is_shard_of, shard_path
from tests.batch.conftest import HEADER, ROWS, run, write_csv

INFO = RunInfo("list.csv", "python", "test", "2024-01-01")
SIZE = 3
SHARDS = -(-len(ROWS) // SIZE)


@pytest.fixture(scope="module")
def sharded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("shards")
    source = write_csv(folder / "list.csv", HEADER, [cells for cells, _ in ROWS])
    for stale in ("r-00009.csv", "r-00010.jsonl"):  # an earlier, longer run's shards
        (folder / stale).write_text("old", encoding="utf-8")
    result = run("batch", source, "-o", folder / "r.csv", "-o", folder / "r.jsonl",
                 "-o", folder / "r.xlsx", "-o", folder / "r.html", "--shard-rows", SIZE,
                 "--workers", "1")
    assert result.exit_code == 1, result.stderr
    return folder


def test_the_list_has_more_rows_than_one_shard() -> None:
    assert SHARDS >= 3 and len(ROWS) % SIZE  # a last shard that is not full


@pytest.mark.slow
def test_each_output_is_split_into_numbered_files_and_nothing_else_is_left(sharded: Path
                                                                           ) -> None:
    expected = {"list.csv", "r.html"} | {f"r-{number:05d}{suffix}"
                                         for number in range(1, SHARDS + 1)
                                         for suffix in (".csv", ".jsonl", ".xlsx")}
    assert {path.name for path in sharded.iterdir()} == expected


def test_every_row_is_in_exactly_one_csv_shard_in_order_each_with_the_header(sharded: Path
                                                                             ) -> None:
    numbers: list[int] = []
    for number in range(1, SHARDS + 1):
        with (sharded / f"r-{number:05d}.csv").open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        assert rows[0][:len(HEADER)] == HEADER
        assert 1 <= len(rows) - 1 <= SIZE
        numbers += [int(row[-1]) for row in rows[1:]]
    assert numbers == list(range(2, len(ROWS) + 2))  # 原表行号: the header is line 1


def test_jsonl_and_xlsx_shards_hold_the_same_rows(sharded: Path) -> None:
    for number in range(1, SHARDS + 1):
        lines = (sharded / f"r-{number:05d}.jsonl").read_text("utf-8").splitlines()
        book = load_workbook(sharded / f"r-{number:05d}.xlsx", read_only=True)
        sheet = book.worksheets[0]
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        book.close()
        first = (number - 1) * SIZE + 2
        assert [json.loads(line)["row"] for line in lines] == list(range(first, first + len(lines)))
        assert [row[-1] for row in rows] == [json.loads(line)["row"] for line in lines]


@pytest.mark.slow
def test_a_failed_run_leaves_no_shard(tmp_path: Path, small_list: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    written = 0
    original = CsvWriter.write

    def failing(self: CsvWriter, source: object, result: object) -> None:
        nonlocal written
        written += 1
        if written == 3:
            raise OSError("disk full")
        original(self, source, result)  # type: ignore[arg-type]

    monkeypatch.setattr(CsvWriter, "write", failing)
    table = open_table(small_list)
    job = Job("python", None, build_columns(table.header))
    with pytest.raises(OSError, match="disk full"):
        run_batch(table.rows, job, Outputs([tmp_path / "r.csv"], list(table.header), INFO,
                                           shard_rows=1), workers=1)
    table.close()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["list.csv"]


def test_shard_names() -> None:
    assert shard_path(Path("out/结果.csv"), 3) == Path("out/结果-00003.csv")
    assert is_shard_of(Path("out/结果-00012.csv"), Path("out/结果.csv"))
    assert not is_shard_of(Path("out/结果-12.csv"), Path("out/结果.csv"))
    assert not is_shard_of(Path("other/结果-00012.csv"), Path("out/结果.csv"))


def test_shard_rows_without_an_output_it_splits_is_refused(tmp_path: Path, small_list: Path
                                                           ) -> None:
    result = run("batch", small_list, "-o", tmp_path / "r.html", "--shard-rows", 5)
    assert result.exit_code == 2
    assert "--shard-rows 只拆分" in result.stderr
    assert not (tmp_path / "r.html").exists()


def test_an_input_named_like_a_shard_is_refused(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "r-00001.csv", HEADER, [cells for cells, _ in ROWS[:2]])
    result = run("batch", source, "-o", tmp_path / "r.csv", "--shard-rows", 1)
    assert result.exit_code == 2
    assert "分片同名" in result.stderr
