"""What the history adds to one run: change since the last audit, review decisions, what was
resolved, measured precision per rule and trends. Plain data; the writers show it.

Decisions never change a finding. They are a layer on top: ``findings.json`` shows the
finding as the rules judged it and, beside it, the latest decision (``review``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# Inside Review the name ``date`` is a field; its annotations use this.
_Date = date

ACTION_STATUSES = ("violation", "warning")
# Decisions that take a finding out of the rates while they are valid.
SETTING_ASIDE = ("falskt_larm", "motiverad")
DECISIONS = ("bekraftad", "atgardad", "falskt_larm", "motiverad")
DECISION_LABEL_SV = {
    "bekraftad": "Bekräftad",
    "atgardad": "Åtgärdad",
    "falskt_larm": "Falskt larm",
    "motiverad": "Motiverad avvikelse",
}
CHANGE_NEW, CHANGE_REMAINS = "ny", "kvarstår"
# A rule is flagged "granska regeln" when at least this many of its findings were judged
# right or wrong (bekräftad, åtgärdad or falskt larm) and fewer than this share were right.
PRECISION_MIN_DECISIONS = 5
PRECISION_FLAG_BELOW = 0.6


def status_group(status: str) -> str:
    """Violation and warning are the same open item (a warning that became a violation still
    remains); ok and not_evaluated are each their own."""
    return "action" if status in ACTION_STATUSES else status


@dataclass(frozen=True)
class Review:
    """One recorded decision about a finding (the latest one counts)."""

    decision: str  # bekraftad | atgardad | falskt_larm | motiverad
    comment: str
    by: str
    date: _Date
    valid_until: _Date | None

    @property
    def label(self) -> str:
        return DECISION_LABEL_SV[self.decision]

    def expired(self, as_of: _Date) -> bool:
        return self.valid_until is not None and self.valid_until < as_of

    def sets_aside(self, as_of: _Date) -> bool:
        """A false alarm or justified exception that is still valid on ``as_of``."""
        return self.decision in SETTING_ASIDE and not self.expired(as_of)

    def to_json(self) -> dict:
        return {
            "decision": self.decision,
            "comment": self.comment,
            "by": self.by,
            "date": self.date.isoformat(),
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
        }


@dataclass(frozen=True)
class ResolvedFinding:
    """A violation or warning of the previous comparable run whose id is now ``ok``."""

    id: str
    rule: str
    unit: str
    case: str
    date: str | None
    message: str

    def to_json(self) -> dict:
        return {"id": self.id, "rule": self.rule, "unit": self.unit, "case": self.case,
                "date": self.date, "message": self.message}


@dataclass(frozen=True)
class RuleReviewStats:
    rule: str
    bekraftad: int = 0
    atgardad: int = 0
    falskt_larm: int = 0
    motiverad: int = 0

    @property
    def judged(self) -> int:
        """Decisions that say whether the rule was right: bekräftad, åtgärdad, falskt larm."""
        return self.bekraftad + self.atgardad + self.falskt_larm

    @property
    def total(self) -> int:
        return self.judged + self.motiverad

    @property
    def precision(self) -> float | None:
        return (self.bekraftad + self.atgardad) / self.judged if self.judged else None

    @property
    def flagged(self) -> bool:
        """Low measured precision: "granska regeln"."""
        p = self.precision
        return p is not None and self.judged >= PRECISION_MIN_DECISIONS and p < PRECISION_FLAG_BELOW

    def to_json(self) -> dict:
        p = self.precision
        return {"rule": self.rule, "bekraftad": self.bekraftad, "atgardad": self.atgardad,
                "falskt_larm": self.falskt_larm, "motiverad": self.motiverad,
                "precision": round(p, 4) if p is not None else None}


@dataclass(frozen=True)
class RunRef:
    """An earlier run, as the reports name it."""

    as_of: date
    period_from: date
    period_to: date

    @property
    def label(self) -> str:
        """``2026-09`` for a whole calendar month, else ``2026-09-01–2026-09-15``."""
        f, t = self.period_from, self.period_to
        next_day = date.fromordinal(t.toordinal() + 1)
        if f.day == 1 and (f.year, f.month) == (t.year, t.month) and next_day.day == 1:
            return f"{f.year}-{f.month:02d}"
        return f"{f.isoformat()}–{t.isoformat()}"


@dataclass(frozen=True)
class TrendPoint:
    run: RunRef
    judged: int
    violation: int
    reviewed_away: int
    current: bool = False

    @property
    def compliance(self) -> float | None:
        return (self.judged - self.violation) / self.judged if self.judged else None


@dataclass(frozen=True)
class TrendSeries:
    unit: str
    rule: str
    points: list[TrendPoint]


@dataclass
class HistoryLayer:
    """Everything the history says about one run. ``changes`` has an entry only for findings
    whose unit an earlier comparable run covered."""

    as_of: date
    compared: dict[str, RunRef | None] = field(default_factory=dict)  # unit -> earlier run
    changes: dict[str, str] = field(default_factory=dict)  # finding id -> ny | kvarstår
    reviews: dict[str, Review] = field(default_factory=dict)  # finding id -> latest decision
    reviewed_away: frozenset[str] = frozenset()  # ids set aside by a valid decision
    lapsed: frozenset[str] = frozenset()  # ids whose false alarm/exception decision expired
    resolved: list[ResolvedFinding] = field(default_factory=list)
    review_stats: list[RuleReviewStats] = field(default_factory=list)
    trends: dict[str, list[TrendSeries]] = field(default_factory=dict)  # unit -> per rule
    runs_in_history: int = 0  # runs up to and including this one

    def finding_json(self, finding_id: str) -> dict:
        """The fields the history adds to one finding in ``findings.json``."""
        out: dict = {}
        change = self.changes.get(finding_id)
        if change is not None:
            out["change"] = change
        review = self.reviews.get(finding_id)
        if review is not None:
            out["review"] = review.to_json()
        return out

    def top_json(self) -> dict:
        return {
            "resolved": [r.to_json() for r in self.resolved],
            "review_stats": [s.to_json() for s in self.review_stats],
        }
