"""Personnummer: forms, century, Excel damage, samordningsnummer, Luhn."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.model.personnummer import (
    ERR_DATE,
    ERR_FORM,
    ERR_LUHN,
    ERR_SCIENTIFIC,
    luhn_ok,
    parse_pnr,
    parse_pnr_values,
)

from .conftest import ALL_TEST_NUMBERS, P1, P_1890, P_2000, P_2001, S_1914, S_2010, dash, short

REF = date(2024, 5, 31)
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


def test_all_numbers_used_are_skatteverket_test_numbers():
    files = [SHARED / "testpersonnummer.txt", SHARED / "testsamordningsnummer.txt"]
    if not all(f.exists() for f in files):
        pytest.skip("shared/data not beside the repository")
    known = set()
    for f in files:
        known |= {line.strip() for line in f.read_text().splitlines() if line[:1].isdigit()}
    assert set(ALL_TEST_NUMBERS) <= known


@pytest.mark.parametrize(
    "raw",
    [
        P1,
        dash(P1),
        short(P1),
        short(P1).replace("-", ""),
        f" {dash(P1)} ",
        int(P1),
        float(P1),
        P1 + ".0",
    ],
)
def test_forms_normalise_to_12_digits(raw):
    res = parse_pnr(raw, REF)
    assert res.value == P1 and res.error is None


def test_century_without_plus_is_under_100_at_the_rows_date():
    assert parse_pnr(short(P_1890), REF).value == "19" + P_1890[2:]
    assert parse_pnr(short(P_1890, "+"), REF).value == P_1890


def test_century_depends_on_the_row_date():
    # born 2001-01-01: a row dated 2000 cannot be about someone born in 2001
    assert parse_pnr(short(P_2001), date(2024, 1, 1)).value == P_2001
    assert parse_pnr(short(P_2001), date(2000, 6, 1)).value == "19" + P_2001[2:]


def test_samordningsnummer_day_plus_60():
    res = parse_pnr(S_1914, REF)
    assert res.value == S_1914 and res.samordning
    assert parse_pnr(short(S_1914, "+"), REF).value == S_1914
    # month 00 / day 60+: birth date not known, still a valid samordningsnummer
    assert parse_pnr(S_2010, REF).value == S_2010


def test_lost_leading_zero_restored_when_luhn_passes():
    res = parse_pnr(int(P_2001[2:]), REF)  # 101012383: Excel made it a number
    assert res.value == P_2001 and res.restored_zero
    assert parse_pnr(P_2001[3:], REF).value == P_2001  # as text "101012383"
    assert parse_pnr(float(P_2000[2:]), REF).value == P_2000  # two zeros gone: 1012384


def test_lost_zero_not_restored_when_luhn_fails():
    assert parse_pnr(101012384, REF).error == ERR_LUHN


@pytest.mark.parametrize("raw", ["1,99001E+11", "1.99E+11", "1,99001e+11", "2E+11"])
def test_scientific_notation_rejected(raw):
    res = parse_pnr(raw, REF)
    assert res.value is None and res.error == ERR_SCIENTIFIC


def test_luhn_failure_rejected():
    bad = P1[:-1] + str((int(P1[-1]) + 1) % 10)
    assert parse_pnr(bad, REF).error == ERR_LUHN
    assert luhn_ok(P1[2:]) and not luhn_ok(bad[2:])


@pytest.mark.parametrize("raw", ["abc", "19900101-23", "1990-01-01", True, 12.5])
def test_bad_form(raw):
    assert parse_pnr(raw, REF).error == ERR_FORM


def test_invalid_birth_date():
    # 1990-02-30 does not exist; find a check digit that passes Luhn so only the date fails
    for c in range(10):
        ten = f"90023012{3}{c}"
        if luhn_ok(ten):
            break
    assert parse_pnr("19" + ten, REF).error == ERR_DATE


def test_empty_is_neither_value_nor_error():
    for raw in (None, "", "  "):
        res = parse_pnr(raw, REF)
        assert res.value is None and res.error is None


def test_parse_values_uses_each_rows_date():
    vals = [short(P_2001), short(P_2001), P1, ""]
    refs = [date(2024, 1, 1), date(2000, 1, 1), None, None]
    out = parse_pnr_values(vals, refs)
    assert [r.value for r in out] == [P_2001, "19" + P_2001[2:], P1, None]


def _around_birthdays() -> list[date]:
    """Days around each test number's birthday, in its birth year and 100 years on: where
    the century of a number written without one changes."""
    out = []
    for p in ALL_TEST_NUMBERS:
        y, m, d = int(p[:4]), int(p[4:6]), int(p[6:8])
        d = d - 60 if d > 60 else d
        for year in (y, y + 100):
            born = date(year, max(m, 1), max(d, 1))
            out += [born - timedelta(days=1), born, born + timedelta(days=1)]
    return out


_AROUND_BIRTHDAYS = _around_birthdays()


@given(
    st.lists(
        st.tuples(
            st.sampled_from(ALL_TEST_NUMBERS),
            st.sampled_from(["12", "dash", "10", "10dash", "plus", "number", "float", "blank"]),
            st.one_of(st.none(), st.sampled_from(_AROUND_BIRTHDAYS), st.dates(date(1890, 1, 1), date(2120, 12, 31))),
        ),
        max_size=40,
    )
)
@settings(max_examples=200, deadline=None)
def test_a_column_is_read_as_each_cell_alone_at_its_rows_date(cells):
    # A column is parsed once per distinct number and century; every row must get what
    # parsing its own cell at its own row's date gives (value, error, restored zero).
    forms = {
        "12": lambda p: p, "dash": dash, "10": lambda p: p[2:], "10dash": short,
        "plus": lambda p: short(p, "+"), "number": lambda p: int(p[2:]),
        "float": lambda p: float(p[2:]), "blank": lambda p: "  ",
    }
    values = [forms[f](p) for p, f, _ in cells]
    refs = [ref for *_, ref in cells]
    expected = [parse_pnr(v, ref) for v, ref in zip(values, refs, strict=True)]
    assert parse_pnr_values(values, refs) == expected
