"""Botkyrka, korttidsvistelse LSS: hemgångssamtal och terminssamtal (KT1–KT2)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

from auditor.findings.model import Finding
from auditor.model.dataset import CaseData
from auditor.model.records import Note, Stay
from auditor.rules.checks import check
from auditor.rules.checks.common import (
    finding,
    first_hit,
    fmt,
    history_missing,
    not_evaluated,
    note_evidence,
    occasion,
    row_evidence,
)
from auditor.rules.context import RuleContext


def _note_moment(n: Note) -> datetime:
    if n.time:
        try:
            hh, mm = n.time.split(":")[:2]
            return datetime(n.date.year, n.date.month, n.date.day, int(hh), int(mm))
        except ValueError:
            pass
    return datetime(n.date.year, n.date.month, n.date.day)


def _stay_excerpt(s: Stay) -> str:
    fmt_dt = "%Y-%m-%d %H:%M" if s.end_has_time else "%Y-%m-%d"
    return f"Korttidsvistelse {s.start.strftime('%Y-%m-%d')} – {s.end.strftime(fmt_dt)}"


@check("KT1", events=True)
def kt1(case: CaseData, ctx: RuleContext) -> Iterator[Finding]:
    hours = int(ctx.p("hours"))
    for s in case.stays:
        end_day = s.end.date()
        if end_day > ctx.as_of or end_day not in ctx.period:
            continue
        if s.end_has_time:
            deadline = s.end + timedelta(hours=hours)
        else:
            deadline = datetime(end_day.year, end_day.month, end_day.day) + timedelta(days=1, hours=23, minutes=59)
        talks = []
        for n in case.notes:
            if n.date < end_day or n.date > deadline.date() + timedelta(days=14) or n.date > ctx.as_of:
                continue
            h = first_hit(n, ("HOME_TALK",))
            if h is not None:
                talks.append((n, h))
        ev = [row_evidence(s.src, end_day, _stay_excerpt(s))]
        in_time = [(n, h) for n, h in talks
                   if (_note_moment(n) <= deadline if n.time else n.date <= deadline.date())]
        named = [(n, h) for n, h in in_time if h.get("held_by")]
        if named:
            n, h = named[0]
            ev.append(note_evidence(n, h))
            yield occasion(ctx, case, "ok", end_day, f"Hemgångssamtal {fmt(n.date)}, hållet av {h.get('held_by')}.",
                          ev, key=f"{end_day}", unit=s.unit or None, deadline=deadline.date())
        elif in_time:
            ev.append(note_evidence(*in_time[0]))
            yield occasion(ctx, case, "violation", end_day,
                          "Hemgångssamtalet är dokumenterat i tid men det framgår inte vem som höll det.",
                          ev, key=f"{end_day}", unit=s.unit or None, deadline=deadline.date())
        elif talks:
            ev.append(note_evidence(*talks[0]))
            yield occasion(ctx, case, "violation", end_day,
                          f"Hemgångssamtalet dokumenterades först {fmt(talks[0][0].date)}, mer än {hours} timmar efter "
                          f"att vistelsen slutade.", ev, key=f"{end_day}", unit=s.unit or None, deadline=deadline.date())
        elif ctx.as_of <= deadline.date():
            yield occasion(ctx, case, "warning", end_day,
                          f"Vistelsen slutade {fmt(end_day)}; hemgångssamtalet ska dokumenteras inom {hours} timmar.",
                          ev, key=f"{end_day}", unit=s.unit or None, deadline=deadline.date())
        else:
            yield occasion(ctx, case, "violation", end_day,
                          f"Inget hemgångssamtal dokumenterat inom {hours} timmar efter vistelsen som slutade {fmt(end_day)}.",
                          ev, key=f"{end_day}", unit=s.unit or None, deadline=deadline.date())


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
