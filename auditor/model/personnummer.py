"""Personnummer and samordningsnummer: Excel-damaged forms, century, Luhn.

A value is normalised to 12 digits (``YYYYMMDDNNNC``). Without a century the
person is taken to be under 100 at the reference date (the row's date), unless a
``+`` separator says 100 or older. A samordningsnummer has day + 60.

Messages are Swedish and never repeat the number itself: a rejected number may be
a real person's with a typo, and it must not travel into reports.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

ERR_MISSING = "personnummer saknas"
ERR_SCIENTIFIC = (
    "personnumret har förstörts av Excel (exponentform, t.ex. 1,97E+11) och kan inte återställas"
)
ERR_FORM = "personnumret har fel form (ska vara 10 eller 12 siffror)"
ERR_DATE = "personnumret innehåller inget giltigt födelsedatum"
ERR_LUHN = "personnumret har fel kontrollsiffra"

_SCI = re.compile(r"^[+-]?\d+(?:[.,]\d*)?[eE][+-]?\d+$")
_FORM = re.compile(r"^(\d{2})?(\d{6})([-+]?)(\d{4})$")
_STRIP = re.compile(r"[\s\u00a0\u202f\u2009]+")
_FLOAT_TAIL = re.compile(r"[.,]0+$")


@dataclass(frozen=True, slots=True)
class PnrResult:
    value: str | None  # 12 digits, None when empty or invalid
    error: str | None = None  # Swedish reason when the value is not usable
    restored_zero: bool = False  # a leading zero lost by Excel was put back
    samordning: bool = False


EMPTY = PnrResult(None)


def luhn_ok(ten: str) -> bool:
    """Luhn check on the 10-digit form ``YYMMDDNNNC``."""
    total = 0
    for i, ch in enumerate(ten):
        d = (ord(ch) - 48) * (2 - i % 2)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _valid_day(year: int, month: int, day: int) -> tuple[bool, bool]:
    """(valid, samordningsnummer). A samordningsnummer may have month 00 and day
    60 (day 00 + 60) when the birth date is not known."""
    if day >= 60:
        day -= 60
        if not 0 <= month <= 12 or not 0 <= day <= 31:
            return False, True
        if month == 0 or day == 0:
            return True, True
        return _is_date(year, month, day), True
    return _is_date(year, month, day), False


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _century(yymmdd: str, plus: bool, ref: date) -> int:
    """The century of a birth date written without one: under 100 at ``ref``."""
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6])
    if dd >= 60:
        dd -= 60
    mm, dd = max(mm, 1), max(dd, 1)
    year = ref.year - ((ref.year - yy) % 100)
    if (mm, dd) > (ref.month, ref.day) and year == ref.year:
        year -= 100
    if plus:
        year -= 100
    return year // 100


# What ``_prepare`` leaves for the century: (century or None, YYMMDD, the ten digits,
# a leading zero restored, written with "+")
_Prepared = tuple[str | None, str, str, bool, bool]


def _prepare(raw: object) -> PnrResult | _Prepared:
    """Everything about one cell that does not depend on the row's date: the result, or
    what the century decides (``_finish``)."""
    if raw is None:
        return EMPTY
    restored = False
    if isinstance(raw, bool):
        return PnrResult(None, ERR_FORM)
    if isinstance(raw, (int, float, np.integer, np.floating)):
        f = float(raw)
        if f != f:  # NaN
            return EMPTY
        if not f.is_integer() or f < 0:
            return PnrResult(None, ERR_FORM)
        s = str(int(f))
    else:
        s = _STRIP.sub("", str(raw))
        if not s:
            return EMPTY
        if _SCI.match(s):
            return PnrResult(None, ERR_SCIENTIFIC)
        s = _FLOAT_TAIL.sub("", s) if s[:-2].isdigit() else s
    if s.isdigit() and 7 <= len(s) <= 9:
        # Excel stored "0501011234" as a number: born 2000-2009, leading zeros gone
        s = s.zfill(10)
        restored = True
    m = _FORM.match(s)
    if not m:
        return PnrResult(None, ERR_FORM)
    cc, yymmdd, sep, tail = m.groups()
    ten = yymmdd + tail
    if not luhn_ok(ten):
        return PnrResult(None, ERR_LUHN)
    return cc, yymmdd, ten, restored, sep == "+"


def _finish(cc: str, yymmdd: str, ten: str, restored: bool) -> PnrResult:
    ok, samordning = _valid_day(int(cc + yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6]))
    if not ok:
        return PnrResult(None, ERR_DATE)
    return PnrResult(cc + ten, None, restored, samordning)


def parse_pnr(raw: object, ref: date | None = None) -> PnrResult:
    """Parse one cell. ``ref`` is the row's date (today when None)."""
    prep = _prepare(raw)
    if isinstance(prep, PnrResult):
        return prep
    cc, yymmdd, ten, restored, plus = prep
    if cc is None:
        cc = f"{_century(yymmdd, plus, ref or date.today()):02d}"
    return _finish(cc, yymmdd, ten, restored)


def parse_pnr_values(
    values: Sequence[object], refs: Sequence[object] | None = None
) -> list[PnrResult]:
    """Parse many cells (see ``parse_pnr_column``). ``refs``: per row a date, a numpy
    datetime64 or None."""
    slots, results = parse_pnr_column(values, refs)
    return [results[s] for s in slots.tolist()]


def _ref_parts(refs: Sequence[object] | None, n: int, today: date) -> tuple[np.ndarray, ...]:
    """(year, month, day) per row of the reference dates; today where there is none."""
    if isinstance(refs, np.ndarray) and np.issubdtype(refs.dtype, np.datetime64):
        days = refs.astype("datetime64[D]")
    else:
        days = np.array(
            [_as_date(r) if refs is not None else None for r in (refs if refs is not None else [None] * n)],
            dtype="datetime64[D]",
        )
    days = np.where(np.isnat(days), np.datetime64(today, "D"), days)
    months = days.astype("datetime64[M]")
    year = months.astype(np.int64) // 12 + 1970
    month = months.astype(np.int64) % 12 + 1
    day = (days - months.astype("datetime64[D]")).astype(np.int64) + 1
    return year, month, day


def parse_pnr_column(
    values: Sequence[object], refs: Sequence[object] | None = None
) -> tuple[np.ndarray, list[PnrResult]]:
    """Parse a column: (per row an index into the results, the distinct results).

    Each distinct value is parsed once; a value written without its century gets it per
    row from the row's reference date (``refs``, today when None or missing), computed for
    all rows at once, and is finished once per (value, century)."""
    today = date.today()
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    codes, uniques = pd.factorize(arr, use_na_sentinel=True)
    n, k = len(arr), len(uniques)
    results: list[PnrResult] = [EMPTY]  # slot 0: empty cells
    u_slot = np.zeros(k, dtype=np.int64)
    by_row: list[tuple[int, _Prepared]] = []  # uniques whose century depends on the row
    for i, v in enumerate(uniques.tolist()):
        prep = _prepare(v)
        if isinstance(prep, PnrResult):
            res = prep
        elif prep[0] is not None:
            res = _finish(prep[0], prep[1], prep[2], prep[3])
        elif not _needs_century(v):
            res = parse_pnr(v, today)
        else:
            by_row.append((i, prep))
            continue
        u_slot[i] = len(results)
        results.append(res)
    slots = np.where(codes >= 0, u_slot[np.where(codes >= 0, codes, 0)], 0)
    if not by_row:
        return slots, results

    # the century of each row's value at the row's reference date (as ``_century``)
    ui = np.array([i for i, _ in by_row], dtype=np.int64)
    yy = np.zeros(k, dtype=np.int64)
    mm = np.zeros(k, dtype=np.int64)
    dd = np.zeros(k, dtype=np.int64)
    plus = np.zeros(k, dtype=bool)
    for i, prep in by_row:
        ymd = prep[1]
        yy[i], mm[i], dd[i], plus[i] = int(ymd[:2]), int(ymd[2:4]), int(ymd[4:6]), prep[4]
    dd = np.where(dd >= 60, dd - 60, dd)
    mm, dd = np.maximum(mm, 1), np.maximum(dd, 1)
    need = np.zeros(k, dtype=bool)
    need[ui] = True
    rows = np.flatnonzero((codes >= 0) & need[np.where(codes >= 0, codes, 0)])
    c = codes[rows]
    ry, rm, rd = (a[rows] for a in _ref_parts(refs, n, today))
    year = ry - (ry - yy[c]) % 100
    later = (mm[c] > rm) | ((mm[c] == rm) & (dd[c] > rd))
    year = np.where(later & (year == ry), year - 100, year)
    year = np.where(plus[c], year - 100, year)
    century = year // 100
    pair_codes, pairs = pd.factorize(c * 1000 + century)
    preps = dict(by_row)
    pair_slot = np.empty(len(pairs), dtype=np.int64)
    for j, key in enumerate(pairs.tolist()):
        _, yymmdd, ten, restored, _plus = preps[key // 1000]
        pair_slot[j] = len(results)
        results.append(_finish(f"{key % 1000:02d}", yymmdd, ten, restored))
    slots[rows] = pair_slot[pair_codes]
    return slots, results


def _as_date(v: object) -> date | None:
    if v is None:
        return None
    if isinstance(v, np.datetime64):
        return None if np.isnat(v) else v.astype("datetime64[D]").item()
    if isinstance(v, date):
        return v
    return None


def _needs_century(v: object) -> bool:
    if isinstance(v, str):
        return sum(ch.isdigit() for ch in v) <= 10
    try:
        return abs(float(v)) < 1e10  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
