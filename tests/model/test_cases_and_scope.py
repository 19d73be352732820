"""Cases across files, and which rules apply: insats from uppdrag, config, or the unit's name."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from auditor.ingest import read_inputs
from auditor.model.dataset import build_dataset
from auditor.pipeline import RunOptions, run

JOURNAL = (
    "Personnr;Enhet;Datum;Sökord;Anteckning;Signatur\n"
    "{pnr};{unit};2026-03-02;Besök;Handlade tillsammans med B på Coop.;Stina P\n"
)


def _write(tmp: Path, name: str, text: str) -> None:
    (tmp / name).write_text(text, encoding="utf-8")


def test_cases_join_across_files_and_number_forms(tmp_path: Path) -> None:
    _write(tmp_path, "journal.csv", JOURNAL.format(pnr="580108-2743", unit="Boendestöd Norr"))
    _write(tmp_path, "uppdrag.csv",
           "Personnr;Enhet;Beviljad insats;Beslut datum\n195801082743;Boendestöd Norr;Boendestöd;2026-02-01\n")
    ds = build_dataset(read_inputs([tmp_path]))
    assert list(ds.cases) == ["195801082743"]
    case = ds.cases["195801082743"]
    assert len(case.notes) == 1 and len(case.uppdrag) == 1
    assert case.insats == ["boendestod"] and case.insats_source == "uppdrag"


def test_insats_inferred_from_unit_name(tmp_path: Path) -> None:
    _write(tmp_path, "journal.csv", JOURNAL.format(pnr="195801082743", unit="Korttidsvistelse Solrosen"))
    case = build_dataset(read_inputs([tmp_path])).cases["195801082743"]
    assert case.insats == ["korttidsvistelse"] and case.insats_source == "enhetsnamn"


def test_insats_from_config_mapping(tmp_path: Path) -> None:
    _write(tmp_path, "journal.csv", JOURNAL.format(pnr="195801082743", unit="Team Öster"))
    case = build_dataset(read_inputs([tmp_path]), {"team öster": "Boendestöd"}).cases["195801082743"]
    assert case.insats == ["boendestod"] and case.insats_source == "config"


def test_unknown_insats_gives_not_evaluated_never_ok(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    _write(inp, "journal.csv", JOURNAL.format(pnr="195801082743", unit="Team Öster"))
    outcome = run(RunOptions(inputs=[inp], out=tmp_path / "out", as_of=date(2026, 4, 1), write_reports=False))
    scoped = [f for f in outcome.result.findings if not f.rule.startswith("HP")]
    assert scoped, "scoped rules must say something about the case"
    assert {f.status for f in scoped} == {"not_evaluated"}
    assert all("insats okänd" in f.message for f in scoped)


def test_protected_identity_is_flagged(tmp_path: Path) -> None:
    _write(tmp_path, "uppdrag.csv",
           "Personnr;Enhet;Beviljad insats;Beslut datum;Sekretessmarkering\n"
           "195801082743;Boendestöd Norr;Boendestöd;2026-02-01;Ja\n"
           "199009012395;Boendestöd Norr;Boendestöd;2026-02-01;Nej\n")
    ds = build_dataset(read_inputs([tmp_path]))
    assert ds.cases["195801082743"].protected
    assert not ds.cases["199009012395"].protected


def test_notes_after_as_of_are_ignored(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    _write(inp, "uppdrag.csv",
           "Personnr;Enhet;Beviljad insats;Beslut datum;Beställning mottagen;Verkställd\n"
           "195801082743;Boendestöd Norr;Boendestöd;2026-02-01;2026-02-02;2026-05-01\n")
    outcome = run(RunOptions(inputs=[inp], out=tmp_path / "out", as_of=date(2026, 4, 1), rules=["GB"],
                             write_reports=False))
    gb2 = [f for f in outcome.result.findings if f.rule == "GB2"]
    # verkställd after the as-of date: not yet verkställd at the audit date, a month has passed
    assert [f.status for f in gb2] == ["violation"]


def test_notes_after_as_of_are_excluded_and_counted(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    _write(inp, "journal.csv",
           "Personnr;Enhet;Datum;Anteckning;Signatur\n"
           "195801082743;Boendestöd Norr;2026-03-02;Handlade tillsammans med B.;Stina P\n"
           "195801082743;Boendestöd Norr;2026-04-15;Promenad med B.;Stina P\n")
    outcome = run(RunOptions(inputs=[inp], out=tmp_path / "out", as_of=date(2026, 4, 1), write_reports=False))
    report = next(r for r in outcome.result.inputs if r.kind == "journal")
    assert (report.rows_read, report.rows_used, report.rows_excluded) == (2, 1, 1)
    assert report.excluded["daterad efter granskningsdatum"] == 1
