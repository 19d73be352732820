"""Occasions: one event per case, day and kind, with every record that shows it.

A booking and the notes that record the same event on the same day are one occasion, and all
of them are its evidence. A note that refers back to an earlier day ("igår tackade hen nej")
dates the event to the day referred to; when that day already has the event, the note is a
recap that creates nothing new. Summaries and end notes (sammanställning, slutanteckning)
never create events, and felmarkerade/HSL notes never reach this layer (ingest excludes them).

Evidence for a requirement (a reason, motivation, informing, an alternative, a deviation) is
sought in every note of the rule's window, not only in the note that reports the event; each
piece of evidence points at its own note.

An occasion is *uncertain* when the records say something of its kind happened but not who
did it (a cancellation whose canceller neither the text nor the booking tells): rules may ask
a person to look at it, never report a violation on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from auditor.events.structured import booking_label, booking_reason
from auditor.model.dataset import CaseData
from auditor.model.records import Booking, Note, TextHit

RECAP_LABELS = ("SUMMARY", "END_NOTE")
# Labels that say a planned visit did not happen, whoever's doing: an uncertain occasion of
# one of them is not created on a day that already has a certain one.
CANCEL_LABELS = ("DECLINE", "SERVICE_CANCEL", "NOT_HOME")


@dataclass
class Occasion:
    label: str
    date: date
    unit: str | None
    notes: list[tuple[Note, TextHit]] = field(default_factory=list)
    bookings: list[Booking] = field(default_factory=list)
    # The records do not tell who acted: ask a person to look, never a violation.
    uncertain: bool = False

    @property
    def key(self) -> str:
        return f"{self.label}:{self.date.isoformat()}"

    @property
    def reason_text(self) -> str:
        """The bookings' cause column, when it gives a reason."""
        return " ".join(r for b in self.bookings if (r := booking_reason(b))).strip()


def is_recap_note(note: Note) -> bool:
    """A sammanställning or slutanteckning: it recaps earlier events and creates none."""
    return any(h.label in RECAP_LABELS and h.asserted for h in note.hits)


def occasions(case: CaseData, label: str, as_of: date, *, uncertain: tuple[str, ...] = (),
              same_within_days: int = 0, by_report: bool = False) -> list[Occasion]:
    """The case's occasions of ``label`` up to the as-of date, sorted by day.

    ``uncertain`` names hit labels that may be this kind of event but do not say who acted
    (``CANCELLED``); they give uncertain occasions on days without a certain cancellation.
    ``same_within_days`` merges occasions reported within that many days of the first into
    it (several notes about one hospital admission). ``by_report`` dates an occasion by the
    note that reports it rather than by the day it refers to.
    """
    key = ("occasions", label, as_of, uncertain, same_within_days, by_report)
    if key not in case.memo:
        case.memo[key] = _occasions(case, label, as_of, uncertain, same_within_days, by_report)
    return case.memo[key]


def _notes_by_day(case: CaseData, as_of: date) -> dict[date, list[Note]]:
    key = ("notes_by_day", as_of)
    out = case.memo.get(key)
    if out is None:
        out = case.memo[key] = {}
        for n in case.notes:
            if n.date > as_of:
                break
            out.setdefault(n.date, []).append(n)
    return out


def _booking_labels(case: CaseData, as_of: date) -> list[tuple[Booking, str | None]]:
    """Each booking up to as-of with the event it records (computed once per case)."""
    key = ("booking_labels", as_of)
    out = case.memo.get(key)
    if out is None:
        by_day = _notes_by_day(case, as_of)
        out = case.memo[key] = [(b, booking_label(b, by_day)) for b in case.bookings
                                if b.date <= as_of]
    return out


def _asserted_hits(case: CaseData, as_of: date) -> dict[str, list[tuple[int, Note, TextHit]]]:
    """The asserted hits of the case's notes up to as-of, by label, in note order (``int``
    numbers them across labels); recap notes (summaries, end notes) left out. Built once per
    case, so each rule's occasions read only the labels they ask for."""
    key = ("asserted_hits", as_of)
    out = case.memo.get(key)
    if out is None:
        out = case.memo[key] = {}
        seq = 0
        for n in case.notes:
            if n.date > as_of:
                break
            if is_recap_note(n):
                continue
            for h in n.hits:
                if h.asserted:
                    out.setdefault(h.label, []).append((seq, n, h))
                    seq += 1
    return out


def _occasions(case: CaseData, label: str, as_of: date, uncertain: tuple[str, ...],
               same_within_days: int, by_report: bool) -> list[Occasion]:
    found: dict[date, Occasion] = {}
    # Days with a certain cancellation of any kind, from bookings or text.
    cancel_days: set[date] = set()

    def add(d: date, unit: str | None) -> Occasion:
        occ = found.get(d)
        if occ is None:
            occ = found[d] = Occasion(label, d, unit or None)
        return occ

    unknown_bookings: list[Booking] = []
    for b, got in _booking_labels(case, as_of):
        if got in CANCEL_LABELS:
            cancel_days.add(b.date)
        if got == label:
            add(b.date, b.unit).bookings.append(b)
        elif got is None and b.status in ("cancelled", "not_done"):
            unknown_bookings.append(b)
    hits = _asserted_hits(case, as_of)

    def day(n: Note, h: TextHit) -> date:
        return n.date if by_report else (h.refers_to or n.date)

    for lbl in CANCEL_LABELS:
        for _, n, h in hits.get(lbl, ()):
            cancel_days.add(day(n, h))
    wanted = [hits.get(lbl, []) for lbl in dict.fromkeys((label, *uncertain))]
    ordered = wanted[0] if len(wanted) == 1 else sorted(
        (x for part in wanted for x in part), key=lambda x: x[0])
    text_hits: list[tuple[Note, TextHit, date]] = [(n, h, day(n, h)) for _, n, h in ordered]
    for n, h, d in text_hits:
        if h.label != label:
            continue
        # A back-reference dates the event to the day referred to; when that day already
        # has the event, the note joins it as one more record and creates nothing new.
        occ = add(d, n.unit)
        if not any(m is n for m, _ in occ.notes):
            occ.notes.append((n, h))
    if uncertain:
        for n, h, d in text_hits:
            if h.label in uncertain and d not in cancel_days:
                occ = found.get(d) or add(d, n.unit)
                if occ.label == label and not occ.bookings and all(k.label in uncertain for _, k in occ.notes):
                    occ.uncertain = True
                if not any(m is n for m, _ in occ.notes):
                    occ.notes.append((n, h))
        for b in unknown_bookings:
            if b.date not in cancel_days:
                occ = found.get(b.date) or add(b.date, b.unit)
                if not occ.notes or all(k.label in uncertain for _, k in occ.notes):
                    occ.uncertain = True
                occ.bookings.append(b)
    out = sorted(found.values(), key=lambda o: o.date)
    if same_within_days:
        merged: list[Occasion] = []
        for occ in out:
            last = merged[-1] if merged else None
            if last is not None and (occ.date - last.date).days <= same_within_days:
                last.notes.extend(occ.notes)
                last.bookings.extend(occ.bookings)
                continue
            merged.append(occ)
        out = merged
    return out


def evidence_in(case: CaseData, labels: Iterable[str], first: date, last: date, as_of: date, *,
                actors: tuple[str, ...] = (), details: dict | None = None,
                include: Iterable[tuple[Note, TextHit]] = ()) -> list[tuple[Note, TextHit]]:
    """Every note of [first, last] (up to as-of) with an asserted hit of one of ``labels``,
    one entry per note pointing at its own deciding hit, earliest first.

    ``actors`` limits who may provide the evidence (a hit's actor; hits without an actor
    pass). ``details`` requires hit details (``{"held_by": True}``: present and non-empty;
    any other value: equal). ``include`` adds notes that belong to the occasion itself even
    when they fall outside the window (a note that refers back to the event's day).
    """
    labels = tuple(labels)

    def deciding(n: Note) -> TextHit | None:
        for h in n.hits:
            if h.label not in labels or not h.asserted:
                continue
            if actors and h.actor and h.actor not in actors:
                continue
            if details and not all((bool(h.get(k)) if v is True else h.get(k, v) == v)
                                   for k, v in details.items()):
                continue
            return h
        return None

    out: list[tuple[Note, TextHit]] = []
    seen: set[int] = set()
    for n in case.notes_between(first, min(last, as_of)):  # indexed by date: no scan of the case
        h = deciding(n)
        if h is not None:
            out.append((n, h))
            seen.add(id(n))
    for n, _ in include:
        if id(n) in seen or n.date > as_of:
            continue
        h = deciding(n)
        if h is not None:
            out.append((n, h))
            seen.add(id(n))
    out.sort(key=lambda nh: (nh[0].date, nh[0].time or ""))
    return out
