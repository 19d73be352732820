"""From typed canonical frames to cases: one ``CaseData`` per client, with its records.

Cases are joined across files by the normalised personnummer (or the system id where
an export has no personnummer). Each case gets its unit(s) and insats, with where the
insats came from: the uppdrag export, the user's config (unit → insats), or the unit's
name (inferred, and said so in the report).

Building happens in two steps so that cases can be processed in bounded chunks (and on
other processes or machines): :func:`prepare_tables` concatenates the frames per kind and
computes everything that spans cases (column sets, unit spans, the date span, avvikelser
without personnummer) with vectorised pandas; :meth:`CaseTables.split` partitions the rows
by case; :func:`build_cases` turns one partition into ``CaseData`` records. Vocabulary
folding runs once per distinct value, never per row.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
import pandas as pd

from auditor.model import vocab
from auditor.model.records import (
    Avvikelse,
    Booking,
    Note,
    PlanRow,
    SourceRef,
    Stay,
    TextHit,
    Uppdrag,
)

KIND_LABEL_SV = {
    "journal": "journalanteckningar",
    "uppdrag": "uppdrag/beslut",
    "plan": "genomförandeplaner",
    "besok": "besök/insatstillfällen",
    "avvikelse": "avvikelser",
    "vistelse": "korttidsvistelser",
}
KINDS = ("uppdrag", "journal", "plan", "besok", "avvikelse", "vistelse")
# How much a row of each kind counts when choosing a case's primary unit.
UNIT_WEIGHT = {"uppdrag": 100, "journal": 1, "plan": 1, "besok": 1, "avvikelse": 0, "vistelse": 1}


class _NoteIndex:
    """A case's notes indexed once by date and by hit label, so window queries bisect."""

    __slots__ = ("by_label", "dates")

    def __init__(self, notes: Sequence[Note]) -> None:
        self.dates = [n.date for n in notes]
        by_label: dict[str, list[int]] = defaultdict(list)
        for i, n in enumerate(notes):
            for label in {h.label for h in n.hits if h.asserted}:
                by_label[label].append(i)
        self.by_label = dict(by_label)

    def span(self, start: date | None, end: date | None) -> tuple[int, int]:
        lo = 0 if start is None else bisect_left(self.dates, start)
        hi = len(self.dates) if end is None else bisect_right(self.dates, end)
        return lo, hi


@dataclass
class CaseData:
    case: str
    name: str | None = None
    protected: bool = False
    units: list[str] = field(default_factory=list)
    insats: list[str] = field(default_factory=list)
    insats_source: str | None = None  # "uppdrag" | "config" | "enhetsnamn" | None
    notes: list[Note] = field(default_factory=list)
    uppdrag: list[Uppdrag] = field(default_factory=list)
    plans: list[PlanRow] = field(default_factory=list)
    bookings: list[Booking] = field(default_factory=list)
    avvikelser: list[Avvikelse] = field(default_factory=list)
    stays: list[Stay] = field(default_factory=list)
    # kind -> canonical columns present in every input that gave this case rows of that kind
    columns: dict[str, frozenset[str]] = field(default_factory=dict)
    # derived views computed once per case (e.g. events per label set), filled lazily
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def primary_unit(self) -> str:
        return self.units[0] if self.units else "(okänd enhet)"

    def has(self, kind: str, column: str | None = None) -> bool:
        """Whether the case's data of this kind exists (and carries the column)."""
        if kind not in self.columns:
            return False
        return column is None or column in self.columns[kind]

    # -- window queries over the notes (indexed once, after the text has been annotated) --

    def _index(self) -> _NoteIndex:
        index = self.memo.get("_note_index")
        if index is None:
            index = self.memo["_note_index"] = _NoteIndex(self.notes)
        return index

    def notes_between(self, start: date | None = None, end: date | None = None) -> list[Note]:
        """Notes dated ``start`` ≤ date ≤ ``end`` (either bound open when None), in order."""
        lo, hi = self._index().span(start, end)
        return self.notes[lo:hi]

    def notes_with(
        self, labels: str | Iterable[str], start: date | None = None, end: date | None = None
    ) -> list[tuple[Note, TextHit]]:
        """Notes in the window with an asserted hit of any of the labels, each with its first
        such hit (in the note's hit order), in note order."""
        labels = (labels,) if isinstance(labels, str) else tuple(labels)
        index = self._index()
        lo, hi = index.span(start, end)
        if lo >= hi:
            return []
        positions: set[int] | list[int]
        if len(labels) == 1:
            pos = index.by_label.get(labels[0], [])
            positions = pos[bisect_left(pos, lo) : bisect_left(pos, hi)]
        else:
            found: set[int] = set()
            for label in labels:
                pos = index.by_label.get(label, [])
                found.update(pos[bisect_left(pos, lo) : bisect_left(pos, hi)])
            positions = sorted(found)
        out = []
        for i in positions:
            note = self.notes[i]
            for h in note.hits:
                if h.label in labels and h.asserted:
                    out.append((note, h))
                    break
        return out


@dataclass
class Dataset:
    cases: dict[str, CaseData]
    # kinds present anywhere in the inputs, with the union of their columns
    kinds: dict[str, frozenset[str]]
    # avvikelser without personnummer, per unit (matched on unit and date only)
    unit_avvikelser: dict[str, list[Avvikelse]]
    # first and last journal date per unit (the span the journal export covers)
    journal_span: dict[str, tuple[date, date]]
    # earliest and latest date seen anywhere
    date_span: tuple[date, date] | None
    # per unit everyone who signed a note or served a booking there (the who-is-who's staff)
    unit_staff: dict[str, frozenset[str]] = field(default_factory=dict)
    # Inputs-wide facts that hold however the cases are chunked (set by ``prepare_tables``;
    # ``wide`` False means: compute them from ``cases``, which then are all the cases).
    wide: bool = False
    event_first: date | None = None  # earliest date in the event exports
    plan_first: dict[str, date] = field(default_factory=dict)  # earliest plan per unit

    def has_kind(self, kind: str, column: str | None = None) -> bool:
        if kind not in self.kinds:
            return False
        return column is None or column in self.kinds[kind]

    def with_cases(self, cases: dict[str, CaseData]) -> Dataset:
        """The same inputs-wide facts with another set of cases (one chunk of the audit)."""
        return Dataset(cases, self.kinds, self.unit_avvikelser, self.journal_span, self.date_span,
                       self.unit_staff, self.wide, self.event_first, self.plan_first)


# -- column helpers: whole columns to plain Python values -----------------------------------


def _dates(frame: pd.DataFrame, col: str) -> list[date | None]:
    """A date column as ``datetime.date`` values (None when empty or absent)."""
    if col not in frame.columns:
        return [None] * len(frame)
    s = frame[col]
    if not pd.api.types.is_datetime64_any_dtype(s):
        s = pd.to_datetime(s, errors="coerce")
    days = s.to_numpy(dtype="datetime64[D]")
    out = days.astype(object)
    out[np.isnat(days)] = None
    return out.tolist()


def _texts(frame: pd.DataFrame, col: str) -> list[str]:
    """A text column as str ("" when empty or absent)."""
    if col not in frame.columns:
        return [""] * len(frame)
    values = frame[col].tolist()
    return [v if type(v) is str else _s(v) for v in values]


def _values(frame: pd.DataFrame, col: str) -> list:
    if col not in frame.columns:
        return [None] * len(frame)
    s = frame[col]
    return s.astype(object).where(s.notna(), None).tolist()


def _optional(values: list[str]) -> list[str | None]:
    return [v or None for v in values]


def _mapped(values: Sequence[Hashable], fn: Callable) -> list:
    """``fn`` applied once per distinct value."""
    cache = {v: fn(v) for v in set(values)}
    return [cache[v] for v in values]


def _s(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value != value:
        return ""
    return str(value)


def _bool(value) -> bool:
    return value is True or (isinstance(value, str) and vocab.fold(value) in ("ja", "x", "1", "true"))


def _sources(frame: pd.DataFrame) -> list[SourceRef]:
    inputs = _texts(frame, "_input")
    sheets = [v if isinstance(v, str) and v else None for v in _values(frame, "_sheet")]
    rows = frame["_row"].astype(np.int64).tolist() if "_row" in frame.columns else [0] * len(frame)
    return [SourceRef(i, s, r) for i, s, r in zip(inputs, sheets, rows, strict=True)]


def _sheet_keys(frame: pd.DataFrame) -> pd.Series:
    sheets = frame["_sheet"] if "_sheet" in frame.columns else pd.Series([None] * len(frame))
    return sheets.where(sheets.map(lambda v: isinstance(v, str) and bool(v)), None)


# -- step 1: inputs-wide preparation ---------------------------------------------------------


@dataclass
class CaseTables:
    """The rows of a set of cases, per kind, in input order (one frame per kind).

    Every row has a non-empty ``case``. Plain data: it pickles, so a partition can be
    built into cases on another process or machine.
    """

    frames: dict[str, pd.DataFrame]
    # (input path, sheet) -> canonical columns that input had
    input_columns: dict[tuple[str, str | None], frozenset[str]]
    unit_insats: dict[str, str] = field(default_factory=dict)

    def case_rows(self) -> pd.Series:
        """Rows per case over all kinds, indexed by case id in sorted order."""
        counts = [f["case"].value_counts() for f in self.frames.values() if len(f)]
        if not counts:
            return pd.Series(dtype=np.int64)
        total = pd.concat(counts).groupby(level=0).sum()
        return total.sort_index()

    @property
    def n_rows(self) -> int:
        return sum(len(f) for f in self.frames.values())

    def partitions(self, part_of: dict[str, int], parts: int) -> Iterator[CaseTables]:
        """``parts`` tables, one at a time: each case's rows go to the partition
        ``part_of[case]``. Only the row order per kind (integers) is computed up front, so a
        partition's copy of the rows exists only while it is in use."""
        plans = []
        for kind, frame in self.frames.items():
            if not len(frame):
                continue
            codes = frame["case"].map(part_of).to_numpy()
            order = np.argsort(codes, kind="stable")
            bounds = np.searchsorted(codes[order], np.arange(parts + 1))
            plans.append((kind, frame, order, bounds))
        for p in range(parts):
            frames = {}
            for kind, frame, order, bounds in plans:
                lo, hi = bounds[p], bounds[p + 1]
                if hi > lo:
                    frames[kind] = frame.iloc[order[lo:hi]].reset_index(drop=True)
            yield CaseTables(frames, self.input_columns, self.unit_insats)

    def lazy_chunks(self, max_rows: int) -> tuple[int, Iterator[CaseTables]]:
        """Consecutive runs of cases (in case-id order) of about ``max_rows`` rows each, as
        (how many, an iterator that builds each when it is reached)."""
        rows = self.case_rows()
        if rows.empty:
            return 0, iter(())
        cum = rows.cumsum().to_numpy()
        part = (cum - 1) // max(1, max_rows)
        # renumber 0..k-1 (a single huge case may skip a number)
        _, part = np.unique(part, return_inverse=True)
        part_of = dict(zip(rows.index.tolist(), part.tolist(), strict=True))
        parts = int(part.max()) + 1
        return parts, self.partitions(part_of, parts)


def prepare_tables(loaded: list, unit_insats: dict[str, str] | None = None) -> tuple[CaseTables, Dataset]:
    """Concatenate the inputs per kind and compute the inputs-wide facts.

    Returns the case rows (to be split and built into cases) and a ``Dataset`` without
    cases that carries the facts every chunk needs. Each input's ``frame`` is released
    (set to None) once its rows are in the tables, so the rows are held once, not twice.
    """
    by_kind: dict[str, list] = defaultdict(list)
    input_columns: dict[tuple[str, str | None], frozenset[str]] = {}
    kinds: dict[str, set[str]] = defaultdict(set)
    for li in loaded:
        if li.frame is None or li.kind is None:
            continue
        by_kind[li.kind].append(li)
        input_columns[(li.report.path, li.report.sheet)] = frozenset(li.columns)
        kinds[li.kind] |= set(li.columns)

    tables: dict[str, pd.DataFrame] = {}
    for kind in KINDS:
        group = by_kind.pop(kind, [])
        if not group:
            continue
        parts = [li.frame for li in group]
        for li in group:  # the table takes the rows over: each input's own frame is let go
            li.frame = None
        f = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
        del parts
        f = f.reset_index(drop=True)
        case = f["case"] if "case" in f.columns else pd.Series([None] * len(f), dtype=object)
        f = f.assign(case=case.where(case.notna(), "").astype(str))
        tables[kind] = _share_values(f)

    unit_avv: dict[str, list[Avvikelse]] = defaultdict(list)
    avv = tables.get("avvikelse")
    if avv is not None:
        loose = avv[avv["case"] == ""]
        for a in _avvikelser(loose):
            if a.unit:
                unit_avv[a.unit].append(a)
        tables["avvikelse"] = avv[avv["case"] != ""].reset_index(drop=True)

    meta = Dataset(
        cases={},
        kinds={k: frozenset(v) for k, v in kinds.items()},
        unit_avvikelser=dict(unit_avv),
        journal_span=_journal_span(tables.get("journal")),
        date_span=_date_span(tables),
        unit_staff=_unit_staff(tables),
        wide=True,
        event_first=_event_first(tables, unit_avv),
        plan_first=_plan_first(tables.get("plan")),
    )
    return CaseTables(tables, input_columns, dict(unit_insats or {})), meta


# Free text stays as read; other text columns repeat a few values (unit, name, signature ...).
_OWN_VALUES = frozenset({"text", "beskrivning", "delmal", "arbetsmetod", "bemotande", "krisplan",
                         "delaktighet", "orsak", "_input", "_sheet"})


def _share_values(frame: pd.DataFrame) -> pd.DataFrame:
    """Equal values of repetitive text columns become one shared object (a column then costs
    a pointer per row, not a string per row); the values themselves do not change."""
    out = {}
    for col in frame.columns:
        s = frame[col]
        if col in _OWN_VALUES or s.dtype != object or len(s) < 1000:
            continue
        codes, uniques = pd.factorize(s, use_na_sentinel=True)
        if not len(uniques) or len(uniques) > len(s) // 4:
            continue
        values = s.to_numpy(dtype=object)
        shared = np.asarray(uniques, dtype=object)[codes]
        missing = codes < 0
        shared[missing] = values[missing]
        out[col] = pd.Series(shared, index=s.index, dtype=object)
    return frame.assign(**out) if out else frame


def _journal_span(journal: pd.DataFrame | None) -> dict[str, tuple[date, date]]:
    if journal is None or "datum" not in journal.columns:
        return {}
    dated = journal[journal["datum"].notna()]
    if dated.empty:
        return {}
    units = pd.Series(_texts(dated, "enhet"), index=dated.index)
    g = dated["datum"].groupby(units, sort=False)
    lo, hi = g.min(), g.max()
    return {u: (lo[u].date(), hi[u].date()) for u in lo.index}


def _event_first(tables: dict[str, pd.DataFrame], unit_avv: dict[str, list[Avvikelse]]) -> date | None:
    """Earliest date of the event exports: dated notes and bookings, stays with both ends,
    avvikelser (occurred, else reported) of a case or of a unit."""
    found: list = []
    for kind in ("journal", "besok"):
        f = tables.get(kind)
        if f is not None and "datum" in f.columns:
            found.append(pd.to_datetime(f["datum"], errors="coerce").min())
    f = tables.get("vistelse")
    if f is not None and {"start", "slut"} <= set(f.columns):
        start, end = pd.to_datetime(f["start"], errors="coerce"), pd.to_datetime(f["slut"], errors="coerce")
        found.append(start[start.notna() & end.notna()].min())
    f = tables.get("avvikelse")
    if f is not None and len(f):
        d = [a.occurred or a.reported for a in _avvikelser(f)]
        found += [pd.Timestamp(x) for x in d if x]
    found += [pd.Timestamp(a.occurred or a.reported) for rows in unit_avv.values() for a in rows
              if a.occurred or a.reported]
    found = [x for x in found if x is not None and not pd.isna(x)]
    return min(found).date() if found else None


def _plan_first(plans: pd.DataFrame | None) -> dict[str, date]:
    """Per unit the earliest upprättad date of the plans export."""
    if plans is None or "upprattad" not in plans.columns or not len(plans):
        return {}
    d = pd.to_datetime(plans["upprattad"], errors="coerce")
    units = pd.Series(_texts(plans, "enhet"), index=plans.index)
    first = d[d.notna()].groupby(units[d.notna()], sort=False).min()
    return {u: t.date() for u, t in first.items()}


def _unit_staff(tables: dict[str, pd.DataFrame]) -> dict[str, frozenset[str]]:
    """Per unit the names that signed a dated note or served a dated booking."""
    staff: dict[str, set[str]] = defaultdict(set)
    for kind, col in (("journal", "signerad_av"), ("besok", "personal")):
        f = tables.get(kind)
        if f is None or col not in f.columns or "datum" not in f.columns:
            continue
        pairs = pd.DataFrame({"unit": _texts(f, "enhet"), "name": _texts(f, col)})
        pairs = pairs[f["datum"].notna().to_numpy() & (pairs["name"] != "").to_numpy()]
        for unit, name in pairs.drop_duplicates().itertuples(index=False):
            staff[unit].add(name)
    return {u: frozenset(v) for u, v in staff.items()}


def _date_span(tables: dict[str, pd.DataFrame]) -> tuple[date, date] | None:
    """Earliest and latest date among: every uppdrag date, each case's first and last note,
    and each case's first booking, stay, plan and avvikelse (as the records sort)."""
    found: list[pd.Series] = []

    def col(kind: str, name: str) -> pd.Series | None:
        f = tables.get(kind)
        if f is None or name not in f.columns:
            return None
        return pd.to_datetime(f[name], errors="coerce")

    for name in ("beslutsdatum", "uppdrag_inkommit", "verkstallighetsdatum"):
        s = col("uppdrag", name)
        if s is not None:
            found.append(s.dropna())
    s = col("journal", "datum")
    if s is not None:
        found.append(s.dropna())  # the overall first and last are some case's first and last
    s = col("besok", "datum")
    if s is not None:
        found.append(s.groupby(tables["besok"]["case"]).min().dropna())
    stays = tables.get("vistelse")
    if stays is not None and {"start", "slut"} <= set(stays.columns):
        start, end = col("vistelse", "start"), col("vistelse", "slut")
        if start is not None and end is not None:
            ok = start.notna() & end.notna()
            found.append(start[ok].groupby(stays["case"][ok]).min().dt.normalize())
    s = col("plan", "upprattad")
    if s is not None:
        g = s.groupby(tables["plan"]["case"])
        complete = ~s.isna().groupby(tables["plan"]["case"]).any()
        found.append(g.min()[complete].dropna())
    avv = tables.get("avvikelse")
    if avv is not None and len(avv):
        first = avv.drop_duplicates("case", keep="first")
        occ = col("avvikelse", "handelsedatum")
        reg = col("avvikelse", "registrerad")
        if occ is not None or reg is not None:
            pick = occ if occ is not None else reg
            if occ is not None and reg is not None:
                pick = occ.fillna(reg)
            if pick is not None:
                found.append(pick.loc[first.index].dropna())
    found = [s for s in found if len(s)]
    if not found:
        return None
    lo = min(s.min() for s in found)
    hi = max(s.max() for s in found)
    return lo.date(), hi.date()


# -- step 2: one partition of cases -> CaseData ------------------------------------------------


def build_cases(tables: CaseTables) -> dict[str, CaseData]:
    """The ``CaseData`` of every case in ``tables``, in case-id order."""
    cases: dict[str, CaseData] = {}

    def get(key: str) -> CaseData:
        c = cases.get(key)
        if c is None:
            c = cases[key] = CaseData(case=key)
        return c

    frames = tables.frames
    # Every row makes its case exist, in the order the stages read them.
    for kind in KINDS:
        if kind in frames:
            for key in dict.fromkeys(frames[kind]["case"].tolist()):
                get(key)

    if "uppdrag" in frames:
        f = frames["uppdrag"]
        insats_text = _texts(f, "insats")
        insats = _mapped(insats_text, lambda t: vocab.insats_key(t) or "")
        protected = _mapped(_values(f, "skyddad"), _bool)
        for key, u in zip(f["case"].tolist(), _uppdrag(f, insats_text, insats, protected), strict=True):
            c = cases[key]
            c.uppdrag.append(u)
            c.protected = c.protected or u.protected

    if "journal" in frames:
        f = frames["journal"]
        days = _dates(f, "datum")
        tid = _texts(f, "tid")
        dtime = _texts(f, "datum_time")
        signed = _texts(f, "signerad")
        for key, d, src, t1, t2, text, sok, unit, by, sg, reg in zip(
            f["case"].tolist(), days, _sources(f), tid, dtime, _texts(f, "text"),
            _texts(f, "sokord"), _texts(f, "enhet"), _texts(f, "signerad_av"), signed,
            _dates(f, "registrerad"), strict=True,
        ):
            if d is None:
                continue
            cases[key].notes.append(Note(
                src=src, date=d, time=t1 or t2 or None, text=text, sokord=sok, unit=unit,
                signed_by=by, signed=sg or None, signed_date=None, registered=reg,
            ))

    if "plan" in frames:
        f = frames["plan"]
        status_text = _texts(f, "status")
        for key, src, unit, pid, ins, upp, st, stt, *rest in zip(
            f["case"].tolist(), _sources(f), _texts(f, "enhet"), _optional(_texts(f, "plan_id")),
            _mapped(_texts(f, "insats"), lambda t: vocab.insats_key(t) or ""),
            _dates(f, "upprattad"), _mapped(status_text, vocab.plan_status), status_text,
            *(_texts(f, c) for c in ("delmal", "livsomrade", "arbetsmetod", "bemotande",
                                     "krisplan", "delaktighet")),
            strict=True,
        ):
            cases[key].plans.append(PlanRow(
                src=src, unit=unit, plan_id=pid, insats=ins, upprattad=upp, status=st,
                status_text=stt, delmal=rest[0], livsomrade=rest[1], arbetsmetod=rest[2],
                bemotande=rest[3], krisplan=rest[4], delaktighet=rest[5],
            ))

    if "besok" in frames:
        f = frames["besok"]
        status_text = _texts(f, "status")
        for key, d, src, unit, start, end, st, stt, by, reason, staff in zip(
            f["case"].tolist(), _dates(f, "datum"), _sources(f), _texts(f, "enhet"),
            _optional(_texts(f, "planerad_start")), _optional(_texts(f, "planerad_slut")),
            _mapped(status_text, vocab.booking_status), status_text,
            _mapped(_texts(f, "avbokad_av"), vocab.cancelled_by), _texts(f, "orsak"),
            _texts(f, "personal"), strict=True,
        ):
            if d is None:
                continue
            cases[key].bookings.append(Booking(
                src=src, unit=unit, date=d, start=start, end=end, status=st, status_text=stt,
                cancelled_by=by, reason=reason, staff=staff,
            ))

    if "avvikelse" in frames:
        f = frames["avvikelse"]
        for key, a in zip(f["case"].tolist(), _avvikelser(f), strict=True):
            cases[key].avvikelser.append(a)

    if "vistelse" in frames:
        f = frames["vistelse"]
        for key, src, unit, start, end, st, et in zip(
            f["case"].tolist(), _sources(f), _texts(f, "enhet"), _dates(f, "start"),
            _dates(f, "slut"), _optional(_texts(f, "start_time")),
            _optional(_texts(f, "slut_time")), strict=True,
        ):
            if start is None or end is None:
                continue
            cases[key].stays.append(Stay(
                src=src, unit=unit, start=_combine(start, st), end=_combine(end, et),
                end_has_time=et is not None,
            ))

    units = _units(frames)
    names = _names(frames)
    columns = _case_columns(tables)
    folded_cfg = {vocab.fold(k): v for k, v in tables.unit_insats.items()}
    for c in cases.values():
        c.notes.sort(key=lambda n: (n.date, n.time or "", n.src.input, n.src.row))
        c.uppdrag.sort(key=lambda u: (u.uppdrag_inkommit or u.beslutsdatum or u.verkstallighetsdatum or date.min, u.src.row))
        c.plans.sort(key=lambda p: (p.upprattad or date.min, p.src.input, p.src.row))
        c.bookings.sort(key=lambda bk: (bk.date, bk.start or "", bk.src.row))
        c.stays.sort(key=lambda s: (s.start, s.src.row))
        c.units = units.get(c.case, [])
        c.name = names.get(c.case)
        c.columns = columns.get(c.case, {})
        _assign_insats(c, folded_cfg)
    return dict(sorted(cases.items()))


def _uppdrag(f: pd.DataFrame, insats_text: list[str], insats: list[str], protected: list[bool]) -> list[Uppdrag]:
    return [
        Uppdrag(src=src, unit=unit, insats=ins, insats_text=text, beslutsdatum=b,
                uppdrag_inkommit=i, verkstallighetsdatum=v, slutdatum=s, status=st,
                handlaggare=h, protected=p)
        for src, unit, ins, text, b, i, v, s, st, h, p in zip(
            _sources(f), _texts(f, "enhet"), insats, insats_text, _dates(f, "beslutsdatum"),
            _dates(f, "uppdrag_inkommit"), _dates(f, "verkstallighetsdatum"),
            _dates(f, "slutdatum"), _texts(f, "status"), _texts(f, "handlaggare"), protected,
            strict=True,
        )
    ]


def _avvikelser(f: pd.DataFrame) -> list[Avvikelse]:
    return [
        Avvikelse(src=src, unit=unit, id=i, case=key or None, occurred=occ, reported=rep,
                  typ=typ, description=desc, status=st)
        for src, unit, i, key, occ, rep, typ, desc, st in zip(
            _sources(f), _texts(f, "enhet"), _texts(f, "id"), _texts(f, "case"),
            _dates(f, "handelsedatum"), _dates(f, "registrerad"), _texts(f, "typ"),
            _texts(f, "beskrivning"), _texts(f, "status"), strict=True,
        )
    ]


def _units(frames: dict[str, pd.DataFrame]) -> dict[str, list[str]]:
    """Per case its units, most rows first (an uppdrag row counts 100), then by name."""
    parts = []
    for kind, f in frames.items():
        if "enhet" not in f.columns or not len(f):
            continue
        units = pd.Series(_texts(f, "enhet"), index=f.index)
        has = units != ""
        parts.append(pd.DataFrame({"case": f["case"][has], "unit": units[has],
                                   "w": UNIT_WEIGHT[kind]}))
    if not parts:
        return {}
    counts = pd.concat(parts, ignore_index=True).groupby(["case", "unit"], sort=False)["w"].sum()
    per_case: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for (case, unit), w in counts.items():
        per_case[case].append((-int(w), unit))
    return {case: [u for _, u in sorted(pairs)] for case, pairs in per_case.items()}


def _names(frames: dict[str, pd.DataFrame]) -> dict[str, str]:
    """Per case the first name given (in the order the kinds and rows are read)."""
    parts = []
    for kind in KINDS:
        f = frames.get(kind)
        if f is None or "namn" not in f.columns or not len(f):
            continue
        names = pd.Series(_texts(f, "namn"), index=f.index)
        parts.append(pd.DataFrame({"case": f["case"], "name": names})[names != ""])
    if not parts:
        return {}
    first = pd.concat(parts, ignore_index=True).drop_duplicates("case", keep="first")
    return dict(zip(first["case"].tolist(), first["name"].tolist(), strict=True))


def _case_columns(tables: CaseTables) -> dict[str, dict[str, frozenset[str]]]:
    """Per case and kind: the canonical columns every input that gave it rows had."""
    out: dict[str, dict[str, frozenset[str]]] = defaultdict(dict)
    for kind in ("journal", "uppdrag", "plan", "besok", "avvikelse", "vistelse"):
        f = tables.frames.get(kind)
        if f is None or not len(f):
            continue
        src = pd.DataFrame({"case": f["case"], "input": _texts(f, "_input"), "sheet": _sheet_keys(f)})
        src = src.drop_duplicates()
        per_case: dict[str, list[frozenset[str]]] = defaultdict(list)
        for case, inp, sheet in zip(src["case"].tolist(), src["input"].tolist(),
                                    src["sheet"].tolist(), strict=True):
            per_case[case].append(tables.input_columns.get((inp, sheet), frozenset()))
        for case, cols in per_case.items():
            out[case][kind] = frozenset.intersection(*cols)
    return out


def build_dataset(loaded: list, unit_insats: dict[str, str] | None = None) -> Dataset:
    """Build cases from ``auditor.ingest.LoadedInput`` objects (only those with a frame)."""
    tables, meta = prepare_tables(loaded, unit_insats)
    return meta.with_cases(build_cases(tables))


AFTER_AS_OF = "daterad efter granskningsdatum"


def exclude_after(loaded: list, as_of: date) -> None:
    """Notes and bookings dated after the as-of date are not part of the audit.

    They are excluded with a reason (and counted), so every row stays accounted for.
    """
    cutoff = pd.Timestamp(as_of)
    for li in loaded:
        if li.frame is None or li.kind not in ("journal", "besok") or "datum" not in li.frame.columns:
            continue
        late = (li.frame["datum"] > cutoff).fillna(False).to_numpy(dtype=bool)
        n = int(late.sum())
        if n:
            li.frame = li.frame.loc[~late]
            li.report.rows_used -= n
            li.report.exclude(AFTER_AS_OF, n)


def _combine(d: date, t: str | None) -> datetime:
    if t:
        try:
            hh, mm = t.split(":")[:2]
            return datetime(d.year, d.month, d.day, int(hh), int(mm))
        except ValueError:
            pass
    return datetime(d.year, d.month, d.day)


def _assign_insats(c: CaseData, folded_cfg: dict[str, str]) -> None:
    from_uppdrag = sorted({u.insats for u in c.uppdrag if u.insats})
    if from_uppdrag:
        c.insats, c.insats_source = from_uppdrag, "uppdrag"
        return
    from_cfg = sorted({k for u in c.units for k in vocab.insats_keys(folded_cfg.get(vocab.fold(u), ""))})
    if from_cfg:
        c.insats, c.insats_source = from_cfg, "config"
        return
    from_name = sorted({k for u in c.units[:1] for k in vocab.insats_keys(u)})
    if from_name:
        c.insats, c.insats_source = from_name, "enhetsnamn"
