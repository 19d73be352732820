"""``generate()``: a synthetic export folder with labelled violations."""

from __future__ import annotations

import random
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from auditor.model.workdays import WorkdayCalendar

from . import boendestod, lss
from .avvikelser import anon_avvikelser
from .labels import CONVENTIONS, label_counts, write_labels
from .model import CaseTruth
from .oracle import Label, OracleContext, evaluate
from .people import Person, draw_identities, is_female, random_person
from .scenario import (
    DEFAULT_AS_OF,
    DEFAULT_RATE,
    UNIT_BY_NAME,
    UNITS,
    CasePlan,
    GenContext,
    UnitSpec,
    make_staff,
    plan_cases,
)
from .writers import ExportWriter, sign_mode_for

MAX_TRIES = 12
LABELS_FILE = "labels.json"


@dataclass
class GenerationSummary:
    out: Path
    clients: int
    months: int
    seed: int
    as_of: date
    period: tuple[date, date]
    files: list[Path] = field(default_factory=list)
    notes: int = 0
    labels: int = 0
    label_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    planted: dict[str, int] = field(default_factory=dict)
    retried_cases: int = 0
    ambiguous_cases: int = 0
    seconds: float = 0.0

    def describe(self) -> str:
        lines = [
            f"Genererade {self.clients} brukare, {self.months} månader, frö {self.seed}, "
            f"as-of {self.as_of.isoformat()} (period {self.period[0].isoformat()} – {self.period[1].isoformat()})",
            f"{len(self.files)} filer i {self.out}, {self.notes} anteckningar, {self.labels} etiketter "
            f"på {self.seconds:.1f} s",
        ]
        for rule, counts in self.label_counts.items():
            parts = ", ".join(f"{k} {v}" for k, v in counts.items())
            lines.append(f"  {rule}: {parts}")
        return "\n".join(lines)


def _person(seed: int, plan: CasePlan) -> Person:
    rng = random.Random(f"{seed}:{plan.index}:person")
    return random_person(rng, female=is_female(plan.pnr))


def _build(ctx: GenContext, plan: CasePlan, rng: random.Random, person: Person) -> CaseTruth:
    if plan.insats == "boendestod":
        return boendestod.build(ctx, plan, rng, person)
    if plan.insats == "korttidsvistelse":
        return lss.build_korttid(ctx, plan, rng, person)
    return lss.build_nb(ctx, plan, rng, person)


GENERATED_NAMES = re.compile(
    r"^(journal_[a-z_]+\.(csv|xlsx)|uppdrag\.csv|genomforandeplaner\.(csv|xlsx)|besok_boendestod\.txt|"
    r"avvikelser\.xlsx|korttidsvistelser\.csv|labels\.json)$"
)


def _clear_previous(out: Path) -> None:
    """Remove files an earlier generation left in ``out`` (only names the generator writes)."""
    if not (out / LABELS_FILE).exists():
        return
    for p in out.iterdir():
        if p.is_file() and GENERATED_NAMES.match(p.name):
            p.unlink()


def _chosen_units(units: Sequence[str] | None) -> tuple[UnitSpec, ...]:
    if not units:
        return UNITS
    unknown = [u for u in units if u not in UNIT_BY_NAME]
    if unknown:
        raise ValueError(
            f"unknown unit(s): {', '.join(unknown)}; choose from {', '.join(UNIT_BY_NAME)}"
        )
    return tuple(u for u in UNITS if u.name in set(units))


def _best_attempt(
    ctx: GenContext, octx: OracleContext, seed: int, plan: CasePlan
) -> tuple[int, CaseTruth, list[Label], list[str]]:
    """Build the case until the oracle finds every planted rule and nothing ambiguous (at most
    MAX_TRIES times); the last attempt's number and the best case with its labels."""
    person = _person(seed, plan)
    best: tuple[int, CaseTruth, list[Label], list[str]] | None = None
    attempt = 0
    for attempt in range(MAX_TRIES):
        case = _build(ctx, plan, random.Random(f"{seed}:{plan.index}:{attempt}"), person)
        labels, amb = evaluate(case, octx)
        found = {lb.rule for lb in labels if lb.status in ("violation", "warning")}
        missing = [r for r in case.planted if r not in found]
        score = 10 * len(amb) + len(missing)
        if best is None or score < best[0]:
            best = (score, case, labels, amb)
        if score == 0:
            break
    assert best is not None
    return attempt, best[1], best[2], best[3]


def generate(
    out: Path,
    *,
    clients: int,
    months: int,
    seed: int,
    as_of: date | None = None,
    rate: float = DEFAULT_RATE,
    units: Sequence[str] | None = None,
) -> GenerationSummary:
    """Write a synthetic export folder (all six kinds) and ``labels.json`` to ``out``.

    ``as_of`` defaults to 2026-11-01; the data spans the ``months`` calendar months before it
    (the last generated day is ``as_of - 1``). ``rate`` is the share of in-scope cases that get a
    planted violation per rule. ``units`` picks a subset of the standard units by name.
    Deterministic: the same arguments give byte-identical files.
    """
    t0 = time.perf_counter()
    if clients < 1:
        raise ValueError("clients must be at least 1")
    if months < 1:
        raise ValueError("months must be at least 1")
    if not 0.0 <= rate <= 1.0:
        raise ValueError("rate must be between 0 and 1")
    chosen = _chosen_units(units)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    _clear_previous(out)
    ctx = GenContext(
        seed=seed,
        clients=clients,
        months=months,
        as_of=as_of or DEFAULT_AS_OF,
        rate=rate,
        units=chosen,
        cal=WorkdayCalendar(),
    )
    rng = random.Random(seed)
    pnrs = draw_identities(rng, clients)
    plans = plan_cases(ctx, rng, pnrs)
    unit_counts = Counter(p.unit.name for p in plans)
    insats_counts = Counter(p.insats for p in plans)
    make_staff(ctx, rng, unit_counts)
    ctx.sign_mode = {u.name: sign_mode_for(u.name) for u in chosen}
    anon = anon_avvikelser(ctx, rng)
    octx = OracleContext(
        as_of=ctx.as_of,
        period_from=ctx.span_start,
        period_to=ctx.as_of,
        journal_first=ctx.span_start,
        cal=ctx.cal,
        anon_missed=ctx.anon_missed,
    )

    writer = ExportWriter(out, ctx, dict(unit_counts), dict(insats_counts))
    for a in anon:
        writer.add_avvikelse(
            None, a.unit, a.occurred, a.reported, a.typ, a.description, a.status, a.atgard
        )
    all_labels: list[Label] = []
    cases_meta: list[dict] = []
    planted_counts: Counter = Counter()
    notes = retried = ambiguous = 0
    amb_reasons: Counter = Counter()
    amb_cases: list[dict] = []
    for plan in plans:
        attempt, case, labels, amb = _best_attempt(ctx, octx, seed, plan)
        if attempt:
            retried += 1
        if amb:
            ambiguous += 1
            amb_reasons.update(amb)
            amb_cases.append({"case": case.pnr, "reasons": sorted(amb)})
        found = {lb.rule for lb in labels if lb.status in ("violation", "warning")}
        planted = [r for r in case.planted if r in found]
        planted_counts.update(planted)
        writer.add_case(case)
        notes += len(case.notes)
        all_labels.extend(labels)
        cases_meta.append(
            {
                "case": case.pnr,
                "unit": case.unit,
                "insats": case.insats,
                "protected": case.protected,
                "category": case.category,
                "planted": planted,
            }
        )
    files = writer.close()
    generator = {
        "name": "auditor generate",
        "version": 1,
        "seed": seed,
        "clients": clients,
        "months": months,
        "rate": rate,
        "as_of": ctx.as_of.isoformat(),
        "span": {"from": ctx.span_start.isoformat(), "to": ctx.last.isoformat()},
        "period": {"from": ctx.span_start.isoformat(), "to": ctx.as_of.isoformat()},
        "journal_first_date": ctx.span_start.isoformat(),
        "units": [u.name for u in chosen],
        "files": [f.name for f in files],
        "conventions": CONVENTIONS,
        "ambiguous_cases": ambiguous,
        "ambiguous": amb_cases,
    }
    write_labels(out / LABELS_FILE, generator, cases_meta, all_labels)
    files.append(out / LABELS_FILE)
    return GenerationSummary(
        out=out,
        clients=clients,
        months=months,
        seed=seed,
        as_of=ctx.as_of,
        period=ctx.period,
        files=files,
        notes=notes,
        labels=len(all_labels),
        label_counts=label_counts(all_labels),
        planted=dict(sorted(planted_counts.items())),
        retried_cases=retried,
        ambiguous_cases=ambiguous,
        seconds=time.perf_counter() - t0,
    )
