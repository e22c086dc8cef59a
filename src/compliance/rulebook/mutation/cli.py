"""`compliance rules mutate`: the run, shown in a terminal or as JSON; exit 1 below the threshold."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from compliance.paths import data_root
from compliance.rulebook.mutation.equivalents import MutateError, equivalents_path, load_equivalents
from compliance.rulebook.mutation.run import MutationReport, run_mutation


def render_terminal(report: MutationReport, console: Any) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table("文件 document", "变异体", "杀死", "存活", "等价", "得分")
    table.columns[0].no_wrap = True
    for doc, counts in report.by_document().items():
        table.add_row(doc, str(counts.mutants), str(counts.killed), str(counts.survived),
                      str(counts.equivalent), f"{counts.score:.1%}")
    total = report.overall
    table.add_row("[bold]合计 overall[/bold]", str(total.mutants), str(total.killed),
                  str(total.survived), str(total.equivalent), f"[bold]{total.score:.1%}[/bold]")
    if report.sample is not None:
        console.print(f"抽样 sample: {len(report.results)} / {report.generated} 个变异体"
                      f"（seed {report.seed}）", highlight=False)
    console.print(table)
    kinds = Table("变异算子 operator", "变异体", "杀死", "存活", "等价", "得分")
    kinds.columns[0].no_wrap = True
    for kind, counts in report.by_kind().items():
        kinds.add_row(kind, str(counts.mutants), str(counts.killed), str(counts.survived),
                      str(counts.equivalent), f"{counts.score:.1%}")
    console.print(kinds)
    if report.survivors:
        console.print(f"[yellow]存活的变异体 surviving mutants[/yellow]（{len(report.survivors)}）："
                      "补充能区分的示例，或确属等价时列入 "
                      f"{escape(_shown_path(equivalents_path()))} 并写明理由", highlight=False)
        for result in report.survivors:
            mutant = result.mutant
            hint = f"  [dim]（{escape(mutant.hint)}）[/dim]" if mutant.hint else ""
            console.print(f"  {escape(mutant.rule_id)}  [bold]{escape(mutant.mutation_id)}[/bold]"
                          f"  {escape(mutant.description)}{hint}", highlight=False)
    for entry, why in report.stale:
        console.print(f"[yellow]等价列表过期 stale equivalent[/yellow] "
                      f"{escape(f'{entry.rule} {entry.mutation}: {why}')}", highlight=False)
    for label, error in report.broken.items():
        console.print(f"[red]无法读取的示例 unreadable[/red] {escape(f'{label}: {error}')}",
                      highlight=False)
    for line in report.unexpected:
        console.print(f"[red]示例与预期不符 unexpected[/red] {escape(line)}", highlight=False)
    verdict = "[green]达标[/green]" if report.passed else "[red]未达标[/red]"
    console.print(f"变异得分 mutation score {total.score:.1%}（阈值 threshold "
                  f"{report.threshold:.0%}）{verdict}", highlight=False)


def _shown_path(path: Path) -> str:
    try:
        return str(path.relative_to(data_root()))
    except ValueError:
        return str(path)


class MutateFormat(StrEnum):
    terminal = "terminal"
    json = "json"


def mutate_command(
    threshold: Annotated[float, typer.Option(
        min=0.0, max=1.0, help="最低变异得分，低于则退出码 1 / minimum mutation score")] = 0.9,
    document: Annotated[str | None, typer.Option(
        "--document", "-d", help="只变异此文件的规则（规则文件 id 或文号）")] = None,
    rule: Annotated[str | None, typer.Option("--rule", "-r", help="只变异此规则")] = None,
    sample: Annotated[int | None, typer.Option(
        min=1, help="随机抽取 N 个变异体 / a seeded sample of N mutants")] = None,
    seed: Annotated[int, typer.Option(help="抽样种子 / sample seed")] = 0,
    output_format: Annotated[MutateFormat, typer.Option("--format", "-f")] =
    MutateFormat.terminal,
    equivalent: Annotated[Path | None, typer.Option(
        "--equivalent", help="等价变异体列表 / equivalent mutants file "
                             "(default rules/mutation/mutants-equivalent.yaml)")] = None,
) -> None:
    """变异测试：逐条改动规则，看示例能否发现 / rule mutation testing."""
    from rich.console import Console

    from compliance.commandline import fail_usage, load_rules

    rulebook = load_rules()
    if equivalent is not None and not equivalent.is_file():
        raise fail_usage(f"--equivalent: 文件不存在「{equivalent}」")
    try:
        listed = load_equivalents(equivalent)
        report = run_mutation(rulebook, document=document, rule=rule, sample=sample,
                              seed=seed, threshold=threshold, equivalents=listed)
    except MutateError as error:
        raise fail_usage(str(error)) from None
    if output_format is MutateFormat.json:
        typer.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        render_terminal(report, Console())
    raise typer.Exit(0 if report.passed else 1)
