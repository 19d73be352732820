"""Dokumentationskvalitet enligt SOSFS 2014:5 (DOK1–DOK3), valfritt paket."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from auditor.findings.model import Finding
from auditor.model.dataset import CaseData
from auditor.model.dates import parse_date_text
from auditor.model.vocab import fold
from auditor.rules.checks.common import finding, fmt, note_evidence
from auditor.rules.checks.registry import check
from auditor.rules.context import RuleContext


@check("DOK1")
def dok1(case: CaseData, ctx: RuleContext) -> Iterator[Finding]:
    hits = 0
    for n in case.notes:
        if n.date > ctx.as_of or n.date not in ctx.period:
            continue
        words = [h for h in n.hits if h.label == "VALUE_WORD" and h.asserted]
        if words:
            hits += 1
            shown = ", ".join(sorted({n.text[h.start:h.end].lower() for h in words}))
            yield finding(ctx, case, "warning", n.date,
                          f"Värdeladdat ord om brukaren: {shown}. Beskriv i stället vad som hände.",
                          [note_evidence(n, h) for h in words[:3]], key=f"{n.src.input}:{n.src.row}",
                          unit=n.unit or None)
    if not hits:
        yield finding(ctx, case, "ok", ctx.period.end, "Inga värdeladdade ord hittades i periodens anteckningar.",
                      key="period")


def _signed_on(n) -> tuple[bool, date | None]:
    """(signed?, signing date if known)."""
    if n.signed_date:
        return True, n.signed_date
    text = fold(n.signed or "")
    parsed = parse_date_text(n.signed or "")
    if parsed is not None:
        return True, date(parsed.y, parsed.m, parsed.d)
    if not text or "ej" in text or "inte" in text or "utkast" in text or "osign" in text:
        return False, None
    return ("signerad" in text or text in ("ja", "x")), None


@check("DOK2")
def dok2(case: CaseData, ctx: RuleContext) -> Iterator[Finding]:
    days = int(ctx.p("days"))
    bad = 0
    for n in case.notes:
        if n.date > ctx.as_of or n.date not in ctx.period:
            continue
        signed, when = _signed_on(n)
        due = n.date + timedelta(days=days)
        key = f"{n.src.input}:{n.src.row}"
        if signed and (when is None or when <= due):
            continue
        bad += 1
        if signed:
            msg = f"Anteckningen från {fmt(n.date)} signerades först {fmt(when)} (mer än {days} dagar)."
            status = "violation"
        elif ctx.as_of > due:
            msg = f"Anteckningen från {fmt(n.date)} är inte signerad (status: {n.signed or 'tom'})."
            status = "violation"
        else:
            msg = f"Anteckningen från {fmt(n.date)} är ännu inte signerad; signera senast {fmt(due)}."
            status = "warning"
        yield finding(ctx, case, status, n.date, msg, [note_evidence(n)], key=key, unit=n.unit or None,
                      deadline=due)
    if not bad:
        yield finding(ctx, case, "ok", ctx.period.end, "Alla anteckningar under perioden är signerade i tid.", key="period")


@check("DOK3")
def dok3(case: CaseData, ctx: RuleContext) -> Iterator[Finding]:
    days = int(ctx.p("days"))
    late = 0
    for n in case.notes:
        if n.date > ctx.as_of or n.date not in ctx.period or n.registered is None:
            continue
        if (n.registered - n.date).days > days:
            late += 1
            yield finding(ctx, case, "violation", n.date,
                          f"Händelsen {fmt(n.date)} registrerades först {fmt(n.registered)} "
                          f"({(n.registered - n.date).days} dagar senare).",
                          [note_evidence(n)], key=f"{n.src.input}:{n.src.row}", unit=n.unit or None)
    if not late:
        yield finding(ctx, case, "ok", ctx.period.end, f"Alla anteckningar registrerades inom {days} dagar.", key="period")
