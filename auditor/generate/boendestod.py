"""One boendestöd case: assignment dates, contact, visits, events, plans, summaries, end.

Background is compliant with the Botkyrka (TN) and Göteborg (GB) routines by default; the
case's planted rules get one deliberately violating event or deadline each. The oracle then
judges the whole case, so the labels do not rest on these intentions.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from .avvikelser import case_avvikelse
from .bs_events import (
    DECLINE_REASONS,
    DayBook,
    booking,
    summary_text,
    write_cancel,
    write_decline,
    write_not_home,
)
from .model import CaseTruth, TAvvikelse, TBooking, TPlan
from .notes import NoteMaker
from .people import RELATIVES, Person
from .plans import CURRENT_STATUS, DRAFT_STATUS, FINISHED_STATUS, HISTORY_STATUS, make_plan
from .scenario import INSATS_TEXT, NEED_DAYS, CasePlan, GenContext, add_months, rand_day

D = timedelta


def _assignment_dates(
    ctx: GenContext, cat: str, planted: set[str], need: int, rng: random.Random
) -> tuple[date, date, date | None]:
    """inkommit, beslut and verkställighet (None: not yet) for the case's category."""
    s0, last, as_of = ctx.span_start, ctx.last, ctx.as_of
    inkommit: date
    verkst: date | None
    if cat in ("anchor", "pre"):
        inkommit = s0 - D(days=rng.randint(10, 50))
        beslut = inkommit - D(days=rng.randint(0, 7))
        verkst = inkommit + D(days=rng.randint(3, 20))
    elif cat == "recent":
        inkommit = rand_day(rng, max(s0 + D(days=1), as_of - D(days=25)), as_of - D(days=3))
        beslut = inkommit - D(days=rng.randint(0, 10))
        verkst = inkommit + D(days=rng.randint(3, 25))
        if verkst > last:
            verkst = None
    elif cat == "gb2_late":
        inkommit = rand_day(rng, s0 + D(days=1), last - D(days=need + 60))
        beslut = inkommit - D(days=rng.randint(0, 10))
        verkst = add_months(inkommit, 1) + D(days=rng.randint(1, 25))
    elif cat == "gb2_open":
        inkommit = rand_day(rng, as_of - D(days=55), as_of - D(days=35))
        beslut = inkommit - D(days=rng.randint(0, 5))
        verkst = None
    elif cat == "gb3_late":
        beslut = rand_day(rng, s0 + D(days=1), last - D(days=need + 125))
        inkommit = beslut + D(days=rng.randint(0, 7))
        verkst = add_months(beslut, 3) + D(days=rng.randint(1, 30))
    elif cat == "gb3_open":
        hi = add_months(as_of, -3) - D(days=3)
        beslut = rand_day(rng, max(s0 + D(days=1), add_months(as_of, -6)), hi)
        if beslut > hi:
            beslut = hi - D(days=rng.randint(0, 20))
        inkommit = beslut + D(days=rng.randint(0, 7))
        verkst = None
    elif cat == "gb3_warn":
        beslut = rand_day(rng, add_months(as_of, -3) + D(days=2), add_months(as_of, -2) - D(days=3))
        inkommit = beslut + D(days=rng.randint(0, 5))
        verkst = None
    else:  # normal
        hi = last - D(days=need + 25)
        if "GB1" in planted:
            hi = min(hi, as_of - D(days=20))
        inkommit = rand_day(rng, s0 + D(days=1), hi)
        if inkommit > hi:
            inkommit = rand_day(rng, s0 + D(days=1), max(s0 + D(days=1), last - D(days=30)))
        beslut = inkommit - D(days=rng.randint(0, 10))
        verkst = inkommit + D(days=rng.randint(3, 25))
        if verkst > last:
            verkst = None
    return inkommit, beslut, verkst


def _make_plans(
    ctx: GenContext,
    plan: CasePlan,
    rng: random.Random,
    person: Person,
    relative: str,
    planted: set[str],
    verkst: date,
) -> list[TPlan]:
    """The case's genomförandeplaner, with the GB4–GB7 plants."""
    s0, last = ctx.span_start, ctx.last
    plans = []
    gb4_variant = "ok"
    if "GB4" in planted:
        gb4_variant = (
            "late"
            if ({"GB5", "GB6", "GB7"} & planted)
            else rng.choice(("late", "late", "late", "draft", "none"))
        )
    bad = tuple(r for r in ("GB5", "GB6", "GB7") if r in planted)
    pid = f"GP{plan.index + 1:05d}"
    u1: date | None = None
    if gb4_variant == "ok":
        u1 = verkst + D(days=rng.randint(7, 26))
    elif gb4_variant == "late":
        u1 = verkst + D(days=rng.randint(29, 50))
    if gb4_variant in ("draft",) or (
        gb4_variant == "ok" and u1 is not None and u1 > last and rng.random() < 0.5
    ):
        dday = verkst + D(days=rng.randint(3, 15))
        if dday <= last:
            plans.append(
                make_plan(
                    rng,
                    plan_id=f"{pid}-1",
                    upprattad=dday,
                    status_text=rng.choice(DRAFT_STATUS),
                    cls="draft",
                    ref=person.first,
                    relative=relative,
                )
            )
    if u1 is not None and u1 <= last:
        u2: date | None = None
        room = (last - D(days=5) - u1).days
        if bad and u1 < s0:
            u2 = rand_day(rng, max(s0, u1 + D(days=60)), last - D(days=5))
        elif room >= 150 and rng.random() < 0.5:
            u2 = u1 + D(days=rng.randint(150, min(220, room)))
        if u2 is not None:
            plans.append(
                make_plan(
                    rng,
                    plan_id=f"{pid}-1",
                    upprattad=u1,
                    status_text=rng.choice(HISTORY_STATUS),
                    cls="history",
                    ref=person.first,
                    relative=relative,
                )
            )
            plans.append(
                make_plan(
                    rng,
                    plan_id=f"{pid}-2",
                    upprattad=u2,
                    status_text=rng.choice(CURRENT_STATUS),
                    cls="finished",
                    ref=person.first,
                    relative=relative,
                    bad=bad,
                )
            )
        else:
            plans.append(
                make_plan(
                    rng,
                    plan_id=f"{pid}-1",
                    upprattad=u1,
                    status_text=rng.choice(FINISHED_STATUS),
                    cls="finished",
                    ref=person.first,
                    relative=relative,
                    bad=bad,
                )
            )
    return plans


def build(ctx: GenContext, plan: CasePlan, rng: random.Random, person: Person) -> CaseTruth:
    cal = ctx.cal
    s0, last = ctx.span_start, ctx.last
    planted = set(plan.planted)
    cat = plan.category
    unit = plan.unit.name
    need = max([NEED_DAYS[r] for r in planted if r not in ("GB1", "GB2", "GB3")] + [0])

    inkommit, beslut, verkst = _assignment_dates(ctx, cat, planted, need, rng)
    if verkst is not None and verkst > last:
        verkst = None
    if verkst is not None:
        planted = {
            r
            for r in planted
            if r in ("GB1", "GB2", "GB3") or verkst + D(days=NEED_DAYS[r]) <= last
        }

    # ---- people ----------------------------------------------------------------------------------
    unit_staff = ctx.staff[unit]
    if "GB12" in planted:
        staff = [rng.choice(unit_staff)]
        weights = [1.0]
    else:
        staff = rng.sample(unit_staff, min(len(unit_staff), rng.choice((2, 2, 3, 3, 4))))
        weights = sorted((rng.random() + 0.3 for _ in staff), reverse=True)
    relative = rng.choice(RELATIVES)
    caseworker = rng.choice(ctx.caseworkers)
    nm = NoteMaker(
        ctx,
        rng,
        first_name=person.first,
        staff=staff,
        weights=weights,
        relative=relative,
        caseworker=caseworker,
        sign_mode=ctx.sign_mode.get(unit, "date"),
    )
    days = DayBook()
    bookings: list[TBooking] = []
    avvikelser: list[TAvvikelse] = []

    # ---- end date ----------------------------------------------------------------------------------
    slut: date | None = None
    if verkst is not None:
        if "GB11" in planted:
            lo = verkst + D(days=max(40, need - 20))
            if lo <= last - D(days=20):
                slut = rand_day(rng, lo, last - D(days=20))
        elif cat in ("normal", "pre", "anchor") and "GB12" not in planted and rng.random() < 0.18:
            lo = verkst + D(days=max(60, need + 20))
            if lo <= last - D(days=3):
                slut = rand_day(rng, lo, last - D(days=3))

    # ---- contact after the assignment came in ---------------------------------------------------
    if cat == "anchor":
        nm.add(s0, ("CONTACT",), "contact")
    contact_day: date | None = None
    if cat not in ("anchor", "pre"):
        if rng.random() < 0.2:
            nm.add(inkommit, ("CASEWORKER_INFO",), "caseworker")
        if "GB1" in planted:
            for k in sorted(rng.sample((1, 2, 3), rng.randint(1, 3))):
                nm.add(cal.add_workdays(inkommit, k), ("CONTACT_ATTEMPT",), "contact")
            if rng.random() < 0.4:
                nm.add(
                    cal.add_workdays(inkommit, rng.randint(1, 3)),
                    ("CASEWORKER_INFO",),
                    "caseworker",
                )
            contact_day = cal.add_workdays(inkommit, rng.randint(4, 8))
        else:
            k = rng.choice((1, 1, 1, 2, 2, 3))
            if k >= 2 and rng.random() < 0.3:
                nm.add(cal.add_workdays(inkommit, 1), ("CONTACT_ATTEMPT",), "contact")
            contact_day = cal.add_workdays(inkommit, k)
        if contact_day <= last:
            nm.add(contact_day, ("CONTACT_FIRST",), "contact")
        if verkst is not None and verkst <= contact_day:
            verkst = contact_day + D(days=rng.randint(1, 4))
            if verkst > last:
                verkst = None

    first_day = max(s0, inkommit)
    if verkst is None:
        # Not yet verkställd: waiting notes and the odd call.
        d = (contact_day or first_day) + D(days=rng.randint(10, 25))
        while d <= last:
            if rng.random() < 0.5:
                nm.add(d, ("WAITING",), "contact")
            else:
                nm.add(d, ("CONTACT",), "contact")
            d += D(days=rng.randint(12, 30))
        return _finish(
            ctx,
            plan,
            rng,
            person,
            nm,
            planted,
            cat,
            inkommit,
            beslut,
            verkst,
            slut,
            bookings,
            avvikelser,
            caseworker,
            [],
        )

    vis_end = slut if slut is not None else last
    # a long wait before verkställighet: the unit writes while it waits
    d = (contact_day or first_day) + D(days=rng.randint(10, 25))
    while d < verkst - D(days=5):
        nm.add(d, ("WAITING",) if rng.random() < 0.6 else ("CONTACT",), "contact")
        d += D(days=rng.randint(12, 30))

    # ---- uppstart ----------------------------------------------------------------------------------
    start_keys = ["UPPSTART"] + (["PLAN_START"] if rng.random() < 0.3 else [])
    up_staff = nm.pick_staff()
    if verkst >= s0:
        nm.add(verkst, start_keys, "visit", staff=up_staff)
    u = (
        contact_day + D(days=rng.randint(1, max(1, (verkst - contact_day).days - 2)))
        if contact_day
        else None
    )
    if u is not None and (verkst - u).days >= 2 and u + D(days=16) <= last and rng.random() < 0.06:
        nm.add(u, ("DECLINE_START", "MOTIVATION"), "event")
        nm.add(u + D(days=1), ("CONTACT",), "contact")
        bookings.append(
            TBooking(
                u,
                "10:00",
                "11:00",
                "decline",
                "Avbokad",
                "Brukare",
                rng.choice(DECLINE_REASONS),
                True,
                up_staff.full,
            )
        )
        days.declines.append(u)

    # ---- visit schedule ----------------------------------------------------------------------------
    per_week = rng.choice((1, 2, 2, 2, 3, 3)) if "GB12" not in planted else rng.choice((2, 3))
    weekdays = sorted(rng.sample(range(5), per_week))
    visit_days: list[date] = []
    d = verkst + D(days=1)
    while d <= vis_end:
        if d.weekday() in weekdays and cal.is_workday(d):
            visit_days.append(d)
        d += D(days=1)
    slot = rng.choice(((9, 0), (10, 0), (13, 0), (14, 30)))

    # ---- sammanställningar -------------------------------------------------------------------------
    summaries: list[date] = []
    gb8_k = -1
    if "GB8" in planted:
        gb8_k = 1 if cat in ("pre", "anchor") else rng.choice((0, 1))
    prev = verkst
    j = 0
    while True:
        if j == 0 and cat in ("pre", "anchor"):
            lo = max(s0 + D(days=1), verkst + D(days=30))
            s = rand_day(rng, lo, verkst + D(days=84))
        elif j == gb8_k:
            s = prev + D(days=rng.randint(95, 140))
        else:
            s = prev + D(days=rng.randint(50, 84))
        s = cal.next_workday(s)
        if j != gb8_k and (s - prev).days > 89:
            s = (
                cal.add_workdays(prev + D(days=89), -1)
                if not cal.is_workday(prev + D(days=89))
                else prev + D(days=89)
            )
        if s > vis_end:
            break
        summaries.append(s)
        days.protect.add(s)
        prev = s
        j += 1

    # ---- plans ----------------------------------------------------------------------------------------
    plans = _make_plans(ctx, plan, rng, person, relative, planted, verkst)
    for p in plans:
        if p.cls == "draft" or p.upprattad >= s0:
            days.protect.add(p.upprattad)
    # ---- events -------------------------------------------------------------------------------------
    ev_lo = verkst + D(days=5)
    ev_hi = min(last - D(days=16), (slut - D(days=17)) if slut is not None else last)
    cands = [d for d in visit_days if ev_lo <= d <= ev_hi and d >= s0]
    events: list[tuple] = []  # (day, kind, planted rules it carries[, hospital pause])
    anon = ctx.anon_missed.get(unit, [])

    def anon_near(d: date) -> bool:
        return any(
            (d - D(days=5) <= a.occurred <= d + D(days=5))
            or (d - D(days=2) <= a.reported <= d + D(days=9))
            for a in anon
        )

    def pick(pred, tries: int = 60):
        if not cands:
            return None
        for _ in range(tries):
            d = rng.choice(cands)
            if pred(d):
                return d
        return None

    def place_run(compliant: bool) -> bool:
        d1 = pick(
            lambda d: d + D(days=25) <= ev_hi and days.free(d) and days.decline_ok(d, run=True)
        )
        if d1 is None:
            return False
        later = [
            d
            for d in cands
            if d1 + D(days=3) <= d <= d1 + D(days=25)
            and days.free(d)
            and days.decline_ok(d, run=True)
        ]
        later = [d for d in later if all(abs((d - e).days) > 2 for e in (d1,))]
        if len(later) < 2:
            return False
        d2 = rng.choice(later[:-1])
        rest = [d for d in later if d >= d2 + D(days=3)]
        if not rest:
            return False
        d3 = rng.choice(rest)
        for d in (d1, d2, d3):
            days.events[d] = "decline"
            days.runs.append(d)
            events.append((d, "decline", frozenset()))
        if compliant:
            cw = d3 + D(days=rng.randint(0, 7))
            events.append((cw, "run_cw", frozenset()))
        else:
            days.no_cw.append((d3, d3 + D(days=14)))
            events.append((d3, "run_intent", frozenset({"TN5"})))
        return True

    if "TN5" in planted:
        place_run(compliant=False)
    decl_plants = frozenset(planted & {"TN3", "TN4", "TN6"})
    if decl_plants:

        def ok_decl(d: date) -> bool:
            if not (days.free(d, after=16 if "TN6" in decl_plants else 5) and days.decline_ok(d)):
                return False
            if "TN6" in decl_plants:
                gap = (d + D(days=1), d + D(days=14))
                if (
                    any(gap[0] <= p <= gap[1] for p in days.protect)
                    or any(gap[0] - D(days=9) <= e <= gap[1] + D(days=2) for e in days.events)
                    or d + D(days=20) > vis_end
                ):
                    return False
            return True

        d = pick(ok_decl)
        if d is not None:
            days.events[d] = "decline"
            days.declines.append(d)
            if "TN6" in decl_plants:
                days.quiet.append((d + D(days=1), d + D(days=14)))
            events.append((d, "decline", decl_plants))
    cancel_plants = frozenset(planted & {"TN1", "TN2"})
    if cancel_plants:
        d = pick(lambda d: days.free(d) and not ("TN1" in cancel_plants and anon_near(d)))
        if d is not None:
            days.events[d] = "cancel"
            events.append((d, "cancel", cancel_plants))
    if "GB9" in planted:
        d = pick(lambda d: days.free(d))
        if d is not None:
            days.events[d] = "not_home"
            events.append((d, "not_home", frozenset({"GB9"})))
    if "GB10" in planted:
        d = pick(lambda d: days.free(d, after=14))
        if d is not None:
            pause = rng.randint(5, 12)
            days.events[d] = "hospital"
            days.pause.append((d, d + D(days=pause + 1)))
            days.no_cw.append((d, d + D(days=4)))
            events.append((d, "hospital", frozenset({"GB10"}), pause))
    if "HP1" in planted:
        d = pick(lambda d: days.free(d))
        if d is not None:
            days.events[d] = "concern"
            days.no_cw.append((d, cal.add_workdays(d, 2)))
            events.append((d, "concern", frozenset({"HP1"})))
    # background events
    if "TN5" not in planted and len(cands) > 30 and rng.random() < 0.08:
        place_run(compliant=True)
    last_hosp: date | None = None
    for d in cands:
        r = rng.random()
        if r < 0.03:
            if days.free(d) and days.decline_ok(d):
                days.events[d] = "decline"
                days.declines.append(d)
                events.append((d, "decline", frozenset()))
        elif r < 0.05:
            if days.free(d):
                days.events[d] = "cancel"
                events.append((d, "cancel", frozenset()))
        elif r < 0.062:
            if days.free(d):
                days.events[d] = "not_home"
                events.append((d, "not_home", frozenset()))
        elif r < 0.0645:
            if (
                days.free(d, after=14)
                and (last_hosp is None or (d - last_hosp).days > 120)
                and days.cw_ok(d, d + D(days=3))
            ):
                pause = rng.randint(5, 12)
                days.events[d] = "hospital"
                days.pause.append((d, d + D(days=pause + 1)))
                last_hosp = d
                events.append((d, "hospital", frozenset(), pause))
        elif r < 0.066 and days.free(d) and days.cw_ok(d, cal.add_workdays(d, 1)):
            days.events[d] = "concern"
            events.append((d, "concern", frozenset()))

    # ---- write the events ---------------------------------------------------------------------------
    hospital_pause: list[tuple[date, date]] = []
    for d, kind, plants, *extra in sorted(events, key=lambda e: (e[0], e[1])):
        staff_p = nm.pick_staff()
        if kind == "decline":
            write_decline(nm, rng, d, plants, bookings, staff_p, slot, days)
        elif kind == "run_cw":
            if d <= last:
                nm.add(d, ("SS_DECLINES",), "caseworker")
        elif kind == "run_intent":
            if rng.random() < 0.5:
                nm.add(d, ("SS_DECLINES_INTENT",), "caseworker")
        elif kind == "cancel":
            write_cancel(ctx, nm, rng, d, plants, bookings, avvikelser, staff_p, slot, plan, unit)
        elif kind == "not_home":
            write_not_home(nm, rng, d, plants, bookings, staff_p, slot)
        elif kind == "hospital":
            pause = extra[0]
            hospital_pause.append((d, d + D(days=pause)))
            if plants:
                nm.add(d, ("HOSPITAL",), "event")
                if rng.random() < 0.5:
                    nm.add(d + D(days=rng.randint(5, 8)), ("SS_INFORMED",), "caseworker")
            else:
                x = rng.random()
                if x < 0.6:
                    nm.add(d, ("HOSPITAL", "SS_INFORMED"), "event")
                elif x < 0.75:
                    nm.add(d, ("HOSPITAL_SS",), "event")
                else:
                    nm.add(d, ("HOSPITAL",), "event")
                    nm.add(d + D(days=rng.randint(1, 3)), ("SS_INFORMED",), "caseworker")
            nm.add(d + D(days=pause + 1), ("HOME_AGAIN",), "contact")
        elif kind == "concern":
            if plants:
                nm.add(d, ("CONCERN",), "event")
                if rng.random() < 0.5:
                    nm.add(
                        cal.add_workdays(d, rng.randint(3, 5)), ("CONCERN_SS_LATER",), "caseworker"
                    )
            elif rng.random() < 0.7:
                nm.add(d, ("CONCERN", "CONCERN_SS"), "event")
            else:
                nm.add(d, ("CONCERN",), "event")
                nm.add(cal.add_workdays(d, 1), ("CONCERN_SS_LATER",), "caseworker")

    # ---- ordinary visits -----------------------------------------------------------------------------
    def paused(d: date) -> bool:
        return any(lo < d <= hi for lo, hi in hospital_pause)

    for d in visit_days:
        if d in days.events or paused(d) or not days.note_ok(d):
            continue
        keys = ["VISIT"]
        x = rng.random()
        if x < 0.6:
            keys.append("VISIT_ADD")
        y = rng.random()
        if y < 0.012:
            keys.append("MOVE_OWN")
        elif y < 0.022:
            keys.append("ACCEPT")
        elif y < 0.027:
            keys.append("HOSPITAL_DECOY")
        elif y < 0.032:
            keys.append("CONCERN_DECOY")
        elif y < 0.035:
            keys.append("VALUE_DECOY")
        st = nm.pick_staff()
        nm.add(d, keys, "visit", staff=st)
        bookings.append(booking(d, slot, "done", "Utförd", "", "", False, st.full))
    if verkst >= s0:
        bookings.append(booking(verkst, slot, "done", "Utförd", "", "", False, up_staff.full))

    # ---- summaries, plans in the journal, routine caseworker contact, internal notes ---------------------
    prev = verkst
    for s in summaries:
        nm.add(
            s,
            (),
            "summary",
            text=summary_text(nm, rng, prev, s, events, hospital_pause),
            facts=frozenset({"SUMMARY"}),
        )
        start = s - D(days=rng.randint(3, 5))
        if rng.random() < 0.15 and start > prev and days.note_ok(start):
            nm.add(start, ("SUMMARY_START",), "summary")
        prev = s
    if "GB8" in planted and rng.random() < 0.5:
        before = [verkst, *summaries]
        late = [a for a, b in zip(before, summaries, strict=False) if (b - a).days > 89]
        if late:
            d = late[0] + D(days=89 + rng.randint(1, 5))
            if days.note_ok(d) and d <= last:
                nm.add(d, ("SUMMARY_START",), "summary")
    for p in plans:
        if p.upprattad < s0 or p.upprattad > last:
            continue
        if p.cls == "draft":
            nm.add(p.upprattad, ("PLAN_START",), "plan")
        else:
            nm.add(p.upprattad, ("PLAN_DONE",), "plan")
    d = verkst + D(days=rng.randint(40, 110))
    while d <= vis_end - D(days=3):
        if days.cw_ok(d) and d >= s0:
            nm.add(d, ("SS_ROUTINE",), "caseworker")
        d += D(days=rng.randint(80, 160))
    for lo, hi in days.quiet:
        if rng.random() < 0.5:
            nm.add(lo + D(days=rng.randint(2, (hi - lo).days - 2)), ("INTERNAL",), "event")

    # ---- end ---------------------------------------------------------------------------------------------
    if slut is not None:
        if "GB11" in planted:
            v = rng.choice(("none", "bare", "bare", "late"))
            if v == "bare":
                nm.add(slut + D(days=rng.randint(0, 5)), ("END_BARE",), "end", reasons=False)
            elif v == "late":
                late = slut + D(days=rng.randint(16, 25))
                if late <= last:
                    nm.add(late, ("END_REASON",), "end", reasons=True)
        else:
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
        cat,
        inkommit,
        beslut,
        verkst,
        slut,
        bookings,
        avvikelser,
        caseworker,
        plans,
    )


def _finish(
    ctx: GenContext,
    plan: CasePlan,
    rng: random.Random,
    person: Person,
    nm: NoteMaker,
    planted: set[str],
    cat: str,
    inkommit: date,
    beslut: date,
    verkst: date | None,
    slut: date | None,
    bookings: list[TBooking],
    avvikelser: list[TAvvikelse],
    caseworker: Person,
    plans,
) -> CaseTruth:
    s0, last = ctx.span_start, ctx.last
    if verkst is not None and rng.random() < 0.05:
        occ = rand_day(rng, max(verkst, s0), last - D(days=5))
        avvikelser.append(
            case_avvikelse(
                ctx, rng, plan, plan.unit.name, occ, occ + D(days=rng.randint(0, 3)), missed=False
            )
        )
    nm.notes = [n for n in nm.notes if s0 <= n.day <= last]
    nm.plant_dok(sorted(planted), first_day=s0)
    nm.add_artefacts(hsl=True, first_day=s0)
    nm.notes = [n for n in nm.notes if s0 <= n.day <= last]
    nm.notes.sort(key=lambda n: (n.day, n.time))
    if slut is not None:
        status = "Avslutad"
    elif verkst is None:
        status = "Ej verkställd"
    else:
        status = "Pågående"
    text, lagrum = INSATS_TEXT["boendestod"]
    return CaseTruth(
        index=plan.index,
        pnr=plan.pnr,
        name=person.listed,
        unit=plan.unit.name,
        insats="boendestod",
        insats_text=text,
        lagrum=lagrum,
        handlaggare=caseworker.full,
        beslut=beslut,
        inkommit=inkommit,
        verkst=verkst,
        slut=slut,
        status_text=status,
        tid=rng.choice((1.5, 2.0, 2.5, 3.0, 4.0, 4.5, 6.0)),
        protected=plan.protected,
        category=cat,
        planted=tuple(sorted(planted)),
        notes=nm.notes,
        bookings=sorted((b for b in bookings if s0 <= b.day <= last), key=lambda b: b.day),
        plans=plans,
        avvikelser=[a for a in avvikelser if a.occurred >= s0],
    )
