"""A rule written as data in a pack of one's own runs with no Python change.

The test writes a pack file with a new rule (its logic in the declarative vocabulary),
runs a real audit with ``--rules`` on a small export, and reads the findings a user gets.
"""

from __future__ import annotations

import json
from pathlib import Path

from auditor.cli import main

PACK = """\
pack: LOK
slug: lokal-rutin-testkommun
version: "2026.1"
routine:
  title: "Lokal rutin för uppföljning efter nej"
  issuer: "Testkommunen, enhetschef boendestöd"
  decided: 2026-01-15
  valid_until: null
  source: lokal-rutin.md
scope: [boendestod]
rules:
  - id: LOK1
    name: kontakt-inom-en-vecka-efter-nej
    title: "Brukaren kontaktas inom sju dagar efter ett nej"
    severity: medium
    strength: ska
    responsible: utförare
    action: "Ring brukaren och dokumentera samtalet."
    section: "Uppföljning"
    quote: "Efter ett nej ska personalen höra av sig till brukaren inom en vecka."
    needs: [journal]
    params:
      days: {type: int, unit: dagar, minimum: 1, maximum: 60, default: 7, description: "Dagar efter nej-tillfället"}
    doc:
      checks: "Efter varje nej ska en kontakt eller ett kontaktförsök vara dokumenterat inom sju dagar."
      why: "Kontakten ska hållas även när brukaren tackar nej."
      fails: "Nej 3 mars, ingen kontakt förrän 20 mars."
      passes: "Nej 3 mars, ringde 5 mars."
    logic:
      trigger: {event: DECLINE}
      evidence:
        - labels: [CONTACT, CONTACT_ATTEMPT]
          window: {start: 1, end: days}
          says: "Kontakt {met}."
      messages:
        ok: "{found}"
        missed: "Brukaren tackade nej {date}, men ingen kontakt är dokumenterad inom {days} dagar (senast {due})."
        open: "Brukaren tackade nej {date}; kontakt senast {due}."
"""

JOURNAL = """\
Personnr;Enhet;Datum;Sökord;Anteckning;Signatur
195801082743;Boendestöd Norr;2026-03-03;Avbokning;B tackade nej till besöket idag, hon var trött.;Stina P
195801082743;Boendestöd Norr;2026-03-05;Telefon;Ringde B och pratade om veckan, hon mådde bättre.;Stina P
195801082743;Boendestöd Norr;2026-03-16;Avbokning;B tackade nej till dagens besök, ville vila.;Stina P
195801082743;Boendestöd Norr;2026-03-30;Telefon;Ringde B och bokade ny tid.;Stina P
"""


def _run(tmp_path: Path, pack_text: str, *extra: str) -> list[dict]:
    pack = tmp_path / "lokal.yaml"
    pack.write_text(pack_text, encoding="utf-8")
    inputs = tmp_path / "in"
    inputs.mkdir(exist_ok=True)
    (inputs / "journal.csv").write_text(JOURNAL, encoding="utf-8")
    out = tmp_path / "out"
    code = main(["run", str(inputs), "--out", str(out), "--as-of", "2026-04-15", "--rules", str(pack), *extra])
    assert code in (0, 1), code
    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    return [f for f in data["findings"] if f["rule"] == "LOK1"]


def test_a_data_only_rule_in_a_local_pack_runs(tmp_path: Path) -> None:
    found = sorted((f["date"], f["status"]) for f in _run(tmp_path, PACK))
    # 3 March: contact 5 March (in time); 16 March: next contact 30 March (14 days: too late).
    assert found == [("2026-03-03", "ok"), ("2026-03-16", "violation")]
    violation = next(f for f in _run(tmp_path, PACK) if f["status"] == "violation")
    assert "ingen kontakt är dokumenterad inom 7 dagar (senast 2026-03-23)" in violation["message"]
    assert violation["evidence"] and "tackade nej" in violation["evidence"][0]["excerpt"]


def test_its_window_is_a_parameter_a_config_can_change(tmp_path: Path) -> None:
    config = tmp_path / "lokal.toml"
    config.write_text("[rules.LOK1]\ndays = 14\n", encoding="utf-8")
    found = sorted((f["date"], f["status"]) for f in _run(tmp_path, PACK, "--config", str(config)))
    assert found == [("2026-03-03", "ok"), ("2026-03-16", "ok")]


def test_explain_describes_its_logic_in_swedish(tmp_path: Path, capsys) -> None:
    pack = tmp_path / "lokal.yaml"
    pack.write_text(PACK, encoding="utf-8")
    assert main(["explain", "LOK1", "--rules", str(pack)]) == 0
    out = capsys.readouterr().out
    assert "Utlöses av: varje tillfälle då brukaren tackar nej/avbokar" in out
    assert "kontakt med brukaren eller kontaktförsök i en journalanteckning, från 1 till days=7 dagar" in out


def test_a_mistake_in_the_logic_is_a_swedish_error_before_any_export_is_read(tmp_path: Path, capsys) -> None:
    pack = tmp_path / "lokal.yaml"
    pack.write_text(PACK.replace("window: {start: 1, end: days}", "window: {start: 1, end: dagar}"), encoding="utf-8")
    code = main(["run", str(tmp_path / "saknas"), "--out", str(tmp_path / "out"), "--rules", str(pack)])
    assert code == 2
    err = capsys.readouterr().err
    assert "regel LOK1" in err and "logic använder parametern 'dagar' som regeln inte har" in err
    assert not (tmp_path / "out").exists()
