"""Benchmark of the NLP stage.

    python benchmarks/bench_nlp.py [--n 20000] [--csv notes.csv] [--workers N] [--seed 1]

Measures on N notes: the share of notes the prefilter sends to spaCy, words/second of the
whole NLP stage (prefilter + pipeline + detectors, ``auditor.nlp.detect_texts``), and the naive
floor: tokenising all text once with ``spacy.blank("sv")``. Without ``--csv`` the notes are
synthetic: devset notes mixed with everyday filler sentences that hold no event.
A CSV needs a text column (text/anteckning/journaltext), optionally datum and sokord.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--csv", default=None)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)

    import spacy

    from auditor.nlp import detect_texts
    from auditor.nlp.pipeline import get_nlp
    from auditor.nlp.prefilter import candidate_mask

    texts, dates, sok = csv_notes(args.csv) if args.csv else synthetic_notes(args.n, args.seed)
    words = sum(len(t.split()) for t in texts)

    t0 = time.perf_counter()
    blank = spacy.blank("sv")
    for _ in blank.pipe(texts, batch_size=1000):
        pass
    floor_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    get_nlp()
    load_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    mask = candidate_mask(texts, sok)
    prefilter_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    hits = detect_texts(texts, dates, sok, workers=args.workers)
    nlp_s = time.perf_counter() - t0

    n_hits = sum(len(h) for h in hits)
    cand_words = sum(len(t.split()) for t, m in zip(texts, mask, strict=True) if m)
    print(f"notes                     {len(texts)}")
    print(f"words                     {words}")
    print(
        f"share reaching spaCy      {mask.mean():.3f} ({int(mask.sum())} notes, {cand_words} words)"
    )
    print(f"pipeline load (once)      {load_s:.2f} s")
    print(f"prefilter                 {prefilter_s:.3f} s")
    print(f"NLP stage                 {nlp_s:.2f} s  -> {words / nlp_s:,.0f} words/s over all text")
    print(f"  on candidate notes      {cand_words / nlp_s:,.0f} words/s")
    print(f"naive floor (tokenise)    {floor_s:.2f} s  -> {words / floor_s:,.0f} words/s")
    print(f"NLP stage / floor         {nlp_s / floor_s:.1f}x")
    print(f"hits                      {n_hits}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
