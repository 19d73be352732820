"""Boendestöd events as notes and bookings: declines, service cancels, not at home, summaries.

``DayBook`` (``plant.py``) keeps track of taken, quiet (no notes) and paused (no visits) days
while the builder plants events, so a planted violation is not undone by a neighbouring event.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from . import texts
from .avvikelser import case_avvikelse
from .model import TAvvikelse, TBooking
from .notes import NoteMaker
from .people import Person
from .plant import DayBook, Planted
from .scenario import CasePlan, GenContext

D = timedelta
DECLINE_REASONS = ("Sjuk", "Trött", "Läkarbesök", "Ville vila", "Förkyld", "Tandläkare")
CANCEL_REASONS = ("Personalbrist", "Sjuk personal", "Personalbrist", "Utbildningsdag")


def booking(
    d: date,
    slot: tuple[int, int],
    status: str,
    text: str,
    by: str,
    reason: str,
    has_reason: bool,
    staff: str,
) -> TBooking:
    h, m = slot
    return TBooking(
        d, f"{h:02d}:{m:02d}", f"{h + 1:02d}:{m:02d}", status, text, by, reason, has_reason, staff
    )


def write_decline(
    nm: NoteMaker,
    rng: random.Random,
    d: date,
    plants: frozenset[str],
    bookings: list[TBooking],
    staff: Person,
    slot,
    days: DayBook,
) -> None:
    keys: list[str]
    booking_reason = ""
    has_reason = False
    if "TN3" in plants:
        keys = ["DECLINE"] + (["REASON_NONE"] if rng.random() < 0.5 else [])
        booking_reason = rng.choice(("", "", "Ingen orsak angiven"))
    elif rng.random() < 0.15:
        keys = ["DECLINE"]
        booking_reason = rng.choice(DECLINE_REASONS)
        has_reason = True
    else:
        keys = ["DECLINE_R"]
        if rng.random() < 0.5:
            booking_reason = rng.choice(DECLINE_REASONS)
            has_reason = True
    next_day_motivation = False
    if "TN4" not in plants:
        if rng.random() < 0.8 or "TN6" in plants:
            keys.append("MOTIVATION")
        else:
            next_day_motivation = True
    nm.add(d, keys, "event", staff=staff)
    status_text = rng.choice(("Avbokad", "Avbokad", "Avböjd"))
    bookings.append(
        booking(d, slot, "decline", status_text, "Brukare", booking_reason, has_reason, staff.full)
    )
    if "TN6" in plants:
        nm.add(d + D(days=rng.randint(15, 19)), ("CONTACT",), "contact")
    elif next_day_motivation:
        nm.add(d + D(days=1), ("CONTACT_MOTIVATION",), "contact")
    else:
        lo = 2 if "TN4" in plants else 1
        nm.add(d + D(days=rng.randint(lo, 5)), ("CONTACT",), "contact")


def write_cancel(
    ctx: GenContext,
    nm: NoteMaker,
    rng: random.Random,
    d: date,
    plants: frozenset[str],
    bookings: list[TBooking],
    avvikelser: list[TAvvikelse],
    staff: Person,
    slot,
    plan: CasePlan,
    unit: str,
) -> None:
    reason = rng.choice(CANCEL_REASONS)
    status_text = rng.choice(("Inställd", "Avbokad"))
    bookings.append(
        booking(
            d,
            slot,
            "cancel",
            status_text,
            rng.choice(("Verksamheten", "Utförare")),
            reason,
            True,
            staff.full,
        )
    )
    if plants:
        keys = ["CANCEL"]
        if "TN1" in plants and "TN2" in plants:
            keys += ["ALT_NOT_POSSIBLE"] if rng.random() < 0.5 else []
            keys += ["INFORM_FAIL"] if rng.random() < 0.5 else []
        elif "TN1" in plants:
            keys += ["INFORMED"] + (["ALT_NOT_POSSIBLE"] if rng.random() < 0.5 else [])
        else:  # TN2 only: deviation written, the individual not told
            keys += ["ALT_NOT_POSSIBLE", "DEVIATION"] + (
                ["INFORM_FAIL"] if rng.random() < 0.5 else []
            )
        if "TN1" in plants:
            v = rng.random()
            if v < 0.45:
                keys.append("DEVIATION_NEG")
            elif v < 0.7:
                occ = d + D(days=rng.randint(5, 6))
                avvikelser.append(
                    case_avvikelse(
                        ctx, rng, plan, unit, occ, d + D(days=rng.randint(9, 12)), missed=True
                    )
                )
        nm.add(d, keys, "event", staff=staff)
        return
    v = rng.random()
    if v < 0.4:
        nm.add(d, ("CANCEL", "INFORMED", "ALT_OFFERED"), "event", staff=staff)
    elif v < 0.6:
        nm.add(d, ("CANCEL", "ALT_NOT_POSSIBLE", "INFORMED", "DEVIATION"), "event", staff=staff)
    elif v < 0.8:
        nm.add(d, ("CANCEL", "INFORMED", "ALT_NOT_POSSIBLE"), "event", staff=staff)
        occ = d + D(days=rng.choice((-1, 0, 0, 0, 1)))
        avvikelser.append(
            case_avvikelse(ctx, rng, plan, unit, occ, d + D(days=rng.randint(0, 3)), missed=True)
        )
    else:
        nm.add(d, ("CANCEL", "INFORMED"), "event", staff=staff)
        nm.add(d + D(days=rng.randint(1, 3)), ("ALT_LATER",), "contact")


def write_not_home(
    nm: NoteMaker,
    rng: random.Random,
    d: date,
    plants: frozenset[str],
    bookings: list[TBooking],
    staff: Person,
    slot,
) -> None:
    bookings.append(booking(d, slot, "not_home", "Ej hemma", "", "", False, staff.full))
    if plants:
        keys = ["NOT_HOME"] + (["THREE_DAY_NEG"] if rng.random() < 0.6 else [])
        nm.add(d, keys, "event", staff=staff)
        if rng.random() < 0.5:
            nm.add(d + D(days=1), ("THREE_DAY_LATE",), "event")
        nm.add(d + D(days=rng.randint(1, 2)), ("ROUTINE_FOUND",), "contact")
        return
    nm.add(d, ("NOT_HOME", "THREE_DAY"), "event", staff=staff)
    if rng.random() < 0.5:
        nm.add(d + D(days=1), ("ROUTINE_DAY2",), "contact")
        nm.add(d + D(days=2), ("ROUTINE_FOUND",), "contact")
    else:
        nm.add(d + D(days=1), ("ROUTINE_FOUND",), "contact")


def summary_text(nm: NoteMaker, rng: random.Random, lo: date, hi: date,
                 events: list[Planted], pauses: list[tuple[date, date]]) -> str:
    sl = nm.slots(nm.pick_staff(), fr=f"{lo.day}/{lo.month}", till=f"{hi.day}/{hi.month}")
    head = texts.sentence(rng, "SUMMARY", sl)
    n_decl = sum(1 for e in events if e.kind == "decline" and lo < e.day <= hi)
    lines = [head]
    lines.append(
        f"{sl['B']} har fått stöd enligt planeringen. Vi har arbetat med målet att {sl['mal']}."
    )
    if n_decl:
        lines.append(
            f"{sl['B']} tackade nej {n_decl} {'gång' if n_decl == 1 else 'gånger'} under perioden, oftast pga trötthet."
        )
    for a, b in pauses:
        if lo < a <= hi:
            lines.append(f"{sl['B']} var inlagd {a.day}/{a.month}–{b.day}/{b.month}.")
    lines.append(
        rng.choice(
            (
                f"{sl['B']} upplever att stödet fungerar bra och vill fortsätta som nu.",
                f"{sl['B']} tycker att det går bättre med vardagen.",
                "Inga klagomål har framförts under perioden.",
                f"{sl['B']} har inte framfört några klagomål. Tiden har använts enligt beslut.",
            )
        )
    )
    return "\n".join(lines)
