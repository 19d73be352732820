"""Numbers as Swedish exports write them: decimal comma, and space, NBSP or narrow
NBSP (or a dot, when a comma is the decimal mark) as thousands separator. A unit
after the number ("12,5 tim") is allowed."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007']+")
_NUMBER = re.compile(r"^([+\-−]?)(\d+(?:\.\d+)?)\s*([a-zåäö/%.]*)$")
_DOT_THOUSANDS = re.compile(r"^[+\-−]?\d{1,3}(?:\.\d{3})+,\d+$")


def parse_number(v: object) -> tuple[bool, float]:
    """(ok, value); (True, nan) for an empty cell."""
    if v is None:
        return True, np.nan
    if isinstance(v, bool):
        return True, float(v)
    if isinstance(v, (int, float, np.integer, np.floating)):
        return True, float(v)
    s = str(v).strip()
    if not s:
        return True, np.nan
    s = _SPACES.sub("", s).lower()
    if _DOT_THOUSANDS.match(s):
        s = s.replace(".", "")
    if "," in s and "." in s:
        return False, np.nan
    s = s.replace(",", ".")
    m = _NUMBER.match(s)
    if not m:
        return False, np.nan
    sign = -1.0 if m[1] in ("-", "−") else 1.0
    return True, sign * float(m[2])


def parse_numbers(values: Sequence[object]) -> tuple[np.ndarray, np.ndarray]:
    """(float values, invalid mask) for a column, cached per distinct value."""
    out = np.full(len(values), np.nan)
    bad = np.zeros(len(values), dtype=bool)
    cache: dict[object, tuple[bool, float]] = {}
    for i, v in enumerate(values):
        try:
            r = cache[v]
        except KeyError:
            r = cache[v] = parse_number(v)
        except TypeError:
            r = parse_number(v)
        out[i] = r[1]
        bad[i] = not r[0]
    return out, bad
