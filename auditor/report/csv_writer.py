"""findings.csv: every finding as one row, for analysis in other tools.

UTF-8 with a byte-order mark and semicolons, as Swedish Excel opens it directly. The columns
follow the Åtgärdslista in findings.xlsx (without the review columns), plus severity, the
rate basis and where the evidence is. Text that a spreadsheet could take for a formula gets
a leading apostrophe, as in the XLSX.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from auditor.findings.model import SEVERITY_LABEL_SV, STATUS_LABEL_SV, STATUSES, Finding
from auditor.findings.result import RunResult
from auditor.report.labels import (
    STATUS_RANK,
    action_key,
    display_case,
    event_date,
    evidence_location,
    iso,
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


def _row(result: RunResult, f: Finding) -> list[str]:
    rule = result.rules.get(f.rule)
    info = result.cases.get(f.case)
    change = getattr(f, "change", None)
    values = [
        f.id,
        f.unit,
        display_case(f.case),
        (info.name or "") if info else "",
        f.rule,
        rule.title if rule else "",
        iso(event_date(f)),
        f.deadline.isoformat() if f.deadline else "",
        STATUS_LABEL_SV.get(f.status, f.status),
        SEVERITY_LABEL_SV.get(f.severity, f.severity),
        BASIS_SV.get(f.basis, f.basis),
        RESPONSIBLE_SV.get(f.responsible, f.responsible),
        f.message,
        f.action or "",
        CHANGE_SV.get(change or "", change or ""),
        " | ".join(evidence_location(ev) for ev in f.evidence),
    ]
    return [safe_text(v) for v in values]


def csv_text(result: RunResult) -> str:
    """Violations and warnings first (most urgent first), then ok and not evaluated, per unit."""
    assert set(STATUS_RANK) == set(STATUSES)
    findings = sorted(
        result.findings,
        key=lambda f: (sv_key(f.unit), f.status not in ("violation", "warning"),
                       action_key(f, result.rules), f.id),
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(HEADERS)
    for f in findings:
        writer.writerow(_row(result, f))
    return buffer.getvalue()


def write_csv(result: RunResult, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\ufeff" + csv_text(result)).encode("utf-8"))
    return path
