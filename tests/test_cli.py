"""The `compliance` command as a user runs it: exit codes, formats, messages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from compliance import cli
from compliance.engine import durable_backend

pytestmark = pytest.mark.slow

runner = CliRunner()
REJECTED = {"name": "安阳焦化", "project_type": "new", "industry": "C2521",
            "application_date": "2020-03-01",
            "location": {"city": "安阳市"}, "capacity": {"unit": "万吨/年", "new": 100,
                                                         "retired": 100},
            "technology": {"coke_oven_chamber_height_m": 4.3}}
COMPLIANT = {"name": "常州机械", "project_type": "new", "industry": "C3442",
             "application_date": "2020-03-01",
             "location": {"city": "常州市", "in_industrial_park": True, "functional_zone": "key"},
             "procedures": {"investment_approved": True, "land_use_approved": True,
                            "energy_review_passed": True, "eia_approved": True},
             "emissions": {"water_pollutants_compliant": True},
             "industrial_policy_category": "permitted", "yangtze_negative_list": "not_listed"}


def write(tmp_path: Path, name: str, form: dict) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(form, allow_unicode=True), encoding="utf-8")
    return path


def invoke(*args: str):
    return runner.invoke(cli.app, list(args))


def test_exit_codes_follow_the_contract(tmp_path):
    assert invoke("check", str(write(tmp_path, "r.yaml", REJECTED))).exit_code == 1
    assert invoke("check", str(write(tmp_path, "c.yaml", COMPLIANT))).exit_code == 0
    missing = {**REJECTED, "technology": {}}
    assert invoke("check", str(write(tmp_path, "m.yaml", missing))).exit_code == 3


def test_json_is_one_object_for_one_file_and_an_array_for_several(tmp_path):
    one = invoke("check", "--format", "json", str(write(tmp_path, "r.yaml", REJECTED)))
    payload = json.loads(one.stdout)
    assert payload["verdict"] == "rejected"
    assert set(payload) >= {"verdict", "as_of", "ruleset_version", "results"}
    several = invoke("check", "-f", "json", str(tmp_path / "r.yaml"),
                     str(write(tmp_path, "c.yaml", COMPLIANT)))
    assert [v["verdict"] for v in json.loads(several.stdout)] == ["rejected", "compliant"]
    assert several.exit_code == 1


def test_several_files_exit_with_the_worst_verdict_by_precedence(tmp_path):
    review = {**REJECTED, "technology": {"coke_oven_chamber_height_m": 6}}
    result = invoke("check", "-f", "json", str(write(tmp_path, "review.yaml", review)),
                    str(write(tmp_path, "r.yaml", REJECTED)))
    verdicts = [item["verdict"] for item in json.loads(result.stdout)]
    assert "rejected" in verdicts and verdicts[0] != "rejected"
    assert result.exit_code == 1


def test_a_bad_file_keeps_its_place_in_the_array_and_the_others_are_checked(tmp_path):
    bad = write(tmp_path, "bad.yaml", {**REJECTED, "location": {"city": "安洋"}})
    good = write(tmp_path, "good.yaml", COMPLIANT)
    result = invoke("check", "-f", "json", str(bad), str(good))
    first, second = json.loads(result.stdout)
    assert first["file"] == str(bad) and first["verdict"] == "error"
    assert first["problems"][0]["path"] == "location.city"
    assert second["file"] == str(good) and second["verdict"] == "compliant"
    assert result.exit_code == 2


def test_an_impossible_date_in_yaml_is_a_field_error_not_a_crash(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text("name: x\nproject_type: new\nindustry: C2521\napplication_date: 2020-02-30\n",
                    encoding="utf-8")
    result = invoke("check", str(path))
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "application_date" in result.stderr and "YYYY-MM-DD" in result.stderr


def test_json_file_input_and_as_of(tmp_path):
    path = tmp_path / "r.json"
    path.write_text(json.dumps(REJECTED, ensure_ascii=False), encoding="utf-8")
    result = invoke("check", "-f", "json", "--as-of", "2019-06-03", str(path))
    assert json.loads(result.stdout)["as_of"] == "2019-06-03"


def test_bad_input_names_file_and_field_and_exits_2(tmp_path):
    bad = write(tmp_path, "bad.yaml", {**REJECTED, "location": {"city": "安洋"}})
    result = invoke("check", str(bad))
    assert result.exit_code == 2
    assert "bad.yaml" in result.stderr and "location.city" in result.stderr
    assert "安阳市" in result.stderr


def test_bad_usage_exits_2(tmp_path):
    assert invoke("check", "--as-of", "yesterday", str(write(tmp_path, "r.yaml",
                                                             REJECTED))).exit_code == 2
    assert invoke("check", str(tmp_path / "absent.yaml")).exit_code == 2
    (tmp_path / "broken.yaml").write_text("name: [unclosed", encoding="utf-8")
    assert invoke("check", str(tmp_path / "broken.yaml")).exit_code == 2


@pytest.mark.parametrize(("fmt", "needle"), [("md", "> "), ("html", "<blockquote"),
                                             ("terminal", "不予通过")])
def test_other_formats_quote_the_clause(tmp_path, fmt, needle):
    result = invoke("check", "--format", fmt, str(write(tmp_path, "r.yaml", REJECTED)))
    assert needle in result.stdout
    assert "安政办〔2019〕19号" in result.stdout


def test_english_and_all(tmp_path):
    result = invoke("check", "--lang", "en", "--all", str(write(tmp_path, "r.yaml", REJECTED)))
    assert "Rejected" in result.stdout or "rejected" in result.stdout.lower()


def test_schema_is_the_form_contract():
    schema = json.loads(invoke("schema").stdout)
    assert {"name", "project_type", "industry", "location", "technology"} <= set(
        schema["properties"])
    industry_types = {choice["type"] for choice in schema["properties"]["industry"]["anyOf"]}
    assert industry_types == {"string", "array"}  # "str or list of str"
    admin_code = schema["$defs"]["Location"]["properties"]["admin_code"]["anyOf"]
    assert {"string", "integer"} <= {choice["type"] for choice in admin_code}


def test_rules_list_and_show_as_json():
    rules = json.loads(invoke("rules", "list", "--format", "json").stdout)
    assert rules and all(rule["citation"]["quote"] for rule in rules)
    shown = json.loads(invoke("rules", "show", rules[0]["rule_id"], "-f", "json").stdout)
    assert shown == rules[0]
    assert invoke("rules", "show", "no/such-rule").exit_code == 2


def test_lint_passes_on_the_shipped_rules():
    result = invoke("rules", "lint")
    assert result.exit_code == 0, result.stdout


def test_unavailable_engine_names_the_alternative_and_never_switches(tmp_path, monkeypatch):
    monkeypatch.setattr(durable_backend, "native", None)
    result = invoke("check", str(write(tmp_path, "r.yaml", REJECTED)))
    assert result.exit_code == 2
    assert "--engine python" in result.stderr
    fallback = invoke("check", "--engine", "python", "-f", "json", str(tmp_path / "r.yaml"))
    assert json.loads(fallback.stdout)["engine"] == "python"


def test_python_dash_m_runs_the_cli():
    completed = subprocess.run([sys.executable, "-m", "compliance", "rules", "list", "-f",
                                "json"], capture_output=True, text=True, check=False)
    assert completed.returncode == 0 and json.loads(completed.stdout)


def _compliance(*args: str | Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The installed command itself: `run` (not CliRunner) is what turns errors into exit 2."""
    return subprocess.run([sys.executable, "-m", "compliance", *map(str, args)],
                          capture_output=True, text=True, timeout=120, check=False,
                          env={**os.environ, **env})


def test_user_text_is_never_read_as_markup(tmp_path: Path) -> None:
    """A city 「[/x]」 in a file named `[b]x.yaml`: shown as written, exit 2, no traceback."""
    path = write(tmp_path, "[b]x.yaml", {**REJECTED, "location": {"city": "[/x]"}})
    result = _compliance("check", path)
    assert result.returncode == 2, result.stderr
    assert "[b]x.yaml" in result.stderr and "「[/x]」" in result.stderr
    assert "Traceback" not in result.stderr and "MarkupError" not in result.stderr


def test_an_unexpected_error_is_one_line_and_exit_2(monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    import typer

    from compliance import commandline

    broken = typer.Typer()

    @broken.command()
    def explode() -> None:
        raise RuntimeError("a bug\nover [b]two[/b] lines")

    monkeypatch.setattr(sys, "argv", ["compliance"])
    with pytest.raises(SystemExit) as exit_info:
        commandline.run(broken)
    assert exit_info.value.code == 2  # 1 would read as "rejected"
    error = capsys.readouterr().err
    assert "内部错误" in error and "RuntimeError: a bug over [b]two[/b] lines" in error
    assert "Traceback" not in error and "COMPLIANCE_DEBUG=1" in error
    monkeypatch.setenv("COMPLIANCE_DEBUG", "1")
    with pytest.raises(RuntimeError):
        commandline.run(broken)


def test_batch_and_rules_share_the_usage_errors(tmp_path: Path) -> None:
    result = _compliance("batch", tmp_path / "[red]清单.csv", "-o", tmp_path / "r.csv")
    assert result.returncode == 2 and "[red]清单.csv" in result.stderr
    result = _compliance("rules", "show", "[/nope]")
    assert result.returncode == 2 and "未知规则「[/nope]」" in result.stderr


def test_a_full_disk_is_exit_2_with_a_message_and_leaves_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from compliance.batch.writers.csvfile import CsvWriter

    def no_space(*_: object, **__: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(CsvWriter, "write", no_space)
    listing = tmp_path / "list.csv"
    listing.write_text("项目名称,建设性质,所属行业,所在市\n甲,新建,C2521,安阳市\n", encoding="utf-8")
    result = invoke("batch", str(listing), "-o", str(tmp_path / "r.csv"),
                    "-o", str(tmp_path / "r.jsonl"), "--workers", "1")
    assert result.exit_code == 2 and "磁盘空间不足" in result.output
    assert sorted(path.name for path in tmp_path.iterdir()) == ["list.csv"]  # no .part left

    form = write(tmp_path, "form.yaml", REJECTED)
    monkeypatch.setattr("compliance.presenters.render_markdown", no_space)  # mid-way
    result = invoke("check", str(form), "-f", "md", "-o", str(tmp_path / "report.md"))
    assert result.exit_code == 2 and "磁盘空间不足" in result.output
    assert sorted(path.name for path in tmp_path.iterdir()) == ["form.yaml", "list.csv"]


def test_the_version_is_the_one_the_package_was_installed_with() -> None:
    """Written once, in compliance/__init__.py; pyproject.toml reads it from there."""
    from importlib.metadata import version

    result = runner.invoke(cli.app, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"compliance {version('compliance')}\n"
