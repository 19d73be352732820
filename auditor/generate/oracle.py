"""The catalogue's rules applied to the generator's truth: this is where labels come from.

The generator plants violations on purpose, but the labels are not a list of intentions:
every case is judged here, from the facts the generator wrote, by the catalogue's semantics
(shared/spec/rule-catalogue.md) with the finding dates of ARCHITECTURE.md. So a background
event that happens to break a rule is labelled as well, and a planted one that did not come
out is not.

Where the catalogue leaves a reading open at a boundary (a deadline exactly 7 days away, a
term with exactly 6 weeks left, a decline right after a TN5 trigger …) the case is reported
as *ambiguous*, and the builder draws the case again so the data steers clear of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from auditor.model.workdays import WorkdayCalendar

from .model import CaseTruth, TAvvikelse, TNote
from .scenario import SCOPE, add_months


def _pack_params() -> dict[str, dict[str, int]]:
    """Each rule's parameter defaults, read from the shipped packs: the oracle's windows are
    the rules' own (one source of truth), while its judgement stays independent of the checks."""
    from auditor.rules.packs import load_packs

    return {r.id: {k: v for k, v in r.defaults().items() if isinstance(v, int)}
            for pack in load_packs(None) + load_packs(["DOK"]) for r in pack.rules}


P = _pack_params()
WARN_DAYS = P["GB1"]["warning_days"]  # the catalogue's default warning window: the last 7 days before a deadline
TERM_WARN_DAYS = 7 * P["KT2"]["warn_weeks"]  # KT2: fewer than 6 weeks left in a running term


@dataclass(frozen=True, slots=True)
class Label:
    rule: str
    case: str
    unit: str
    date: date
    status: str  # violation | warning | not_evaluated
    note: str

    def to_json(self) -> dict:
        return {
            "rule": self.rule,
            "case": self.case,
            "unit": self.unit,
            "date": self.date.isoformat(),
            "status": self.status,
            "note": self.note,
        }


@dataclass
class OracleContext:
    as_of: date
    period_from: date
    period_to: date
    journal_first: date
    cal: WorkdayCalendar
    anon_missed: dict[str, list[TAvvikelse]]


def terms_between(start: date, end: date) -> list[tuple[str, date, date]]:
    """School terms (VT January–June, HT July–December) overlapping ``[start, end]``."""
    out = []
    for year in range(start.year, end.year + 1):
        for name, ts, te in (
            (f"VT{year}", date(year, 1, 1), date(year, 6, 30)),
            (f"HT{year}", date(year, 7, 1), date(year, 12, 31)),
        ):
            if te >= start and ts <= end:
                out.append((name, ts, te))
    return out


class _Judge:
    def __init__(self, case: CaseTruth, ctx: OracleContext) -> None:
        self.case = case
        self.ctx = ctx
        self.as_of = ctx.as_of
        self.labels: list[Label] = []
        self.ambiguous: list[str] = []
        self.notes: list[TNote] = sorted(
            (n for n in case.notes if n.excluded is None and n.day <= ctx.as_of),
            key=lambda n: (n.day, n.time),
        )
        self.bookings = [b for b in case.bookings if b.day <= ctx.as_of]

    # -- helpers -----------------------------------------------------------------------------

    def add(self, rule: str, d: date, status: str, note: str) -> None:
        c = self.case
        self.labels.append(Label(rule, c.pnr, c.unit, d, status, note))

    def amb(self, rule: str, why: str) -> None:
        self.ambiguous.append(f"{rule}: {why}")

    def in_period(self, d: date) -> bool:
        return self.ctx.period_from <= d <= self.ctx.period_to

    def note_days(self, label: str) -> list[date]:
        return sorted({n.day for n in self.notes if label in n.facts})

    def has_fact(self, labels: Iterable[str], lo: date, hi: date, *, need=None) -> bool:
        labels = tuple(labels)
        for n in self.notes:
            if (
                lo <= n.day <= hi
                and any(lb in n.facts for lb in labels)
                and (need is None or need(n))
            ):
                return True
        return False

    def event_days(self, label: str, booking_status: str) -> list[date]:
        days = {n.day for n in self.notes if label in n.facts}
        days |= {b.day for b in self.bookings if b.status == booking_status}
        return sorted(d for d in days)

    def open_deadline(self, rule: str, deadline: date, what: str) -> None:
        """A deadline not yet passed at the as-of date: warning in its window, else ok."""
        left = (deadline - self.as_of).days
        if left in (0, WARN_DAYS):
            self.amb(rule, f"open deadline {left} days from as-of")
        if left < WARN_DAYS:
            self.add(
                rule,
                deadline,
                "warning",
                f"{what}; deadline {deadline} not yet passed ({left} days left)",
            )

    # -- TN: declines and service cancels (boendestöd) -------------------------------------------

    def tn(self) -> None:
        declines = self.event_days("DECLINE", "decline")
        cancels = self.event_days("SERVICE_CANCEL", "cancel")
        unit_missed = self.ctx.anon_missed.get(self.case.unit, [])
        for d in cancels:
            if not self.in_period(d):
                continue
            if d + timedelta(days=P["TN1"]["deviation_reported_days"]) >= self.as_of:
                self.amb("TN1", "cancel window open at as-of")
            alt = self.has_fact(("ALT_OFFERED",), d, d + timedelta(days=P["TN1"]["alt_window_days"]))
            if not alt:
                dev = self.has_fact(("DEVIATION",), d, d + timedelta(days=P["TN1"]["deviation_before_days"]))
                if not dev:
                    dev = any(self._avv_matches(a, d) for a in self.case.avvikelser)
                if not dev:
                    dev = any(a.missed and self._avv_matches(a, d) for a in unit_missed)
                if not dev:
                    self.add(
                        "TN1",
                        d,
                        "violation",
                        "service cancelled the visit: no alternative offered within 3 days and no avvikelse",
                    )
            if not self.has_fact(("INFORMED",), d, d):
                self.add(
                    "TN2",
                    d,
                    "violation",
                    "service cancelled the visit: the individual was not informed",
                )
        for d in declines:
            if not self.in_period(d):
                continue
            reason = self.has_fact(("REASON",), d, d) or any(
                b.day == d and b.status == "decline" and b.has_reason for b in self.bookings
            )
            if not reason:
                self.add("TN3", d, "violation", "decline without a stated reason")
            if d + timedelta(days=P["TN4"]["window_days"]) >= self.as_of:
                self.amb("TN4", "window open at as-of")
            if not self.has_fact(("MOTIVATION",), d, d + timedelta(days=P["TN4"]["window_days"])):
                self.add(
                    "TN4", d, "violation", "decline without motivation work the same or next day"
                )
            self._tn6(d)
        self._tn5(declines)

    def _avv_matches(self, a: TAvvikelse, d: date) -> bool:
        around, reported = P["TN1"]["deviation_before_days"], P["TN1"]["deviation_reported_days"]
        return (d - timedelta(days=around) <= a.occurred <= d + timedelta(days=around)) or (
            d <= a.reported <= d + timedelta(days=reported)
        )

    def _tn6(self, d: date) -> None:
        lo, hi = d + timedelta(days=1), d + timedelta(days=P["TN6"]["window_days"])
        if hi >= self.as_of:
            self.amb("TN6", "window open at as-of")
        strict = self.has_fact(("CONTACT", "CONTACT_ATTEMPT"), lo, hi)
        loose = (
            strict
            or self.has_fact(("VISIT_DONE", "DECLINE", "SERVICE_CANCEL"), lo, hi)
            or any(lo <= b.day <= hi and b.status == "done" for b in self.bookings)
        )
        if strict != loose:
            self.amb("TN6", f"contact after {d} only through a visit or another event")
        if not strict:
            self.add(
                "TN6",
                d,
                "violation",
                "no contact or contact attempt within 14 days after the decline",
            )

    def _tn5(self, declines: list[date]) -> None:
        window: list[date] = []
        triggers: list[date] = []
        within, count, contact = P["TN5"]["within_days"], P["TN5"]["declines"], P["TN5"]["contact_days"]
        for d in declines:
            window = [w for w in window if (d - w).days <= within]
            window.append(d)
            if len(window) >= count:
                triggers.append(d)
                window = []
        for t in triggers:
            if any(t < d <= t + timedelta(days=within) for d in declines):
                self.amb("TN5", f"declines continue right after the trigger {t}")
            if t + timedelta(days=contact) >= self.as_of:
                self.amb("TN5", "window open at as-of")
            if not self.in_period(t):
                continue
            if not self.has_fact(("CASEWORKER_CONTACT",), t, t + timedelta(days=contact)):
                self.add(
                    "TN5",
                    t,
                    "violation",
                    "three declines within 30 days: no caseworker contact within 14 days of the third",
                )

    # -- GB: Göteborg boendestöd -------------------------------------------------------------------

    def gb(self) -> None:
        c, as_of, cal = self.case, self.as_of, self.ctx.cal
        inkommit, beslut, verkst, slut = c.inkommit, c.beslut, c.verkst, c.slut
        # GB1
        if inkommit is not None:
            deadline = cal.add_workdays(inkommit, P["GB1"]["workdays"])
            if inkommit < self.ctx.journal_first:
                self.add(
                    "GB1",
                    deadline,
                    "not_evaluated",
                    "uppdrag_inkommit before the journal's first date (history before the export)",
                )
            else:
                contact = self.has_fact(("CONTACT",), inkommit, deadline)
                if contact != (contact or self.has_fact(("VISIT_DONE",), inkommit, deadline)):
                    self.amb("GB1", "first contact only through a visit")
                if not contact:
                    if deadline < as_of:
                        self.add(
                            "GB1",
                            deadline,
                            "violation",
                            "no contact with the individual within 3 working days of uppdrag_inkommit",
                        )
                    else:
                        self.open_deadline("GB1", deadline, "no contact yet")
        # GB2
        if inkommit is not None:
            deadline = add_months(inkommit, P["GB2"]["months"])
            if verkst is not None:
                if verkst > deadline:
                    self.add(
                        "GB2",
                        deadline,
                        "violation",
                        f"verkställd {verkst}, more than 1 month after inkommit {inkommit}",
                    )
            elif deadline < as_of:
                self.add(
                    "GB2",
                    deadline,
                    "violation",
                    "not verkställd and more than 1 month since inkommit",
                )
            else:
                self.open_deadline("GB2", deadline, "not yet verkställd")
        # GB3
        if beslut is not None:
            d3, d2 = add_months(beslut, P["GB3"]["months"]), add_months(beslut, P["GB3"]["warning_months"])
            if verkst is not None:
                if verkst > d3:
                    self.add(
                        "GB3",
                        d3,
                        "violation",
                        f"verkställd {verkst}, later than 3 months after beslut {beslut}",
                    )
            else:
                if abs((as_of - d2).days) <= 1 or abs((as_of - d3).days) <= 1:
                    self.amb("GB3", "as-of at the 2- or 3-month mark")
                if d3 < as_of:
                    self.add(
                        "GB3",
                        d3,
                        "violation",
                        "not verkställd 3 months after beslut (report to IVO)",
                    )
                elif as_of >= d2:
                    self.add("GB3", d3, "warning", "not verkställd 2 months after beslut")
        if verkst is None:
            return  # GB4, GB8, GB11, GB12 start at verkställighet
        self._plan_deadline("GB4", verkst)
        self._plan_quality()
        self._gb8(verkst, slut)
        # GB9
        for d in self.event_days("NOT_HOME", "not_home"):
            if self.in_period(d) and not self.has_fact(("THREE_DAY_ROUTINE",), d, d):
                self.add(
                    "GB9",
                    d,
                    "violation",
                    "not at home: 3-dagarsrutin not started and documented the same day",
                )
        # GB10
        for d in self.note_days("HOSPITAL"):
            if not self.in_period(d):
                continue
            if d + timedelta(days=P["GB10"]["days"]) >= as_of:
                self.amb("GB10", "window open at as-of")
            if not self.has_fact(("CASEWORKER_CONTACT",), d, d + timedelta(days=P["GB10"]["days"])):
                self.add(
                    "GB10",
                    d,
                    "violation",
                    "admitted to hospital: socialsekreterare not informed within 3 days",
                )
        # GB11
        if slut is not None and slut <= as_of:
            deadline = slut + timedelta(days=P["GB11"]["days"])
            ok = self.has_fact(("END_NOTE",), slut, deadline, need=lambda n: n.reasons)
            if not ok:
                if deadline < as_of:
                    self.add(
                        "GB11",
                        deadline,
                        "violation",
                        "ended without a slutanteckning giving reasons within 14 days",
                    )
                else:
                    self.open_deadline("GB11", deadline, "no slutanteckning yet")
        # GB12
        visits = [n for n in self.notes if "VISIT_DONE" in n.facts and self.in_period(n.day)]
        if len(visits) >= 8:
            staff_all = {n.staff for n in self.notes}
            staff_visits = {n.staff for n in visits}
            if (len(staff_all) >= 2) != (len(staff_visits) >= 2):
                self.amb("GB12", "second staff member only outside the visit notes")
            if len(staff_visits) < 2:
                if slut is not None and slut < as_of:
                    self.amb("GB12", "single-staff case ended before as-of")
                self.add(
                    "GB12",
                    self.ctx.period_to,
                    "violation",
                    f"{len(visits)} visit notes in the period, all by one staff member",
                )

    def _plan_deadline(self, rule: str, verkst: date) -> None:
        deadline = verkst + timedelta(days=P[rule]["days"])
        done = sorted(
            p.upprattad
            for p in self.case.plans
            if p.cls in ("finished", "history") and p.upprattad <= self.as_of
        )
        if done and done[0] <= deadline:
            return
        if done:
            self.add(
                rule,
                deadline,
                "violation",
                f"first finished plan {done[0]}, later than 28 days after verkställighet {verkst}",
            )
        elif deadline < self.as_of:
            self.add(
                rule,
                deadline,
                "violation",
                "no finished genomförandeplan 28 days after verkställighet",
            )
        else:
            self.open_deadline(rule, deadline, "no finished plan yet")

    def _plan_quality(self) -> None:
        current = [p for p in self.case.plans if p.cls == "finished" and p.upprattad <= self.as_of]
        if not current:
            return
        plan = max(current, key=lambda p: (p.upprattad, p.plan_id))
        bad = [g for g in plan.goals if not g.smart]
        if not plan.goals or bad:
            self.add(
                "GB5",
                plan.upprattad,
                "violation",
                f"current plan {plan.plan_id}: {len(bad)} of {len(plan.goals)} delmål not SMART",
            )
        missing = plan.content_missing
        if missing:
            self.add(
                "GB6",
                plan.upprattad,
                "violation",
                f"current plan {plan.plan_id} lacks {', '.join(missing)}",
            )
        if not plan.participation_ok:
            self.add(
                "GB7",
                plan.upprattad,
                "violation",
                f"current plan {plan.plan_id} shows no participation",
            )

    def _gb8(self, verkst: date, slut: date | None) -> None:
        as_of, max_days = self.as_of, P["GB8"]["max_days"]
        summaries = [d for d in self.note_days("SUMMARY") if d >= verkst]
        end_active = slut if slut is not None and slut < as_of else None
        if verkst < self.ctx.journal_first and (
            not summaries or summaries[0] > verkst + timedelta(days=max_days)
        ):
            self.amb("GB8", "first deadline depends on history before the export")
        last = verkst
        for s in summaries:
            if end_active is not None and s > end_active:
                break
            due = last + timedelta(days=max_days)
            if s > due:
                if s > last + timedelta(days=2 * max_days):
                    self.amb("GB8", "gap longer than two periods")
                self.add(
                    "GB8",
                    due,
                    "violation",
                    f"{(s - last).days} days between sammanställningar ({last} to {s})",
                )
            last = s
        due = last + timedelta(days=max_days)
        if end_active is not None:
            if abs((due - end_active).days) <= 1:
                self.amb("GB8", "deadline at the end date")
            if due < end_active:
                if end_active > last + timedelta(days=2 * max_days):
                    self.amb("GB8", "gap longer than two periods")
                self.add("GB8", due, "violation", f"no sammanställning within {max_days} days after {last}")
        elif due < as_of:
            if as_of > last + timedelta(days=2 * max_days):
                self.amb("GB8", "gap longer than two periods")
            self.add("GB8", due, "violation", f"no sammanställning within {max_days} days after {last}")
        else:
            self.open_deadline("GB8", due, "next sammanställning due")

    # -- KT: korttidsvistelse ----------------------------------------------------------------------

    def kt(self) -> None:
        c, as_of = self.case, self.as_of
        for st in c.stays:
            if not self.in_period(st.end) or st.end > as_of:
                continue
            if st.end + timedelta(days=1) >= as_of:
                self.amb("KT1", "window open at as-of")
            hi = st.end + timedelta(days=1)
            named = self.has_fact(("HOME_TALK",), st.end, hi, need=lambda n: n.named)
            if not named:
                self.add(
                    "KT1",
                    st.end,
                    "violation",
                    "no hemgångssamtal naming who held it by the end of the day after the stay",
                )
        verkst, slut = c.verkst, c.slut
        if verkst is None:
            return
        first = max(self.ctx.period_from, self.ctx.journal_first)
        for name, ts, te in terms_between(first, as_of):
            if verkst > te or (slut is not None and slut < ts):
                continue
            invited = self.has_fact(("TERM_TALK",), ts, te)
            if te < as_of:
                if not invited:
                    if max(ts, verkst) < self.ctx.journal_first:
                        self.amb("KT2", f"{name} began before the export")
                    self.add("KT2", te, "violation", f"no terminssamtal invitation in {name}")
            else:
                left = (te - as_of).days
                if left in (TERM_WARN_DAYS - 1, TERM_WARN_DAYS, TERM_WARN_DAYS + 1):
                    self.amb("KT2", "six weeks boundary")
                if not invited and left < TERM_WARN_DAYS:
                    self.add(
                        "KT2",
                        te,
                        "warning",
                        f"no terminssamtal invitation yet in {name}, {left} days left",
                    )

    # -- NB: ny brukare -----------------------------------------------------------------------------

    def nb(self) -> None:
        c = self.case
        verkst = c.verkst
        if verkst is None or not self.in_period(verkst):
            return
        if c.insats in ("avlosarservice", "ledsagarservice"):
            self._plan_deadline("NB1", verkst)
        if not self.note_days("WELCOME_PACK"):
            if (self.as_of - verkst).days < 14:
                self.amb("NB2", "new individual verkställd days before as-of")
            self.add("NB2", verkst, "violation", "välkomstmapp not documented for a new individual")

    # -- HP1, DOK ----------------------------------------------------------------------------------

    def hp1(self) -> None:
        for d in self.note_days("CONCERN"):
            if not self.in_period(d):
                continue
            hi = self.ctx.cal.add_workdays(d, P["HP1"]["workdays"])
            if hi >= self.as_of:
                self.amb("HP1", "window open at as-of")
            if not self.has_fact(("CASEWORKER_CONTACT",), d, hi):
                self.add(
                    "HP1",
                    d,
                    "violation",
                    "concern reported: biståndshandläggare not contacted the same or next working day",
                )

    def dok(self) -> None:
        as_of = self.as_of
        for n in self.notes:
            if not self.in_period(n.day):
                continue
            if "VALUE_WORD" in n.facts:
                self.add("DOK1", n.day, "warning", "value-laden word about the individual")
            if n.signed_on is None:
                if n.day + timedelta(days=3) >= as_of:
                    self.amb("DOK2", "unsigned note younger than 3 days")
                else:
                    self.add("DOK2", n.day, "violation", "note not signed")
            elif n.signed_on > n.day + timedelta(days=3):
                self.add(
                    "DOK2", n.day, "violation", f"note signed {n.signed_on}, more than 3 days after"
                )
            if n.registered is not None and n.registered > n.day + timedelta(days=3):
                self.add(
                    "DOK3",
                    n.day,
                    "violation",
                    f"note registered {n.registered}, more than 3 days after",
                )


def evaluate(case: CaseTruth, ctx: OracleContext) -> tuple[list[Label], list[str]]:
    """All violation, warning and not_evaluated labels of one case, and any ambiguities."""
    j = _Judge(case, ctx)
    scope = SCOPE[case.insats]
    if "TN1" in scope:
        j.tn()
    if "GB1" in scope:
        j.gb()
    if "KT1" in scope:
        j.kt()
    if "NB2" in scope:
        j.nb()
    if "HP1" in scope:
        j.hp1()
    j.dok()
    j.labels.sort(key=lambda lb: (lb.rule, lb.date, lb.status, lb.note))
    return j.labels, j.ambiguous
