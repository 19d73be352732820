"""Dates, times and numbers in every form the export spec lists."""

from __future__ import annotations

from datetime import date, datetime, time

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.model.dates import (
    drop_midnight_only,
    parse_date_text,
    parse_dates,
    parse_time_value,
    parse_times,
)
from auditor.model.numbers import parse_number, parse_numbers

DAY = pd.Timestamp("2024-05-31")


@pytest.mark.parametrize(
    ("raw", "clock"),
    [
        ("2024-05-31", None),
        ("2024-05-31 14:30", "14:30"),
        ("2024-05-31 14:30:59", "14:30"),
        ("2024-05-31T14:30:00", "14:30"),
        ("2024-05-31T14:30:00+02:00", "14:30"),
        ("2024-05-31 14.30", "14:30"),
        ("31/05/2024", None),
        ("31.05.2024", None),
        ("31.05.2024 kl. 14.30", "14:30"),
        ("31-05-2024", None),
        ("20240531", None),
        ("31 maj 2024", None),
        ("31 Maj 2024 14:30", "14:30"),
        ("fredag 31 maj 2024", None),
        ("45443", None),  # Excel serial, epoch 1899-12-30
        ("45443,5", "12:00"),
        (45443.0, None),
        (45443.75, "18:00"),
        (20240531, None),
        (datetime(2024, 5, 31, 14, 30), "14:30"),
        (date(2024, 5, 31), None),
        (" 2024-05-31 ", None),
        ("2024-5-31", None),
    ],
)
def test_every_date_form(raw, clock):
    res = parse_dates([raw])
    assert res.dates.iloc[0] == DAY, raw
    assert res.times.iloc[0] == clock
    assert not res.invalid[0]
    assert res.dates.dtype == "datetime64[ns]"


@pytest.mark.parametrize("raw", ["2024-02-30", "31/04/2024", "junk", "2024", "14:30", "13/13/2024"])
def test_invalid_dates_flagged(raw):
    res = parse_dates([raw])
    assert pd.isna(res.dates.iloc[0]) and res.invalid[0]


def test_empty_is_not_invalid():
    res = parse_dates(["", None, "  ", float("nan")])
    assert res.dates.isna().all() and not res.invalid.any()


def test_day_first_where_ambiguous_and_counted():
    res = parse_dates(["05/06/2024", "05/06/2024", "31/05/2024", "06/06/2024", "1/2/24"])
    assert res.dates.iloc[0] == pd.Timestamp("2024-06-05")
    assert res.dates.iloc[4] == pd.Timestamp("2024-02-01")
    # 05/06 twice and 1/2; 06/06 reads the same both ways and 31/05 only one way
    assert res.ambiguous == 3
    assert res.ambiguous_example in ("05/06/2024", "1/2/24")
    assert not res.month_first


def test_dots_are_day_first_without_ambiguity():
    res = parse_dates(["05.06.2024"])
    assert res.dates.iloc[0] == pd.Timestamp("2024-06-05") and res.ambiguous == 0


def test_column_with_only_month_first_evidence_reads_month_first():
    res = parse_dates(["05/31/2024", "05/06/2024"])
    assert res.month_first
    assert list(res.dates) == [pd.Timestamp("2024-05-31"), pd.Timestamp("2024-05-06")]
    assert res.ambiguous == 1


def test_many_rows_keep_alignment():
    vals = ["2024-05-31", "", "31/05/2024", None, "x"] * 1000
    res = parse_dates(vals)
    assert len(res.dates) == 5000
    assert res.dates.iloc[4995] == DAY and pd.isna(res.dates.iloc[4996]) and res.invalid[4999]


@pytest.mark.parametrize(
    ("raw", "out"),
    [
        ("14:30", "14:30"),
        ("14.30", "14:30"),
        ("kl. 8.05", "08:05"),
        ("kl 14:30:00", "14:30"),
        ("1430", "14:30"),
        (0.5, "12:00"),
        ("0,75", "18:00"),
        (time(9, 15), "09:15"),
        (datetime(2024, 5, 31, 7, 0), "07:00"),
        ("2024-05-31 14:30", "14:30"),
        ("", None),
    ],
)
def test_times(raw, out):
    assert parse_time_value(raw) == (True, out)


@pytest.mark.parametrize("raw", ["25:00", "14:75", "eftermiddag", "14"])
def test_bad_times(raw):
    assert parse_time_value(raw) == (False, None)


def test_parse_times_column():
    out, bad = parse_times(["14.30", "x", None])
    assert list(out) == ["14:30", None, None]
    assert list(bad) == [False, True, False]


def test_midnight_only_column_has_no_times():
    assert drop_midnight_only(pd.Series(["00:00", None, "00:00"], dtype=object)).isna().all()
    kept = drop_midnight_only(pd.Series(["00:00", "14:30"], dtype=object))
    assert list(kept) == ["00:00", "14:30"]


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("12,5", 12.5),
        ("1 234,5", 1234.5),
        ("1\u00a0234,5", 1234.5),  # NBSP
        ("1\u202f234,50", 1234.5),  # narrow NBSP
        ("1.234,5", 1234.5),
        ("12.5", 12.5),
        ("-3", -3.0),
        ("\u22122,5", -2.5),
        ("12,5 tim", 12.5),
        (7, 7.0),
        (2.25, 2.25),
    ],
)
def test_numbers(raw, value):
    assert parse_number(raw) == (True, value)


@pytest.mark.parametrize("raw", ["abc", "1,2,3", "1.234.5,6,7"])
def test_bad_numbers(raw):
    ok, value = parse_number(raw)
    assert not ok and np.isnan(value)


def test_numbers_column():
    values, bad = parse_numbers(["1 000,5", "", "x"])
    assert values[0] == 1000.5 and np.isnan(values[1]) and bad.tolist() == [False, False, True]


# two digits, mostly near the edges of months, days, hours and minutes
_N2 = st.one_of(
    st.integers(0, 13), st.integers(23, 32), st.integers(58, 61), st.integers(0, 99)
).map(lambda x: f"{x:02d}")
_YEAR = st.sampled_from(["1799", "1800", "1900", "2000", "2024", "2200", "2201", "0000"])
_CLOCK = st.tuples(st.sampled_from([" ", "T"]), _N2, st.sampled_from([":", "."]), _N2)
_FIXED_FORMS = st.one_of(
    st.builds(lambda y, m, d: f"{y}-{m}-{d}", _YEAR, _N2, _N2),
    st.builds(lambda y, m, d, c: f"{y}-{m}-{d}{c[0]}{c[1]}:{c[3]}", _YEAR, _N2, _N2, _CLOCK),
    st.builds(lambda y, m, d, c, s: f"{y}-{m}-{d}{c[0]}{c[1]}:{c[3]}:{s:02d}", _YEAR, _N2, _N2, _CLOCK, st.integers(0, 59)),
    st.builds(lambda d, sep, m, y: f"{d}{sep}{m}{sep}{y}", _N2, st.sampled_from("./-"), _N2, _YEAR),
    st.builds(lambda d, sep, m, y, c: f"{d}{sep}{m}{sep}{y}{''.join(c)}", _N2, st.sampled_from("./-"), _N2, _YEAR, _CLOCK),
    st.builds(lambda y, m, d: f"{y}{m}{d}", _YEAR, _N2, _N2),
)


@given(_FIXED_FORMS)
@settings(max_examples=400, deadline=None)
def test_common_date_forms_read_as_the_general_parser_reads_them(raw):
    # The common fixed-width forms are read for a whole column at once; each value must
    # come out as the general parser reads it alone: the date, the time of day, invalid
    # or not, and whether it reads both as day/month and month/day.
    res = parse_dates([raw])
    p = parse_date_text(raw)
    real = p is not None and _real_date(p.y, p.m, p.d)
    assert bool(res.invalid[0]) == (not real), raw
    if real:
        assert res.dates.iloc[0] == pd.Timestamp(p.y, p.m, p.d), raw
        assert res.times.iloc[0] == (f"{p.hh:02d}:{p.mi:02d}" if p.hh is not None else None), raw
        assert res.ambiguous == int(p.ambiguous), raw
        assert res.month_first == (p.order == "md"), raw


def _real_date(y: int, m: int, d: int) -> bool:
    try:
        return 1800 <= y <= 2200 and bool(date(y, m, d))
    except ValueError:
        return False
