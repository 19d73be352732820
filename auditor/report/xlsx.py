"""findings.xlsx: the findings as an action list, one sheet per unit, for follow-up.

The workbook is deterministic: fixed document properties (the run's as-of date at 00:00) and
ZIP entries with a fixed timestamp, so the same findings give byte-identical files. Cell text
that a spreadsheet could take for a formula (= + - @, tab, CR) is neutralised with a leading
apostrophe and stored as text.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.xml.functions import tostring

from auditor.findings.model import SEVERITY_LABEL_SV, STATUS_LABEL_SV, Finding
from auditor.findings.result import RunResult
from auditor.report.labels import (
    ACTION_STATUSES,
    action_key,
    case_label,
    evidence_location,
    rule_key,
    sv_key,
)

SUMMARY_SHEET = "Sammanfattning"
COLUMNS = (
    ("Regel", 9),
    ("Allvarlighet", 13),
    ("Status", 12),
    ("Ärende/brukare", 30),
    ("Datum", 12),
    ("Meddelande", 60),
    ("Underlag (fil/rad)", 36),
    ("Utdrag", 70),
    ("Rutin", 40),
    ("Åtgärd/Kommentar", 40),
)
DATE_FORMAT = "yyyy-mm-dd"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL = 32000  # Excel's limit is 32,767 characters
_FORBIDDEN_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
WRAP = Alignment(wrap_text=True, vertical="top")


def safe_text(value: str | None) -> str:
    """Text as a spreadsheet shows it, never as a formula: a leading = + - @ tab or CR gets
    an apostrophe in front; characters XML cannot hold are dropped."""
    text = ILLEGAL_CHARACTERS_RE.sub("", value or "")
    if len(text) > MAX_CELL:
        text = text[:MAX_CELL] + "…"
    if text.startswith(FORMULA_START):
        text = "'" + text
    return text


def sheet_names(units: list[str]) -> dict[str, str]:
    """A valid, unique (case-insensitive) sheet name of at most 31 characters per unit."""
    used = {SUMMARY_SHEET.casefold(), "history"}
    names: dict[str, str] = {}
    for unit in units:
        base = _FORBIDDEN_SHEET_CHARS.sub("_", unit).strip().strip("'").strip() or "Enhet"
        name, n = base[:31], 2
        while name.casefold() in used:
            suffix = f" ({n})"
            name, n = base[: 31 - len(suffix)].rstrip() + suffix, n + 1
        used.add(name.casefold())
        names[unit] = name
    return names


def _set_text(cell, value: str | None) -> None:
    cell.value = safe_text(value)
    cell.data_type = "s"


def _routine(result: RunResult, f: Finding) -> str:
    rule = result.rules.get(f.rule)
    if rule is None:
        return ""
    pack = next((p for p in result.packs if p.name == rule.pack), None)
    parts = [pack.title if pack else rule.pack]
    if rule.section:
        parts.append(f"avsnitt {rule.section}")
    text = ", ".join(parts) + f" ({f.strength or rule.strength})"
    if rule.quote:
        text += f": ”{rule.quote}”"
    if pack is not None and pack.expired(result.as_of):
        text += f" – Giltighetstiden har gått ut {pack.valid_until.isoformat()}"
    if f.local_default or rule.local_default_note:
        text += " – " + (rule.local_default_note or "tidsgränsen är granskningens egen tolkning")
    return text


def _excerpts(f: Finding) -> str:
    return "\n".join(ev.excerpt for ev in f.evidence if ev.excerpt)


def _header(ws, titles: list[str], widths: list[int]) -> None:
    for col, (title, width) in enumerate(zip(titles, widths, strict=True), start=1):
        cell = ws.cell(row=1, column=col)
        _set_text(cell, title)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"


def _unit_sheet(ws, result: RunResult, findings: list[Finding]) -> None:
    _header(ws, [c[0] for c in COLUMNS], [c[1] for c in COLUMNS])
    for r, f in enumerate(findings, start=2):
        values = [
            f.rule,
            SEVERITY_LABEL_SV.get(f.severity, f.severity),
            STATUS_LABEL_SV.get(f.status, f.status),
            case_label(f.case, result.cases.get(f.case)),
            None,
            f.message,
            "\n".join(evidence_location(ev) for ev in f.evidence),
            _excerpts(f),
            _routine(result, f),
            "",
        ]
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c)
            if c == 5:
                if f.date:
                    cell.value = f.date
                    cell.number_format = DATE_FORMAT
            else:
                _set_text(cell, value)
            cell.alignment = WRAP
    last = get_column_letter(len(COLUMNS))
    ws.auto_filter.ref = f"A1:{last}{max(1, len(findings) + 1)}"


def _summary_sheet(ws, result: RunResult, names: dict[str, str]) -> None:
    titles = ["Enhet", "Flik", "Regel", "Brist", "Risk", "Uppfyllt", "Ej granskad"]
    _header(ws, titles, [34, 24, 9, 8, 8, 10, 12])
    counts: Counter = Counter((f.unit, f.rule, f.status) for f in result.findings)
    rules_per_unit: dict[str, set[str]] = {}
    for f in result.findings:
        rules_per_unit.setdefault(f.unit, set()).add(f.rule)
    row = 2
    for unit in names:
        for rule in sorted(rules_per_unit.get(unit, ()), key=rule_key):
            values: list = [unit, names[unit], rule]
            values += [counts[(unit, rule, s)] for s in ("violation", "warning", "ok")]
            values.append(counts[(unit, rule, "not_evaluated")])
            for c, value in enumerate(values, start=1):
                cell = ws.cell(row=row, column=c)
                if isinstance(value, int):
                    cell.value = value
                else:
                    _set_text(cell, value)
            row += 1
    ws.auto_filter.ref = f"A1:G{max(1, row - 1)}"
    info = [
        ("Granskningsdatum", result.as_of),
        ("Period från", result.period_from),
        ("Period till", result.period_to),
        ("Version", result.version),
        ("Pseudonymiserad", "Ja" if result.pseudonymized else "Nej"),
    ]
    ws.column_dimensions["I"].width = 18
    ws.column_dimensions["J"].width = 14
    for i, (label, value) in enumerate(info, start=1):
        _set_text(ws.cell(row=i, column=9), label)
        ws.cell(row=i, column=9).font = HEADER_FONT
        cell = ws.cell(row=i, column=10)
        if isinstance(value, date):
            cell.value = value
            cell.number_format = DATE_FORMAT
        else:
            _set_text(cell, value)


def build_workbook(result: RunResult) -> Workbook:
    wb = Workbook()
    summary = wb.active
    summary.title = SUMMARY_SHEET
    units = sorted(result.units, key=sv_key)
    names = sheet_names(units)
    _summary_sheet(summary, result, names)
    for unit in units:
        findings = sorted(
            (f for f in result.findings if f.unit == unit and f.status in ACTION_STATUSES),
            key=lambda f: action_key(f, result.rules),
        )
        _unit_sheet(wb.create_sheet(names[unit]), result, findings)
    stamp = datetime.combine(result.as_of, datetime.min.time())
    props = wb.properties
    props.creator = "auditor"
    props.lastModifiedBy = "auditor"
    props.title = "Granskning – åtgärdslista"
    props.created = stamp
    props.modified = stamp
    return wb


def _deterministic_zip(data: bytes, props) -> bytes:
    """Rewrite the package with fixed entry timestamps and fixed document properties
    (openpyxl stamps ``modified`` with the clock when saving)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = tostring(props.to_tree())
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            entry.create_system = 0
            dst.writestr(entry, content)
    return out.getvalue()


def write_xlsx(result: RunResult, path: Path) -> Path:
    wb = build_workbook(result)
    fixed = wb.properties.modified
    buffer = io.BytesIO()
    wb.save(buffer)
    wb.properties.modified = fixed
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_deterministic_zip(buffer.getvalue(), wb.properties))
    return path
