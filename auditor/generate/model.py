"""The generator's truth: what happened in each synthetic case, before it is written out.

Writers render these records into export rows; the oracle (``oracle.py``) computes the
labels from them. A note's ``facts`` are the catalogue labels its text *asserts*; decoy
sentences (negations, intentions, recaps) add words but no facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(slots=True)
class TNote:
    day: date
    time: str  # "HH:MM"
    staff: str  # full name of the author
    sokord: str
    text: str
    facts: frozenset[str]
    named: bool = False  # HOME_TALK: the text names who held the talk
    reasons: bool = False  # END_NOTE: the text gives reasons for ending
    excluded: str | None = None  # "felmarkerad" | "hsl": never counts
    signed_on: date | None = None  # None: unsigned
    registered: date | None = None
    registered_time: str = ""
    duplicate: bool = False  # the row is written twice (an export artefact)

    def has(self, label: str) -> bool:
        return label in self.facts


@dataclass(slots=True)
class TBooking:
    day: date
    start: str
    end: str
    status: str  # done | decline | cancel | not_home
    status_text: str
    by: str  # "Brukare" | "Verksamheten" | ""
    reason: str  # the cause column as written
    has_reason: bool  # the cause column states a reason (TN3)
    staff: str


@dataclass(slots=True)
class TGoal:
    livsomrade: str
    text: str
    smart: bool


@dataclass(slots=True)
class TPlan:
    plan_id: str
    upprattad: date
    status_text: str
    cls: str  # finished | draft | history (history: was finished, now avslutad/inaktuell)
    goals: list[TGoal]
    arbetsmetod: str
    bemotande: str
    krisplan: str
    krisplan_ok: bool  # names whom to contact
    delaktighet: str
    participation_ok: bool  # shows the individual's participation (GB7)
    uppfoljning: date | None

    @property
    def content_missing(self) -> list[str]:
        missing = []
        if not self.arbetsmetod.strip():
            missing.append("arbetsmetod")
        if not self.bemotande.strip():
            missing.append("bemötande")
        if not self.krisplan_ok:
            missing.append("krisplan")
        return missing


@dataclass(slots=True)
class TStay:
    start: date
    end: date


@dataclass(slots=True)
class TAvvikelse:
    id: str
    pnr: str | None
    unit: str
    occurred: date
    reported: date
    typ: str
    description: str
    status: str
    atgard: str
    missed: bool  # type or description is a missed/cancelled insats


@dataclass(slots=True)
class CaseTruth:
    index: int
    pnr: str
    name: str  # "Efternamn, Förnamn"
    unit: str
    insats: str  # boendestod | korttidsvistelse | avlosarservice | ledsagarservice | kontaktperson
    insats_text: str
    lagrum: str
    handlaggare: str
    beslut: date | None
    inkommit: date | None
    verkst: date | None
    slut: date | None
    status_text: str
    tid: float | None
    protected: bool
    category: str
    planted: tuple[str, ...]
    notes: list[TNote] = field(default_factory=list)
    bookings: list[TBooking] = field(default_factory=list)
    plans: list[TPlan] = field(default_factory=list)
    stays: list[TStay] = field(default_factory=list)
    avvikelser: list[TAvvikelse] = field(default_factory=list)
