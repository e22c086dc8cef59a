"""The one error type of the reference layer.

A failed lookup is a user-input problem (a typo, an old code, an ambiguous name), so the error
carries a message the approval officer can act on, in Chinese, naming the form field first, and
an English twin for logs and API clients. It subclasses ValueError so that pydantic validators
report it as a validation error without wrapping.
"""

from __future__ import annotations


class ReferenceLookupError(ValueError):
    """A value that does not resolve against the reference data.

    ``str(error)`` is the Chinese message (what users see); ``message_en`` is its English twin;
    ``field`` is the form field path the message starts with (e.g. ``location.city``), if any;
    ``candidates`` lists the suggested or competing values, best first.
    """

    def __init__(
        self,
        message_zh: str,
        message_en: str,
        *,
        field: str | None = None,
        candidates: tuple[str, ...] = (),
    ) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh
        self.message_en = message_en
        self.field = field
        self.candidates = candidates

    def __str__(self) -> str:
        return self.message_zh


class RegionUndeterminedError(ReferenceLookupError):
    """The place is too coarse to tell whether it lies in a region (e.g. a province only).

    Raised instead of answering "not in the region", because missing data must never count as
    a pass: the caller should report ``needs_info`` for the fields in ``missing``.
    """

    def __init__(self, message_zh: str, message_en: str, *, missing: str) -> None:
        super().__init__(message_zh, message_en, field=missing)
        self.missing = missing


def lookup_error(
    field: str, message_zh: str, message_en: str, candidates: tuple[str, ...] = ()
) -> ReferenceLookupError:
    """A ReferenceLookupError whose messages start with the field path (``industry: …``)."""
    return ReferenceLookupError(
        f"{field}: {message_zh}", f"{field}: {message_en}", field=field, candidates=candidates
    )
