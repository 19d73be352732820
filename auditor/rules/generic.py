"""The generic check: runs a rule whose logic is data (``logic:`` in its pack, see logic.py).

For each trigger (an occasion of an event, or a date in an export row) it computes the
deadline from the window, looks for evidence that satisfies the requirement, and gives:

- ``ok`` when evidence is documented in time;
- ``violation`` when it came late or not at all and the deadline has passed, with positive
  evidence of the trigger (the occasion's records, the export row);
- ``warning`` while the deadline is open inside its warning window, or where the trigger
  is uncertain (the records do not tell who acted): a person should look;
- ``ok`` "ej förfallen" before the warning window;
- ``not_evaluated`` where the answer depends on history before the export.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from auditor.events.occasions import Occasion, evidence_in, occasions
from auditor.events.structured import avvikelse_is_missed_visit, booking_excerpt
from auditor.findings.model import Evidence, Finding
from auditor.model.dataset import CaseData
from auditor.model.records import Avvikelse, Note, Stay, Uppdrag
from auditor.rules.checks.common import (
    add_months,
    finding,
    fmt,
    history_missing,
    not_evaluated,
    note_evidence,
    plans_missing,
    row_evidence,
)
from auditor.rules.checks.plans import first_finished_plan, plan_evidence
from auditor.rules.context import RuleContext
from auditor.rules.logic import EvidenceSpec, Logic, Partial, Window

COLUMN_SV = {
    "uppdrag_inkommit": "inkom", "beslutsdatum": "beslut", "verkstallighetsdatum": "verkställd",
    "slutdatum": "avslutad",
}
MISSING_SV = {
    "uppdrag_inkommit": "datum för inkommit uppdrag", "beslutsdatum": "beslutsdatum",
    "verkstallighetsdatum": "verkställighetsdatum", "slutdatum": "slutdatum",
}


def is_event_logic(logic: Logic) -> bool:
    """Event rules count occasions: an event trigger, or the end of each stay."""
    return logic.trigger.event is not None or logic.trigger.date == "vistelse.slut"


@dataclass
class _Trigger:
    day: date
    key: str
    unit: str | None
    evidence: list[Evidence]
    moment: datetime | None = None  # the clock time, where the export gives one
    occasion: Occasion | None = None
    row: Uppdrag | None = None
    uncertain: bool = False


@dataclass
class _Found:
    met: date
    evidence: list[Evidence]
    says: str = ""
    spec: EvidenceSpec | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def num(ctx: RuleContext, value: int | str) -> int:
    """A literal, or the value of the rule parameter of that name ("-name": its negation)."""
    if isinstance(value, str):
        return -int(ctx.params[value[1:]]) if value.startswith("-") else int(ctx.params[value])
    return int(value)


def shift(ctx: RuleContext, d: date, n: int, unit: str) -> date:
    if unit == "workdays" and n > 0:
        return ctx.calendar.add_workdays(d, n)
    if unit == "months":
        return add_months(d, n)
    if unit == "hours":
        return d + timedelta(days=-(-n // 24))  # dates only: by the end of the day it reaches
    return d + timedelta(days=n)


def bounds(ctx: RuleContext, t: _Trigger, w: Window) -> tuple[date, date]:
    return shift(ctx, t.day, num(ctx, w.start), w.unit), shift(ctx, t.day, num(ctx, w.end), w.unit)


def _note_moment(n: Note) -> datetime:
    if n.time:
        try:
            hh, mm = n.time.split(":")[:2]
            return datetime(n.date.year, n.date.month, n.date.day, int(hh), int(mm))
        except ValueError:
            pass
    return datetime(n.date.year, n.date.month, n.date.day, 23, 59)


def _in_hours(ctx: RuleContext, t: _Trigger, w: Window, n: Note) -> bool:
    """For an hours window from a clock time: the note's own time decides when it has one."""
    if t.moment is None or w.unit != "hours":
        return True
    due = t.moment + timedelta(hours=num(ctx, w.end))
    return _note_moment(n) <= due if n.time else n.date <= due.date()


# --- triggers -----------------------------------------------------------------------------


def occasion_evidence(occ: Occasion) -> list[Evidence]:
    out = [row_evidence(b.src, b.date, booking_excerpt(b)) for b in occ.bookings]
    out += [note_evidence(n, h) for n, h in occ.notes]
    return out


def uppdrag_excerpt(u: Uppdrag, what: str) -> str:
    parts = [what]
    if u.insats_text:
        parts.append(f"insats: {u.insats_text}")
    for label, d in (("beslut", u.beslutsdatum), ("inkommit", u.uppdrag_inkommit),
                     ("verkställd", u.verkstallighetsdatum), ("slut", u.slutdatum)):
        if d:
            parts.append(f"{label} {fmt(d)}")
    return "Uppdrag – " + ", ".join(parts)


def stay_excerpt(s: Stay) -> str:
    fmt_dt = "%Y-%m-%d %H:%M" if s.end_has_time else "%Y-%m-%d"
    return f"Korttidsvistelse {s.start.strftime('%Y-%m-%d')} – {s.end.strftime(fmt_dt)}"


def scoped_uppdrag(case: CaseData, scope: tuple[str, ...]) -> list[Uppdrag]:
    """The case's assignments in the rule's scope; rows without an insats when none is."""
    if "all" in scope:
        return list(case.uppdrag)
    own = [u for u in case.uppdrag if u.insats in scope]
    return own or [u for u in case.uppdrag if not u.insats]


def _triggers(case: CaseData, ctx: RuleContext, logic: Logic) -> Iterator[_Trigger | Finding]:
    trig = logic.trigger
    if trig.event is not None:
        for occ in occasions(case, trig.event, ctx.as_of, uncertain=trig.uncertain,
                             same_within_days=num(ctx, trig.same_within_days),
                             by_report=trig.dated_by == "report"):
            yield _Trigger(occ.date, occ.key, occ.unit, occasion_evidence(occ), occasion=occ,
                           uncertain=occ.uncertain)
        return
    kind, _, column = (trig.date or "").partition(".")
    if kind == "vistelse":
        for s in case.stays:
            day = s.end.date()
            if day > ctx.as_of:
                continue
            yield _Trigger(day, f"{day}", s.unit or None, [row_evidence(s.src, day, stay_excerpt(s))],
                           moment=s.end if s.end_has_time else None)
        return
    for u in scoped_uppdrag(case, ctx.rule.scope):
        d = getattr(u, column)
        if d is None:
            if trig.when_missing == "not_evaluated":
                yield not_evaluated(ctx, case, f"Ej granskad: uppdraget (rad {u.src.row}) saknar {MISSING_SV[column]}.",
                                    key=f"ne:{u.src.row}", unit=u.unit or None)
            continue
        if d > ctx.as_of or (trig.in_period_only and d not in ctx.period):
            continue
        yield _Trigger(d, f"{d}", u.unit or None,
                       [row_evidence(u.src, d, uppdrag_excerpt(u, f"{COLUMN_SV[column]} {fmt(d)}"))], row=u)


# --- evidence -----------------------------------------------------------------------------


def _search(case: CaseData, ctx: RuleContext, t: _Trigger, spec: EvidenceSpec,
            until: date | None) -> list[_Found]:
    first, last = bounds(ctx, t, spec.window)
    if until is not None:
        last = max(last, until)
    if spec.labels:
        # The occasion's own notes count wherever they are dated (a note that reports the
        # event the next day), when the window includes the event's day.
        include = t.occasion.notes if t.occasion and first <= t.day else ()
        details = {k: v for k, v in spec.details.items() if k != "held_by"}
        hits = evidence_in(case, spec.labels, first, last, ctx.as_of, actors=spec.actors,
                           details=details, include=include)
        out = []
        for n, h in hits:
            if until is None and not _in_hours(ctx, t, spec.window, n):
                continue
            extra: dict[str, Any] = {"hit": h, "note": n}
            if spec.details.get("held_by"):
                # Who held it: the detector's reading, else a staff member the note names.
                holder = h.get("held_by") or _names_staff(ctx, case, n)
                if not holder:
                    continue
                extra["held_by"] = holder
            says = spec.says.replace("{held_by}", str(extra.get("held_by", "")))
            out.append(_Found(n.date, [note_evidence(n, h)], says, spec, extra))
        return out
    export = spec.export
    if export == "avvikelse":
        return _avvikelser(case, ctx, t, spec, first, last)
    if export == "besok.utford":
        return [_Found(b.date, [row_evidence(b.src, b.date, booking_excerpt(b))], spec.says, spec)
                for b in case.bookings if first <= b.date <= min(last, ctx.as_of) and b.status == "done"]
    if export == "besok.orsak":
        occ = t.occasion
        if occ is not None and occ.reason_text:
            return [_Found(occ.date, [], spec.says.replace("{reason}", occ.reason_text), spec)]
        return []
    if export == "uppdrag.verkstallighetsdatum":
        u = t.row
        if u is not None and u.verkstallighetsdatum and first <= u.verkstallighetsdatum <= min(last, ctx.as_of):
            return [_Found(u.verkstallighetsdatum, [], spec.says, spec)]
        return []
    if export in ("plan.klar", "plan.utkast"):
        return _plans(case, ctx, t, spec, first, last)
    return []


def _avvikelser(case: CaseData, ctx: RuleContext, t: _Trigger, spec: EvidenceSpec,
                first: date, last: date) -> list[_Found]:
    rep_first, rep_last = bounds(ctx, t, spec.reported_window) if spec.reported_window else (first, last)

    def in_window(a: Avvikelse) -> bool:
        if a.occurred and first <= a.occurred <= last:
            return True
        return bool(a.reported and rep_first <= a.reported <= rep_last and a.reported <= ctx.as_of)

    def found(a: Avvikelse, unit_only: bool) -> _Found:
        parts = [f"Avvikelse {a.id}".strip(), f"typ: {a.typ}" if a.typ else "",
                 f"inträffade {fmt(a.occurred)}" if a.occurred else "",
                 f"rapporterad {fmt(a.reported)}" if a.reported else "", a.description]
        ev = row_evidence(a.src, a.occurred or a.reported, ", ".join(p for p in parts if p))
        says = spec.says
        if unit_only:
            says += (" Avvikelsen saknar personnummer och matchades på enhet och datum (typ/beskrivning "
                     "gäller utebliven eller inställd insats).")
        return _Found(a.reported or a.occurred or t.day, [ev], says, spec)

    out = [found(a, False) for a in case.avvikelser if in_window(a)]
    if not out:
        unit = t.unit or case.primary_unit
        out = [found(a, True) for a in ctx.dataset.unit_avvikelser.get(unit, [])
               if in_window(a) and avvikelse_is_missed_visit(a)]
    return out


def _plans(case: CaseData, ctx: RuleContext, t: _Trigger, spec: EvidenceSpec,
           first: date, last: date) -> list[_Found]:
    u = t.row
    insats = ctx.rule.scope[0] if len(ctx.rule.scope) == 1 and "all" not in ctx.rule.scope else None
    if spec.export == "plan.klar":
        since = (u.uppdrag_inkommit or u.beslutsdatum or u.verkstallighetsdatum) if u else None
        plan = first_finished_plan(case.plans, since=since, insats=insats, as_of=ctx.as_of)
        if plan is None or plan.upprattad is None:
            return []
        return [_Found(plan.upprattad, [plan_evidence(plan)],
                       spec.says.replace("{status}", (plan.status_text or "klar").lower()), spec)]
    drafts = [p for p in case.plans if p.status == "draft" and p.upprattad and first <= p.upprattad <= ctx.as_of]
    return [_Found(p.upprattad, [plan_evidence(p)], spec.says, spec) for p in drafts[:1] if p.upprattad]


def _timely_note(ctx: RuleContext, t: _Trigger, f: _Found) -> bool:
    note = f.extra.get("note")
    return note is None or f.spec is None or _in_hours(ctx, t, f.spec.window, note)


def _names_staff(ctx: RuleContext, case: CaseData, note: Note) -> str | None:
    """A staff member the note names (the who-is-who model of the exports), or None."""
    from auditor.model.people import STAFF, build_people

    people = ctx.spans.memo.get("people")
    if people is None:
        people = ctx.spans.memo["people"] = build_people(ctx.dataset)
    who = people.get(case.case)
    if who is None:
        return None
    for form, role in who.signature(note.text):
        if role == STAFF:
            return form
    return None


# --- verdict ------------------------------------------------------------------------------


class _Values(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _message(template: str, values: dict[str, Any]) -> str:
    return template.format_map(_Values({k: fmt(v) if isinstance(v, date) else v for k, v in values.items()}))


def _deadline(ctx: RuleContext, t: _Trigger, logic: Logic) -> date:
    if logic.deadline is not None:
        return bounds(ctx, t, logic.deadline)[1]
    windows = [s.window for s in logic.evidence] + [s.reported_window for s in logic.evidence if s.reported_window]
    return max(bounds(ctx, t, w)[1] for w in windows)


def _warn_from(ctx: RuleContext, t: _Trigger, logic: Logic, due: date) -> date:
    w = logic.warning
    if w.after_trigger is not None:
        return bounds(ctx, t, w.after_trigger)[1]
    days = num(ctx, w.days) if w.days is not None else int(ctx.params.get("warning_days", 7))
    return due - timedelta(days=days - 1)


def run_logic(case: CaseData, ctx: RuleContext, logic: Logic) -> Iterator[Finding]:
    """The findings of one rule whose logic is data, for one case."""
    event_rule = is_event_logic(logic)
    for t in _triggers(case, ctx, logic):
        if isinstance(t, Finding):
            yield t
            continue
        got = _judge(case, ctx, logic, t, event_rule)
        if got is not None:
            got.basis = "occasion" if event_rule and got.status != "not_evaluated" else got.basis
            yield got


def _judge(case: CaseData, ctx: RuleContext, logic: Logic, t: _Trigger, event_rule: bool) -> Finding | None:
    due = _deadline(ctx, t, logic)
    date_of = logic.finding_date or ("trigger" if event_rule else "deadline")
    fdate = t.day if date_of == "trigger" else due

    if logic.guard.journal:
        js = ctx.spans.journal_start(t.unit or "", case.primary_unit)
        if js is None or t.day < js:
            if due in ctx.period or t.day in ctx.period or ctx.as_of <= due:
                return not_evaluated(ctx, case, history_missing(), key=f"ne:{t.key}", unit=t.unit, d=fdate,
                                     deadline=due)
            return None

    until = ctx.as_of if logic.late != "not_counted" else None
    found: list[_Found] = []
    for spec in logic.evidence:
        found += _search(case, ctx, t, spec, until)
    found.sort(key=lambda f: f.met)
    timely = [f for f in found if logic.late == "accepted" or (f.met <= due and _timely_note(ctx, t, f))]
    best = timely[0] if timely else (found[0] if found else None)
    met = best.met if best else None

    status: str | None
    if event_rule:
        if t.day not in ctx.period and not (met is None and ctx.as_of <= due):
            return None
        if met is not None:
            status = "ok" if timely else "violation"
        elif ctx.as_of > due:
            status = "violation"
        else:
            status = "warning" if ctx.as_of >= _warn_from(ctx, t, logic, due) else "ok"
    else:
        if met is not None:
            status = None if (due not in ctx.period and met not in ctx.period) else (
                "ok" if timely else "violation")
        elif ctx.as_of > due:
            status = "violation"
        else:
            status = "warning" if ctx.as_of >= _warn_from(ctx, t, logic, due) else "ok"
        if status is None:
            return None

    evidence = list(t.evidence)
    values: dict[str, Any] = {**ctx.params, "date": t.day, "due": due, "met": met, "as_of": ctx.as_of,
                              "days_since": (ctx.as_of - t.day).days, "found": ""}
    m = logic.messages
    if best is not None:
        evidence += best.evidence
        values["found"] = _message(best.says, values)
        template = m.ok if timely else (m.late or m.missed)
    elif status == "violation":
        template = m.missed
    elif status == "warning":
        template = m.open or m.missed
    else:
        template = m.not_due or m.ok
    for spec in logic.context:
        ctx_found = _search(case, ctx, t, spec, None)
        if ctx_found:
            evidence += ctx_found[0].evidence
            values["found"] = values["found"] or _message(ctx_found[0].says, values)

    if status == "violation" and best is None:
        if logic.guard.plans:
            plans_from = ctx.spans.plan_start(t.unit or "", case.primary_unit)
            if plans_from is not None and due < plans_from:
                return not_evaluated(ctx, case, plans_missing(plans_from, due), key=f"ne:{t.key}", unit=t.unit,
                                     d=fdate, deadline=due)
        partial = _partial(case, ctx, t, logic.partial)
        if partial is not None:
            spec, pf = partial
            evidence += pf.evidence
            values["met"] = pf.met
            template = spec.message or template
            status = spec.status
        if t.uncertain:
            status, template = "warning", m.uncertain or template
    elif status == "violation" and t.uncertain:
        status, template = "warning", m.uncertain or template
    return finding(ctx, case, status, fdate, _message(template, values), evidence, key=t.key, unit=t.unit,
                   deadline=due)


def _partial(case: CaseData, ctx: RuleContext, t: _Trigger,
             partials: tuple[Partial, ...]) -> tuple[Partial, _Found] | None:
    for spec in partials:
        got = _search(case, ctx, t, spec, ctx.as_of if spec.window.unit != "hours" else None)
        if got:
            return spec, got[0]
    return None
