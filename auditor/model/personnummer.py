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


def parse_pnr(raw: object, ref: date | None = None) -> PnrResult:
    """Parse one cell. ``ref`` is the row's date (today when None)."""
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
    if cc is None:
        cc = f"{_century(yymmdd, sep == '+', ref or date.today()):02d}"
    ok, samordning = _valid_day(int(cc + yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6]))
    if not ok:
        return PnrResult(None, ERR_DATE)
    return PnrResult(cc + ten, None, restored, samordning)


def parse_pnr_values(
    values: Sequence[object], refs: Sequence[object] | None = None
) -> list[PnrResult]:
    """Parse many cells, caching per distinct value (and per reference date when the
    century has to be inferred). ``refs``: per row a date, a numpy datetime64 or None."""
    today = date.today()
    by_value: dict[object, PnrResult | None] = {}  # None: depends on the row's date
    by_ref: dict[tuple[object, date], PnrResult] = {}
    out: list[PnrResult] = []
    for i, v in enumerate(values):
        if v is None or v == "":
            out.append(EMPTY)
            continue
        try:
            res = by_value[v]
        except KeyError:
            res = by_value[v] = None if _needs_century(v) else parse_pnr(v, today)
        if res is None:
            ref = _as_date(refs[i] if refs is not None else None) or today
            key = (v, ref)
            res = by_ref.get(key)
            if res is None:
                res = by_ref[key] = parse_pnr(v, ref)
        out.append(res)
    return out


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
