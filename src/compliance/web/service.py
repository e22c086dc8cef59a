"""Checking and storing in one step, shared by the API and the pages.

Every verdict the service hands out has been stored first, so "every check is on the audit
trail" holds by construction rather than by each endpoint remembering to save.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from compliance.checker import Checker
from compliance.result import Verdict
from compliance.rulebook.changelog import digest
from compliance.web.db import CheckStore, StoredCheck


@dataclass(frozen=True)
class RuleChange:
    """One rule whose status differs between a stored verdict and its re-check."""

    rule_id: str
    title: str
    before: str | None  # None: the rule did not exist then
    after: str | None  # None: the rule no longer exists


class CheckService:
    """One checker (engine-level lock inside) and the store, for the life of the app."""

    def __init__(self, checker: Checker, store: CheckStore) -> None:
        self.checker = checker
        self.store = store
        store.record_ruleset(checker.rulebook.version, digest(checker.rulebook))

    @property
    def ruleset_version(self) -> str:
        return self.checker.rulebook.version

    def check(self, form: dict[str, Any], *, as_of: dt.date | None, client: str, channel: str,
              lang: str = "zh", recheck_of: str | None = None) -> StoredCheck:
        """The stored check with its verdict; `InputError` (nothing stored) for a bad form."""
        verdict = self.checker.check(form, as_of=as_of, lang=lang)
        return self.store.insert(channel=channel, client=client, form=form, verdict=verdict,
                                 recheck_of=recheck_of, lang=lang)

    def recheck(self, previous: StoredCheck, client: str) -> StoredCheck:
        """The same form, as of the same date, in the same language, under the current rules:
        a new stored check."""
        return self.check(previous.form, as_of=previous.as_of, client=client, channel="recheck",
                          lang=previous.lang, recheck_of=previous.id)

    def close(self) -> None:
        self.checker.close()
        self.store.close()


def changes(before: Verdict, after: Verdict) -> list[RuleChange]:
    """Rules added, removed or with another status, in the order of the newer verdict."""
    old = {result.rule_id: result for result in before.results}
    new = {result.rule_id: result for result in after.results}
    found = [RuleChange(rule_id, result.title, old[rule_id].status if rule_id in old else None,
                        result.status)
             for rule_id, result in new.items()
             if rule_id not in old or old[rule_id].status != result.status]
    found += [RuleChange(rule_id, result.title, result.status, None)
              for rule_id, result in old.items() if rule_id not in new]
    return found
