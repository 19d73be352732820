"""Events per case, from bookings and from the text hits of notes, merged per day.

A booking and a note on the same day describing the same event are one event, and
both are its evidence. A note that reports an earlier day ("igår tackade hen nej")
dates the event to that day. Sammanställningar and slutanteckningar recap earlier
events and create none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from auditor.findings.model import Evidence
from auditor.model.dataset import CaseData
from auditor.model.records import Booking, Note, TextHit

RECAP_LABELS = ("SUMMARY", "END_NOTE")


@dataclass
class Event:
    label: str
    date: date
    unit: str | None
    notes: list[tuple[Note, TextHit]] = field(default_factory=list)
    bookings: list[Booking] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.label}:{self.date.isoformat()}"

    @property
    def evidence(self) -> list[Evidence]:
        from auditor.events.evidence import note_evidence, row_evidence

        out = [row_evidence(b.src, b.date, _booking_excerpt(b)) for b in self.bookings]
        out += [note_evidence(n, h) for n, h in self.notes]
        return out

    @property
    def reason_text(self) -> str:
        return " ".join(b.reason for b in self.bookings if b.reason).strip()


def _booking_excerpt(b: Booking) -> str:
    parts = [f"Besök {b.date.isoformat()}"]
    if b.start:
        parts.append(f"kl. {b.start}")
    parts.append(f"status: {b.status_text}")
    if b.cancelled_by:
        parts.append(f"avbokad av: {b.cancelled_by}")
    if b.reason:
        parts.append(f"orsak: {b.reason}")
    return ", ".join(parts)


def _booking_label(b: Booking, notes_by_day: dict[date, list[Note]]) -> str | None:
    if b.status == "not_home":
        return "NOT_HOME"
    if b.status == "declined":
        return "DECLINE"
    if b.status in ("cancelled", "not_done"):
        if b.cancelled_by == "brukare":
            return "DECLINE"
        if b.cancelled_by == "verksamheten":
            return "SERVICE_CANCEL"
        day = notes_by_day.get(b.date, [])
        if any(n.has("DECLINE") for n in day):
            return "DECLINE"
        if any(n.has("SERVICE_CANCEL") for n in day):
            return "SERVICE_CANCEL"
        if any(n.has("NOT_HOME") for n in day):
            return "NOT_HOME"
        return None  # who cancelled is unknown; the text decides, else no event is claimed
    return None


def case_events(case: CaseData, labels: tuple[str, ...], as_of: date) -> list[Event]:
    """Events of the given labels for one case, one per (label, day), sorted by day.

    Several rules ask for the same events; they are computed once per case.
    """
    key = ("events", labels, as_of)
    if key not in case.memo:
        case.memo[key] = _case_events(case, labels, as_of)
    return case.memo[key]


def _case_events(case: CaseData, labels: tuple[str, ...], as_of: date) -> list[Event]:
    notes_by_day: dict[date, list[Note]] = {}
    for n in case.notes:
        if n.date <= as_of:
            notes_by_day.setdefault(n.date, []).append(n)
    events: dict[tuple[str, date], Event] = {}

    def add(label: str, d: date, unit: str | None) -> Event:
        ev = events.get((label, d))
        if ev is None:
            ev = events[(label, d)] = Event(label, d, unit or None)
        return ev

    for b in case.bookings:
        if b.date > as_of:
            continue
        label = _booking_label(b, notes_by_day)
        if label in labels:
            add(label, b.date, b.unit).bookings.append(b)
    for n in case.notes:
        if n.date > as_of:
            break
        if any(h.label in RECAP_LABELS and h.asserted for h in n.hits):
            continue
        for h in n.hits:
            if h.label in labels and h.asserted:
                d = h.refers_to or n.date
                ev = add(h.label, d, n.unit)
                if not any(m is n for m, _ in ev.notes):
                    ev.notes.append((n, h))
    return sorted(events.values(), key=lambda e: (e.date, e.label))


def not_home_events(case: CaseData, as_of: date) -> list[Event]:
    return case_events(case, ("NOT_HOME",), as_of)
