"""Per-case records: the canonical rows of one case, as plain objects the rules read.

Tables are typed and normalised as pandas frames (``auditor.model.normalise``); the
rules then work case by case on these small records, which keeps each check plain
Python and lets cases run independently (in chunks or in parallel).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

# Inside a class with a field named ``date`` the name means the field; annotations there use this.
_Date = date


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where a row came from: the row number a person sees when opening the file."""

    input: str
    sheet: str | None
    row: int


@dataclass(frozen=True, slots=True)
class TextHit:
    """A detected event or piece of evidence in a note's text.

    ``start``/``end`` are the deciding words, ``sent_start``/``sent_end`` the sentence,
    both as character offsets in the note text.
    """

    label: str
    start: int
    end: int
    sent_start: int
    sent_end: int
    negated: bool = False
    hypothetical: bool = False
    future: bool = False
    # Who did it: "individual", "staff", "caseworker", "third_party" (a relative, a
    # neighbour ...) or "unknown" (the text does not say; see CANCELLED); None where the
    # label has no actor (SUMMARY, PLAN_DONE ...).
    actor: str | None = None
    # A day the sentence refers back to ("igår tackade hen nej"), when stated.
    refers_to: date | None = None
    # Detector-specific details (e.g. {"gives_reason": True} for END_NOTE).
    detail: tuple[tuple[str, object], ...] = ()
    # The hit is in a summary or end note that recaps earlier events: no new event.
    recap: bool = False

    @property
    def asserted(self) -> bool:
        """The event happened as written: not negated, not hypothetical, not merely intended,
        and not recapped in a summary."""
        return not (self.negated or self.hypothetical or self.future or self.recap)

    def get(self, key: str, default: object = None) -> object:
        for k, v in self.detail:
            if k == key:
                return v
        return default


@dataclass(slots=True)
class Note:
    src: SourceRef
    date: date
    time: str | None
    text: str
    sokord: str = ""
    unit: str = ""
    signed_by: str = ""
    signed: str | None = None
    signed_date: _Date | None = None
    registered: _Date | None = None
    hits: list[TextHit] = field(default_factory=list)

    def find(self, label: str, asserted: bool = True) -> list[TextHit]:
        return [h for h in self.hits if h.label == label and (h.asserted or not asserted)]

    def has(self, label: str) -> bool:
        return any(h.label == label and h.asserted for h in self.hits)

    @property
    def event_date(self) -> _Date:
        return self.date


@dataclass(slots=True)
class Uppdrag:
    src: SourceRef
    unit: str
    insats: str  # normalised insats key, e.g. "boendestod"
    insats_text: str
    beslutsdatum: date | None
    uppdrag_inkommit: date | None
    verkstallighetsdatum: date | None
    slutdatum: date | None
    status: str = ""
    handlaggare: str = ""
    protected: bool = False


@dataclass(slots=True)
class PlanRow:
    src: SourceRef
    unit: str
    plan_id: str | None
    insats: str
    upprattad: date | None
    status: str  # normalised: finished|draft|history|unknown
    status_text: str
    delmal: str = ""
    livsomrade: str = ""
    arbetsmetod: str = ""
    bemotande: str = ""
    krisplan: str = ""
    delaktighet: str = ""


@dataclass(slots=True)
class Booking:
    src: SourceRef
    unit: str
    date: date
    start: str | None
    end: str | None
    status: str  # normalised: done|not_done|cancelled|declined|not_home|unknown
    status_text: str
    cancelled_by: str | None  # "brukare"|"verksamheten"|None
    reason: str = ""
    staff: str = ""


@dataclass(slots=True)
class Avvikelse:
    src: SourceRef
    unit: str
    id: str
    case: str | None
    occurred: date | None
    reported: date | None
    typ: str = ""
    description: str = ""
    status: str = ""


@dataclass(slots=True)
class Stay:
    src: SourceRef
    unit: str
    start: datetime
    end: datetime
    end_has_time: bool = False
