"""Build the template context (``context.py``) from a RunResult: counting, ordering, labels."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import date

from auditor.findings.model import (
    SEVERITIES,
    SEVERITY_LABEL_SV,
    SEVERITY_RANK,
    STATUS_LABEL_SV,
    Evidence,
    Finding,
)
from auditor.findings.result import PackInfo, RunResult
from auditor.model.accounting import InputReport
from auditor.report.context import (
    CaseGroup,
    CaseSummary,
    ChartRow,
    ChartView,
    Counts,
    EvidenceView,
    FindingView,
    IndexPage,
    InputView,
    Meta,
    NotEvaluatedGroup,
    PackView,
    ProblemView,
    RuleView,
    SeverityCount,
    UnitPage,
    UnitSummary,
)
from auditor.report.labels import (
    ACTION_STATUSES,
    KIND_LABEL_SV,
    MAX_ACTIONS,
    MAX_PROBLEMS,
    NO_UNIT,
    STRENGTH_RANK,
    action_key,
    case_label,
    display_case,
    evidence_location,
    excerpt_parts,
    iso,
    plural,
    rule_key,
    slugify,
    strength_of,
    sv_key,
    unit_filenames,
)


def count(findings: Iterable[Finding]) -> Counts:
    c = Counter(f.status for f in findings)
    return Counts(c["violation"], c["warning"], c["ok"], c["not_evaluated"])


def severity_counts(findings: Iterable[Finding]) -> list[SeverityCount]:
    """Violations and warnings per severity."""
    c = Counter(f.severity for f in findings if f.status in ACTION_STATUSES)
    return [SeverityCount(s, SEVERITY_LABEL_SV[s], c[s]) for s in SEVERITIES]


def pack_view(p: PackInfo, as_of: date) -> PackView:
    return PackView(
        name=p.name,
        title=p.title,
        issuer=p.issuer,
        source=p.source,
        version=p.version,
        decided=iso(p.decided),
        valid_until=iso(p.valid_until),
        expired=p.expired(as_of),
        optional=p.optional,
    )


def evidence_view(ev: Evidence) -> EvidenceView:
    before, marked, after, clipped_start, clipped_end = excerpt_parts(ev)
    return EvidenceView(
        location=evidence_location(ev),
        date=iso(ev.date),
        before=before,
        marked=marked,
        after=after,
        clipped_start=clipped_start,
        clipped_end=clipped_end,
    )


class _Builder:
    def __init__(self, result: RunResult, make_meta: Callable[[str], Meta]):
        self.result = result
        self.make_meta = make_meta
        self.rules = result.rules
        self.packs = {p.name: p for p in result.packs}
        self.filenames = unit_filenames(result.units)

    def pack_of(self, rule_id: str) -> PackInfo | None:
        rule = self.rules.get(rule_id)
        return self.packs.get(rule.pack) if rule else None

    def is_local_default(self, f: Finding) -> bool:
        rule = self.rules.get(f.rule)
        return bool(
            f.local_default
            or (rule and (rule.local_default_note or rule.strength == "lokal default"))
        )

    def finding_view(self, f: Finding) -> FindingView:
        rule = self.rules.get(f.rule)
        pack = self.pack_of(f.rule)
        routine = ""
        if pack is not None:
            routine = pack.title
            if rule and rule.section:
                routine += f", avsnitt {rule.section}"
        return FindingView(
            id=f.id,
            anchor=f"f-{f.id}",
            rule=f.rule,
            rule_title=rule.title if rule else "",
            status=f.status,
            status_label=STATUS_LABEL_SV.get(f.status, f.status),
            severity=f.severity,
            severity_label=SEVERITY_LABEL_SV.get(f.severity, f.severity),
            strength=strength_of(f, self.rules),
            date=iso(f.date),
            case=f.case,
            case_label=case_label(f.case, self.result.cases.get(f.case)),
            message=f.message,
            evidence=[evidence_view(ev) for ev in f.evidence],
            routine=routine,
            expired=bool(pack and pack.expired(self.result.as_of)),
            valid_until=iso(pack.valid_until) if pack else "",
            local_default=self.is_local_default(f),
        )

    def chart(self, chart_id: str, title: str, by_rule: dict[str, list[Finding]], compact: bool):
        row_h = 18 if compact else 26
        bar_h = 12 if compact else 16
        label_x, bar_x = 4, 52
        bar_w = 240 if compact else 320
        text_x = bar_x + bar_w + 10
        width = text_x + (230 if compact else 260)
        rows: list[ChartRow] = []
        descs: list[str] = []
        for i, rule_id in enumerate(self.ordered_rules(by_rule)):
            c = count(by_rule[rule_id])
            y = 6 + i * row_h
            if c.evaluated:
                scale = bar_w / c.evaluated
                vw, ww, ow = c.violation * scale, c.warning * scale, c.ok * scale
                text = (
                    f"{plural(c.violation, 'brist', 'brister')} av {c.evaluated} "
                    f"({c.violation_percent} %)"
                )
                if c.warning:
                    text += f", {plural(c.warning, 'risk', 'risker')}"
            else:
                vw = ww = ow = 0.0
                text = "Ej granskad"
            descs.append(f"{rule_id}: {text}.")
            rows.append(
                ChartRow(
                    rule=rule_id,
                    y=y,
                    violation_w=round(vw, 1),
                    warning_x=round(bar_x + vw, 1),
                    warning_w=round(ww, 1),
                    ok_x=round(bar_x + vw + ww, 1),
                    ok_w=round(ow, 1),
                    text=text,
                    counts=c,
                )
            )
        return ChartView(
            id=chart_id,
            title=title,
            desc=" ".join(descs) or "Inga regler granskades.",
            width=width,
            height=12 + len(rows) * row_h,
            label_x=label_x,
            bar_x=bar_x,
            bar_width=bar_w,
            text_x=text_x,
            row_height=row_h,
            bar_height=bar_h,
            rows=rows,
        )

    def ordered_rules(self, rule_ids: Iterable[str]) -> list[str]:
        def key(rule_id: str) -> tuple:
            rule = self.rules.get(rule_id)
            return (
                SEVERITY_RANK.get(rule.severity, 9) if rule else 9,
                STRENGTH_RANK.get(rule.strength, 9) if rule else 9,
                rule_key(rule_id),
            )

        return sorted(rule_ids, key=key)

    @staticmethod
    def by_rule(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
        out: dict[str, list[Finding]] = defaultdict(list)
        for f in findings:
            out[f.rule].append(f)
        return out

    def rule_view(self, rule_id: str, findings: list[Finding]) -> RuleView:
        rule = self.rules.get(rule_id)
        pack = self.pack_of(rule_id)
        per_case: dict[str, list[Finding]] = defaultdict(list)
        not_eval: dict[str, list[str]] = defaultdict(list)
        ok_not_due = 0
        for f in findings:
            if f.status in ACTION_STATUSES:
                per_case[f.case].append(f)
            elif f.status == "not_evaluated":
                not_eval[f.message].append(display_case(f.case))
            elif f.status == "ok" and "ej förfallen" in f.message.casefold():
                ok_not_due += 1
        groups = []
        for case, fs in per_case.items():
            fs.sort(key=lambda f: (f.date or date.min, f.key, f.id))
            groups.append(
                CaseGroup(
                    case=case,
                    label=case_label(case, self.result.cases.get(case)),
                    anchor=f"{rule_id}-{slugify(case) or 'x'}",
                    counts=count(fs),
                    findings=[self.finding_view(f) for f in fs],
                )
            )
        groups.sort(key=lambda g: (g.counts.violation == 0, g.case))
        return RuleView(
            id=rule_id,
            anchor=f"regel-{rule_id}",
            name=rule.name if rule else "",
            title=rule.title if rule else "",
            severity=rule.severity if rule else findings[0].severity,
            severity_label=SEVERITY_LABEL_SV.get(
                rule.severity if rule else findings[0].severity, ""
            ),
            strength=rule.strength if rule else strength_of(findings[0], self.rules),
            section=rule.section if rule else "",
            quote=rule.quote if rule else "",
            pack=pack_view(pack, self.result.as_of) if pack else None,
            expired=bool(pack and pack.expired(self.result.as_of)),
            local_default=any(self.is_local_default(f) for f in findings),
            local_default_note=rule.local_default_note if rule else "",
            counts=count(findings),
            groups=groups,
            not_evaluated=[
                NotEvaluatedGroup(msg, sorted(set(cases)))
                for msg, cases in sorted(not_eval.items(), key=lambda kv: sv_key(kv[0]))
            ],
            ok_not_due=ok_not_due,
        )

    def case_summaries(self, findings: list[Finding], anchors: dict[str, str]):
        per_case: dict[str, list[Finding]] = defaultdict(list)
        for f in findings:
            if f.status in ACTION_STATUSES and f.id not in self.result.reviewed_away:
                per_case[f.case].append(f)
        out = []
        for case, fs in per_case.items():
            worst = min(fs, key=lambda f: action_key(f, self.rules))
            info = self.result.cases.get(case)
            c = count(fs)
            out.append(
                CaseSummary(
                    case=case,
                    label=case_label(case, info),
                    insats=", ".join(info.insats) if info else "",
                    insats_inferred=bool(info and info.insats_source == "enhetsnamn"),
                    violation=c.violation,
                    warning=c.warning,
                    worst_severity=worst.severity,
                    worst_severity_label=SEVERITY_LABEL_SV.get(worst.severity, ""),
                    worst_rank=SEVERITY_RANK.get(worst.severity, 9),
                    rules=", ".join(sorted({f.rule for f in fs}, key=rule_key)),
                    first_anchor=anchors[worst.id],
                )
            )
        out.sort(key=lambda s: (s.worst_rank, -s.violation, -s.warning, s.case))
        return out

    def unit_page(self, unit: str) -> UnitPage:
        findings = sorted(
            (f for f in self.result.findings if f.unit == unit),
            key=lambda f: (*f.sort_key(), f.id),
        )
        by_rule = self.by_rule(findings)
        rules = [self.rule_view(r, by_rule[r]) for r in self.ordered_rules(by_rule)]
        actions = sorted(
            # A valid false-alarm/exception decision moves a finding to "Granskade".
            (f for f in findings if f.status in ACTION_STATUSES and f.id not in self.result.reviewed_away),
            key=lambda f: action_key(f, self.rules),
        )
        anchors = {f.id: f"f-{f.id}" for f in actions}
        used_packs = sorted({r.pack.name for r in rules if r.pack})
        label = unit or NO_UNIT
        return UnitPage(
            meta=self.make_meta(f"Granskning – {label}"),
            unit=unit,
            label=label,
            filename=self.filenames[unit],
            counts=count(findings),
            severity_counts=severity_counts(findings),
            actions=[self.finding_view(f) for f in actions[:MAX_ACTIONS]],
            actions_total=len(actions),
            cases=self.case_summaries(findings, anchors),
            rules=rules,
            chart=self.chart(
                "diagram-regler", f"Efterlevnad per regel, {label}", by_rule, compact=False
            ),
            packs=[pack_view(self.packs[p], self.result.as_of) for p in used_packs],
            rule_options=[(r.id, f"{r.id} {r.title}".strip()) for r in rules],
        )

    def index_page(self) -> IndexPage:
        units = []
        for i, unit in enumerate(sorted(self.result.units, key=sv_key)):
            findings = [f for f in self.result.findings if f.unit == unit]
            label = unit or NO_UNIT
            units.append(
                UnitSummary(
                    unit=unit,
                    label=label,
                    filename=self.filenames[unit],
                    counts=count(findings),
                    severity_counts=severity_counts(findings),
                    chart=self.chart(
                        f"diagram-enhet-{i + 1}",
                        f"Efterlevnad per regel, {label}",
                        self.by_rule(findings),
                        compact=True,
                    ),
                )
            )
        inputs = sorted(self.result.inputs, key=lambda r: (sv_key(r.path), sv_key(r.sheet or "")))
        return IndexPage(
            meta=self.make_meta("Granskning – översikt"),
            totals=count(self.result.findings),
            severity_counts=severity_counts(self.result.findings),
            units=units,
            packs=[
                pack_view(p, self.result.as_of)
                for p in sorted(self.result.packs, key=lambda p: p.name)
            ],
            inputs=[input_view(r, i + 1) for i, r in enumerate(inputs)],
            inputs_rejected=sum(1 for r in self.result.inputs if r.rejected_whole),
        )


def input_view(r: InputReport, n: int) -> InputView:
    problems = sorted(
        r.problems, key=lambda p: (p.row is None, p.row or 0, p.column or "", p.message)
    )
    return InputView(
        path=r.path,
        sheet=r.sheet or "",
        kind=r.kind,
        kind_label=KIND_LABEL_SV.get(r.kind, r.kind),
        rows_read=r.rows_read,
        rows_used=r.rows_used,
        rows_excluded=r.rows_excluded,
        rows_rejected=r.rows_rejected,
        excluded=sorted(r.excluded.items(), key=lambda kv: (-kv[1], sv_key(kv[0]))),
        error=r.error or "",
        closest_kind_label=KIND_LABEL_SV.get(r.closest_kind or "", r.closest_kind or ""),
        problems=[
            ProblemView(str(p.row) if p.row is not None else "", p.column or "", p.message)
            for p in problems[:MAX_PROBLEMS]
        ],
        problems_total=len(problems),
        anchor=f"indata-{n}",
    )


def build_pages(
    result: RunResult, make_meta: Callable[[str], Meta]
) -> tuple[IndexPage, list[UnitPage]]:
    """The index and one page per unit; ``make_meta(title)`` gives each page its Meta."""
    builder = _Builder(result, make_meta)
    return builder.index_page(), [builder.unit_page(u) for u in sorted(result.units, key=sv_key)]
