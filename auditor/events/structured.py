"""What structured exports say: a booking's event label and cause, an avvikelse's kind.

A booking's status and "avbokad av" decide its event; when they do not tell who cancelled,
the day's notes may. Words in structured fields (avvikelse types, booking causes) are read
through the lexicon (``auditor/nlp/lexicon/structured.yaml``), never through words in checks.
Occasions (``occasions.py``) merge these with the text hits of notes.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from auditor.model.records import Avvikelse, Booking, Note
from auditor.model.vocab import fold
from auditor.nlp import lexicon


def booking_excerpt(b: Booking) -> str:
    parts = [f"Besök {b.date.isoformat()}"]
    if b.start:
        parts.append(f"kl. {b.start}")
    parts.append(f"status: {b.status_text}")
    if b.cancelled_by:
        parts.append(f"avbokad av: {b.cancelled_by}")
    if b.reason:
        parts.append(f"orsak: {b.reason}")
    return ", ".join(parts)


def booking_label(b: Booking, notes_by_day: dict[date, list[Note]]) -> str | None:
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


@cache
def _structured_words(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(words that make the label, words that rule it out) of lexicon/structured.yaml."""
    entry = lexicon.load("structured")[name]
    if isinstance(entry, dict):
        return (tuple(fold(w) for w in entry.get("any", ())), tuple(fold(w) for w in entry.get("none", ())))
    return tuple(fold(w) for w in entry), ()


def speaks_of(text: str, name: str) -> bool:
    """Does a structured field's text carry the lexicon label ``name``?"""
    words, vetoes = _structured_words(name)
    folded = f" {fold(text)} "
    if any(v in folded for v in vetoes):
        return False
    return any(w in folded for w in words)


def avvikelse_is_missed_visit(a: Avvikelse) -> bool:
    """An avvikelse whose type or description speaks of a missed or cancelled insats."""
    return speaks_of(f"{a.typ} {a.description}", "missed_visit")


def booking_reason(b: Booking) -> str:
    """The booking's cause column, or "" when it gives no reason ("ingen orsak angiven")."""
    text = (b.reason or "").strip()
    if not text or fold(text) in ("-", "?") or speaks_of(text, "no_reason"):
        return ""
    return text
