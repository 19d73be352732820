"""Göteborg, verksamhetshandbok boendestöd (GB1–GB12)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from auditor.findings.model import Finding
from auditor.model.dataset import CaseData
from auditor.model.records import Uppdrag
from auditor.rules.checks import check
from auditor.rules.checks.common import (
    DeadlineTexts,
    add_months,
    deadline_message,
    deadline_status,
    finding,
    first_hit,
    fmt,
    history_missing,
    not_evaluated,
    note_evidence,
    notes_with,
    occasion,
    plans_missing,
    row_evidence,
)
from auditor.rules.checks.plans import (
    crisis_plan_names_contact,
    current_plan,
    first_finished_plan,
    plan_evidence,
    shows_participation,
)
from auditor.rules.context import RuleContext

SCOPE = "boendestod"
GB1_TEXTS = DeadlineTexts(
    in_time="Första kontakt {met}, inom {n} vardagar (frist {due}).",
    late="Första dokumenterade kontakt {met}, efter fristen {due} ({n} vardagar efter inkommet uppdrag {start}).",
    missed="Ingen dokumenterad kontakt med individen inom {n} vardagar efter inkommet uppdrag {start} (frist {due}).",
    open="Ingen kontakt dokumenterad ännu; fristen går ut {due}.",
    not_due="Ej förfallen: fristen för första kontakt går ut {due}.",
)
GB2_TEXTS = DeadlineTexts(
    in_time="Verkställd {met}, inom en månad från inkommet uppdrag ({start}).",
    late="Verkställd {met}, senare än en månad från inkommet uppdrag {start} (frist {due}).",
    missed="Inte verkställd {as_of}: mer än en månad sedan uppdraget inkom {start} (frist {due}).",
    open="Ännu inte verkställd; fristen går ut {due}.",
    not_due="Ej förfallen: ska verkställas senast {due}.",
)
GB3_TEXTS = DeadlineTexts(
    in_time="Verkställd {met}, inom tre månader från beslutet {start}.",
    late=("Verkställd först {met}, mer än tre månader efter beslutet {start}: "
          "skulle ha rapporterats till IVO som ej verkställt beslut {due}."),
    missed=("Ej verkställt beslut: inte verkställt {as_of}, mer än tre månader efter beslutet {start}. "
            "Ska rapporteras till IVO (gränsen passerades {due})."),
    open="Risk för ej verkställt beslut: inte verkställt {days} dagar efter beslutet {start}; IVO-gränsen är {due}.",
    not_due="Ej förfallen: ska verkställas senast {due} (tre månader efter beslutet).",
)
GB8_TEXTS = DeadlineTexts(
    in_time="Sammanställning {met}, inom {max_days} dagar från {prev}.",
    late="Sammanställning först {met}: mer än {max_days} dagar efter {prev} (frist {due}).",
    missed="Ingen sammanställning av daganteckningar sedan {prev}: fristen {due} har passerat.",
    open="Nästa sammanställning av daganteckningar ska skrivas senast {due}.",
    not_due="Ej förfallen: nästa sammanställning senast {due}.",
)
GB11_TEXTS = DeadlineTexts(
    in_time="Slutanteckning med skäl {met}.",
    late="Slutanteckningen skrevs först {met}, mer än {days} dagar efter avslut {end}.",
    missed="Ingen slutanteckning inom {days} dagar efter att insatsen avslutades {end}.",
    open="Slutanteckning saknas ännu; fristen går ut {due}.",
    not_due="Ej förfallen: slutanteckning senast {due}.",
)
SMART_LABEL = {"specific": "en konkret aktivitet", "measurable": "ett mått", "time_bound": "en tidsgräns"}


def _uppdrag(case: CaseData) -> list[Uppdrag]:
    own = [u for u in case.uppdrag if u.insats == SCOPE]
    return own or [u for u in case.uppdrag if not u.insats]


def _journal_start(ctx: RuleContext, case: CaseData, unit: str) -> date | None:
    """The first date of the journal export that covers the case (catalogue: history guard)."""
    return ctx.spans.journal_start(unit, case.notes[0].unit if case.notes else "")


def _u_excerpt(u: Uppdrag, what: str) -> str:
    parts = [what]
    if u.insats_text:
        parts.append(f"insats: {u.insats_text}")
    for label, d in (("beslut", u.beslutsdatum), ("inkommit", u.uppdrag_inkommit),
                     ("verkställd", u.verkstallighetsdatum), ("slut", u.slutdatum)):
        if d:
            parts.append(f"{label} {fmt(d)}")
    return "Uppdrag – " + ", ".join(parts)


def _missing_date(ctx: RuleContext, case: CaseData, u: Uppdrag, what: str) -> Finding:
    return not_evaluated(ctx, case, f"Ej granskad: uppdraget (rad {u.src.row}) saknar {what}.",
                         key=f"ne:{u.src.row}", unit=u.unit or None)


@check("GB1")
def gb1(case: CaseData, ctx: RuleContext) -> Iterator[Finding]:
    n = int(ctx.p("workdays"))
    for u in _uppdrag(case):
        start = u.uppdrag_inkommit
        if start is None:
            yield _missing_date(ctx, case, u, "datum för inkommit uppdrag")
            continue
        due = ctx.calendar.add_workdays(start, n)
        js = _journal_start(ctx, case, u.unit)
        if js is None or start < js:
            if due in ctx.period or ctx.as_of <= due:
                yield not_evaluated(ctx, case, history_missing(), key=f"ne:{start}", unit=u.unit or None, d=due,
                                    deadline=due)
            continue
        contacts = [(nt, h) for nt, h in notes_with(case, ("CONTACT",), ctx.as_of) if nt.date >= start]
        met = contacts[0][0].date if contacts else None
        status = deadline_status(ctx, due, met)
        if status is None:
            continue
        ev = [row_evidence(u.src, start, _u_excerpt(u, f"inkom {fmt(start)}"))]
        if contacts:
            ev.append(note_evidence(*contacts[0]))
        msg = deadline_message(GB1_TEXTS, status, met, due, n=n, start=start)
        yield finding(ctx, case, status, due, msg, ev, key=f"{start}", unit=u.unit or None, deadline=due)


@check("GB2")
def gb2(case: CaseData, ctx: RuleContext) -> Iterator[Finding]:
    months = int(ctx.p("months"))
    for u in _uppdrag(case):
        start = u.uppdrag_inkommit
        if start is None:
            yield _missing_date(ctx, case, u, "datum för inkommit uppdrag")
            continue
        due = add_months(start, months)
        met = u.verkstallighetsdatum if u.verkstallighetsdatum and u.verkstallighetsdatum <= ctx.as_of else None
        status = deadline_status(ctx, due, met)
        if status is None:
            continue
        ev = [row_evidence(u.src, start, _u_excerpt(u, f"inkom {fmt(start)}"))]
        msg = deadline_message(GB2_TEXTS, status, met, due, start=start, as_of=ctx.as_of)
        yield finding(ctx, case, status, due, msg, ev, key=f"{start}", unit=u.unit or None, deadline=due)


@check("GB3")
def gb3(case: CaseData, ctx: RuleContext) -> Iterator[Finding]:
    months, warn_months = int(ctx.p("months")), int(ctx.p("warning_months"))
    for u in _uppdrag(case):
        start = u.beslutsdatum
        if start is None:
            yield _missing_date(ctx, case, u, "beslutsdatum")
            continue
        due = add_months(start, months)
        met = u.verkstallighetsdatum if u.verkstallighetsdatum and u.verkstallighetsdatum <= ctx.as_of else None
        status = deadline_status(ctx, due, met, warn_from=add_months(start, warn_months))
        if status is None:
            continue
        ev = [row_evidence(u.src, start, _u_excerpt(u, f"beslut {fmt(start)}"))]
        msg = deadline_message(GB3_TEXTS, status, met, due, start=start, as_of=ctx.as_of,
                               days=(ctx.as_of - start).days)
        yield finding(ctx, case, status, due, msg, ev, key=f"{start}", unit=u.unit or None, deadline=due)


def _assignment_start(u: Uppdrag) -> date | None:
    return u.uppdrag_inkommit or u.beslutsdatum or u.verkstallighetsdatum


@check("GB4")
def gb4(case: CaseData, ctx: RuleContext) -> Iterator[Finding]:
    days = int(ctx.p("days"))
    for u in _uppdrag(case):
        verk = u.verkstallighetsdatum
        if verk is None or verk > ctx.as_of:
            continue
        due = verk + timedelta(days=days)
        plan = first_finished_plan(case.plans, since=_assignment_start(u), insats=SCOPE, as_of=ctx.as_of)
        met = plan.upprattad if plan else None
        status = deadline_status(ctx, due, met)
        if status is None:
            continue
        ev = [row_evidence(u.src, verk, _u_excerpt(u, f"verkställd {fmt(verk)}"))]
        plans_from = ctx.spans.plan_start(u.unit, case.primary_unit)
        if status == "violation" and plans_from is not None and due < plans_from:
            # The plans export holds no plans from before its earliest upprättad date.
            yield not_evaluated(ctx, case, plans_missing(plans_from, due), key=f"ne:{verk}",
                                unit=u.unit or None, d=due, deadline=due)
            continue
        drafts = [p for p in case.plans if p.status == "draft" and p.upprattad and p.upprattad >= verk - timedelta(days=60)]
        if plan:
            ev.append(plan_evidence(plan))
        elif drafts:
            ev.append(plan_evidence(drafts[0]))
        if met and met <= due:
            msg = f"Genomförandeplan {plan.status_text.lower() or 'klar'} {fmt(met)}, inom {days} dagar efter verkställighet {fmt(verk)}."
        elif met:
            msg = f"Genomförandeplanen blev klar först {fmt(met)}; fristen var {fmt(due)} ({days} dagar efter verkställighet {fmt(verk)})."
        elif status == "violation":
            extra = " Det finns bara ett utkast/påbörjad plan, och ett utkast uppfyller inte kravet." if drafts else ""
            msg = f"Ingen färdig genomförandeplan {days} dagar efter verkställighet {fmt(verk)} (frist {fmt(due)}).{extra}"
        elif status == "warning":
            msg = f"Ingen färdig genomförandeplan ännu; fristen går ut {fmt(due)}."
        else:
            msg = f"Ej förfallen: genomförandeplanen ska vara klar senast {fmt(due)}."
        yield finding(ctx, case, status, due, msg, ev, key=f"{verk}", unit=u.unit or None, deadline=due)


@check("GB5")
def gb5(case: CaseData, ctx: RuleContext) -> Iterator[Finding]:
    from auditor.nlp.smart import assess_delmal

    plan_rows = current_plan(case.plans, SCOPE, ctx.as_of)
    if plan_rows is None:
        return
    head = plan_rows[0]
    goals = [p for p in plan_rows if p.delmal.strip()]
    if not goals:
        yield finding(ctx, case, "violation", head.upprattad, "Den aktuella genomförandeplanen har inga delmål.",
                      [plan_evidence(head)], key=f"{head.upprattad}", unit=head.unit or None)
        return
    lacking = []
    evidence = []
    for p in goals:
        verdict = assess_delmal(p.delmal)
        if verdict.missing:
            names = [SMART_LABEL[k] for k in verdict.missing]
            what = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " och " + names[-1]
            why = " ".join(verdict.reasons[k] for k in verdict.missing if verdict.reasons.get(k))
            lacking.append(f"”{_short(p.delmal)}” saknar {what}. {why}".strip())
            evidence.append(plan_evidence(p, text=p.delmal))
    if lacking:
        msg = f"{len(lacking)} av {len(goals)} delmål är inte SMARTA. " + " | ".join(lacking)
        yield finding(ctx, case, "violation", head.upprattad, msg, evidence, key=f"{head.upprattad}", unit=head.unit or None)
    else:
        yield finding(ctx, case, "ok", head.upprattad, f"Alla {len(goals)} delmål är specifika, mätbara och tidsbestämda.",
                      [plan_evidence(goals[0], text=goals[0].delmal)], key=f"{head.upprattad}", unit=head.unit or None)


def _short(text: str, n: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


@check("GB6")
def gb6(case: CaseData, ctx: RuleContext) -> Iterator[Finding]:
    plan_rows = current_plan(case.plans, SCOPE, ctx.as_of)
    if plan_rows is None:
        return
    head = plan_rows[0]
    cols = case.columns.get("plan", frozenset())
    missing_cols = [c for c in ("arbetsmetod", "bemotande", "krisplan") if c not in cols]
    if len(missing_cols) == 3:
        yield not_evaluated(ctx, case, "Ej granskad: planexporten saknar kolumnerna arbetsmetod, bemötande och krisplan.",
                            unit=head.unit or None)
        return
    text = {c: " ".join(getattr(p, c) for p in plan_rows).strip() for c in ("arbetsmetod", "bemotande", "krisplan")}
    problems = []
    labels = {"arbetsmetod": "arbetsmetod", "bemotande": "bemötande", "krisplan": "krisplan"}
    for c in ("arbetsmetod", "bemotande", "krisplan"):
        if c in missing_cols:
            continue
        if not text[c]:
            problems.append(f"{labels[c]} saknas")
    if "krisplan" not in missing_cols and text["krisplan"] and not crisis_plan_names_contact(text["krisplan"]):
        problems.append("krisplanen säger inte vem som ska kontaktas")
    if missing_cols:
        note = " (ej granskat: " + ", ".join(labels[c] for c in missing_cols) + " finns inte i exporten)"
    else:
        note = ""
    ev = [plan_evidence(head, text=text.get("krisplan") or head.delmal)]
    if problems:
        yield finding(ctx, case, "violation", head.upprattad,
                      "Genomförandeplanen är ofullständig: " + "; ".join(problems) + "." + note, ev,
                      key=f"{head.upprattad}", unit=head.unit or None)
    else:
        yield finding(ctx, case, "ok", head.upprattad,
                      "Planen beskriver arbetsmetod, bemötande och krisplan med kontaktperson." + note, ev,
                      key=f"{head.upprattad}", unit=head.unit or None)


@check("GB7")
def gb7(case: CaseData, ctx: RuleContext) -> Iterator[Finding]:
    plan_rows = current_plan(case.plans, SCOPE, ctx.as_of)
    if plan_rows is None:
        return
    head = plan_rows[0]
    texts = " ".join(p.delaktighet for p in plan_rows if p.delaktighet).strip()
    if not texts and "delaktighet" not in case.columns.get("plan", frozenset()):
        texts = " ".join(f"{p.arbetsmetod} {p.delmal}" for p in plan_rows)
        source = "planens övriga text (exporten saknar kolumn för delaktighet)"
    else:
        source = "planens uppgift om delaktighet"
    ok = shows_participation(texts)
    ev = [plan_evidence(head, text=texts or head.delmal)]
    if ok:
        yield finding(ctx, case, "ok", head.upprattad, f"Individens delaktighet framgår av {source}.", ev,
                      key=f"{head.upprattad}", unit=head.unit or None)
    else:
        yield finding(ctx, case, "violation", head.upprattad,
                      f"Det framgår inte att individen deltog i att ta fram planen (granskat: {source}).", ev,
                      key=f"{head.upprattad}", unit=head.unit or None)


def _active_intervals(case: CaseData, ctx: RuleContext) -> list[tuple[Uppdrag, date, date]]:
    out = []
    for u in _uppdrag(case):
        if u.verkstallighetsdatum is None or u.verkstallighetsdatum > ctx.as_of:
            continue
        end = min(u.slutdatum, ctx.as_of) if u.slutdatum else ctx.as_of
        out.append((u, u.verkstallighetsdatum, end))
    return out


@check("GB8")
def gb8(case: CaseData, ctx: RuleContext) -> Iterator[Finding]:
    max_days = int(ctx.p("max_days"))
    summaries = notes_with(case, ("SUMMARY",), ctx.as_of)
    for u, verk, end in _active_intervals(case, ctx):
        js = _journal_start(ctx, case, u.unit)
        # Summaries written before the journal export's first date cannot be seen.
        unknown_before = date.max if js is None else js
        chain = [(n, h) for n, h in summaries if verk < n.date <= end]
        unit = u.unit or None
        prev, idx = verk, 0
        while True:
            due = prev + timedelta(days=max_days)
            nxt = chain[idx] if idx < len(chain) else None
            if nxt is None and end < due and end < ctx.as_of:
                break  # the case ended before the next summary was due
            met = nxt[0].date if nxt else None
            status = deadline_status(ctx, due, met)
            if status == "violation" and prev < unknown_before:
                if nxt is None and js is not None and ctx.as_of > js + timedelta(days=max_days):
                    # The export itself covers more than max_days without any summary.
                    due = js + timedelta(days=max_days)
                    yield finding(ctx, case, "violation", due,
                                  f"Ingen sammanställning av daganteckningar i journalen på mer än {max_days} dagar "
                                  f"från exportens första datum {fmt(js)}.",
                                  [row_evidence(u.src, verk, _u_excerpt(u, f"verkställd {fmt(verk)}"))],
                                  key=f"{due}", unit=unit, deadline=due)
                else:
                    yield not_evaluated(ctx, case, history_missing() + f" (sammanställning senast {fmt(due)})",
                                        key=f"ne:{due}", unit=unit, d=due, deadline=due)
            elif status is not None:
                yield _gb8_finding(ctx, case, u, status, prev, due, nxt, max_days)
            if nxt is None:
                break
            prev, idx = nxt[0].date, idx + 1


def _gb8_finding(ctx: RuleContext, case: CaseData, u: Uppdrag, status: str, prev: date, due: date,
                 nxt: tuple | None, max_days: int) -> Finding:
    met = nxt[0].date if nxt else None
    if nxt:
        ev = [note_evidence(*nxt)]
    else:
        ev = [row_evidence(u.src, u.verkstallighetsdatum, _u_excerpt(u, f"verkställd {fmt(u.verkstallighetsdatum)}"))]
    msg = deadline_message(GB8_TEXTS, status, met, due, max_days=max_days, prev=prev)
    return finding(ctx, case, status, due, msg, ev, key=f"{due}", unit=u.unit or None, deadline=due)


@check("GB9", events=True)
def gb9(case: CaseData, ctx: RuleContext) -> Iterator[Finding]:
    from auditor.events.structured import not_home_events

    for ev in not_home_events(case, ctx.as_of):
        if ev.date not in ctx.period:
            continue
        same_day = [n for n in case.notes if n.date == ev.date]
        routine = next(((n, h) for n in same_day if (h := first_hit(n, ("THREE_DAY_ROUTINE",)))), None)
        evidence = list(ev.evidence)
        if routine:
            evidence.append(note_evidence(*routine))
            yield occasion(ctx, case, "ok", ev.date, "3-dagarsrutinen startades och dokumenterades samma dag.",
                          evidence, key=ev.key, unit=ev.unit, deadline=ev.date)
        else:
            yield occasion(ctx, case, "violation", ev.date,
                          f"Individen var inte hemma vid besöket {fmt(ev.date)}, men det är inte dokumenterat samma dag "
                          "att 3-dagarsrutinen startades.", evidence, key=ev.key, unit=ev.unit, deadline=ev.date)


@check("GB10", events=True)
def gb10(case: CaseData, ctx: RuleContext) -> Iterator[Finding]:
    days = int(ctx.p("days"))
    hospital = notes_with(case, ("HOSPITAL",), ctx.as_of)
    seen: set[date] = set()
    for n, h in hospital:
        if n.date not in ctx.period:
            continue
        # Several notes about the same admission: judge from the first one that reports it.
        if any((n.date - d).days <= days and n.date >= d for d in seen):
            continue
        seen.add(n.date)
        due = n.date + timedelta(days=days)
        informed = [(m, k) for m in case.notes if n.date <= m.date <= min(due, ctx.as_of)
                    for k in [first_hit(m, ("CASEWORKER_CONTACT",))] if k is not None]
        ev = [note_evidence(n, h)]
        if informed:
            ev.append(note_evidence(*informed[0]))
            yield occasion(ctx, case, "ok", n.date,
                          f"Socialsekreteraren informerad {fmt(informed[0][0].date)} om sjukhusinläggningen.",
                          ev, key=f"{n.date}", unit=n.unit or None, deadline=due)
        elif ctx.as_of > due:
            yield occasion(ctx, case, "violation", n.date,
                          f"Individen lades in på sjukhus ({fmt(n.date)}), men det är inte dokumenterat inom {days} dagar "
                          "att socialsekreteraren informerades.", ev, key=f"{n.date}", unit=n.unit or None, deadline=due)
        else:
            yield occasion(ctx, case, "warning", n.date,
                          f"Sjukhusinläggning {fmt(n.date)}: socialsekreteraren ska informeras senast {fmt(due)}.",
                          ev, key=f"{n.date}", unit=n.unit or None, deadline=due)


@check("GB11")
def gb11(case: CaseData, ctx: RuleContext) -> Iterator[Finding]:
    days = int(ctx.p("days"))
    end_notes = notes_with(case, ("END_NOTE",), ctx.as_of)
    for u in _uppdrag(case):
        end = u.slutdatum
        if end is None or end > ctx.as_of:
            continue
        due = end + timedelta(days=days)
        candidates = [(n, h) for n, h in end_notes if n.date >= end - timedelta(days=30)]
        with_reason = [(n, h) for n, h in candidates if h.get("gives_reason", True)]
        met = with_reason[0][0].date if with_reason else None
        status = deadline_status(ctx, due, met)
        if status is None:
            continue
        ev = [row_evidence(u.src, end, _u_excerpt(u, f"avslutad {fmt(end)}"))]
        if with_reason:
            ev.append(note_evidence(*with_reason[0]))
        elif candidates:
            ev.append(note_evidence(*candidates[0]))
        if status == "violation" and met is None and candidates:
            msg = f"Slutanteckningen {fmt(candidates[0][0].date)} anger inte skälen till att insatsen avslutades."
        else:
            msg = deadline_message(GB11_TEXTS, status, met, due, days=days, end=end)
        yield finding(ctx, case, status, due, msg, ev, key=f"{end}", unit=u.unit or None, deadline=due)


@check("GB12")
def gb12(case: CaseData, ctx: RuleContext) -> Iterator[Finding]:
    min_visits, min_staff = int(ctx.p("min_visits")), int(ctx.p("min_staff"))
    visits = [(n, h) for n, h in notes_with(case, ("VISIT_DONE",), ctx.as_of) if n.date in ctx.period]
    if len(visits) < min_visits:
        yield finding(ctx, case, "ok", ctx.period.end,
                      f"Regeln gäller inte: {len(visits)} besöksanteckningar under perioden (färre än {min_visits}).",
                      key="period")
        return
    staff = sorted({n.signed_by.strip() for n, _ in visits if n.signed_by.strip()})
    unit = visits[-1][0].unit or None
    if len(staff) >= min_staff:
        yield finding(ctx, case, "ok", ctx.period.end,
                      f"{len(visits)} besöksanteckningar av {len(staff)} olika personal.", key="period", unit=unit)
    else:
        who = staff[0] if staff else "okänd"
        ev = [note_evidence(n, h) for n, h in visits[:5]]
        yield finding(ctx, case, "violation", ctx.period.end,
                      f"{len(visits)} besöksanteckningar under perioden, alla av samma personal ({who}); "
                      f"minst {min_staff} boendestödjare bör vara kopplade till individen.",
                      ev, key="period", unit=unit)
