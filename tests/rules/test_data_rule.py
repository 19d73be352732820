"""A rule written as data in a pack of one's own runs with no Python change.

The test writes a pack file with a new rule (its logic in the declarative vocabulary),
runs a real audit with ``--rules`` on a small export, and reads the findings a user gets.
The pack and the export are in ``conftest.py``.
"""

from __future__ import annotations

from pathlib import Path

from auditor.cli import main
from tests.rules.conftest import LOCAL_PACK


def _lok1(data: dict) -> list[dict]:
    return [f for f in data["findings"] if f["rule"] == "LOK1"]


def test_a_data_only_rule_in_a_local_pack_runs(run_local) -> None:
    data = run_local()
    found = sorted((f["date"], f["status"]) for f in _lok1(data))
    # 3 March: contact 5 March (in time); 16 March: next contact 30 March (14 days: too late).
    assert found == [("2026-03-03", "ok"), ("2026-03-16", "violation")]
    # no Python anywhere: only the local pack ran, and its action reaches the finding
    assert {f["rule"] for f in data["findings"]} == {"LOK1"}
    assert [p["name"] for p in data["tool"]["rule_packs"]] == ["LOK"]
    violation = next(f for f in _lok1(data) if f["status"] == "violation")
    assert violation["message"] == ("Brukaren tackade nej 2026-03-16, men ingen kontakt är dokumenterad "
                                    "inom 7 dagar (senast 2026-03-23).")
    assert violation["action"] == "Ring brukaren och dokumentera samtalet."
    assert violation["evidence"] and "tackade nej" in violation["evidence"][0]["excerpt"]


def test_its_window_is_a_parameter_a_config_can_change(tmp_path: Path, run_local) -> None:
    config = tmp_path / "lokal.toml"
    config.write_text("[rules.LOK1]\ndays = 14\n", encoding="utf-8")
    found = sorted((f["date"], f["status"]) for f in _lok1(run_local(LOCAL_PACK, "--config", str(config))))
    assert found == [("2026-03-03", "ok"), ("2026-03-16", "ok")]


def test_explain_describes_its_logic_in_swedish(write_pack, capsys) -> None:
    assert main(["explain", "LOK1", "--rules", str(write_pack())]) == 0
    out = capsys.readouterr().out
    assert "Utlöses av: varje tillfälle då brukaren tackar nej/avbokar" in out
    assert "kontakt med brukaren eller kontaktförsök i en journalanteckning, från 1 till days=7 dagar" in out


def test_a_mistake_in_the_logic_is_a_swedish_error_before_any_export_is_read(tmp_path: Path, write_pack, capsys) -> None:
    pack = write_pack(LOCAL_PACK.replace("window: {start: 1, end: days}", "window: {start: 1, end: dagar}"))
    code = main(["run", str(tmp_path / "saknas"), "--out", str(tmp_path / "out"), "--rules", str(pack)])
    assert code == 2
    err = capsys.readouterr().err
    assert "regel LOK1" in err and "logic använder parametern 'dagar' som regeln inte har" in err
    assert not (tmp_path / "out").exists()
