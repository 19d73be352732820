"""The result of one audit run: everything the writers (JSON, HTML, XLSX) need."""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from auditor.findings.model import Finding
from auditor.model.accounting import InputReport

if TYPE_CHECKING:
    from auditor.history.layer import HistoryLayer


@dataclass(frozen=True)
class PackInfo:
    """A rule pack and the routine it comes from."""

    name: str  # e.g. "TN"
    slug: str  # e.g. "botkyrka-boendestod-tackar-nej"
    version: str
    title: str  # routine title
    issuer: str
    decided: date | None
    valid_until: date | None  # None: tills vidare
    source: str  # routine file name, or the regulation
    optional: bool = False

    def expired(self, on: date) -> bool:
        return self.valid_until is not None and self.valid_until < on


@dataclass(frozen=True)
class RuleInfo:
    """What a report shows about a rule: its citation and how strong the requirement is."""

    id: str
    pack: str
    name: str
    title: str  # Swedish one-line requirement
    severity: str
    strength: str  # "ska" | "bör" | "lokal default"
    section: str
    quote: str
    local_default_note: str = ""  # Swedish: which number is the auditor's own reading
    responsible: str = "utförare"  # who must act on a finding: "utförare" or "myndighet"
    action: str = ""  # Swedish: what to do now about a violation or warning


@dataclass
class CaseActivity:
    """What a case's exports hold, by kind and day: lets a report say what an absence finding
    searched ("12 journalanteckningar och 3 besök 2026-09-01 – 2026-09-14"). Compact: one
    date ordinal per row, and the note signers beside the journal days."""

    days: dict[str, array] = field(default_factory=dict)  # kind -> sorted date ordinals
    signers: list[str] = field(default_factory=list)  # per journal row, in the order of days

    @classmethod
    def of(cls, case) -> CaseActivity:
        """From a case's records (notes, bookings, plans, avvikelser, stays)."""
        out = cls()
        notes = sorted(case.notes, key=lambda n: n.date)
        out.days["journal"] = array("l", (n.date.toordinal() for n in notes))
        out.signers = [n.signed_by.strip() for n in notes]
        rows = {
            "besok": [b.date for b in case.bookings],
            "plan": [p.upprattad for p in case.plans],
            "avvikelse": [a.occurred or a.reported for a in case.avvikelser],
            "vistelse": [s.end.date() for s in case.stays],
        }
        for kind, days in rows.items():
            out.days[kind] = array("l", sorted(d.toordinal() for d in days if d is not None))
        return out

    def _range(self, kind: str, start: date, end: date) -> tuple[int, int]:
        days = self.days.get(kind, array("l"))
        return bisect_left(days, start.toordinal()), bisect_right(days, end.toordinal())

    def count(self, kind: str, start: date, end: date) -> int:
        """Rows of this kind dated start..end (inclusive)."""
        lo, hi = self._range(kind, start, end)
        return hi - lo

    def signer_counts(self, start: date, end: date) -> list[tuple[str, int]]:
        """Journal notes dated start..end per signer, most first ("" for unsigned)."""
        lo, hi = self._range("journal", start, end)
        counts = Counter(self.signers[lo:hi])
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


@dataclass
class CaseInfo:
    case: str  # canonical case id (12-digit number or system id), before pseudonymisation
    name: str | None
    units: list[str]
    insats: list[str]
    insats_source: str | None  # "uppdrag" | "config" | "enhetsnamn" | None
    protected: bool = False
    # Names of staff who signed the case's notes or served its bookings: the privacy stage
    # leaves them alone where one of their words is also a client's name. Never written.
    staff: list[str] = field(default_factory=list)
    activity: CaseActivity | None = None


@dataclass
class RunResult:
    version: str
    as_of: date
    period_from: date
    period_to: date
    generated_at: datetime
    inputs: list[InputReport]
    findings: list[Finding]
    packs: list[PackInfo]
    rules: dict[str, RuleInfo]
    cases: dict[str, CaseInfo] = field(default_factory=dict)
    pseudonymized: bool = False
    # What the history adds (change, review decisions, resolved, review_stats, trends); None
    # with --no-history. Set after privacy.protect, so it holds only the outputs' identities.
    history: HistoryLayer | None = None

    @property
    def reviewed_away(self) -> frozenset[str]:
        """Ids of violations and warnings set aside by a valid false-alarm or justified-exception
        decision: they move to "Granskade" and count as ``reviewed_away`` in ``rates``."""
        return self.history.reviewed_away if self.history is not None else frozenset()

    @property
    def units(self) -> list[str]:
        return sorted({f.unit for f in self.findings})

    @property
    def any_input_rejected(self) -> bool:
        return any(r.kind == "unreadable" for r in self.inputs)
