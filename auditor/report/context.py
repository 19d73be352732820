"""The template context: what index.html and each unit report show, as plain dataclasses.

Everything a template prints comes from these classes; templates do no counting or
sorting of their own. Text is plain (never HTML): the templates escape it. Evidence excerpts
are split into ``before``/``marked``/``after`` so the template can wrap the deciding words in
``<mark>`` without any HTML being built here.

Page layout (``unit.html``): a printable summary (``#sammanfattning``: headline, the top items
to act on, upcoming deadlines, items to follow up with the myndighet, rates per rule), then the
detail that prints only when asked for (class ``detail``): the rate chart, every finding per
brukare (``#brukare``), the rules and routines. The history stage adds its blocks as template
partials (``_changes.html``, ``_trends.html``, ``_review.html``, ``_review_stats.html``) that
read their own ``history`` variable.
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


@dataclass(frozen=True)
class CountCard:
    """One summary card: a number and its noun agreeing with it ("1 brist", "83 brister")."""

    status: str
    n: int
    noun: str


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
    # In words: "Journalanteckning 2026-06-22, signerad Karin D., rad 1294 i journal_norr.csv"
    words: str
    location: str  # "journal.csv, rad 12" (file, sheet, row only)
    date: str
    signer: str
    before: str
    marked: str  # the deciding words; "" when the evidence has no span
    after: str
    clipped_start: bool  # the excerpt was shortened before ``before``
    clipped_end: bool
    also: str = ""  # the same text on other rows: "även rad 1205 (2026-05-19)"


@dataclass(frozen=True)
class RateView:
    """Compliance of one rule in one unit: (judged - violation) / judged, as in findings.json."""

    unit: str
    rule: str
    rule_title: str
    anchor: str  # the rule's section in the unit report
    judged: int
    violation: int
    warning: int
    ok: int
    not_evaluated: int
    without_events: int
    reviewed_away: int
    percent: int | None  # rounded down; None when nothing was judged
    basis_noun: str  # "tillfällen" (event rules) or "brukare"
    judged_text: str  # "10 brister av 12 tillfällen"
    band: str  # "lag" (< 80 %), "medel" (80-94 %), "hog" (>= 95 %), "ingen" (not judged)
    band_label: str  # Swedish words for the band, so colour is never the only cue
    violation_w: int  # bar segment widths in whole percent of the bar
    warning_w: int
    ok_w: int


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
    date: str  # the event's date ("" when there is none)
    deadline: str  # "" when the rule has no deadline
    case: str
    case_label: str
    person_anchor: str
    message: str
    action: str
    responsible: str  # "utförare" | "myndighet"
    responsible_label: str
    evidence: list[EvidenceView]
    searched: str  # for an absence: what was searched, in words; "" otherwise
    routine: str  # "Pack title, avsnitt Section"
    expired: bool
    valid_until: str
    local_default: bool
    change: str = ""  # "Ny" / "Kvarstår" when the history stage has compared runs


@dataclass(frozen=True)
class DeadlineView:
    """An open deadline coming up: what must be done for whom by when."""

    deadline: str
    days_left: int
    days_text: str  # "i dag", "om 1 dag", "om 12 dagar"
    finding: FindingView


@dataclass(frozen=True)
class PersonView:
    """One brukare in a unit: all their violations and warnings together."""

    case: str
    label: str
    anchor: str
    insats: str
    insats_inferred: bool
    counts: Counts
    counts_text: str  # "2 brister och 1 risk"
    worst_severity_label: str
    worst_rank: int
    rules: str
    findings: list[FindingView]


@dataclass(frozen=True)
class NotEvaluatedGroup:
    """Cases a rule could not check, grouped by the message saying which data is missing."""

    message: str
    cases: list[str]
    count_text: str  # "3 brukare"


@dataclass(frozen=True)
class PersonLink:
    label: str
    anchor: str
    counts_text: str


@dataclass(frozen=True)
class RuleView:
    id: str
    anchor: str
    name: str
    title: str
    severity: str
    severity_label: str
    strength: str
    responsible_label: str
    action: str
    section: str
    quote: str
    pack: PackView | None
    expired: bool
    local_default: bool
    local_default_note: str
    counts: Counts
    rate: RateView | None
    persons: list[PersonLink]
    not_evaluated: list[NotEvaluatedGroup]
    ok_not_due: int  # ok findings whose deadline has not come yet ("ej förfallen")


@dataclass(frozen=True)
class UnitSummary:
    unit: str
    label: str
    filename: str
    counts: Counts
    severity_counts: list[SeverityCount]
    persons: int


@dataclass(frozen=True)
class MatrixRow:
    """One rule across the units (the index's unit × rule table)."""

    rule: str
    rule_title: str
    cells: list[RateView | None]  # one per unit, in the order of IndexPage.units


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
    problems_text: str  # "2 problem"
    anchor: str


@dataclass(frozen=True)
class IndexPage:
    meta: Meta
    totals: Counts
    cards: list[CountCard]
    severity_counts: list[SeverityCount]
    units: list[UnitSummary]
    matrix: list[MatrixRow]
    packs: list[PackView]
    inputs: list[InputView]
    inputs_rejected: int


@dataclass(frozen=True)
class UnitPage:
    meta: Meta
    unit: str
    label: str
    filename: str
    headline: str  # "11 brister och 4 risker hos 9 brukare. 19 regler granskades."
    counts: Counts
    cards: list[CountCard]
    severity_counts: list[SeverityCount]
    actions: list[FindingView]  # the most urgent of the unit's own, for the summary
    actions_total: int  # every violation and warning the unit must act on
    print_actions: int  # how many of ``actions`` the printed summary shows
    authority: list[FindingView]  # the myndighet must act: "Att bevaka hos myndigheten"
    deadlines: list[DeadlineView]  # open deadlines due within DEADLINE_DAYS
    deadline_days: int
    persons: list[PersonView]
    rates: list[RateView]  # worst rate first
    rules: list[RuleView]
    packs: list[PackView]
    rule_options: list[tuple[str, str]] = field(default_factory=list)
