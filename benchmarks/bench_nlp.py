"""Benchmark of the NLP stage.

    python benchmarks/bench_nlp.py [--n 20000] [--csv notes.csv | --data DIR] [--workers N]
                                   [--seed 1] [--repeat 3] [--baseline DIR]
                                   [--no-sentence-cache]

Measures on N notes, in one run on the same machine:
- the naive floor: tokenising all text once with ``spacy.blank("sv")``;
- the NLP stage (``auditor.nlp.detect_texts``: prefilter, spaCy pipeline, detectors, process
  pool), with the share of notes and words the prefilter sends to spaCy, from
  ``auditor.nlp.stats``; the pipeline is loaded before timing (it is loaded once per audit);
- with ``--baseline DIR``: the same notes through another checkout of the package (DIR holds
  its ``auditor/``), in a fresh subprocess, for a before/after ratio.
The NLP stage is timed on its first run in a fresh process (cold: the per-chunk,
per-word-form and per-sentence caches start empty, as in one audit) and, for "after", also
as the best of ``--repeat`` runs (warm caches). The baseline runs once (cold).
``--no-sentence-cache`` switches the per-sentence caches off, to see what they contribute.

Without ``--csv``/``--data`` the notes are synthetic: devset notes mixed with everyday
filler sentences that hold no event. ``--data`` reads the journal exports of a folder (e.g.
one written by ``auditor generate``); a CSV needs a text column
(text/anteckning/journaltext), optionally datum and sokord.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FILLER = [
    "B åt frukost och tittade på tv.",
    "Samtal om helgen, B har träffat sin bror.",
    "B verkade pigg idag.",
    "Vädret var fint och B satt på balkongen.",
    "B har köpt en ny soffa.",
    "B visade bilder från resan.",
    "Inget särskilt att rapportera.",
    "B berättar att grannen har skaffat katt.",
    "B har fått en ny tandläkartid i maj.",
    "B lyssnade på radio under förmiddagen.",
    "Diskuterade matlagning och recept.",
    "B har börjat på en ny bok.",
]


def synthetic_notes(n: int, seed: int) -> tuple[list[str], list[date], list[str]]:
    from auditor.nlp.evaluate import load_part

    rng = random.Random(seed)
    dev = load_part("all")
    texts, dates, sok = [], [], []
    start = date(2025, 1, 1)
    for i in range(n):
        parts = [rng.choice(FILLER) for _ in range(rng.randint(1, 3))]
        s = ""
        if rng.random() < 0.5:
            item = rng.choice(dev)
            parts.insert(rng.randint(0, len(parts)), item.text)
            s = item.sokord
        texts.append(" ".join(parts))
        dates.append(start + timedelta(days=i % 365))
        sok.append(s)
    return texts, dates, sok


def csv_notes(path: str) -> tuple[list[str], list, list[str]]:
    import pandas as pd

    df = pd.read_csv(path, sep=None, engine="python", dtype=str).fillna("")
    cols = {c.lower(): c for c in df.columns}
    text_col = next(
        cols[c] for c in ("text", "anteckning", "journaltext", "daganteckning") if c in cols
    )
    dates = (
        pd.to_datetime(df[cols["datum"]], errors="coerce", dayfirst=True).dt.date.tolist()
        if "datum" in cols
        else [None] * len(df)
    )
    dates = [d if isinstance(d, date) else None for d in dates]
    sok = df[cols["sokord"]].tolist() if "sokord" in cols else [""] * len(df)
    return df[text_col].tolist(), dates, sok


def export_notes(folder: str) -> tuple[list[str], list, list[str]]:
    from auditor.ingest import read_inputs

    texts, dates, sok = [], [], []
    for li in read_inputs([Path(folder)]):
        if li.kind != "journal" or li.frame is None:
            continue
        f = li.frame
        texts += f["text"].tolist()
        dates += [d.date() if d == d else None for d in f["datum"]]
        sok += f["sokord"].tolist() if "sokord" in f else [""] * len(f)
    return texts, dates, sok


def floor_seconds(texts: list[str], repeat: int) -> float:
    import spacy

    blank = spacy.blank("sv")
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in blank.pipe(texts, batch_size=1000):
            pass
        best = min(best, time.perf_counter() - t0)
    return best


def measure(notes_file: str, workers: int | None, repeat: int, sentence_cache: bool = True) -> dict:
    """Time detect_texts on the pickled notes (in this process's package): the first run
    (cold caches, as in one audit) and the best of ``repeat`` runs."""
    import auditor.nlp as nlp_pkg
    from auditor.nlp import detect_texts

    with open(notes_file, "rb") as fh:
        texts, dates, sok = pickle.load(fh)
    try:
        from auditor.nlp.build import get_nlp
    except ImportError:  # pragma: no cover
        get_nlp = None
    if get_nlp is not None:
        get_nlp()
    if not sentence_cache:
        from auditor.nlp import context

        context.SENTENCE_CACHE = False
    stats = getattr(nlp_pkg, "stats", None)
    first: float | None = None
    best, snap, n_hits = float("inf"), {}, 0
    for _ in range(max(1, repeat)):
        if stats is not None:
            stats.reset()
        t0 = time.perf_counter()
        hits = detect_texts(texts, dates, sok, workers=workers)
        elapsed = time.perf_counter() - t0
        first = elapsed if first is None else first
        if elapsed < best:
            best = elapsed
            snap = stats.snapshot() if stats is not None else {}
            n_hits = sum(len(h) for h in hits)
    if not snap:  # the baseline has no stats: its prefilter share, measured directly
        from auditor.nlp.prefilter import candidate_mask

        mask = candidate_mask(texts, sok)
        words = [len(t.split()) for t in texts]
        snap = {
            "notes_to_spacy": int(mask.sum()),
            "share_to_spacy": round(float(mask.mean()), 4),
            "words_to_spacy": int(sum(w for w, m in zip(words, mask, strict=True) if m)),
        }
    return {"first": first, "seconds": best, "hits": n_hits, **snap}


def run_in(
    package_root: str, notes_file: str, workers: int | None, repeat: int, sentence_cache: bool
) -> dict:
    """Measure in a fresh interpreter with ``package_root`` first on the path."""
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); sys.path.insert(1, sys.argv[2]);"
        "import bench_nlp as b;"
        "print(json.dumps(b.measure(sys.argv[3], None if sys.argv[4] == '-' else int(sys.argv[4]),"
        " int(sys.argv[5]), sys.argv[6] == '1')))"
    )
    env = dict(os.environ, PYTHONPATH=package_root)
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            package_root,
            str(Path(__file__).parent),
            notes_file,
            "-" if workers is None else str(workers),
            str(repeat),
            "1" if sentence_cache else "0",
        ],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--csv", default=None)
    ap.add_argument("--data", default=None, help="a folder of journal exports")
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--baseline", default=None, help="folder holding the old auditor/ package")
    ap.add_argument("--no-sentence-cache", action="store_true")
    args = ap.parse_args(argv)

    if args.csv:
        texts, dates, sok = csv_notes(args.csv)
    elif args.data:
        texts, dates, sok = export_notes(args.data)
    else:
        texts, dates, sok = synthetic_notes(args.n, args.seed)
    texts = ["" if t is None else str(t) for t in texts]
    words = sum(len(t.split()) for t in texts)
    n = len(texts)

    with tempfile.TemporaryDirectory() as tmp:
        notes_file = str(Path(tmp) / "notes.pkl")
        with open(notes_file, "wb") as fh:
            pickle.dump((texts, dates, sok), fh)
        floor_s = floor_seconds(texts, args.repeat)
        cache = not args.no_sentence_cache
        runs = {"after": run_in(str(ROOT), notes_file, args.workers, args.repeat, cache)}
        if args.baseline:
            runs["before"] = run_in(args.baseline, notes_file, args.workers, 1, cache)

    print(f"notes                     {n}")
    print(f"words                     {words}")
    print(f"cpus available            {len(os.sched_getaffinity(0))}")
    print(f"naive floor (tokenise)    {floor_s:.2f} s  -> {words / floor_s:,.0f} words/s")
    for name in ("before", "after"):
        if name not in runs:
            continue
        r = runs[name]
        print(f"-- {name}")
        print(
            f"  share reaching spaCy    {r['share_to_spacy']:.3f} "
            f"({r['notes_to_spacy']} notes, {r['words_to_spacy']} words)"
        )
        timings = [("NLP stage, cold", r["first"])]
        if name == "after" and args.repeat > 1:
            timings.append((f"NLP stage, best of {args.repeat}", r["seconds"]))
        for label, s in timings:
            print(
                f"  {label:<22}  {s:.2f} s -> {n / s:,.0f} notes/s, {words / s:,.0f} words/s,"
                f" {s / floor_s:.2f}x the floor"
            )
        print(f"  hits                    {r['hits']}")
    if "before" in runs:
        before = runs["before"]["first"]
        print(f"speed-up (cold/cold)      {before / runs['after']['first']:.1f}x")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
