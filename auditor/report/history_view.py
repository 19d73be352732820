"""What the history partials show (``_changes.html``, ``_trends.html``, ``_review.html``,
``_review_stats.html``): change since the last audit, review decisions and trends, as plain
dataclasses built from ``result.history``. Templates do no counting of their own.

Pages get it as the ``history`` variable (None with --no-history, and then the partials
render nothing).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from auditor.findings.model import STATUS_LABEL_SV, Finding
from auditor.findings.result import RunResult
from auditor.history.layer import (
    PRECISION_FLAG_BELOW,
    PRECISION_MIN_DECISIONS,
    Review,
    RunRef,
    TrendSeries,
)
from auditor.report.labels import (
    ACTION_STATUSES,
    NO_UNIT,
    case_label,
    rule_key,
    sv_key,
    unit_filenames,
)


@dataclass(frozen=True)
class ReviewView:
    decision: str
    label: str
    comment: str
    by: str
    date: str
    valid_until: str
    expired: bool  # a false alarm or exception whose validity has run out
    sets_aside: bool


@dataclass(frozen=True)
class ChangeRow:
    id: str
    anchor: str
    rule: str
    rule_name: str
    case_label: str
    date: str
    status: str
    status_label: str
    message: str
    review: ReviewView | None


@dataclass(frozen=True)
class ResolvedRow:
    rule: str
    rule_name: str
    case_label: str
    date: str
    message: str


@dataclass(frozen=True)
class TrendPointView:
    label: str
    x: float
    y: float | None  # None: nothing judged in that run
    bar_y: float
    bar_h: float
    violation: int
    judged: int
    percent: int | None  # compliance rate, whole percent rounded down
    current: bool


@dataclass(frozen=True)
class TrendChart:
    id: str
    rule: str
    rule_name: str
    title: str
    desc: str
    points: list[TrendPointView]
    line: str  # SVG polyline points of the compliance rate
    max_violation: int
    first_label: str
    last_label: str


@dataclass(frozen=True)
class TrendTableRow:
    rule: str
    rule_name: str
    cells: list[str]  # one per run label: "3 brister av 40, 92 % uppfyllt" or "–"


@dataclass(frozen=True)
class UnitHistory:
    compared: str  # "period 2026-08 (granskningsdatum 2026-09-01)", "" when first
    new: list[ChangeRow]
    remaining: list[ChangeRow]
    resolved: list[ResolvedRow]
    reviewed: list[ChangeRow]
    lapsed: int
    trends: list[TrendChart]
    trend_runs: list[str]
    trend_table: list[TrendTableRow]
    runs: int
    reviews: dict[str, ReviewView]  # finding id -> its latest decision, for "_review.html"


@dataclass(frozen=True)
class StatsRow:
    rule: str
    rule_name: str
    bekraftad: int
    atgardad: int
    falskt_larm: int
    motiverad: int
    precision: str  # "75 %" or "–"
    flagged: bool
    judged: int  # decisions that say whether the rule was right


@dataclass(frozen=True)
class UnitChangeRow:
    label: str
    filename: str
    compared: str
    new: int
    remaining: int
    resolved: int
    reviewed: int


@dataclass(frozen=True)
class IndexHistory:
    units: list[UnitChangeRow]
    stats: list[StatsRow]
    any_decisions: bool
    min_decisions: int
    flag_below: int  # percent


# Geometry of one small multiple (SVG user units).
W, H = 240, 124
PLOT_X0, PLOT_X1 = 34, 230
RATE_TOP, RATE_BOTTOM = 10, 56
BAR_TOP, BAR_BOTTOM = 74, 100


def review_view(review: Review, as_of: date) -> ReviewView:
    return ReviewView(
        decision=review.decision,
        label=review.label,
        comment=review.comment,
        by=review.by,
        date=review.date.isoformat(),
        valid_until=review.valid_until.isoformat() if review.valid_until else "",
        expired=review.decision in ("falskt_larm", "motiverad") and review.expired(as_of),
        sets_aside=review.sets_aside(as_of),
    )


def _percent(judged: int, violation: int) -> int | None:
    return 100 * (judged - violation) // judged if judged else None


def _compared(ref: RunRef | None) -> str:
    if ref is None:
        return ""
    return f"period {ref.label} (granskningsdatum {ref.as_of.isoformat()})"


class _Builder:
    def __init__(self, result: RunResult):
        assert result.history is not None
        self.result = result
        self.layer = result.history
        self.as_of = result.as_of

    def rule_name(self, rule: str) -> str:
        info = self.result.rules.get(rule)
        return (info.title or info.name) if info else ""

    def label(self, case: str) -> str:
        return case_label(case, self.result.cases.get(case))

    def row(self, f: Finding) -> ChangeRow:
        review = self.layer.reviews.get(f.id)
        return ChangeRow(
            id=f.id, anchor=f"f-{f.id}", rule=f.rule, rule_name=self.rule_name(f.rule),
            case_label=self.label(f.case), date=f.date.isoformat() if f.date else "",
            status=f.status, status_label=STATUS_LABEL_SV.get(f.status, f.status), message=f.message,
            review=review_view(review, self.as_of) if review else None,
        )

    def order(self, findings: list[Finding]) -> list[Finding]:
        return sorted(findings, key=lambda f: (f.status != "violation", rule_key(f.rule), f.case,
                                                f.date or date.min, f.id))

    def unit(self, unit: str) -> UnitHistory:
        mine = [f for f in self.result.findings if f.unit == unit and f.status in ACTION_STATUSES]
        away = self.layer.reviewed_away
        open_items = [f for f in mine if f.id not in away]
        new = [f for f in open_items if self.layer.changes.get(f.id) == "ny"]
        remaining = [f for f in open_items if self.layer.changes.get(f.id) == "kvarstår"]
        resolved = [
            ResolvedRow(r.rule, self.rule_name(r.rule), self.label(r.case), r.date or "", r.message)
            for r in self.layer.resolved if r.unit == unit
        ]
        resolved.sort(key=lambda r: (rule_key(r.rule), r.case_label, r.date))
        charts, runs, table = self.trends(unit)
        return UnitHistory(
            compared=_compared(self.layer.compared.get(unit)),
            new=[self.row(f) for f in self.order(new)],
            remaining=[self.row(f) for f in self.order(remaining)],
            resolved=resolved,
            reviewed=[self.row(f) for f in self.order([f for f in mine if f.id in away])],
            lapsed=sum(1 for f in mine if f.id in self.layer.lapsed),
            trends=charts,
            trend_runs=runs,
            trend_table=table,
            runs=max((len(c.points) for c in charts), default=0),
            reviews={f.id: review_view(self.layer.reviews[f.id], self.as_of)
                     for f in self.result.findings if f.unit == unit and f.id in self.layer.reviews},
        )

    def trends(self, unit: str) -> tuple[list[TrendChart], list[str], list[TrendTableRow]]:
        series: list[TrendSeries] = self.layer.trends.get(unit, [])
        labels: list[str] = []
        for s in series:
            for p in s.points:
                if p.run.label not in labels:
                    labels.append(p.run.label)
        charts, table = [], []
        slug = "".join(ch if ch.isalnum() else "-" for ch in unit.casefold())[:40] or "enhet"
        for i, s in enumerate(series):
            charts.append(self.chart(f"trend-{slug}-{i + 1}", s))
            by_label = {p.run.label: p for p in s.points}
            cells = []
            for label in labels:
                pt = by_label.get(label)
                if pt is None:
                    cells.append("–")
                elif not pt.judged:
                    cells.append("inget att bedöma")
                else:
                    word = "brist" if pt.violation == 1 else "brister"
                    cells.append(f"{pt.violation} {word} av {pt.judged}, {_percent(pt.judged, pt.violation)} % uppfyllt")
            table.append(TrendTableRow(s.rule, self.rule_name(s.rule), cells))
        return charts, labels, table

    def chart(self, chart_id: str, s: TrendSeries) -> TrendChart:
        n = len(s.points)
        step = (PLOT_X1 - PLOT_X0 - 16) / max(n - 1, 1)
        top = max((p.violation for p in s.points), default=0)
        points, coords, parts = [], [], []
        for i, p in enumerate(s.points):
            x = round(PLOT_X0 + 8 + i * step, 1) if n > 1 else round((PLOT_X0 + PLOT_X1) / 2, 1)
            pct = _percent(p.judged, p.violation)
            y = None if pct is None else round(RATE_BOTTOM - (RATE_BOTTOM - RATE_TOP) * pct / 100, 1)
            bar_h = round((BAR_BOTTOM - BAR_TOP) * p.violation / top, 1) if top else 0.0
            points.append(TrendPointView(p.run.label, x, y, round(BAR_BOTTOM - bar_h, 1), bar_h, p.violation,
                                         p.judged, pct, p.current))
            if y is not None:
                coords.append(f"{x},{y}")
            word = "brist" if p.violation == 1 else "brister"
            parts.append(f"{p.run.label}: {p.violation} {word}"
                         + (f", {pct} % uppfyllt" if pct is not None else ", inget att bedöma"))
        name = self.rule_name(s.rule)
        title = f"{s.rule} {name}".strip()
        return TrendChart(
            id=chart_id, rule=s.rule, rule_name=name, title=title,
            desc=f"Utveckling för {title}. " + "; ".join(parts) + ".",
            points=points, line=" ".join(coords), max_violation=top,
            first_label=s.points[0].run.label, last_label=s.points[-1].run.label,
        )

    def index(self) -> IndexHistory:
        filenames = unit_filenames(self.result.units)
        units = []
        for unit in sorted(self.result.units, key=sv_key):
            view_counts: Counter[str] = Counter()
            for f in self.result.findings:
                if f.unit != unit or f.status not in ACTION_STATUSES:
                    continue
                if f.id in self.layer.reviewed_away:
                    view_counts["reviewed"] += 1
                elif self.layer.changes.get(f.id):
                    view_counts[self.layer.changes[f.id]] += 1
            units.append(UnitChangeRow(
                label=unit or NO_UNIT, filename=filenames[unit],
                compared=_compared(self.layer.compared.get(unit)),
                new=view_counts["ny"], remaining=view_counts["kvarstår"],
                resolved=sum(1 for r in self.layer.resolved if r.unit == unit),
                reviewed=view_counts["reviewed"],
            ))
        stats = []
        for s in self.layer.review_stats:
            p = s.precision
            stats.append(StatsRow(
                rule=s.rule, rule_name=self.rule_name(s.rule), bekraftad=s.bekraftad, atgardad=s.atgardad,
                falskt_larm=s.falskt_larm, motiverad=s.motiverad,
                precision="–" if p is None else f"{int(100 * p)} %", flagged=s.flagged, judged=s.judged,
            ))
        return IndexHistory(
            units=units, stats=stats, any_decisions=any(s.total for s in self.layer.review_stats),
            min_decisions=PRECISION_MIN_DECISIONS, flag_below=int(100 * PRECISION_FLAG_BELOW),
        )


def history_views(result: RunResult) -> tuple[IndexHistory | None, dict[str, UnitHistory]]:
    """The index's and each unit's history view; (None, {}) without a history."""
    if result.history is None:
        return None, {}
    builder = _Builder(result)
    return builder.index(), {unit: builder.unit(unit) for unit in result.units}
