"""Normalising the controlled vocabularies of exports: insats, plan status, booking status."""

from __future__ import annotations

import re
import unicodedata

INSATS_LABEL = {
    "boendestod": "boendestöd",
    "korttidsvistelse": "korttidsvistelse",
    "avlosarservice": "avlösarservice",
    "ledsagarservice": "ledsagarservice",
    "kontaktperson": "kontaktperson",
}

# Order matters: the first matching stem wins.
_INSATS_STEMS = (
    ("boendestod", ("boendestod", "boende stod")),
    ("korttidsvistelse", ("korttidsvistelse", "korttidsboende", "korttids", "korttid")),
    ("avlosarservice", ("avlosarservice", "avlosning", "avlosar")),
    ("ledsagarservice", ("ledsagarservice", "ledsagning", "ledsagar")),
    ("kontaktperson", ("kontaktperson", "kontaktfamilj")),
)


def fold(text: str) -> str:
    """Lower case, å/ä/ö folded to a/a/o, whitespace squeezed: for matching, never for display."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text).strip()


def insats_keys(text: str) -> list[str]:
    """All insats types named in a text ("Avlösning och ledsagning Väst" -> two)."""
    folded = fold(text or "")
    keys = []
    for key, stems in _INSATS_STEMS:
        if any(stem and stem in folded for stem in stems):
            keys.append(key)
    return keys


def insats_key(text: str) -> str | None:
    keys = insats_keys(text)
    return keys[0] if keys else None


PLAN_FINISHED = "finished"
PLAN_DRAFT = "draft"
PLAN_HISTORY = "history"


def plan_status(text: str) -> str:
    f = fold(text or "")
    if any(w in f for w in ("inaktuell", "avslutad", "upphord", "ersatt")):
        return PLAN_HISTORY
    if any(w in f for w in ("pabor", "utkast", "ej klar", "ej faststalld", "under arbete", "pagaende upprattande")):
        return PLAN_DRAFT
    if any(w in f for w in ("klar", "faststalld", "aktiv", "gallande", "signerad", "godkand")):
        return PLAN_FINISHED
    return "unknown"


def booking_status(text: str) -> str:
    """done | not_home | declined | cancelled | not_done | unknown."""
    f = fold(text or "")
    if not f:
        return "unknown"
    if "ej hemma" in f or "inte hemma" in f or "ej antraffbar" in f:
        return "not_home"
    if "avboj" in f or "tackat nej" in f or "tackade nej" in f:
        return "declined"
    if "avbok" in f or "installd" in f or "instalt" in f or "flyttad" in f:
        return "cancelled"
    if f.startswith("ej utf") or "inte utf" in f or "ej genomf" in f:
        return "not_done"
    if "utford" in f or "genomford" in f or f in ("klar", "ja"):
        return "done"
    return "unknown"


def cancelled_by(text: str) -> str | None:
    """Who cancelled a booking: "brukare" or "verksamheten" (None when unknown)."""
    f = fold(text or "")
    if not f:
        return None
    if any(w in f for w in ("brukare", "kund", "individ", "omsorgstagare", "klient", "anhorig", "narstaende")):
        return "brukare"
    if any(w in f for w in ("verksamhet", "utforare", "personal", "enhet", "schema", "admin")):
        return "verksamheten"
    return None
