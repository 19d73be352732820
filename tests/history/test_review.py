"""Review decisions round-trip: the Åtgärdslista filled in as a person would, imported,
shown beside each finding in the next run, and counted in rates and review_stats."""

from __future__ import annotations

import re
import sqlite3
from datetime import date

import pytest
from openpyxl import load_workbook

from auditor.cli import main

from .helpers import audit

SHEET = "Åtgärdslista"


def _header(ws) -> dict[str, int]:
    return {c.value: c.column for c in ws[1] if c.value}


@pytest.fixture(scope="module")
def reviewed(export, tmp_path_factory):
    """August and September audited; September's action list filled in and imported;
    October audited. Also October without history, to compare the findings themselves."""
    root = tmp_path_factory.mktemp("review")
    out = root / "rapporter"
    audit(export, out, 2026, 8)
    audit(export, out, 2026, 9)
    plain_october = audit(export, root / "utan-historik", 2026, 10, "--no-history")
    still_open = {f["id"] for f in plain_october["findings"] if f["status"] == "violation"}

    wb = load_workbook(out / "findings.xlsx")
    ws = wb[SHEET]
    col = _header(ws)
    rows = [r for r in range(2, ws.max_row + 1) if ws.cell(r, col["Fynd-id"]).value in still_open]
    assert len(rows) >= 6, "enough September items remain open in October"
    decisions = {}  # row -> (decision label, comment, by, valid until)
    plan = [
        ("Falskt larm", "Anteckningen finns i pappersjournalen.", "Karin D.", None),
        ("Falskt larm", "Fel i exporten, rättat.", "Karin D.", date(2026, 12, 31)),
        ("Falskt larm", "Gällde en vikarie, tillfälligt.", "Ali R.", date(2026, 10, 15)),  # lapses before October's as-of
        ("Bekräftad", "Tas upp på APT.", "Karin D.", None),
        ("Bekräftad", "", "Ali R.", None),
        ("Motiverad avvikelse", "Brukaren 19121212-1212 bad själv om det.", "Ali R.", None),
    ]
    for r, (label, comment, by, until) in zip(rows, plan, strict=False):
        ws.cell(r, col["Beslut"]).value = label
        ws.cell(r, col["Kommentar"]).value = comment or None
        ws.cell(r, col["Granskad av"]).value = by
        if until:
            ws.cell(r, col["Gäller till"]).value = until
        decisions[r] = (label, comment, by, until)
    # Mistakes a person makes: a mistyped id, a date in words, a decision not in the list.
    others = [r for r in range(2, ws.max_row + 1) if r not in decisions]
    assert len(others) >= 3
    bad_id, bad_date, bad_decision = others[:3]
    ws.cell(bad_id, col["Fynd-id"]).value = "0000000000000000"
    ws.cell(bad_id, col["Beslut"]).value = "Bekräftad"
    ws.cell(bad_date, col["Beslut"]).value = "Falskt larm"
    ws.cell(bad_date, col["Gäller till"]).value = "till jul"
    ws.cell(bad_decision, col["Beslut"]).value = "Kanske"
    filled = root / "granskad.xlsx"
    wb.save(filled)
    ids = {r: ws.cell(r, col["Fynd-id"]).value for r in decisions}
    return out, root, filled, decisions, ids, (bad_id, bad_date, bad_decision), plain_october


def test_import_reports_what_it_took_and_what_it_refused(reviewed, capsys) -> None:
    out, _, filled, _decisions, _, (bad_id, bad_date, bad_decision), _ = reviewed
    capsys.readouterr()
    code = main(["review", "import", str(filled), "--history", str(out / "historik.sqlite"), "--date", "2026-10-05"])
    text = capsys.readouterr().out
    assert code == 1, text  # some rows were refused
    assert "Registrerade 6 beslut: 2 Bekräftad, 3 Falskt larm, 1 Motiverad avvikelse." in text
    assert re.search(rf"rad {bad_id}: okänt fynd-id ”0000000000000000”", text)
    assert re.search(rf"rad {bad_date}: ”till jul” i Gäller till är inget datum", text)
    assert re.search(rf"rad {bad_decision}: okänt beslut ”Kanske”", text)
    assert "Personnummer i 1 kommentar ersattes" in text
    # The same file again records nothing new.
    code = main(["review", "import", str(filled), "--history", str(out / "historik.sqlite"), "--date", "2026-10-06"])
    again = capsys.readouterr().out
    assert "Inga nya beslut registrerades." in again and "6 rader hade samma beslut" in again


@pytest.fixture(scope="module")
def october(reviewed, export):
    """October audited after the import (imported here when the import test did not run)."""
    out, _root, filled, *_ = reviewed
    hist = out / "historik.sqlite"
    con = sqlite3.connect(hist)
    imported = con.execute("SELECT count(*) FROM reviews").fetchone()[0]
    con.close()
    if not imported:
        assert main(["review", "import", str(filled), "--history", str(hist), "--date", "2026-10-05"]) == 1
    return audit(export, out, 2026, 10)


CODES = {"Falskt larm": "falskt_larm", "Bekräftad": "bekraftad", "Motiverad avvikelse": "motiverad"}


def test_next_run_shows_each_decision_beside_its_finding(reviewed, october) -> None:
    _, _, _, decisions, ids, _, _plain = reviewed
    by_id = {f["id"]: f for f in october["findings"]}
    for r, (label, comment, by, until) in decisions.items():
        review = by_id[ids[r]]["review"]
        assert review["decision"] == CODES[label]
        assert review["by"] == by
        assert review["date"] == "2026-10-05"
        assert review["valid_until"] == (until.isoformat() if until else None)
        if "19121212" in comment:
            assert "19121212" not in review["comment"] and "[personnummer borttaget]" in review["comment"]
        else:
            assert review["comment"] == comment
    reviewed_ids = set(ids.values())
    assert all("review" not in f for f in october["findings"] if f["id"] not in reviewed_ids)


def test_decisions_never_change_the_findings(reviewed, october) -> None:
    plain = {f["id"]: f for f in reviewed[6]["findings"]}
    for f in october["findings"]:
        mine = {k: v for k, v in f.items() if k not in ("change", "review")}
        assert mine == plain[f["id"]]


def test_valid_false_alarms_leave_the_rates_and_a_lapsed_one_comes_back(reviewed, october) -> None:
    _, _, _, decisions, ids, _, plain = reviewed
    as_of = date.fromisoformat(october["as_of"])
    away = {ids[r] for r, (label, _, _, until) in decisions.items()
            if label in ("Falskt larm", "Motiverad avvikelse") and (until is None or until >= as_of)}
    lapsed = {ids[r] for r, (label, _, _, until) in decisions.items() if until and until < as_of}
    assert len(away) == 3 and len(lapsed) == 1
    findings = {f["id"]: f for f in october["findings"]}
    plain_rates = {(r["unit"], r["rule"]): r for r in plain["rates"]}
    for rate in october["rates"]:
        key = (rate["unit"], rate["rule"])
        mine = [i for i in away if (findings[i]["unit"], findings[i]["rule"]) == key]
        assert rate["reviewed_away"] == len(mine)
        assert rate["violation"] == plain_rates[key]["violation"] - len(mine)
        assert rate["judged"] == plain_rates[key]["judged"]
    # The unit report: set-aside findings under "Granskade", the lapsed one among the open items.
    out = reviewed[0]
    for unit in {findings[i]["unit"] for i in away | lapsed}:
        page = next(p for p in out.glob("enhet-*.html") if f"<h1>{unit}</h1>" in p.read_text(encoding="utf-8"))
        html = page.read_text(encoding="utf-8")
        granskade = html[html.index('id="granskade-rubrik"'):html.index("</section>", html.index('id="granskade-rubrik"'))]
        before = html[:html.index('id="granskade-rubrik"')]
        for i in away:
            if findings[i]["unit"] == unit:
                assert f'href="#f-{i}"' in granskade
                assert f'href="#f-{i}"' not in before
        for i in lapsed:
            if findings[i]["unit"] == unit:
                assert f'href="#f-{i}"' in before and f'href="#f-{i}"' not in granskade
                assert "Beslutet har löpt ut" in before


def test_review_stats_give_each_rules_measured_precision(reviewed, october) -> None:
    _, _, _, decisions, ids, _, _ = reviewed
    rule_of = {f["id"]: f["rule"] for f in october["findings"]}
    expected: dict[str, dict[str, int]] = {}
    for r, (label, *_rest) in decisions.items():
        counts = expected.setdefault(rule_of[ids[r]], dict.fromkeys(("bekraftad", "atgardad", "falskt_larm", "motiverad"), 0))
        counts[CODES[label]] += 1
    stats = {s["rule"]: s for s in october["review_stats"]}
    assert {f["rule"] for f in october["findings"]} <= set(stats)
    for rule, s in stats.items():
        c = expected.get(rule, dict.fromkeys(("bekraftad", "atgardad", "falskt_larm", "motiverad"), 0))
        assert {k: s[k] for k in c} == c
        right, judged = c["bekraftad"] + c["atgardad"], c["bekraftad"] + c["atgardad"] + c["falskt_larm"]
        assert s["precision"] == (round(right / judged, 4) if judged else None)
    index = (reviewed[0] / "index.html").read_text(encoding="utf-8")
    assert "Regler: granskningsbeslut och uppmätt precision" in index


def test_history_holds_no_personnummer_from_a_comment(reviewed, october) -> None:
    con = sqlite3.connect(reviewed[0] / "historik.sqlite")
    text = "\n".join(con.iterdump())
    assert "19121212" not in text


def test_a_workbook_without_the_action_list_is_refused(tmp_path, capsys) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Blad1"
    wb.active["A1"] = "Något annat"
    path = tmp_path / "annan.xlsx"
    wb.save(path)
    (tmp_path / "historik.sqlite").write_bytes(b"")
    code = main(["review", "import", str(path), "--history", str(tmp_path / "historik.sqlite")])
    assert code == 2
    assert "har inget blad Åtgärdslista" in capsys.readouterr().err


def test_set_aside_findings_leave_the_action_list(reviewed, october) -> None:
    """"Åtgärda nu" and the cases needing action no longer list a valid false alarm."""
    _, _, _, decisions, ids, _, _ = reviewed
    as_of = date.fromisoformat(october["as_of"])
    away = {ids[r] for r, (label, _, _, until) in decisions.items()
            if label in ("Falskt larm", "Motiverad avvikelse") and (until is None or until >= as_of)}
    findings = {f["id"]: f for f in october["findings"]}
    out = reviewed[0]
    for unit in {findings[i]["unit"] for i in away}:
        page = next(p for p in out.glob("enhet-*.html") if f"<h1>{unit}</h1>" in p.read_text(encoding="utf-8"))
        html = page.read_text(encoding="utf-8")
        start = html.index('id="atgarda"')
        action_list = html[start:html.index("</table>", start)]
        for i in away:
            if findings[i]["unit"] == unit:
                assert f'href="#f-{i}"' not in action_list
                assert f'id="f-{i}"' in html, "the finding itself stays, with its decision"
