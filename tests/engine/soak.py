"""Run in a subprocess by test_soak.py, so that a crash in the C extension fails one test
instead of killing the test run. Prints one JSON line with its measurements."""

from __future__ import annotations

import json
import random
import resource
import sys
import tempfile
from pathlib import Path

import yaml

from compliance.engine import Outcome, create_backend
from compliance.numbers import exact
from compliance.rulebook import load_rulebook
from tests.engine.conftest import DOCUMENT, synthetic_rule


def rss_kib() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() // 1024


def rulebook(directory: Path, count: int, offset: int):
    rules = []
    for index in range(count):
        field = ["technology.coke_oven_chamber_height_m", "capacity.net_added",
                 "technology.clinker_line_tpd"][index % 3]
        rules.append(synthetic_rule(index, {"field": field, "op": "<=", "value": index + offset},
                                    industries=("coking", "cement")[index % 2:][:1] or ("coking",)))
    directory.mkdir()
    (directory / "r.yaml").write_text(yaml.safe_dump({"document": DOCUMENT, "rules": rules},
                                                     allow_unicode=True), encoding="utf-8")
    return load_rulebook(directory)


def random_facts(rng: random.Random) -> dict:
    return {
        "industry.coking": rng.random() < 0.7, "industry.cement": rng.random() < 0.5,
        "project_type": "new",
        "technology.coke_oven_chamber_height_m": exact(rng.choice([1, 5, 50, 500])),
        "capacity.net_added": exact(rng.choice([-1, 0, 1000])),
        "technology.clinker_line_tpd": exact(rng.choice([0.5, 3000])),
    }


def main(checks: int, rules_per_book: int) -> None:
    rng = random.Random(42)
    root = Path(tempfile.mkdtemp())
    book_a, book_b = rulebook(root / "a", rules_per_book, 0), rulebook(root / "b", 40, 7)
    engine_a, engine_b = create_backend("durable", book_a), create_backend("durable", book_b)
    oracle_a = create_backend("python", book_a)
    outcomes_seen: set[Outcome] = set()
    disagreements = 0
    warm_rss = 0
    for number in range(checks):
        facts = random_facts(rng)
        result = engine_a.evaluate(facts)
        engine_b.evaluate(facts)
        outcomes_seen.update(result.values())
        if number % 10 == 0:
            disagreements += result != oracle_a.evaluate(facts)
        if number == checks // 2:  # reload: build the new one, swap, then close the old one
            fresh = create_backend("durable", book_a)
            engine_a, old = fresh, engine_a
            old.close()
        if number == checks // 5:
            warm_rss = rss_kib()
    print(json.dumps({"checks": checks, "warm_rss_kib": warm_rss, "end_rss_kib": rss_kib(),
                      "disagreements": disagreements,
                      "outcomes": sorted(outcome.value for outcome in outcomes_seen)}))
    engine_a.close()
    engine_b.close()


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
