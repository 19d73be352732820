"""Monthly audits for the history tests."""

from __future__ import annotations

import calendar
import json
from datetime import date
from pathlib import Path

from auditor.cli import main


def month_args(year: int, month: int) -> list[str]:
    """A monthly audit: the calendar month, as of the first day of the next month."""
    last = calendar.monthrange(year, month)[1]
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return ["--from", f"{year}-{month:02d}-01", "--to", f"{year}-{month:02d}-{last:02d}", "--as-of", nxt.isoformat()]


def audit(export: Path, out: Path, year: int, month: int, *extra: str) -> dict:
    code = main(["run", str(export), "--out", str(out), *month_args(year, month), "--quiet", *extra])
    assert code == 0
    return json.loads((out / "findings.json").read_text(encoding="utf-8"))
