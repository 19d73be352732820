"""--out: checked before the audit (exit 2, Swedish), written all at once, stale report
files removed, and nothing the auditor did not write ever touched."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import auditor.ingest
import auditor.report
from auditor.cli import main
from tests.robustness.conftest import P1, P2, ROOT, journal, run_cli

ARGS = ["--as-of", "2026-11-01", "-q"]


def exports(tmp_path: Path, two_units: bool = True) -> Path:
    d = tmp_path / "exporter"
    d.mkdir(exist_ok=True)
    (d / "norr.csv").write_text(journal(P1, "Boendestöd Norr"), encoding="utf-8")
    second = d / "soder.csv"
    if two_units:
        second.write_text(journal(P2, "Boendestöd Söder"), encoding="utf-8")
    elif second.exists():
        second.unlink()
    return d


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def no_audit(monkeypatch):
    def boom(*a, **k):
        raise AssertionError("the audit started before --out was checked")

    monkeypatch.setattr(auditor.ingest, "read_inputs", boom)


def test_out_that_is_a_file_is_refused_before_the_audit(tmp_path, monkeypatch, capsys):
    d = exports(tmp_path)
    out = tmp_path / "rapport.txt"
    out.write_text("mitt")
    no_audit(monkeypatch)
    assert main(["run", str(d), "--out", str(out), *ARGS]) == 2
    err = capsys.readouterr().err
    assert "är en fil, inte en mapp" in err and "Traceback" not in err
    assert out.read_text() == "mitt"


def test_out_that_cannot_be_created_is_refused_before_the_audit(tmp_path, monkeypatch, capsys):
    d = exports(tmp_path)
    (tmp_path / "fil").write_text("x")
    no_audit(monkeypatch)
    assert main(["run", str(d), "--out", str(tmp_path / "fil" / "ut"), *ARGS]) == 2
    assert "kan inte skapas" in capsys.readouterr().err


@pytest.mark.skipif(not hasattr(__import__("os"), "geteuid") or __import__("os").geteuid() == 0,
                    reason="root can write in a read-only folder")
def test_read_only_out_is_refused_before_the_audit(tmp_path, monkeypatch, capsys):
    d = exports(tmp_path)
    out = tmp_path / "ut"
    out.mkdir()
    out.chmod(0o555)
    no_audit(monkeypatch)
    try:
        assert main(["run", str(d), "--out", str(out), *ARGS]) == 2
    finally:
        out.chmod(0o755)
    assert "Det går inte att skriva" in capsys.readouterr().err


def test_out_that_is_an_input_folder_is_refused(tmp_path, capsys):
    d = exports(tmp_path)
    assert main(["run", str(d), "--out", str(d), *ARGS]) == 2
    assert "också indata" in capsys.readouterr().err
    assert sorted(p.name for p in d.iterdir()) == ["norr.csv", "soder.csv"]


def test_out_inside_the_input_folder_is_not_read_next_time(tmp_path):
    d = exports(tmp_path)
    out = d / "rapporter"
    assert main(["run", str(d), "--out", str(out), *ARGS]) == 0
    assert main(["run", str(d), "--out", str(out), *ARGS]) == 0
    import json

    paths = [i["path"] for i in json.loads((out / "findings.json").read_text())["inputs"]]
    assert not any("rapporter" in p for p in paths)


@pytest.mark.parametrize("failure", [RuntimeError("disk"), KeyboardInterrupt()])
def test_failed_or_interrupted_run_leaves_previous_outputs(tmp_path, monkeypatch, failure):
    d = exports(tmp_path)
    out = tmp_path / "ut"
    assert main(["run", str(d), "--out", str(out), *ARGS]) == 0
    before = snapshot(out)
    assert "findings.xlsx" in before and "index.html" in before

    def broken(*a, **k):
        raise failure

    monkeypatch.setattr(auditor.report, "write_xlsx", broken)
    (d / "soder.csv").unlink()
    with pytest.raises(type(failure)):
        from auditor.pipeline import RunOptions, run

        run(RunOptions(inputs=[d], out=out, as_of=__import__("datetime").date(2026, 11, 1)))
    assert snapshot(out) == before
    assert not [p for p in out.iterdir() if p.name.startswith(".auditor-tmp-")]


def test_stale_report_files_go_but_other_files_stay(tmp_path):
    d = exports(tmp_path)
    out = tmp_path / "ut"
    assert main(["run", str(d), "--out", str(out), *ARGS]) == 0
    first = set(snapshot(out))
    assert "historik.sqlite" in first  # the history the first run created in --out
    (out / "mina anteckningar.txt").write_text("behåll")
    exports(tmp_path, two_units=False)
    assert main(["run", str(d), "--out", str(out), *ARGS]) == 0
    second = set(snapshot(out))
    gone = first - second
    assert gone and all(n.endswith(".html") for n in gone), gone
    assert {"historik.sqlite", "mina anteckningar.txt"} <= second


def test_legacy_folder_without_manifest_loses_only_auditor_pages(tmp_path):
    d = exports(tmp_path, two_units=False)
    out = tmp_path / "ut"
    out.mkdir()
    (out / "gammal-enhet.html").write_text(
        '<!doctype html><html><head><meta charset="utf-8">\n'
        '<meta name="generator" content="auditor 0.1"></head><body>Bengt Larsson</body></html>'
    )
    (out / "egen.html").write_text("<html><body>min egen sida</body></html>")
    assert main(["run", str(d), "--out", str(out), *ARGS]) == 0
    assert not (out / "gammal-enhet.html").exists()
    assert (out / "egen.html").exists()


def test_summary_into_a_closed_pipe_is_quiet(tmp_path):
    d = exports(tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "auditor", "run", str(d), "--out", str(tmp_path / "ut"), "--as-of", "2026-11-01"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
    )
    proc.stdout.close()  # like `| head` that has already quit
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) in (0, 1)
    assert "Traceback" not in err and "BrokenPipe" not in err and "Exception ignored" not in err


def test_unwritable_out_in_a_subprocess_exits_2_not_1(tmp_path):
    d = exports(tmp_path)
    (tmp_path / "fil").write_text("x")
    res = run_cli(["run", str(d), "--out", str(tmp_path / "fil"), "--as-of", "2026-11-01"])
    assert res.returncode == 2 and "Traceback" not in res.stderr


def test_unwritable_out_is_refused_before_the_audit_even_as_root(tmp_path, monkeypatch, capsys):
    """Root can write in a read-only folder, so the refusal is provoked at the probe."""
    d = exports(tmp_path)
    out = tmp_path / "ut"
    out.mkdir()
    real_mkdir = Path.mkdir

    def refuse(self, *a, **k):
        if self.name.startswith(".auditor-tmp-"):
            raise PermissionError(13, "Permission denied")
        return real_mkdir(self, *a, **k)

    monkeypatch.setattr(Path, "mkdir", refuse)
    no_audit(monkeypatch)
    assert main(["run", str(d), "--out", str(out), *ARGS]) == 2
    err = capsys.readouterr().err
    assert "Det går inte att skriva i mappen" in err and "behörighet saknas" in err
    assert "Permission" not in err
