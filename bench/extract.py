"""How well `compliance extract` reads real-style descriptions: field-level precision and
recall on tests/extract/corpus.yaml, the invented capacities (must be 0), every wrong or missed
fact, and the reading speed; the last line is JSON for scripts.

    .venv/bin/python bench/extract.py [--quiet]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for tests.extract.scoring

from tests.extract.scoring import corpus, score  # noqa: E402

from compliance.extract import extract  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true", help="only the summary lines")
    args = parser.parse_args()
    entries = corpus()
    result = score(entries)
    if not args.quiet:
        for error in result.errors:
            print(error)
    started = time.perf_counter()
    rounds = 20
    for _ in range(rounds):
        for entry in entries:
            extract(entry["text"])
    per_second = rounds * len(entries) / (time.perf_counter() - started)
    print(f"descriptions: {len(entries)}  right {result.right}  wrong {result.wrong}  "
          f"missed {result.missed}")
    print(f"precision {result.precision:.3f}  recall {result.recall:.3f}  "
          f"invented capacities {result.invented_capacities}  ({per_second:,.0f} descriptions/s)")
    print(json.dumps({"descriptions": len(entries), "precision": round(result.precision, 4),
                      "recall": round(result.recall, 4),
                      "invented_capacities": result.invented_capacities,
                      "descriptions_per_s": round(per_second)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
