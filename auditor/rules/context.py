"""What a check gets besides the case: its rule, resolved parameters, dates and calendar."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from auditor.model.dataset import Dataset
from auditor.model.workdays import WorkdayCalendar
from auditor.rules.packs import RuleSpec
from auditor.rules.spans import ExportSpans


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    # True when the user gave --from: it is then also the first date of every export.
    explicit: bool = False

    def __contains__(self, d: object) -> bool:
        return isinstance(d, date) and self.start <= d <= self.end


@dataclass(frozen=True)
class RuleContext:
    rule: RuleSpec
    params: dict[str, Any]
    as_of: date
    period: Period
    calendar: WorkdayCalendar
    dataset: Dataset
    unit: str
    spans: ExportSpans = field(default_factory=lambda: ExportSpans(None))

    def p(self, name: str) -> Any:
        return self.params[name]
