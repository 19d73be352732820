"""The dev corpus beside the clone (../shared/devcorpus/v1) and its note tags.

``make_corpus.py`` keeps each note's annotation tags in its client blocks (they are never
exported). :func:`write_tags` writes them as the tags file ``auditor evaluate --tags`` reads;
only tests and developers run the corpus code, the command never does."""

from __future__ import annotations

import csv
import importlib.util
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _find_devcorpus() -> Path:
    """$AUDITOR_DEVCORPUS, else ../shared/devcorpus/v1 beside the clone (or beside the folder
    of worktrees the clone lives in)."""
    env = os.environ.get("AUDITOR_DEVCORPUS")
    if env:
        return Path(env)
    for base in (REPO.parent, REPO.parent.parent):
        candidate = base / "shared" / "devcorpus" / "v1"
        if (candidate / "labels.csv").is_file():
            return candidate
    return REPO.parent / "shared" / "devcorpus" / "v1"


DEVCORPUS = _find_devcorpus()


def write_tags(corpus: Path, out: Path) -> Path:
    spec = importlib.util.spec_from_file_location("_devcorpus_make", corpus / "make_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # defines the clients; main() only runs as a script
    with out.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["case", "date", "text", "tags", "flags"])
        for c in module.CLIENTS:
            for x in c["notes"]:
                w.writerow([c["pnr"], x["date"], x["text"], " ".join(sorted(x["tags"])),
                            " ".join(sorted(x["flags"]))])
    return out


if __name__ == "__main__":
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else DEVCORPUS
    print(write_tags(corpus, Path(sys.argv[2]) if len(sys.argv) > 2 else Path("tags.csv")))
