"""The result of one audit run: everything the writers (JSON, HTML, XLSX) need."""

from __future__ import annotations

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
