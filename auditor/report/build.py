"""Build the template context (``context.py``) from a RunResult: counting, ordering, labels."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import date, timedelta

from auditor.findings.model import (
    SEVERITIES,
    SEVERITY_LABEL_SV,
    SEVERITY_RANK,
    STATUS_LABEL_SV,
    Evidence,
    Finding,
)
from auditor.findings.rates import Rate, rates_for
from auditor.findings.result import PackInfo, RunResult
from auditor.model.accounting import InputReport
from auditor.report.context import (
    CountCard,
    Counts,
    DeadlineView,
    EvidenceView,
    FindingView,
    IndexPage,
    InputView,
    MatrixRow,
    Meta,
    NotEvaluatedGroup,
    PackView,
    PersonLink,
    PersonView,
    ProblemView,
    RateView,
    RuleView,
    SeverityCount,
    UnitPage,
    UnitSummary,
)
from auditor.report.labels import (
    ACTION_STATUSES,
    DEADLINE_DAYS,
    KIND_LABEL_SV,
    MAX_ACTIONS,
    MAX_PROBLEMS,
    NO_UNIT,
    PRINT_ACTIONS,
    RESPONSIBLE_SV,
    ROW_NOUN_SV,
    STRENGTH_RANK,
    action_key,
    and_join,
    case_label,
    days_text,
    display_case,
    event_date,
    evidence_location,
    evidence_words,
    excerpt_parts,
    insats_text,
    iso,
    plural,
    rule_key,
    slugify,
    strength_of,
    sv_key,
    unit_filenames,
)

CHANGE_SV = {"ny": "Ny", "kvarstår": "Kvarstår"}
# Bands for the unit × rule table: a pattern and words besides the colour.
BANDS = (
    (95, "hog", "95 % eller mer"),
    (80, "medel", "80–94 %"),
    (0, "lag", "under 80 %"),
)


def count(findings: Iterable[Finding]) -> Counts:
    c = Counter(f.status for f in findings)
    return Counts(c["violation"], c["warning"], c["ok"], c["not_evaluated"])


def severity_counts(findings: Iterable[Finding]) -> list[SeverityCount]:
    """Violations and warnings per severity."""
    c = Counter(f.severity for f in findings if f.status in ACTION_STATUSES)
    return [SeverityCount(s, SEVERITY_LABEL_SV[s], c[s]) for s in SEVERITIES]


def cards(rates: Iterable[Rate]) -> list[CountCard]:
    """The summary's numbers, each with its noun in agreement; cases without events apart."""
    total = Rate("", "")
    for r in rates:
        for name in ("violation", "warning", "ok", "without_events", "not_evaluated"):
            setattr(total, name, getattr(total, name) + getattr(r, name))
        total.ok += r.reviewed_away
    return [
        CountCard("violation", total.violation, "brist" if total.violation == 1 else "brister"),
        CountCard("warning", total.warning, "risk" if total.warning == 1 else "risker"),
        CountCard("ok", total.ok, "uppfylld" if total.ok == 1 else "uppfyllda"),
        CountCard("no_events", total.without_events, "utan händelser"),
        CountCard("not_evaluated", total.not_evaluated, "ej granskad"
                  if total.not_evaluated == 1 else "ej granskade"),
    ]


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


def basis_nouns(occasions: bool) -> tuple[str, str]:
    return ("tillfälle", "tillfällen") if occasions else ("fall", "fall")


def rate_view(r: Rate, title: str, occasions: bool) -> RateView:
    one, many = basis_nouns(occasions)
    pct = r.compliance_percent
    if pct is None:
        band, band_label = "ingen", "inget att bedöma"
    else:
        band, band_label = next((b, label) for floor, b, label in BANDS if pct >= floor)
    judged = r.judged or 1
    violations = "brist" if r.violation == 1 else "brister"
    # Whole percent widths (CSS classes w0..w100: the CSP allows no inline style); a
    # segment that is there is never drawn as nothing.
    warning_w = max(1, round(100 * r.warning / judged)) if r.warning else 0
    violation_w = min(100 - warning_w, max(1, round(100 * r.violation / judged))) if r.violation else 0
    ok_w = max(0, 100 - violation_w - warning_w) if r.judged else 0
    return RateView(
        unit=r.unit,
        rule=r.rule,
        rule_title=title,
        anchor=f"regel-{r.rule}",
        judged=r.judged,
        violation=r.violation,
        warning=r.warning,
        ok=r.ok,
        not_evaluated=r.not_evaluated,
        without_events=r.without_events,
        reviewed_away=r.reviewed_away,
        percent=pct,
        basis_noun=many,
        judged_text=f"{r.violation} {violations} av {plural(r.judged, one, many)}",
        band=band,
        band_label=band_label,
        violation_w=violation_w,
        warning_w=warning_w,
        ok_w=ok_w if r.ok + r.reviewed_away else 0,
    )


class _Builder:
    def __init__(self, result: RunResult, make_meta: Callable[[str], Meta]):
        self.result = result
        self.make_meta = make_meta
        self.rules = result.rules
        self.packs = {p.name: p for p in result.packs}
        self.filenames = unit_filenames(result.units)
        self.kinds = {(r.path, r.sheet): r.kind for r in result.inputs}
        self.rates = {(r.unit, r.rule): r for r in rates_for(result)}
        occasion_rules = {(f.unit, f.rule) for f in result.findings if f.basis == "occasion"}
        self.event_rules = occasion_rules | {
            (f.unit, f.rule) for f in result.findings if f.basis == "no_events"
        }
        self.person_anchors: dict[str, str] = {}
        used: set[str] = set()
        for case in sorted({f.case for f in result.findings}):
            base = "brukare-" + (slugify(case) or "x")
            anchor, n = base, 2
            while anchor in used:
                anchor, n = f"{base}-{n}", n + 1
            used.add(anchor)
            self.person_anchors[case] = anchor

    def pack_of(self, rule_id: str) -> PackInfo | None:
        rule = self.rules.get(rule_id)
        return self.packs.get(rule.pack) if rule else None

    def is_local_default(self, f: Finding) -> bool:
        rule = self.rules.get(f.rule)
        return bool(
            f.local_default
            or (rule and (rule.local_default_note or rule.strength == "lokal default"))
        )

    def rule_title(self, rule_id: str) -> str:
        rule = self.rules.get(rule_id)
        return rule.title if rule else ""

    def evidence_views(self, evidence: list[Evidence]) -> list[EvidenceView]:
        """One view per distinct excerpt: the same text on other rows is named, not repeated."""
        groups: dict[tuple, list[Evidence]] = {}
        for ev in evidence:
            key = (ev.excerpt.strip(), ev.span) if ev.excerpt.strip() else (id(ev),)
            groups.setdefault(key, []).append(ev)
        views = []
        for evs in groups.values():
            ev = evs[0]
            before, marked, after, clipped_start, clipped_end = excerpt_parts(ev)
            also = and_join([
                f"rad {o.row}" + (f" ({o.date.isoformat()})" if o.date else "")
                for o in evs[1:]
                if o.row is not None
            ])
            views.append(
                EvidenceView(
                    words=evidence_words(ev, self.kinds.get((ev.input, ev.sheet))),
                    location=evidence_location(ev),
                    date=iso(ev.date),
                    signer=ev.signer,
                    before=before,
                    marked=marked,
                    after=after,
                    clipped_start=clipped_start,
                    clipped_end=clipped_end,
                    also=f"Samma text även på {also}." if also else "",
                )
            )
        return views

    def searched(self, f: Finding) -> str:
        """For a finding about something missing by a deadline: what was searched, in words."""
        if f.status not in ACTION_STATUSES or f.deadline is None:
            return ""
        info = self.result.cases.get(f.case)
        activity = info.activity if info else None
        if activity is None:
            return ""
        dates = [ev.date for ev in f.evidence if ev.date]
        start = min(dates) if dates else (f.date or f.deadline)
        end = min(f.deadline, self.result.as_of)
        if start > end:
            return ""
        parts = []
        notes = activity.count("journal", start, end)
        if notes:
            signers = activity.signer_counts(start, end)
            signed = [f"{name} ({n})" for name, n in signers if name]
            unsigned = sum(n for name, n in signers if not name)
            text = plural(notes, *ROW_NOUN_SV["journal"][1:])
            if signed:
                text += ", signerade av " + and_join(signed)
            if unsigned:
                text += f"{';' if signed else ','} {unsigned} utan signatur"
            parts.append(text)
        else:
            parts.append("inga journalanteckningar")
        for kind in ("besok", "plan", "avvikelse", "vistelse"):
            n = activity.count(kind, start, end)
            if n:
                parts.append(plural(n, *ROW_NOUN_SV[kind][1:]))
        window = start.isoformat() if start == end else f"{start.isoformat()} – {end.isoformat()}"
        return f"Sökt i brukarens underlag {window}: {'; '.join(parts)}."

    def finding_view(self, f: Finding) -> FindingView:
        rule = self.rules.get(f.rule)
        pack = self.pack_of(f.rule)
        routine = ""
        if pack is not None:
            routine = pack.title
            if rule and rule.section:
                routine += f", avsnitt {rule.section}"
        responsible = f.responsible or (rule.responsible if rule else "utförare")
        change = getattr(f, "change", None) or ""
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
            date=iso(event_date(f)),
            deadline=iso(f.deadline),
            case=f.case,
            case_label=case_label(f.case, self.result.cases.get(f.case)),
            person_anchor=self.person_anchors.get(f.case, ""),
            message=f.message,
            action=(f.action or (rule.action if rule else "")) if f.status in ACTION_STATUSES
            else "",
            responsible=responsible,
            responsible_label=RESPONSIBLE_SV.get(responsible, responsible),
            evidence=self.evidence_views(f.evidence),
            searched=self.searched(f),
            routine=routine,
            expired=bool(pack and pack.expired(self.result.as_of)),
            valid_until=iso(pack.valid_until) if pack else "",
            local_default=self.is_local_default(f),
            change=CHANGE_SV.get(change, change),
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

    def rate_views(self, unit: str, rule_ids: Iterable[str]) -> list[RateView]:
        """The unit's rates, worst first; rules with nothing judged last."""
        views = []
        for i, rule_id in enumerate(self.ordered_rules(rule_ids)):
            r = self.rates.get((unit, rule_id))
            if r is None:
                continue
            views.append((i, rate_view(r, self.rule_title(rule_id),
                                       (unit, rule_id) in self.event_rules)))
        views.sort(key=lambda iv: (iv[1].percent is None, iv[1].percent or 0, iv[0]))
        return [v for _, v in views]

    @staticmethod
    def by_rule(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
        out: dict[str, list[Finding]] = defaultdict(list)
        for f in findings:
            out[f.rule].append(f)
        return out

    def rule_view(self, unit: str, rule_id: str, findings: list[Finding],
                  rate: RateView | None) -> RuleView:
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
        persons = [
            PersonLink(
                label=case_label(case, self.result.cases.get(case)),
                anchor=self.person_anchors[case],
                counts_text=self.counts_text(count(fs)),
            )
            for case, fs in sorted(per_case.items(), key=lambda kv: kv[0])
        ]
        severity = rule.severity if rule else findings[0].severity
        responsible = rule.responsible if rule else "utförare"
        return RuleView(
            id=rule_id,
            anchor=f"regel-{rule_id}",
            name=rule.name if rule else "",
            title=rule.title if rule else "",
            severity=severity,
            severity_label=SEVERITY_LABEL_SV.get(severity, ""),
            strength=rule.strength if rule else strength_of(findings[0], self.rules),
            responsible_label=RESPONSIBLE_SV.get(responsible, responsible),
            action=rule.action if rule else "",
            section=rule.section if rule else "",
            quote=rule.quote if rule else "",
            pack=pack_view(pack, self.result.as_of) if pack else None,
            expired=bool(pack and pack.expired(self.result.as_of)),
            local_default=any(self.is_local_default(f) for f in findings),
            local_default_note=rule.local_default_note if rule else "",
            counts=count(findings),
            rate=rate,
            persons=persons,
            not_evaluated=[
                NotEvaluatedGroup(msg, sorted(set(cases)), plural(len(set(cases)), "brukare",
                                                                  "brukare"))
                for msg, cases in sorted(not_eval.items(), key=lambda kv: sv_key(kv[0]))
            ],
            ok_not_due=ok_not_due,
        )

    @staticmethod
    def counts_text(c: Counts) -> str:
        parts = []
        if c.violation:
            parts.append(plural(c.violation, "brist", "brister"))
        if c.warning:
            parts.append(plural(c.warning, "risk", "risker"))
        return and_join(parts)

    def persons(self, findings: list[Finding]) -> list[PersonView]:
        per_case: dict[str, list[Finding]] = defaultdict(list)
        for f in findings:
            if f.status in ACTION_STATUSES:
                per_case[f.case].append(f)
        out = []
        for case, fs in per_case.items():
            fs.sort(key=lambda f: action_key(f, self.rules))
            worst = fs[0]
            info = self.result.cases.get(case)
            c = count(fs)
            out.append(
                PersonView(
                    case=case,
                    label=case_label(case, info),
                    anchor=self.person_anchors[case],
                    insats=insats_text(info.insats) if info else "",
                    insats_inferred=bool(info and info.insats_source == "enhetsnamn"),
                    counts=c,
                    counts_text=self.counts_text(c),
                    worst_severity_label=SEVERITY_LABEL_SV.get(worst.severity, ""),
                    worst_rank=SEVERITY_RANK.get(worst.severity, 9),
                    rules=", ".join(sorted({f.rule for f in fs}, key=rule_key)),
                    findings=[self.finding_view(f) for f in fs],
                )
            )
        out.sort(key=lambda p: (p.worst_rank, -p.counts.violation, -p.counts.warning, p.case))
        return out

    def deadlines(self, findings: list[Finding], views: dict[str, FindingView]) -> list[DeadlineView]:
        """Open deadlines due from the as-of date to DEADLINE_DAYS later."""
        as_of = self.result.as_of
        last = as_of + timedelta(days=DEADLINE_DAYS)
        out = []
        for f in findings:
            if f.deadline is None or not as_of <= f.deadline <= last:
                continue
            open_ = f.status == "warning" or (
                f.status == "ok" and "ej förfallen" in f.message.casefold()
            )
            if not open_:
                continue
            view = views.get(f.id) or self.finding_view(f)
            days = (f.deadline - as_of).days
            out.append(DeadlineView(f.deadline.isoformat(), days, days_text(days), view))
        out.sort(key=lambda d: (d.deadline, rule_key(d.finding.rule), d.finding.case))
        return out

    def headline(self, rates: list[RateView], persons: list[PersonView]) -> str:
        violation = sum(r.violation for r in rates)
        warning = sum(r.warning for r in rates)
        judged = [r for r in rates if r.judged]
        clean = sum(1 for r in judged if not r.violation)
        rules = (f"{plural(len(judged), 'regel', 'regler')} kunde bedömas, "
                 f"{clean} av dem utan brist.")
        if not violation and not warning:
            return f"Inga brister eller risker. {rules}"
        found = and_join([
            plural(violation, "brist", "brister") if violation else "",
            plural(warning, "risk", "risker") if warning else "",
        ])
        return f"{found[0].upper()}{found[1:]} hos {plural(len(persons), 'brukare', 'brukare')}. {rules}"

    def unit_page(self, unit: str) -> UnitPage:
        # sort_key() ends with (rule, case, key), all that the id is made of: equal keys
        # mean equal ids, so the id need not be computed to break ties.
        findings = sorted(
            (f for f in self.result.findings if f.unit == unit),
            key=Finding.sort_key,
        )
        by_rule = self.by_rule(findings)
        rates = self.rate_views(unit, by_rule)
        rate_by_rule = {r.rule: r for r in rates}
        rules = [
            self.rule_view(unit, r, by_rule[r], rate_by_rule.get(r))
            for r in self.ordered_rules(by_rule)
        ]
        persons = self.persons(findings)
        views = {fv.id: fv for p in persons for fv in p.findings}
        # A valid false-alarm/exception decision moves a finding out of the lists to act on
        # (it stays in its person's section, with the decision beside it).
        away = self.result.reviewed_away
        acting = sorted(
            (f for f in findings if f.status in ACTION_STATUSES and f.id not in away),
            key=lambda f: action_key(f, self.rules),
        )
        own = [views[f.id] for f in acting if views[f.id].responsible != "myndighet"]
        authority = [views[f.id] for f in acting if views[f.id].responsible == "myndighet"]
        used_packs = sorted({r.pack.name for r in rules if r.pack})
        label = unit or NO_UNIT
        return UnitPage(
            meta=self.make_meta(f"Granskning – {label}"),
            unit=unit,
            label=label,
            filename=self.filenames[unit],
            headline=self.headline(rates, persons),
            counts=count(findings),
            cards=cards(self.rates[(unit, r)] for r in by_rule if (unit, r) in self.rates),
            severity_counts=severity_counts(findings),
            actions=own[:MAX_ACTIONS],
            actions_total=len(own),
            print_actions=PRINT_ACTIONS,
            authority=authority,
            deadlines=self.deadlines(findings, views),
            deadline_days=DEADLINE_DAYS,
            persons=persons,
            rates=rates,
            rules=rules,
            packs=[pack_view(self.packs[p], self.result.as_of) for p in used_packs],
            rule_options=[(r.id, f"{r.id} {r.title}".strip()) for r in rules],
        )

    def index_page(self) -> IndexPage:
        units = []
        unit_names = sorted(self.result.units, key=sv_key)
        for unit in unit_names:
            findings = [f for f in self.result.findings if f.unit == unit]
            units.append(
                UnitSummary(
                    unit=unit,
                    label=unit or NO_UNIT,
                    filename=self.filenames[unit],
                    counts=count(findings),
                    severity_counts=severity_counts(findings),
                    persons=len({f.case for f in findings if f.status in ACTION_STATUSES}),
                )
            )
        all_rules = sorted({f.rule for f in self.result.findings}, key=rule_key)
        matrix = []
        for rule_id in all_rules:
            cells = []
            for unit in unit_names:
                r = self.rates.get((unit, rule_id))
                cells.append(
                    rate_view(r, self.rule_title(rule_id), (unit, rule_id) in self.event_rules)
                    if r is not None else None
                )
            matrix.append(MatrixRow(rule_id, self.rule_title(rule_id), cells))
        inputs = sorted(self.result.inputs, key=lambda r: (sv_key(r.path), sv_key(r.sheet or "")))
        return IndexPage(
            meta=self.make_meta("Granskning – översikt"),
            totals=count(self.result.findings),
            cards=cards(self.rates.values()),
            severity_counts=severity_counts(self.result.findings),
            units=units,
            matrix=matrix,
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
        problems_text=plural(len(problems), "problem", "problem"),
        anchor=f"indata-{n}",
    )


def build_pages(
    result: RunResult, make_meta: Callable[[str], Meta]
) -> tuple[IndexPage, list[UnitPage]]:
    """The index and one page per unit; ``make_meta(title)`` gives each page its Meta."""
    builder = _Builder(result, make_meta)
    return builder.index_page(), [builder.unit_page(u) for u in sorted(result.units, key=sv_key)]
