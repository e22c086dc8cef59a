"""Fuzzing `compliance check` with generated files: exit code in {0, 1, 2, 3}, never a traceback.

Files are valid and near-valid forms written as YAML or JSON, truncated, prefixed with a BOM or
bytes that are not UTF-8, binary junk, and a list of nasty files (tags, multi-documents, NaN in
JSON, over 1 MiB …). FUZZ_EXAMPLES // 3 examples (at least 50), each a full CLI run.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from compliance import cli, commandline
from compliance.checker import read_form_file
from compliance.errors import InputError
from tests.fuzz.strategies import BOMB_YAML, EXAMPLES, FUZZ, form_files, record, time_limit

pytestmark = pytest.mark.slow

CLI_EXAMPLES = max(50, EXAMPLES // 3)
EXIT_FOR = {"compliant": 0, "rejected": 1, "needs_info": 3, "needs_review": 3}
COUNTS: Counter[str] = Counter()
runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    record(dict(COUNTS), __name__)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory, rulebook):
    """Loading the rule files takes ~0.6 s and is not what is fuzzed here: load them once."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(commandline, "load_rules", lambda: rulebook)
        yield tmp_path_factory.mktemp("fuzz-cli")


def squeeze(text: str) -> str:
    return "".join(text.split())


@settings(FUZZ, max_examples=CLI_EXAMPLES)
@given(file=form_files(), output_format=st.sampled_from(["json", "terminal", "md", "html"]),
       engine=st.sampled_from(["python", "python", "durable"]),
       as_of=st.sampled_from([None, None, "2019-06-04", "2021-01-01", "2019-02-30", "今天"]))
def test_check_exits_with_a_contract_code_and_no_traceback(workdir, file, output_format, engine,
                                                           as_of):
    suffix, data = file
    path = workdir / f"form{suffix}"
    path.write_bytes(data)
    args = ["check", str(path), "--format", output_format, "--engine", engine]
    if as_of is not None:
        args += ["--as-of", as_of]
    with time_limit():
        result = runner.invoke(cli.app, args)
    output = result.output + (result.stderr or "")
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"crash: {result.exception!r}\n{output[-2000:]}")
    assert result.exit_code in (0, 1, 2, 3), output[-2000:]
    assert "Traceback" not in output, output[-2000:]
    if result.exit_code == 2:
        # bad input or usage: the message names the file (or the option) that is wrong
        assert squeeze(str(path)) in squeeze(result.stderr) or "--as-of" in result.stderr, (
            result.stderr[-1000:])
    elif output_format == "json":
        verdict = json.loads(result.stdout)
        assert EXIT_FOR[verdict["verdict"]] == result.exit_code
    COUNTS[f"exit_{result.exit_code}"] += 1


# --------------------------------------------------------------------------- regressions
# Crashes this fuzzing found in the core (fixed in errors.py / checker.py): each stays pinned.


def test_regression_deeply_nested_json_file_is_an_input_error(tmp_path):
    """json.loads raises RecursionError (not JSONDecodeError) on a deeply nested file."""
    path = tmp_path / "deep.json"
    path.write_text('{"name": "x", "junk": ' + "[" * 3000 + "]" * 3000 + "}", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_form_file(path)
    assert raised.value.problems[0].path == "(file)"


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_regression_deeply_nested_file_exits_2_naming_the_file(workdir, suffix):
    """Used to print a RecursionError traceback and exit 1 (as if rejected)."""
    path = workdir / f"deep{suffix}"
    path.write_text('{"name": "x", "project_type": "new", "industry": "C2521", "junk": '
                    + "[" * 3000 + "]" * 3000 + "}\n", encoding="utf-8")
    result = runner.invoke(cli.app, ["check", str(path), "--engine", "python"])
    assert isinstance(result.exception, SystemExit | None) and result.exit_code == 2
    assert squeeze(str(path)) in squeeze(result.stderr)


def test_regression_yaml_alias_bomb_exits_2_quickly(tmp_path):
    """A 456-byte YAML billion-laughs file used to hang `compliance check`."""
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB_YAML, encoding="utf-8")
    command = [sys.executable, "-m", "compliance", "check", str(path), "--engine", "python"]
    try:
        child = subprocess.run(command, capture_output=True, text=True, timeout=30, cwd=ROOT)
    except subprocess.TimeoutExpired:
        pytest.fail("compliance check did not answer within 30 s")
    assert child.returncode == 2, child.stderr[-2000:]
    assert "Traceback" not in child.stderr


SEGFAULT = "from compliance.yamlio import safe_load\nsafe_load('junk: ' + '[' * 50000 + ']' * 50000)"


def test_regression_deeply_nested_yaml_does_not_kill_the_process(tmp_path):
    """libyaml before PyYAML 6.0.4 composed nodes recursively in C and segfaulted on YAML nested
    ~30,000 deep: a 60 KB form killed `compliance check` (hence `pyyaml>=6.0.4`)."""
    child = subprocess.run([sys.executable, "-c", SEGFAULT], capture_output=True, text=True,
                           timeout=60, cwd=ROOT)
    assert child.returncode >= 0, f"killed by signal {-child.returncode}"
    path = tmp_path / "deep.yaml"
    path.write_text("name: x\nproject_type: new\nindustry: C2521\njunk: " + "[" * 50_000
                    + "]" * 50_000 + "\n", encoding="utf-8")
    command = [sys.executable, "-m", "compliance", "check", str(path), "--engine", "python"]
    child = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert child.returncode == 2, (child.returncode, child.stderr[-1000:])
