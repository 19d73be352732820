"""From typed canonical frames to cases: one ``CaseData`` per client, with its records.

Cases are joined across files by the normalised personnummer (or the system id where
an export has no personnummer). Each case gets its unit(s) and insats, with where the
insats came from: the uppdrag export, the user's config (unit → insats), or the unit's
name (inferred, and said so in the report).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

from auditor.model import vocab
from auditor.model.records import Avvikelse, Booking, Note, PlanRow, SourceRef, Stay, Uppdrag

KIND_LABEL_SV = {
    "journal": "journalanteckningar",
    "uppdrag": "uppdrag/beslut",
    "plan": "genomförandeplaner",
    "besok": "besök/insatstillfällen",
    "avvikelse": "avvikelser",
    "vistelse": "korttidsvistelser",
}


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

    def has_kind(self, kind: str, column: str | None = None) -> bool:
        if kind not in self.kinds:
            return False
        return column is None or column in self.kinds[kind]


def _d(value) -> date | None:
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def _s(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value != value:
        return ""
    return str(value)


def _time_or_none(value) -> str | None:
    s = _s(value)
    return s or None


def _column(series: pd.Series) -> list:
    """A column as plain Python values: dates as ``datetime.date``, missing as None."""
    if pd.api.types.is_datetime64_any_dtype(series):
        return series.to_numpy(dtype="datetime64[D]").astype(object).tolist()
    return series.astype(object).where(series.notna(), None).tolist()


def _records(frame: pd.DataFrame) -> Iterable[dict]:
    """Rows as dicts, converted column-wise (much faster than converting cell by cell)."""
    cols = list(frame.columns)
    columns = [_column(frame[c]) for c in cols]
    for values in zip(*columns, strict=True):
        yield dict(zip(cols, values, strict=True))


def _src(r: dict) -> SourceRef:
    sheet = r.get("_sheet")
    return SourceRef(_s(r.get("_input")), sheet if isinstance(sheet, str) and sheet else None, int(r["_row"]))


def _bool(value) -> bool:
    return value is True or (isinstance(value, str) and vocab.fold(value) in ("ja", "x", "1", "true"))


class _Builder:
    def __init__(self) -> None:
        self.cases: dict[str, CaseData] = {}
        self.unit_counts: dict[str, Counter] = defaultdict(Counter)
        self.sources: dict[tuple[str, str], set[tuple[str, str | None]]] = defaultdict(set)

    def case(self, key: str) -> CaseData:
        c = self.cases.get(key)
        if c is None:
            c = self.cases[key] = CaseData(case=key)
        return c

    def touch(self, c: CaseData, r: dict, kind: str, weight: int = 1) -> None:
        unit = _s(r.get("enhet"))
        if unit:
            self.unit_counts[c.case][unit] += weight
        name = _s(r.get("namn"))
        if name and not c.name:
            c.name = name
        self.sources[(c.case, kind)].add((_s(r.get("_input")), r.get("_sheet") or None))


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


def build_dataset(loaded: list, unit_insats: dict[str, str] | None = None) -> Dataset:
    """Build cases from ``auditor.ingest.LoadedInput`` objects (only those with a frame)."""
    unit_insats = unit_insats or {}
    frames: dict[str, list[pd.DataFrame]] = defaultdict(list)
    input_columns: dict[tuple[str, str | None], frozenset[str]] = {}
    kinds: dict[str, set[str]] = defaultdict(set)
    for li in loaded:
        if li.frame is None or li.kind is None:
            continue
        frames[li.kind].append(li.frame)
        input_columns[(li.report.path, li.report.sheet)] = frozenset(li.columns)
        kinds[li.kind] |= set(li.columns)

    b = _Builder()
    unit_avv: dict[str, list[Avvikelse]] = defaultdict(list)
    journal_dates: dict[str, list[date]] = defaultdict(list)
    all_dates: list[date] = []

    for frame in frames.get("uppdrag", []):
        for r in _records(frame):
            c = b.case(_s(r["case"]))
            b.touch(c, r, "uppdrag", weight=100)
            text = _s(r.get("insats"))
            u = Uppdrag(
                src=_src(r), unit=_s(r.get("enhet")), insats=vocab.insats_key(text) or "",
                insats_text=text, beslutsdatum=_d(r.get("beslutsdatum")),
                uppdrag_inkommit=_d(r.get("uppdrag_inkommit")),
                verkstallighetsdatum=_d(r.get("verkstallighetsdatum")),
                slutdatum=_d(r.get("slutdatum")), status=_s(r.get("status")),
                handlaggare=_s(r.get("handlaggare")), protected=_bool(r.get("skyddad")),
            )
            c.uppdrag.append(u)
            c.protected = c.protected or u.protected
            all_dates += [d for d in (u.beslutsdatum, u.uppdrag_inkommit, u.verkstallighetsdatum) if d]

    for frame in frames.get("journal", []):
        for r in _records(frame):
            c = b.case(_s(r["case"]))
            b.touch(c, r, "journal")
            d = _d(r.get("datum"))
            if d is None:
                continue
            signed = _s(r.get("signerad"))
            signed_date = _d(r.get("signerad")) if not isinstance(r.get("signerad"), str) else None
            note = Note(
                src=_src(r), date=d,
                time=_time_or_none(r.get("tid")) or _time_or_none(r.get("datum_time")),
                text=_s(r.get("text")), sokord=_s(r.get("sokord")), unit=_s(r.get("enhet")),
                signed_by=_s(r.get("signerad_av")), signed=signed or None,
                signed_date=signed_date, registered=_d(r.get("registrerad")),
            )
            c.notes.append(note)
            journal_dates[note.unit].append(d)

    for frame in frames.get("plan", []):
        for r in _records(frame):
            c = b.case(_s(r["case"]))
            b.touch(c, r, "plan")
            status_text = _s(r.get("status"))
            c.plans.append(PlanRow(
                src=_src(r), unit=_s(r.get("enhet")), plan_id=_s(r.get("plan_id")) or None,
                insats=vocab.insats_key(_s(r.get("insats"))) or "", upprattad=_d(r.get("upprattad")),
                status=vocab.plan_status(status_text), status_text=status_text,
                delmal=_s(r.get("delmal")), livsomrade=_s(r.get("livsomrade")),
                arbetsmetod=_s(r.get("arbetsmetod")), bemotande=_s(r.get("bemotande")),
                krisplan=_s(r.get("krisplan")), delaktighet=_s(r.get("delaktighet")),
            ))

    for frame in frames.get("besok", []):
        for r in _records(frame):
            c = b.case(_s(r["case"]))
            b.touch(c, r, "besok")
            d = _d(r.get("datum"))
            if d is None:
                continue
            status_text = _s(r.get("status"))
            c.bookings.append(Booking(
                src=_src(r), unit=_s(r.get("enhet")), date=d,
                start=_time_or_none(r.get("planerad_start")), end=_time_or_none(r.get("planerad_slut")),
                status=vocab.booking_status(status_text), status_text=status_text,
                cancelled_by=vocab.cancelled_by(_s(r.get("avbokad_av"))), reason=_s(r.get("orsak")),
                staff=_s(r.get("personal")),
            ))

    for frame in frames.get("avvikelse", []):
        for r in _records(frame):
            key = _s(r.get("case")) or None
            a = Avvikelse(
                src=_src(r), unit=_s(r.get("enhet")), id=_s(r.get("id")), case=key,
                occurred=_d(r.get("handelsedatum")), reported=_d(r.get("registrerad")),
                typ=_s(r.get("typ")), description=_s(r.get("beskrivning")), status=_s(r.get("status")),
            )
            if key:
                c = b.case(key)
                b.touch(c, r, "avvikelse", weight=0)
                c.avvikelser.append(a)
            elif a.unit:
                unit_avv[a.unit].append(a)

    for frame in frames.get("vistelse", []):
        for r in _records(frame):
            c = b.case(_s(r["case"]))
            b.touch(c, r, "vistelse")
            start, end = _d(r.get("start")), _d(r.get("slut"))
            if start is None or end is None:
                continue
            st, et = _time_or_none(r.get("start_time")), _time_or_none(r.get("slut_time"))
            c.stays.append(Stay(
                src=_src(r), unit=_s(r.get("enhet")),
                start=_combine(start, st), end=_combine(end, et), end_has_time=et is not None,
            ))

    for c in b.cases.values():
        c.notes.sort(key=lambda n: (n.date, n.time or "", n.src.input, n.src.row))
        c.uppdrag.sort(key=lambda u: (u.uppdrag_inkommit or u.beslutsdatum or u.verkstallighetsdatum or date.min, u.src.row))
        c.plans.sort(key=lambda p: (p.upprattad or date.min, p.src.input, p.src.row))
        c.bookings.sort(key=lambda bk: (bk.date, bk.start or "", bk.src.row))
        c.stays.sort(key=lambda s: (s.start, s.src.row))
        c.units = [u for u, _ in sorted(b.unit_counts[c.case].items(), key=lambda kv: (-kv[1], kv[0]))]
        _assign_insats(c, unit_insats)
        for kind in ("journal", "uppdrag", "plan", "besok", "avvikelse", "vistelse"):
            srcs = b.sources.get((c.case, kind))
            if srcs:
                cols = [input_columns.get(s, frozenset()) for s in srcs]
                c.columns[kind] = frozenset.intersection(*cols)
        all_dates += [n.date for n in c.notes[:1]] + [n.date for n in c.notes[-1:]]
        all_dates += [bk.date for bk in c.bookings[:1]] + [s.start.date() for s in c.stays[:1]]
        all_dates += [p.upprattad for p in c.plans[:1] if p.upprattad]
        all_dates += [a.occurred or a.reported for a in c.avvikelser[:1] if a.occurred or a.reported]

    spans = {u: (min(ds), max(ds)) for u, ds in journal_dates.items() if ds}
    span = (min(all_dates), max(all_dates)) if all_dates else None
    return Dataset(
        cases=dict(sorted(b.cases.items())),
        kinds={k: frozenset(v) for k, v in kinds.items()},
        unit_avvikelser=dict(unit_avv), journal_span=spans, date_span=span,
    )


def _combine(d: date, t: str | None) -> datetime:
    if t:
        try:
            hh, mm = t.split(":")[:2]
            return datetime(d.year, d.month, d.day, int(hh), int(mm))
        except ValueError:
            pass
    return datetime(d.year, d.month, d.day)


def _assign_insats(c: CaseData, unit_insats: dict[str, str]) -> None:
    from_uppdrag = sorted({u.insats for u in c.uppdrag if u.insats})
    if from_uppdrag:
        c.insats, c.insats_source = from_uppdrag, "uppdrag"
        return
    folded_cfg = {vocab.fold(k): v for k, v in unit_insats.items()}
    from_cfg = sorted({k for u in c.units for k in vocab.insats_keys(folded_cfg.get(vocab.fold(u), ""))})
    if from_cfg:
        c.insats, c.insats_source = from_cfg, "config"
        return
    from_name = sorted({k for u in c.units[:1] for k in vocab.insats_keys(u)})
    if from_name:
        c.insats, c.insats_source = from_name, "enhetsnamn"
