"""Botkyrka, boendestöd: när brukare tackar nej (TN1–TN6)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

from auditor.events.structured import Event, case_events
from auditor.findings.model import Evidence, Finding
from auditor.model.dataset import CaseData
from auditor.model.records import Avvikelse, Note, TextHit
from auditor.model.vocab import fold
from auditor.rules.checks import check
from auditor.rules.checks.common import (
    first_hit,
    fmt,
    note_evidence,
    occasion,
    row_evidence,
)
from auditor.rules.context import RuleContext


def _notes_between(case: CaseData, first: date, last: date, labels: tuple[str, ...],
                   as_of: date) -> list[tuple[Note, TextHit]]:
    out = []
    for n in case.notes:
        if n.date < first:
            continue
        if n.date > last or n.date > as_of:
            break
        h = first_hit(n, labels)
        if h is not None:
            out.append((n, h))
    return out


def _judged(ev: Event, ctx: RuleContext) -> bool:
    return ev.date in ctx.period


_MISSED_INSATS = re.compile(r"(utebliven|ej utford|inte utford|installd|avbok|missad|ej genomford)")


def _avvikelse_matches(case: CaseData, ctx: RuleContext, ev: Event) -> tuple[Avvikelse, bool] | None:
    """An avvikelse row for this event: (row, matched_on_unit_only) or None."""
    before = int(ctx.p("deviation_before_days"))
    reported_days = int(ctx.p("deviation_reported_days"))

    def in_window(a: Avvikelse) -> bool:
        if a.occurred and abs((a.occurred - ev.date).days) <= before:
            return True
        return bool(a.reported and 0 <= (a.reported - ev.date).days <= reported_days)

    for a in case.avvikelser:
        if in_window(a):
            return a, False
    for a in ctx.dataset.unit_avvikelser.get(ev.unit or case.primary_unit, []):
        if not in_window(a):
            continue
        text = fold(f"{a.typ} {a.description}")
        if _MISSED_INSATS.search(text):
            return a, True
    return None


def _avv_evidence(a: Avvikelse) -> Evidence:
    parts = [f"Avvikelse {a.id}".strip(), f"typ: {a.typ}" if a.typ else "",
             f"inträffade {fmt(a.occurred)}" if a.occurred else "",
             f"rapporterad {fmt(a.reported)}" if a.reported else "", a.description]
    return row_evidence(a.src, a.occurred or a.reported, ", ".join(p for p in parts if p))


@check("TN1", events=True)
def tn1(case: CaseData, ctx: RuleContext) -> Iterator[Finding]:
    window = int(ctx.p("alt_window_days"))
    for ev in case_events(case, ("SERVICE_CANCEL",), ctx.as_of):
        if not _judged(ev, ctx):
            continue
        due = ev.date + timedelta(days=window)
        evidence = ev.evidence
        alts = _notes_between(case, ev.date, ev.date + timedelta(days=window), ("ALT_OFFERED",), ctx.as_of)
        if alts:
            evidence.append(note_evidence(*alts[0]))
            yield occasion(ctx, case, "ok", ev.date, f"Alternativ erbjöds ({fmt(alts[0][0].date)}).",
                          evidence, key=ev.key, unit=ev.unit, deadline=due)
            continue
        not_possible = _notes_between(case, ev.date, ev.date + timedelta(days=window), ("ALT_NOT_POSSIBLE",), ctx.as_of)
        devs = _notes_between(case, ev.date, ev.date + timedelta(days=int(ctx.p("deviation_before_days"))),
                              ("DEVIATION",), ctx.as_of)
        lead = ("Inget alternativ kunde erbjudas" if not_possible else "Inget erbjudet alternativ är dokumenterat")
        if not_possible:
            evidence.append(note_evidence(*not_possible[0]))
        if devs:
            evidence.append(note_evidence(*devs[0]))
            yield occasion(ctx, case, "ok", ev.date, f"{lead}, och en avvikelse är upprättad enligt journalen.",
                          evidence, key=ev.key, unit=ev.unit, deadline=due)
            continue
        match = _avvikelse_matches(case, ctx, ev)
        if match:
            a, unit_only = match
            evidence.append(_avv_evidence(a))
            how = (" Avvikelsen saknar personnummer och matchades på enhet och datum (typ/beskrivning gäller "
                   "utebliven eller inställd insats).") if unit_only else ""
            yield occasion(ctx, case, "ok", ev.date, f"{lead}, men en avvikelse finns i avvikelseexporten.{how}",
                          evidence, key=ev.key, unit=ev.unit, deadline=due)
            continue
        last_day = ev.date + timedelta(days=max(window, int(ctx.p("deviation_reported_days"))))
        if ctx.as_of < last_day:
            yield occasion(ctx, case, "warning", ev.date,
                          f"Verksamheten avbokade {fmt(ev.date)}. {lead} och ingen avvikelse finns ännu; "
                          f"kontrollera senast {fmt(last_day)}.", evidence, key=ev.key, unit=ev.unit, deadline=due)
        else:
            yield occasion(ctx, case, "violation", ev.date,
                          f"Verksamheten avbokade besöket {fmt(ev.date)}. {lead}, och ingen avvikelse är upprättad "
                          "(varken i journalen eller i avvikelseexporten).", evidence, key=ev.key, unit=ev.unit, deadline=due)


@check("TN2", events=True)
def tn2(case: CaseData, ctx: RuleContext) -> Iterator[Finding]:
    for ev in case_events(case, ("SERVICE_CANCEL",), ctx.as_of):
        if not _judged(ev, ctx):
            continue
        informed = _notes_between(case, ev.date, ev.date, ("INFORMED",), ctx.as_of)
        evidence = ev.evidence
        if informed:
            evidence.append(note_evidence(*informed[0]))
            yield occasion(ctx, case, "ok", ev.date, "Brukaren informerades om avbokningen.", evidence,
                          key=ev.key, unit=ev.unit, deadline=ev.date)
        else:
            yield occasion(ctx, case, "violation", ev.date,
                          f"Verksamheten avbokade {fmt(ev.date)}, men det framgår inte att brukaren informerades.",
                          evidence, key=ev.key, unit=ev.unit, deadline=ev.date)


_NO_REASON = re.compile(r"(ingen orsak|ej angiven|inte angiven|okand|vill(e)? inte saga|uppgav ingen|^-$|^$)")


def _booking_reason(ev: Event) -> str:
    text = ev.reason_text
    return "" if _NO_REASON.search(fold(text)) else text


@check("TN3", events=True)
def tn3(case: CaseData, ctx: RuleContext) -> Iterator[Finding]:
    for ev in case_events(case, ("DECLINE",), ctx.as_of):
        if not _judged(ev, ctx):
            continue
        reasons = _notes_between(case, ev.date, ev.date, ("REASON",), ctx.as_of)
        reasons += [(n, h) for n, h in ev.notes for h in [first_hit(n, ("REASON",))]
                    if h is not None and n.date != ev.date]
        evidence = ev.evidence
        booking_reason = _booking_reason(ev)
        if reasons:
            evidence.append(note_evidence(*reasons[0]))
            yield occasion(ctx, case, "ok", ev.date, "Orsaken till nej är dokumenterad.", evidence,
                          key=ev.key, unit=ev.unit, deadline=ev.date)
        elif booking_reason:
            yield occasion(ctx, case, "ok", ev.date, f"Orsaken finns i bokningen: ”{booking_reason}”.",
                          evidence, key=ev.key, unit=ev.unit, deadline=ev.date)
        else:
            yield occasion(ctx, case, "violation", ev.date,
                          f"Brukaren tackade nej {fmt(ev.date)}, men orsaken är inte dokumenterad.",
                          evidence, key=ev.key, unit=ev.unit, deadline=ev.date)


@check("TN4", events=True)
def tn4(case: CaseData, ctx: RuleContext) -> Iterator[Finding]:
    window = int(ctx.p("window_days"))
    for ev in case_events(case, ("DECLINE",), ctx.as_of):
        if not _judged(ev, ctx):
            continue
        last = ev.date + timedelta(days=window)
        motiv = _notes_between(case, ev.date, last, ("MOTIVATION",), ctx.as_of)
        evidence = ev.evidence
        if motiv:
            evidence.append(note_evidence(*motiv[0]))
            yield occasion(ctx, case, "ok", ev.date, "Motivationsarbetet är dokumenterat.", evidence,
                          key=ev.key, unit=ev.unit, deadline=last)
        elif ctx.as_of < last:
            yield occasion(ctx, case, "warning", ev.date,
                          f"Brukaren tackade nej {fmt(ev.date)}; motivationsarbete ska dokumenteras senast {fmt(last)}.",
                          evidence, key=ev.key, unit=ev.unit, deadline=last)
        else:
            yield occasion(ctx, case, "violation", ev.date,
                          f"Brukaren tackade nej {fmt(ev.date)}, men det framgår inte hur personalen försökte motivera "
                          f"(samma dag eller inom {window} dag).", evidence, key=ev.key, unit=ev.unit, deadline=last)


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
    events = case_events(case, ("DECLINE",), ctx.as_of)
    days = [e.date for e in events]
    for idx in decline_triggers(days, count, within):
        ev = events[idx]
        due = ev.date + timedelta(days=contact_days)
        contacts = _notes_between(case, ev.date, due, ("CASEWORKER_CONTACT",), ctx.as_of)
        run = events[idx - count + 1: idx + 1]
        evidence = [e for r in run for e in r.evidence[:1]]
        dates = ", ".join(fmt(r.date) for r in run)
        met = contacts[0][0].date if contacts else None
        if met is None and ctx.as_of <= due:  # still open: always reported
            yield occasion(ctx, case, "warning", ev.date,
                          f"Brukaren har tackat nej {count} gånger ({dates}); handläggaren ska kontaktas senast {fmt(due)}.",
                          evidence, key=ev.key, unit=ev.unit, deadline=due)
            continue
        if met is not None and ev.date not in ctx.period:
            continue  # met, and outside the audit period
        if contacts:
            evidence.append(note_evidence(*contacts[0]))
            yield occasion(ctx, case, "ok", ev.date,
                          f"Brukaren tackade nej {count} gånger ({dates}); handläggaren kontaktades {fmt(met)}.",
                          evidence, key=ev.key, unit=ev.unit, deadline=due)
        else:
            yield occasion(ctx, case, "violation", ev.date,
                          f"Brukaren tackade nej {count} gånger inom {within} dagar ({dates}), men kontakt med ansvarig "
                          f"handläggare är inte dokumenterad inom {contact_days} dagar.", evidence, key=ev.key, unit=ev.unit, deadline=due)


@check("TN6", events=True)
def tn6(case: CaseData, ctx: RuleContext) -> Iterator[Finding]:
    window = int(ctx.p("window_days"))
    for ev in case_events(case, ("DECLINE",), ctx.as_of):
        if not _judged(ev, ctx):
            continue
        due = ev.date + timedelta(days=window)
        contacts = _notes_between(case, ev.date + timedelta(days=1), due,
                                  ("CONTACT", "CONTACT_ATTEMPT", "VISIT_DONE"), ctx.as_of)
        done = [b for b in case.bookings if ev.date < b.date <= min(due, ctx.as_of) and b.status == "done"]
        evidence = ev.evidence
        if contacts:
            evidence.append(note_evidence(*contacts[0]))
            yield occasion(ctx, case, "ok", ev.date, f"Nästa kontakt eller kontaktförsök {fmt(contacts[0][0].date)}.",
                          evidence, key=ev.key, unit=ev.unit, deadline=due)
        elif done:
            evidence.append(row_evidence(done[0].src, done[0].date, f"Besök {fmt(done[0].date)}, status: {done[0].status_text}"))
            yield occasion(ctx, case, "ok", ev.date, f"Nästa besök genomfördes {fmt(done[0].date)}.", evidence,
                          key=ev.key, unit=ev.unit, deadline=due)
        elif ctx.as_of <= due:
            yield occasion(ctx, case, "warning", ev.date,
                          f"Brukaren tackade nej {fmt(ev.date)}; nästa kontakt eller kontaktförsök ska ske senast {fmt(due)}.",
                          evidence, key=ev.key, unit=ev.unit, deadline=due)
        else:
            yield occasion(ctx, case, "violation", ev.date,
                          f"Brukaren tackade nej {fmt(ev.date)}, och ingen kontakt eller kontaktförsök är dokumenterad "
                          f"inom {window} dagar.", evidence, key=ev.key, unit=ev.unit, deadline=due)
