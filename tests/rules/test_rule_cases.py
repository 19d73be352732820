"""Every rule's test cases (rules/cases/<RULE>.yaml), run end to end through the real pipeline.

Each case holds a few rows of export data as the files a user would drop in a folder,
an as-of date (and optionally a period), and the findings it expects for that rule.
Run one rule with ``pytest -k TN1``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from auditor.pipeline import RunOptions, run
from auditor.rules.engine import is_event_rule
from auditor.rules.packs import builtin_pack_dir, load_packs

CASES_DIR = builtin_pack_dir() / "cases"


def _load_cases() -> list:
    params = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        rule = data["rule"]
        for case in data["cases"]:
            params.append(pytest.param(rule, case, id=f"{rule}_{case['name']}"))
    return params


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


@pytest.mark.parametrize(("rule", "case"), _load_cases())
def test_rule_case(rule: str, case: dict, tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name, text in case["exports"].items():
        (inputs / name).write_text(text, encoding="utf-8")
    pack = rule.rstrip("0123456789")
    opts = RunOptions(
        inputs=[inputs], out=tmp_path / "out", as_of=_as_date(case["as_of"]),
        period_from=_as_date(case.get("from")), period_to=_as_date(case.get("to")),
        rules=case.get("packs", [pack]), write_reports=False,
    )
    outcome = run(opts)
    for report in outcome.result.inputs:
        assert report.kind not in ("unreadable",), f"{report.path}: {report.error}"
        assert report.rows_rejected == 0, report.problems
    got = [f for f in outcome.result.findings if f.rule == rule]
    if "case" in case:
        got = [f for f in got if f.case == str(case["case"])]
    got_pairs = sorted((f.status, f.date.isoformat() if f.date else None) for f in got)
    expected = case["expect"]
    exp_status = sorted(e["status"] for e in expected)
    assert sorted(f.status for f in got) == exp_status, _explain(got)
    for e in expected:
        if "date" in e:
            want = (e["status"], _as_date(e["date"]).isoformat())
            assert want in got_pairs, f"expected {want}, got {got_pairs}\n{_explain(got)}"
        if "message" in e:
            assert any(e["message"] in f.message for f in got if f.status == e["status"]), _explain(got)
        if "deadline" in e:
            want_deadline = _as_date(e["deadline"])
            assert any(f.deadline == want_deadline for f in got if f.status == e["status"]), (
                f"expected deadline {want_deadline}, got {[(f.status, f.deadline) for f in got]}")
        if "basis" in e:
            assert any(f.basis == e["basis"] for f in got if f.status == e["status"]), (
                f"expected basis {e['basis']}, got {[(f.status, f.basis) for f in got]}")
    _assert_basis(rule, got)
    for f in got:
        if f.status in ("violation", "warning"):
            assert f.evidence, f"{f.rule} {f.status} without evidence: {f.message}"
        if f.status == "not_evaluated":
            assert f.message, "not_evaluated must say which data is missing"


def _assert_basis(rule: str, got: list) -> None:
    """Event rules count occasions; every other rule is judged per case or deadline."""
    specs = {r.id: r for p in load_packs(["TN", "GB", "KT", "NB", "HP", "DOK"]) for r in p.rules}
    event_rule = is_event_rule(specs[rule])
    for f in got:
        if f.status == "not_evaluated":
            assert f.basis in ("case", "occasion"), f.basis
        elif event_rule:
            assert f.basis in ("occasion", "no_events"), f"{rule} {f.status}: basis {f.basis}"
            assert f.basis == "occasion" or f.status == "ok", "only an ok finding can have no events"
            if f.basis == "occasion":
                assert f.deadline is not None and f.date is not None and f.deadline >= f.date, (
                    f"{rule} occasion {f.date} needs a deadline on or after it, got {f.deadline}")
        else:
            assert f.basis == "case", f"{rule} {f.status}: basis {f.basis}"


def _explain(findings) -> str:
    return "\n".join(f"  {f.status} {f.date} {f.message}" for f in findings)
