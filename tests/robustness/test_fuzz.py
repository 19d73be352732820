"""The structural fuzzer in CI: a bounded number of mutated exports, each read on its own
(bounded time, rows accounted for, no exception) and all together with good files in one
real run (no traceback, no hang, good files audited, no identity in any output).

More mutations locally: ``AUDITOR_FUZZ_N=400 AUDITOR_FUZZ_SEED=7 pytest tests/robustness``.
"""

from __future__ import annotations

import json
import os
import re
import signal
import zipfile
from pathlib import Path

import pytest

from auditor.ingest import read_inputs
from tests.robustness.conftest import P1, P2, journal, run_cli
from tests.robustness.fuzz import FUZZ_CLIENTS, mutants

N = int(os.environ.get("AUDITOR_FUZZ_N", "30"))
SEED = int(os.environ.get("AUDITOR_FUZZ_SEED", "20261203"))
PER_FILE_SECONDS = 20


@pytest.fixture(scope="module")
def mutant_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("fuzz") / "exporter"
    d.mkdir()
    for name, data in mutants(SEED, N):
        (d / name).write_bytes(data)
    return d


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout


def test_every_mutant_is_read_in_bounded_time_with_rows_accounted(mutant_dir):
    old = signal.signal(signal.SIGALRM, _alarm)
    try:
        for path in sorted(mutant_dir.iterdir()):
            signal.alarm(PER_FILE_SECONDS)
            try:
                loaded = read_inputs([path])
            except _Timeout:
                pytest.fail(f"{path.name}: reading took more than {PER_FILE_SECONDS} s")
            finally:
                signal.alarm(0)
            for li in loaded:
                r = li.report
                assert r.rows_read == r.rows_used + r.rows_excluded + r.rows_rejected, path.name
                if r.kind == "unreadable":
                    assert r.error and not re.search(r"[A-Z][a-z]+Error|Traceback|line \d+ in", r.error), (path.name, r.error)
    finally:
        signal.signal(signal.SIGALRM, old)


def _outputs(out: Path) -> dict[str, str]:
    texts = {}
    for p in sorted(out.rglob("*")):
        if p.is_file() and p.suffix == ".xlsx":
            with zipfile.ZipFile(p) as z:
                for n in z.namelist():
                    texts[f"{p.name}:{n}"] = z.read(n).decode("utf-8", "replace")
        elif p.is_file():
            texts[p.name] = p.read_bytes().decode("utf-8", "replace")
    return texts


def test_mutants_with_good_files_in_one_run(mutant_dir, tmp_path):
    batch = tmp_path / "batch"
    batch.mkdir()
    for p in mutant_dir.iterdir():
        (batch / p.name).write_bytes(p.read_bytes())
    (batch / "bra_norr.csv").write_text(journal(P1, "Boendestöd Norr"), encoding="utf-8")
    (batch / "bra_soder.csv").write_text(journal(P2, "Boendestöd Söder"), encoding="utf-8")
    out = tmp_path / "ut"
    res = run_cli(["run", str(batch), "--out", str(out), "--as-of", "2026-11-01", "--pseudonymize"],
                  timeout=240)
    assert "Traceback" not in res.stderr, res.stderr[-3000:]
    assert res.returncode in (0, 1), res.stderr[-2000:]
    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    by_path = {(i["path"], i["sheet"]): i for i in data["inputs"]}
    assert len(by_path) >= N
    for i in data["inputs"]:
        assert i["rows_read"] == i["rows_used"] + i["rows_excluded"] + i["rows_rejected"], i
    good = [i for i in data["inputs"] if i["kind"] == "journal" and i["rows_used"] == 4 and i["rows_rejected"] == 0]
    assert len(good) >= 2, "the good files were not audited"
    texts = _outputs(out)
    clients = dict(FUZZ_CLIENTS)
    clients.update({P1: ("Bengt", "Larsson"), P2: ("Anna-Karin", "Öberg")})
    for pnr, (first, last) in clients.items():
        number = re.compile(rf"(?<!\d)(?:{pnr[:2]})?{pnr[2:8]}[ \-–]{{0,4}}{pnr[8:]}(?!\d)")
        words = [w for w in re.findall(r"[^\W\d_]+", f"{first} {last}") if len(w) > 2]
        for where, text in texts.items():
            assert not number.search(text), (where, pnr)
            for w in words:
                assert not re.search(rf"(?<![^\W\d_]){w}(?![^\W\d_])", text, re.I), (where, w)
