"""Handlingsplan när en person inte tycker sig ha behov av stöd (HP1)."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.events.structured import case_events
from auditor.findings.model import Finding
from auditor.model.dataset import CaseData
from auditor.rules.checks import check
from auditor.rules.checks.common import first_hit, fmt, note_evidence, occasion
from auditor.rules.context import RuleContext


@check("HP1", events=True)
def hp1(case: CaseData, ctx: RuleContext) -> Iterator[Finding]:
    n_days = int(ctx.p("workdays"))
    for ev in case_events(case, ("CONCERN",), ctx.as_of):
        if ev.date not in ctx.period:
            continue
        due = ctx.calendar.add_workdays(ev.date, n_days)
        contacts = [(n, h) for n in case.notes if ev.date <= n.date <= min(due, ctx.as_of)
                    for h in [first_hit(n, ("CASEWORKER_CONTACT",))] if h is not None]
        evidence = ev.evidence
        if contacts:
            evidence.append(note_evidence(*contacts[0]))
            yield occasion(ctx, case, "ok", ev.date, f"Biståndshandläggaren kontaktades {fmt(contacts[0][0].date)}.",
                          evidence, key=ev.key, unit=ev.unit, deadline=due)
        elif ctx.as_of <= due:
            yield occasion(ctx, case, "warning", ev.date,
                          f"Oro anmäld {fmt(ev.date)}: biståndshandläggaren ska kontaktas senast {fmt(due)}.",
                          evidence, key=ev.key, unit=ev.unit, deadline=due)
        else:
            yield occasion(ctx, case, "violation", ev.date,
                          f"Oro för att personen far illa och inte vill ta emot hjälp ({fmt(ev.date)}), men kontakt med "
                          f"biståndshandläggaren är inte dokumenterad samma dag eller nästa vardag.",
                          evidence, key=ev.key, unit=ev.unit, deadline=due)
