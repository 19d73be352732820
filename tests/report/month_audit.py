"""A generated one-month audit of one unit of 100 brukare, as a manager would run it.

Three months of exports (earlier months are context), audited for October 2026 with
``--from 2026-10-01 --to 2026-10-31 --as-of 2026-11-01``; reports written to ``out``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from auditor.findings.result import RunResult
from auditor.generate import generate
from auditor.pipeline import RunOptions, run

UNIT = "Boendestöd Norr"
CLIENTS = 100
KEY = b"manadsgranskning"  # the run's pseudonym key, so labels of protected cases can be matched


@dataclass
class MonthAudit:
    data: Path
    out: Path
    labels: list[dict]
    result: RunResult
    json: dict


def month_audit(root: Path, seed: int = 5) -> MonthAudit:
    data, out = root / "export", root / "rapport"
    generate(data, clients=CLIENTS, months=3, seed=seed, units=[UNIT])
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AUDITOR_PSEUDONYM_KEY", KEY.decode())
        outcome = run(RunOptions(inputs=[data], out=out, as_of=date(2026, 11, 1),
                                 period_from=date(2026, 10, 1), period_to=date(2026, 10, 31)))
    assert outcome.exit_code == 0
    labels = json.loads((data / "labels.json").read_text(encoding="utf-8"))["labels"]
    written = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    return MonthAudit(data, out, labels, outcome.result, written)
