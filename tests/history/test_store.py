"""The history file itself: privacy, transactions, locking, schema versions, retention."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.cli import main
from auditor.history import schema, store

from .helpers import audit, month_args


def _dump(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def test_interrupted_run_leaves_the_history_as_it_was(export, tmp_path, monkeypatch, capsys) -> None:
    """An interrupt (Ctrl-C) while the run is being recorded: nothing of it is kept."""
    audit(export, tmp_path, 2026, 8)
    hist = tmp_path / "historik.sqlite"
    before = _dump(hist)
    from auditor.history import run as history_run

    original = history_run._finding_rows

    def interrupted(run_id, result):
        for i, row in enumerate(original(run_id, result)):
            if i == 50:
                raise KeyboardInterrupt
            yield row

    monkeypatch.setattr(history_run, "_finding_rows", interrupted)
    code = main(["run", str(export), "--out", str(tmp_path), *month_args(2026, 9), "-q"])
    assert code == 130
    assert "Avbrutet" in capsys.readouterr().err
    assert _dump(hist) == before
    con = sqlite3.connect(hist)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_failure_while_writing_reports_leaves_the_history_as_it_was(export, tmp_path, monkeypatch) -> None:
    audit(export, tmp_path, 2026, 8)
    hist = tmp_path / "historik.sqlite"
    before = _dump(hist)
    import auditor.pipeline

    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(auditor.pipeline, "_write_reports", disk_full)
    with pytest.raises(OSError):
        main(["run", str(export), "--out", str(tmp_path), *month_args(2026, 9), "-q"])
    assert _dump(hist) == before


def test_a_run_waiting_for_a_busy_history_stops_with_a_swedish_message(export, tmp_path, monkeypatch, capsys) -> None:
    audit(export, tmp_path, 2026, 8)
    hist = tmp_path / "historik.sqlite"
    before = _dump(hist)
    monkeypatch.setattr(store, "BUSY_TIMEOUT", 0.2)
    other = sqlite3.connect(hist, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another run is recording
    try:
        code = main(["run", str(export), "--out", str(tmp_path / "sep"), "--history", str(hist),
                     *month_args(2026, 9), "-q"])
    finally:
        other.rollback()
        other.close()
    assert code == 2
    err = capsys.readouterr().err
    assert "används av en annan körning" in err and "historik.sqlite" in err and "Traceback" not in err
    assert not (tmp_path / "sep" / "findings.json").exists()
    assert _dump(hist) == before


def test_two_runs_at_once_both_land_in_one_history(export, tmp_path) -> None:
    hist = tmp_path / "historik.sqlite"
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "auditor", "run", str(export), "--out", str(tmp_path / f"m{m}"),
             "--history", str(hist), *month_args(2026, m), "-q"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for m in (8, 9)
    ]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    con = sqlite3.connect(hist)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 2


def _v1_file(path: Path, findings: dict) -> None:
    """A history as version 1 of the schema wrote it, holding August's audit."""
    con = sqlite3.connect(path, isolation_level=None)
    schema.run_script(con, schema.V1)
    con.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    con.execute("PRAGMA user_version = 1")
    con.execute("INSERT INTO runs VALUES (1, 'v1-augusti', ?, ?, ?, '2026-09-01 08:00:00', '0.0.9', 0)",
                (findings["as_of"], findings["period"]["from"], findings["period"]["to"]))
    for i in findings["inputs"]:
        con.execute("INSERT INTO run_inputs VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (i["path"], i["sheet"], i["kind"], i["sha256"], i["rows_read"], i["rows_used"],
                     i["rows_excluded"], i["rows_rejected"]))
    for f in findings["findings"]:
        con.execute("INSERT INTO findings VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (f["id"], f["rule"], f["unit"], f["case"], f["status"], f["severity"], f["date"],
                     f["message"], json.dumps(f)))
    con.close()


def test_a_version_1_history_is_migrated_and_compared_with(export, tmp_path) -> None:
    august = audit(export, tmp_path / "aug", 2026, 8, "--no-history")
    hist = tmp_path / "gammal.sqlite"
    _v1_file(hist, august)
    september = audit(export, tmp_path / "sep", 2026, 9, "--history", str(hist))
    before = {f["id"]: f["status"] for f in august["findings"]}
    assert all(f["change"] in ("ny", "kvarstår") for f in september["findings"])
    assert any(f["change"] == "kvarstår" and before.get(f["id"]) == f["status"] == "violation"
               for f in september["findings"])
    con = sqlite3.connect(hist)
    assert con.execute("PRAGMA user_version").fetchone()[0] == schema.CURRENT_VERSION
    assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 2
    units = {u for (u,) in con.execute("SELECT unit FROM run_units WHERE run_id = 1")}
    assert units == {f["unit"] for f in august["findings"]}
    # August's rates were rebuilt from its findings, so the trends have both months.
    n = con.execute("SELECT sum(violation) FROM run_rates WHERE run_id = 1").fetchone()[0]
    assert n == sum(f["status"] == "violation" for f in august["findings"])


def test_a_history_from_a_newer_auditor_is_refused(export, tmp_path, capsys) -> None:
    hist = tmp_path / "historik.sqlite"
    audit(export, tmp_path, 2026, 8)
    con = sqlite3.connect(hist)
    con.execute("PRAGMA user_version = 99")
    con.close()
    code = main(["run", str(export), "--out", str(tmp_path), *month_args(2026, 9), "-q"])
    assert code == 2
    assert "nyare version av auditor" in capsys.readouterr().err


@pytest.mark.parametrize("content", [b"Inte en databas\n" * 100, None])
def test_a_file_that_is_not_a_history_is_refused(export, tmp_path, capsys, content) -> None:
    hist = tmp_path / "annat.sqlite"
    if content is None:
        con = sqlite3.connect(hist)
        con.execute("CREATE TABLE kunder (namn TEXT)")
        con.close()
    else:
        hist.write_bytes(content)
    before = hist.read_bytes()
    code = main(["run", str(export), "--out", str(tmp_path / "o"), "--history", str(hist), *month_args(2026, 9), "-q"])
    assert code == 2
    assert "ingen historikfil" in capsys.readouterr().err
    assert hist.read_bytes() == before


def test_pseudonymized_history_holds_no_personnummer_or_client_name(export, tmp_path, monkeypatch) -> None:
    from auditor.ingest import read_inputs
    from auditor.model.dataset import build_dataset

    monkeypatch.setenv("AUDITOR_PSEUDONYM_KEY", "testnyckel-historik")
    audit(export, tmp_path, 2026, 8, "--pseudonymize")
    audit(export, tmp_path, 2026, 9, "--pseudonymize")
    cases = build_dataset(read_inputs([export])).cases.values()
    numbers = {c.case for c in cases}
    surnames = {c.name.split(",")[0].strip() for c in cases if c.name and "," in c.name}
    assert numbers and surnames
    hist = tmp_path / "historik.sqlite"
    text = "\n".join(_dump(hist))
    raw = hist.read_bytes().decode("utf-8", "replace")
    for blob in (text, raw):
        for m in re.finditer(r"(?<!\d)(\d{8}|\d{6})[-+]?\d{4}(?!\d)", blob):
            digits = re.sub(r"\D", "", m.group(0))
            assert not any(n.endswith(digits[-10:]) for n in numbers), m.group(0)
        for surname in surnames:
            assert not re.search(rf"\b{re.escape(surname)}\b", blob), surname
    con = sqlite3.connect(hist)
    assert {c[:2] for (c,) in con.execute("SELECT DISTINCT case_id FROM findings")} <= {"P-", "SK"}


def test_protected_identity_never_reaches_the_history(export, tmp_path) -> None:
    labels_cases = build_protected(export)
    audit(export, tmp_path, 2026, 9)
    text = "\n".join(_dump(tmp_path / "historik.sqlite"))
    for number, surname in labels_cases:
        assert number not in text and f"{number[2:8]}-{number[8:]}" not in text
        assert not re.search(rf"\b{re.escape(surname)}\b", text)
    assert "SKYDDAD-" in text


def build_protected(export: Path) -> list[tuple[str, str]]:
    from auditor.ingest import read_inputs
    from auditor.model.dataset import build_dataset

    cases = build_dataset(read_inputs([export])).cases.values()
    found = [(c.case, c.name.split(",")[0].strip()) for c in cases if c.protected and c.name]
    assert found, "the generated export has a protected client"
    return found


def test_forget_removes_old_runs_for_good(export, tmp_path, capsys) -> None:
    for m in (8, 9, 10):
        audit(export, tmp_path, 2026, m)
    hist = tmp_path / "historik.sqlite"
    con = sqlite3.connect(hist)
    august_ids = {i for (i,) in con.execute(
        "SELECT f.id FROM findings f JOIN runs r ON r.id = f.run_id WHERE r.as_of = '2026-09-01'")}
    later = {i for (i,) in con.execute(
        "SELECT f.id FROM findings f JOIN runs r ON r.id = f.run_id WHERE r.as_of > '2026-09-01'")}
    gone = sorted(august_ids - later)
    assert gone
    con.close()
    capsys.readouterr()
    assert main(["history", "forget", "--before", "2026-10-01", "--history", str(hist)]) == 0
    out = capsys.readouterr().out
    assert "Tog bort 1 granskning" in out and "2 granskningar finns kvar" in out
    con = sqlite3.connect(hist)
    assert [r for (r,) in con.execute("SELECT as_of FROM runs ORDER BY as_of")] == ["2026-10-01", "2026-11-01"]
    assert con.execute("SELECT count(*) FROM findings WHERE run_id NOT IN (SELECT id FROM runs)").fetchone()[0] == 0
    con.close()
    raw = hist.read_bytes()
    assert not any(i.encode() in raw for i in gone[:20]), "forgotten findings are gone from the file"


def test_history_commands_on_a_missing_file_say_so(tmp_path, capsys) -> None:
    code = main(["history", "list", "--history", str(tmp_path / "saknas.sqlite")])
    assert code == 2
    assert "Hittar ingen historik" in capsys.readouterr().err
    assert not (tmp_path / "saknas.sqlite").exists()


@pytest.mark.parametrize("first, second", [((), ("--pseudonymize",)), (("--pseudonymize",), ())])
def test_plain_and_pseudonymized_runs_never_share_a_history(export, tmp_path, monkeypatch, capsys, first, second) -> None:
    monkeypatch.setenv("AUDITOR_PSEUDONYM_KEY", "testnyckel-historik")
    audit(export, tmp_path, 2026, 8, *first)
    before = _dump(tmp_path / "historik.sqlite")
    json_before = (tmp_path / "findings.json").read_bytes()
    code = main(["run", str(export), "--out", str(tmp_path), *month_args(2026, 9), "-q", *second])
    assert code == 2
    err = capsys.readouterr().err
    assert "--history" in err and ("klartext" in err or "pseudonymiserade" in err)
    assert _dump(tmp_path / "historik.sqlite") == before
    assert (tmp_path / "findings.json").read_bytes() == json_before


def test_the_history_keeps_whole_records_only_for_findings_to_act_on(export, tmp_path) -> None:
    """Every finding gets its row; its record with the journal excerpts is kept only for
    violations and warnings, as findings.json wrote it."""
    audit(export, tmp_path, 2026, 8)
    written = {f["id"]: f for f in json.loads((tmp_path / "findings.json").read_text("utf-8"))["findings"]}
    con = sqlite3.connect(tmp_path / "historik.sqlite")
    rows = con.execute("SELECT id, status, data FROM findings").fetchall()
    assert {r[0] for r in rows} == set(written)
    kept = {fid: json.loads(data) for fid, status, data in rows if data}
    assert {fid for fid, status, _ in rows if status in ("violation", "warning")} == set(kept)
    assert any(status == "ok" for _, status, _ in rows)
    for fid, record in kept.items():
        assert record == {k: v for k, v in written[fid].items() if k not in ("change", "review")}
