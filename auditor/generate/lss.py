"""LSS cases: korttidsvistelse (stays, hemgångssamtal, terminssamtal) and new individuals in
avlösarservice, ledsagarservice and kontaktperson (genomförandeplan, välkomstmapp)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from .avvikelser import case_avvikelse
from .model import CaseTruth, TStay
from .notes import NoteMaker
from .oracle import terms_between
from .people import LSS_RELATIVES, RELATIVES, Person
from .plans import DRAFT_STATUS, FINISHED_STATUS, make_plan
from .plant import write_concern
from .scenario import INSATS_TEXT, NEED_DAYS, CasePlan, GenContext, rand_day

D = timedelta


def _term_start(d: date) -> date:
    return date(d.year, 1, 1) if d.month <= 6 else date(d.year, 7, 1)


def _people(ctx: GenContext, plan: CasePlan, rng: random.Random, person: Person, relatives, hours):
    unit_staff = ctx.staff[plan.unit.name]
    staff = rng.sample(unit_staff, min(len(unit_staff), rng.choice((1, 2, 2, 3))))
    weights = sorted((rng.random() + 0.3 for _ in staff), reverse=True)
    caseworker = rng.choice(ctx.caseworkers)
    relative = rng.choice(relatives)
    nm = NoteMaker(
        ctx,
        rng,
        first_name=person.first,
        staff=staff,
        weights=weights,
        relative=relative,
        caseworker=caseworker,
        sign_mode=ctx.sign_mode.get(plan.unit.name, "date"),
        hours=hours,
    )
    return nm, caseworker, relative


def build_korttid(ctx: GenContext, plan: CasePlan, rng: random.Random, person: Person) -> CaseTruth:
    s0, last, as_of = ctx.span_start, ctx.last, ctx.as_of
    planted = set(plan.planted)
    need = max([NEED_DAYS[r] for r in planted] + [0])
    nm, caseworker, relative = _people(ctx, plan, rng, person, LSS_RELATIVES, (7, 21))
    kt2_term = None
    if plan.category == "pre":
        lo = max(s0 - D(days=60), _term_start(s0))
        verkst = rand_day(rng, lo, s0 - D(days=1)) if lo < s0 else s0
    else:
        hi = last - D(days=max(need, 20))
        verkst = rand_day(rng, s0 + D(days=1), hi)
        if "KT2" in planted:
            # a term that has ended by the as-of date and lies inside the export for this client
            terms = [
                (n, ts, te)
                for n, ts, te in terms_between(s0, as_of)
                if te < as_of and te - D(days=41) >= s0
            ]
            if terms:
                _name, ts, te = rng.choice(terms)
                # the whole assignment (inkommit too) inside the export: nothing precedes it
                verkst = rand_day(rng, max(ts, s0 + D(days=21)), te - D(days=20))
                kt2_term = (ts, te)
    inkommit = verkst - D(days=rng.randint(5, 20))
    beslut = inkommit - D(days=rng.randint(0, 10))
    slut: date | None = None
    if rng.random() < 0.12 and verkst + D(days=90) <= last - D(days=10):
        slut = rand_day(rng, verkst + D(days=90), last - D(days=10))
        if kt2_term is not None and slut < kt2_term[1]:
            slut = None
    end = slut if slut is not None else last
    stays = _stays(rng, nm, max(verkst, s0), min(end, last - D(days=3)), "KT1" in planted)
    _term_talks(rng, nm, verkst, s0, min(end, last), end, kt2_term)
    # a plan (no KT rule reads it, but real units keep one)
    plans = []
    u_day = verkst + D(days=rng.randint(10, 30))
    if u_day <= last:
        plans.append(
            make_plan(
                rng,
                plan_id=f"GP{plan.index + 1:05d}-1",
                upprattad=u_day,
                status_text=rng.choice(FINISHED_STATUS),
                cls="finished",
                ref=person.first,
                relative=relative,
                lss=True,
            )
        )
    avv = []
    if stays and rng.random() < 0.08:
        st = rng.choice(stays)
        avv.append(
            case_avvikelse(
                ctx,
                rng,
                plan,
                plan.unit.name,
                st.start + D(days=1),
                st.start + D(days=2),
                missed=False,
            )
        )
    return _finish(
        ctx,
        plan,
        rng,
        person,
        nm,
        planted,
        "korttidsvistelse",
        inkommit,
        beslut,
        verkst,
        slut,
        caseworker,
        plans,
        stays,
        avv,
        hsl=True,
    )


def _stays(rng: random.Random, nm: NoteMaker, first: date, until: date, kt1: bool) -> list[TStay]:
    """Stays of 2–5 nights with notes for most days, and the home talk after each (KT1
    planted: one stay without it, with it too late, without who held it, or only intended)."""
    stays: list[TStay] = []
    d = first + D(days=rng.randint(0, 14))
    while True:
        dur = rng.randint(2, 5)
        e = d + D(days=dur)
        if e > until:
            break
        stays.append(TStay(d, e))
        d = e + D(days=rng.randint(10, 30))
    kt1_stay = rng.choice(stays) if (kt1 and stays) else None
    for st in stays:
        cur = st.start
        while cur <= st.end:
            if cur == st.start or rng.random() < 0.8:
                keys = ["STAY_DAY"] + (["VISIT_ADD"] if rng.random() < 0.2 else [])
                nm.add(cur, keys, "visit")
            cur += D(days=1)
        holder = nm.pick_staff()
        if st is kt1_stay:
            v = rng.choice(("none", "late", "anon", "intent"))
            if v == "late":
                nm.add(
                    st.end + D(days=rng.randint(2, 3)),
                    ("HOME_TALK",),
                    "home_talk",
                    staff=holder,
                    named=True,
                )
            elif v == "anon":
                nm.add(
                    st.end + D(days=rng.randint(0, 1)),
                    ("HOME_TALK_ANON",),
                    "home_talk",
                    staff=holder,
                )
            elif v == "intent":
                nm.add(st.end, ("HOME_TALK_INTENT",), "home_talk", staff=holder)
        else:
            day = st.end + D(days=0 if rng.random() < 0.6 else 1)
            nm.add(day, ("HOME_TALK",), "home_talk", staff=holder, named=True)
    return stays


def _term_talks(rng: random.Random, nm: NoteMaker, verkst: date, s0: date, until: date, end: date,
                kt2_term: tuple[date, date] | None) -> None:
    """A terminssamtal invitation per term the client is active in (KT2 planted: only intended)."""
    for _name, ts, te in terms_between(max(verkst, s0), until):
        if kt2_term is not None and ts == kt2_term[0]:
            if rng.random() < 0.4:
                nm.add(rand_day(rng, max(ts, verkst), min(te, end)), ("TERM_TALK_INTENT",), "term")
            continue
        lo = max(ts, verkst, s0)
        hi = min(te, end, until)
        if lo <= hi:
            nm.add(rand_day(rng, lo, min(hi, lo + D(days=40))), ("TERM_TALK",), "term")


def build_nb(ctx: GenContext, plan: CasePlan, rng: random.Random, person: Person) -> CaseTruth:
    cal = ctx.cal
    s0, last = ctx.span_start, ctx.last
    planted = set(plan.planted)
    need = max([NEED_DAYS[r] for r in planted] + [20])
    nm, caseworker, relative = _people(ctx, plan, rng, person, RELATIVES, (9, 20))
    verkst = rand_day(rng, s0 + D(days=1), last - D(days=need))
    inkommit = verkst - D(days=rng.randint(5, 20))
    beslut = inkommit - D(days=rng.randint(0, 10))
    slut: date | None = None
    if rng.random() < 0.1 and verkst + D(days=max(need, 45)) <= last - D(days=10):
        slut = rand_day(rng, verkst + D(days=max(need, 45)), last - D(days=10))
    end = slut if slut is not None else last
    step = 14 if plan.insats == "kontaktperson" else 7
    visits = []
    d = verkst
    while d <= end:
        visits.append(d)
        d += D(days=step + rng.choice((-1, 0, 0, 0, 1)))
    # first visit and the välkomstmapp
    visit_key = {"avlosarservice": "NB_AVLOSNING", "ledsagarservice": "NB_LEDSAGNING"}.get(
        plan.insats, "NB_KONTAKT"
    )
    welcome_mode = "ok"
    if "NB2" in planted:
        welcome_mode = rng.choice(("none", "intent"))
    for i, d in enumerate(visits):
        keys = [visit_key] + (["VISIT_ADD"] if rng.random() < 0.4 else [])
        if i == 0:
            if welcome_mode == "ok" and rng.random() < 0.6:
                keys.append("WELCOME")
            elif welcome_mode == "intent":
                keys.append("WELCOME_INTENT")
        nm.add(d, keys, "visit")
    if welcome_mode == "ok" and not any("WELCOME_PACK" in n.facts for n in nm.notes):
        nm.add(verkst + D(days=rng.randint(0, 5)), ("WELCOME",), "welcome")
    # the odd decline: out of TN scope, so never a finding here
    if len(visits) > 6 and rng.random() < 0.1:
        d = rng.choice(visits[2:-2])
        nm.add(d, ("DECLINE",), "event")
    # concern (HP1)
    ev = [d for d in visits if verkst + D(days=5) <= d <= min(end, last) - D(days=10)]
    if ev and ("HP1" in planted or rng.random() < 0.03):
        d = rng.choice(ev) + D(days=1)
        plants = frozenset(planted & {"HP1"})
        write_concern(nm, rng, cal, d, plants, reported_same_day=1.0)
    # plan (not for kontaktperson)
    plans = []
    if plan.insats != "kontaktperson":
        pid = f"GP{plan.index + 1:05d}"
        v = rng.choice(("late", "late", "draft", "none")) if "NB1" in planted else "ok"
        if v == "draft":
            dd = verkst + D(days=rng.randint(5, 20))
            plans.append(
                make_plan(
                    rng,
                    plan_id=f"{pid}-1",
                    upprattad=dd,
                    status_text=rng.choice(DRAFT_STATUS),
                    cls="draft",
                    ref=person.first,
                    relative=relative,
                    lss=True,
                )
            )
        elif v in ("ok", "late"):
            u_day = verkst + D(days=rng.randint(5, 25) if v == "ok" else rng.randint(30, 50))
            if u_day <= last:
                plans.append(
                    make_plan(
                        rng,
                        plan_id=f"{pid}-1",
                        upprattad=u_day,
                        status_text=rng.choice(FINISHED_STATUS),
                        cls="finished",
                        ref=person.first,
                        relative=relative,
                        lss=True,
                    )
                )
                nm.add(u_day, ("PLAN_DONE",), "plan")
    if slut is not None:
        e = slut + D(days=rng.randint(0, 10))
        if e <= last:
            nm.add(e, ("END_REASON",), "end", reasons=True)
    return _finish(
        ctx,
        plan,
        rng,
        person,
        nm,
        planted,
        plan.insats,
        inkommit,
        beslut,
        verkst,
        slut,
        caseworker,
        plans,
        [],
        [],
        hsl=False,
    )


def _finish(
    ctx,
    plan,
    rng,
    person,
    nm: NoteMaker,
    planted,
    insats,
    inkommit,
    beslut,
    verkst,
    slut,
    caseworker,
    plans,
    stays,
    avv,
    *,
    hsl: bool,
) -> CaseTruth:
    s0, last = ctx.span_start, ctx.last
    nm.notes = [n for n in nm.notes if s0 <= n.day <= last]
    nm.plant_dok(sorted(planted), first_day=s0)
    nm.add_artefacts(hsl=hsl, first_day=s0)
    nm.notes = [n for n in nm.notes if s0 <= n.day <= last]
    nm.notes.sort(key=lambda n: (n.day, n.time))
    text, lagrum = INSATS_TEXT[insats]
    return CaseTruth(
        index=plan.index,
        pnr=plan.pnr,
        name=person.listed,
        unit=plan.unit.name,
        insats=insats,
        insats_text=text,
        lagrum=lagrum,
        handlaggare=caseworker.full,
        beslut=beslut,
        inkommit=inkommit,
        verkst=verkst,
        slut=slut,
        status_text="Avslutad" if slut is not None else "Pågående",
        tid=None if insats == "korttidsvistelse" else rng.choice((2.0, 4.0, 6.0, 8.0)),
        protected=plan.protected,
        category=plan.category,
        planted=tuple(sorted(planted)),
        notes=nm.notes,
        bookings=[],
        plans=plans,
        stays=stays,
        avvikelser=[a for a in avv if a.occurred >= s0],
    )
