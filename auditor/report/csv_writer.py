"""findings.csv: every finding as one row, for analysis in other tools.

UTF-8 with a byte-order mark and semicolons, as Swedish Excel opens it directly. The columns
follow the Åtgärdslista in findings.xlsx (without the review columns), plus severity, the
rate basis and where the evidence is. Text that a spreadsheet could take for a formula gets
a leading apostrophe, as in the XLSX.
"""

from __future__ import annotations

import csv
import io
from operator import itemgetter
from pathlib import Path
from typing import TextIO

from auditor.findings.model import SEVERITY_LABEL_SV, STATUS_LABEL_SV, STATUSES, Finding
from auditor.findings.result import RunResult
from auditor.report.labels import (
    ACTION_STATUSES,
    STATUS_RANK,
    action_key,
    display_case,
    event_date,
    evidence_location,
    sv_key,
)
from auditor.report.xlsx import CHANGE_SV, RESPONSIBLE_SV, safe_text

BASIS_SV = {"occasion": "Tillfälle", "case": "Brukare", "no_events": "Inga händelser"}
HEADERS = (
    "Fynd-id",
    "Enhet",
    "Brukare",
    "Namn",
    "Regel",
    "Regelnamn",
    "Händelsedatum",
    "Frist",
    "Status",
    "Allvarlighet",
    "Räknas som",
    "Ansvarig",
    "Meddelande",
    "Förslag",
    "Ändring",
    "Underlag",
)


class _Rows:
    """Builds the rows; ``safe_text`` and the per-rule and per-case columns are worked out
    once per distinct value (a large audit repeats its units, rules and clients many times)."""

    def __init__(self, result: RunResult):
        self.result = result
        self._texts: dict[str, str] = {}
        self._rules: dict[str, str] = {}
        self._cases: dict[str, tuple[str, str]] = {}

    def text(self, value: str) -> str:
        out = self._texts.get(value)
        if out is None:
            out = self._texts[value] = safe_text(value)
        return out

    def row(self, f: Finding, fid: str) -> list[str]:
        text = self.text
        title = self._rules.get(f.rule)
        if title is None:
            rule = self.result.rules.get(f.rule)
            title = self._rules[f.rule] = text(rule.title if rule else "")
        case = self._cases.get(f.case)
        if case is None:
            info = self.result.cases.get(f.case)
            case = self._cases[f.case] = (
                text(display_case(f.case)), text((info.name or "") if info else "")
            )
        change = getattr(f, "change", None)
        day = event_date(f)
        return [
            safe_text(fid),
            text(f.unit),
            case[0],
            case[1],
            text(f.rule),
            title,
            day.isoformat() if day else "",
            f.deadline.isoformat() if f.deadline else "",
            text(STATUS_LABEL_SV.get(f.status, f.status)),
            text(SEVERITY_LABEL_SV.get(f.severity, f.severity)),
            text(BASIS_SV.get(f.basis, f.basis)),
            text(RESPONSIBLE_SV.get(f.responsible, f.responsible)),
            text(f.message),
            text(f.action or ""),
            text(CHANGE_SV.get(change or "", change or "")),
            safe_text(" | ".join(evidence_location(ev) for ev in f.evidence)),
        ]


def write_rows(result: RunResult, out: TextIO) -> None:
    """Violations and warnings first (most urgent first), then ok and not evaluated, per unit."""
    assert set(STATUS_RANK) == set(STATUSES)
    keyed = sorted(
        (((sv_key(f.unit), f.status not in ACTION_STATUSES, action_key(f, result.rules), f.id), f)
         for f in result.findings),
        key=itemgetter(0),
    )
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(HEADERS)
    rows = _Rows(result)
    writer.writerows(rows.row(f, key[3]) for key, f in keyed)


def csv_text(result: RunResult) -> str:
    buffer = io.StringIO()
    write_rows(result, buffer)
    return buffer.getvalue()


def write_csv(result: RunResult, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        write_rows(result, fh)
    return path
