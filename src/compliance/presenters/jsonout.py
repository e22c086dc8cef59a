"""JSON: the machine-readable verdict (DESIGN.md, "The verdict (public contract)").

One file gives the verdict object, exactly the model's fields. Several give an array in input
order, one element per file, each with its `file` added so a reader can line them up; a file
that could not be checked is `{"file", "verdict": "error", "problems"}` in its place, so the
array always has one element per file. The array is written as it is produced.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TypeVar

from compliance.errors import InputError
from compliance.result import Verdict

Outcome = TypeVar("Outcome", bound=tuple[Path, Verdict | InputError])


def render_json(verdicts: list[Verdict], *, single: bool) -> str:
    """`single=True`: the one verdict as an object; otherwise an array (even of one)."""
    if single:
        if len(verdicts) != 1:
            raise ValueError(f"single=True needs exactly one verdict, got {len(verdicts)}")
        payload: object = verdicts[0].model_dump(mode="json")
    else:
        payload = [verdict.model_dump(mode="json") for verdict in verdicts]
    return json.dumps(payload, ensure_ascii=False, indent=2)


def error_json(error: InputError, file: str | None = None) -> dict[str, object]:
    """A file or row that could not be checked, in place of its verdict."""
    head = {"file": file} if file is not None else {}
    return {**head, "verdict": "error", "error": error.describe(),
            "problems": error.as_json()}


def write_json(outcomes: Iterable[Outcome], sink: IO[str], *, single: bool) -> Iterator[Outcome]:
    """Write each (file, verdict or error) as it comes, and pass it on.

    `single`: the one verdict as an object (an error is left to the caller's message).
    """
    first = True
    if not single:
        sink.write("[")
    for outcome in outcomes:
        path, result = outcome
        if single:
            if isinstance(result, Verdict):
                sink.write(json.dumps(result.model_dump(mode="json"), ensure_ascii=False,
                                      indent=2) + "\n")
        else:
            payload = (error_json(result, str(path)) if isinstance(result, InputError)
                       else {"file": str(path), **result.model_dump(mode="json")})
            sink.write(("\n" if first else ",\n") + json.dumps(payload, ensure_ascii=False,
                                                               indent=2))
            first = False
        yield outcome
    if not single:
        sink.write("\n]\n")
