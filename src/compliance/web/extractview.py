"""What a pasted description was read as, for the form page to show before anything is checked."""

from __future__ import annotations

from typing import Any

from compliance.explain import form_value_text, label
from compliance.extract import Extraction
from compliance.extract.extractor import READING_ONLY_PREFIX

#: the form field of the "粘贴项目建设内容" box
DESCRIPTION_FIELD = "description_text"


def extraction_rows(extraction: Extraction | None) -> list[dict[str, Any]] | None:
    """One row per reading: the field, the value as the form shows it, the words, the rule;
    a field read two ways is marked as a conflict (left out of the form)."""
    if extraction is None:
        return None
    conflicted = {conflict.field for conflict in extraction.conflicts}
    return [{"label": reading.rule if reading.field.startswith(READING_ONLY_PREFIX)
             else label(reading.field, "zh"),
             "value": form_value_text(reading.field, reading.to_json()["value"]), "text": reading.text,
             "rule": reading.rule, "conflict": reading.field in conflicted,
             "in_form": not reading.field.startswith(READING_ONLY_PREFIX)}
            for reading in extraction.readings]
