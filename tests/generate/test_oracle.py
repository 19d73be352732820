"""The label semantics: the catalogue's windows, on small handmade cases."""

from __future__ import annotations

from datetime import date, timedelta

from auditor.generate.model import CaseTruth, TGoal, TNote, TPlan, TStay
from auditor.generate.oracle import OracleContext, evaluate
from auditor.model.workdays import WorkdayCalendar

AS_OF = date(2026, 11, 1)
START = date(2025, 11, 1)
CTX = OracleContext(
    as_of=AS_OF,
    period_from=START,
    period_to=AS_OF,
    journal_first=START,
    cal=WorkdayCalendar(),
    anon_missed={},
)


def note(day: date, *facts: str, **kw) -> TNote:
    kw.setdefault("signed_on", day)
    kw.setdefault("registered", day)
    return TNote(
        day=day,
        time="10:00",
        staff=kw.pop("staff", "Lena Karlsson"),
        sokord="",
        text="",
        facts=frozenset(facts),
        **kw,
    )


def plan(day: date) -> TPlan:
    return TPlan(
        "P1",
        day,
        "Fastställd",
        "finished",
        [TGoal("Hemliv", "x", True)],
        "m",
        "b",
        "k",
        True,
        "d",
        True,
        None,
    )


def case(insats: str = "boendestod", **kw) -> CaseTruth:
    base = dict(
        index=0,
        pnr="199001012380",
        name="Test, Testa",
        unit="Boendestöd Norr",
        insats=insats,
        insats_text="",
        lagrum="",
        handlaggare="",
        beslut=None,
        inkommit=None,
        verkst=None,
        slut=None,
        status_text="",
        tid=None,
        protected=False,
        category="normal",
        planted=(),
    )
    base.update(kw)
    return CaseTruth(**base)


def rules(c: CaseTruth, rule: str) -> list[tuple[date, str]]:
    labels, _amb = evaluate(c, CTX)
    return [(lb.date, lb.status) for lb in labels if lb.rule == rule]


def active_boendestod(inkommit: date, verkst: date | None, **kw) -> CaseTruth:
    notes = kw.pop("notes", [])
    if verkst is not None:
        notes = [note(inkommit + timedelta(days=1), "CONTACT"), *notes]
    return case(
        inkommit=inkommit,
        beslut=inkommit,
        verkst=verkst,
        notes=notes,
        plans=[plan(verkst)] if verkst else [],
        **kw,
    )


def test_gb2_one_calendar_month_inclusive() -> None:
    assert rules(active_boendestod(date(2026, 8, 10), date(2026, 9, 10)), "GB2") == []
    assert rules(active_boendestod(date(2026, 8, 10), date(2026, 9, 11)), "GB2") == [
        (date(2026, 9, 10), "violation")
    ]
    # 31 January + 1 month = 28 February
    assert rules(active_boendestod(date(2026, 1, 31), date(2026, 3, 1)), "GB2") == [
        (date(2026, 2, 28), "violation")
    ]
    # not yet verkställd: passed -> violation; open within 7 days -> warning; further -> nothing
    assert rules(active_boendestod(date(2026, 9, 20), None), "GB2") == [
        (date(2026, 10, 20), "violation")
    ]
    assert rules(active_boendestod(date(2026, 10, 3), None), "GB2") == [
        (date(2026, 11, 3), "warning")
    ]
    assert rules(active_boendestod(date(2026, 10, 20), None), "GB2") == []


def test_gb3_warning_from_two_months_and_late_verkstallighet() -> None:
    c = active_boendestod(date(2026, 7, 20), None)
    assert rules(c, "GB3") == [(date(2026, 10, 20), "violation")]
    c = active_boendestod(date(2026, 8, 20), None)
    assert rules(c, "GB3") == [(date(2026, 11, 20), "warning")]
    c = active_boendestod(date(2026, 9, 20), None)
    assert rules(c, "GB3") == []
    c = active_boendestod(date(2026, 3, 2), date(2026, 6, 3))
    assert rules(c, "GB3") == [(date(2026, 6, 2), "violation")]


def test_gb1_three_working_days_and_contact_not_attempt() -> None:
    ink = date(2026, 6, 17)  # deadline Tue 23 June (midsommar in between)
    c = case(inkommit=ink, beslut=ink, notes=[note(date(2026, 6, 23), "CONTACT")])
    assert rules(c, "GB1") == []
    c = case(
        inkommit=ink,
        beslut=ink,
        notes=[
            note(date(2026, 6, 18), "CONTACT_ATTEMPT"),
            note(date(2026, 6, 18), "CASEWORKER_CONTACT"),
            note(date(2026, 6, 24), "CONTACT"),
        ],
    )
    assert rules(c, "GB1") == [(date(2026, 6, 23), "violation")]
    c = case(inkommit=date(2025, 10, 20), beslut=date(2025, 10, 20))
    assert rules(c, "GB1") == [(date(2025, 10, 23), "not_evaluated")]


def test_gb4_plan_within_28_days() -> None:
    v = date(2026, 3, 2)
    ok = active_boendestod(date(2026, 2, 20), v)
    ok.plans = [plan(v + timedelta(days=28))]
    assert rules(ok, "GB4") == []
    late = active_boendestod(date(2026, 2, 20), v)
    late.plans = [plan(v + timedelta(days=29))]
    assert rules(late, "GB4") == [(v + timedelta(days=28), "violation")]
    draft = active_boendestod(date(2026, 2, 20), v)
    draft.plans = [TPlan("P1", v, "Påbörjad", "draft", [], "", "", "", False, "", False, None)]
    assert rules(draft, "GB4") == [(v + timedelta(days=28), "violation")]


def test_gb8_at_most_89_days() -> None:
    v = date(2026, 1, 5)
    ok = active_boendestod(
        date(2026, 1, 1),
        v,
        notes=[note(v + timedelta(days=89), "SUMMARY"), note(v + timedelta(days=178), "SUMMARY")],
    )
    ok.notes.append(note(v + timedelta(days=178 + 89), "SUMMARY"))
    assert rules(ok, "GB8") == []
    late = active_boendestod(
        date(2026, 1, 1),
        v,
        notes=[note(v + timedelta(days=90), "SUMMARY"), note(v + timedelta(days=179), "SUMMARY")],
    )
    late.notes.append(note(v + timedelta(days=179 + 89), "SUMMARY"))
    assert rules(late, "GB8") == [(v + timedelta(days=89), "violation")]


def test_gb11_slutanteckning_with_reasons_within_14_days() -> None:
    v, s = date(2026, 2, 2), date(2026, 5, 4)
    base = dict(notes=[note(v + timedelta(days=80), "SUMMARY")])
    c = active_boendestod(date(2026, 1, 28), v, slut=s, **base)
    c.notes.append(note(s + timedelta(days=14), "END_NOTE", reasons=True))
    assert rules(c, "GB11") == []
    c = active_boendestod(date(2026, 1, 28), v, slut=s, **base)
    c.notes.append(note(s + timedelta(days=2), "END_NOTE", reasons=False))
    assert rules(c, "GB11") == [(s + timedelta(days=14), "violation")]


def test_gb12_two_staff_from_eight_visits() -> None:
    v = date(2026, 8, 3)
    visits = [note(v + timedelta(days=7 * i), "VISIT_DONE") for i in range(8)]
    c = active_boendestod(date(2026, 8, 1), v, notes=visits)
    assert rules(c, "GB12") == [(AS_OF, "violation")]
    visits[3].staff = "Per Olsson"
    c = active_boendestod(date(2026, 8, 1), v, notes=visits)
    assert rules(c, "GB12") == []


def test_tn5_three_declines_in_30_days_then_caseworker_within_14() -> None:
    v = date(2026, 2, 2)
    d1 = date(2026, 3, 2)
    declines = [
        note(d1 + timedelta(days=k), "DECLINE", "REASON", "MOTIVATION") for k in (0, 10, 20)
    ]
    contacts = [note(d1 + timedelta(days=k + 1), "CONTACT") for k in (0, 10, 20)]
    c = active_boendestod(date(2026, 1, 28), v, notes=declines + contacts)
    assert rules(c, "TN5") == [(d1 + timedelta(days=20), "violation")]
    c.notes.append(note(d1 + timedelta(days=34), "CASEWORKER_CONTACT"))
    assert rules(c, "TN5") == []
    spread = [note(d1 + timedelta(days=k), "DECLINE", "REASON", "MOTIVATION") for k in (0, 16, 31)]
    c = active_boendestod(date(2026, 1, 28), v, notes=spread + contacts)
    assert rules(c, "TN5") == []


def test_tn_event_rules() -> None:
    v, d = date(2026, 2, 2), date(2026, 4, 8)
    c = active_boendestod(
        date(2026, 1, 28), v, notes=[note(d, "DECLINE"), note(d + timedelta(days=15), "CONTACT")]
    )
    assert {r for r in ("TN3", "TN4", "TN6") if rules(c, r)} == {"TN3", "TN4", "TN6"}
    c = active_boendestod(
        date(2026, 1, 28),
        v,
        notes=[note(d, "DECLINE", "REASON"), note(d + timedelta(days=1), "MOTIVATION", "CONTACT")],
    )
    assert not rules(c, "TN3") and not rules(c, "TN4") and not rules(c, "TN6")
    c = active_boendestod(
        date(2026, 1, 28), v, notes=[note(d, "SERVICE_CANCEL", "ALT_NOT_POSSIBLE")]
    )
    assert rules(c, "TN1") == [(d, "violation")] and rules(c, "TN2") == [(d, "violation")]
    c = active_boendestod(
        date(2026, 1, 28),
        v,
        notes=[note(d, "SERVICE_CANCEL", "INFORMED"), note(d + timedelta(days=3), "ALT_OFFERED")],
    )
    assert not rules(c, "TN1") and not rules(c, "TN2")


def test_gb9_gb10_hp1() -> None:
    v, d = date(2026, 2, 2), date(2026, 4, 8)  # Wednesday
    c = active_boendestod(
        date(2026, 1, 28),
        v,
        notes=[note(d, "NOT_HOME"), note(d + timedelta(days=1), "THREE_DAY_ROUTINE")],
    )
    assert rules(c, "GB9") == [(d, "violation")]
    c = active_boendestod(
        date(2026, 1, 28),
        v,
        notes=[note(d, "HOSPITAL"), note(d + timedelta(days=3), "CASEWORKER_CONTACT")],
    )
    assert rules(c, "GB10") == []
    friday = date(2026, 4, 10)
    c = active_boendestod(
        date(2026, 1, 28),
        v,
        notes=[note(friday, "CONCERN"), note(date(2026, 4, 13), "CASEWORKER_CONTACT")],
    )
    assert rules(c, "HP1") == []  # Monday is the next working day
    c = active_boendestod(
        date(2026, 1, 28),
        v,
        notes=[note(friday, "CONCERN"), note(date(2026, 4, 14), "CASEWORKER_CONTACT")],
    )
    assert rules(c, "HP1") == [(friday, "violation")]
    c = active_boendestod(
        date(2026, 1, 28),
        v,
        notes=[note(date(2026, 4, 2), "CONCERN"), note(date(2026, 4, 7), "CASEWORKER_CONTACT")],
    )
    assert rules(c, "HP1") == []  # Thursday before Easter: next working day is Tuesday 7 April


def test_kt1_next_day_and_named() -> None:
    stay = TStay(date(2026, 5, 1), date(2026, 5, 3))
    kt = dict(
        insats="korttidsvistelse",
        unit="Korttidsvistelse Solrosen",
        verkst=date(2026, 1, 10),
        stays=[stay],
    )
    terms = [note(date(2026, 2, 1), "TERM_TALK"), note(date(2026, 8, 1), "TERM_TALK")]
    c = case(**kt, notes=[note(date(2026, 5, 4), "HOME_TALK", named=True), *terms])
    assert rules(c, "KT1") == []
    c = case(**kt, notes=[note(date(2026, 5, 5), "HOME_TALK", named=True), *terms])
    assert rules(c, "KT1") == [(date(2026, 5, 3), "violation")]
    c = case(**kt, notes=[note(date(2026, 5, 3), "HOME_TALK", named=False), *terms])
    assert rules(c, "KT1") == [(date(2026, 5, 3), "violation")]


def test_kt2_each_ended_term() -> None:
    kt = dict(insats="korttidsvistelse", unit="Korttidsvistelse Solrosen", verkst=date(2026, 1, 10))
    c = case(**kt, notes=[note(date(2026, 8, 1), "TERM_TALK")])
    assert rules(c, "KT2") == [(date(2026, 6, 30), "violation")]
    c = case(**kt, notes=[note(date(2026, 3, 1), "TERM_TALK")])
    assert rules(c, "KT2") == []  # HT2026 still runs with more than 6 weeks left


def test_nb_new_individual() -> None:
    v = date(2026, 3, 2)
    nb = dict(insats="avlosarservice", unit="Avlösning och ledsagning Väst", verkst=v)
    c = case(**nb, notes=[note(v, "WELCOME_PACK")], plans=[plan(v + timedelta(days=28))])
    assert rules(c, "NB1") == [] and rules(c, "NB2") == []
    c = case(**nb, plans=[plan(v + timedelta(days=29))])
    assert rules(c, "NB1") == [(v + timedelta(days=28), "violation")]
    assert rules(c, "NB2") == [(v, "violation")]
    old = case(**{**nb, "verkst": date(2025, 10, 1)})
    assert rules(old, "NB1") == [] and rules(old, "NB2") == []


def test_dok_rules_and_excluded_notes() -> None:
    d = date(2026, 4, 8)
    c = case(
        insats="kontaktperson",
        unit="Kontaktpersoner Centrum",
        verkst=date(2026, 2, 2),
        notes=[
            note(date(2026, 2, 2), "WELCOME_PACK"),
            note(d, "VISIT_DONE", "VALUE_WORD"),
            note(d, "VISIT_DONE", signed_on=None),
            note(d, "VISIT_DONE", signed_on=d + timedelta(days=4)),
            note(d, "VISIT_DONE", registered=d + timedelta(days=4)),
            note(d, "VALUE_WORD", "CONCERN", excluded="felmarkerad"),
            note(d, "VALUE_WORD", excluded="hsl"),
        ],
    )
    assert rules(c, "DOK1") == [(d, "warning")]
    assert rules(c, "DOK2") == [(d, "violation"), (d, "violation")]
    assert rules(c, "DOK3") == [(d, "violation")]
    assert rules(c, "HP1") == []
