"""The generator: deterministic by seed, readable by the batch, realistic shares."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from compliance.batch.columns import build_columns
from compliance.batch.generate import generate, headers
from compliance.batch.listfiles import write_list
from compliance.batch.readers import open_table
from compliance.batch.runner import Job, evaluate
from tests.batch.conftest import run


def test_same_seed_same_rows() -> None:
    assert list(generate(300, seed=7)) == list(generate(300, seed=7))
    assert list(generate(300, seed=7)) != list(generate(300, seed=8))


def test_every_header_maps_to_a_field() -> None:
    columns = build_columns(headers())
    assert columns.unknown() == ["备注"]


@pytest.mark.slow
def test_generated_lists_have_plausible_shares(tmp_path: Path) -> None:
    path = tmp_path / "g.xlsx"
    assert write_list(path, headers(), generate(400, seed=11)) == 400
    table = open_table(path)
    job = Job("python", None, build_columns(table.header))
    verdicts = Counter(result.verdict for _, result in evaluate(table.rows, job, workers=1))
    table.close()
    assert sum(verdicts.values()) == 400
    assert 0.01 < verdicts["rejected"] / 400 < 0.4
    assert verdicts["needs_info"] and verdicts["compliant"]
    assert verdicts["error"] < 20


def test_jsonl_lists_are_forms(tmp_path: Path) -> None:
    path = tmp_path / "g.jsonl"
    write_list(path, headers(), generate(50, seed=3))
    table = open_table(path)
    rows = list(table.rows)
    table.close()
    assert len(rows) == 50 and all(row.form is not None or row.blank for row in rows)


@pytest.mark.parametrize("args", [["-o", "g.csv"], ["--output", "g.csv"], ["g.csv"]])
def test_generate_names_its_file_with_o_or_positionally(tmp_path: Path, args: list[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """`compliance generate --rows N --seed S -o FILE` is the issue's own syntax."""
    monkeypatch.chdir(tmp_path)
    result = run("generate", "--rows", "5", "--seed", "3", *args)
    assert result.exit_code == 0, result.stderr
    assert len((tmp_path / "g.csv").read_text("utf-8-sig").splitlines()) == 6


@pytest.mark.parametrize("args", [[], ["a.csv", "-o", "b.csv"]])
def test_generate_wants_exactly_one_file(tmp_path: Path, args: list[str]) -> None:
    result = run("generate", *[str(tmp_path / arg) if arg.endswith(".csv") else arg
                               for arg in args])
    assert result.exit_code == 2 and "请指定一个输出文件" in result.stderr
