"""Planting an event in a case: one mechanism for every case builder.

A builder decides *where* an event goes (a free day, far enough from the others) and *which
rules it is planted to break* (its labels: the planted rule ids, empty for background
events). :meth:`DayBook.plant` records the event and takes its day; the writers here and in
``bs_events.py`` then turn it into notes (and bookings) the same way for every insats. The
oracle judges the whole case afterwards, so a plant is an intention, not yet a label.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from auditor.model.workdays import WorkdayCalendar

from .notes import NoteMaker

D = timedelta


@dataclass(frozen=True, slots=True)
class Planted:
    """One event in a case's timeline and the rules it is planted to break."""

    day: date
    kind: str  # decline | cancel | not_home | hospital | concern | run_cw | run_intent
    plants: frozenset[str] = frozenset()
    pause: int = 0  # hospital: days without visits after the admission


class DayBook:
    """Bookkeeping of which days are taken, quiet or paused while events are planted."""

    def __init__(self) -> None:
        self.events: dict[date, str] = {}
        self.planted: list[Planted] = []
        self.declines: list[date] = []  # single declines
        self.runs: list[date] = []  # declines that belong to a TN5 run
        self.quiet: list[tuple[date, date]] = []  # no notes at all (planted TN6)
        self.pause: list[tuple[date, date]] = []  # no visits (hospital)
        self.no_cw: list[tuple[date, date]] = []  # no caseworker contact (planted TN5/GB10/HP1)
        self.protect: set[date] = set()  # summaries, plan days: never inside a quiet gap

    def plant(self, d: date, kind: str, plants: Iterable[str] = (), *, pause: int = 0,
              takes_day: bool = True) -> Planted:
        """Record an event (with the rules it is planted to break) and take its day."""
        event = Planted(d, kind, frozenset(plants), pause)
        if takes_day:
            self.events[d] = kind
        self.planted.append(event)
        return event

    def in_order(self) -> list[Planted]:
        """The planted events by day (and kind), in the order they were planted otherwise."""
        return sorted(self.planted, key=lambda e: (e.day, e.kind))

    @staticmethod
    def _inside(d: date, ranges: list[tuple[date, date]]) -> bool:
        return any(lo <= d <= hi for lo, hi in ranges)

    def free(self, d: date, after: int = 5) -> bool:
        if any(abs((d - e).days) <= 2 for e in self.events):
            return False
        for k in range(after + 1):
            if self._inside(d + D(days=k), self.quiet) or self._inside(d + D(days=k), self.pause):
                return False
        return not any(lo - D(days=2) <= d <= hi + D(days=2) for lo, hi in self.pause)

    def decline_ok(self, d: date, run: bool = False) -> bool:
        single_gap = 31 if run else 16
        return all(abs((d - x).days) >= single_gap for x in self.declines) and all(
            abs((d - x).days) >= 31 for x in self.runs
        )

    def cw_ok(self, d: date, until: date | None = None) -> bool:
        cur = d
        while cur <= (until or d):
            if self._inside(cur, self.no_cw) or self._inside(cur, self.quiet):
                return False
            cur += D(days=1)
        return True

    def note_ok(self, d: date) -> bool:
        return not self._inside(d, self.quiet)


def write_concern(nm: NoteMaker, rng: random.Random, cal: WorkdayCalendar, d: date,
                  plants: frozenset[str], *, reported_same_day: float = 0.7) -> None:
    """A concern about the individual (HP1). Planted: the caseworker is told late or never.
    Background: told the same day (share ``reported_same_day``) or the next working day."""
    if plants:
        nm.add(d, ("CONCERN",), "event")
        if rng.random() < 0.5:
            nm.add(cal.add_workdays(d, rng.randint(3, 5)), ("CONCERN_SS_LATER",), "caseworker")
    elif reported_same_day >= 1 or rng.random() < reported_same_day:
        nm.add(d, ("CONCERN", "CONCERN_SS"), "event")
    else:
        nm.add(d, ("CONCERN",), "event")
        nm.add(cal.add_workdays(d, 1), ("CONCERN_SS_LATER",), "caseworker")
