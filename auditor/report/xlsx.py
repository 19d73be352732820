"""findings.xlsx: the findings as an action list for follow-up and review.

Sheets: ``Sammanfattning`` (counts and rates per unit and rule), ``Åtgärdslista`` (one row per
violation and warning, with the review columns a person fills in and ``auditor review import``
reads back; output contract, "Additions") and one sheet per unit.

Written with XlsxWriter, row by row straight to the file (``constant_memory``), so memory stays
flat however many findings there are; its temporary files go in the output's staging folder.
The workbook is deterministic: fixed document properties (the run's as-of date at 00:00) and
ZIP entries with a fixed timestamp, so the same findings give byte-identical files. Cell text
that a spreadsheet could take for a formula (= + - @, tab, CR) is neutralised with a leading
apostrophe and always stored as text, never as a formula, number or link.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

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

# Control characters a worksheet cell cannot hold (the set openpyxl refuses; importing
# openpyxl for this one pattern cost a tenth of a second of every run's start-up).
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")

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
REVIEW_FILL = "#FFF8DC"
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
DECISION_FROM_CODE = {
    "bekraftad": "Bekräftad",
    "atgardad": "Åtgärdad",
    "falskt_larm": "Falskt larm",
    "motiverad": "Motiverad avvikelse",
}
HEADER_FILL = "#DDE3EA"
RATE_FORMAT = "0.0%"
PAPER_A4 = 9


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


def _name(result: RunResult, case: str) -> str:
    info = result.cases.get(case)
    return (info.name or "") if info else ""


class _Sheet:
    """One worksheet, written a row at a time (XlsxWriter's constant-memory mode needs rows
    in order). Text goes through ``safe_text`` once per distinct value; a date is a real date,
    an int a number, anything else inert text, and None no value (the cell keeps its style)."""

    def __init__(self, book: _Book, name: str, columns: tuple[tuple[str, int], ...]):
        self.book = book
        self.ws = book.wb.add_worksheet(name)
        self.n_columns = len(columns)
        for c, (_title, width) in enumerate(columns):
            # the same width in the file as a width of ``width`` characters set in openpyxl
            self.ws.set_column_pixels(c, c, 7 * width)
        self.ws.freeze_panes(1, 0)

    def put(self, r: int, c: int, value, fmt=None, date_fmt=None) -> None:
        ws = self.ws
        if isinstance(value, date):
            ws.write_datetime(r, c, value, date_fmt)
        elif isinstance(value, int) and not isinstance(value, bool):
            ws.write_number(r, c, value, fmt)
        elif value is None or value == "":
            if fmt is not None:
                ws.write_blank(r, c, None, fmt)
        else:
            ws.write_string(r, c, self.book.text(value), fmt)

    def header(self, titles: list[str], formats: dict[int, object] | None = None) -> None:
        for c, title in enumerate(titles):
            self.put(0, c, title, (formats or {}).get(c, self.book.header))

    def finish(self, last_row: int) -> None:
        """Auto filter over the header and data rows (``last_row`` 0-based); print setup:
        landscape A4, one page wide, gridlines, header row repeated on every page."""
        ws = self.ws
        ws.autofilter(0, 0, max(0, last_row), self.n_columns - 1)
        ws.set_landscape()
        ws.set_paper(PAPER_A4)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0)
        ws.hide_gridlines(0)  # printed as well as shown
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
        ws.set_header("", {"margin": 0.5})
        ws.set_footer("", {"margin": 0.5})


class _Book:
    def __init__(self, path: Path):
        # Imported here: a missing XlsxWriter then fails writing the workbook, loudly, rather
        # than making ``auditor.report`` unimportable (the pipeline skips reports it cannot import).
        from xlsxwriter import Workbook

        self.wb = Workbook(str(path), {"constant_memory": True, "tmpdir": str(path.parent)})
        add = self.wb.add_format
        wrap = {"text_wrap": True, "valign": "top"}
        review = {**wrap, "pattern": 1, "bg_color": REVIEW_FILL}
        self.header = add({"bold": True, "pattern": 1, "bg_color": HEADER_FILL})
        self.review_header = add({"bold": True, "pattern": 1, "bg_color": REVIEW_FILL})
        self.bold = add({"bold": True})
        self.date = add({"num_format": DATE_FORMAT})
        self.rate = add({"num_format": RATE_FORMAT})
        self.wrap = add(wrap)
        self.wrap_date = add({**wrap, "num_format": DATE_FORMAT})
        self.review = add(review)
        self.review_date = add({**review, "num_format": DATE_FORMAT})
        self._texts: dict[str, str] = {}

    def text(self, value: str) -> str:
        out = self._texts.get(value)
        if out is None:
            # A line break is LF in the sheet, as every XML reader saw a CR written raw;
            # XlsxWriter would otherwise keep it as the escape _x000D_.
            out = safe_text(value).replace("\r\n", "\n").replace("\r", "\n")
            self._texts[value] = out
        return out


def _unit_sheet(book: _Book, name: str, result: RunResult, findings: list[Finding]) -> None:
    sheet = _Sheet(book, name, COLUMNS)
    sheet.header([c[0] for c in COLUMNS])
    put, wrap, wrap_date = sheet.put, book.wrap, book.wrap_date
    for r, f in enumerate(findings, start=1):
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
            None,
        ]
        for c, value in enumerate(values):
            put(r, c, value, wrap, wrap_date)
    sheet.finish(len(findings))


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


def _action_sheet(book: _Book, result: RunResult) -> None:
    columns = ACTION_COLUMNS + ACTION_EXTRA_COLUMNS
    titles = [c[0] for c in columns]
    sheet = _Sheet(book, ACTION_SHEET, columns)
    review_cols = {titles.index(t) for t in REVIEW_COLUMNS}
    sheet.header(titles, {c: book.review_header for c in review_cols})
    decision_c = titles.index("Beslut")
    until_c = titles.index("Gäller till")
    # The review columns are shaded; "Gäller till" is a date column even where it is empty.
    formats = [(book.review if c in review_cols else book.wrap,
                book.review_date if c in review_cols else book.wrap_date)
               for c in range(len(columns))]
    formats[until_c] = (book.review_date, book.review_date)
    findings = action_rows(result)
    put = sheet.put
    for r, f in enumerate(findings, start=1):
        for c, value in enumerate(action_values(result, f)):
            fmt, date_fmt = formats[c]
            put(r, c, value, fmt, date_fmt)
    last_row = max(1, len(findings))
    sheet.ws.data_validation(1, decision_c, last_row, decision_c, {
        "validate": "list",
        "source": list(DECISIONS_SV),
        "ignore_blank": True,
        "show_error": True,
        "error_title": "Okänt beslut",
        "error_message": "Välj Bekräftad, Åtgärdad, Falskt larm eller Motiverad avvikelse.",
        "input_title": "Beslut",
        "input_message": "Välj ett beslut i listan.",
        "show_input": True,
    })
    sheet.ws.data_validation(1, until_c, last_row, until_c, {
        "validate": "date",
        "criteria": ">",
        "value": date(2000, 1, 1),
        "ignore_blank": True,
        "show_error": True,
        "error_title": "Ogiltigt datum",
        "error_message": "Skriv ett datum, till exempel 2026-12-31.",
        "show_input": False,
    })
    sheet.finish(len(findings))


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


def _summary_sheet(book: _Book, result: RunResult, names: dict[str, str]) -> None:
    """Per unit and rule: the rate as findings.json "rates" has it, and its counts; beside
    the table, what the audit covers."""
    titles = [c[0] for c in SUMMARY_COLUMNS]
    label_c, value_c = len(titles) + 1, len(titles) + 2
    sheet = _Sheet(book, SUMMARY_SHEET, SUMMARY_COLUMNS)
    sheet.ws.set_column_pixels(label_c, label_c, 7 * 18)
    sheet.ws.set_column_pixels(value_c, value_c, 7 * 14)
    occasion = {(f.unit, f.rule) for f in result.findings if f.basis in ("occasion", "no_events")}
    rates = {(r.unit, r.rule): r for r in rates_for(result)}
    rows: list[list] = []
    for unit in names:
        unit_rules = sorted((k[1] for k in rates if k[0] == unit), key=rule_key)
        for rule_id in unit_rules:
            rate = rates[(unit, rule_id)]
            rule = result.rules.get(rule_id)
            rows.append([
                unit, names[unit], rule_id, rule.title if rule else "",
                rate.compliance, rate.violation, rate.judged,
                "tillfälle" if (unit, rule_id) in occasion else "fall",
                rate.warning, rate.ok, rate.without_events, rate.not_evaluated,
                rate.reviewed_away,
            ])
    info = [
        ("Granskningsdatum", result.as_of),
        ("Period från", result.period_from),
        ("Period till", result.period_to),
        ("Version", result.version),
        ("Pseudonymiserad", "Ja" if result.pseudonymized else "Nej"),
        ("Andel uppfyllt", "(bedömda − brister) / bedömda; brukare utan händelser räknas inte"),
    ]
    put = sheet.put
    for r in range(max(len(rows) + 1, len(info))):
        if r == 0:
            sheet.header(titles)
        elif r <= len(rows):
            for c, value in enumerate(rows[r - 1]):
                if c == 4:
                    if value is not None:
                        sheet.ws.write_number(r, c, value, book.rate)
                else:
                    put(r, c, value, None, book.date)
        if r < len(info):
            label, value = info[r]
            put(r, label_c, label, book.bold)
            put(r, value_c, value, None, book.date)
    sheet.finish(len(rows))


def write_xlsx(result: RunResult, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    book = _Book(path)
    units = sorted(result.units, key=sv_key)
    names = sheet_names(units)
    _summary_sheet(book, result, names)
    _action_sheet(book, result)
    for unit in units:
        findings = sorted(
            (f for f in result.findings if f.unit == unit and f.status in ACTION_STATUSES),
            key=lambda f: action_key(f, result.rules),
        )
        _unit_sheet(book, names[unit], result, findings)
    book.wb.set_properties({
        "title": "Granskning – åtgärdslista",
        "author": "auditor",
        "created": datetime.combine(result.as_of, datetime.min.time()),
    })
    book.wb.close()
    return path
