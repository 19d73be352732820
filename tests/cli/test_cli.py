"""The command line end to end: exit codes, Swedish errors, outputs that add up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_exports"
GOOD_JOURNAL = (
    "Personnr;Enhet;Datum;Sökord;Anteckning;Signatur\n"
    "195801082743;Boendestöd Norr;2026-03-02;Besök;Handlade tillsammans med B på Coop.;Stina P\n"
)


def _run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory) -> tuple[int, Path]:
    out = tmp_path_factory.mktemp("sample")
    code = main(["run", str(SAMPLE), "--out", str(out), "--as-of", "2026-11-01", "--quiet"])
    return code, out


def test_sample_run_exits_0_and_rows_add_up(sample_run) -> None:
    code, out = sample_run
    assert code == 0
    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert data["as_of"] == "2026-11-01"
    kinds = {i["kind"] for i in data["inputs"]}
    assert {"journal", "uppdrag", "plan", "besok", "avvikelse", "vistelse"} <= kinds
    for i in data["inputs"]:
        assert i["rows_read"] == i["rows_used"] + i["rows_excluded"] + i["rows_rejected"], i["path"]
    assert data["findings"], "the sample has planted violations"
    for f in data["findings"]:
        if f["status"] in ("violation", "warning"):
            assert f["evidence"], f
        assert f["severity"] in ("critical", "high", "medium", "low")


def test_sample_run_writes_reports(sample_run) -> None:
    _, out = sample_run
    assert (out / "findings.json").is_file()
    if (out / "index.html").exists():
        assert (out / "findings.xlsx").is_file()


def test_findings_json_is_deterministic(sample_run, tmp_path: Path) -> None:
    _, first = sample_run
    main(["run", str(SAMPLE), "--out", str(tmp_path), "--as-of", "2026-11-01", "--quiet"])
    assert (first / "findings.json").read_bytes() == (tmp_path / "findings.json").read_bytes()


def test_missing_input_is_usage_error(tmp_path: Path, capsys) -> None:
    code, _, err = _run(["run", str(tmp_path / "finns-inte"), "--out", str(tmp_path / "o")], capsys)
    assert code == 2
    assert "Hittar inte" in err


def test_bad_date_is_usage_error(tmp_path: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["run", str(tmp_path), "--as-of", "1 november"])
    assert exc.value.code == 2
    assert "ÅÅÅÅ-MM-DD" in capsys.readouterr().err


def test_pseudonymize_without_key_refuses(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.delenv("AUDITOR_PSEUDONYM_KEY", raising=False)
    (tmp_path / "j.csv").write_text(GOOD_JOURNAL, encoding="utf-8")
    code, _, err = _run(["run", str(tmp_path), "--out", str(tmp_path / "o"), "--pseudonymize"], capsys)
    assert code == 2
    assert "nyckel" in err.lower()
    assert not (tmp_path / "o" / "findings.json").exists()


def test_unreadable_file_gives_exit_1_and_others_still_audited(tmp_path: Path, capsys) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "journal.csv").write_text(GOOD_JOURNAL, encoding="utf-8")
    (inp / "trasig.xlsx").write_bytes(b"PK\x03\x04 this is not really a workbook")
    (inp / "anteckningar.pdf").write_bytes(b"%PDF-1.4")
    code, out, _ = _run(["run", str(inp), "--out", str(tmp_path / "o"), "--as-of", "2026-04-01"], capsys)
    assert code == 1
    data = json.loads((tmp_path / "o" / "findings.json").read_text(encoding="utf-8"))
    by_name = {Path(i["path"]).name: i for i in data["inputs"]}
    assert by_name["trasig.xlsx"]["kind"] == "unreadable"
    assert by_name["anteckningar.pdf"]["kind"] == "skipped"
    assert by_name["journal.csv"]["kind"] == "journal"
    assert "trasig.xlsx" in out


def test_nothing_auditable_is_exit_2(tmp_path: Path, capsys) -> None:
    (tmp_path / "readme.md").write_text("hej", encoding="utf-8")
    code, _, _ = _run(["run", str(tmp_path), "--out", str(tmp_path / "o")], capsys)
    assert code == 2


def test_rules_and_explain(capsys) -> None:
    code, out, _ = _run(["rules"], capsys)
    assert code == 0 and "GB3" in out and "GILTIGHETSTIDEN HAR GÅTT UT" in out
    code, out, _ = _run(["explain", "tn1"], capsys)
    assert code == 0 and "Utförande" in out and "avvikelse" in out
    code, _, err = _run(["explain", "XX9"], capsys)
    assert code == 2 and "okänd regel" in err


def test_python_dash_m_works() -> None:
    env = dict(os.environ, CI="1")
    proc = subprocess.run([sys.executable, "-m", "auditor", "--help"], capture_output=True, text=True, env=env, check=False)
    assert proc.returncode == 0
    assert "Granskar journalexporter" in proc.stdout


def test_unknown_rule_pack_is_usage_error(tmp_path: Path, capsys) -> None:
    (tmp_path / "j.csv").write_text(GOOD_JOURNAL, encoding="utf-8")
    code, _, err = _run(["run", str(tmp_path), "--out", str(tmp_path / "o"), "--rules", "XYZ"], capsys)
    assert code == 2 and "Okänt regelpaket" in err


def test_config_override_changes_a_parameter(tmp_path: Path, capsys) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "uppdrag.csv").write_text(
        "Personnr;Enhet;Beviljad insats;Beslut datum;Beställning mottagen;Verkställd\n"
        "199009012395;Boendestöd Söder;Boendestöd;2026-02-05;2026-02-10;2026-03-05\n", encoding="utf-8")
    cfg = tmp_path / "cfg.toml"
    cfg.write_text('[units."Boendestöd Söder".rules.GB2]\nmonths = 0\n', encoding="utf-8")
    main(["run", str(inp), "--out", str(tmp_path / "a"), "--as-of", "2026-04-01", "--rules", "GB", "-q"])
    main(["run", str(inp), "--out", str(tmp_path / "b"), "--as-of", "2026-04-01", "--rules", "GB", "-q",
          "--config", str(cfg)])
    a = json.loads((tmp_path / "a" / "findings.json").read_text(encoding="utf-8"))
    b = json.loads((tmp_path / "b" / "findings.json").read_text(encoding="utf-8"))
    gb2 = lambda d: [f["status"] for f in d["findings"] if f["rule"] == "GB2"]  # noqa: E731
    assert gb2(a) == ["ok"] and gb2(b) == ["violation"]
    capsys.readouterr()


def test_bad_config_is_usage_error(tmp_path: Path, capsys) -> None:
    (tmp_path / "j.csv").write_text(GOOD_JOURNAL, encoding="utf-8")
    cfg = tmp_path / "cfg.toml"
    cfg.write_text("[rules.ZZ1]\nx = 1\n", encoding="utf-8")
    code, _, err = _run(["run", str(tmp_path), "--out", str(tmp_path / "o"), "--config", str(cfg)], capsys)
    assert code == 2 and "okänd regel [rules.ZZ1]" in err


def _output_texts(out: Path) -> dict[str, str]:
    import zipfile

    texts = {}
    for p in out.iterdir():
        if p.suffix == ".xlsx":
            with zipfile.ZipFile(p) as z:
                for name in z.namelist():
                    texts[f"{p.name}:{name}"] = z.read(name).decode("utf-8", "replace")
        elif p.suffix == ".sqlite":  # the history: every value it holds, as SQL text
            import sqlite3

            con = sqlite3.connect(p)
            texts[p.name] = "\n".join(con.iterdump())
            con.close()
        else:
            texts[p.name] = p.read_text(encoding="utf-8")
    return texts


def test_pseudonymize_removes_every_client_identity(tmp_path: Path, monkeypatch, capsys) -> None:
    import re

    from auditor.ingest import read_inputs
    from auditor.model.dataset import build_dataset

    monkeypatch.setenv("AUDITOR_PSEUDONYM_KEY", "testnyckel-123")
    code = main(["run", str(SAMPLE), "--out", str(tmp_path), "--as-of", "2026-11-01", "--pseudonymize", "-q"])
    assert code == 0
    cases = build_dataset(read_inputs([SAMPLE])).cases.values()
    numbers = {c.case for c in cases}
    surnames = {c.name.split(",")[0].strip() for c in cases if c.name and "," in c.name}
    # Staff names stay (a staff member may share a client's surname): the signer of a note
    # is shown in full, and only there is such a surname allowed.
    staff = {n.signed_by.strip() for c in cases for n in c.notes if n.signed_by.strip()}
    pnr_like = re.compile(r"(?<!\d)(\d{8}|\d{6})[-+]?\d{4}(?!\d)")
    texts = _output_texts(tmp_path)
    assert {"findings.json", "index.html", "findings.xlsx:xl/sharedStrings.xml"} <= set(texts) or texts
    for name, text in texts.items():
        for m in pnr_like.finditer(text):
            digits = re.sub(r"\D", "", m.group(0))
            assert not any(n.endswith(digits[-10:]) for n in numbers), f"{name}: personnummer {m.group(0)}"
        for person in staff:
            text = text.replace(person, "")
        for surname in surnames:
            assert not re.search(rf"\b{re.escape(surname)}\b", text), f"{name}: client name {surname}"
    data = json.loads(texts["findings.json"])
    assert all(f["case"].startswith(("P-", "SKYDDAD-")) for f in data["findings"])
    capsys.readouterr()


def test_two_runs_differ_only_in_the_timestamp(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        assert main(["run", str(SAMPLE), "--out", str(out), "--as-of", "2026-11-01", "-q"]) == 0
    for p in sorted(a.iterdir()):
        if p.name == "historik.sqlite":  # the history records when each run was made
            continue
        left, right = p.read_bytes(), (b / p.name).read_bytes()
        if p.suffix == ".html":
            diff = [(x, y) for x, y in zip(left.splitlines(), right.splitlines(), strict=True) if x != y]
            assert len(diff) <= 1, f"{p.name}: {len(diff)} lines differ"
        else:
            assert left == right, f"{p.name} differs between runs"


def test_a_broken_own_template_is_a_swedish_error_before_the_audit(tmp_path, capsys):
    """A template of one's own (--templates) that does not compile names its file and line,
    exits 2 and leaves no output folder; a template that fails while rendering likewise."""
    own = tmp_path / "mallar"
    own.mkdir()
    (own / "_evidence.html").write_text("<li>{{ ev.location </li>\n", encoding="utf-8")
    out = tmp_path / "ut"
    code = main(["run", str(SAMPLE), "--out", str(out), "--as-of", "2026-11-01", "--templates",
                 str(own), "-q", "--no-history"])
    err = capsys.readouterr().err
    assert code == 2
    assert "_evidence.html, rad 1 kan inte användas" in err and "Traceback" not in err
    assert not out.exists() or not any(out.iterdir())
    (own / "_evidence.html").write_text("<li>{{ ev.finns_inte.alls }}</li>\n", encoding="utf-8")
    code = main(["run", str(SAMPLE), "--out", str(out), "--as-of", "2026-11-01", "--templates",
                 str(own), "-q", "--no-history"])
    err = capsys.readouterr().err
    assert code == 2 and "Rapportmallen" in err and "finns_inte" in err
    assert not out.exists() or not any(out.iterdir())
