from __future__ import annotations

from datetime import date, timedelta

import pytest

from auditor.model import workdays
from auditor.model.workdays import WorkdayCalendar


@pytest.fixture()
def cal() -> WorkdayCalendar:
    return WorkdayCalendar()


def test_weekends_public_holidays_and_eves_are_not_workdays(cal: WorkdayCalendar) -> None:
    for d in (
        date(2026, 6, 19),  # midsommarafton (Friday)
        date(2025, 12, 24),  # julafton (Wednesday)
        date(2025, 12, 31),  # nyårsafton (Wednesday)
        date(2026, 1, 6),  # trettondedag jul
        date(2026, 4, 3),  # långfredagen
        date(2026, 4, 6),  # annandag påsk
        date(2026, 5, 1),
        date(2026, 5, 14),  # Kristi himmelsfärdsdag
        date(2025, 6, 6),  # nationaldagen (Friday)
        date(2026, 6, 20),  # Saturday
        date(2026, 6, 21),  # Sunday
    ):
        assert not cal.is_workday(d), d
    for d in (date(2026, 6, 18), date(2026, 6, 22), date(2026, 4, 30), date(2026, 12, 30)):
        assert cal.is_workday(d), d


def test_add_workdays_steps_over_holidays(cal: WorkdayCalendar) -> None:
    # Wednesday before midsommar: Thu 18, (Fri 19 eve, weekend), Mon 22, Tue 23
    assert cal.add_workdays(date(2026, 6, 17), 3) == date(2026, 6, 23)
    # from a Saturday: Mon 5, (Tue 6 trettondedag), Wed 7, Thu 8
    assert cal.add_workdays(date(2026, 1, 3), 3) == date(2026, 1, 8)
    assert cal.add_workdays(date(2026, 3, 13), 1) == date(2026, 3, 16)  # Friday -> Monday
    assert cal.add_workdays(date(2026, 3, 14), 0) == date(2026, 3, 14)
    assert cal.add_workdays(date(2026, 6, 22), -1) == date(2026, 6, 18)
    assert cal.workdays_between(date(2026, 6, 17), date(2026, 6, 23)) == 3
    assert cal.next_workday(date(2025, 12, 24)) == date(2025, 12, 29)


def test_holidays_between_has_names_and_no_sundays(cal: WorkdayCalendar) -> None:
    days = cal.holidays_between(date(2026, 1, 1), date(2026, 12, 31))
    names = dict(days)
    assert names[date(2026, 6, 19)] == "Midsommarafton"
    assert names[date(2026, 12, 24)] == "Julafton"
    assert names[date(2026, 12, 31)] == "Nyårsafton"
    assert all(d.year == 2026 for d, _ in days)
    assert [d for d, _ in days] == sorted(d for d, _ in days)
    assert date(2026, 1, 4) not in names  # an ordinary Sunday
    assert 15 <= len(days) <= 20


def test_sunday_entries_of_old_holiday_calendars_are_ignored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = workdays._holidays.country_holidays

    def with_sundays(country, years, **kwargs):
        base = dict(real(country, years=years, **kwargs))
        d = date(years, 1, 1)
        while d.year == years:
            if d.weekday() == 6:
                base[d] = f"{base[d]}; Söndag" if d in base else "Söndag"
            d += timedelta(days=1)
        return base

    monkeypatch.setattr(workdays._holidays, "country_holidays", with_sundays)
    cal = WorkdayCalendar()
    names = dict(cal.holidays_between(date(2026, 1, 1), date(2026, 12, 31)))
    assert date(2026, 1, 4) not in names
    assert names[date(2026, 4, 5)] == "Påskdagen"  # a Sunday holiday keeps its own name
    assert cal.add_workdays(date(2026, 6, 17), 3) == date(2026, 6, 23)


def test_extra_local_days(cal: WorkdayCalendar) -> None:
    local = WorkdayCalendar(extra=[(date(2026, 5, 15), "Klämdag")])
    assert cal.is_workday(date(2026, 5, 15))
    assert not local.is_workday(date(2026, 5, 15))
    assert local.holiday_name(date(2026, 5, 15)) == "Klämdag"
