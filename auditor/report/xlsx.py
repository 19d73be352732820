"""findings.xlsx: the findings as an action list for follow-up and review.

Sheets: ``Sammanfattning`` (counts and rates per unit and rule), ``Åtgärdslista`` (one row per
violation and warning, with the review columns a person fills in and ``auditor review import``
reads back; output contract, "Additions") and one sheet per unit.

The workbook is deterministic: fixed document properties (the run's as-of date at 00:00) and
ZIP entries with a fixed timestamp, so the same findings give byte-identical files. Cell text
that a spreadsheet could take for a formula (= + - @, tab, CR) is neutralised with a leading
apostrophe and stored as text.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.xml.functions import tostring

from auditor.findings.model import SEVERITY_LABEL_SV, STATUS_LABEL_SV, Finding
from auditor.findings.rates import rates_for
from auditor.findings.result import RunResult
from auditor.report.labels import (
    ACTION_STATUSES,
    action_key,
    display_case,
    event_date,
    evidence_location,
    rule_key,
    sv_key,
)

SUMMARY_SHEET = "Sammanfattning"
ACTION_SHEET = "Åtgärdslista"
# The Åtgärdslista columns, in the contract's order, with their widths.
ACTION_COLUMNS = (
    ("Fynd-id", 18),
    ("Enhet", 24),
    ("Brukare", 15),
    ("Regel", 8),
    ("Regelnamn", 36),
    ("Händelsedatum", 14),
    ("Frist", 12),
    ("Status", 9),
    ("Ansvarig", 11),
    ("Meddelande", 50),
    ("Förslag", 40),
    ("Ändring", 10),
    ("Beslut", 20),
    ("Kommentar", 36),
    ("Granskad av", 16),
    ("Gäller till", 12),
)
# After the contract's columns: the client's name, a fact of its own (never in "Brukare").
ACTION_EXTRA_COLUMNS = (("Namn", 26),)
DECISIONS_SV = ("Bekräftad", "Åtgärdad", "Falskt larm", "Motiverad avvikelse")
REVIEW_COLUMNS = ("Beslut", "Kommentar", "Granskad av", "Gäller till")
REVIEW_FILL = PatternFill("solid", fgColor="FFF8DC")
RESPONSIBLE_SV = {"utförare": "Utförare", "myndighet": "Myndighet"}
CHANGE_SV = {"ny": "Ny", "kvarstår": "Kvarstår"}
COLUMNS = (
    ("Regel", 9),
    ("Allvarlighet", 13),
    ("Status", 12),
    ("Brukare", 15),
    ("Namn", 24),
    ("Händelsedatum", 14),
    ("Frist", 12),
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
DECISION_FROM_CODE = {
    "bekraftad": "Bekräftad",
    "atgardad": "Åtgärdad",
    "falskt_larm": "Falskt larm",
    "motiverad": "Motiverad avvikelse",
}
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
    used = {SUMMARY_SHEET.casefold(), ACTION_SHEET.casefold(), "history"}
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
        text += f" – Giltighetstiden har gått ut {pack.valid_until}"
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


def _put(cell, value) -> None:
    """A date as a real date, a number as a number, anything else as inert text."""
    if isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif isinstance(value, int) and not isinstance(value, bool):
        cell.value = value
    elif value is not None:
        _set_text(cell, value)


class _DataRows:
    """Writes a sheet's data rows, the same cells and styles as ``_put`` plus per-cell
    styling, but fast on large audits.

    openpyxl looks every style object up in the workbook's style tables each time it is set
    on a cell (hashing the object), which dominated writing the workbook. Here each distinct
    style of a column (text or date, plus the column's own fill or number format) is set
    through openpyxl's attributes once, on the first cell that has it, so the style tables
    fill in exactly the order they did cell by cell; later cells get a copy of that cell's
    style ids. Text goes through ``safe_text`` once per distinct value.
    """

    def __init__(self, ws, fills: dict[int, PatternFill] | None = None,
                 number_formats: dict[int, str] | None = None):
        self.ws = ws
        self.fills = fills or {}
        self.number_formats = number_formats or {}
        self._styles: dict[tuple[int, bool], StyleArray] = {}
        self._texts: dict[str, str] = {}

    def text(self, value: str) -> str:
        out = self._texts.get(value)
        if out is None:
            out = self._texts[value] = safe_text(value)
        return out

    def row(self, r: int, values: list) -> None:
        ws = self.ws
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c)
            is_date = isinstance(value, date)
            if is_date or (isinstance(value, int) and not isinstance(value, bool)):
                cell.value = value
            elif value is not None:
                # safe_text has already done what binding a str checks (illegal characters,
                # length, a leading "="), so the text is stored as it is.
                cell._value = self.text(value)
                cell.data_type = "s"
            key = (c, is_date)
            style = self._styles.get(key)
            if style is not None:
                cell._style = StyleArray(style)
                continue
            if is_date:
                cell.number_format = DATE_FORMAT
            cell.alignment = WRAP
            if c in self.fills:
                cell.fill = self.fills[c]
            if c in self.number_formats:
                cell.number_format = self.number_formats[c]
            self._styles[key] = StyleArray(cell._style)


def _print_setup(ws, n_columns: int) -> None:
    """Landscape A4, fit to one page wide, header row repeated on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.print_options.gridLines = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5


def _name(result: RunResult, case: str) -> str:
    info = result.cases.get(case)
    return (info.name or "") if info else ""


def _unit_sheet(ws, result: RunResult, findings: list[Finding]) -> None:
    _header(ws, [c[0] for c in COLUMNS], [c[1] for c in COLUMNS])
    rows = _DataRows(ws)
    for r, f in enumerate(findings, start=2):
        values = [
            f.rule,
            SEVERITY_LABEL_SV.get(f.severity, f.severity),
            STATUS_LABEL_SV.get(f.status, f.status),
            display_case(f.case),
            _name(result, f.case),
            event_date(f),
            f.deadline,
            f.message,
            "\n".join(evidence_location(ev) for ev in f.evidence),
            _excerpts(f),
            _routine(result, f),
            "",
        ]
        rows.row(r, values)
    last = get_column_letter(len(COLUMNS))
    ws.auto_filter.ref = f"A1:{last}{max(1, len(findings) + 1)}"
    _print_setup(ws, len(COLUMNS))


def action_rows(result: RunResult) -> list[Finding]:
    """Every violation and warning, per unit (Swedish order), most urgent first."""
    return sorted(
        (f for f in result.findings if f.status in ACTION_STATUSES),
        key=lambda f: (sv_key(f.unit), action_key(f, result.rules), f.id),
    )


def _review_field(review, name: str):
    """A field of the finding's latest review decision (a dict as in findings.json, or an
    object with the same attribute names), or None."""
    if review is None:
        return None
    if isinstance(review, dict):
        return review.get(name)
    return getattr(review, name, None)


def action_values(result: RunResult, f: Finding) -> list:
    """One Åtgärdslista row: the contract's columns, then the extra ones."""
    rule = result.rules.get(f.rule)
    change = getattr(f, "change", None)
    review = getattr(f, "review", None)
    valid_until = _review_field(review, "valid_until")
    if isinstance(valid_until, str):
        valid_until = date.fromisoformat(valid_until)
    return [
        f.id,
        f.unit,
        display_case(f.case),
        f.rule,
        rule.title if rule else "",
        event_date(f),
        f.deadline,
        STATUS_LABEL_SV.get(f.status, f.status),
        RESPONSIBLE_SV.get(f.responsible, f.responsible),
        f.message,
        f.action or "",
        CHANGE_SV.get(change or "", change or ""),
        DECISION_FROM_CODE.get(_review_field(review, "decision") or "", ""),
        _review_field(review, "comment") or "",
        _review_field(review, "by") or "",
        valid_until,
        _name(result, f.case),
    ]


def _action_sheet(ws, result: RunResult) -> None:
    columns = ACTION_COLUMNS + ACTION_EXTRA_COLUMNS
    titles = [c[0] for c in columns]
    _header(ws, titles, [c[1] for c in columns])
    findings = action_rows(result)
    review_cols = [titles.index(t) + 1 for t in REVIEW_COLUMNS]
    last_row = max(2, len(findings) + 1)
    until_c = titles.index("Gäller till") + 1
    # "Gäller till" is a date column even where it is still empty.
    rows = _DataRows(ws, fills={c: REVIEW_FILL for c in review_cols},
                     number_formats={until_c: DATE_FORMAT})
    for r, f in enumerate(findings, start=2):
        rows.row(r, action_values(result, f))
    for c in review_cols:
        ws.cell(row=1, column=c).fill = REVIEW_FILL
    decision_col = get_column_letter(titles.index("Beslut") + 1)
    decisions = DataValidation(
        type="list",
        formula1='"' + ",".join(DECISIONS_SV) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Okänt beslut",
        error="Välj Bekräftad, Åtgärdad, Falskt larm eller Motiverad avvikelse.",
        promptTitle="Beslut",
        prompt="Välj ett beslut i listan.",
        showInputMessage=True,
    )
    decisions.add(f"{decision_col}2:{decision_col}{last_row}")
    ws.add_data_validation(decisions)
    until_col = get_column_letter(titles.index("Gäller till") + 1)
    until = DataValidation(
        type="date",
        operator="greaterThan",
        formula1="36526",  # 2000-01-01
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Ogiltigt datum",
        error="Skriv ett datum, till exempel 2026-12-31.",
    )
    until.add(f"{until_col}2:{until_col}{last_row}")
    ws.add_data_validation(until)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(findings) + 1)}"
    _print_setup(ws, len(columns))


SUMMARY_COLUMNS = (
    ("Enhet", 30),
    ("Flik", 20),
    ("Regel", 8),
    ("Regelnamn", 40),
    ("Andel uppfyllt", 10),
    ("Brister", 9),
    ("Bedömda", 9),
    ("Räknas per", 11),
    ("Risker", 8),
    ("Uppfyllda", 10),
    ("Utan händelser", 10),
    ("Ej granskade", 10),
    ("Granskade bort", 10),
)
RATE_FORMAT = "0.0%"


def _summary_sheet(ws, result: RunResult, names: dict[str, str]) -> None:
    """Per unit and rule: the rate as findings.json "rates" has it, and its counts."""
    titles = [c[0] for c in SUMMARY_COLUMNS]
    _header(ws, titles, [c[1] for c in SUMMARY_COLUMNS])
    occasion = {(f.unit, f.rule) for f in result.findings if f.basis in ("occasion", "no_events")}
    rates = {(r.unit, r.rule): r for r in rates_for(result)}
    row = 2
    for unit in names:
        unit_rules = sorted((k[1] for k in rates if k[0] == unit), key=rule_key)
        for rule_id in unit_rules:
            r = rates[(unit, rule_id)]
            rule = result.rules.get(rule_id)
            values: list = [
                unit, names[unit], rule_id, rule.title if rule else "",
                r.compliance, r.violation, r.judged,
                "tillfälle" if (unit, rule_id) in occasion else "fall",
                r.warning, r.ok, r.without_events, r.not_evaluated, r.reviewed_away,
            ]
            for c, value in enumerate(values, start=1):
                cell = ws.cell(row=row, column=c)
                if c == 5:
                    if value is not None:
                        cell.value = value
                        cell.number_format = RATE_FORMAT
                else:
                    _put(cell, value)
            row += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(titles))}{max(1, row - 1)}"
    _print_setup(ws, len(titles))
    info = [
        ("Granskningsdatum", result.as_of),
        ("Period från", result.period_from),
        ("Period till", result.period_to),
        ("Version", result.version),
        ("Pseudonymiserad", "Ja" if result.pseudonymized else "Nej"),
        ("Andel uppfyllt", "(bedömda − brister) / bedömda; brukare utan händelser räknas inte"),
    ]
    label_col, value_col = len(titles) + 2, len(titles) + 3
    ws.column_dimensions[get_column_letter(label_col)].width = 18
    ws.column_dimensions[get_column_letter(value_col)].width = 14
    for i, (label, value) in enumerate(info, start=1):
        _set_text(ws.cell(row=i, column=label_col), label)
        ws.cell(row=i, column=label_col).font = HEADER_FONT
        _put(ws.cell(row=i, column=value_col), value)


def build_workbook(result: RunResult) -> Workbook:
    wb = Workbook()
    summary = wb.active
    summary.title = SUMMARY_SHEET
    units = sorted(result.units, key=sv_key)
    names = sheet_names(units)
    _summary_sheet(summary, result, names)
    _action_sheet(wb.create_sheet(ACTION_SHEET), result)
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
