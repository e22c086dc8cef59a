"""Bad input never crashes: any cells at all give that row a result (a verdict or an error)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance.batch.columns import build_columns
from compliance.batch.runner import Job, Worker
from compliance.batch.source import SourceRow
from compliance.checker import Checker
from tests.batch.conftest import HEADER

CHECKER = Checker(engine="python")
WORKER = Worker(Job("python", None, build_columns([*HEADER, "建设地点", "燃料", "是否沿江"])),
                CHECKER)
FORMS = Worker(Job("python", None, None), CHECKER)
CELLS = st.one_of(
    st.none(), st.text(max_size=30), st.integers(), st.floats(allow_nan=True),
    st.booleans(), st.dates(min_value=dt.date(1900, 1, 1)),
    st.sampled_from(["6.0米", "150万吨/年", "是", "×", "新建", "C2521", "安阳", "龙安区",
                     "2019年9月1日", "=1+1", "１２０万吨", "四米三", "河南省安阳市龙安区"]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(CELLS, min_size=0, max_size=len(HEADER) + 6))
def test_any_row_gets_a_result(cells: list[Any]) -> None:
    result = WORKER.check(SourceRow(7, cells))
    assert result.row == 7
    assert result.verdict in {"rejected", "needs_info", "needs_review", "compliant", "error"}
    assert (result.verdict == "error") == (result.error is not None)
    if result.error:
        assert result.error.startswith("第 7 行")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=10),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=20))
def test_any_json_form_gets_a_result(form: Any) -> None:
    result = FORMS.check(SourceRow(3, form=form if isinstance(form, dict) else {"x": form}))
    assert result.row == 3 and result.verdict == "error"  # no random form names a project
    assert result.error is not None and result.error.startswith("第 3 行")
