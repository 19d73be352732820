"""Precision, recall and F1 per detector on the development set.

    python -m auditor.nlp.evaluate [--part tune|heldout|heldout2|heldout3|all] [--errors]

The devset lives in tests/nlp/devset/ (tune.yaml and the held-out parts heldout*.yaml): each item is
a note text with the set of labels it asserts. A label counts as predicted when the note has an
asserted hit of it.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from auditor.nlp.detectors import LABELS
from auditor.scoring import Counts

DEVSET = Path(__file__).resolve().parents[2] / "tests" / "nlp" / "devset"
DEFAULT_DATE = date(2025, 3, 12)
# The parts of the devset: tune is tuned on, the held-out parts only ever report.
PARTS = ("tune", "heldout", "heldout2", "heldout3")


@dataclass
class Item:
    text: str
    labels: frozenset[str]
    sokord: str = ""
    day: date = DEFAULT_DATE
    # The case's who-is-who, when the item names one: the individual, staff, caseworkers.
    individual: str | None = None
    staff: tuple[str, ...] = ()
    caseworkers: tuple[str, ...] = ()


def load_part(part: str, devset: Path = DEVSET) -> list[Item]:
    parts = list(PARTS) if part == "all" else [part]
    items: list[Item] = []
    for p in parts:
        for raw in yaml.safe_load((devset / f"{p}.yaml").read_text("utf-8")):
            items.append(
                Item(
                    text=str(raw["t"]),
                    labels=frozenset(raw.get("l") or ()),
                    sokord=str(raw.get("s") or ""),
                    day=raw.get("d") or DEFAULT_DATE,
                    individual=raw.get("p"),
                    staff=tuple(raw.get("st") or ()),
                    caseworkers=tuple(raw.get("cw") or ()),
                )
            )
    return items


def predict(items: list[Item]) -> list[frozenset[str]]:
    from auditor.model.people import people_for
    from auditor.nlp import detect_texts

    people = [
        people_for(i.individual, i.staff, i.caseworkers)
        if i.individual or i.staff or i.caseworkers
        else None
        for i in items
    ]
    hits = detect_texts(
        [i.text for i in items],
        [i.day for i in items],
        [i.sokord for i in items],
        people=people,
    )
    return [frozenset(h.label for h in hs if h.asserted) for hs in hits]


Score = Counts


def score(items: list[Item], preds: list[frozenset[str]]) -> dict[str, Score]:
    scores = {label: Score() for label in LABELS}
    for item, pred in zip(items, preds, strict=True):
        for label in LABELS:
            g, p = label in item.labels, label in pred
            if g and p:
                scores[label].tp += 1
            elif p:
                scores[label].fp += 1
            elif g:
                scores[label].fn += 1
    return scores


def micro(scores: dict[str, Score]) -> Score:
    total = Score()
    for s in scores.values():
        total.tp += s.tp
        total.fp += s.fp
        total.fn += s.fn
    return total


def report(
    part: str, items: list[Item], preds: list[frozenset[str]], *, errors: bool = False
) -> str:
    scores = score(items, preds)
    lines = [
        f"== {part}: {len(items)} notes",
        f"{'label':<20}{'P':>7}{'R':>7}{'F1':>7}{'TP':>5}{'FP':>5}{'FN':>5}",
    ]
    for label, s in scores.items():
        lines.append(
            f"{label:<20}{s.precision:7.3f}{s.recall:7.3f}{s.f1:7.3f}{s.tp:5d}{s.fp:5d}{s.fn:5d}"
        )
    m = micro(scores)
    lines.append(
        f"{'micro':<20}{m.precision:7.3f}{m.recall:7.3f}{m.f1:7.3f}{m.tp:5d}{m.fp:5d}{m.fn:5d}"
    )
    macro = sum(s.f1 for s in scores.values()) / len(scores)
    lines.append(f"{'macro F1':<20}{macro:21.3f}")
    if errors:
        for item, pred in zip(items, preds, strict=True):
            if pred != item.labels:
                miss = sorted(item.labels - pred)
                extra = sorted(pred - item.labels)
                lines.append(f"  {item.text!r}\n      missing={miss} extra={extra}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Utvärdera NLP-detektorerna mot utvecklingsmängden.")
    ap.add_argument("--part", choices=[*PARTS, "all"], default=None)
    ap.add_argument("--errors", action="store_true", help="lista felklassade anteckningar")
    args = ap.parse_args(argv)
    parts = [args.part] if args.part else list(PARTS)
    for part in parts:
        items = load_part(part)
        preds = predict(items)
        print(report(part, items, preds, errors=args.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
