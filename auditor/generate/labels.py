"""labels.json: what the generated export contains that the auditor should find.

Format::

    {"generator": {"name": "auditor generate", "version": 1, "seed": 7, "clients": 60, "months": 6,
                   "as_of": "2026-11-01", "period": {"from": "2026-05-01", "to": "2026-11-01"},
                   "journal_first_date": "2026-05-01", "rate": 0.15, "units": [...], "files": [...],
                   "conventions": {...}},
     "cases":  [{"case": "<12 digits>", "unit": "...", "insats": "boendestod", "protected": false,
                 "category": "normal", "planted": ["GB4", "TN3"]}],
     "labels": [{"rule": "GB2", "case": "<12 digits>", "unit": "...", "date": "YYYY-MM-DD",
                 "status": "violation" | "warning" | "not_evaluated", "note": "why (English)"}]}

``labels`` lists every violation and warning the data contains for each rule of the catalogue
(DOK included), and the ``not_evaluated`` situations the catalogue demands (GB1 when
uppdrag_inkommit is before the journal's first date). Everything not listed is ``ok`` or not
applicable. Dates follow ARCHITECTURE.md's "Finding dates". ``case`` is always the real test
personnummer; a ``protected`` case appears in the auditor's output as ``SKYDDAD-…``.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from .oracle import WARN_DAYS, Label

CONVENTIONS = {
    "windows": "inclusive",
    "workdays": "Mon-Fri minus Swedish public holidays, midsommarafton, julafton, nyårsafton",
    "open_deadline": f"warning when 0-{WARN_DAYS - 1} days remain at as_of, else ok (not labelled)",
    "gb3_warning": "not verkställd and as_of on or after beslut + 2 months",
    "kt2_running_term": "warning when fewer than 42 days remain and no invitation",
    "gb12_date": "period.to",
    "not_labelled": "GB4/GB8/GB11/GB12 of cases not yet verkställda, GB5-GB7 of cases without a finished plan",
    "dok": "DOK1-DOK3 belong to the optional pack: compare them only when it runs (--rules DOK)",
    "ambiguous": "cases whose data sits on a boundary where the catalogue allows two readings "
    "(listed under generator.ambiguous; normally none)",
}


def label_counts(labels: list[Label]) -> dict[str, dict[str, int]]:
    counts: dict[str, Counter] = {}
    for lb in labels:
        counts.setdefault(lb.rule, Counter())[lb.status] += 1
    return {r: dict(sorted(c.items())) for r, c in sorted(counts.items())}


def write_labels(path: Path, generator: dict, cases: list[dict], labels: list[Label]) -> None:
    """One JSON object; one case or label per line, so large files stay diff- and grep-friendly."""
    labels = sorted(labels, key=lambda lb: (lb.rule, lb.case, lb.date, lb.status, lb.note))
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write('{"generator": ')
        fh.write(json.dumps(generator, ensure_ascii=False, indent=1, sort_keys=True))
        fh.write(',\n"cases": [\n')
        fh.write(",\n".join(json.dumps(c, ensure_ascii=False, sort_keys=True) for c in cases))
        fh.write('\n],\n"labels": [\n')
        fh.write(
            ",\n".join(
                json.dumps(lb.to_json(), ensure_ascii=False, sort_keys=True) for lb in labels
            )
        )
        fh.write("\n]}\n")


def read_labels(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
