"""Findings: what the auditor says about a case, with the evidence that decides it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from auditor.history.layer import Review

# Inside Finding the name ``date`` is a field; annotations after it use this.
_Date = date

STATUSES = ("violation", "warning", "ok", "not_evaluated")
SEVERITIES = ("critical", "high", "medium", "low")
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}
STATUS_LABEL_SV = {
    "violation": "Brist",
    "warning": "Risk",
    "ok": "Uppfyllt",
    "not_evaluated": "Ej granskad",
}
SEVERITY_LABEL_SV = {"critical": "Kritisk", "high": "Hög", "medium": "Medel", "low": "Låg"}


@dataclass(slots=True)
class Evidence:
    """One input row that the finding rests on, with the deciding words."""

    input: str
    sheet: str | None
    row: int | None
    date: date | None
    excerpt: str = ""
    span: tuple[int, int] | None = None
    signer: str = ""  # who signed the note (staff, as in the export); "" when unknown

    def to_json(self) -> dict:
        return {
            "input": self.input,
            "sheet": self.sheet,
            "row": self.row,
            "date": self.date.isoformat() if self.date else None,
            "excerpt": self.excerpt,
            "span": list(self.span) if self.span else None,
            "signed_by": self.signer or None,
        }


@dataclass(slots=True)
class Finding:
    rule: str
    severity: str
    status: str
    unit: str
    case: str
    date: date | None
    message: str
    evidence: list[Evidence] = field(default_factory=list)
    # What makes this finding unique within (rule, case): an event's date and row, a deadline.
    key: str = ""
    # What the finding counts as in rates (output contract, "Additions"):
    # "occasion" (one event of an event rule), "case" (judged once per case or deadline),
    # "no_events" (an event rule that found nothing to judge for the case).
    basis: str = "case"
    # The deadline the finding is judged against, when there is one; `date` stays the event's day.
    deadline: _Date | None = None
    # Filled in by the engine from the rule's pack.
    pack: str = ""
    strength: str = ""
    local_default: bool = False
    responsible: str = ""  # "utförare" or "myndighet"
    action: str | None = None  # suggested action in Swedish; None for ok findings
    # Set by the history stage (after privacy), never by a rule: "ny"/"kvarstår" against the
    # latest earlier run covering the unit, and the latest review decision (a layer on top:
    # a decision never changes status, message or evidence).
    change: str | None = None
    review: Review | None = None
    # The id, computed on first use (rule, case and key never change on a finding: privacy
    # makes a new one with ``replace``, which starts without it).
    _id: str | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def id(self) -> str:
        if self._id is None:
            raw = f"{self.rule}|{self.case}|{self.key}"
            self._id = hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]
        return self._id

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "rule": self.rule,
            "severity": self.severity,
            "status": self.status,
            "unit": self.unit,
            "case": self.case,
            "date": self.date.isoformat() if self.date else None,
            "message": self.message,
            "evidence": [e.to_json() for e in self.evidence],
        }

    def sort_key(self) -> tuple:
        return (self.unit, self.case, self.rule, self.date or date.min, self.key)
