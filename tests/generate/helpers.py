"""Reading generated files back, the way a test (not the ingest) does it."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook

CSV_DIALECTS = {
    "journal_boendestod_norr.csv": ("cp1252", ";"),
    "journal_boendestod_soder.csv": ("utf-8", ","),
    "uppdrag.csv": ("utf-8-sig", ";"),
    "besok_boendestod.txt": ("utf-8", "\t"),
    "korttidsvistelser.csv": ("utf-8", ";"),
}


def read_csv(path: Path) -> list[list[str]]:
    enc, sep = CSV_DIALECTS.get(path.name, ("utf-8-sig", ";"))
    with path.open(encoding=enc, newline="") as fh:
        return list(csv.reader(fh, delimiter=sep))


def read_xlsx(path: Path) -> dict[str, list[tuple]]:
    wb = load_workbook(path, read_only=True)
    out = {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}
    wb.close()
    return out


def labels(folder: Path) -> dict:
    return json.loads((folder / "labels.json").read_text(encoding="utf-8"))


def norm_pnr(value, known: set[str]) -> str | None:
    """12 digits for any written form, using the known list to supply a missing century."""
    if value is None or value == "":
        return None
    s = str(value).replace("-", "").replace("+", "")
    if len(s) == 12:
        return s
    if len(s) == 10:
        for century in ("19", "20"):
            if century + s in known:
                return century + s
    return "?" + s


def as_date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
