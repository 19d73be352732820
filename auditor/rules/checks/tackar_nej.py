"""Botkyrka, boendestöd: när brukare tackar nej (TN5; TN1–TN4 and TN6 are data in rules/tn.yaml).

TN5 is irregular: its trigger is a *run* of declines (three on distinct days within 30 days),
and each run triggers once.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from auditor.events.occasions import evidence_in, occasions
from auditor.findings.model import Finding
from auditor.model.dataset import CaseData
from auditor.rules.checks.common import fmt, note_evidence, occasion
from auditor.rules.checks.registry import check
from auditor.rules.context import RuleContext
from auditor.rules.generic import occasion_evidence


def decline_triggers(days: list[date], count: int, within: int) -> list[int]:
    """Indexes of the decline that completes each run (count declines within `within` days).

    Counting starts again after the decline that triggered, so a fourth or fifth decline
    in the same run adds no new trigger.
    """
    out, i = [], 0
    while i + count - 1 < len(days):
        if (days[i + count - 1] - days[i]).days <= within:
            out.append(i + count - 1)
            i += count
        else:
            i += 1
    return out


@check("TN5", events=True)
def tn5(case: CaseData, ctx: RuleContext) -> Iterator[Finding]:
    count, within, contact_days = int(ctx.p("declines")), int(ctx.p("within_days")), int(ctx.p("contact_days"))
    declines = [o for o in occasions(case, "DECLINE", ctx.as_of) if not o.uncertain]
    for idx in decline_triggers([o.date for o in declines], count, within):
        third = declines[idx]
        due = third.date + timedelta(days=contact_days)
        # The caseworker contact falls between the third decline's day and 14 days after it.
        contacts = evidence_in(case, ("CASEWORKER_CONTACT",), third.date, due, ctx.as_of)
        run = declines[idx - count + 1: idx + 1]
        evidence = [e for r in run for e in occasion_evidence(r)[:1]]
        dates = ", ".join(fmt(r.date) for r in run)
        met = contacts[0][0].date if contacts else None
        if met is None and ctx.as_of <= due:  # still open: always reported
            yield occasion(ctx, case, "warning", third.date,
                           f"Brukaren har tackat nej {count} gånger ({dates}); handläggaren ska kontaktas senast {fmt(due)}.",
                           evidence, key=third.key, unit=third.unit, deadline=due)
            continue
        if met is not None and third.date not in ctx.period:
            continue  # met, and outside the audit period
        if contacts:
            evidence.append(note_evidence(*contacts[0]))
            yield occasion(ctx, case, "ok", third.date,
                           f"Brukaren tackade nej {count} gånger ({dates}); handläggaren kontaktades {fmt(met)}.",
                           evidence, key=third.key, unit=third.unit, deadline=due)
        else:
            yield occasion(ctx, case, "violation", third.date,
                           f"Brukaren tackade nej {count} gånger inom {within} dagar ({dates}), men kontakt med ansvarig "
                           f"handläggare är inte dokumenterad inom {contact_days} dagar.", evidence, key=third.key,
                           unit=third.unit, deadline=due)
