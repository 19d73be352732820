"""Botkyrka, avlösning/ledsagning/kontaktperson: ny brukare (NB1–NB2)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from auditor.findings.model import Finding
from auditor.model.dataset import CaseData
from auditor.model.records import Uppdrag
from auditor.rules.checks import check
from auditor.rules.checks.common import (
    deadline_status,
    finding,
    first_hit,
    fmt,
    history_missing,
    not_evaluated,
    note_evidence,
    plans_missing,
    row_evidence,
)
from auditor.rules.checks.plans import first_finished_plan, plan_evidence
from auditor.rules.context import RuleContext


def _new_uppdrag(case: CaseData, ctx: RuleContext) -> list[Uppdrag]:
    """Assignments in the rule's scope that were verkställda in the audit period."""
    return [u for u in case.uppdrag if u.insats in ctx.rule.scope and u.verkstallighetsdatum
            and u.verkstallighetsdatum in ctx.period and u.verkstallighetsdatum <= ctx.as_of]


def _excerpt(u: Uppdrag) -> str:
    return f"Uppdrag – insats: {u.insats_text or u.insats}, verkställd {fmt(u.verkstallighetsdatum)}"


@check("NB1")
def nb1(case: CaseData, ctx: RuleContext) -> Iterator[Finding]:
    days = int(ctx.p("days"))
    for u in _new_uppdrag(case, ctx):
        verk = u.verkstallighetsdatum
        due = verk + timedelta(days=days)
        ev = [row_evidence(u.src, verk, _excerpt(u))]
        if case.has("plan") or ctx.dataset.has_kind("plan"):
            plan = first_finished_plan(case.plans, since=u.uppdrag_inkommit or u.beslutsdatum or verk,
                                       insats=None, as_of=ctx.as_of)
            met = plan.upprattad if plan else None
            if plan:
                ev.append(plan_evidence(plan))
        else:
            done = [(n, h) for n in case.notes if verk - timedelta(days=30) <= n.date <= ctx.as_of
                    for h in [first_hit(n, ("PLAN_DONE",))] if h is not None]
            if not case.notes:
                yield not_evaluated(ctx, case, "Ej granskad: varken planexport eller journal finns för ärendet.",
                                    unit=u.unit or None)
                continue
            met = done[0][0].date if done else None
            if done:
                ev.append(note_evidence(*done[0]))
        status = deadline_status(ctx, due, met)
        if status is None:
            continue
        plans_from = ctx.spans.plan_start(u.unit, case.primary_unit) if ctx.dataset.has_kind("plan") else None
        if status == "violation" and plans_from is not None and due < plans_from:
            yield not_evaluated(ctx, case, plans_missing(plans_from, due), key=f"ne:{verk}",
                                unit=u.unit or None, d=due, deadline=due)
            continue
        assumption = f" ({days} dagar är granskningens antagande; rutinen anger ingen frist.)"
        if met and met <= due:
            msg = f"Genomförandeplan klar {fmt(met)}."
        elif met:
            msg = f"Genomförandeplanen blev klar först {fmt(met)}, mer än {days} dagar efter start {fmt(verk)}." + assumption
        elif status == "violation":
            msg = f"Ny brukare (start {fmt(verk)}) saknar genomförandeplan {days} dagar efter start." + assumption
        elif status == "warning":
            msg = f"Ny brukare: genomförandeplan saknas ännu; senast {fmt(due)}." + assumption
        else:
            msg = f"Ej förfallen: genomförandeplan senast {fmt(due)}." + assumption
        yield finding(ctx, case, status, due, msg, ev, key=f"{verk}", unit=u.unit or None, deadline=due)


@check("NB2")
def nb2(case: CaseData, ctx: RuleContext) -> Iterator[Finding]:
    grace = int(ctx.p("grace_days"))
    for u in _new_uppdrag(case, ctx):
        verk = u.verkstallighetsdatum
        due = verk + timedelta(days=grace)
        ev = [row_evidence(u.src, verk, _excerpt(u))]
        js = ctx.spans.journal_start(u.unit, case.primary_unit)
        if js is None or verk < js:
            yield not_evaluated(ctx, case, history_missing() + f" (verkställd {fmt(verk)})", key=f"ne:{verk}",
                                unit=u.unit or None, d=verk, deadline=due)
            continue
        packs = [(n, h) for n in case.notes if verk - timedelta(days=30) <= n.date <= ctx.as_of
                 for h in [first_hit(n, ("WELCOME_PACK",))] if h is not None]
        if packs:
            ev.append(note_evidence(*packs[0]))
            yield finding(ctx, case, "ok", verk, f"Välkomstmappen lämnad/skickad {fmt(packs[0][0].date)}.", ev,
                          key=f"{verk}", unit=u.unit or None, deadline=due)
        elif (ctx.as_of - verk).days <= grace:
            yield finding(ctx, case, "warning", verk,
                          f"Ny brukare sedan {fmt(verk)}: det är ännu inte dokumenterat att välkomstmappen lämnats.",
                          ev, key=f"{verk}", unit=u.unit or None, deadline=due)
        else:
            yield finding(ctx, case, "violation", verk,
                          f"Ny brukare sedan {fmt(verk)}: det är inte dokumenterat att välkomstmappen lämnats eller skickats.",
                          ev, key=f"{verk}", unit=u.unit or None, deadline=due)
