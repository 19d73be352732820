"""Who is who: units, the generation context, and which case gets which planted violation.

Every case gets a category (how its assignment sits in time) and a set of *planted* rules:
the rules for which the builder deliberately writes a violation (or, for GB3's warning
variant, a warning). Each rule in a case's scope is planted with probability ``rate``;
every rule that some case could carry is planted at least once.
"""

from __future__ import annotations

import calendar as _calendar
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from auditor.model.workdays import WorkdayCalendar

from .people import Person, random_person
from .units import DEFAULT_AS_OF, DEFAULT_RATE, UNITS, UnitSpec

__all__ = ["DEFAULT_AS_OF", "DEFAULT_RATE", "UNITS", "UnitSpec"]  # re-exported, older imports

UNIT_BY_NAME = {u.name: u for u in UNITS}

INSATS_TEXT = {
    "boendestod": ("Boendestöd", "SoL 4 kap. 1 §"),
    "korttidsvistelse": ("Korttidsvistelse utanför det egna hemmet", "LSS 9 § 6"),
    "avlosarservice": ("Avlösarservice i hemmet", "LSS 9 § 5"),
    "ledsagarservice": ("Ledsagarservice", "LSS 9 § 3"),
    "kontaktperson": ("Kontaktperson", "LSS 9 § 4"),
}

ALL_RULES = (
    "TN1",
    "TN2",
    "TN3",
    "TN4",
    "TN5",
    "TN6",
    "GB1",
    "GB2",
    "GB3",
    "GB4",
    "GB5",
    "GB6",
    "GB7",
    "GB8",
    "GB9",
    "GB10",
    "GB11",
    "GB12",
    "KT1",
    "KT2",
    "NB1",
    "NB2",
    "HP1",
    "DOK1",
    "DOK2",
    "DOK3",
)


def _scope_from_packs() -> dict[str, tuple[str, ...]]:
    """The rules each insats is in scope of, as the packs say (DOK is the optional pack):
    the rules of ALL_RULES (those the generator plants and the oracle labels) whose scope
    names the insats or "all"."""
    from auditor.rules.packs import load_packs

    scope = {r.id: r.scope for pack in load_packs(None) + load_packs(["DOK"]) for r in pack.rules}
    return {insats: tuple(r for r in ALL_RULES if insats in scope[r] or "all" in scope[r])
            for insats in INSATS_TEXT}


SCOPE: dict[str, tuple[str, ...]] = _scope_from_packs()

# Rules that are planted by the builder for the insats (korttids has no CONCERN events).
PLANTABLE: dict[str, tuple[str, ...]] = {
    "boendestod": SCOPE["boendestod"],
    "korttidsvistelse": ("KT1", "KT2", "DOK1", "DOK2", "DOK3"),
    "avlosarservice": SCOPE["avlosarservice"],
    "ledsagarservice": SCOPE["ledsagarservice"],
    "kontaktperson": SCOPE["kontaktperson"],
}

# Days a planted rule needs between verkställighet and the as-of date (so the violation is
# past due, and any event's window has closed, before the audit date).
NEED_DAYS: dict[str, int] = {
    "GB1": 20,
    "GB2": 70,
    "GB3": 130,
    "GB4": 60,
    "GB5": 45,
    "GB6": 45,
    "GB7": 45,
    "GB8": 150,
    "GB9": 50,
    "GB10": 60,
    "GB11": 75,
    "GB12": 75,
    "TN1": 50,
    "TN2": 50,
    "TN3": 50,
    "TN4": 50,
    "TN5": 80,
    "TN6": 70,
    "HP1": 50,
    "DOK1": 30,
    "DOK2": 30,
    "DOK3": 30,
    "KT1": 40,
    "KT2": 30,
    "NB1": 60,
    "NB2": 30,
}


def add_months(d: date, n: int) -> date:
    """Calendar months: 10 Aug + 1 = 10 Sep; 31 Jan + 1 = 28/29 Feb."""
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    day = min(d.day, _calendar.monthrange(year, month)[1])
    return date(year, month, day)


def rand_day(rng: random.Random, lo: date, hi: date) -> date:
    """A uniformly drawn day in ``[lo, hi]``; ``lo`` when the range is empty."""
    if hi < lo:
        return lo
    return lo + timedelta(days=rng.randint(0, (hi - lo).days))


@dataclass
class GenContext:
    seed: int
    clients: int
    months: int
    as_of: date
    rate: float
    units: tuple[UnitSpec, ...]
    cal: WorkdayCalendar
    span_start: date = field(init=False)
    last: date = field(init=False)  # the last generated day (as_of - 1)
    staff: dict[str, list[Person]] = field(default_factory=dict)
    caseworkers: list[Person] = field(default_factory=list)
    sign_mode: dict[str, str] = field(default_factory=dict)  # unit -> "date" | "status"
    anon_missed: dict[str, list] = field(default_factory=dict)  # unit -> [TAvvikelse]

    def __post_init__(self) -> None:
        self.span_start = add_months(self.as_of, -self.months)
        self.last = self.as_of - timedelta(days=1)

    @property
    def period(self) -> tuple[date, date]:
        return self.span_start, self.as_of


@dataclass
class CasePlan:
    index: int
    pnr: str
    unit: UnitSpec
    insats: str
    category: (
        str  # anchor | pre | normal | recent | gb2_late | gb2_open | gb3_late | gb3_open | gb3_warn
    )
    planted: tuple[str, ...]
    protected: bool


def allocate_units(units: tuple[UnitSpec, ...], clients: int) -> list[UnitSpec]:
    """Largest-remainder allocation of clients to units, in unit order."""
    total = sum(u.weight for u in units)
    raw = [u.weight / total * clients for u in units]
    counts = [int(x) for x in raw]
    order = sorted(range(len(units)), key=lambda i: (-(raw[i] - counts[i]), i))
    for i in order[: clients - sum(counts)]:
        counts[i] += 1
    if clients >= len(units):  # every unit gets someone
        for i in range(len(units)):
            if counts[i] == 0:
                j = max(range(len(units)), key=lambda k: counts[k])
                counts[j] -= 1
                counts[i] += 1
    out: list[UnitSpec] = []
    for u, c in zip(units, counts, strict=True):
        out.extend([u] * c)
    return out


def make_staff(ctx: GenContext, rng: random.Random, unit_counts: dict[str, int]) -> None:
    for u in ctx.units:
        n = max(4, min(80, unit_counts.get(u.name, 0) // 10 + 3))
        seen: set[str] = set()
        people: list[Person] = []
        while len(people) < n:
            p = random_person(rng)
            if p.full in seen:
                continue
            seen.add(p.full)
            people.append(p)
        ctx.staff[u.name] = people
    seen = set()
    while len(ctx.caseworkers) < 10:
        p = random_person(rng)
        if p.full not in seen:
            seen.add(p.full)
            ctx.caseworkers.append(p)


def _insats_for(unit: UnitSpec, rng: random.Random) -> str:
    if unit.kind == "boendestod":
        return "boendestod"
    if unit.kind == "korttid":
        return "korttidsvistelse"
    if unit.kind == "kontaktperson":
        return "kontaktperson"
    return "avlosarservice" if rng.random() < 0.5 else "ledsagarservice"


def plan_cases(ctx: GenContext, rng: random.Random, pnrs: list[str]) -> list[CasePlan]:
    """Categories and planted rules for every case, deterministic for the rng."""
    units = allocate_units(ctx.units, len(pnrs))
    plans: list[CasePlan] = []
    anchored: set[str] = set()
    span_days = (ctx.last - ctx.span_start).days
    for i, (pnr, unit) in enumerate(zip(pnrs, units, strict=True)):
        insats = _insats_for(unit, rng)
        # GB3 plants are late or missing verkställigheter, which break GB2 as well: half rate each.
        planted: set[str] = {
            r
            for r in PLANTABLE[insats]
            if rng.random() < ctx.rate * (0.5 if r in ("GB2", "GB3") else 1.0)
        }
        if {"GB11", "GB12"} <= planted:  # GB12 is planted on cases still active at as_of
            planted.discard(rng.choice(("GB11", "GB12")))
        category = "normal"
        if insats == "boendestod":
            if unit.name not in anchored:
                anchored.add(unit.name)
                category = "anchor"
                planted -= {"GB1", "GB2", "GB3"}
            elif "GB3" in planted:
                category = rng.choice(("gb3_late", "gb3_late", "gb3_open", "gb3_warn"))
            elif "GB2" in planted:
                category = "gb2_late" if rng.random() < 0.6 else "gb2_open"
            else:
                x = rng.random()
                category = "pre" if x < 0.08 else "recent" if x < 0.13 else "normal"
            if category in ("gb2_open", "gb3_open", "gb3_warn"):
                planted &= {"GB1", "GB2", "GB3", "DOK1", "DOK2", "DOK3"}
            if category in ("pre", "anchor", "recent"):
                planted -= {"GB1", "GB2", "GB3"}
            if category == "recent":
                planted &= {"DOK1", "DOK2", "DOK3"}
        elif insats == "korttidsvistelse":
            category = "pre" if rng.random() < 0.15 and "KT2" not in planted else "normal"
        planted -= {r for r in planted if NEED_DAYS[r] > span_days - 10}
        needs = {
            "gb3_late": "GB3",
            "gb3_open": "GB3",
            "gb3_warn": "GB3",
            "gb2_late": "GB2",
            "gb2_open": "GB2",
        }
        if category in needs and needs[category] not in planted:
            category = "normal"
        plans.append(CasePlan(i, pnr, unit, insats, category, tuple(sorted(planted)), False))
    # Every plantable rule at least once, where some case can carry it (unless rate is 0).
    for rule in ALL_RULES if ctx.rate > 0 else ():
        if any(rule in p.planted for p in plans):
            continue
        if NEED_DAYS[rule] > span_days - 10:
            continue
        for p in plans:
            if rule not in PLANTABLE[p.insats]:
                continue
            if p.insats == "boendestod" and (
                p.category in ("recent", "gb2_open", "gb3_open", "gb3_warn")
                or (rule in ("GB1", "GB2", "GB3") and p.category != "normal")
            ):
                continue
            if rule == "GB3":
                p.category = "gb3_late"
            elif rule == "GB2":
                p.category = "gb2_late"
            elif rule == "KT2":
                p.category = "normal"
            elif rule in ("GB11", "GB12") and {"GB11", "GB12"} & set(p.planted):
                continue
            p.planted = tuple(sorted({*p.planted, rule}))
            break
    # A few protected identities (sekretessmarkering in the uppdrag export).
    n_protected = max(1 if len(plans) >= 20 else 0, round(len(plans) * 0.015))
    for p in rng.sample(plans, min(n_protected, len(plans))):
        p.protected = True
    return plans
