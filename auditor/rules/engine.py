"""The rule engine: which rules apply to which case, and running their checks."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from auditor.config import Config
from auditor.findings.model import Finding
from auditor.model.dataset import KIND_LABEL_SV, CaseData, Dataset
from auditor.model.vocab import INSATS_LABEL
from auditor.model.workdays import WorkdayCalendar
from auditor.rules.checks import EVENT_RULES, load_all
from auditor.rules.context import Period, RuleContext
from auditor.rules.generic import is_event_logic, run_logic
from auditor.rules.packs import Pack, RuleSpec
from auditor.rules.spans import ExportSpans, export_spans


def is_event_rule(rule: RuleSpec) -> bool:
    """Event rules count occasions (catalogue, "Event rules count occasions")."""
    return is_event_logic(rule.logic) if rule.logic is not None else rule.id in EVENT_RULES


def _missing_data(rule: RuleSpec, case: CaseData, dataset: Dataset) -> str | None:
    """Swedish description of the data the rule needs but the case lacks, or None."""
    missing = []
    for need in rule.needs:
        kind, _, column = need.partition(".")
        label = KIND_LABEL_SV[kind]
        if not dataset.has_kind(kind):
            missing.append(f"exporten {label} saknas")
        elif column and not dataset.has_kind(kind, column):
            missing.append(f"kolumnen '{column}' saknas i {label}")
        elif column and case.has(kind) and not case.has(kind, column):
            missing.append(f"kolumnen '{column}' saknas i exporten av {label} för ärendet")
    if not missing:
        return None
    return "Ej granskad: " + "; ".join(missing) + "."


def _in_scope(rule: RuleSpec, case: CaseData) -> bool | None:
    """True/False, or None when the case's insats is unknown."""
    if "all" in rule.scope:
        return True
    if not case.insats:
        return None
    return any(i in rule.scope for i in case.insats)


def evaluate(
    dataset: Dataset,
    packs: list[Pack],
    config: Config,
    *,
    as_of: date,
    period: Period,
    calendar: WorkdayCalendar | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[Finding]:
    checks = load_all()
    calendar = calendar or WorkdayCalendar()
    rules = [(pack, rule) for pack in packs for rule in pack.rules]
    findings: list[Finding] = []
    spans = export_spans(dataset, period.start if period.explicit else None)
    for case in dataset.cases.values():
        findings.extend(evaluate_case(case, rules, checks, dataset, config, as_of, period, calendar, spans))
        if progress:
            progress(1)
    findings.sort(key=Finding.sort_key)
    return findings


def evaluate_case(case: CaseData, rules: list[tuple[Pack, RuleSpec]], checks: dict,
                  dataset: Dataset, config: Config, as_of: date, period: Period,
                  calendar: WorkdayCalendar, spans: ExportSpans | None = None) -> Iterable[Finding]:
    unit = case.primary_unit
    for pack, rule in rules:
        scope = _in_scope(rule, case)
        if scope is False:
            continue
        params = config.params_for(pack.name, rule.id, unit, rule.defaults())
        ctx = RuleContext(rule=rule, params=params, as_of=as_of, period=period,
                          calendar=calendar, dataset=dataset, unit=unit,
                          spans=spans or export_spans(dataset))
        out: list[Finding] = []
        if scope is None:
            wanted = ", ".join(INSATS_LABEL.get(s, s) for s in rule.scope)
            out.append(_ne(ctx, case, f"Ej granskad: insats okänd (regeln gäller {wanted}); "
                                      "ingen uppdragsexport, ingen enhet→insats i konfigurationen "
                                      "och enhetens namn säger inget om insatsen."))
        else:
            missing = _missing_data(rule, case, dataset)
            if missing:
                out.append(_ne(ctx, case, missing))
            else:
                if rule.logic is not None:
                    out.extend(run_logic(case, ctx, rule.logic))
                elif rule.id in checks:
                    out.extend(checks[rule.id](case, ctx))
                else:
                    out.append(_ne(ctx, case, "Ej granskad: regeln saknar logik (inget 'logic' i regelpaketet "
                                              "och ingen inbyggd kontroll med samma id)."))
                if not out:
                    out.append(Finding(rule=rule.id, severity=rule.severity, status="ok", unit=unit,
                                       case=case.case, date=period.end,
                                       message="Inget att anmärka: inga händelser för regeln under perioden.",
                                       key="none",
                                       basis="no_events" if is_event_rule(rule) else "case"))
        for f in out:
            f.pack = pack.name
            f.strength = rule.strength
            f.local_default = any(p.local_default for p in rule.params.values())
            f.responsible = f.responsible or rule.responsible
            f.action = (f.action or rule.action) if f.status in ("violation", "warning") else None
        yield from out


def _ne(ctx: RuleContext, case: CaseData, message: str) -> Finding:
    return Finding(rule=ctx.rule.id, severity=ctx.rule.severity, status="not_evaluated",
                   unit=ctx.unit, case=case.case, date=None, message=message, key="ne")
