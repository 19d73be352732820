"""Avvikelser for the separate export: a case's own reports and unit reports without personnummer."""

from __future__ import annotations

import random
from datetime import date, timedelta

from . import texts
from .model import TAvvikelse
from .scenario import CasePlan, GenContext


def case_avvikelse(
    ctx: GenContext,
    rng: random.Random,
    plan: CasePlan,
    unit: str,
    occurred: date,
    reported: date,
    *,
    missed: bool,
) -> TAvvikelse:
    if missed:
        typ, desc = rng.choice(texts.AVV_MISSED_TYPE), rng.choice(texts.AVV_MISSED_TEXT)
    else:
        typ, desc = rng.choice(texts.AVV_OTHER)
    reported = min(reported, ctx.last)
    return TAvvikelse(
        id="",
        pnr=plan.pnr,
        unit=unit,
        occurred=occurred,
        reported=max(reported, occurred),
        typ=typ,
        description=desc,
        status=rng.choice(texts.AVV_STATUS),
        atgard=rng.choice(texts.AVV_ATGARD),
        missed=missed,
    )


def anon_avvikelser(ctx: GenContext, rng: random.Random) -> list[TAvvikelse]:
    """Avvikelser without personnummer: missed visits in boendestöd units, and other kinds."""
    out: list[TAvvikelse] = []
    span = (ctx.last - ctx.span_start).days
    if span < 30:
        return out
    for u in ctx.units:
        if u.kind == "boendestod":
            for _ in range(max(1, ctx.months // 3)):
                occ = ctx.span_start + timedelta(days=rng.randint(5, span - 10))
                a = TAvvikelse(
                    "",
                    None,
                    u.name,
                    occ,
                    occ + timedelta(days=rng.randint(0, 4)),
                    rng.choice(texts.AVV_MISSED_TYPE),
                    rng.choice(texts.AVV_MISSED_TEXT),
                    rng.choice(texts.AVV_STATUS),
                    rng.choice(texts.AVV_ATGARD),
                    True,
                )
                ctx.anon_missed.setdefault(u.name, []).append(a)
                out.append(a)
        for _ in range(max(1, ctx.months // 2)):
            occ = ctx.span_start + timedelta(days=rng.randint(5, span - 10))
            typ, desc = rng.choice(texts.AVV_OTHER)
            out.append(
                TAvvikelse(
                    "",
                    None,
                    u.name,
                    occ,
                    occ + timedelta(days=rng.randint(0, 4)),
                    typ,
                    desc,
                    rng.choice(texts.AVV_STATUS),
                    rng.choice(texts.AVV_ATGARD),
                    False,
                )
            )
    out.sort(key=lambda a: (a.occurred, a.unit))
    return out
