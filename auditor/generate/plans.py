"""Genomförandeplaner: finished, draft and revised plans, with SMART or deliberately weak delmål."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta

from . import texts
from .model import TGoal, TPlan

MONTHS_SV = texts.FILLERS["manad"]  # januari … december


def _datum(rng: random.Random, d: date) -> str:
    if rng.random() < 0.5:
        return d.isoformat()
    return f"{d.day} {MONTHS_SV[d.month - 1]} {d.year}"


def make_plan(
    rng: random.Random,
    *,
    plan_id: str,
    upprattad: date,
    status_text: str,
    cls: str,
    ref: str,
    relative: str,
    lss: bool = False,
    bad: Sequence[str] = (),
) -> TPlan:
    """A plan; ``bad`` names the planted weaknesses: GB5 (not SMART), GB6 (content), GB7 (participation)."""
    sl = texts.slots(rng, ref, anh=relative)
    n_goals = rng.randint(2, 4)
    areas = rng.sample(texts.LIVSOMRADEN, n_goals)
    bank = texts.LSS_GOALS if lss else texts.SMART_GOALS
    goals: list[TGoal] = []
    for area in areas:
        sl["datum"] = _datum(rng, upprattad + timedelta(days=rng.randint(90, 180)))
        goals.append(TGoal(area, rng.choice(bank).format_map(sl), True))
    if "GB5" in bad:
        k = n_goals if rng.random() < 0.3 else 1
        for g in rng.sample(goals, k):
            g.text = rng.choice(texts.NON_SMART_GOALS).format_map(sl)
            g.smart = False
    metod_bank = texts.LSS_ARBETSMETOD if lss else texts.ARBETSMETOD
    arbetsmetod = rng.choice(metod_bank).format_map(sl)
    bemotande = rng.choice(texts.BEMOTANDE).format_map(sl)
    sl["datum"] = _datum(rng, upprattad)
    krisplan = rng.choice(texts.KRISPLAN).format_map(sl)
    krisplan_ok = True
    if "GB6" in bad:
        what = rng.choice(("arbetsmetod", "bemotande", "krisplan", "krisplan_empty"))
        if what == "arbetsmetod":
            arbetsmetod = ""
        elif what == "bemotande":
            bemotande = ""
        elif what == "krisplan":
            krisplan = rng.choice(texts.KRISPLAN_VAGUE)
            krisplan_ok = False
        else:
            krisplan = ""
            krisplan_ok = False
    delaktighet = rng.choice(texts.DELAKTIGHET).format_map(sl)
    participation = True
    if "GB7" in bad:
        delaktighet = rng.choice(texts.DELAKTIGHET_MISSING)
        participation = False
    return TPlan(
        plan_id=plan_id,
        upprattad=upprattad,
        status_text=status_text,
        cls=cls,
        goals=goals,
        arbetsmetod=arbetsmetod,
        bemotande=bemotande,
        krisplan=krisplan,
        krisplan_ok=krisplan_ok,
        delaktighet=delaktighet,
        participation_ok=participation,
        uppfoljning=upprattad + timedelta(days=180),
    )


FINISHED_STATUS = ("Fastställd", "Fastställd", "Klar", "Aktiv")
CURRENT_STATUS = ("Aktiv", "Fastställd")
HISTORY_STATUS = ("Inaktuell", "Avslutad")
DRAFT_STATUS = ("Påbörjad", "Utkast")
