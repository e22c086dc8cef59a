"""A reader skips a description that names none of the words its patterns need: the words must
be needed, so skipping never loses a reading. Each reader is compared with itself unguarded on
descriptions built from the fragments its patterns are made of."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance.extract import equipment as equipment_module
from compliance.extract.equipment import equipment
from compliance.extract.text import normalise

#: pieces of equipment sentences, near misses included (电弧炉 is no 电炉, 粉煤 alone no gasifier)
FRAGMENTS = (
    "新建", "拆除", "淘汰", "关停", "，", "。", "；", "2座", "一套", "年产", "日产", "规模为", "约",
    "焦炉", "捣固", "顶装", "炭化室高度", "碳化室高", "4.3", "5.5", "6.25", "7", "米", "m",
    "JNX3-70", "JN60", "JNDK55", "熟料", "水泥", "5000", "吨", "t/d", "吨/日", "生产线", "线",
    "Φ3.8×13m", "φ4.2x13", "水泥磨", "球磨机", "管磨", "粉磨", "合成氨", "30", "万", "吨/年", "t/a",
    "的", "装置", "单套", "固定床间歇", "常压固定床", "UGI", "间歇式煤气化", "固定床加压", "鲁奇",
    "BGL", "循环流化床气化", "灰熔聚", "气流床", "水煤浆加压气化", "粉煤", "气化", "航天炉", "德士古",
    "GE水煤浆气化", "Shell粉煤气化", "壳牌", "GSP", "多喷嘴", "煤气发生炉", "发生炉煤气", "直径",
    "炉膛直径", "3.2", "燃煤", "工业", "锅炉", "煤粉锅炉", "燃煤蒸汽锅炉", "热风炉", "加热", "烘干",
    "窑", "1780", "m³", "立方米", "级", "高炉", "120", "转炉", "顶底复吹", "超高功率", "电弧炉",
    "电炉", "400", "kA", "千安", "电解槽", "甲醇", "生产装置",
)
#: a whole phrase for each alternative of each pattern
WHOLE = (
    "炭化室高度4.3米", "碳化室高5.5m", "6.25米捣固焦炉", "JNX3-70型焦炉", "JN60", "日产熟料5000吨",
    "日产5000吨新型干法熟料", "5000t/d熟料", "熟料生产线规模为5000吨/日", "Φ3.8×13m水泥磨",
    "φ4.2x13m球磨机", "Φ3.2×13m管磨", "Φ3.0×11米粉磨站",
    "30万吨/年合成氨", "合成氨装置规模为30万吨", "年产合成氨18万吨", "合成氨采用单套规模30万t",
    "固定床间歇式", "常压固定床", "UGI炉", "间歇式煤气化", "固定床连续气化", "鲁奇炉", "BGL",
    "循环流化床煤气化", "灰熔聚", "气流床", "水煤浆加压气化", "粉煤加压气化", "航天炉", "德士古",
    "GE水煤浆气化", "Shell粉煤气化", "壳牌", "GSP", "多喷嘴", "煤气发生炉炉膛直径3.2米",
    "发生炉煤气Φ3.0m", "燃煤工业锅炉", "煤粉锅炉", "燃煤蒸汽锅炉", "燃煤热风炉", "燃煤烘干窑",
    "1780m³高炉", "120吨顶底复吹转炉", "100t超高功率电弧炉", "50吨电炉", "400kA电解槽",
    "500千安级预焙电解槽", "60万吨/年甲醇装置", "捣固焦炉", "顶装焦炉",
)
#: a number, its unit and a piece of equipment, as the patterns read them
PHRASES = st.tuples(st.sampled_from(["", "年产", "日产", "Φ", "直径", "炭化室高度", "新建"]),
                    st.sampled_from(["4.3", "6", "30", "400", "1780", "5000", "3.2"]),
                    st.sampled_from(["", "万", "米", "m", "吨", "t", "m³", "kA", "吨/日", "t/d",
                                     "万吨/年", "t/a", "×13m", "级"]),
                    st.sampled_from(FRAGMENTS + WHOLE)).map("".join)
WORDS = [name for name in vars(equipment_module) if name.endswith("_WORDS")]


def unguarded(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in WORDS:
        monkeypatch.setattr(equipment_module, name, re.compile(""))  # matches any text


def test_every_kind_of_equipment_has_its_words() -> None:
    assert len(WORDS) == 8


def patterns() -> list[re.Pattern[str]]:
    """Every pattern of the equipment reader, however it is grouped."""
    found: list[re.Pattern[str]] = []
    pending = [value for name, value in vars(equipment_module).items()
               if name.startswith("_") and not name.startswith("__")]
    while pending:
        value = pending.pop()
        if isinstance(value, re.Pattern):
            found.append(value)
        elif isinstance(value, tuple):
            pending.extend(value)
    return found


def test_each_pattern_has_a_whole_phrase_it_reads() -> None:
    """A pattern added without a phrase here could hide behind a missing guard word."""
    texts = [normalise(phrase).text for phrase in WHOLE]
    unread = [pattern.pattern for pattern in patterns()
              if not any(pattern.search(text) for text in texts)]
    assert len(patterns()) > 20 and unread == []


@pytest.mark.parametrize("phrase", WHOLE)
@pytest.mark.parametrize("before", ["", "新建", "拆除"])
def test_each_phrase_is_read_as_it_was_unguarded(phrase: str, before: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    text = normalise(before + phrase).text
    guarded = list(equipment(text))
    unguarded(monkeypatch)
    assert list(equipment(text)) == guarded
    assert guarded or before == "拆除"  # each phrase is a reading of the project's own


@settings(max_examples=400, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pieces=st.lists(st.one_of(st.sampled_from(FRAGMENTS + WHOLE), PHRASES), max_size=10))
def test_the_words_never_hide_a_reading(pieces: list[str], monkeypatch: pytest.MonkeyPatch
                                        ) -> None:
    text = normalise("".join(pieces)).text
    guarded = list(equipment(text))
    with monkeypatch.context() as context:
        unguarded(context)
        assert list(equipment(text)) == guarded
