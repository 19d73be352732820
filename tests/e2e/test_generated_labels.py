"""End to end on generated exports: findings agree with the generator's planted labels.

The generator plants violations at known cases and dates and writes them to labels.json.
On a 500-client set, every date-based rule must reach precision and recall >= 0.95;
the text-based rules are held to the same bar on the generator's text cases.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from auditor.generate import generate
from auditor.generate.score import format_table, score
from auditor.pipeline import RunOptions, run

DATE_RULES = {"GB1", "GB2", "GB3", "GB4", "GB8", "GB11", "GB12", "KT1", "KT2", "NB1", "DOK2", "DOK3"}
KEY = b"e2e-test-key"
TEXT_RULES = {"TN1", "TN2", "TN3", "TN4", "TN5", "TN6", "GB5", "GB6", "GB7", "GB9", "GB10", "HP1", "NB2"}


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[list[dict], list[dict]]:
    data = tmp_path_factory.mktemp("gen500")
    generate(data, clients=500, months=12, seed=11)
    labels_doc = json.loads((data / "labels.json").read_text(encoding="utf-8"))
    gen = labels_doc["generator"]
    out = tmp_path_factory.mktemp("gen500-out")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AUDITOR_PSEUDONYM_KEY", KEY.decode())
        outcome = run(RunOptions(inputs=[data], out=out, as_of=date.fromisoformat(gen["as_of"]),
                                 rules=["GB", "TN", "KT", "NB", "HP", "DOK"], write_reports=False))
    assert outcome.exit_code == 0
    for r in outcome.result.inputs:
        assert r.rows_read == r.rows_used + r.rows_excluded + r.rows_rejected
    findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))["findings"]
    return labels_doc["labels"], findings


def _check(labels, findings, rules: set[str], floor: float) -> None:
    scores = score(labels, findings, ("violation",), rules, key=KEY)
    table = format_table(scores)
    print("\n" + table)
    misses = []
    for rule in sorted(rules):
        if rule not in scores:
            continue
        s, fps, fns = scores[rule]
        if s.precision < floor or s.recall < floor:
            misses.append(f"{rule}: P={s.precision:.3f} R={s.recall:.3f} FP={fps[:3]} FN={fns[:3]}")
    assert not misses, table + "\n" + "\n".join(misses)


def test_date_rules_precision_recall(generated) -> None:
    labels, findings = generated
    planted = {lab["rule"] for lab in labels if lab["status"] == "violation"}
    assert planted >= DATE_RULES, f"generator planted no violations for {DATE_RULES - planted}"
    _check(labels, findings, DATE_RULES, 0.95)


def test_text_rules_precision_recall(generated) -> None:
    labels, findings = generated
    _check(labels, findings, TEXT_RULES & {lab["rule"] for lab in labels}, 0.90)
