"""Every executor gives the same findings.json, byte for byte: sequential, a local process
pool over many small chunks, and Dask on a LocalCluster with two worker processes."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

from auditor import executor as executor_pkg
from auditor.cli import main
from auditor.generate import generate
from auditor.pipeline import RunOptions, run

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_exports"
AS_OF = date(2026, 11, 1)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("exec_gen")
    generate(out, clients=50, months=4, seed=31)
    return out


def _findings(inputs: Path, out: Path, **kw) -> bytes:
    outcome = run(RunOptions(inputs=[inputs], out=out, as_of=AS_OF, write_reports=False, **kw))
    assert outcome.exit_code == 0
    return (out / "findings.json").read_bytes()


def test_pool_over_small_chunks_matches_sequential(generated: Path, tmp_path: Path, monkeypatch):
    sequential = _findings(generated, tmp_path / "seq", workers=1)
    monkeypatch.setattr(executor_pkg, "CHUNK_ROWS", 500)  # many chunks, cases split across them
    pooled = _findings(generated, tmp_path / "pool", workers=2)
    assert pooled == sequential
    assert b'"status": "violation"' in pooled


def test_unit_month_over_warmed_workers_matches_sequential(tmp_path: Path):
    """A unit's month (the shipped sample) starts the pool before reading, its workers load
    the NLP while the files are read, and the cases are split over them: same findings."""
    sequential = _findings(SAMPLE, tmp_path / "seq", workers=1)
    warmed = _findings(SAMPLE, tmp_path / "warm", workers=2)
    assert warmed == sequential


def test_dask_local_cluster_matches_local_executor(generated: Path, tmp_path: Path):
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        for name, inputs in (("sample", SAMPLE), ("generated", generated)):
            local = _findings(inputs, tmp_path / f"{name}-local")
            dask = _findings(inputs, tmp_path / f"{name}-dask", executor="dask",
                             scheduler=cluster.scheduler_address)
            assert dask == local, name


def test_missing_dask_is_a_swedish_usage_error(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "dask.distributed", None)  # import fails as if not installed
    code = main(["run", str(SAMPLE), "--out", str(tmp_path), "--as-of", "2026-11-01",
                 "--executor", "dask"])
    assert code == 2
    err = capsys.readouterr().err
    assert "Dask är inte installerat" in err and "auditor[distributed]" in err
    assert not (tmp_path / "findings.json").exists()


def test_scheduler_without_dask_executor_is_refused(tmp_path: Path, capsys):
    code = main(["run", str(SAMPLE), "--out", str(tmp_path), "--scheduler", "tcp://127.0.0.1:8786"])
    assert code == 2
    assert "--scheduler gäller bara med --executor dask" in capsys.readouterr().err


def test_unknown_executor_is_refused_in_swedish(tmp_path: Path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["run", str(SAMPLE), "--out", str(tmp_path), "--executor", "spark"])
    assert exc.value.code == 2
    assert "välj local eller dask" in capsys.readouterr().err


def _outputs(folder: Path) -> dict[str, bytes]:
    """Every output file, the HTML without its one generation timestamp."""
    import re

    out = {}
    for path in sorted(folder.iterdir()):
        data = path.read_bytes()
        if path.suffix == ".html":
            data = re.sub(rb'<p class="generated">[^<]*</p>', b"", data)
        out[path.name] = data
    return out


def test_reports_written_in_a_forked_process_are_the_same(tmp_path: Path, monkeypatch):
    import auditor.pipeline as pipeline

    run(RunOptions(inputs=[SAMPLE], out=tmp_path / "seq", as_of=AS_OF, no_history=True))
    monkeypatch.setattr(pipeline, "PARALLEL_REPORTS_FINDINGS", 1)
    run(RunOptions(inputs=[SAMPLE], out=tmp_path / "fork", as_of=AS_OF, no_history=True))
    seq, fork = _outputs(tmp_path / "seq"), _outputs(tmp_path / "fork")
    assert "findings.xlsx" in fork and "index.html" in fork
    assert fork == seq


def test_a_report_that_fails_in_the_forked_process_fails_the_run(tmp_path: Path, monkeypatch):
    import auditor.pipeline as pipeline

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pipeline, "PARALLEL_REPORTS_FINDINGS", 1)
    monkeypatch.setattr(pipeline, "_write_reports", disk_full)
    out = tmp_path / "out"
    with pytest.raises(OSError, match="No space left"):
        run(RunOptions(inputs=[SAMPLE], out=out, as_of=AS_OF, no_history=True))
    assert not (out / "findings.json").exists()  # --out is left as it was


def test_a_settings_error_stops_the_warming_workers(tmp_path: Path):
    """The pool starts before the settings are checked; a bad setting still ends the run at
    once, in Swedish, with no worker left behind."""
    import multiprocessing

    from auditor.pipeline import UsageError

    config = tmp_path / "lokal.toml"
    config.write_text("[rules.TN1]\nokand_parameter = 3\n", encoding="utf-8")
    with pytest.raises(UsageError, match="TN1"):
        run(RunOptions(inputs=[SAMPLE], out=tmp_path / "out", as_of=AS_OF, config=config, workers=2))
    assert multiprocessing.active_children() == []
    assert not (tmp_path / "out").exists()


def test_a_run_leaves_the_callers_garbage_collector_as_it_was(generated: Path, tmp_path: Path,
                                                             monkeypatch) -> None:
    """The audit raises the collection thresholds while it works (its heap is large and
    long-lived) and gives a program that calls it its own settings back, also after an error."""
    import gc

    seen: list[tuple[int, int, int]] = []
    real = executor_pkg._audit_chunk

    def spy(*args, **kwargs):
        seen.append(gc.get_threshold())
        return real(*args, **kwargs)

    monkeypatch.setattr(executor_pkg, "_audit_chunk", spy)
    old = gc.get_threshold()
    gc.set_threshold(1234, 5, 6)
    try:
        _findings(generated, tmp_path / "seq", workers=1)
        assert seen and all(t[0] >= executor_pkg.BATCH_GC_THRESHOLDS[0] for t in seen)
        assert gc.get_threshold() == (1234, 5, 6)
        assert main(["run", str(tmp_path / "missing"), "--out", str(tmp_path / "o2"), "-q"]) == 2
        assert gc.get_threshold() == (1234, 5, 6)
    finally:
        gc.set_threshold(*old)
