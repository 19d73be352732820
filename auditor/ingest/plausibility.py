"""Implausible values: a warning on the row, never a rejection, never a longer period.

Checked on the typed frames once the as-of date is known:
- dates before 1900 (Excel's day zero is 1899-12-30) or, for dates that record something
  that has happened (a decision, a plan, an avvikelse, a registration), after the as-of;
- reversed intervals (an uppdrag that ends before it starts, a stay that ends before it
  begins);
- a personnummer whose birth date is after the as-of;
- one personnummer with two different names across the exports;
- the same note (same person, day and text) in two different files.

``check(loaded, as_of)`` adds the warnings to each input's problems and returns the
earliest plausible date of the records that set the default audit period, so a date from
1899 does not stretch the period by a century.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date

import numpy as np
import pandas as pd

from auditor.model.accounting import InputReport

MIN_DATE = pd.Timestamp("1900-01-01")
MAX_PER_CHECK = 50  # row warnings per check and input; the rest are counted in one line
# dates that record something that has already happened
HAPPENED = {
    "journal": ("registrerad",),
    "uppdrag": ("beslutsdatum", "uppdrag_inkommit"),
    "plan": ("upprattad",),
    "avvikelse": ("handelsedatum", "registrerad"),
}
INTERVALS = {"uppdrag": ("verkstallighetsdatum", "slutdatum"), "vistelse": ("start", "slut")}
# the records whose dates set the default audit period (see model.dataset.date_span)
PERIOD_DATES = {
    "journal": ("datum",),
    "besok": ("datum",),
    "vistelse": ("start",),
    "plan": ("upprattad",),
    "avvikelse": ("handelsedatum", "registrerad"),
}


class _Warn:
    def __init__(self, report: InputReport):
        self.report = report
        self.counts: dict[str, int] = defaultdict(int)

    def row(self, check: str, message: str, row: int | None, column: str | None = None) -> None:
        self.counts[check] += 1
        if self.counts[check] <= MAX_PER_CHECK:
            self.report.problem(message, row, column)

    def close(self, labels: dict[str, str]) -> None:
        for check, n in self.counts.items():
            if n > MAX_PER_CHECK:
                self.report.problem(
                    f"Ytterligare {n - MAX_PER_CHECK} rader har samma varning ({labels[check]})."
                )


def _header(report: InputReport, column: str) -> str:
    return report.mapping.get(column, column)


def _day(ts) -> str:
    return pd.Timestamp(ts).date().isoformat()


def _birth(case: str) -> date | None:
    if not (isinstance(case, str) and len(case) == 12 and case.isdigit()):
        return None
    y, m, d = int(case[:4]), int(case[4:6]), int(case[6:8])
    if d > 60:
        d -= 60
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _name_key(name: str) -> str:
    return " ".join(sorted(re.findall(r"[^\W\d_]+", name.casefold())))


def check(loaded: list, as_of: date) -> date | None:
    """Warn about implausible values; returns the earliest plausible period date."""
    cutoff = pd.Timestamp(as_of)
    floor: pd.Timestamp | None = None
    labels = {
        "old": "datum före 1900", "late": "datum efter granskningsdatum",
        "reversed": "slut före start", "birth": "födelsedatum efter granskningsdatum",
        "names": "två namn för samma personnummer", "dup": "samma anteckning i två filer",
    }
    warners: dict[int, _Warn] = {}
    names: dict[str, tuple[str, str, int]] = {}  # case -> (name key, path, row) first seen
    journals: list[tuple[pd.DataFrame, InputReport, _Warn]] = []  # for repeated notes
    for li in loaded:
        frame, kind = li.frame, li.kind
        if frame is None or kind is None or frame.empty:
            continue
        w = warners.setdefault(id(li), _Warn(li.report))
        rows = frame["_row"].to_numpy()
        for col in frame.columns:
            if col.startswith("_") or not pd.api.types.is_datetime64_any_dtype(frame[col]):
                continue
            values = frame[col]
            old = (values < MIN_DATE).fillna(False).to_numpy(dtype=bool)
            for i in old.nonzero()[0]:
                w.row("old", f"Datumet {_day(values.iloc[i])} i kolumnen '{_header(li.report, col)}' "
                      "är orimligt (före 1900, kanske Excels nolldatum). Raden granskas, men "
                      "datumet räknas inte in i granskningsperioden.", int(rows[i]), _header(li.report, col))
            if col in HAPPENED.get(kind, ()):
                late = (values > cutoff).fillna(False).to_numpy(dtype=bool)
                for i in late.nonzero()[0]:
                    w.row("late", f"Datumet {_day(values.iloc[i])} i kolumnen '{_header(li.report, col)}' "
                          f"ligger efter granskningsdatumet {as_of}. Kontrollera datumet.",
                          int(rows[i]), _header(li.report, col))
            if col in PERIOD_DATES.get(kind, ()):
                ok = values[(values >= MIN_DATE) & (values <= cutoff)]
                if len(ok):
                    low = ok.min()
                    floor = low if floor is None or low < floor else floor
        start_col, end_col = INTERVALS.get(kind, (None, None))
        if start_col and end_col and start_col in frame.columns and end_col in frame.columns:
            rev = (frame[end_col] < frame[start_col]).fillna(False).to_numpy(dtype=bool)
            for i in rev.nonzero()[0]:
                w.row("reversed", f"'{_header(li.report, end_col)}' ({_day(frame[end_col].iloc[i])}) ligger "
                      f"före '{_header(li.report, start_col)}' ({_day(frame[start_col].iloc[i])}). "
                      "Kontrollera datumen.", int(rows[i]), _header(li.report, end_col))
        if "case" in frame.columns:
            case_col = frame["case"]
            for i in np.flatnonzero(~case_col.duplicated(keep="first").to_numpy()).tolist():
                case = case_col.iat[i]
                if not case:
                    continue
                born = _birth(case)
                if born is not None and born > as_of:
                    w.row("birth", f"Personnumrets födelsedatum ({born}) ligger efter granskningsdatumet "
                          f"{as_of}. Kontrollera personnumret.", int(rows[i]),
                          _header(li.report, "personnummer"))
        if "namn" in frame.columns and "case" in frame.columns:
            _check_names(frame["case"].tolist(), frame["namn"].tolist(), rows.tolist(), names, li.report, w)
        if kind == "journal" and {"case", "datum", "text"} <= set(frame.columns):
            journals.append((frame, li.report, w))
    # the last check of each input, so each input's warnings keep their order
    _check_repeated_notes(journals)
    for w in warners.values():
        w.close(labels)
    return floor.date() if floor is not None else None


def _check_names(cases: list, names_col: list, rows: list, names: dict, report: InputReport, w: _Warn) -> None:
    """One personnummer with two names: the first row of each case (over all inputs) sets
    the name; in each input the first row with another name is warned about."""
    keys_of = {n: _name_key(n) for n in set(names_col) if n}  # once per distinct name
    valid = [i for i, (c, n) in enumerate(zip(cases, names_col, strict=True)) if c and n and keys_of[n]]
    if not valid:
        return
    v_cases = [cases[i] for i in valid]
    v_keys = [keys_of[names_col[i]] for i in valid]
    # the first valid row of each case here (dict keeps the last write: feed it reversed)
    firsts = dict(zip(reversed(v_cases), reversed(range(len(valid))), strict=True))
    for case, j in firsts.items():
        names.setdefault(case, (v_keys[j], report.path, int(rows[valid[j]])))
    told: set[str] = set()
    for j, (case, key) in enumerate(zip(v_cases, v_keys, strict=True)):
        first = names[case]
        if first[0] != key and case not in told:
            told.add(case)
            w.row("names", "Samma personnummer har här ett annat namn än i "
                  f"{first[1]} rad {first[2]}. Kontrollera att det är samma person.",
                  int(rows[valid[j]]), _header(report, "namn"))


def _check_repeated_notes(journals: list[tuple[pd.DataFrame, InputReport, _Warn]]) -> None:
    """The same note (person, day, text) as in an input read earlier: warned on every row.

    Notes are compared by a 64-bit hash of (case, day, text), computed in C, so no key
    per note is held; every hash shared by two rows is confirmed on the notes themselves,
    and should two different notes ever share one, the notes are compared exactly."""
    parts = []
    for k, (frame, _report, _w) in enumerate(journals):
        texts = frame["text"].to_numpy()
        keep = np.flatnonzero(np.fromiter(map(bool, texts), dtype=bool, count=len(texts)))
        if not len(keep):
            continue
        keys = pd.DataFrame({
            "case": frame["case"].to_numpy()[keep],
            "day": frame["datum"].to_numpy().view("i8")[keep],
            "text": texts[keep],
        })
        hashes = pd.util.hash_pandas_object(keys, index=False).to_numpy()
        parts.append((k, keep, keys, hashes))
    if len(parts) < 2:
        return
    hashes = np.concatenate([h for *_, h in parts])
    file_of = np.concatenate([np.full(len(keep), k) for k, keep, _, _ in parts])
    pos_of = np.concatenate([np.arange(len(keep)) for _, keep, _, _ in parts])
    _, first, inverse, counts = np.unique(hashes, return_index=True, return_inverse=True, return_counts=True)
    first_of = first[inverse]  # per note, the first note with its hash
    keys_of = {k: keys for k, _, keys, _ in parts}

    def key(i: int) -> tuple:
        kf = keys_of[int(file_of[i])]
        j = int(pos_of[i])
        return (kf["case"].iat[j], int(kf["day"].iat[j]), kf["text"].iat[j])

    shared = np.flatnonzero(counts[inverse] > 1)
    if any(key(i) != key(int(first_of[i])) for i in shared.tolist()):
        _check_repeated_notes_exactly(parts, journals)
        return
    srcs = [(report.path, report.sheet) for _, report, _ in journals]
    keep_of = {k: keep for k, keep, _, _ in parts}
    start = 0
    for k, keep, _, _ in parts:
        frame, report, w = journals[k]
        rows = frame["_row"].to_numpy()
        here = first_of[start:start + len(keep)]
        for j in np.flatnonzero(file_of[here] != k).tolist():
            f = int(here[j])
            first_src = srcs[int(file_of[f])]
            if first_src == srcs[k]:
                continue
            path, sheet = first_src
            first_row = int(journals[int(file_of[f])][0]["_row"].iat[int(keep_of[int(file_of[f])][pos_of[f]])])
            where = f"{path}{' (' + sheet + ')' if sheet else ''} rad {first_row}"
            w.row("dup", f"Samma anteckning (samma person, dag och text) finns också i {where}; "
                  "den räknas med två gånger. Kontrollera om exporterna överlappar.",
                  int(rows[keep[j]]), _header(report, "text"))
        start += len(keep)


def _check_repeated_notes_exactly(parts: list, journals: list) -> None:
    """``_check_repeated_notes`` with every note's key held (two notes shared a hash)."""
    notes: dict[tuple, tuple[tuple[str, str | None], int]] = {}
    for k, keep, keys, _ in parts:
        frame, report, w = journals[k]
        src = (report.path, report.sheet)
        rows = frame["_row"].to_numpy()
        for j, note in enumerate(zip(keys["case"].tolist(), keys["day"].tolist(), keys["text"].tolist(), strict=True)):
            row = int(rows[keep[j]])
            first_note = notes.setdefault(note, (src, row))
            if first_note[0] != src:
                (path, sheet), first_row = first_note
                where = f"{path}{' (' + sheet + ')' if sheet else ''} rad {first_row}"
                w.row("dup", f"Samma anteckning (samma person, dag och text) finns också i {where}; "
                      "den räknas med två gånger. Kontrollera om exporterna överlappar.",
                      row, _header(report, "text"))
