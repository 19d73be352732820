"""Göteborg, verksamhetshandbok boendestöd (GB1–GB12)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from auditor.events.structured import speaks_of
from auditor.findings.model import Finding
from auditor.model.dataset import CaseData
from auditor.model.records import Note, TextHit, Uppdrag
from auditor.rules.checks.common import (
    DeadlineTexts,
    deadline_message,
    deadline_status,
    finding,
    first_hit,
    fmt,
    history_missing,
    not_evaluated,
    note_evidence,
    notes_with,
    row_evidence,
)
from auditor.rules.checks.plans import (
    crisis_plan_names_contact,
    current_plan,
    plan_evidence,
    shows_participation,
)
from auditor.rules.checks.registry import check
from auditor.rules.context import RuleContext
from auditor.rules.generic import scoped_uppdrag, uppdrag_excerpt

SCOPE = "boendestod"
SMART_LABEL = {"specific": "en konkret aktivitet", "measurable": "ett mått", "time_bound": "en tidsgräns"}
GB8_TEXTS = DeadlineTexts(
    in_time="Sammanställning {met}, inom {max_days} dagar från {prev}.",
    late="Sammanställning först {met}: mer än {max_days} dagar efter {prev} (frist {due}).",
    missed="Ingen sammanställning av daganteckningar sedan {prev}: fristen {due} har passerat.",
    open="Nästa sammanställning av daganteckningar ska skrivas senast {due}.",
    not_due="Ej förfallen: nästa sammanställning senast {due}.",
)


def _journal_start(ctx: RuleContext, case: CaseData, unit: str) -> date | None:
    """The first date of the journal export that covers the case (catalogue: history guard)."""
    return ctx.spans.journal_start(unit, case.notes[0].unit if case.notes else "")


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
    for u in scoped_uppdrag(case, (SCOPE,)):
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
                                  [row_evidence(u.src, verk, uppdrag_excerpt(u, f"verkställd {fmt(verk)}"))],
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
        ev = [row_evidence(u.src, u.verkstallighetsdatum, uppdrag_excerpt(u, f"verkställd {fmt(u.verkstallighetsdatum)}"))]
    msg = deadline_message(GB8_TEXTS, status, met, due, max_days=max_days, prev=prev)
    return finding(ctx, case, status, due, msg, ev, key=f"{due}", unit=u.unit or None, deadline=due)


_NO_VISIT = ("DECLINE", "SERVICE_CANCEL", "NOT_HOME", "CANCELLED", "HOSPITAL")


def _visit(n: Note) -> TextHit | bool | None:
    """Does the note record a visit or activity carried out with the individual?

    Its text says so (VISIT_DONE), or it is a visit note by its sökord (lexicon
    ``visit_note``) and reports no cancellation, decline, ej hemma or admission. Returns the
    deciding hit, None for a visit note without one, False for no visit.
    """
    hit = first_hit(n, ("VISIT_DONE",))
    if hit is not None:
        return hit
    if n.sokord and speaks_of(n.sokord, "visit_note") and first_hit(n, _NO_VISIT) is None:
        return None
    return False


@check("GB12")
def gb12(case: CaseData, ctx: RuleContext) -> Iterator[Finding]:
    min_visits, min_staff = int(ctx.p("min_visits")), int(ctx.p("min_staff"))
    visits = [(n, h) for n in case.notes_between(ctx.period.start, min(ctx.period.end, ctx.as_of))
              for h in [_visit(n)] if h is not False]
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
        ev = [note_evidence(n, h if isinstance(h, TextHit) else None) for n, h in visits[:5]]
        yield finding(ctx, case, "violation", ctx.period.end,
                      f"{len(visits)} besöksanteckningar under perioden, alla av samma personal ({who}); "
                      f"minst {min_staff} boendestödjare bör vara kopplade till individen.",
                      ev, key="period", unit=unit)
