"""Packs from anywhere: a pack file of one's own, given with --rules, under the same validation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.cli import main
from auditor.rules.packs import PackError, load_packs

LOCAL_PACK = """\
# yaml-language-server: $schema=schema/pack.schema.json
pack: LOK
slug: lokal-rutin-testkommun
version: "2026.1"
routine:
  title: "Lokal rutin för uppföljning"
  issuer: "Testkommunen, enhetschef boendestöd"
  decided: 2026-01-15
  valid_until: 2027-01-15
  source: lokal-rutin.md
scope: [boendestod]
rules:
  - id: LOK1
    name: lokal-uppfoljning
    title: "Brukaren kontaktas inom sju dagar efter ett nej"
    severity: medium
    strength: ska
    responsible: utförare
    action: "Ring brukaren och dokumentera kontakten."
    section: "Uppföljning"
    quote: "Efter ett nej ska personalen höra av sig inom en vecka."
    needs: [journal]
    params:
      days: {type: int, unit: dagar, minimum: 1, maximum: 60, default: 7, description: "Dagar efter nej-tillfället"}
    doc:
      checks: "Efter varje nej ska en kontakt vara dokumenterad inom sju dagar."
      why: "Kontakten ska hållas."
      fails: "Nej 3 mars, ingen kontakt förrän 20 mars."
      passes: "Nej 3 mars, ringde 5 mars."
    logic:
      trigger: {event: DECLINE}
      evidence:
        - labels: [CONTACT, CONTACT_ATTEMPT]
          window: {start: 1, end: days}
      messages:
        ok: "Kontakt {met}."
        missed: "Brukaren tackade nej {date}, men ingen kontakt är dokumenterad inom {days} dagar."
"""


def _write(tmp_path: Path, text: str, name: str = "lokal.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_local_pack_loads_beside_the_shipped_ones(tmp_path: Path) -> None:
    path = _write(tmp_path, LOCAL_PACK)
    packs = load_packs(["TN", str(path)])
    assert [p.name for p in packs] == ["TN", "LOK"]
    lok = packs[1]
    assert lok.info.valid_until.isoformat() == "2027-01-15"
    rule = lok.rules[0]
    assert (rule.id, rule.pack, rule.scope, rule.implementation) == ("LOK1", "LOK", ("boendestod",), "data")
    assert rule.params["days"].default == 7


def test_local_pack_is_listed_as_data(tmp_path: Path, capsys) -> None:
    path = _write(tmp_path, LOCAL_PACK)
    assert main(["rules", "--rules", str(path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(r["id"], r["implementation"], r["pack"]) for r in data["rules"]] == [("LOK1", "data", "LOK")]
    assert data["packs"][0]["issuer"] == "Testkommunen, enhetschef boendestöd"


def test_broken_local_pack_names_its_file(tmp_path: Path, capsys) -> None:
    path = _write(tmp_path, LOCAL_PACK.replace("severity: medium", "severity: mellan"))
    assert main(["rules", "--rules", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"Regelpaketet {path}, regel LOK1, fältet 'rules.LOK1.severity': har värdet texten 'mellan'" in err


def test_local_pack_may_not_take_a_shipped_name_or_id(tmp_path: Path) -> None:
    path = _write(tmp_path, LOCAL_PACK.replace("pack: LOK", "pack: TN").replace("LOK1", "TN9"))
    with pytest.raises(PackError, match="precis som ett medföljande paket"):
        load_packs([str(path)])
    path = _write(tmp_path, LOCAL_PACK.replace("pack: LOK", "pack: G").replace("LOK1", "GB1"), "g.yaml")
    with pytest.raises(PackError, match="regel GB1: id:t används redan"):
        load_packs([str(path)])


def test_missing_pack_file_and_misspelt_pack_name(tmp_path: Path) -> None:
    with pytest.raises(PackError, match="finns inte"):
        load_packs([str(tmp_path / "saknas.yaml")])
    with pytest.raises(PackError, match="Menade du 'TN'"):
        load_packs(["TM"])


def test_rule_that_cannot_run_is_a_usage_error(tmp_path: Path, capsys) -> None:
    text = LOCAL_PACK[: LOCAL_PACK.index("    logic:")]
    path = _write(tmp_path, text)
    (tmp_path / "in").mkdir()
    code = main(["run", str(tmp_path / "in"), "--out", str(tmp_path / "o"), "--rules", str(path)])
    assert code == 2
    assert "regel LOK1: regeln har ingen logik" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_data_only_rule_from_a_local_pack_runs_without_python(tmp_path: Path, capsys) -> None:
    """The pack above has no check function anywhere: its logic block alone decides."""
    path = _write(tmp_path, LOCAL_PACK)
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "journal.csv").write_text(
        "Personnr;Enhet;Datum;Sökord;Anteckning;Signatur\n"
        "195801082743;Boendestöd Norr;2026-03-02;Besök;B tackade nej till besöket idag, var trött.;Stina P\n"
        "195801082743;Boendestöd Norr;2026-03-04;Kontakt;Ringde B och pratade en stund.;Stina P\n"
        "195801082743;Boendestöd Norr;2026-03-16;Besök;B tackade nej till besöket idag, var trött.;Stina P\n"
        "195801082743;Boendestöd Norr;2026-03-30;Besök;Handlade tillsammans med B på Coop.;Stina P\n",
        encoding="utf-8")
    code = main(["run", str(inp), "--out", str(tmp_path / "o"), "--rules", str(path),
                 "--as-of", "2026-04-15", "--from", "2026-03-01", "-q"])
    assert code == 0, capsys.readouterr().err
    data = json.loads((tmp_path / "o" / "findings.json").read_text(encoding="utf-8"))
    lok = sorted((f["date"], f["status"]) for f in data["findings"] if f["rule"] == "LOK1")
    assert lok == [("2026-03-02", "ok"), ("2026-03-16", "violation")]
    assert {f["rule"] for f in data["findings"]} == {"LOK1"}
    assert [p["name"] for p in data["tool"]["rule_packs"]] == ["LOK"]
    missed = next(f for f in data["findings"] if f["status"] == "violation")
    assert missed["message"] == "Brukaren tackade nej 2026-03-16, men ingen kontakt är dokumenterad inom 7 dagar."
    assert missed["action"] == "Ring brukaren och dokumentera kontakten."
