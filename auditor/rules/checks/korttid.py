"""Botkyrka, korttidsvistelse LSS: terminssamtal (KT2; KT1 is data in rules/kt.yaml)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from auditor.findings.model import Finding
from auditor.model.dataset import CaseData
from auditor.model.records import Stay
from auditor.rules.checks.common import (
    finding,
    first_hit,
    fmt,
    history_missing,
    not_evaluated,
    note_evidence,
    row_evidence,
)
from auditor.rules.checks.registry import check
from auditor.rules.context import RuleContext


def _stay_excerpt(s: Stay) -> str:
    fmt_dt = "%Y-%m-%d %H:%M" if s.end_has_time else "%Y-%m-%d"
    return f"Korttidsvistelse {s.start.strftime('%Y-%m-%d')} – {s.end.strftime(fmt_dt)}"


def _terms(start: date, end: date) -> list[tuple[str, date, date]]:
    out = []
    for year in range(start.year, end.year + 1):
        for name, t0, t1 in ((f"VT {year}", date(year, 1, 1), date(year, 6, 30)),
                             (f"HT {year}", date(year, 7, 1), date(year, 12, 31))):
            if t1 >= start and t0 <= end:
                out.append((name, t0, t1))
    return out


def _active_in(case: CaseData, t0: date, t1: date) -> bool:
    uppdrag = [u for u in case.uppdrag if u.insats in ("korttidsvistelse", "")]
    if uppdrag:
        return any((u.verkstallighetsdatum or u.beslutsdatum or date.min) <= t1
                   and (u.slutdatum is None or u.slutdatum >= t0) for u in uppdrag)
    return any(s.start.date() <= t1 and s.end.date() >= t0 for s in case.stays) or any(
        t0 <= n.date <= t1 for n in case.notes)


def _active_start(case: CaseData, t0: date) -> date:
    """When the client became active: nothing before it can matter to the term."""
    starts = [u.verkstallighetsdatum for u in case.uppdrag
              if u.insats in ("korttidsvistelse", "") and u.verkstallighetsdatum]
    return min(starts) if starts else t0


def _term_evidence(case: CaseData, name: str, t0: date, t1: date) -> list:
    """What shows the client was active in the term: its latest note, stay or assignment."""
    in_term = [n for n in case.notes if t0 <= n.date <= t1]
    if in_term:
        return [note_evidence(in_term[-1])]
    stays = [s for s in case.stays if s.start.date() <= t1 and s.end.date() >= t0]
    if stays:
        return [row_evidence(stays[0].src, stays[0].end.date(), _stay_excerpt(stays[0]))]
    if case.uppdrag:
        u = case.uppdrag[0]
        return [row_evidence(u.src, u.verkstallighetsdatum, f"Uppdrag {u.insats_text or 'korttidsvistelse'}, aktivt {name}")]
    return []


@check("KT2")
def kt2(case: CaseData, ctx: RuleContext) -> Iterator[Finding]:
    warn_weeks = int(ctx.p("warn_weeks"))
    js = ctx.spans.journal_start(case.primary_unit)
    for name, t0, t1 in _terms(ctx.period.start, ctx.period.end):
        if not _active_in(case, t0, t1):
            continue
        talks = [(n, h) for n in case.notes if t0 <= n.date <= min(t1, ctx.as_of)
                 for h in [first_hit(n, ("TERM_TALK",))] if h is not None]
        if talks:
            yield finding(ctx, case, "ok", t1, f"Inbjudan till terminssamtal dokumenterad {fmt(talks[0][0].date)} ({name}).",
                          [note_evidence(*talks[0])], key=name, deadline=t1)
            continue
        ev = _term_evidence(case, name, t0, t1)
        if t1 < ctx.as_of:
            if js is None or js > max(t0, _active_start(case, t0)):
                yield not_evaluated(ctx, case, history_missing() + f" ({name} började före exportens första datum.)",
                                    key=f"ne:{name}", d=t1, deadline=t1)
                continue
            yield finding(ctx, case, "violation", t1,
                          f"Ingen inbjudan till terminssamtal dokumenterad under {name} ({fmt(t0)}–{fmt(t1)}).", ev, key=name, deadline=t1)
        elif (t1 - ctx.as_of).days < warn_weeks * 7:
            yield finding(ctx, case, "warning", t1,
                          f"Ingen inbjudan till terminssamtal ännu under {name}; terminen slutar {fmt(t1)}.", ev, key=name, deadline=t1)
