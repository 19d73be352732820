"""Shared building blocks for checks: evidence from rows, deadline verdicts, date helpers."""

from __future__ import annotations

import calendar as _cal
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from auditor.events.evidence import EXCERPT_MAX, note_evidence, row_evidence
from auditor.findings.model import Evidence, Finding
from auditor.model.dataset import CaseData
from auditor.model.records import Note, TextHit
from auditor.rules.context import RuleContext

__all__ = ["EXCERPT_MAX", "note_evidence", "row_evidence"]  # re-exported for the checks


def fmt(d: date | None) -> str:
    return d.isoformat() if d else "okänt datum"


def add_months(d: date, months: int) -> date:
    """Calendar months: 10 Aug + 1 = 10 Sep; 31 Jan + 1 = 28/29 Feb."""
    m = d.month - 1 + months
    year, month = d.year + m // 12, m % 12 + 1
    return date(year, month, min(d.day, _cal.monthrange(year, month)[1]))


def first_hit(note: Note, labels: Iterable[str]) -> TextHit | None:
    labels = tuple(labels)
    for h in note.hits:
        if h.label in labels and h.asserted:
            return h
    return None


def notes_with(case: CaseData, labels: Iterable[str], as_of: date) -> list[tuple[Note, TextHit]]:
    """Notes (up to the as-of date) with an asserted hit of any of the labels."""
    return case.notes_with(tuple(labels), None, as_of)  # the case's label/date index


def finding(ctx: RuleContext, case: CaseData, status: str, d: date | None, message: str,
            evidence: list[Evidence] | None = None, key: str = "", unit: str | None = None, *,
            deadline: date | None = None, basis: str = "case") -> Finding:
    """A finding of the context's rule.

    ``d`` is the event's day (or the deadline's where there is no event); ``deadline`` the
    deadline it is judged against, if any; ``basis`` "occasion" for one event of an event rule,
    "case" for a rule judged per case or deadline.
    """
    return Finding(
        rule=ctx.rule.id, severity=ctx.rule.severity, status=status,
        unit=unit or ctx.unit or case.primary_unit, case=case.case, date=d, message=message,
        evidence=list(evidence or []), key=key or (d.isoformat() if d else ""),
        basis=basis, deadline=deadline,
    )


def occasion(ctx: RuleContext, case: CaseData, status: str, d: date, message: str,
             evidence: list[Evidence] | None = None, key: str = "", unit: str | None = None, *,
             deadline: date | None = None) -> Finding:
    """A finding about one occasion of an event rule (``d`` is the event's day)."""
    return finding(ctx, case, status, d, message, evidence, key=key, unit=unit, deadline=deadline,
                   basis="occasion")


def not_evaluated(ctx: RuleContext, case: CaseData, message: str, key: str = "ne",
                  unit: str | None = None, d: date | None = None, deadline: date | None = None) -> Finding:
    return finding(ctx, case, "not_evaluated", d, message, key=key, unit=unit, deadline=deadline)


def deadline_status(ctx: RuleContext, due: date, met: date | None,
                    warn_from: date | None = None) -> str | None:
    """Verdict for a deadline: violation, warning, ok, or None when outside the period.

    - met on or before the deadline: ok (reported when the deadline or the deed is in the period);
    - met after the deadline: violation (same reporting);
    - not met and the as-of date is past the deadline: violation, whatever the period;
    - not met and not yet due: warning inside the warning window, else ok ("ej förfallen").
    """
    if met is not None:
        if due not in ctx.period and met not in ctx.period:
            return None
        return "ok" if met <= due else "violation"
    if ctx.as_of > due:
        return "violation"
    if warn_from is None:
        warn_from = due - timedelta(days=int(ctx.params.get("warning_days", 7)) - 1)
    return "warning" if ctx.as_of >= warn_from else "ok"


@dataclass(frozen=True)
class DeadlineTexts:
    """A deadline rule's Swedish wording for each verdict (filled with str.format)."""

    in_time: str  # met on or before the deadline
    late: str  # met after the deadline
    missed: str  # not met, the deadline has passed
    open: str  # not met, inside the warning window
    not_due: str  # not met, before the warning window


def deadline_message(texts: DeadlineTexts, status: str, met: date | None, due: date, **values) -> str:
    """The message for a deadline verdict; ``met``/``due`` and ``values`` fill the template."""
    if met is not None:
        template = texts.in_time if met <= due else texts.late
    else:
        template = {"violation": texts.missed, "warning": texts.open}.get(status, texts.not_due)
    return template.format(met=fmt(met), due=fmt(due), **{k: fmt(v) if isinstance(v, date) else v
                                                          for k, v in values.items()})


def history_missing() -> str:
    return "Underlag saknas före exportens start: det som hände före journalexportens första datum går inte att bedöma."


def plans_missing(plans_from: date, due: date) -> str:
    return (f"Underlag saknas före exportens start: planexportens tidigaste plan är upprättad {fmt(plans_from)}, "
            f"efter fristen {fmt(due)}, så en plan i tid kan ha ersatts och inte finnas med.")
