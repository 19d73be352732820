"""Whole-audit benchmark against the naive floor, on generated exports.

    python benchmarks/bench_pipeline.py --clients 2000 --months 12 [--data DIR] [--repeat 1]

Reports, measured in one run on the same machine:
- generated size (notes, files, MB);
- the naive floor: read the same exports with the ingest stage and tokenise every note
  once with ``spacy.blank("sv")`` (no rules, no reports);
- the whole audit (ingest, model, NLP, rules, findings.json; reports optional);
- the share of notes that reach spaCy and the NLP stage's words per second;
- peak memory (ru_maxrss) of the process.
Numbers are printed as a ratio to the floor, since absolute seconds depend on the machine.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _ensure_data(args: argparse.Namespace) -> Path:
    if args.data and (Path(args.data) / "labels.json").exists():
        return Path(args.data)
    from auditor.generate import generate

    out = Path(args.data) if args.data else Path(tempfile.mkdtemp(prefix="auditor-bench-"))
    t0 = time.perf_counter()
    generate(out, clients=args.clients, months=args.months, seed=args.seed)
    print(f"generated {args.clients} clients x {args.months} months in {time.perf_counter() - t0:.1f} s -> {out}")
    return out


def naive_floor(data: Path) -> tuple[float, int, int]:
    """Read all exports and tokenise all note text once with spacy.blank('sv')."""
    import spacy

    from auditor.ingest import read_inputs

    t0 = time.perf_counter()
    loaded = read_inputs([data])
    texts = [t for li in loaded if li.kind == "journal" and li.frame is not None
             for t in li.frame["text"].tolist()]
    nlp = spacy.blank("sv")
    words = 0
    for doc in nlp.pipe(texts, batch_size=1000):
        words += len(doc)
    return time.perf_counter() - t0, len(texts), words


def whole_audit(data: Path, out: Path, as_of: date, reports: bool) -> tuple[float, dict]:
    from auditor.nlp import stats as nlp_stats
    from auditor.pipeline import RunOptions, run

    nlp_stats.reset()
    t0 = time.perf_counter()
    outcome = run(RunOptions(inputs=[data], out=out, as_of=as_of, write_reports=reports))
    elapsed = time.perf_counter() - t0
    return elapsed, {"findings": len(outcome.result.findings), **nlp_stats.snapshot()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=2000)
    ap.add_argument("--months", type=int, default=12)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--data", help="existing generated folder (or where to generate)")
    ap.add_argument("--as-of", type=date.fromisoformat, default=None)
    ap.add_argument("--reports", action="store_true", help="also write HTML and XLSX")
    args = ap.parse_args()
    data = _ensure_data(args)
    as_of = args.as_of
    if as_of is None:
        import json

        gen = json.loads((data / "labels.json").read_text(encoding="utf-8"))["generator"]
        as_of = date.fromisoformat(gen["as_of"])
    files = [p for p in data.rglob("*") if p.is_file()]
    mb = sum(p.stat().st_size for p in files) / 1e6
    floor_s, notes, words = naive_floor(data)
    with tempfile.TemporaryDirectory() as tmp:
        audit_s, stats = whole_audit(data, Path(tmp), as_of, args.reports)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"data: {len(files)} files, {mb:.1f} MB, {notes} notes, {words} tokens")
    print(f"naive floor (read + tokenise all notes once): {floor_s:.2f} s")
    print(f"whole audit: {audit_s:.2f} s  = {audit_s / floor_s:.2f} x the naive floor")
    for key, value in stats.items():
        print(f"  {key}: {value}")
    print(f"peak RSS: {rss_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
