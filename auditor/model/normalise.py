"""Canonical typing: raw cells of one table -> the typed canonical frame.

Every data row ends in exactly one of: used, excluded (with a reason) or rejected
(with a Swedish reason, its row number and column), so that for every input
``rows_read = rows_used + rows_excluded + rows_rejected``.

The frame has ``_input``, ``_sheet``, ``_row``, ``case`` and every column of the
kind (see ``auditor.model.schema``), typed by column type; columns the input did
not have are present but empty (``LoadedInput.columns`` says which it had).
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime, time
from itertools import repeat

import numpy as np
import pandas as pd

from auditor.model.accounting import InputReport
from auditor.model.dates import drop_midnight_only, parse_dates, parse_times
from auditor.model.numbers import parse_numbers
from auditor.model.personnummer import ERR_MISSING, parse_pnr, parse_pnr_column
from auditor.model.schema import Kind

# Exclusion reasons (stable strings: they appear in findings.json)
BLANK = "tom rad"
FOOTER = "sidfot"
DUPLICATE = "dubblett"
FELMARKERAD = "felmarkerad"
HSL = "HSL-anteckning"

# The date a row is "about", per kind: used to place a 10-digit personnummer's century.
REF_COLUMNS: dict[str, tuple[str, ...]] = {
    "journal": ("datum",),
    "uppdrag": ("beslutsdatum", "uppdrag_inkommit", "verkstallighetsdatum"),
    "plan": ("upprattad",),
    "besok": ("datum",),
    "avvikelse": ("handelsedatum", "registrerad"),
    "vistelse": ("start",),
}

_FOLD = str.maketrans(
    {
        "å": "a",
        "ä": "a",
        "ö": "o",
        "é": "e",
        "è": "e",
        "ü": "u",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
    }
)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_PAREN = re.compile(r"\s*[(\[].*?[)\]]\s*")

TRUE_WORDS = frozenset(
    {
        "ja",
        "j",
        "x",
        "1",
        "sant",
        "true",
        "yes",
        "y",
        "makulerad",
        "makulerat",
        "felmarkerad",
        "felregistrerad",
        "rattad",
        "skyddad",
        "sekretess",
        "sekretessmarkerad",
        "sekretessmarkering",
        "skyddade",
        "skyddade personuppgifter",
        "skyddad identitet",
    }
)
FALSE_WORDS = frozenset(
    {
        "nej",
        "n",
        "0",
        "falskt",
        "false",
        "no",
        "ej",
        "-",
        "--",
        "ingen",
        "inga",
        "ej makulerad",
        "ej felmarkerad",
        "ej skyddad",
    }
)
_VOID_STATUS = frozenset({"makulerad", "makulerat", "felmarkerad", "felregistrerad"})


def fold(s: str) -> str:
    """Case, whitespace (incl. NBSP), trailing ':' and å/ä/ö folded away."""
    s = unicodedata.normalize("NFC", str(s)).lower().translate(_FOLD)
    return " ".join(s.split()).rstrip(":*").strip()


def header_key(s: str) -> str:
    """The key headers are compared by: folded, then only letters and digits, so that
    "Fr.o.m.", "fr o m" and "From" meet, as do "Pers.nr" and "Persnr"."""
    return _NON_ALNUM.sub("", fold(s))


def header_key_bare(s: str) -> str:
    """As ``header_key`` with a parenthesised remark dropped: "Datum (ÅÅÅÅ-MM-DD)"."""
    return _NON_ALNUM.sub("", _PAREN.sub(" ", fold(s)))


def cell_text(v: object) -> str:
    """A cell as text, the way a person reads it."""
    if v is None:
        return ""
    if isinstance(v, str):
        if "\r" in v or "_x000" in v:
            v = v.replace("_x000D_", "").replace("\r\n", "\n").replace("\r", "\n")
        return v.strip()
    if isinstance(v, bool):
        return "Ja" if v else "Nej"
    if isinstance(v, float):
        if v != v:
            return ""
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else str(v)
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M") if v.time() != time(0) else v.strftime("%Y-%m-%d")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, time):
        return v.strftime("%H:%M")
    return str(v).strip()


def text_values(values: Sequence[object]) -> list[str]:
    """``cell_text`` for a column, with a fast path for clean text."""
    try:
        # C-level scans, no joined copy of the column (the note text can be large)
        special = any(map(operator.contains, values, repeat("\r"))) or any(  # type: ignore[arg-type]
            map(operator.contains, values, repeat("_x000"))  # type: ignore[arg-type]
        )
        if not special:
            stripped = list(map(str.strip, values))  # type: ignore[arg-type]
    except TypeError:
        return [cell_text(v) for v in values]
    if special:
        return [cell_text(v) for v in values]
    return stripped


def _one_object_per_value(values: list[str]) -> list[str] | np.ndarray:
    """A column with few distinct texts (unit, signer, category) with one string object
    per distinct text: the frame then holds each text once, and sends it once to the main
    process, however many rows repeat it. Columns of mostly distinct texts (the notes)
    are kept as they are."""
    n = len(values)
    if n < 64 or len(set(values[:1000])) > 250:  # mostly distinct from the start
        return values
    arr = np.empty(n, dtype=object)
    arr[:] = values
    codes, uniques = pd.factorize(arr)
    if len(uniques) > n // 4:
        return values
    return uniques.take(codes)


def is_blank(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and v != v)


def parse_bool(v: object) -> tuple[bool, bool | None]:
    """(known, value). Empty -> (True, None); an unknown non-empty word counts as True."""
    if is_blank(v):
        return True, None
    if isinstance(v, bool):
        return True, v
    f = fold(cell_text(v)).rstrip(".")
    if f in TRUE_WORDS:
        return True, True
    if f in FALSE_WORDS:
        return True, False
    return False, True


def _values(n: int) -> str:
    return f"{n} värde" if n == 1 else f"{n} värden"


def _rows_hint(rows: Sequence[int], limit: int = 5) -> str:
    shown = ", ".join(str(r) for r in rows[:limit])
    return f"rad {shown}" + (" …" if len(rows) > limit else "")


class _Rows:
    """Outcome bookkeeping for the rows of one table."""

    def __init__(
        self, n: int, outcome: Sequence[str | None], row_numbers: Sequence[int], report: InputReport
    ):
        self.excluded = np.empty(n, dtype=object)  # reason or None
        self.excluded[:] = outcome
        self.rejected = np.zeros(n, dtype=bool)
        self.row_numbers = row_numbers
        self.report = report

    def open(self, i: int) -> bool:
        return self.excluded[i] is None and not self.rejected[i]

    def open_mask(self) -> np.ndarray:
        return np.equal(self.excluded, None) & ~self.rejected

    def exclude(self, i: int, reason: str) -> None:
        if self.open(i):
            self.excluded[i] = reason

    def exclude_where(self, mask: np.ndarray, reason: str) -> None:
        """Exclude every open row of ``mask``."""
        self.excluded[mask & self.open_mask()] = reason

    def account(self) -> np.ndarray:
        """Count the exclusions (reasons in the order rows first have them); the used rows."""
        ex = self.excluded
        has = ~np.equal(ex, None)
        if has.any():
            codes, reasons = pd.factorize(ex[has])
            for reason, count in zip(reasons.tolist(), np.bincount(codes).tolist(), strict=True):
                self.report.exclude(reason, count)
        return ~has & ~self.rejected

    def reject(self, i: int, message: str, column: str | None) -> None:
        if self.open(i):
            self.rejected[i] = True
            self.report.reject(f"Raden avvisades: {message}", int(self.row_numbers[i]), column)


def _column_values(rows: Sequence[Sequence[object]], j: int, shortest: int | None = None) -> list[object]:
    """Cell ``j`` of every row (None where a row is shorter)."""
    if shortest is None:
        shortest = min(map(len, rows), default=0)
    if j < shortest:
        return list(map(operator.itemgetter(j), rows))
    return [r[j] if j < len(r) else None for r in rows]


def _ref_dates(typed: dict[str, pd.Series], kind: Kind, n: int) -> np.ndarray:
    """Per row, the first date of the kind's reference columns (NaT when none)."""
    ref = pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]")
    for col in REF_COLUMNS.get(kind.name, ()):
        if col in typed:
            ref = ref.fillna(typed[col])
    return ref.to_numpy(dtype="datetime64[D]")


def _looks_like_pnr(values: Sequence[object]) -> bool:
    sample = [v for v in values if not is_blank(v)][:2000]
    if not sample:
        return False
    good = sum(1 for v in sample if parse_pnr(v).value is not None and len(cell_text(v)) >= 10)
    return good >= 0.9 * len(sample)


def type_table(
    rows: Sequence[Sequence[object]],
    row_numbers: Sequence[int],
    outcome: Sequence[str | None],
    kind: Kind,
    colmap: dict[str, int],
    headers: dict[str, str],
    report: InputReport,
    source: str,
    sheet: str | None,
) -> tuple[pd.DataFrame, frozenset[str]]:
    """Type the data rows of one table and account for every row.

    ``outcome`` holds the structural exclusions already decided (blank, footer,
    duplicate) or None. ``colmap`` maps canonical column -> cell index, ``headers``
    canonical column -> the header as written. Returns the frame of used rows and
    the canonical columns the input had.
    """
    n = len(rows)
    colmap = dict(colmap)
    headers = dict(headers)
    state = _Rows(n, outcome, row_numbers, report)
    shortest = min(map(len, rows), default=0)
    raw = {c: _column_values(rows, j, shortest) for c, j in colmap.items()}

    # A "Personid" column that holds personnummer is used as the personnummer.
    if "personnummer" not in raw and "system_id" in raw and _looks_like_pnr(raw["system_id"]):
        raw["personnummer"] = raw.pop("system_id")
        colmap["personnummer"] = colmap.pop("system_id")
        headers["personnummer"] = headers.pop("system_id")
        report.mapping.pop("system_id", None)
        report.mapping["personnummer"] = headers["personnummer"]
        report.problem(
            f"Kolumnen '{headers['personnummer']}' innehåller personnummer och används som personnummer.",
            column=headers["personnummer"],
        )

    typed: dict[str, pd.Series] = {}
    invalid: dict[str, np.ndarray] = {}
    for name, values in raw.items():
        ctype = kind.column(name).type
        if ctype in ("date", "datetime"):
            res = parse_dates(values)
            typed[name] = res.dates
            if ctype == "datetime":
                typed[f"{name}_time"] = drop_midnight_only(res.times)
            invalid[name] = res.invalid
            _report_date_order(res, headers[name], report)
        elif ctype == "time":
            typed[name], invalid[name] = parse_times(values)
        elif ctype == "number":
            nums, bad = parse_numbers(values)
            typed[name], invalid[name] = pd.Series(nums, dtype=float), bad
        elif ctype == "bool":
            typed[name], unknown = _parse_bools(values)
            if unknown:
                report.problem(
                    f"Kolumnen '{headers[name]}': {_values(len(unknown))} var varken Ja eller Nej "
                    f"(t.ex. '{cell_text(values[unknown[0]])}') och räknades som Ja.",
                    int(row_numbers[unknown[0]]),
                    headers[name],
                )
        elif ctype != "pnr":
            typed[name] = pd.Series(_one_object_per_value(text_values(values)), dtype=object)

    # Exclusions that depend on content (journal only has these columns).
    if "felmarkerad" in typed:
        state.exclude_where(typed["felmarkerad"].to_numpy() == True, FELMARKERAD)  # noqa: E712
    if kind.name == "journal" and "signerad" in typed:
        state.exclude_where(_where(typed["signerad"], lambda v: fold(v) in _VOID_STATUS), FELMARKERAD)
    if kind.name == "journal" and "journaltyp" in typed:
        state.exclude_where(_where(typed["journaltyp"], _is_hsl), HSL)

    # Identity: personnummer, else the system id.
    case = np.full(n, None, dtype=object)
    optional_identity = kind.name == "avvikelse"
    if "personnummer" in raw:
        refs = _ref_dates(typed, kind, n)
        slots, results = parse_pnr_column(raw["personnummer"], refs)
        col = headers["personnummer"]
        r_error = np.array([r.error for r in results] + [None], dtype=object)[:-1]
        r_value = np.array([r.value for r in results] + [None], dtype=object)[:-1]
        r_restored = np.array([r.restored_zero for r in results], dtype=bool)
        is_open = state.open_mask()
        error, value = r_error[slots], r_value[slots]
        has_value = ~np.equal(value, None)
        bad = is_open & ~np.equal(error, None)
        if not optional_identity:
            bad |= is_open & ~has_value
        for i in np.flatnonzero(bad).tolist():
            state.reject(i, error[i] or ERR_MISSING, col)
        good = is_open & has_value
        case[good] = value[good]
        restored = [int(row_numbers[i]) for i in np.flatnonzero(good & r_restored[slots]).tolist()]
        typed["personnummer"] = pd.Series(np.where(good, case, ""), dtype=object)
        if restored:
            report.problem(
                f"Kolumnen '{col}': {len(restored)} personnummer hade tappat sin inledande nolla "
                f"(Excel) och återställdes ({_rows_hint(restored)}).",
                restored[0],
                col,
            )
    elif "system_id" in typed:
        col = headers["system_id"]
        ids = typed["system_id"].to_numpy()
        given = _truthy(ids)
        case[given] = ids[given]
        if not optional_identity:
            for i in np.flatnonzero(~given & state.open_mask()).tolist():
                state.reject(i, f"brukar-id saknas (kolumnen '{col}')", col)

    # Required groups: at least one column of each group must hold a usable value.
    for group in kind.required:
        mapped = [c for c in group if c in colmap]
        if not mapped or set(group) <= {"personnummer", "system_id"}:
            continue  # identity is checked above
        _require_group(kind, mapped, typed, invalid, case, raw, headers, state)

    # Problems for optional values that could not be read (kept empty).
    for name, bad in invalid.items():
        idx = [i for i in np.flatnonzero(bad) if state.open(int(i))]
        if idx:
            what = {"date": "datum", "datetime": "datum", "time": "klockslag", "number": "tal"}[
                kind.column(name).type
            ]
            rows_bad = [int(row_numbers[i]) for i in idx]
            report.problem(
                f"Kolumnen '{headers[name]}': {_values(len(idx))} kunde inte läsas som {what} och "
                f"lämnades tomma (t.ex. '{cell_text(raw[name][idx[0]])}', {_rows_hint(rows_bad)}).",
                rows_bad[0],
                headers[name],
            )

    # Final accounting.
    used = state.account()
    report.rows_used = int(used.sum())
    idx = np.flatnonzero(used)
    frame = _build_frame(kind, typed, case, idx, row_numbers, source, sheet)
    return frame, frozenset(colmap)


def _is_hsl(v: str) -> bool:
    f = fold(v)
    return f.startswith("hsl") or "halso- och sjukvard" in f or "halso och sjukvard" in f


def _where(texts: pd.Series, predicate) -> np.ndarray:
    """Mask of non-empty texts for which ``predicate`` holds (tested once per value)."""
    hits = {v for v in set(texts) if v and predicate(v)}
    if not hits:
        return np.zeros(len(texts), dtype=bool)
    return texts.isin(hits).to_numpy()


def _truthy(values: np.ndarray) -> np.ndarray:
    return np.fromiter(map(bool, values), dtype=bool, count=len(values))


def _parse_bools(values: Sequence[object]) -> tuple[pd.Series, list[int]]:
    """``parse_bool`` per distinct value: (the values, rows whose word was unknown)."""
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    codes, uniques = pd.factorize(arr, use_na_sentinel=True)
    parsed = [parse_bool(v) for v in uniques.tolist()] + [(True, None)]  # last: empty cells
    u_value = np.empty(len(parsed), dtype=object)
    u_value[:] = [p[1] for p in parsed]
    u_known = np.array([p[0] for p in parsed], dtype=bool)
    unknown = np.flatnonzero(~u_known[codes]).tolist()
    return pd.Series(u_value[codes], dtype=object), unknown


def _require_group(kind, mapped, typed, invalid, case, raw, headers, state) -> None:
    n = len(case)
    have = np.zeros(n, dtype=bool)
    for c in mapped:
        if c in ("personnummer", "system_id"):
            have |= ~np.equal(case, None)
        elif kind.column(c).type in ("date", "datetime"):
            have |= typed[c].notna().to_numpy()
        else:
            have |= _truthy(typed[c].to_numpy())
    names = ", ".join(f"'{headers[c]}'" for c in mapped)
    for i in np.flatnonzero(~have):
        i = int(i)
        if not state.open(i):
            continue
        bad = [c for c in mapped if c in invalid and invalid[c][i]]
        if bad:
            c = bad[0]
            state.reject(
                i,
                f"'{cell_text(raw[c][i])}' i kolumnen '{headers[c]}' är inte ett datum",
                headers[c],
            )
        elif len(mapped) == 1:
            state.reject(i, f"värde saknas i kolumnen {names}", headers[mapped[0]])
        else:
            state.reject(i, f"värde saknas i alla kolumnerna {names}", headers[mapped[0]])


def _report_date_order(res, header: str, report: InputReport) -> None:
    if res.ambiguous:
        first = "månaden" if res.month_first else "dagen"
        report.problem(
            f"Kolumnen '{header}': {res.ambiguous} datum kunde läsas både som dag/månad och "
            f"månad/dag (t.ex. '{res.ambiguous_example}'); de lästes med {first} först.",
            column=header,
        )
    elif res.month_first:
        report.problem(
            f"Kolumnen '{header}' har datum med månaden först (t.ex. 05/31/2024).", column=header
        )


def _build_frame(kind, typed, case, idx, row_numbers, source, sheet) -> pd.DataFrame:
    k = len(idx)
    data: dict[str, object] = {
        "_input": pd.Series([source] * k, dtype=object),
        "_sheet": pd.Series([sheet] * k, dtype=object),
        "_row": pd.Series(
            np.asarray(row_numbers, dtype=np.int64)[idx] if k else [], dtype=np.int64
        ),
        "case": pd.Series(case[idx], dtype=object),
    }
    for col in kind.columns:
        name, ctype = col.name, col.type
        if ctype in ("date", "datetime"):
            s = typed.get(name)
            data[name] = (
                pd.Series(s.to_numpy()[idx], dtype="datetime64[ns]")
                if s is not None
                else pd.Series([pd.NaT] * k, dtype="datetime64[ns]")
            )
            if ctype == "datetime":
                t = typed.get(f"{name}_time")
                data[f"{name}_time"] = pd.Series(
                    t.to_numpy()[idx] if t is not None else [None] * k, dtype=object
                )
        elif ctype == "number":
            s = typed.get(name)
            data[name] = pd.Series(
                s.to_numpy()[idx] if s is not None else np.full(k, np.nan), dtype=float
            )
        elif ctype in ("time", "bool"):
            s = typed.get(name)
            data[name] = pd.Series(s.to_numpy()[idx] if s is not None else [None] * k, dtype=object)
        else:
            s = typed.get(name)
            data[name] = pd.Series(s.to_numpy()[idx] if s is not None else [""] * k, dtype=object)
    return pd.DataFrame(data)
