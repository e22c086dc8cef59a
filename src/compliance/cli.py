"""The `compliance` command: check forms, inspect and lint the rules, print the schema.

Exit codes (DESIGN.md): 0 compliant, 1 rejected, 3 needs_info or needs_review, 2 bad input or
usage, with a message naming the file and the field.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from compliance import __version__
from compliance.batch.cli import batch_command, generate_command
from compliance.checker import Checker, read_form_file
from compliance.commandline import (
    EXIT_BAD_INPUT,
    Engine,
    fail_usage,
    load_rules,
    open_checker,
    run,
    say,
    stderr,
    written_problem,
)
from compliance.errors import InputError
from compliance.extract.cli import extract_command
from compliance.form import ProjectForm
from compliance.presenters import jsonout
from compliance.reference import industry_key_names
from compliance.result import EFFECT_LABELS_ZH, Lang, Verdict
from compliance.rulebook.mutation.cli import mutate_command
from compliance.web.cli import audit_verify_command, serve_command

if TYPE_CHECKING:
    from compliance.batch.writers.common import AtomicFile

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="建设项目产业政策合规审查 / compliance checks for industrial projects")
rules_app = typer.Typer(no_args_is_help=True, help="规则：列出、查看、检查 / list, show, lint rules")
app.add_typer(rules_app, name="rules")
audit_app = typer.Typer(no_args_is_help=True, help="审查记录：核验哈希链 / the audit trail")
app.add_typer(audit_app, name="audit")

EXIT_CODES = {"compliant": 0, "rejected": 1, "needs_info": 3, "needs_review": 3}


def _show_version(asked: bool) -> None:
    if asked:
        typer.echo(f"compliance {__version__}")
        raise typer.Exit()


@app.callback()
def _options(version: Annotated[bool, typer.Option(
        "--version", callback=_show_version, is_eager=True,
        help="显示版本号 / show the version")] = False) -> None:
    """建设项目产业政策合规审查 / compliance checks for industrial projects"""


class Format(StrEnum):
    terminal = "terminal"
    json = "json"
    md = "md"
    html = "html"
    conformity_md = "conformity-md"
    conformity_docx = "conformity-docx"
    conformity_xlsx = "conformity-xlsx"


#: the 符合性分析 formats: Chinese only, from the form's facts as well as its verdict
CONFORMITY = (Format.conformity_md, Format.conformity_docx, Format.conformity_xlsx)
#: the formats written as a file (`-o`), not as text
BINARY = (Format.conformity_docx, Format.conformity_xlsx)


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise fail_usage(f"--as-of: 日期须为 YYYY-MM-DD，收到「{value}」") from None


def _render(verdicts: list[Verdict], output_format: Format, lang: str, show_all: bool,
            forms: list[dict] | None = None, issuer: str = "") -> str | None:
    from compliance import presenters

    if output_format is Format.md:
        return presenters.render_markdown(verdicts, lang=lang, show_all=show_all)
    if output_format is Format.html:
        return presenters.render_html(verdicts, lang=lang, show_all=show_all, forms=forms,
                                      issuer=issuer)
    presenters.render_terminal(verdicts, Console(), lang=lang, show_all=show_all)
    return None


def _conformity(verdicts: list[Verdict], forms: list[dict], checker: Checker,
                output_format: Format, output: Path | None) -> str | None:
    """The 符合性分析 tables of each checked form (the facts decide which documents reach it):
    Markdown text, or a Word document written to `output`."""
    from compliance.presenters.conformity import build
    from compliance.presenters.conformity_docx import render_conformity_docx
    from compliance.presenters.conformity_md import render_conformity_md
    from compliance.presenters.conformity_xlsx import render_conformity_xlsx

    conformities = [build(verdict, checker.rulebook, checker.facts(form).values)
                    for verdict, form in zip(verdicts, forms, strict=True)]
    if output_format in BINARY and output is not None:
        render = (render_conformity_docx if output_format is Format.conformity_docx
                  else render_conformity_xlsx)
        render(conformities, output)
        return None
    return render_conformity_md(conformities)


def _checked(files: list[Path], checker: Checker, as_of: dt.date | None,
             lang: str) -> Iterator[tuple[Path, Verdict | InputError]]:
    """Each file's verdict, or its input error, in order: a bad file never stops the others."""
    for path in files:
        try:
            yield path, checker.check(read_form_file(path), as_of=as_of, lang=lang)
        except InputError as error:
            yield path, error if error.source else error.with_source(str(path))


def exit_code(verdicts: set[str], bad_input: bool) -> int:
    """Bad input (2) first, then the contract's precedence: rejected, needs_*, compliant."""
    if bad_input:
        return EXIT_BAD_INPUT
    for verdict in ("rejected", "needs_info", "needs_review"):
        if verdict in verdicts:
            return EXIT_CODES[verdict]
    return 0


@app.command()
def check(
    files: Annotated[list[Path], typer.Argument(help="项目表单（YAML 或 JSON）")],
    output_format: Annotated[Format, typer.Option("--format", "-f")] = Format.terminal,
    as_of: Annotated[str | None, typer.Option(help="审查基准日 YYYY-MM-DD")] = None,
    lang: Annotated[Lang, typer.Option()] = Lang.zh,
    show_all: Annotated[bool, typer.Option("--all", help="也列出符合和不适用的规定")] = False,
    engine: Annotated[Engine, typer.Option()] = Engine.durable,
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
    issuer: Annotated[str, typer.Option(
        help="HTML 报告抬头的审查机关名称 / the issuing body printed on HTML reports")] = "",
) -> None:
    """审查一个或多个项目表单 / check project forms.

    退出码：0 符合；1 不予通过；3 需补充材料或需重点审查；2 输入有误（某个文件有误时，其余文件照常审查）。
    多个文件时 JSON 为数组，每个文件一项、按输入顺序；有误的文件一项为
    {"file", "verdict": "error", "problems"}。
    """
    date = _parse_date(as_of)
    if output_format in CONFORMITY and lang is not Lang.zh:
        raise fail_usage(f"--format {output_format.value}: 符合性分析表用于中文报告，只有中文"
                         "（请去掉 --lang en）")
    binary = output_format in BINARY
    if binary and output is None:
        raise fail_usage(f"--format {output_format.value}: 请用 -o 指定要写入的文件")
    checker = open_checker(engine.value)
    errors: list[InputError] = []
    verdict_names: set[str] = set()
    target = _atomic(output) if output is not None else None  # in place only when complete
    sink = (target.path.open("w", encoding="utf-8") if target is not None and not binary
            else sys.stdout)
    try:
        checked = _checked(files, checker, date, lang.value)
        if output_format is Format.json:  # streamed: 1,500 verdicts are 90 MB of JSON
            checked = jsonout.write_json(checked, sink, single=len(files) == 1)
        verdicts: list[Verdict] = []
        checked_paths: list[Path] = []
        for path, outcome in checked:
            if isinstance(outcome, InputError):
                errors.append(outcome)
                continue
            verdict_names.add(outcome.verdict)
            if output_format is not Format.json:
                verdicts.append(outcome)
                checked_paths.append(path)
        forms = ([read_form_file(path) for path in checked_paths]
                 if output_format in (Format.html, *CONFORMITY) else None)
        if output_format in CONFORMITY:
            text = _conformity(verdicts, forms or [], checker, output_format,
                               target.path if target else None) if verdicts else None
        else:
            text = _render(verdicts, output_format, lang.value, show_all, forms,
                           issuer) if verdicts else None
        if text is not None:
            sink.write(text + "\n")
        if sink is not sys.stdout:
            sink.close()
        if target is not None:
            target.commit()
    except OSError as error:
        raise fail_usage(f"{output}: 无法写出（{written_problem(error)}），未写出任何文件") from None
    finally:
        checker.close()
        if sink is not sys.stdout:
            sink.close()
        if target is not None:
            target.discard()  # nothing once committed; the temporary file otherwise
    console = stderr()
    for error in errors:
        say("[red]输入错误[/red] ", str(error), console)
    raise typer.Exit(exit_code(verdict_names, bad_input=bool(errors)))


def _atomic(output: Path) -> AtomicFile:
    """A temporary file beside `output`, renamed onto it only when the whole output is written."""
    from compliance.batch.writers.common import AtomicFile

    try:
        return AtomicFile(output)
    except OSError as error:
        raise fail_usage(f"{output}: 无法写出（{written_problem(error)}）") from None


@app.command()
def schema() -> None:
    """打印项目表单的 JSON Schema / print the project form's JSON Schema."""
    sys.stdout.write(json.dumps(ProjectForm.model_json_schema(), ensure_ascii=False, indent=2))
    sys.stdout.write("\n")


def _rule_json(rule) -> dict:  # type: ignore[no-untyped-def]
    document = rule.document
    return {
        "rule_id": rule.id, "effect": rule.rule.effect,
        "title": rule.rule.title.model_dump(),
        "citation": {"document": document.title, "number": document.number,
                     "clause": rule.rule.clause, "quote": rule.rule.quote},
        "industries": rule.rule.applies_to.industries,
        "project_types": rule.rule.applies_to.project_types,
        "jurisdiction": document.jurisdiction.name_zh,
        "valid_from": rule.valid_from.isoformat(),
        "valid_until": rule.valid_until.isoformat() if rule.valid_until else None,
        "remedy": rule.rule.remedy,
    }


@rules_app.command("list")
def rules_list(
    output_format: Annotated[str, typer.Option("--format", "-f", help="terminal | json")] =
    "terminal",
) -> None:
    """列出全部规则 / list all rules."""
    rulebook = load_rules()
    if output_format == "json":
        payload = [_rule_json(rule) for rule in rulebook.rules]
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return
    from rich.table import Table

    table = Table("规则", "效力", "依据", "标题")
    for rule in rulebook.rules:
        table.add_row(rule.id, rule.rule.effect, f"{rule.document.number} {rule.rule.clause}",
                      rule.rule.title.zh)
    Console().print(table)


@rules_app.command("show")
def rules_show(
    rule_id: str,
    output_format: Annotated[str, typer.Option("--format", "-f", help="terminal | json")] =
    "terminal",
) -> None:
    """查看一条规则 / show one rule."""
    rulebook = load_rules()
    rule = rulebook.by_id.get(rule_id)
    if rule is None:
        raise fail_usage(f"未知规则「{rule_id}」（`compliance rules list` 列出全部）")
    payload = _rule_json(rule)
    if output_format == "json":
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return
    console = Console(highlight=False)
    say("", f"{rule.id}  {rule.rule.title.zh} / {rule.rule.title.en}", console)
    say("依据：", f"《{rule.document.title}》{rule.document.number} {rule.rule.clause}", console)
    say("原文：", rule.rule.quote, console)
    names = industry_key_names()
    industries = "、".join(names.get(key, "全部行业" if key == "*" else key)
                           for key in payload["industries"])
    until = f"至 {payload['valid_until']}" if payload["valid_until"] else "起"
    say("效力：", f"{EFFECT_LABELS_ZH[rule.rule.effect]}（{rule.rule.effect}）；"
                 f"适用行业：{industries}；适用地域：{payload['jurisdiction']}；"
                 f"有效期：{payload['valid_from']} {until}", console)
    say("整改建议：", rule.rule.remedy, console)


@rules_app.command("lint")
def rules_lint(
    engine: Annotated[Engine, typer.Option()] = Engine.python,
) -> None:
    """检查规则文件：字段、类型、原文引用、示例、引擎限制 / lint the rule files."""
    from compliance.rulebook.lint import lint

    rulebook = load_rules()
    checker = open_checker(engine.value)
    try:
        problems = lint(rulebook, checker)
    finally:
        checker.close()
    console = Console(highlight=False)
    for problem in problems:
        say("[red]✗[/red] ", str(problem), console)
    examples = sum(len(rule.rule.examples) for rule in rulebook.rules)
    console.print(f"{len(rulebook.rules)} rules, {examples} examples, {len(problems)} problems")
    raise typer.Exit(1 if problems else 0)


@rules_app.command("coverage")
def rules_coverage(
    output_format: Annotated[str, typer.Option("--format", "-f", help="terminal | json | md")] =
    "terminal",
    document: Annotated[str | None, typer.Option(
        "--document", "-d", help="文件编号或规则文件 id，如 工信部节〔2018〕136号 / miit-2018-136")] = None,
) -> None:
    """条款覆盖矩阵：每个文件每一条款的处理情况 / the clause coverage matrix."""
    from compliance.rulebook import coverage

    if output_format not in ("terminal", "json", "md"):
        raise fail_usage(f"--format: 须为 terminal、json 或 md，收到「{output_format}」")
    rulebook = load_rules()
    if document is not None and not coverage.select_files(rulebook, document):
        known = "、".join(f"{d.number}（{d.id}）" for d in rulebook.documents)
        raise fail_usage(f"--document: 未知文件「{document}」，可用：{known}")
    if output_format == "json":
        payload = [row.to_json() for row in coverage.coverage_rows(rulebook, document)]
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    elif output_format == "md":
        sys.stdout.write(coverage.render_markdown(rulebook, document))
    else:
        coverage.render_terminal(rulebook, Console(), document)



rules_app.command("mutate")(mutate_command)
audit_app.command("verify")(audit_verify_command)
app.command("serve")(serve_command)
app.command("batch")(batch_command)
app.command("generate")(generate_command)
app.command("extract")(extract_command)


def main() -> None:
    run(app)
