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
    r"|den\s(?P<dm>\d{1,2}/\d{1,2}))\b",
    re.IGNORECASE,
)
# "hemma sedan i lördags", "inlagd sen igår": a state since that day, reported today.
_SINCE = re.compile(r"\b(?:sedan|sen|från och med|fr\.o\.m\.?)\s*$", re.IGNORECASE)
# How far back "den 12/3" may point (older dates are history, not a back-reference).
_MAX_BACK_DAYS = 31


def mentions_day(text: str) -> bool:
    """Whether the text names an earlier day at all (a quick check before the sentences)."""
    low = text.lower()
    return ("går" in low or "dags" in low or "den " in low) and _RX.search(text) is not None


def refers_to(sentence: str, note_date: date | None) -> date | None:
    """The earlier day a sentence reports, or None when it states none."""
    if note_date is None:
        return None
    m = _RX.search(sentence)
    if not m or _SINCE.search(sentence[: m.start()]):
        return None
    if m.group("dm"):
        day, month = (int(x) for x in m.group("dm").split("/"))
        try:
            when = date(note_date.year, month, day)
        except ValueError:
            return None
        if when > note_date:
            try:
                when = date(note_date.year - 1, month, day)
            except ValueError:
                return None
        back = (note_date - when).days
        return when if 0 < back <= _MAX_BACK_DAYS else None
    if m.group("igar"):
        return note_date - timedelta(days=1)
    if m.group("forrgar"):
        return note_date - timedelta(days=2)
    if m.group("wd"):
        target = _WEEKDAYS[m.group("wd").lower()]
        delta = (note_date.weekday() - target) % 7 or 7
        return note_date - timedelta(days=delta)
    return None
