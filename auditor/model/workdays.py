"""Swedish working days: Monday–Friday minus public holidays and the de facto holidays.

The catalogue's convention: a working day (vardag) is Monday–Friday that is not a Swedish
public holiday (helgdag) nor one of the de facto holidays midsommarafton, julafton and
nyårsafton. Public holidays come from the ``holidays`` package (``country_holidays("SE")``);
the eves are computed here, so the result does not depend on which optional categories a
version of the package offers. Some older versions of the package list every Sunday as a
holiday named "Sunday"/"Söndag"; those entries are ignored (Sundays are weekend anyway, and
listing them would swamp ``holidays_between``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import holidays as _holidays

_SUNDAY_NAMES = frozenset({"sunday", "söndag"})


def _eves(year: int) -> dict[date, str]:
    """Midsommarafton (the Friday between 19 and 25 June), julafton and nyårsafton."""
    june19 = date(year, 6, 19)
    midsummer_eve = june19 + timedelta(days=(4 - june19.weekday()) % 7)
    return {
        midsummer_eve: "Midsommarafton",
        date(year, 12, 24): "Julafton",
        date(year, 12, 31): "Nyårsafton",
    }


class WorkdayCalendar:
    """Swedish working-day calendar.

    ``extra`` adds local non-working days (e.g. a municipality's klämdag) with a name.
    Results are cached per year, so the calendar is cheap to query in loops.
    """

    def __init__(self, extra: Iterable[tuple[date, str]] | None = None) -> None:
        self._extra: dict[date, str] = dict(extra or ())
        self._years: dict[int, dict[date, str]] = {}

    # -- holidays ---------------------------------------------------------------------------

    def _year(self, year: int) -> dict[date, str]:
        cached = self._years.get(year)
        if cached is not None:
            return cached
        days: dict[date, str] = {}
        try:
            public = _holidays.country_holidays("SE", years=year, language="sv")
        except (NotImplementedError, TypeError, ValueError):  # pragma: no cover - old package
            public = _holidays.country_holidays("SE", years=year)
        for d, name in sorted(public.items()):
            parts = [p.strip() for p in str(name).split(";")]
            parts = [p for p in parts if p.lower() not in _SUNDAY_NAMES]
            if parts:
                days[d] = "; ".join(parts)
        for d, name in _eves(year).items():
            days.setdefault(d, name)
        for d, name in self._extra.items():
            if d.year == year:
                days.setdefault(d, name)
        self._years[year] = days
        return days

    def holiday_name(self, d: date) -> str | None:
        """The holiday's (Swedish) name when ``d`` is a public or de facto holiday, else None."""
        return self._year(d.year).get(d)

    def holidays_between(self, start: date, end: date) -> list[tuple[date, str]]:
        """Public and de facto holidays in ``[start, end]`` (inclusive), sorted, with names.

        Holidays falling on a weekend are included (they are holidays all the same); weekends
        themselves are not listed.
        """
        if end < start:
            return []
        out: list[tuple[date, str]] = []
        for year in range(start.year, end.year + 1):
            for d, name in sorted(self._year(year).items()):
                if start <= d <= end:
                    out.append((d, name))
        return out

    # -- working days -----------------------------------------------------------------------

    def is_workday(self, d: date) -> bool:
        return d.weekday() < 5 and d not in self._year(d.year)

    def add_workdays(self, d: date, n: int) -> date:
        """Step ``n`` working days from ``d``; ``d`` itself is not counted.

        ``add_workdays(d, 3)`` is the third working day after ``d`` (the last day "within 3
        working days" of ``d``), whatever weekday ``d`` is. ``n = 0`` returns ``d`` unchanged;
        a negative ``n`` steps backwards.
        """
        step = 1 if n >= 0 else -1
        remaining = abs(n)
        cur = d
        while remaining:
            cur += timedelta(days=step)
            if self.is_workday(cur):
                remaining -= 1
        return cur

    def next_workday(self, d: date) -> date:
        """``d`` when it is a working day, else the first working day after it."""
        while not self.is_workday(d):
            d += timedelta(days=1)
        return d

    def workdays_between(self, start: date, end: date) -> int:
        """Working days in ``(start, end]``: how many working days ``end`` lies after ``start``."""
        if end <= start:
            return -self.workdays_between(end, start) if end < start else 0
        count = 0
        cur = start
        while cur < end:
            cur += timedelta(days=1)
            if self.is_workday(cur):
                count += 1
        return count


_DEFAULT: WorkdayCalendar | None = None


def default_calendar() -> WorkdayCalendar:
    """A shared calendar without local extras."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = WorkdayCalendar()
    return _DEFAULT
