"""Implausible values get a warning on the row; nothing is rejected and the default audit
period is not stretched."""

from __future__ import annotations

import json
from datetime import date

from auditor.cli import main
from auditor.ingest import read_inputs
from auditor.ingest.plausibility import check
from tests.ingest.conftest import P1, P2, P_2001, write

HEAD = "Personnr;Namn;Enhet;Datum;Anteckning;Signatur\n"


def problems(loaded):
    return {(li.report.path, p.row, p.column): p.message for li in loaded for p in li.report.problems}


def test_date_before_1900_warns_and_does_not_stretch_the_period(tmp_path):
    write(tmp_path, "in/j.csv", HEAD
          + f"{P1};Larsson, Bengt;Boendestöd Norr;1899-12-30;Besök gjort.;Stina P\n"
          + f"{P1};Larsson, Bengt;Boendestöd Norr;2026-03-02;Besök gjort igen.;Stina P\n")
    loaded = read_inputs([tmp_path / "in"], base=tmp_path)
    start = check(loaded, date(2026, 11, 1))
    assert start == date(2026, 3, 2)
    msg = problems(loaded)[("in/j.csv", 2, "Datum")]
    assert "1899-12-30" in msg and "före 1900" in msg
    assert loaded[0].report.rows_used == 2 and loaded[0].report.rows_rejected == 0
    out = tmp_path / "ut"
    assert main(["run", str(tmp_path / "in"), "--out", str(out), "--as-of", "2026-11-01", "-q"]) == 0
    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert data["period"]["from"] == "2026-03-01"  # the month of the first plausible date


def test_reversed_interval_and_late_decision(tmp_path):
    write(tmp_path, "u.csv",
          "Personnummer;Namn;Enhet;Beviljad insats;Beslut datum;Fr.o.m.;T.o.m.\n"
          f"{P1};Larsson, Bengt;Boendestöd Norr;Boendestöd;2027-01-10;2026-05-01;2026-04-01\n")
    loaded = read_inputs([tmp_path / "u.csv"], base=tmp_path)
    check(loaded, date(2026, 11, 1))
    got = problems(loaded)
    assert "före 'Fr.o.m.'" in got[("u.csv", 2, "T.o.m.")]
    assert "efter granskningsdatumet" in got[("u.csv", 2, "Beslut datum")]


def test_birth_date_after_the_as_of(tmp_path):
    write(tmp_path, "j.csv", HEAD + f"{P_2001};Ung, Ny;Boendestöd Norr;2000-03-02;Besök.;Stina P\n")
    loaded = read_inputs([tmp_path / "j.csv"], base=tmp_path)
    check(loaded, date(2000, 6, 1))
    assert "födelsedatum" in problems(loaded)[("j.csv", 2, "Personnr")]


def test_two_names_for_one_number_and_duplicate_notes_across_files(tmp_path):
    write(tmp_path, "in/a.csv", HEAD + f"{P1};Larsson, Bengt;Boendestöd Norr;2026-03-02;Besök gjort.;Stina P\n"
          + f"{P2};Öberg, Anna;Boendestöd Norr;2026-03-02;Besök.;Stina P\n")
    write(tmp_path, "in/b.csv", HEAD + f"{P1};Bengt Larsson;Boendestöd Norr;2026-03-02;Besök gjort.;Stina P\n"
          + f"{P1};Persson, Bengt;Boendestöd Norr;2026-03-03;Annat.;Stina P\n")
    loaded = read_inputs([tmp_path / "in"], base=tmp_path)
    check(loaded, date(2026, 11, 1))
    got = problems(loaded)
    assert "finns också i in/a.csv rad 2" in got[("in/b.csv", 2, "Anteckning")]
    assert "annat namn än i in/a.csv rad 2" in got[("in/b.csv", 3, "Namn")]
    assert ("in/b.csv", 2, "Namn") not in got  # "Bengt Larsson" is "Larsson, Bengt"
    assert "Larsson" not in " ".join(got.values()) and P1 not in " ".join(got.values())
    assert all(li.report.rows_rejected == 0 for li in loaded)
