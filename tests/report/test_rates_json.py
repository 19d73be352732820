"""Rates and the "Additions" fields in findings.json; who must act and what to do, per rule."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import report_factory as rf
import yaml

from auditor.findings.json_writer import write_json
from auditor.findings.rates import compute_rates, rates_for
from auditor.pipeline import RunOptions, run
from auditor.rules.packs import PackError, builtin_pack_dir, load_packs, parse_pack

REPO = Path(__file__).resolve().parents[2]


def occasions(n_violation: int, n_ok: int, n_no_events: int, rule: str = "TN3") -> list:
    out = []
    for i in range(n_violation + n_ok):
        status = "violation" if i < n_violation else "ok"
        evidence = [rf.ev("Brukaren tackade nej.", "tackade nej", 10 + i, rf.AS_OF)]
        out.append(rf.finding(rule, status, rf.UNIT_A, rf.ANNA, date(2026, 9, 1 + i),
                              "Orsak saknas." if status == "violation" else "Orsak finns.",
                              evidence if status == "violation" else [], key=f"o{i}"))
    for i in range(n_no_events):
        out.append(rf.finding(rule, "ok", rf.UNIT_A, f"BR-{i:04d}", rf.AS_OF,
                              "Inga händelser.", key="none", basis="no_events"))
    return out


def test_broken_on_10_of_12_occasions_is_17_percent_not_91():
    """The issue's example: cases without events never count as met."""
    (rate,) = compute_rates(occasions(10, 2, 100))
    assert (rate.judged, rate.violation, rate.ok, rate.without_events) == (12, 10, 2, 100)
    assert rate.compliance == pytest.approx(2 / 12)
    assert rate.compliance_percent == 16  # rounded down: a violation never shows as 100 %


def test_nothing_judged_has_no_rate_and_not_evaluated_is_apart():
    findings = occasions(0, 0, 3)
    findings.append(rf.finding("TN3", "not_evaluated", rf.UNIT_A, rf.DAVID, None, "Ej granskad."))
    (rate,) = compute_rates(findings)
    assert rate.judged == 0 and rate.compliance is None and rate.compliance_percent is None
    assert rate.not_evaluated == 1 and rate.without_events == 3


def test_case_rules_count_cases_and_warnings_are_judged():
    findings = [
        rf.finding("GB4", "violation", rf.UNIT_A, rf.ANNA, rf.AS_OF, "Plan saknas.",
                   [rf.ev("x", None, 1, rf.AS_OF)], key="a"),
        rf.finding("GB4", "warning", rf.UNIT_A, rf.BERTIL, rf.AS_OF, "Frist snart.",
                   [rf.ev("x", None, 2, rf.AS_OF)], key="b"),
        rf.finding("GB4", "ok", rf.UNIT_A, rf.CECILIA, rf.AS_OF, "Plan klar.", key="c"),
        rf.finding("GB4", "ok", rf.UNIT_B, rf.CECILIA, rf.AS_OF, "Plan klar.", key="d"),
    ]
    a, b = compute_rates(findings)
    assert (a.unit, a.judged, a.violation, a.warning, a.ok) == (rf.UNIT_A, 3, 1, 1, 1)
    assert a.compliance == pytest.approx(2 / 3)
    assert (b.unit, b.judged, b.compliance) == (rf.UNIT_B, 1, 1.0)


def test_review_hook_moves_false_alarms_out_of_violations():
    findings = occasions(3, 1, 0)
    findings[0].review = {"decision": "falskt_larm", "valid_until": None}
    findings[1].review = {"decision": "motiverad", "valid_until": "2026-09-30"}  # expired
    findings[2].review = {"decision": "bekraftad", "valid_until": None}
    result = rf.make_result(findings)
    (rate,) = rates_for(result)
    assert (rate.judged, rate.violation, rate.reviewed_away) == (4, 2, 1)
    (plain,) = compute_rates(findings)  # without the hook nothing is reviewed away
    assert (plain.violation, plain.reviewed_away) == (3, 0)


def test_findings_json_carries_additions_and_rates(tmp_path):
    result = rf.make_result(rf.base_findings() + occasions(0, 0, 2))
    data = json.loads(write_json(result, tmp_path).read_text(encoding="utf-8"))
    by_rule = {}
    for f in data["findings"]:
        by_rule.setdefault((f["rule"], f["status"]), f)
    gb3 = by_rule[("GB3", "warning")]
    assert gb3["basis"] == "case" and gb3["deadline"] == "2026-10-20"
    assert gb3["responsible"] == "myndighet" and gb3["action"] == rf.ACTIONS["GB3"]
    tn1 = by_rule[("TN1", "violation")]
    assert tn1["basis"] == "occasion" and tn1["deadline"] is None
    assert tn1["responsible"] == "utförare" and tn1["action"]
    assert all(f["action"] is None for f in data["findings"] if f["status"] == "ok")
    rates = {(r["unit"], r["rule"]): r for r in data["rates"]}
    assert set(rates) == {(f.unit, f.rule) for f in result.findings}
    tn3 = rates[(rf.UNIT_A, "TN3")]
    assert tn3 == {"unit": rf.UNIT_A, "rule": "TN3", "judged": 2, "violation": 1, "warning": 0,
                   "ok": 1, "not_evaluated": 0, "without_events": 2, "reviewed_away": 0}
    assert rates[(rf.UNIT_A, "GB4")]["not_evaluated"] == 1


def test_every_rule_says_who_acts_and_what_to_do():
    rules = [r for p in load_packs(["GB", "TN", "KT", "NB", "HP", "DOK"]) for r in p.rules]
    assert len(rules) >= 26  # the catalogue's 26, plus rules the packs add beyond it (NB3)
    for r in rules:
        assert r.responsible in ("utförare", "myndighet"), r.id
        assert 20 <= len(r.action) <= 140 and r.action.endswith("."), r.id
        assert r.info.responsible == r.responsible and r.info.action == r.action
    # The IVO report is the socialsekreterare's duty (GB3's quote says so); the rest are the unit's.
    assert {r.id for r in rules if r.responsible == "myndighet"} == {"GB3"}


def test_pack_without_or_with_wrong_responsible_is_an_error():
    data = yaml.safe_load((builtin_pack_dir() / "tn.yaml").read_text(encoding="utf-8"))
    data["rules"][0]["responsible"] = "chefen"
    with pytest.raises(PackError, match=r"rules.TN1.responsible.*utförare, myndighet"):
        parse_pack(data, "tn.yaml")
    del data["rules"][0]["responsible"]
    with pytest.raises(PackError, match=r"rules.TN1.responsible.*saknas"):
        parse_pack(data, "tn.yaml")
    data["rules"][0]["responsible"] = "utförare"
    del data["rules"][1]["action"]
    with pytest.raises(PackError, match=r"rules.TN2.action.*saknas"):
        parse_pack(data, "tn.yaml")


def test_engine_puts_pack_responsibility_and_action_on_findings(tmp_path):
    outcome = run(RunOptions(inputs=[REPO / "sample_exports"], out=tmp_path,
                             as_of=date(2026, 11, 1), write_reports=False))
    packs = {r.id: r for p in load_packs() for r in p.rules}
    data = json.loads((tmp_path / "findings.json").read_text(encoding="utf-8"))
    assert outcome.result.findings and data["rates"]
    for f in data["findings"]:
        rule = packs[f["rule"]]
        assert f["responsible"] == rule.responsible
        if f["status"] in ("violation", "warning"):
            assert f["action"] == rule.action
        else:
            assert f["action"] is None
    acting = [f for f in data["findings"] if f["status"] in ("violation", "warning")]
    assert acting
