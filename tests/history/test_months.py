"""Several monthly audits in a row into one output folder: ny, kvarstår and resolved."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from .helpers import audit

ACTION = ("violation", "warning")


def _group(status: str) -> str:
    return "action" if status in ACTION else status


@pytest.fixture(scope="module")
def months(export, tmp_path_factory):
    """August, September and October audited in turn into the same --out; each month's
    outputs are kept aside for comparison."""
    out = tmp_path_factory.mktemp("reports")
    kept = tmp_path_factory.mktemp("kept")
    results = {}
    for month in (8, 9, 10):
        results[month] = audit(export, out, 2026, month)
        shutil.copytree(out, kept / str(month))
    return out, kept, results


def test_first_audit_has_nothing_to_compare_with(months) -> None:
    _, _, results = months
    first = results[8]
    assert first["findings"]
    assert all("change" not in f for f in first["findings"])
    assert first["resolved"] == []


@pytest.mark.parametrize("month", [9, 10])
def test_every_finding_is_new_or_remains_against_the_month_before(months, month) -> None:
    _, _, results = months
    before = {f["id"]: f["status"] for f in results[month - 1]["findings"]}
    now = results[month]["findings"]
    assert all(f["change"] in ("ny", "kvarstår") for f in now)
    for f in now:
        remains = f["id"] in before and _group(before[f["id"]]) == _group(f["status"])
        assert f["change"] == ("kvarstår" if remains else "ny"), f
    changes = {(f["status"], f["change"]) for f in now}
    # Open deadlines carry over from month to month; this month's occasions are new.
    assert ("violation", "kvarstår") in changes
    assert ("violation", "ny") in changes or ("warning", "ny") in changes


@pytest.mark.parametrize("month", [9, 10])
def test_resolved_lists_last_months_items_that_are_now_met(months, month) -> None:
    _, _, results = months
    before = {f["id"]: f for f in results[month - 1]["findings"]}
    now = {f["id"]: f for f in results[month]["findings"]}
    expected = {i for i, f in before.items() if f["status"] in ACTION and now.get(i, {}).get("status") == "ok"}
    got = results[month]["resolved"]
    assert {r["id"] for r in got} == expected
    for r in got:
        old = before[r["id"]]
        assert (r["rule"], r["unit"], r["case"], r["date"], r["message"]) == (
            old["rule"], old["unit"], old["case"], old["date"], old["message"])


def test_history_is_private_and_keeps_each_run(months) -> None:
    out, _, results = months
    path = out / "historik.sqlite"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    con = sqlite3.connect(path)
    runs = con.execute("SELECT period_from, as_of FROM runs ORDER BY period_to").fetchall()
    assert runs == [("2026-08-01", "2026-09-01"), ("2026-09-01", "2026-10-01"), ("2026-10-01", "2026-11-01")]
    n = con.execute("SELECT count(*) FROM findings f JOIN runs r ON r.id = f.run_id WHERE r.as_of = '2026-11-01'").fetchone()[0]
    assert n == len(results[10]["findings"])
    hashes = {row[0] for row in con.execute("SELECT sha256 FROM run_inputs")}
    assert {i["sha256"] for i in results[10]["inputs"]} <= hashes


def _without_timestamp(text: str) -> str:
    return re.sub(r"Skapad \d{4}-\d\d-\d\d \d\d:\d\d:\d\d", "Skapad X", text)


def test_rerun_of_an_earlier_month_is_byte_identical(months, export) -> None:
    """September again, after October is in the history: it replaces September's run and
    still compares with August, so every output is the same apart from the timestamp."""
    out, kept, _ = months
    audit(export, out, 2026, 9)
    first = kept / "9"
    assert (out / "findings.json").read_bytes() == (first / "findings.json").read_bytes()
    assert (out / "findings.xlsx").read_bytes() == (first / "findings.xlsx").read_bytes()
    pages = sorted(p.name for p in first.glob("*.html"))
    assert pages
    for name in pages:
        assert _without_timestamp((out / name).read_text(encoding="utf-8")) == _without_timestamp(
            (first / name).read_text(encoding="utf-8")), name
    con = sqlite3.connect(out / "historik.sqlite")
    assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 3


def test_no_history_writes_no_history_and_no_change(export, tmp_path) -> None:
    data = audit(export, tmp_path, 2026, 9, "--no-history")
    assert not (tmp_path / "historik.sqlite").exists()
    assert all("change" not in f and "review" not in f for f in data["findings"])
    assert "resolved" not in data and "review_stats" not in data


def test_history_path_can_be_given(export, tmp_path) -> None:
    hist = tmp_path / "arkiv" / "granskningar.sqlite"
    audit(export, tmp_path / "aug", 2026, 8, "--history", str(hist))
    data = audit(export, tmp_path / "sep", 2026, 9, "--history", str(hist))
    assert not (tmp_path / "sep" / "historik.sqlite").exists()
    assert all(f["change"] in ("ny", "kvarstår") for f in data["findings"])
    assert json.loads((tmp_path / "aug" / "findings.json").read_text(encoding="utf-8"))["resolved"] == []


def _read_csv(path: Path) -> tuple[str, str, list[list[str]]]:
    import csv

    raw = path.read_bytes()
    try:
        text, encoding = raw.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError:
        text, encoding = raw.decode("cp1252"), "cp1252"
    delimiter = ";" if text.split("\n", 1)[0].count(";") else ","
    return encoding, delimiter, list(csv.reader(text.splitlines(), delimiter=delimiter))


def _add_closing_note(export: Path, target: Path, case: str, day: str) -> None:
    """A later extract in which staff wrote the missing slutanteckning: the case's last journal
    row, copied with a new date and text, as the journal system would export it."""
    import csv
    import io

    shutil.copytree(export, target)
    forms = (case, f"{case[:8]}-{case[8:]}", f"{case[2:8]}-{case[8:]}")
    for path in sorted(target.glob("journal_*.csv")):
        encoding, delimiter, rows = _read_csv(path)
        header, body = rows[0], rows[1:]
        mine = [r for r in body if any(cell in forms for cell in r)]
        if not mine:
            continue
        row = list(mine[-1])
        iso_day = day.split("-")
        for i, name in enumerate(header):
            cell = row[i]
            if re.fullmatch(r"\d\d\.\d\d\.\d{4}.*", cell):
                row[i] = f"{iso_day[2]}.{iso_day[1]}.{iso_day[0]}" + cell[10:]
            elif re.fullmatch(r"\d{4}-\d\d-\d\d.*", cell):
                row[i] = day + cell[10:]
            if name.strip().casefold() in ("anteckning", "text", "journaltext"):
                row[i] = "Slutanteckning: Insatsen avslutas då brukaren flyttat till ett särskilt boende."
            if name.strip().casefold() in ("sökord", "rubrik"):
                row[i] = "Slutanteckning"
        buf = io.StringIO()
        csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows([header, *body, row])
        path.write_bytes(buf.getvalue().encode(encoding))
        return
    raise AssertionError(f"no journal holds {case}")


def test_an_item_fixed_in_a_later_extract_is_listed_as_resolved(months, export, tmp_path) -> None:
    """September has an open GB11 deadline (slutanteckning due); October's extract holds the
    slutanteckning, so October lists it under resolved and the finding itself is ok."""
    _, _, results = months
    open_items = [f for f in results[9]["findings"] if f["rule"] == "GB11" and f["status"] == "warning"]
    assert open_items, "the generated September has a GB11 deadline running"
    item = open_items[0]
    fixed = tmp_path / "oktober"
    _add_closing_note(export, fixed, item["case"], "2026-10-01")
    out = tmp_path / "reports"
    audit(export, out, 2026, 9)
    october = audit(fixed, out, 2026, 10)
    now = {f["id"]: f for f in october["findings"]}
    assert now[item["id"]]["status"] == "ok"
    assert item["id"] in {r["id"] for r in october["resolved"]}
    before = {f["id"]: f["status"] for f in results[9]["findings"]}
    expected = {i for i, s in before.items() if s in ACTION and now.get(i, {}).get("status") == "ok"}
    assert {r["id"] for r in october["resolved"]} == expected
