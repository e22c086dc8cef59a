"""Differential check at scale: the durable_rules engine against the plain-Python oracle.

Generates N project forms (default 100,000) with a small seeded random generator that draws like
`tests/strategies.forms()` does (the same fields, places, industries, units and dates, and numbers
clustered at every threshold a rule compares them with, one quantum either side), derives the
facts once, and has both backends decide every rule on every form. Prints the disagreements
(which must be 0), each backend's throughput (rule evaluation only, facts derived beforehand),
how often each outcome was reached, and as the last line JSON for scripts:

    .venv/bin/python bench/differential.py --n 20000 [--seed 1]

Exit code 1 when any form gets a different outcome from the two backends.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for tests.strategies

from tests.strategies import (  # noqa: E402
    FORM_DATES,
    INDUSTRIES,
    PLACES,
    UNITS,
    _optional_fields,
    thresholds,
)

from compliance.engine import Outcome, create_backend  # noqa: E402
from compliance.errors import InputError  # noqa: E402
from compliance.facts import derive  # noqa: E402
from compliance.fields import FieldSpec  # noqa: E402
from compliance.form import ProjectForm  # noqa: E402
from compliance.formdict import nest  # noqa: E402
from compliance.rulebook import load_rulebook  # noqa: E402

PROJECT_TYPES = ["new", "expansion", "renovation", "relocation"]
BATCH = 2_000


class FormGenerator:
    """`tests.strategies.forms()` as a plain seeded generator: no hypothesis, any N, fast."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.fields = dict(sorted(_optional_fields().items()))
        limits = thresholds()
        self.near: dict[str, list[float]] = {}
        for path, spec in self.fields.items():
            if spec.kind != "number":
                continue
            low, high = self._bounds(spec)
            near = limits.get(path, []) + limits.get(
                {"capacity.new": "capacity.new_tpa"}.get(path, ""), [])
            self.near[path] = [float(v) for v in near if low <= v <= high]

    @staticmethod
    def _bounds(spec: FieldSpec) -> tuple[float, float]:
        return max(spec.minimum or 0, 0), min(spec.maximum or 1e7, 1e7)

    def number(self, path: str, spec: FieldSpec) -> float:
        low, high = self._bounds(spec)
        choice = self.rng.randrange(3)
        if choice == 0 and self.near[path]:
            return self.rng.choice(self.near[path])
        if choice == 1:
            return self.rng.uniform(low, high)
        return float(self.rng.randint(int(low), int(high)))

    def value(self, path: str, spec: FieldSpec) -> Any:
        if spec.kind == "bool":
            return self.rng.random() < 0.5
        if spec.kind == "enum":
            return self.rng.choice(spec.choices)
        return self.number(path, spec)

    def form(self) -> dict[str, Any]:
        rng = self.rng
        # most facts present, as in a real application, so rules are often decided either way
        flat = {path: self.value(path, spec) for path, spec in self.fields.items()
                if rng.randrange(10) < 8}
        form = nest(flat)
        form.update(name="生成项目", project_type=rng.choice(PROJECT_TYPES),
                    industry=[rng.choice(INDUSTRIES) for _ in range(rng.randint(1, 3))])
        if rng.random() < 0.9:
            form.setdefault("location", {}).update(rng.choice(PLACES))
        if rng.random() < 0.5:
            form.setdefault("capacity", {})["unit"] = rng.choice(UNITS)
        if rng.random() < 0.5:
            form["fuel"] = rng.sample(["coal", "natural_gas", "electricity"], rng.randint(0, 3))
        if rng.random() < 0.5:
            form["products"] = {"vehicle_emission_standard": rng.choice(["国五", "国六"])}
        form["application_date"] = rng.choice(FORM_DATES)
        return form


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="forms to generate")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show", type=int, default=5, help="disagreements to print in full")
    args = parser.parse_args()

    rulebook = load_rulebook()
    engine, oracle = create_backend("durable", rulebook), create_backend("python", rulebook)
    generator = FormGenerator(args.seed)
    disagreements = invalid = done = 0
    engine_s = oracle_s = derive_s = 0.0
    outcomes: Counter[Outcome] = Counter()
    rules_differing: Counter[str] = Counter()
    try:
        while done < args.n:
            size = min(BATCH, args.n - done)
            forms = [generator.form() for _ in range(size)]
            started = time.perf_counter()
            batch = []
            for form in forms:
                try:
                    batch.append((form, derive(ProjectForm.model_validate(form)).values))
                except (InputError, ValueError):
                    invalid += 1
            derive_s += time.perf_counter() - started
            started = time.perf_counter()
            by_engine = [engine.evaluate(facts) for _, facts in batch]
            engine_s += time.perf_counter() - started
            started = time.perf_counter()
            by_oracle = [oracle.evaluate(facts) for _, facts in batch]
            oracle_s += time.perf_counter() - started
            for (form, _), got, expected in zip(batch, by_engine, by_oracle, strict=True):
                outcomes.update(expected.values())
                if got == expected:
                    continue
                disagreements += 1
                differing = {rule: (got[rule].value, expected[rule].value) for rule in expected
                             if got.get(rule) != expected[rule]}
                rules_differing.update(differing)
                if disagreements <= args.show:
                    print(f"DISAGREEMENT (engine, oracle) {differing}\n  form: "
                          f"{json.dumps(form, ensure_ascii=False, default=str)}")
            done += size
    finally:
        engine.close()

    checked = done - invalid
    engine_rate = checked / engine_s if engine_s else 0.0
    oracle_rate = checked / oracle_s if oracle_s else 0.0
    print(f"rules: {len(rulebook.rules)}  forms: {done} (seed {args.seed}), "
          f"invalid (must be 0): {invalid}")
    print("outcomes reached (oracle): " + ", ".join(
        f"{outcome.value} {outcomes[outcome]}" for outcome in Outcome))
    print(f"form → facts: {checked / derive_s:,.0f} forms/s" if derive_s else "")
    print(f"engine (durable_rules): {engine_rate:,.0f} forms/s  ({engine_s:.1f} s)")
    print(f"oracle (python):        {oracle_rate:,.0f} forms/s  ({oracle_s:.1f} s)")
    print(f"disagreements (must be 0): {disagreements}")
    for rule, count in rules_differing.most_common(10):
        print(f"  {rule}: {count}")
    print(json.dumps({"n": checked, "disagreements": disagreements,
                      "engine_per_s": round(engine_rate), "oracle_per_s": round(oracle_rate),
                      "seed": args.seed, "rules": len(rulebook.rules), "invalid": invalid}))
    return 1 if disagreements or invalid else 0


if __name__ == "__main__":
    sys.exit(main())
