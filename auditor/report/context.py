"""The template context: what index.html and each unit report show, as plain dataclasses.

Everything a template prints comes from these classes; templates do no counting or
sorting of their own. Text is plain (never HTML): the templates escape it. Evidence excerpts
are split into ``before``/``marked``/``after`` so the template can wrap the deciding words in
``<mark>`` without any HTML being built here.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Meta:
    """Shown on every page. ``generated_at`` is printed in one place only (the footer)."""

    title: str
    version: str
    as_of: str
    period_from: str
    period_to: str
    generated_at: str
    pseudonymized: bool
    csp: str  # the Content-Security-Policy, with hashes of the page's own style and script


@dataclass(frozen=True)
class Counts:
    violation: int = 0
    warning: int = 0
    ok: int = 0
    not_evaluated: int = 0

    @property
    def evaluated(self) -> int:
        """Findings where the rule could be checked: violation + warning + ok."""
        return self.violation + self.warning + self.ok

    @property
    def action(self) -> int:
        return self.violation + self.warning

    @property
    def total(self) -> int:
        return self.evaluated + self.not_evaluated

    @property
    def violation_percent(self) -> int | None:
        if not self.evaluated:
            return None
        return round(100 * self.violation / self.evaluated)


@dataclass(frozen=True)
class SeverityCount:
    severity: str  # critical|high|medium|low
    label: str  # Kritisk, Hög, ...
    count: int


@dataclass(frozen=True)
class PackView:
    name: str
    title: str
    issuer: str
    source: str
    version: str
    decided: str
    valid_until: str  # "" for tills vidare
    expired: bool
    optional: bool


@dataclass(frozen=True)
class EvidenceView:
    location: str  # "journal.csv, rad 12" or "uppdrag.xlsx, blad Uppdrag, rad 4"
    date: str
    before: str
    marked: str  # the deciding words; "" when the evidence has no span
    after: str
    clipped_start: bool  # the excerpt was shortened before ``before``
    clipped_end: bool


@dataclass(frozen=True)
class FindingView:
    id: str
    anchor: str
    rule: str
    rule_title: str
    status: str
    status_label: str
    severity: str
    severity_label: str
    strength: str
    date: str
    case: str
    case_label: str
    message: str
    evidence: list[EvidenceView]
    routine: str  # "Pack title, avsnitt Section"
    expired: bool
    valid_until: str
    local_default: bool


@dataclass(frozen=True)
class CaseGroup:
    """One case's findings that need action under one rule (a collapsible block)."""

    case: str
    label: str
    anchor: str
    counts: Counts
    findings: list[FindingView]


@dataclass(frozen=True)
class NotEvaluatedGroup:
    """Cases a rule could not check, grouped by the message saying which data is missing."""

    message: str
    cases: list[str]


@dataclass(frozen=True)
class RuleView:
    id: str
    anchor: str
    name: str
    title: str
    severity: str
    severity_label: str
    strength: str
    section: str
    quote: str
    pack: PackView | None
    expired: bool
    local_default: bool
    local_default_note: str
    counts: Counts
    groups: list[CaseGroup]
    not_evaluated: list[NotEvaluatedGroup]
    ok_not_due: int  # ok findings whose deadline has not come yet ("ej förfallen")


@dataclass(frozen=True)
class ChartRow:
    rule: str
    y: int
    violation_w: float
    warning_x: float
    warning_w: float
    ok_x: float
    ok_w: float
    text: str  # "3 brister av 40 granskade (8 %)" or "Ej granskad"
    counts: Counts


@dataclass(frozen=True)
class ChartView:
    """A horizontal bar per rule: brist, risk and uppfyllt as parts of the checked findings."""

    id: str
    title: str
    desc: str
    width: int
    height: int
    label_x: int
    bar_x: int
    bar_width: int
    text_x: int
    row_height: int
    bar_height: int
    rows: list[ChartRow]


@dataclass(frozen=True)
class CaseSummary:
    """A case that needs action, for the unit's summary table."""

    case: str
    label: str
    insats: str
    insats_inferred: bool
    violation: int
    warning: int
    worst_severity: str
    worst_severity_label: str
    worst_rank: int
    rules: str
    first_anchor: str


@dataclass(frozen=True)
class UnitSummary:
    unit: str
    label: str
    filename: str
    counts: Counts
    severity_counts: list[SeverityCount]
    chart: ChartView


@dataclass(frozen=True)
class ProblemView:
    row: str
    column: str
    message: str


@dataclass(frozen=True)
class InputView:
    path: str
    sheet: str
    kind: str
    kind_label: str
    rows_read: int
    rows_used: int
    rows_excluded: int
    rows_rejected: int
    excluded: list[tuple[str, int]]
    error: str
    closest_kind_label: str
    problems: list[ProblemView]
    problems_total: int
    anchor: str


@dataclass(frozen=True)
class IndexPage:
    meta: Meta
    totals: Counts
    severity_counts: list[SeverityCount]
    units: list[UnitSummary]
    packs: list[PackView]
    inputs: list[InputView]
    inputs_rejected: int


@dataclass(frozen=True)
class UnitPage:
    meta: Meta
    unit: str
    label: str
    filename: str
    counts: Counts
    severity_counts: list[SeverityCount]
    actions: list[FindingView]  # the most urgent violations and warnings, in order
    actions_total: int
    cases: list[CaseSummary]
    rules: list[RuleView]
    chart: ChartView
    packs: list[PackView]
    rule_options: list[tuple[str, str]] = field(default_factory=list)
