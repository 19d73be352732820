"""Dates and times as they occur in exports.

Forms: 2024-05-31, 2024-05-31 14:30, ISO with T, 31/05/2024, 31.05.2024,
31-05-2024, 20240531, "31 maj 2024", Excel serials (epoch 1899-12-30, fraction =
time of day), and cells Excel already typed (datetime/date/time objects).
Times: 14:30, 14.30, kl. 14.30, 14:30:00, 1430, Excel day fractions.

Day-first where a value reads both ways (05/06/2024); such values are counted.
If a column has values that only read month-first and none that only read
day-first, the column is taken as month-first and that is said too.

Parsing is per distinct value (``pd.factorize``), with the ISO form handled
vectorised, so 100k rows cost about as much as their distinct values.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
import pandas as pd

EXCEL_EPOCH = datetime(1899, 12, 30)
_MIN_YEAR, _MAX_YEAR = 1800, 2200

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "maj": 5,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "okt": 10,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_TIME = r"(?:[ tT]+(?:kl\.?\s*)?(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:[.,]\d+)?)?\s*(?:z|[+-]\d{2}:?\d{2})?)?"
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME + r"$")
_DMY = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})" + _TIME + r"$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:[ T]?(\d{2})[:.]?(\d{2})(?:[:.]?(\d{2}))?)?$")
_NAMED = re.compile(
    r"^(\d{1,2})\.?\s*([a-zåäö]{3,9})\.?,?\s+(\d{4})" + _TIME.replace("[ tT]+", r"[ tT,]+") + r"$"
)
_SERIAL = re.compile(r"^(\d{1,7})(?:[.,](\d+))?$")
_WEEKDAY = re.compile(
    r"^(?:mån|tis|ons|tor|fre|lör|sön|mon|tue|wed|thu|fri|sat|sun)[a-zåäö]*\.?,?\s+"
)
_TIME_ONLY = re.compile(
    r"^(?:kl\.?\s*)?(\d{1,2})(?:[:.](\d{2})(?:[:.](\d{2})(?:[.,]\d+)?)?|(\d{2}))$"
)
_FRACTION = re.compile(r"^0?[.,]\d+$")
_ISO_FORMATS = (
    ("%Y-%m-%d", False),
    ("%Y-%m-%d %H:%M", True),
    ("%Y-%m-%d %H:%M:%S", True),
    ("%Y-%m-%dT%H:%M:%S", True),
)


@dataclass
class _Parsed:
    y: int
    m: int
    d: int
    hh: int | None = None
    mi: int | None = None
    # 1: reads both as day/month and month/day; the alternative is (m, d) swapped
    ambiguous: bool = False
    # evidence for the column's order: "dm" only day-first possible, "md" only month-first
    order: str | None = None


@dataclass
class DateColumn:
    dates: pd.Series  # datetime64[ns] at midnight, NaT when empty or unparseable
    times: pd.Series  # object: "HH:MM" or None
    invalid: np.ndarray  # bool: non-empty but not a date
    ambiguous: int = 0  # values read day-first though month-first was possible
    ambiguous_example: str | None = None
    month_first: bool = False  # the column read month-first (from its own evidence)


def _fold(s: str) -> str:
    return " ".join(s.replace("\u00a0", " ").replace("\u202f", " ").split()).lower()


def _hm(
    hh: str | None, mi: str | None, ss: str | None = None
) -> tuple[int | None, int | None] | None:
    if hh is None:
        return None, None
    h, m = int(hh), int(mi)  # type: ignore[arg-type]  # the patterns give minutes with hours
    if h > 23 or m > 59 or (ss is not None and int(ss) > 59):
        return None
    return h, m


def _year2(y: str) -> int:
    if len(y) == 4:
        return int(y)
    yy = int(y)
    pivot = (date.today().year + 10) % 100
    return 2000 + yy if yy <= pivot else 1900 + yy


def _valid(y: int, m: int, d: int) -> bool:
    if not (_MIN_YEAR <= y <= _MAX_YEAR and 1 <= m <= 12 and 1 <= d <= 31):
        return False
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


def _from_serial(value: float) -> _Parsed | None:
    # 10000 is 1927-05-18: smaller numbers are years, counts or times, not dates
    if not 10000 <= value < 2958466:
        return None
    dt = EXCEL_EPOCH + timedelta(days=value)
    # round to the minute: serials carry float noise
    dt = (dt + timedelta(seconds=30)).replace(second=0, microsecond=0)
    frac = value % 1
    if frac:
        return _Parsed(dt.year, dt.month, dt.day, dt.hour, dt.minute)
    return _Parsed(dt.year, dt.month, dt.day)


def parse_date_text(text: str) -> _Parsed | None:
    """One date written as text; None when it is not a date."""
    s = _WEEKDAY.sub("", _fold(text))
    if not s:
        return None
    m = _ISO.match(s)
    if m:
        t = _hm(*m.group(4, 5, 6))
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
        return _Parsed(y, mo, d, *t) if t is not None and _valid(y, mo, d) else None
    m = _DMY.match(s)
    if m:
        t = _hm(*m.group(5, 6, 7))
        if t is None:
            return None
        a, sep, b, y = int(m[1]), m[2], int(m[3]), _year2(m[4])
        dm, md = _valid(y, b, a), _valid(y, a, b)
        if sep == "." or (dm and not md):
            return (
                _Parsed(y, b, a, *t, order="dm" if sep != "." and a > 12 else None) if dm else None
            )
        if md and not dm:
            return _Parsed(y, a, b, *t, order="md")
        if dm:
            return _Parsed(y, b, a, *t, ambiguous=a != b)
        return None
    m = _COMPACT.match(s)
    if m:
        t = _hm(m[4], m[5], m[6])
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
        return _Parsed(y, mo, d, *t) if t is not None and _valid(y, mo, d) else None
    m = _NAMED.match(s)
    if m:
        mo = _MONTHS.get(m[2][:3])  # type: ignore[assignment]  # None is checked below
        t = _hm(*m.group(4, 5, 6))
        y, d = int(m[3]), int(m[1])
        if mo and t is not None and _valid(y, mo, d):
            return _Parsed(y, mo, d, *t)
        return None
    m = _SERIAL.match(s)
    if m and len(m[1]) == 5:
        return _from_serial(float(f"{m[1]}.{m[2] or 0}"))
    return None


def _from_object(v: object) -> _Parsed | None:
    if isinstance(v, datetime):
        if v.time() == time(0):
            return _Parsed(v.year, v.month, v.day, 0, 0)
        return _Parsed(v.year, v.month, v.day, v.hour, v.minute)
    if isinstance(v, date):
        return _Parsed(v.year, v.month, v.day)
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float, np.integer, np.floating)):
        f = float(v)
        if f != f:
            return None
        if f.is_integer() and 19000101 <= f <= 22001231:
            s = str(int(f))
            y, mo, d = int(s[:4]), int(s[4:6]), int(s[6:])
            return _Parsed(y, mo, d) if _valid(y, mo, d) else None
        return _from_serial(f)
    if isinstance(v, pd.Timestamp):
        return _from_object(v.to_pydatetime())
    return None


def _is_empty(v: object) -> bool:
    if v is None:
        return True
    if isinstance(v, str):
        return not v.strip()
    return isinstance(v, float) and v != v


def _ymd_to_datetime64(
    y: np.ndarray, m: np.ndarray, d: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised dates from parts: (datetime64[ns], whether the date exists)."""
    sane = (y >= _MIN_YEAR) & (y <= _MAX_YEAR) & (m >= 1) & (m <= 12) & (d >= 1) & (d <= 31)
    yy, mm, dd = np.where(sane, y, 2000), np.where(sane, m, 1), np.where(sane, d, 1)
    months = (yy - 1970) * 12 + (mm - 1)
    start = months.astype("datetime64[M]").astype("datetime64[D]")
    nxt = (months + 1).astype("datetime64[M]").astype("datetime64[D]")
    days = start + (dd - 1).astype("timedelta64[D]")
    return days.astype("datetime64[ns]"), sane & (days < nxt)


def _object_array(values: Sequence[object]) -> np.ndarray:
    """The cells as a 1-d object array (references, no copies of the values)."""
    if isinstance(values, np.ndarray) and values.dtype == object and values.ndim == 1:
        return values
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    return arr


_ZERO, _NINE = ord("0"), ord("9")
_HHMM = np.array([f"{h:02d}:{m:02d}" for h in range(24) for m in range(60)], dtype=object)


def _fixed_forms(texts: np.ndarray) -> dict[str, np.ndarray]:
    """The common fixed-width forms read by numpy on code points, all at once.

    ``texts`` are stripped strings. Returns arrays over ``texts``: ``hit`` (the value has
    one of the forms below and is fully decided here), and for hits ``ok``, ``y``, ``m``,
    ``d``, ``hh``/``mi`` (-1 without a time), ``amb``, ``dm``, ``md`` with exactly the
    meaning ``parse_date_text`` gives them. Forms (ASCII digits only; anything else is
    left to the general parser): YYYY-MM-DD with an optional `` HH:MM``/``THH:MM`` or
    `` HH:MM:SS``/``THH:MM:SS`` (seconds 00-59), DD.MM.YYYY, DD/MM/YYYY and DD-MM-YYYY
    with an optional `` HH:MM`` (``:`` or ``.``), and YYYYMMDD.
    """
    n = len(texts)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    out = {
        "hit": np.zeros(n, dtype=bool), "ok": np.zeros(n, dtype=bool),
        "y": np.zeros(n, dtype=np.int64), "m": np.zeros(n, dtype=np.int64),
        "d": np.zeros(n, dtype=np.int64), "hh": np.full(n, -1, dtype=np.int64),
        "mi": np.full(n, -1, dtype=np.int64), "amb": np.zeros(n, dtype=bool),
        "dm": np.zeros(n, dtype=bool), "md": np.zeros(n, dtype=bool),
    }
    pos = np.flatnonzero(np.isin(lengths, (8, 10, 16, 19)))
    if not len(pos):
        return out
    # code points, 4 bytes each (the values are at most 19 characters here)
    cp = np.asarray(texts[pos].astype(str), dtype="U19").view(np.uint32).reshape(len(pos), 19)
    ln = lengths[pos]
    dig = (cp >= _ZERO) & (cp <= _NINE)

    def digits(*cols: int) -> np.ndarray:
        return np.logical_and.reduce([dig[:, c] for c in cols])

    def num(a: int, b: int) -> np.ndarray:
        r = np.zeros(len(pos), dtype=np.int64)
        for c in range(a, b):
            r = r * 10 + (cp[:, c].astype(np.int64) - _ZERO)
        return r

    def ch(c: int, *chars: str) -> np.ndarray:
        return np.isin(cp[:, c], [ord(x) for x in chars])

    # the time part of 16- and 19-character forms: [ T]HH:MM(:SS)
    clock = (ln >= 16) & ch(10, " ", "T") & digits(11, 12, 14, 15)
    hh, mi, ss = num(11, 13), num(14, 16), num(17, 19)
    iso = (
        np.isin(ln, (10, 16, 19)) & digits(0, 1, 2, 3, 5, 6, 8, 9) & ch(4, "-") & ch(7, "-")
        & ((ln == 10) | (clock & ch(13, ":") & ((ln == 16) | (ch(16, ":") & digits(17, 18) & (ss <= 59)))))
    )
    dmy = (
        np.isin(ln, (10, 16)) & digits(0, 1, 3, 4, 6, 7, 8, 9) & ch(2, ".", "/", "-")
        & (cp[:, 5] == cp[:, 2]) & ((ln == 10) | (clock & ch(13, ":", ".")))
    )
    compact = (ln == 8) & digits(0, 1, 2, 3, 4, 5, 6, 7)
    timed = (ln >= 16) & (iso | dmy)
    good_time = ~timed | ((hh <= 23) & (mi <= 59))

    y = np.where(dmy, num(6, 10), num(0, 4))
    a = np.where(dmy, num(0, 2), np.where(compact, num(4, 6), num(5, 7)))
    b = np.where(dmy, num(3, 5), np.where(compact, num(6, 8), num(8, 10)))
    # DD?MM?YYYY: day/month (dm) and month/day (md) readings
    _, dm_real = _ymd_to_datetime64(y, b, a)
    _, md_real = _ymd_to_datetime64(y, a, b)
    dot = dmy & (cp[:, 2] == ord("."))
    slash = dmy & ~dot
    take_md = slash & md_real & ~dm_real
    month = np.where(dmy & ~take_md, b, a)
    day = np.where(dmy & ~take_md, a, b)
    ok = good_time & (
        iso | compact | (dot & dm_real) | (slash & (dm_real | md_real))
    )

    hit = iso | dmy | compact
    idx = pos[hit]
    out["hit"][idx] = True
    out["ok"][idx] = ok[hit]
    out["y"][idx], out["m"][idx], out["d"][idx] = y[hit], month[hit], day[hit]
    with_time = hit & timed & ok
    out["hh"][pos[with_time]], out["mi"][pos[with_time]] = hh[with_time], mi[with_time]
    both = slash & dm_real & md_real & ok
    out["amb"][pos[both]] = (a != b)[both]
    only_dm = slash & dm_real & ~md_real & ok
    out["dm"][pos[only_dm]] = (a > 12)[only_dm]
    out["md"][pos[take_md & ok]] = True
    return out


def parse_dates(values: Sequence[object]) -> DateColumn:
    """Parse a column of cells into dates (and times of day where written).

    Each distinct value is parsed once: the common fixed-width forms by numpy all at once,
    the ISO forms pandas reads next, the rest one by one (``parse_date_text``)."""
    n = len(values)
    codes, uniques = pd.factorize(_object_array(values), use_na_sentinel=True)
    k = len(uniques)
    # None and NaN are missing (code -1); other values are empty only as blank text
    is_str = np.fromiter((isinstance(v, str) for v in uniques), dtype=bool, count=k)
    str_pos = np.flatnonzero(is_str)
    stripped = np.empty(len(str_pos), dtype=object)
    stripped[:] = list(map(str.strip, uniques[str_pos]))
    empty_u = np.zeros(k, dtype=bool)
    empty_u[str_pos] = stripped == ""
    uy = np.zeros(k, dtype=np.int64)
    um = np.zeros(k, dtype=np.int64)
    ud = np.zeros(k, dtype=np.int64)
    uhh = np.full(k, -1, dtype=np.int64)
    umi = np.full(k, -1, dtype=np.int64)
    ok = np.zeros(k, dtype=bool)
    amb = np.zeros(k, dtype=bool)
    order_dm = np.zeros(k, dtype=bool)
    order_md = np.zeros(k, dtype=bool)

    done = empty_u.copy()
    filled = ~empty_u[str_pos]
    pos, stripped = str_pos[filled], stripped[filled]
    if len(pos):
        fast = _fixed_forms(stripped)
        hit = fast["hit"]
        idx = pos[hit]
        ok[idx], uy[idx], um[idx], ud[idx] = fast["ok"][hit], fast["y"][hit], fast["m"][hit], fast["d"][hit]
        uhh[idx], umi[idx] = fast["hh"][hit], fast["mi"][hit]
        amb[idx], order_dm[idx], order_md[idx] = fast["amb"][hit], fast["dm"][hit], fast["md"][hit]
        done[idx] = True
        # then ISO text through pandas' compiled strptime
        rest = ~hit
        texts = pd.Series(stripped[rest], dtype=object)
        pos = pos[rest]
        for fmt, timed in _ISO_FORMATS:
            todo = ~done[pos]
            if not todo.any():
                break
            parsed = pd.to_datetime(texts[todo], format=fmt, errors="coerce")
            hit = parsed.notna().to_numpy()
            if not hit.any():
                continue
            idx = pos[todo][hit]
            got = parsed[hit]
            uy[idx], um[idx], ud[idx] = (
                got.dt.year.to_numpy(),
                got.dt.month.to_numpy(),
                got.dt.day.to_numpy(),
            )
            if timed:
                uhh[idx], umi[idx] = got.dt.hour.to_numpy(), got.dt.minute.to_numpy()
            ok[idx] = True
            done[idx] = True

    for i in np.flatnonzero(~done):
        v = uniques[i]
        p = parse_date_text(v) if isinstance(v, str) else _from_object(v)
        if p is None:
            continue
        ok[i] = True
        uy[i], um[i], ud[i] = p.y, p.m, p.d
        if p.hh is not None:
            uhh[i], umi[i] = p.hh, p.mi
        amb[i] = p.ambiguous
        order_dm[i] = p.order == "dm"
        order_md[i] = p.order == "md"

    month_first = bool(order_md.any() and not order_dm.any())
    counts = np.bincount(codes[codes >= 0], minlength=k) if k else np.zeros(0, dtype=np.int64)
    ambiguous = int(counts[amb].sum()) if k else 0
    example = str(uniques[np.flatnonzero(amb)[0]]) if ambiguous else None
    if month_first and amb.any():
        um[amb], ud[amb] = ud[amb].copy(), um[amb].copy()

    u_dates, real = _ymd_to_datetime64(uy, um, ud)
    ok &= real
    u_dates[~ok] = np.datetime64("NaT")
    u_times = np.full(k, None, dtype=object)
    timed_u = np.flatnonzero(ok & (uhh >= 0))
    u_times[timed_u] = _HHMM[uhh[timed_u] * 60 + umi[timed_u]]

    if k:
        has = codes >= 0
        has[has] = ~empty_u[codes[has]]
        safe = np.where(has, codes, 0)
        dates = u_dates[safe]
        dates[~has] = np.datetime64("NaT")
        times = u_times[safe]
        times[~has] = None
        invalid = has & ~ok[safe]
    else:
        dates = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
        times = np.full(n, None, dtype=object)
        invalid = np.zeros(n, dtype=bool)
    return DateColumn(
        dates=pd.Series(dates.astype("datetime64[ns]"), dtype="datetime64[ns]"),
        times=pd.Series(times, dtype=object),
        invalid=invalid,
        ambiguous=ambiguous,
        ambiguous_example=example,
        month_first=month_first,
    )


def parse_time_value(v: object) -> tuple[bool, str | None]:
    """(ok, "HH:MM") for one cell of a time column; (True, None) when empty."""
    if _is_empty(v):
        return True, None
    if isinstance(v, time):
        return True, f"{v.hour:02d}:{v.minute:02d}"
    if isinstance(v, datetime):
        return True, f"{v.hour:02d}:{v.minute:02d}"
    if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
        f = float(v)
        if 0 <= f < 1:
            minutes = round(f * 24 * 60)
            return (
                (True, f"{minutes // 60:02d}:{minutes % 60:02d}")
                if minutes < 1440
                else (False, None)
            )
        if f.is_integer():
            return parse_time_value(str(int(f)))
        return False, None
    s = _fold(str(v))
    m = _TIME_ONLY.match(s)
    if m:
        mi = m[2] if m[4] is None else m[4]
        if mi is None:
            return False, None
        t = _hm(m[1], mi, m[3])
        return (True, f"{t[0]:02d}:{t[1]:02d}") if t is not None else (False, None)
    if _FRACTION.match(s):
        return parse_time_value(float(s.replace(",", ".")))
    p = parse_date_text(s)
    if p is not None and p.hh is not None:
        return True, f"{p.hh:02d}:{p.mi:02d}"
    return False, None


def parse_times(values: Sequence[object]) -> tuple[pd.Series, np.ndarray]:
    """A time-of-day column: ("HH:MM" or None per row, invalid mask); each distinct
    value is parsed once."""
    codes, uniques = pd.factorize(_object_array(values), use_na_sentinel=True)
    parsed = [parse_time_value(v) for v in uniques.tolist()] + [(True, None)]  # last: empty
    u_out = np.empty(len(parsed), dtype=object)
    u_out[:] = [p[1] for p in parsed]
    u_bad = np.array([not p[0] for p in parsed], dtype=bool)
    return pd.Series(u_out[codes], dtype=object), u_bad[codes]


def drop_midnight_only(times: pd.Series) -> pd.Series:
    """A column whose every time is 00:00 carries dates only: no times."""
    present = times.dropna()
    if len(present) and (present == "00:00").all():
        return pd.Series([None] * len(times), dtype=object, index=times.index)
    return times
