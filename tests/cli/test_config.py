"""--config is checked against the packs' schema before any export is read, and a valid
setting is echoed in the report's "Lokal tolkning"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import auditor.ingest
from auditor.cli import main

JOURNAL = (
    "Personnr;Enhet;Datum;Sökord;Anteckning;Signatur\n"
    "195801082743;Boendestöd Norr;2026-03-02;Besök;Handlade tillsammans med B på Coop.;Stina P\n"
    "195801082743;Boendestöd Norr;2026-03-09;Besök;B tackade nej till besöket, orkade inte.;Stina P\n"
)


@pytest.fixture
def no_ingest(monkeypatch):
    """Fails the test if any export is read."""
    def read_inputs(*args, **kwargs):
        raise AssertionError("an export was read before the settings were checked")

    monkeypatch.setattr(auditor.ingest, "read_inputs", read_inputs)


def _bad(tmp_path: Path, capsys, toml: str, *extra: str) -> str:
    (tmp_path / "in").mkdir(exist_ok=True)
    (tmp_path / "in" / "j.csv").write_text(JOURNAL, encoding="utf-8")
    cfg = tmp_path / "inst.toml"
    cfg.write_text(toml, encoding="utf-8")
    code = main(["run", str(tmp_path / "in"), "--out", str(tmp_path / "o"), "--config", str(cfg), *extra])
    err = capsys.readouterr().err
    assert code == 2, err
    assert not (tmp_path / "o").exists()
    assert "Traceback" not in err
    return err


def test_misspelt_parameter_names_the_closest(tmp_path: Path, capsys, no_ingest) -> None:
    err = _bad(tmp_path, capsys, "[rules.GB8]\nmax_dayz = 60\n")
    assert "[rules.GB8]: okänd parameter 'max_dayz' – menade du 'max_days'?" in err


def test_unknown_pack_and_rule(tmp_path: Path, capsys, no_ingest) -> None:
    err = _bad(tmp_path, capsys, "[packs.TM]\nwindow_days = 2\n\n[rules.GB13]\nmax_days = 60\n")
    assert "okänt regelpaket [packs.TM] – menade du 'TN'?" in err
    assert "okänd regel [rules.GB13]" in err


def test_wrong_type(tmp_path: Path, capsys, no_ingest) -> None:
    err = _bad(tmp_path, capsys, '[rules.GB8]\nmax_days = "sextio"\n')
    assert "[rules.GB8]: 'max_days' ska vara ett heltal, inte texten 'sextio'" in err


def test_out_of_range(tmp_path: Path, capsys, no_ingest) -> None:
    err = _bad(tmp_path, capsys, "[rules.GB8]\nmax_days = -5\n\n[packs.TN]\ndeclines = 1\n")
    assert "'max_days' får inte vara mindre än 0 (angivet: -5)" in err
    assert "[packs.TN]: 'declines' får inte vara mindre än 2 (angivet: 1)" in err


def test_unknown_heading_and_unit_structure(tmp_path: Path, capsys, no_ingest) -> None:
    err = _bad(tmp_path, capsys,
               '[unit_insat]\n"Team Öster" = "boendestöd"\n\n'
               '[units."Boendestöd Norr".rules.GB12]\nmin_visit = 10\n\n'
               '[units."Boendestöd Norr".regler.GB12]\nmin_visits = 10\n')
    assert "okänd rubrik [unit_insat] – menade du 'unit_insats'?" in err
    assert "okänd parameter 'min_visit' – menade du 'min_visits'?" in err
    assert 'okänd rubrik [units."Boendestöd Norr".regler]' in err


def test_unknown_insats(tmp_path: Path, capsys, no_ingest) -> None:
    err = _bad(tmp_path, capsys, '[unit_insats]\n"Team Öster" = "hemtjänst"\n')
    assert "okänd insats 'hemtjänst'" in err


def test_every_problem_is_reported_at_once(tmp_path: Path, capsys, no_ingest) -> None:
    err = _bad(tmp_path, capsys, "[rules.GB8]\nmax_dayz = 60\n\n[rules.TN4]\nwindow_days = 1.5\n")
    assert "max_dayz" in err and "'window_days' ska vara ett heltal, inte 1.5" in err


def test_broken_toml_is_swedish(tmp_path: Path, capsys, no_ingest) -> None:
    err = _bad(tmp_path, capsys, "[rules.GB8\nmax_days = 60\n")
    assert "är ingen giltig TOML: fel på rad 1" in err


def test_valid_override_is_echoed_in_lokal_tolkning(tmp_path: Path, capsys) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "j.csv").write_text(JOURNAL, encoding="utf-8")
    cfg = tmp_path / "inst.toml"
    cfg.write_text('[rules.TN6]\nwindow_days = 7\n\n[units."Boendestöd Norr".rules.TN4]\nwindow_days = 2\n\n'
                   '[units."Boendestöd Nord".rules.TN5]\ndeclines = 4\n\n[unit_insats]\n"Boendestöd Norr" = "boendestöd"\n',
                   encoding="utf-8")
    code = main(["run", str(tmp_path / "in"), "--out", str(tmp_path / "o"), "--config", str(cfg),
                 "--as-of", "2026-04-01", "--rules", "TN", "-q"])
    err = capsys.readouterr().err
    assert code == 0
    assert "enheten ”Boendestöd Nord”, som inte finns i exporterna" in err
    html = next((tmp_path / "o").glob("*norr*.html")).read_text(encoding="utf-8")
    tn6 = "Inställningsfilen inst.toml ändrar ”dagar efter nej-tillfället inom vilka nästa kontakt eller " \
          "kontaktförsök ska ske” till 7 dagar (granskningens standard är 14 dagar)."
    assert tn6 in html
    assert "Inställningsfilen inst.toml ändrar för enheten Boendestöd Norr" in html
    assert "nämner enheten ”Boendestöd Nord”, som inte finns i exporterna" in html
    data = json.loads((tmp_path / "o" / "findings.json").read_text(encoding="utf-8"))
    assert data["findings"]
