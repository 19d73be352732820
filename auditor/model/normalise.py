"""Canonical typing: raw cells of one table -> the typed canonical frame.

Every data row ends in exactly one of: used, excluded (with a reason) or rejected
(with a Swedish reason, its row number and column), so that for every input
``rows_read = rows_used + rows_excluded + rows_rejected``.

The frame has ``_input``, ``_sheet``, ``_row``, ``case`` and every column of the
kind (see ``auditor.model.schema``), typed by column type; columns the input did
not have are present but empty (``LoadedInput.columns`` says which it had).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime, time

import numpy as np
import pandas as pd

from auditor.model.accounting import InputReport
from auditor.model.dates import drop_midnight_only, parse_dates, parse_times
from auditor.model.numbers import parse_numbers
from auditor.model.personnummer import ERR_MISSING, parse_pnr, parse_pnr_values
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
        joined = "".join(values)  # type: ignore[arg-type]
    except TypeError:
        return [cell_text(v) for v in values]
    if "\r" in joined or "_x000" in joined:
        return [cell_text(v) for v in values]
    return [v.strip() for v in values]  # type: ignore[attr-defined]


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
        self.excluded: list[str | None] = list(outcome)
        self.rejected = np.zeros(n, dtype=bool)
        self.row_numbers = row_numbers
        self.report = report

    def open(self, i: int) -> bool:
        return self.excluded[i] is None and not self.rejected[i]

    def open_mask(self) -> np.ndarray:
        return np.array([e is None for e in self.excluded], dtype=bool) & ~self.rejected

    def exclude(self, i: int, reason: str) -> None:
        if self.open(i):
            self.excluded[i] = reason

    def reject(self, i: int, message: str, column: str | None) -> None:
        if self.open(i):
            self.rejected[i] = True
            self.report.reject(f"Raden avvisades: {message}", int(self.row_numbers[i]), column)


def _column_values(rows: Sequence[Sequence[object]], j: int) -> list[object]:
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
    raw = {c: _column_values(rows, j) for c, j in colmap.items()}

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
            parsed = [parse_bool(v) for v in values]
            typed[name] = pd.Series([p[1] for p in parsed], dtype=object)
            unknown = [i for i, p in enumerate(parsed) if not p[0]]
            if unknown:
                report.problem(
                    f"Kolumnen '{headers[name]}': {_values(len(unknown))} var varken Ja eller Nej "
                    f"(t.ex. '{cell_text(values[unknown[0]])}') och räknades som Ja.",
                    int(row_numbers[unknown[0]]),
                    headers[name],
                )
        elif ctype != "pnr":
            typed[name] = pd.Series(text_values(values), dtype=object)

    # Exclusions that depend on content (journal only has these columns).
    if "felmarkerad" in typed:
        for i in np.flatnonzero(typed["felmarkerad"].to_numpy() == True):  # noqa: E712
            state.exclude(int(i), FELMARKERAD)
    if kind.name == "journal" and "signerad" in typed:
        for i in _where(typed["signerad"], lambda v: fold(v) in _VOID_STATUS):
            state.exclude(i, FELMARKERAD)
    if kind.name == "journal" and "journaltyp" in typed:
        for i in _where(typed["journaltyp"], _is_hsl):
            state.exclude(i, HSL)

    # Identity: personnummer, else the system id.
    case: list[str | None] = [None] * n
    optional_identity = kind.name == "avvikelse"
    if "personnummer" in raw:
        refs = _ref_dates(typed, kind, n)
        results = parse_pnr_values(raw["personnummer"], refs)
        col = headers["personnummer"]
        restored: list[int] = []
        for i, pres in enumerate(results):
            if not state.open(i):
                continue
            if pres.error:
                state.reject(i, pres.error, col)
            elif pres.value is None:
                if not optional_identity:
                    state.reject(i, ERR_MISSING, col)
            else:
                case[i] = pres.value
                if pres.restored_zero:
                    restored.append(int(row_numbers[i]))
        typed["personnummer"] = pd.Series([c or "" for c in case], dtype=object)
        if restored:
            report.problem(
                f"Kolumnen '{col}': {len(restored)} personnummer hade tappat sin inledande nolla "
                f"(Excel) och återställdes ({_rows_hint(restored)}).",
                restored[0],
                col,
            )
    elif "system_id" in typed:
        col = headers["system_id"]
        for i, v in enumerate(typed["system_id"]):
            if v:
                case[i] = v
            elif state.open(i) and not optional_identity:
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
    used = state.open_mask()
    for reason in state.excluded:
        if reason is not None:
            report.exclude(reason)
    report.rows_used = int(used.sum())
    idx = np.flatnonzero(used)
    frame = _build_frame(kind, typed, case, idx, row_numbers, source, sheet)
    return frame, frozenset(colmap)


def _is_hsl(v: str) -> bool:
    f = fold(v)
    return f.startswith("hsl") or "halso- och sjukvard" in f or "halso och sjukvard" in f


def _where(texts: pd.Series, predicate) -> list[int]:
    """Indices of non-empty texts for which ``predicate`` holds (tested once per value)."""
    hits = {v for v in set(texts) if v and predicate(v)}
    if not hits:
        return []
    return [int(i) for i in np.flatnonzero(texts.isin(hits).to_numpy())]


def _require_group(kind, mapped, typed, invalid, case, raw, headers, state) -> None:
    n = len(case)
    have = np.zeros(n, dtype=bool)
    for c in mapped:
        if c in ("personnummer", "system_id"):
            have |= np.array([x is not None for x in case], dtype=bool)
        elif kind.column(c).type in ("date", "datetime"):
            have |= typed[c].notna().to_numpy()
        else:
            have |= np.array([bool(x) for x in typed[c]], dtype=bool)
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
        "case": pd.Series([case[i] for i in idx], dtype=object),
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
