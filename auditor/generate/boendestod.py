"""One boendestöd case: assignment dates, contact, visits, events, plans, summaries, end.

Background is compliant with the Botkyrka (TN) and Göteborg (GB) routines by default; the
case's planted rules get one deliberately violating event or deadline each. The oracle then
judges the whole case, so the labels do not rest on these intentions.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from .avvikelser import case_avvikelse
from .bs_events import (
    DECLINE_REASONS,
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
from .plant import DayBook, Planted, write_concern
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
    return _Case(ctx, plan, rng, person).build()


class _Case:
    """One boendestöd case built step by step; each step draws from the case's random stream
    in a fixed order, so the same seed gives the same case."""

    def __init__(self, ctx: GenContext, plan: CasePlan, rng: random.Random, person: Person) -> None:
        self.ctx, self.plan, self.rng, self.person = ctx, plan, rng, person
        self.cal = ctx.cal
        self.s0, self.last = ctx.span_start, ctx.last
        self.planted = set(plan.planted)
        self.cat = plan.category
        self.unit = plan.unit.name
        self.need = max([NEED_DAYS[r] for r in self.planted if r not in ("GB1", "GB2", "GB3")] + [0])
        self.days = DayBook()
        self.bookings: list[TBooking] = []
        self.avvikelser: list[TAvvikelse] = []
        self.contact_day: date | None = None
        self.slut: date | None = None

    def build(self) -> CaseTruth:
        self._dates()
        self._people()
        self._end_date()
        self._first_contact()
        if self.verkst is None:
            self._waiting(self.last, plain=True)
            return self._finish([])
        verkst = self.verkst
        self.vis_end = self.slut if self.slut is not None else self.last
        # a long wait before verkställighet: the unit writes while it waits
        self._waiting(verkst - D(days=5), plain=False)
        self._uppstart(verkst)
        self._visit_schedule(verkst)
        self._summary_days(verkst)
        plans = _make_plans(self.ctx, self.plan, self.rng, self.person, self.relative, self.planted, verkst)
        for p in plans:
            if p.cls == "draft" or p.upprattad >= self.s0:
                self.days.protect.add(p.upprattad)
        self._plant_events(verkst)
        self._write_events()
        self._ordinary_visits(verkst)
        self._journal_routines(verkst, plans)
        self._end_notes()
        return self._finish(plans)

    # -- dates and people ---------------------------------------------------------------------

    def _dates(self) -> None:
        self.inkommit, self.beslut, verkst = _assignment_dates(
            self.ctx, self.cat, self.planted, self.need, self.rng)
        if verkst is not None and verkst > self.last:
            verkst = None
        if verkst is not None:
            self.planted = {
                r
                for r in self.planted
                if r in ("GB1", "GB2", "GB3") or verkst + D(days=NEED_DAYS[r]) <= self.last
            }
        self.verkst: date | None = verkst

    def _people(self) -> None:
        rng = self.rng
        unit_staff = self.ctx.staff[self.unit]
        if "GB12" in self.planted:
            staff = [rng.choice(unit_staff)]
            weights = [1.0]
        else:
            staff = rng.sample(unit_staff, min(len(unit_staff), rng.choice((2, 2, 3, 3, 4))))
            weights = sorted((rng.random() + 0.3 for _ in staff), reverse=True)
        self.relative = rng.choice(RELATIVES)
        self.caseworker = rng.choice(self.ctx.caseworkers)
        self.nm = NoteMaker(
            self.ctx,
            rng,
            first_name=self.person.first,
            staff=staff,
            weights=weights,
            relative=self.relative,
            caseworker=self.caseworker,
            sign_mode=self.ctx.sign_mode.get(self.unit, "date"),
        )

    def _end_date(self) -> None:
        rng, verkst, last, need = self.rng, self.verkst, self.last, self.need
        if verkst is None:
            return
        if "GB11" in self.planted:
            lo = verkst + D(days=max(40, need - 20))
            if lo <= last - D(days=20):
                self.slut = rand_day(rng, lo, last - D(days=20))
        elif self.cat in ("normal", "pre", "anchor") and "GB12" not in self.planted and rng.random() < 0.18:
            lo = verkst + D(days=max(60, need + 20))
            if lo <= last - D(days=3):
                self.slut = rand_day(rng, lo, last - D(days=3))

    # -- before the visits start ----------------------------------------------------------------

    def _first_contact(self) -> None:
        """Contact after the assignment came in (GB1 planted: attempts only, then too late)."""
        rng, nm, cal, inkommit = self.rng, self.nm, self.cal, self.inkommit
        if self.cat == "anchor":
            nm.add(self.s0, ("CONTACT",), "contact")
        if self.cat in ("anchor", "pre"):
            return
        if rng.random() < 0.2:
            nm.add(inkommit, ("CASEWORKER_INFO",), "caseworker")
        if "GB1" in self.planted:
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
        if contact_day <= self.last:
            nm.add(contact_day, ("CONTACT_FIRST",), "contact")
        if self.verkst is not None and self.verkst <= contact_day:
            verkst = contact_day + D(days=rng.randint(1, 4))
            self.verkst = verkst if verkst <= self.last else None
        self.contact_day = contact_day

    def _waiting(self, until: date, *, plain: bool) -> None:
        """Waiting notes and the odd call until ``until`` (inclusive when not yet verkställd)."""
        rng, nm = self.rng, self.nm
        d = (self.contact_day or max(self.s0, self.inkommit)) + D(days=rng.randint(10, 25))
        while d <= until if plain else d < until:
            if plain:
                if rng.random() < 0.5:
                    nm.add(d, ("WAITING",), "contact")
                else:
                    nm.add(d, ("CONTACT",), "contact")
            else:
                nm.add(d, ("WAITING",) if rng.random() < 0.6 else ("CONTACT",), "contact")
            d += D(days=rng.randint(12, 30))

    def _uppstart(self, verkst: date) -> None:
        rng, nm, contact_day = self.rng, self.nm, self.contact_day
        start_keys = ["UPPSTART"] + (["PLAN_START"] if rng.random() < 0.3 else [])
        self.up_staff = up_staff = nm.pick_staff()
        if verkst >= self.s0:
            nm.add(verkst, start_keys, "visit", staff=up_staff)
        u = (
            contact_day + D(days=rng.randint(1, max(1, (verkst - contact_day).days - 2)))
            if contact_day
            else None
        )
        if u is not None and (verkst - u).days >= 2 and u + D(days=16) <= self.last and rng.random() < 0.06:
            nm.add(u, ("DECLINE_START", "MOTIVATION"), "event")
            nm.add(u + D(days=1), ("CONTACT",), "contact")
            self.bookings.append(
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
            self.days.declines.append(u)

    def _visit_schedule(self, verkst: date) -> None:
        rng = self.rng
        per_week = rng.choice((1, 2, 2, 2, 3, 3)) if "GB12" not in self.planted else rng.choice((2, 3))
        weekdays = sorted(rng.sample(range(5), per_week))
        self.visit_days: list[date] = []
        d = verkst + D(days=1)
        while d <= self.vis_end:
            if d.weekday() in weekdays and self.cal.is_workday(d):
                self.visit_days.append(d)
            d += D(days=1)
        self.slot = rng.choice(((9, 0), (10, 0), (13, 0), (14, 30)))

    def _summary_days(self, verkst: date) -> None:
        """Sammanställningar every 50–84 days (GB8 planted: one gap longer than 89 days)."""
        rng, cal, cat = self.rng, self.cal, self.cat
        self.summaries: list[date] = []
        gb8_k = -1
        if "GB8" in self.planted:
            gb8_k = 1 if cat in ("pre", "anchor") else rng.choice((0, 1))
        prev = verkst
        j = 0
        while True:
            if j == 0 and cat in ("pre", "anchor"):
                lo = max(self.s0 + D(days=1), verkst + D(days=30))
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
            if s > self.vis_end:
                break
            self.summaries.append(s)
            self.days.protect.add(s)
            prev = s
            j += 1

    # -- events: planted where they break their rule, then written ----------------------------------

    def _pick(self, pred: Callable[[date], bool], tries: int = 60) -> date | None:
        if not self.cands:
            return None
        for _ in range(tries):
            d = self.rng.choice(self.cands)
            if pred(d):
                return d
        return None

    def _place_run(self, compliant: bool) -> bool:
        """Three declines within 25 days (TN5), with or without the caseworker told."""
        rng, days, cands, ev_hi = self.rng, self.days, self.cands, self.ev_hi
        d1 = self._pick(
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
            days.runs.append(d)
            days.plant(d, "decline")
        if compliant:
            days.plant(d3 + D(days=rng.randint(0, 7)), "run_cw", takes_day=False)
        else:
            days.no_cw.append((d3, d3 + D(days=14)))
            days.plant(d3, "run_intent", {"TN5"}, takes_day=False)
        return True

    def _plant_events(self, verkst: date) -> None:
        rng, days, planted, last, slut = self.rng, self.days, self.planted, self.last, self.slut
        ev_lo = verkst + D(days=5)
        self.ev_hi = min(last - D(days=16), (slut - D(days=17)) if slut is not None else last)
        self.cands = [d for d in self.visit_days if ev_lo <= d <= self.ev_hi and d >= self.s0]
        anon = self.ctx.anon_missed.get(self.unit, [])

        def anon_near(d: date) -> bool:
            return any(
                (d - D(days=5) <= a.occurred <= d + D(days=5))
                or (d - D(days=2) <= a.reported <= d + D(days=9))
                for a in anon
            )

        if "TN5" in planted:
            self._place_run(compliant=False)
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
                        or d + D(days=20) > self.vis_end
                    ):
                        return False
                return True

            d = self._pick(ok_decl)
            if d is not None:
                days.declines.append(d)
                if "TN6" in decl_plants:
                    days.quiet.append((d + D(days=1), d + D(days=14)))
                days.plant(d, "decline", decl_plants)
        cancel_plants = frozenset(planted & {"TN1", "TN2"})
        if cancel_plants:
            d = self._pick(lambda d: days.free(d) and not ("TN1" in cancel_plants and anon_near(d)))
            if d is not None:
                days.plant(d, "cancel", cancel_plants)
        if "GB9" in planted:
            d = self._pick(lambda d: days.free(d))
            if d is not None:
                days.plant(d, "not_home", {"GB9"})
        if "GB10" in planted:
            d = self._pick(lambda d: days.free(d, after=14))
            if d is not None:
                pause = rng.randint(5, 12)
                days.pause.append((d, d + D(days=pause + 1)))
                days.no_cw.append((d, d + D(days=4)))
                days.plant(d, "hospital", {"GB10"}, pause=pause)
        if "HP1" in planted:
            d = self._pick(lambda d: days.free(d))
            if d is not None:
                days.no_cw.append((d, self.cal.add_workdays(d, 2)))
                days.plant(d, "concern", {"HP1"})
        self._background_events()

    def _background_events(self) -> None:
        """Compliant events on a few visit days, so a planted one does not stand out."""
        rng, days, cands = self.rng, self.days, self.cands
        if "TN5" not in self.planted and len(cands) > 30 and rng.random() < 0.08:
            self._place_run(compliant=True)
        last_hosp: date | None = None
        for d in cands:
            r = rng.random()
            if r < 0.03:
                if days.free(d) and days.decline_ok(d):
                    days.declines.append(d)
                    days.plant(d, "decline")
            elif r < 0.05:
                if days.free(d):
                    days.plant(d, "cancel")
            elif r < 0.062:
                if days.free(d):
                    days.plant(d, "not_home")
            elif r < 0.0645:
                if (
                    days.free(d, after=14)
                    and (last_hosp is None or (d - last_hosp).days > 120)
                    and days.cw_ok(d, d + D(days=3))
                ):
                    pause = rng.randint(5, 12)
                    days.pause.append((d, d + D(days=pause + 1)))
                    last_hosp = d
                    days.plant(d, "hospital", pause=pause)
            elif r < 0.066 and days.free(d) and days.cw_ok(d, self.cal.add_workdays(d, 1)):
                days.plant(d, "concern")

    def _write_events(self) -> None:
        rng, nm, last = self.rng, self.nm, self.last
        self.hospital_pause: list[tuple[date, date]] = []
        for ev in self.days.in_order():
            d, kind, plants = ev.day, ev.kind, ev.plants
            staff_p = nm.pick_staff()
            if kind == "decline":
                write_decline(nm, rng, d, plants, self.bookings, staff_p, self.slot, self.days)
            elif kind == "run_cw":
                if d <= last:
                    nm.add(d, ("SS_DECLINES",), "caseworker")
            elif kind == "run_intent":
                if rng.random() < 0.5:
                    nm.add(d, ("SS_DECLINES_INTENT",), "caseworker")
            elif kind == "cancel":
                write_cancel(self.ctx, nm, rng, d, plants, self.bookings, self.avvikelser, staff_p,
                             self.slot, self.plan, self.unit)
            elif kind == "not_home":
                write_not_home(nm, rng, d, plants, self.bookings, staff_p, self.slot)
            elif kind == "hospital":
                self._write_hospital(ev)
            elif kind == "concern":
                write_concern(nm, rng, self.cal, d, plants)

    def _write_hospital(self, ev: Planted) -> None:
        """Admitted (GB10 planted: the caseworker told late or never), home again after the pause."""
        rng, nm, d = self.rng, self.nm, ev.day
        self.hospital_pause.append((d, d + D(days=ev.pause)))
        if ev.plants:
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
        nm.add(d + D(days=ev.pause + 1), ("HOME_AGAIN",), "contact")

    # -- the everyday journal -----------------------------------------------------------------------

    def _ordinary_visits(self, verkst: date) -> None:
        rng, nm, days = self.rng, self.nm, self.days

        def paused(d: date) -> bool:
            return any(lo < d <= hi for lo, hi in self.hospital_pause)

        for d in self.visit_days:
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
            self.bookings.append(booking(d, self.slot, "done", "Utförd", "", "", False, st.full))
        if verkst >= self.s0:
            self.bookings.append(booking(verkst, self.slot, "done", "Utförd", "", "", False, self.up_staff.full))

    def _journal_routines(self, verkst: date, plans: list[TPlan]) -> None:
        """Summaries, plans in the journal, routine caseworker contact, internal notes."""
        rng, nm, days, last, s0 = self.rng, self.nm, self.days, self.last, self.s0
        prev = verkst
        for s in self.summaries:
            nm.add(
                s,
                (),
                "summary",
                text=summary_text(nm, rng, prev, s, days.planted, self.hospital_pause),
                facts=frozenset({"SUMMARY"}),
            )
            start = s - D(days=rng.randint(3, 5))
            if rng.random() < 0.15 and start > prev and days.note_ok(start):
                nm.add(start, ("SUMMARY_START",), "summary")
            prev = s
        if "GB8" in self.planted and rng.random() < 0.5:
            before = [verkst, *self.summaries]
            late = [a for a, b in zip(before, self.summaries, strict=False) if (b - a).days > 89]
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
        while d <= self.vis_end - D(days=3):
            if days.cw_ok(d) and d >= s0:
                nm.add(d, ("SS_ROUTINE",), "caseworker")
            d += D(days=rng.randint(80, 160))
        for lo, hi in days.quiet:
            if rng.random() < 0.5:
                nm.add(lo + D(days=rng.randint(2, (hi - lo).days - 2)), ("INTERNAL",), "event")

    def _end_notes(self) -> None:
        """The end of the insats (GB11 planted: no reasons, or written too late)."""
        rng, nm, slut, last = self.rng, self.nm, self.slut, self.last
        if slut is None:
            return
        if "GB11" in self.planted:
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

    def _finish(self, plans: list[TPlan]) -> CaseTruth:
        return _finish(self.ctx, self.plan, self.rng, self.person, self.nm, self.planted, self.cat,
                       self.inkommit, self.beslut, self.verkst, self.slut, self.bookings,
                       self.avvikelser, self.caseworker, plans)


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
