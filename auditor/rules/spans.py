"""What span of time the exports cover: the period's default start and the history guards.

An export is taken out for whole months, and its first days are often holidays with no
records, so the first date of an export is the first day of the month of its earliest
date, or the ``--from`` date when one is given (catalogue, "History before the export").
Assignment and plan dates (a beslut from years ago) never extend the period.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from auditor.model.dataset import Dataset


def month_start(d: date) -> date:
    return d.replace(day=1)


@dataclass(frozen=True)
class ExportSpans:
    # earliest date in the event exports (journal, bookings, stays, avvikelser)
    event_first: date | None
    # earliest journal date per unit
    journal_first: dict[str, date] = field(default_factory=dict)
    # earliest upprättad date of the plans export per unit
    plan_first: dict[str, date] = field(default_factory=dict)
    # the --from date, when given
    explicit_from: date | None = None
    # run-wide values the rules compute once (the who-is-who model ...)
    memo: dict = field(default_factory=dict, compare=False, hash=False)

    def period_start(self) -> date | None:
        """The default period's first day: the month of the earliest event-export date."""
        if self.explicit_from:
            return self.explicit_from
        return month_start(self.event_first) if self.event_first else None

    def journal_start(self, *units: str) -> date | None:
        """First date of the journal export for the first of ``units`` that has one.

        Falls back to the earliest journal date of any unit; None without a journal.
        """
        if self.explicit_from:
            return self.explicit_from
        for u in units:
            if u and u in self.journal_first:
                return month_start(self.journal_first[u])
        if self.journal_first:
            return month_start(min(self.journal_first.values()))
        return None

    def plan_start(self, *units: str) -> date | None:
        """Earliest upprättad date in the plans export for the unit (any unit as fallback)."""
        for u in units:
            if u and u in self.plan_first:
                return self.plan_first[u]
        return min(self.plan_first.values()) if self.plan_first else None


def export_spans(dataset: Dataset, explicit_from: date | None = None) -> ExportSpans:
    journal: dict[str, date] = {u: s for u, (s, _) in dataset.journal_span.items()}
    if dataset.wide:  # computed over all inputs, whichever chunk of cases this dataset holds
        return ExportSpans(event_first=dataset.event_first, journal_first=journal,
                           plan_first=dict(dataset.plan_first), explicit_from=explicit_from)
    firsts: list[date] = []
    plans: dict[str, date] = {}
    for c in dataset.cases.values():
        if c.notes:
            firsts.append(c.notes[0].date)
        if c.bookings:
            firsts.append(c.bookings[0].date)
        firsts += [s.start.date() for s in c.stays[:1]]
        firsts += [d for a in c.avvikelser if (d := a.occurred or a.reported)]
        for p in c.plans:
            if p.upprattad and (p.unit not in plans or p.upprattad < plans[p.unit]):
                plans[p.unit] = p.upprattad
    for rows in dataset.unit_avvikelser.values():
        firsts += [d for a in rows if (d := a.occurred or a.reported)]
    return ExportSpans(event_first=min(firsts) if firsts else None, journal_first=journal,
                       plan_first=plans, explicit_from=explicit_from)
