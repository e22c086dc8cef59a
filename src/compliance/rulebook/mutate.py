"""`compliance rules mutate`: does any example notice when a rule is wrong?

Each rule is changed in memory, one change at a time (a threshold nudged by one step of the
precision it is written with, `<=` ↔ `<`, an industry or project type dropped, a condition
removed, a validity date shifted by a day, the effect weakened …). A mutant is *killed* when one
of the rule's own examples gets another status for that rule, or one of the example projects in
`examples/projects/` gets another verdict or another list of failing / review rules. A mutant that
nothing notices *survives*: either an example is missing, or the change makes no difference the
form could ever show (an *equivalent* mutant), which is then listed with its reason in
`rules/mutation/mutants-equivalent.yaml`.

Mutation ids are stable strings built from the rule file's own paths (`condition.all[1].value+1step`,
`applies_to.industries-drop[coking]`, `valid_from-1day` …), so the equivalent list stays valid
while the rule files grow.

Evaluation uses the Python backend's `decide` on the mutant rule alone: every other rule of the
mutant rulebook is unchanged, so its status on a project is the unmutated run's (`apply` builds
the whole mutant rulebook; the tests check both ways agree).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from compliance import clock
from compliance import conditions as cond
from compliance.engine.python_backend import decide
from compliance.errors import InputError
from compliance.paths import data_root, rules_dir
from compliance.result import overall
from compliance.rulebook.book import CompiledRule, Rulebook, compile_rule
from compliance.rulebook.lint import example_as_of, example_form
from compliance.rulebook.model import ConditionSpec, Rule
from compliance.verdict import status_for

#: `effect` one step weaker: prohibit/require → restrict → advise
WEAKER = {"prohibit": "restrict", "require": "restrict", "restrict": "advise"}
#: order operators and their boundary twin, with the name used in mutation ids
BOUNDARY = {"<=": ("<", "strict"), "<": ("<=", "inclusive"), ">=": (">", "strict"),
            ">": (">=", "inclusive")}


class MutateError(ValueError):
    """Bad input to the mutation tool (equivalents file, unknown rule or document)."""


def equivalents_path() -> Path:
    """Not `rules/*.yaml`: every YAML file directly in `rules/` is loaded as a rule file."""
    return rules_dir() / "mutation" / "mutants-equivalent.yaml"


def projects_dir() -> Path:
    return data_root() / "examples" / "projects"


# --------------------------------------------------------------------------- mutants


@dataclass(frozen=True)
class Mutant:
    rule_id: str
    document_id: str
    #: stable: the rule file's path of what changed and how (`condition.all[1].value+1step`)
    mutation_id: str
    #: for people: what changed, old → new
    description: str
    rule: CompiledRule = field(repr=False, compare=False)
    #: why it may survive without an example being missing (a redundant industry key …)
    hint: str | None = None

    @property
    def kind(self) -> str:
        """The operator that made it, for the per-operator tally (`threshold`, `boundary` …)."""
        return operator_kind(self.mutation_id)

    @property
    def key(self) -> tuple[str, str]:
        return self.rule_id, self.mutation_id


def operator_kind(mutation_id: str) -> str:
    """`condition.all[1].value+1step` → `threshold`; read back from the stable id itself."""
    patterns = (("step", "threshold"), (".op-strict", "boundary"), (".op-inclusive", "boundary"),
                (".op-negated", "negation"), (".value-drop[", "in-list value dropped"),
                ("applies_to.industries-drop[", "industry dropped"),
                ("applies_to.equipment-drop[", "equipment dropped"),
                ("applies_to.project_types-drop[", "project type dropped"),
                ("applies_to.where-removed", "where removed"),
                ("jurisdiction-removed", "jurisdiction removed"),
                ("condition-removed", "condition removed"),
                ("review_if-removed", "review_if removed"), ("-removed", "item removed"),
                ("day", "validity shifted"), ("effect-weakened", "effect weakened"))
    for pattern, kind in patterns:
        if pattern in mutation_id and (pattern != "step" or mutation_id.endswith("step")):
            return kind
    return "other"


def show(spec: ConditionSpec | None) -> str:
    """A condition as one line: `technology.ammonia_unit_tpa < 300000`, `all(…, …)`."""
    if spec is None:
        return "(none)"
    if spec.field is not None:
        return f"{spec.field} {spec.op} {_value_text(spec.value)}"
    if spec.not_ is not None:
        return f"not({show(spec.not_)})"
    key, items = _items(spec)
    return f"{key}({', '.join(show(item) for item in items)})"


def _value_text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value_text(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _items(spec: ConditionSpec) -> tuple[str, list[ConditionSpec]]:
    return ("all", list(spec.all)) if spec.all is not None else ("any", list(spec.any or []))


def step_of(value: int | float | Decimal) -> tuple[Decimal, Decimal]:
    """The threshold as written and its smallest meaningful step: 4.3 → 0.1, 2000 → 1, 0.55 → 0.01.

    A float is read through its shortest text (how YAML wrote it, up to trailing zeros, which the
    rulebook drops too: `numbers.exact`).
    """
    written = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    exponent = written.as_tuple().exponent
    assert isinstance(exponent, int)
    return written, Decimal(1).scaleb(min(exponent, 0))


def _leaf_mutants(spec: ConditionSpec, path: str) -> Iterator[tuple[str, str, ConditionSpec]]:
    value, op = spec.value, spec.op
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool) and op != "exists":
        written, step = step_of(value)
        for sign, suffix in ((1, "+1step"), (-1, "-1step")):
            new = written + sign * step
            yield (f"{path}.value{suffix}", f"{path}: {spec.field} {op} {written} → {new}",
                   spec.model_copy(update={"value": new}))
    if op in BOUNDARY:
        twin, name = BOUNDARY[op]
        yield (f"{path}.op-{name}", f"{path}: {spec.field} {op} → {twin} {_value_text(value)}",
               spec.model_copy(update={"op": twin}))
    if op in ("==", "!=") and isinstance(value, bool):
        twin = "!=" if op == "==" else "=="
        yield (f"{path}.op-negated", f"{path}: {spec.field} {op} → {twin} {_value_text(value)}",
               spec.model_copy(update={"op": twin}))
    if op in ("in", "not_in") and isinstance(value, list):
        for index, dropped in enumerate(value):
            rest = [*value[:index], *value[index + 1:]]
            yield (f"{path}.value-drop[{_value_text(dropped)}]",
                   f"{path}: {spec.field} {op} 去掉 {_value_text(dropped)} → {_value_text(rest)}",
                   spec.model_copy(update={"value": rest}))


def tree_mutants(spec: ConditionSpec, path: str) -> Iterator[tuple[str, str, ConditionSpec]]:
    """Every one-change variant of a condition tree: (mutation id, description, new tree)."""
    if spec.field is not None:
        yield from _leaf_mutants(spec, path)
        return
    if spec.not_ is not None:
        for mutation_id, description, child in tree_mutants(spec.not_, f"{path}.not"):
            yield mutation_id, description, spec.model_copy(update={"not_": child})
        return
    key, items = _items(spec)
    for index, item in enumerate(items):
        where = f"{path}.{key}[{index}]"
        yield (f"{where}-removed", f"{where} 删除：{show(item)}",
               spec.model_copy(update={key: [*items[:index], *items[index + 1:]]}))
        for mutation_id, description, child in tree_mutants(item, where):
            yield (mutation_id, description,
                   spec.model_copy(update={key: [*items[:index], child, *items[index + 1:]]}))


def _rule_variants(compiled: CompiledRule) -> Iterator[tuple[str, str, Rule, bool]]:
    """(mutation id, description, mutant rule, whether the jurisdiction is dropped)."""
    rule = compiled.rule
    applies = rule.applies_to

    def with_applies(**update: Any) -> Rule:
        return rule.model_copy(update={"applies_to": applies.model_copy(update=update)})

    for key in applies.industries:
        rest = [k for k in applies.industries if k != key]
        yield (f"applies_to.industries-drop[{key}]", f"适用行业去掉 {key}", with_applies(industries=rest),
               False)
    for path in applies.equipment:
        rest = [p for p in applies.equipment if p != path]
        yield (f"applies_to.equipment-drop[{path}]", f"适用装备去掉 {path}",
               with_applies(equipment=rest), False)
    for project_type in applies.project_types:
        rest = [t for t in applies.project_types if t != project_type]
        yield (f"applies_to.project_types-drop[{project_type}]", f"适用建设性质去掉 {project_type}",
               with_applies(project_types=rest), False)
    if applies.where is not None:
        yield ("applies_to.where-removed", f"删除适用条件 where：{show(applies.where)}",
               with_applies(where=None), False)
        for mutation_id, description, where in tree_mutants(applies.where, "applies_to.where"):
            yield mutation_id, description, with_applies(where=where), False
    if compiled.document.jurisdiction.condition is not None:
        yield ("jurisdiction-removed",
               f"删除文件适用地域：{show(compiled.document.jurisdiction.condition)}", rule, True)
    for name in ("condition", "review_if"):
        spec: ConditionSpec | None = getattr(rule, name)
        if spec is None:
            continue
        yield f"{name}-removed", f"删除 {name}：{show(spec)}", rule.model_copy(update={name: None}), False
        for mutation_id, description, tree in tree_mutants(spec, name):
            yield mutation_id, description, rule.model_copy(update={name: tree}), False
    for name, date in (("valid_from", compiled.valid_from), ("valid_until", compiled.valid_until)):
        if date is None:
            continue
        for days, suffix in ((-1, "-1day"), (1, "+1day")):
            shifted = date + dt.timedelta(days=days)
            yield (f"{name}{suffix}", f"{name} {date} → {shifted}",
                   rule.model_copy(update={name: shifted}), False)
    if rule.effect in WEAKER:
        weaker = WEAKER[rule.effect]
        yield (f"effect-weakened[{weaker}]", f"效力 {rule.effect} → {weaker}",
               rule.model_copy(update={"effect": weaker}), False)


def covering_key(key: str, listed: Sequence[str]) -> str | None:
    """Another listed industry key that holds every code of `key`, if any.

    Then dropping `key` changes nothing any form can show (a project of `key` always carries the
    covering key too, and is unknown for it whenever it is unknown for `key`): the mutant is
    equivalent and the key is redundant in the rule file.
    """
    from compliance.reference.industries import rulebook_keys

    keys = rulebook_keys()
    if key not in keys:
        return None
    for other in listed:
        if other != key and other in keys and all(
                any(code.startswith(prefix) for prefix in keys[other].codes)
                for code in keys[key].codes):
            return other
    return None


def _hint(compiled: CompiledRule, mutation_id: str) -> str | None:
    applies = compiled.rule.applies_to
    if mutation_id.startswith("applies_to.industries-drop["):
        key = mutation_id.removeprefix("applies_to.industries-drop[").removesuffix("]")
        other = covering_key(key, applies.industries)
        if other:
            return f"可能等价：{key} 的全部代码已含于同列的 {other}（该行业键在规则中多余）"
    if (mutation_id.startswith("applies_to.project_types-drop[")
            and "project_types" not in applies.model_fields_set):
        return "规则未写 project_types（默认适用全部建设性质），没有该建设性质的示例"
    return None


def mutants(compiled: CompiledRule) -> list[Mutant]:
    """Every single-change mutant of one rule, compiled like the rulebook compiles rules."""
    document = compiled.document
    found: list[Mutant] = []
    for mutation_id, description, rule, drop_jurisdiction in _rule_variants(compiled):
        doc = document.model_copy(update={"jurisdiction": document.jurisdiction.model_copy(
            update={"condition": None})}) if drop_jurisdiction else document
        found.append(Mutant(compiled.id, document.id, mutation_id, description,
                            compile_rule(rule, doc), _hint(compiled, mutation_id)))
    return found


def apply(rulebook: Rulebook, mutant: Mutant) -> Rulebook:
    """The whole mutant rulebook: the mutated rule in its place, everything else unchanged."""
    rules = tuple(mutant.rule if rule.id == mutant.rule_id else rule for rule in rulebook.rules)
    return dataclasses.replace(rulebook, rules=rules)


# --------------------------------------------------------------------------- judging


@dataclass(frozen=True)
class Probe:
    """One example form, normalised once, with the date it is judged as of."""

    label: str
    values: Mapping[str, cond.Scalar]
    as_of: dt.date


def _status(rule: CompiledRule, probe: Probe) -> str:
    return status_for(rule, decide(rule, probe.values), probe.as_of)


def _summary(statuses: Mapping[str, str]) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """What an example project's expectation fixes: verdict, failing rules, review rules."""
    return (overall(list(statuses.values())),
            tuple(sorted(r for r, s in statuses.items() if s == "fail")),
            tuple(sorted(r for r, s in statuses.items() if s == "review")))


class Judge:
    """Decides whether anything notices a mutant; the unmutated outcomes are computed once."""

    def __init__(self, rulebook: Rulebook, project_paths: Iterable[Path] = ()) -> None:
        from compliance.checker import parse_form, read_form_file
        from compliance.facts import derive

        self.rulebook = rulebook
        #: examples or projects that could not be read (they prove nothing): label → error
        self.broken: dict[str, str] = {}
        #: examples whose status is not what they expect (`compliance rules lint` says more)
        self.unexpected: list[str] = []
        self.examples: dict[str, list[tuple[Probe, str]]] = {}
        for rule in rulebook.rules:
            probes: list[tuple[Probe, str]] = []
            for example in rule.rule.examples:
                label = f"example {rule.id} «{example.name}»"
                try:
                    values = derive(parse_form(example_form(example))).values
                    probe = Probe(label, values, example_as_of(example, rule))
                except (InputError, ValueError) as error:
                    self.broken[label] = str(error)
                    continue
                status = _status(rule, probe)
                if status != example.expect:
                    self.unexpected.append(f"{label}: expects {example.expect}, gets {status}")
                probes.append((probe, status))
            self.examples[rule.id] = probes
        self.projects: list[tuple[Probe, dict[str, str]]] = []
        for path in sorted(project_paths):
            label = f"project {path.stem}"
            try:
                facts = derive(parse_form(read_form_file(path)))
            except InputError as error:
                self.broken[label] = str(error)
                continue
            probe = Probe(label, facts.values, facts.form.application_date or clock.today())
            self.projects.append((probe, {rule.id: _status(rule, probe)
                                          for rule in rulebook.rules}))

    def killer(self, mutant: Mutant) -> str | None:
        """The first example or project whose outcome the mutant changes, else None."""
        for probe, status in self.examples.get(mutant.rule_id, []):
            changed = _status(mutant.rule, probe)
            if changed != status:
                return f"{probe.label}: {status} → {changed}"
        for probe, statuses in self.projects:
            changed = _status(mutant.rule, probe)
            if changed == statuses[mutant.rule_id]:
                continue
            before = _summary(statuses)
            after = _summary({**statuses, mutant.rule_id: changed})
            if after != before:
                return f"{probe.label}: {mutant.rule_id} {statuses[mutant.rule_id]} → {changed}"
        return None


# --------------------------------------------------------------------------- equivalents


@dataclass(frozen=True)
class Equivalent:
    rule: str
    mutation: str
    reason: str


def load_equivalents(path: Path | None) -> dict[tuple[str, str], Equivalent]:
    """The listed equivalent mutants; a missing file at the default place is an empty list."""
    from compliance.yamlio import safe_load

    path = path or equivalents_path()
    if not path.is_file():
        return {}
    try:
        data = safe_load(path.read_text(encoding="utf-8"))
    except Exception as error:  # a YAML error of any kind: the file is unusable
        raise MutateError(f"{path}: not valid YAML: {error}") from None
    if data is None:
        return {}
    if not isinstance(data, list):
        raise MutateError(f"{path}: expected a list of {{rule, mutation, reason}}")
    found: dict[tuple[str, str], Equivalent] = {}
    for index, entry in enumerate(data):
        if not isinstance(entry, dict) or set(entry) != {"rule", "mutation", "reason"} or not all(
                isinstance(entry[k], str) and entry[k].strip() for k in entry):
            raise MutateError(f"{path}: entry [{index}] must have exactly rule, mutation and a "
                              f"non-empty reason (strings)")
        key = (entry["rule"], entry["mutation"])
        if key in found:
            raise MutateError(f"{path}: entry [{index}] lists {key[0]} {key[1]} twice")
        found[key] = Equivalent(entry["rule"], entry["mutation"], entry["reason"])
    return found


# --------------------------------------------------------------------------- the run


@dataclass(frozen=True)
class MutantResult:
    mutant: Mutant
    killed_by: str | None
    equivalent: Equivalent | None

    @property
    def outcome(self) -> str:
        if self.killed_by is not None:
            return "killed"
        return "equivalent" if self.equivalent is not None else "survived"


@dataclass(frozen=True)
class Tally:
    mutants: int
    killed: int
    survived: int
    equivalent: int

    @property
    def score(self) -> float:
        """Killed over all non-equivalent mutants (1.0 when there is nothing to kill)."""
        relevant = self.mutants - self.equivalent
        return self.killed / relevant if relevant else 1.0

    def to_json(self) -> dict[str, Any]:
        return {"mutants": self.mutants, "killed": self.killed, "survived": self.survived,
                "equivalent": self.equivalent, "score": round(self.score, 4)}


def tally(results: Sequence[MutantResult]) -> Tally:
    outcomes = [result.outcome for result in results]
    return Tally(len(outcomes), outcomes.count("killed"), outcomes.count("survived"),
                 outcomes.count("equivalent"))


@dataclass
class MutationReport:
    results: list[MutantResult]
    threshold: float
    generated: int
    sample: int | None = None
    seed: int = 0
    #: listed as equivalent but killed now, or (in a full run) not generated at all
    stale: list[tuple[Equivalent, str]] = field(default_factory=list)
    broken: dict[str, str] = field(default_factory=dict)
    unexpected: list[str] = field(default_factory=list)
    projects: int = 0

    @property
    def overall(self) -> Tally:
        return tally(self.results)

    def by_document(self) -> dict[str, Tally]:
        documents: dict[str, list[MutantResult]] = {}
        for result in self.results:
            documents.setdefault(result.mutant.document_id, []).append(result)
        return {doc: tally(results) for doc, results in documents.items()}

    def by_kind(self) -> dict[str, Tally]:
        kinds: dict[str, list[MutantResult]] = {}
        for result in self.results:
            kinds.setdefault(result.mutant.kind, []).append(result)
        return {kind: tally(results) for kind, results in sorted(kinds.items())}

    @property
    def survivors(self) -> list[MutantResult]:
        return [result for result in self.results if result.outcome == "survived"]

    @property
    def passed(self) -> bool:
        return self.overall.score >= self.threshold

    def to_json(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "passed": self.passed,
            "generated": self.generated,
            "sample": self.sample,
            "seed": self.seed if self.sample is not None else None,
            "example_projects": self.projects,
            "overall": self.overall.to_json(),
            "documents": {doc: t.to_json() for doc, t in self.by_document().items()},
            "operators": {kind: t.to_json() for kind, t in self.by_kind().items()},
            "survivors": [_result_json(r) for r in self.survivors],
            "equivalent": [_result_json(r) for r in self.results if r.outcome == "equivalent"],
            "stale_equivalents": [{"rule": e.rule, "mutation": e.mutation, "why": why}
                                  for e, why in self.stale],
            "broken_examples": self.broken,
            "unexpected_examples": self.unexpected,
        }


def _result_json(result: MutantResult) -> dict[str, Any]:
    payload = {"rule": result.mutant.rule_id, "document": result.mutant.document_id,
               "mutation": result.mutant.mutation_id, "operator": result.mutant.kind,
               "change": result.mutant.description}
    if result.mutant.hint:
        payload["hint"] = result.mutant.hint
    if result.equivalent is not None:
        payload["reason"] = result.equivalent.reason
    return payload


def select_rules(rulebook: Rulebook, document: str | None = None,
                 rule: str | None = None) -> list[CompiledRule]:
    """The rules to mutate; `document` is a rule file id or a document number."""
    rules = list(rulebook.rules)
    if document is not None:
        rules = [r for r in rules if document in (r.document.id, r.document.number)]
        if not rules:
            known = ", ".join(d.id for d in rulebook.documents)
            raise MutateError(f"--document: unknown document {document!r} (known: {known})")
    if rule is not None:
        rules = [r for r in rules if r.id == rule]
        if not rules:
            raise MutateError(f"--rule: unknown rule {rule!r}"
                              + (f" in document {document!r}" if document else ""))
    return rules


def run_mutation(rulebook: Rulebook, *, document: str | None = None, rule: str | None = None,
                 sample: int | None = None, seed: int = 0, threshold: float = 0.9,
                 equivalents: Mapping[tuple[str, str], Equivalent] | None = None,
                 project_paths: Iterable[Path] | None = None) -> MutationReport:
    """Mutate the selected rules (all of them, or a seeded sample of `sample` mutants)."""
    if project_paths is None:
        directory = projects_dir()
        project_paths = [p for p in directory.glob("*.yaml")
                         if not p.name.endswith(".expected.yaml")] if directory.is_dir() else []
    equivalents = equivalents or {}
    selected = select_rules(rulebook, document, rule)
    every = [mutant for compiled in selected for mutant in mutants(compiled)]
    chosen = every
    if sample is not None and sample < len(every):
        picked = set(random.Random(seed).sample(range(len(every)), sample))
        chosen = [mutant for index, mutant in enumerate(every) if index in picked]
    judge = Judge(rulebook, project_paths)
    results = [MutantResult(m, judge.killer(m), equivalents.get(m.key)) for m in chosen]
    report = MutationReport(results, threshold, len(every), sample, seed, broken=judge.broken,
                            unexpected=judge.unexpected, projects=len(judge.projects))
    for result in results:
        if result.outcome == "killed" and result.equivalent is not None:
            report.stale.append((result.equivalent, f"killed by {result.killed_by}"))
    if sample is None and document is None and rule is None:
        generated = {m.key for m in every}
        report.stale.extend((entry, "no such mutant (rule or mutation id changed?)")
                            for key, entry in equivalents.items() if key not in generated)
    return report


# --------------------------------------------------------------------------- presenting


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
