"""JSON: the machine-readable verdict (DESIGN.md, "The verdict (public contract)").

Exactly the model's fields, nothing added: API clients and saved results depend on the shape,
and display labels belong to the human presenters. One file gives one object; several give an
array in input order.
"""

from __future__ import annotations

import json

from compliance.result import Verdict


def render_json(verdicts: list[Verdict], *, single: bool) -> str:
    """`single=True`: the one verdict as an object; otherwise an array (even of one)."""
    if single:
        if len(verdicts) != 1:
            raise ValueError(f"single=True needs exactly one verdict, got {len(verdicts)}")
        payload: object = verdicts[0].model_dump(mode="json")
    else:
        payload = [verdict.model_dump(mode="json") for verdict in verdicts]
    return json.dumps(payload, ensure_ascii=False, indent=2)
