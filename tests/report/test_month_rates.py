"""Done when: on a generated one-month audit, every rate in the HTML and the XLSX equals
violations over occasions or cases as in findings.json "rates", checked against the
generator's labels."""

from __future__ import annotations

from collections import Counter

import pytest
from html_tree import parse
from month_audit import KEY, UNIT, month_audit
from openpyxl import load_workbook

from auditor.generate.score import score


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    return month_audit(tmp_path_factory.mktemp("manad"))


def test_rates_are_counted_over_occasions_or_cases_never_no_events(month):
    findings = month.json["findings"]
    rates = {(r["unit"], r["rule"]): r for r in month.json["rates"]}
    want: dict[tuple[str, str], Counter] = {}
    for f in findings:
        c = want.setdefault((f["unit"], f["rule"]), Counter())
        if f["status"] == "not_evaluated":
            c["not_evaluated"] += 1
        elif f["basis"] == "no_events":
            assert f["status"] == "ok" and not f["evidence"]
            c["without_events"] += 1
        else:
            c["judged"] += 1
            c[f["status"]] += 1
    assert set(want) == set(rates)
    for key, c in want.items():
        r = rates[key]
        for name in ("judged", "violation", "warning", "ok", "not_evaluated", "without_events"):
            assert r[name] == c[name], (key, name)
    # Event rules found nothing to judge for many brukare: those are apart, never "met".
    assert sum(r["without_events"] for r in rates.values()) > 100
    assert any(r["without_events"] > r["judged"] > 0 and r["violation"] for r in rates.values())


def test_every_violation_in_the_rates_is_a_labelled_one(month):
    """The numerators are the generator's planted violations: no violation counted in a
    rate that the generator did not plant (precision 1 on this audit)."""
    findings = month.json["findings"]
    scores = score(month.labels, findings, ("violation",), key=KEY)
    per_rule: Counter = Counter()
    for rule, (s, false_positives, _) in scores.items():
        assert not false_positives, (rule, false_positives)
        per_rule[rule] = s.tp
    assert per_rule == Counter(f["rule"] for f in findings if f["status"] == "violation")
    rates = {r["rule"]: r for r in month.json["rates"] if r["unit"] == UNIT}
    assert sum(per_rule.values()) >= 40
    for rule, r in rates.items():
        assert r["violation"] == per_rule[rule], rule


def _percent(judged: int, violation: int) -> str:
    return f"{100 * (judged - violation) // judged} %"


def test_every_rate_in_the_html_is_the_rate(month):
    rates = {(r["unit"], r["rule"]): r for r in month.json["rates"]}
    seen = set()
    for name in ("index.html", "enhet-boendestod-norr.html"):
        page = parse((month.out / name).read_text(encoding="utf-8"))
        cells = [n for n in page.iter() if n.get("data-rate-rule")]
        assert cells, name
        for cell in cells:
            key = (cell.get("data-rate-unit"), cell.get("data-rate-rule"))
            r = rates[key]
            assert int(cell.get("data-judged")) == r["judged"], key
            assert int(cell.get("data-violation")) == r["violation"], key
            rate = cell if cell.tag == "td" else next(
                td for td in cell.find_all("td") if "rate" in (td.get("class") or ""))
            text = " ".join(rate.text.split())
            if r["judged"]:
                assert text.startswith(_percent(r["judged"], r["violation"])), (key, text)
            else:
                assert text.startswith("–"), (key, text)
            seen.add((name, key))
    assert {k for _, k in seen} == set(rates)


def test_every_rate_in_the_xlsx_is_the_rate(month):
    rates = {(r["unit"], r["rule"]): r for r in month.json["rates"]}
    ws = load_workbook(month.out / "findings.xlsx")["Sammanfattning"]
    rows = list(ws.iter_rows(values_only=True))
    head = rows[0]
    col = {name: head.index(name) for name in head if name}
    seen = set()
    for row in rows[1:]:
        if not row[0]:
            continue
        key = (row[col["Enhet"]], row[col["Regel"]])
        r = rates[key]
        assert row[col["Bedömda"]] == r["judged"] and row[col["Brister"]] == r["violation"]
        assert row[col["Utan händelser"]] == r["without_events"]
        if r["judged"]:
            assert row[col["Andel uppfyllt"]] == pytest.approx((r["judged"] - r["violation"]) / r["judged"])
        else:
            assert row[col["Andel uppfyllt"]] is None
        seen.add(key)
    assert seen == set(rates)
