"""The checker: one object that turns project forms into verdicts.

form → facts → engine → outcomes → verdict. A checker owns its engine; to reload rules build a
new checker, swap it in, then close the old one (DESIGN.md's reload pattern).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from compliance import clock
from compliance.engine import Backend, create_backend
from compliance.errors import FieldProblem, InputError, from_validation_error
from compliance.facts import Facts, derive
from compliance.form import ProjectForm
from compliance.result import Verdict
from compliance.rulebook import Rulebook, load_rulebook
from compliance.shape import check_shape
from compliance.verdict import Judgement, build_verdict, judge
from compliance.whatif import what_if
from compliance.yamlio import DuplicateKeyError, json_loads, safe_load

#: a form file larger than this is refused before parsing
MAX_FORM_BYTES = 1 << 20


def parse_form(data: Any) -> ProjectForm:
    """A validated form, or `InputError` naming every bad field in Chinese."""
    if not isinstance(data, dict):
        raise InputError([FieldProblem("(form)", "须为一组字段（YAML/JSON 对象）",
                                       "a form must be a mapping")])
    check_shape(data)
    try:
        return ProjectForm.model_validate(data)
    except ValidationError as error:
        raise from_validation_error(error) from None


def read_form_file(path: Path) -> dict[str, Any]:
    """A form from a YAML or JSON file (YAML 1.1 safe subset; JSON is YAML)."""
    try:
        if path.stat().st_size > MAX_FORM_BYTES:
            raise InputError([FieldProblem("(file)", "文件过大（上限 1 MiB）", "file over 1 MiB")],
                             str(path))
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise InputError([FieldProblem("(file)", f"无法读取：{error.strerror}",
                                       str(error))], str(path)) from None
    except UnicodeDecodeError:
        raise InputError([FieldProblem("(file)", "文件不是 UTF-8 编码", "not UTF-8")],
                         str(path)) from None
    try:
        return form_from_text(text, json_only=path.suffix.lower() == ".json")
    except InputError as error:
        raise error.with_source(str(path)) from None


def form_from_text(text: str, *, json_only: bool = False, source: str = "(file)") -> Any:
    """The data of a form written as YAML (JSON is YAML) or, with `json_only`, strict JSON;
    `InputError` in Chinese for text that is not, names written twice, nesting too deep, with
    `source` (`(file)`, `(body)`) as the path of a problem of the whole text."""
    kind = "JSON" if json_only else "YAML/JSON"
    text = text.removeprefix("\ufeff")  # a byte order mark, as editors on Windows write one
    try:
        return json_loads(text) if json_only else safe_load(text)
    except DuplicateKeyError as error:
        raise InputError([FieldProblem(error.key, error.zh(), str(error))]) from None
    except (yaml.YAMLError, json.JSONDecodeError) as error:
        raise InputError([FieldProblem(source, f"不是有效的 {kind}{_where(error)}",
                                       f"not valid {kind}: {error}")]) from None
    except ValueError as error:  # an integer of thousands of digits, a broken !!binary
        raise InputError([FieldProblem(source, f"不是有效的 {kind}：含过长的数值或无法解析的值",
                                       f"not valid {kind}: {error}")]) from None
    except RecursionError:
        raise InputError([FieldProblem(source, "嵌套层级过深，不是项目表单",
                                       "nested too deeply to be a form")]) from None


def _where(error: Exception) -> str:
    """`，第 3 行第 7 列附近有误` from a YAML or JSON parser's error, when it says where."""
    mark = getattr(error, "problem_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark else (
        getattr(error, "lineno", None), getattr(error, "colno", None))
    return f"，第 {line} 行第 {column} 列附近有误" if line else ""


def _rederived(changed: dict[str, Any]) -> dict[str, Any]:
    """The facts of a checked form with a proposed change: validated again (a change may be
    refused, as a `ValueError`), without the size and depth checks its original passed."""
    return derive(ProjectForm.model_validate(changed)).values


class Checker:
    def __init__(self, rulebook: Rulebook | None = None, engine: str = "durable") -> None:
        self.rulebook = rulebook or load_rulebook()
        self.backend: Backend = create_backend(engine, self.rulebook)

    @property
    def engine(self) -> str:
        return self.backend.name

    def facts(self, data: dict[str, Any] | ProjectForm) -> Facts:
        form = data if isinstance(data, ProjectForm) else parse_form(data)
        return derive(form)

    def judge(self, data: dict[str, Any] | ProjectForm, as_of: dt.date | None = None
              ) -> Judgement:
        """Every rule's outcome and status as of `as_of`, else the form's application date,
        else today in China."""
        facts = self.facts(data)
        as_of = as_of or facts.form.application_date or clock.today()
        return judge(self.rulebook.rules, self.backend.evaluate(facts.values), facts, as_of)

    def check(self, data: dict[str, Any] | ProjectForm, as_of: dt.date | None = None,
              lang: str = "zh") -> Verdict:
        """The verdict with every rule's result (see `judge` for the day), and for each rule
        broken or reviewed the fewest fact changes that make it pass (`what_if`)."""
        judgement = self.judge(data, as_of)
        verdict = build_verdict(self.rulebook.rules, judgement, self.rulebook.version,
                                self.engine, lang)
        return self._with_what_if(verdict, judgement.facts)

    def _with_what_if(self, verdict: Verdict, facts: Facts) -> Verdict:
        if not any(result.status in ("fail", "review") for result in verdict.results):
            return verdict  # most checks: nothing to propose, no form to copy
        form = facts.form.model_dump(mode="json", exclude_none=True)
        results = []
        for result in verdict.results:
            if result.status in ("fail", "review"):
                changes = what_if(self.rulebook.by_id[result.rule_id], facts.values, form,
                                  _rederived)
                result = result.model_copy(update={"what_if": changes}) if changes else result
            results.append(result)
        return verdict.model_copy(update={"results": results})

    def close(self) -> None:
        self.backend.close()

    def __enter__(self) -> Checker:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
