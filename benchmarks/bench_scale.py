"""Scale benchmark: the whole audit against the naive floor at 10k, 100k and 1M notes.

    python benchmarks/bench_scale.py [--sizes 10k 100k 1M] [--root /tmp/auditor-scale]
                                     [--no-reports] [--no-month] [--no-dask] [--workers N]

For each size it generates an export folder with ``auditor generate`` (kept under --root
and reused), then runs, each in a fresh child process of this one (one process tree, the
same machine, one after the other):
- the naive floor: every export file read once with pandas (``read_csv`` / ``read_excel``,
  calamine engine) and all journal text tokenised once with ``spacy.blank("sv")``;
- the audit (``auditor.pipeline.run``: read, model, NLP, rules, findings.json and, unless
  --no-reports, the HTML and XLSX reports) with the default executor;
and prints wall time, CPU seconds (the process and its workers), peak RSS (the main process,
and the sum over the process tree sampled every 0.1 s), audit/floor ratio, the share of notes
that reach spaCy and seconds per stage. It also times one unit-month (about 5k notes) from
a cold start (``auditor run`` as a new process, imports included) and the Dask executor on a
two-worker local cluster at 100k notes. Before the cold start the package's bytecode is
compiled, as ``pip install`` does for an installed package: where ``PYTHONDONTWRITEBYTECODE``
is set, an uncompiled checkout would otherwise compile its source in every process.

Absolute seconds depend on the machine and on what else runs on it; compare the ratios
within one run.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = {"10k": 200, "100k": 2_000, "1M": 20_000}  # clients x 12 months (~51 notes per client-year)
MONTH_UNIT = "Boendestöd Norr"
MONTH_CLIENTS = 550  # one unit, one month: about 5k notes
AS_OF = "2026-11-01"
SOKORD_HEADERS = {"sokord", "rubrik", "nyckelord", "markord", "kategori", "anteckningstyp"}
TEXT_HEADERS = {"anteckning", "journaltext", "text", "daganteckning", "anteckningstext", "innehall"}
EXPORTS = {".csv", ".txt", ".tsv", ".xlsx", ".xls"}


# -- children ---------------------------------------------------------------------------------


class TreeRSS:
    """Peak resident memory of this process plus its children, sampled in a thread: the sum
    of RSS (a page a forked worker shares with its parent counts in both) and the sum of PSS
    (a shared page is split between the processes sharing it: the memory really in use)."""

    def __init__(self, interval: float = 0.1) -> None:
        self.peak = 0
        self.peak_pss = 0
        self._stop = threading.Event()
        try:
            import psutil

            self._proc = psutil.Process()
        except ImportError:  # pragma: no cover - psutil comes with the distributed extra
            self._proc = None
        self._thread = threading.Thread(target=self._run, args=(interval,), daemon=True)

    def _run(self, interval: float) -> None:
        tick = 0
        while not self._stop.is_set():
            try:
                procs = [self._proc, *self._proc.children(recursive=True)]
                total = pss = 0
                for p in procs:
                    with contextlib.suppress(Exception):
                        total += p.memory_info().rss
                        if tick % 3 == 0:  # smaps_rollup costs more: every third sample
                            pss += p.memory_full_info().pss
                self.peak = max(self.peak, total)
                if tick % 3 == 0:
                    self.peak_pss = max(self.peak_pss, pss)
            except Exception:
                pass
            tick += 1
            self._stop.wait(interval)

    def __enter__(self) -> TreeRSS:
        if self._proc is not None:
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._proc is not None:
            self._thread.join()


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _self_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _fold(s: str) -> str:
    s = str(s).strip().lower()
    for a, b in (("å", "a"), ("ä", "a"), ("ö", "o")):
        s = s.replace(a, b)
    return s


def _text_column(frame) -> tuple[list[str], list[str]]:
    """The journal text (and sökord) below the header row found among the first rows."""
    head = frame.head(20).fillna("").astype(str)
    for r in range(len(head)):
        names = [_fold(v) for v in head.iloc[r].tolist()]
        text_c = next((c for c, v in enumerate(names) if v in TEXT_HEADERS), None)
        if text_c is None:
            continue
        sok_c = next((c for c, v in enumerate(names) if v in SOKORD_HEADERS), None)
        body = frame.iloc[r + 1 :]
        keep = body.iloc[:, text_c].fillna("").astype(str).str.strip() != ""
        texts = body.iloc[:, text_c][keep].astype(str).tolist()
        sok = (body.iloc[:, sok_c][keep].fillna("").astype(str).tolist() if sok_c is not None
               else [""] * len(texts))
        return texts, sok
    return [], []


def floor(data: Path) -> dict:
    """Read every export once with pandas and tokenise all journal text once."""
    import pandas as pd
    import spacy

    t0, c0 = time.perf_counter(), _cpu()
    with TreeRSS() as tree:
        texts: list[str] = []
        sokord: list[str] = []
        for path in sorted(p for p in data.rglob("*") if p.suffix.lower() in EXPORTS):
            if path.suffix.lower() in (".xlsx", ".xls"):
                sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=str,
                                       engine="calamine")
                frames = list(sheets.values())
            else:
                raw = path.read_bytes()
                try:
                    text = raw.decode("utf-8-sig")
                except UnicodeDecodeError:
                    text = raw.decode("cp1252")
                first = text.split("\n", 1)[0]
                sep = max((";", "\t", ","), key=first.count)
                frames = [pd.read_csv(io.StringIO(text), sep=sep, header=None, dtype=str,
                                      keep_default_na=False)]
            for frame in frames:
                t, k = _text_column(frame)
                texts += t
                sokord += k
        t_read = time.perf_counter() - t0
        nlp = spacy.blank("sv")
        tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=1000))
    wall, cpu = time.perf_counter() - t0, _cpu() - c0
    # Outside the timing: the share of these notes the audit's prefilter sends to spaCy.
    from auditor.nlp.prefilter import get_prefilter

    mask, _ = get_prefilter().scan(texts, sokord)
    return {"wall": wall, "cpu": cpu, "read": t_read, "notes": len(texts), "tokens": tokens,
            "rss_self_mb": _self_rss_mb(), "rss_tree_mb": tree.peak / 2**20,
            "prefilter_share": float(mask.mean()) if len(texts) else 0.0}


def audit(data: Path, out: Path, executor: str, workers: int | None, reports: bool) -> dict:
    from auditor.nlp import stats
    from auditor.pipeline import RunOptions, run

    stats.reset()
    t0, c0 = time.perf_counter(), _cpu()
    with TreeRSS() as tree:
        outcome = run(RunOptions(inputs=[data], out=out, as_of=date.fromisoformat(AS_OF),
                                 write_reports=reports, executor=executor, workers=workers))
    wall = time.perf_counter() - t0
    return {"wall": wall, "cpu": _cpu() - c0, "rss_self_mb": _self_rss_mb(),
            "rss_tree_mb": tree.peak / 2**20, "pss_tree_mb": tree.peak_pss / 2**20,
            "timings": outcome.timings,
            "findings": len(outcome.result.findings), "nlp": stats.snapshot()}


def _child(argv: list[str]) -> int:
    what = argv[0]
    if what == "floor":
        res = floor(Path(argv[1]))
    else:
        workers = None if argv[4] == "-" else int(argv[4])
        res = audit(Path(argv[1]), Path(argv[2]), argv[3], workers, argv[5] == "1")
    print("RESULT " + json.dumps(res))
    return 0


# -- parent -----------------------------------------------------------------------------------


def _spawn(*args: str) -> dict:
    env = dict(os.environ, CI="1", PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True,
                          text=True, env=env)
    if proc.returncode != 0:
        raise SystemExit(f"child {args[0]} failed:\n{proc.stderr[-3000:]}")
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")][-1]
    return json.loads(line[len("RESULT "):])


def _generate(out: Path, clients: int, months: int, units: list[str] | None = None) -> float:
    if (out / "labels.json").exists():
        return 0.0
    cmd = [sys.executable, "-m", "auditor", "generate", "--clients", str(clients), "--months",
           str(months), "--seed", "1", "--out", str(out)]
    if units:
        cmd += ["--units", *units]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    return time.perf_counter() - t0


def _stages(t: dict) -> str:
    keys = ("read", "prepare", "cases", "cases.model", "cases.nlp", "cases.rules", "protect",
            "json", "reports", "history")
    return " ".join(f"{k}={t[k]:.1f}" for k in keys if k in t)


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        sys.path.insert(0, str(ROOT))
        return _child(sys.argv[2:])
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", nargs="+", default=list(SIZES), choices=list(SIZES))
    ap.add_argument("--root", type=Path, default=Path("/tmp/auditor-scale"))
    ap.add_argument("--no-reports", action="store_true")
    ap.add_argument("--no-month", action="store_true")
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args()
    args.root.mkdir(parents=True, exist_ok=True)
    workers = "-" if args.workers is None else str(args.workers)
    reports = "0" if args.no_reports else "1"
    print(f"cpus: {len(os.sched_getaffinity(0))}, load average at start: {os.getloadavg()}")
    rows = {}
    for size in args.sizes:
        data = args.root / size
        for old in args.root.glob(f"out-{size}*"):  # no history from an earlier benchmark run
            shutil.rmtree(old)
        gen = _generate(data, SIZES[size], 12)
        if gen:
            print(f"[{size}] generated in {gen:.0f} s")
        fl = _spawn("floor", str(data))
        au = _spawn("audit", str(data), str(args.root / f"out-{size}"), "local", workers, reports)
        rows[size] = (fl, au)
        n = au["nlp"]
        print(f"[{size}] notes {fl['notes']} (audit: {n['notes_total']}), tokens {fl['tokens']}")
        print(f"  floor  wall {fl['wall']:6.1f} s  cpu {fl['cpu']:6.1f} s  read {fl['read']:.1f} s  "
              f"rss {fl['rss_self_mb']:.0f} MB")
        print(f"  audit  wall {au['wall']:6.1f} s  cpu {au['cpu']:6.1f} s  peak rss main "
              f"{au['rss_self_mb']:.0f} MB, tree {au['rss_tree_mb']:.0f} MB (pss "
              f"{au['pss_tree_mb']:.0f} MB)  findings {au['findings']}")
        print(f"  audit/floor wall {au['wall'] / fl['wall']:.2f}x  cpu {au['cpu'] / fl['cpu']:.2f}x")
        print(f"  share of notes reaching spaCy: {fl['prefilter_share']:.3f} pass the prefilter; "
              f"{n['docs_to_spacy'] / max(1, n['notes_total']):.3f} run as distinct docs "
              f"({n['docs_to_spacy']}; identical notes are run once per process)")
        print(f"  stages (s; cases.* summed over worker processes): {_stages(au['timings'])}")
    if not args.no_dask and "100k" in rows:
        try:
            dk = _spawn("audit", str(args.root / "100k"), str(args.root / "out-100k-dask"), "dask",
                        "2", reports)
            same = ((args.root / "out-100k-dask" / "findings.json").read_bytes()
                    == (args.root / "out-100k" / "findings.json").read_bytes())
            print(f"[dask 100k, 2-worker LocalCluster] wall {dk['wall']:.1f} s "
                  f"({dk['wall'] / rows['100k'][0]['wall']:.2f}x floor, "
                  f"{dk['wall'] / rows['100k'][1]['wall']:.2f}x local)  stages: {_stages(dk['timings'])}"
                  f"  findings.json identical: {same}")
        except SystemExit as exc:
            print(f"[dask] not run: {str(exc).splitlines()[-1]}")
    if not args.no_month:
        data = args.root / "month"
        _generate(data, MONTH_CLIENTS, 1, [MONTH_UNIT])
        out = args.root / "out-month"
        cmd = [sys.executable, "-m", "auditor", "run", str(data), "--out", str(out), "--as-of",
               AS_OF, "-q"]
        env = dict(os.environ, CI="1", PYTHONPATH=str(ROOT))
        import compileall

        compileall.compile_dir(str(ROOT / "auditor"), quiet=1)
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, env=env)
        cold = time.perf_counter() - t0
        fl = _spawn("floor", str(data))
        print(f"[unit-month] {fl['notes']} notes, cold start to reports written: {cold:.2f} s "
              f"(floor {fl['wall']:.2f} s without start-up)")
    if "100k" in rows and "1M" in rows:
        r = rows["1M"][1]["wall"] / rows["100k"][1]["wall"]
        print(f"time(1M)/time(100k) = {r:.1f}")
    print("\n| size | notes | floor s | audit s | audit/floor | cpu ratio | peak RSS main/tree MB "
          "| peak PSS tree MB | share to spaCy |")
    print("|---|---|---|---|---|---|---|---|---|")
    for size, (fl, au) in rows.items():
        print(f"| {size} | {au['nlp']['notes_total']} | {fl['wall']:.1f} | {au['wall']:.1f} | "
              f"{au['wall'] / fl['wall']:.2f} | {au['cpu'] / fl['cpu']:.2f} | "
              f"{au['rss_self_mb']:.0f}/{au['rss_tree_mb']:.0f} | {au['pss_tree_mb']:.0f} | "
              f"{fl['prefilter_share']:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
