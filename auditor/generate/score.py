"""Score findings against a generator's labels: precision and recall per rule.

    python -m auditor.generate.score LABELS.json FINDINGS.json

A finding matches a label when rule, case and date agree and both are violations
(or both warnings, when ``--warnings`` is given).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from auditor.scoring import Counts


@dataclass
class Score(Counts):
    rule: str = ""


def _pseudonyms(labels: list[dict], findings: list[dict], key: bytes | None) -> dict[str, str]:
    """Label case -> the case as findings show it, for protected or pseudonymised identities."""
    shown = {f["case"] for f in findings if f["case"].startswith(("SKYDDAD-", "P-"))}
    if not shown or key is None:
        return {}
    from auditor.privacy.identity import digest

    out = {}
    for lab in labels:
        d = digest(key, lab["case"])
        for prefix in ("SKYDDAD-", "P-"):
            if prefix + d in shown:
                out[lab["case"]] = prefix + d
    return out


def score(labels: list[dict], findings: list[dict], statuses: tuple[str, ...] = ("violation",),
          rules: set[str] | None = None, key: bytes | None = None) -> dict[str, tuple[Score, list, list]]:
    """Per rule: the score, the false positives and the false negatives (as keys).

    With the run's key, labels of protected or pseudonymised cases are matched to the
    pseudonym the findings carry.
    """
    shown_as = _pseudonyms(labels, findings, key)
    want: dict[str, set] = defaultdict(set)
    got: dict[str, set] = defaultdict(set)
    for lab in labels:
        if lab["status"] in statuses and (rules is None or lab["rule"] in rules):
            want[lab["rule"]].add((shown_as.get(lab["case"], lab["case"]), lab["date"]))
    for f in findings:
        if f["status"] in statuses and (rules is None or f["rule"] in rules):
            got[f["rule"]].add((f["case"], f["date"]))
    out = {}
    for rule in sorted(set(want) | set(got)):
        w, g = want[rule], got[rule]
        out[rule] = (Score(tp=len(w & g), fp=len(g - w), fn=len(w - g), rule=rule), sorted(g - w), sorted(w - g))
    return out


def format_table(scores: dict[str, tuple[Score, list, list]]) -> str:
    lines = [f"{'rule':<6} {'labels':>7} {'found':>6} {'TP':>5} {'FP':>5} {'FN':>5} {'precision':>10} {'recall':>7}"]
    for rule, (s, _, _) in scores.items():
        lines.append(f"{rule:<6} {s.tp + s.fn:>7} {s.tp + s.fp:>6} {s.tp:>5} {s.fp:>5} {s.fn:>5} "
                     f"{s.precision:>10.3f} {s.recall:>7.3f}")
    return "\n".join(lines)


def _key(key_file: Path | None) -> bytes | None:
    from auditor.privacy.keys import load_key, local_key, local_key_path

    key = load_key(key_file, required=False)
    if key is None and local_key_path().exists():
        key = local_key()
    return key


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Precision/recall of findings against generator labels")
    ap.add_argument("labels", type=Path)
    ap.add_argument("findings", type=Path)
    ap.add_argument("--warnings", action="store_true", help="score warnings instead of violations")
    ap.add_argument("--show", type=int, default=5, help="list this many misses per rule")
    ap.add_argument("--key-file", type=Path, help="the run's pseudonym key (else AUDITOR_PSEUDONYM_KEY or the local key)")
    args = ap.parse_args(argv)
    labels = json.loads(args.labels.read_text(encoding="utf-8"))["labels"]
    findings = json.loads(args.findings.read_text(encoding="utf-8"))["findings"]
    scores = score(labels, findings, ("warning",) if args.warnings else ("violation",), key=_key(args.key_file))
    print(format_table(scores))
    for rule, (_, fps, fns) in scores.items():
        for kind, items in (("FP", fps), ("FN", fns)):
            for item in items[: args.show]:
                print(f"  {rule} {kind} {item}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
