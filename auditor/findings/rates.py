"""Compliance rates per (unit, rule), as the output contract defines them ("Additions").

- ``judged`` counts occasions for event rules (``basis == "occasion"``) and cases for other
  rules (``basis == "case"``), whatever their status except ``not_evaluated``.
- Cases where an event rule found nothing to judge (``basis == "no_events"``) are counted in
  ``without_events`` and never in ``judged``: an absence of events is not compliance.
- The rate shown in reports is ``(judged - violation) / judged``.
- A violation or warning whose latest review says it was a false alarm or a justified
  deviation (``falskt_larm``/``motiverad``, not expired) is counted in ``reviewed_away``
  instead of ``violation``/``warning``. Which findings those are is decided by a predicate
  (the hook): the history's set-aside ids, or else each finding's ``review``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import date

from auditor.findings.model import Finding

REVIEWED_AWAY_DECISIONS = ("falskt_larm", "motiverad")


@dataclass
class Rate:
    unit: str
    rule: str
    judged: int = 0
    violation: int = 0
    warning: int = 0
    ok: int = 0
    not_evaluated: int = 0
    without_events: int = 0
    reviewed_away: int = 0

    @property
    def compliance(self) -> float | None:
        """Share of judged occasions or cases without a violation; None when nothing was judged."""
        if not self.judged:
            return None
        return (self.judged - self.violation) / self.judged

    @property
    def compliance_percent(self) -> int | None:
        """Whole percent, rounded down: any violation shows below 100 %."""
        if not self.judged:
            return None
        return 100 * (self.judged - self.violation) // self.judged

    def to_json(self) -> dict:
        return asdict(self)


def review_field(review: object, name: str) -> object:
    """A field of a review decision given as a dict (as in findings.json) or an object."""
    if review is None:
        return None
    if isinstance(review, dict):
        return review.get(name)
    return getattr(review, name, None)


def reviewed_away_on(as_of: date) -> Callable[[Finding], bool]:
    """The default hook: the finding's review (``finding.review``) is a false alarm or a
    justified deviation that has not expired at ``as_of``."""

    def predicate(f: Finding) -> bool:
        review = getattr(f, "review", None)
        if review_field(review, "decision") not in REVIEWED_AWAY_DECISIONS:
            return False
        until = review_field(review, "valid_until")
        if isinstance(until, str):
            until = date.fromisoformat(until)
        return until is None or (isinstance(until, date) and until >= as_of)

    return predicate


def _rule_order(rule: str) -> tuple[str, int, str]:
    m = re.fullmatch(r"([A-Za-z]*)(\d*)(.*)", rule)
    assert m is not None
    return (m.group(1), int(m.group(2) or 0), m.group(3))


def compute_rates(
    findings: Iterable[Finding], reviewed_away: Callable[[Finding], bool] | None = None
) -> list[Rate]:
    """One Rate per (unit, rule) that has findings, ordered by unit and rule."""
    rates: dict[tuple[str, str], Rate] = {}
    for f in findings:
        rate = rates.get((f.unit, f.rule))
        if rate is None:
            rate = rates[(f.unit, f.rule)] = Rate(f.unit, f.rule)
        if f.status == "not_evaluated":
            rate.not_evaluated += 1
            continue
        if f.basis == "no_events":
            rate.without_events += 1
            continue
        rate.judged += 1
        if f.status in ("violation", "warning") and reviewed_away and reviewed_away(f):
            rate.reviewed_away += 1
        elif f.status == "violation":
            rate.violation += 1
        elif f.status == "warning":
            rate.warning += 1
        else:
            rate.ok += 1
    return [rates[k] for k in sorted(rates, key=lambda k: (k[0], _rule_order(k[1])))]


def rates_for(result) -> list[Rate]:
    """The run's rates, with review decisions taken into account as of the audit date: the
    history's set-aside ids when the run has a history, else each finding's own ``review``."""
    if getattr(result, "history", None) is not None:
        away = result.reviewed_away
        return compute_rates(result.findings, lambda f: f.id in away)
    return compute_rates(result.findings, reviewed_away_on(result.as_of))
