"""Days a note refers back to: "igår tackade hen nej" is dated the day before the note."""

from __future__ import annotations

import re
from datetime import date, timedelta

_WEEKDAYS = {
    "måndags": 0,
    "tisdags": 1,
    "onsdags": 2,
    "torsdags": 3,
    "fredags": 4,
    "lördags": 5,
    "söndags": 6,
}

_RX = re.compile(
    r"\b(?:(?P<igar>i\s?går)|(?P<forrgar>i\s?förrgår)|i\s(?P<wd>måndags|tisdags|onsdags|torsdags|fredags|lördags|söndags)"
    r")\b",
    re.IGNORECASE,
)


def mentions_day(text: str) -> bool:
    """Whether the text names an earlier day at all (a quick check before the sentences)."""
    low = text.lower()
    return ("går" in low or "dags" in low) and _RX.search(text) is not None


def refers_to(sentence: str, note_date: date | None) -> date | None:
    """The earlier day a sentence reports, or None when it states none."""
    if note_date is None:
        return None
    m = _RX.search(sentence)
    if not m:
        return None
    if m.group("igar"):
        return note_date - timedelta(days=1)
    if m.group("forrgar"):
        return note_date - timedelta(days=2)
    if m.group("wd"):
        target = _WEEKDAYS[m.group("wd").lower()]
        delta = (note_date.weekday() - target) % 7 or 7
        return note_date - timedelta(days=delta)
    return None
