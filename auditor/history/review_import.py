"""``auditor review import``: decisions filled in on the Åtgärdslista, into the history.

The sheet is read by its header names (``Fynd-id``, ``Beslut``, ``Kommentar``, ``Granskad av``,
``Gäller till``), wherever the columns are. Each row with a decision is checked and recorded
or refused with a Swedish reason; rows without a decision are counted. All recorded rows are
written in one transaction: a file that cannot be read changes nothing.

Comments are free text typed by a person: anything in them that looks like a personnummer is
replaced, because the history must hold no more identities than the outputs.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from auditor.history.layer import DECISION_LABEL_SV, DECISIONS, Review
from auditor.history.run import latest_reviews
from auditor.history.store import HistoryError, open_history

SHEET = "Åtgärdslista"
COL_ID, COL_DECISION, COL_COMMENT, COL_BY, COL_UNTIL = "Fynd-id", "Beslut", "Kommentar", "Granskad av", "Gäller till"
PNR_LIKE = re.compile(r"(?<!\d)(\d{8}|\d{6})[-+]?\d{4}(?!\d)")
PNR_REPLACEMENT = "[personnummer borttaget]"
MAX_TEXT = 2000


def _fold(text: str) -> str:
    return re.sub(r"[\s_-]+", " ", text.casefold()).strip()


# Accepted spellings of each decision (the drop-down's labels, the contract's codes, short forms).
_DECISION_WORDS = {
    **{_fold(label): code for code, label in DECISION_LABEL_SV.items()},
    **{_fold(code): code for code in DECISIONS},
    "bekraftad": "bekraftad", "atgardad": "atgardad", "falsklarm": "falskt_larm",
    "falskt": "falskt_larm", "motiverad": "motiverad", "motiverat": "motiverad",
    "motiverad avvikelse": "motiverad",
}


class ReviewFileError(Exception):
    """The workbook cannot be used at all; Swedish, names the file."""


@dataclass
class ImportReport:
    source: str
    sheet: str = ""
    rows: int = 0
    recorded: Counter = field(default_factory=Counter)  # decision -> rows recorded
    unchanged: int = 0
    without_decision: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)  # (row, reason)
    scrubbed: int = 0
    notes: list[tuple[int, str]] = field(default_factory=list)  # (row, remark), recorded anyway

    def lines(self) -> list[str]:
        total = sum(self.recorded.values())
        out = [f"Läste {self.rows} {'rad' if self.rows == 1 else 'rader'} från bladet {self.sheet} i {self.source}."]
        if total:
            parts = ", ".join(f"{n} {DECISION_LABEL_SV[d]}" for d, n in sorted(
                self.recorded.items(), key=lambda kv: DECISIONS.index(kv[0])))
            out.append(f"Registrerade {total} beslut: {parts}.")
        else:
            out.append("Inga nya beslut registrerades.")
        if self.unchanged:
            out.append(f"{self.unchanged} {'rad' if self.unchanged == 1 else 'rader'} hade samma beslut som redan fanns (oförändrade).")
        if self.without_decision:
            out.append(f"{self.without_decision} {'rad' if self.without_decision == 1 else 'rader'} utan beslut hoppades över.")
        if self.scrubbed:
            out.append(f"Personnummer i {self.scrubbed} {'kommentar' if self.scrubbed == 1 else 'kommentarer'} ersattes med {PNR_REPLACEMENT}.")
        for row, note in self.notes:
            out.append(f"  Obs rad {row}: {note}")
        if self.refused:
            n = len(self.refused)
            out.append(f"Avvisade {n} {'rad' if n == 1 else 'rader'}:")
            out.extend(f"  rad {row}: {reason}" for row, reason in self.refused)
        return out


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _parse_date(value: object) -> date | None:
    """A cell's date: an Excel date, or text as ÅÅÅÅ-MM-DD (also ÅÅÅÅMMDD, ÅÅÅÅ/MM/DD).
    Raises ValueError for anything else."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    m = re.fullmatch(r"(\d{4})[-/.]?(\d{2})[-/.]?(\d{2})", text)
    if not m:
        raise ValueError(text)
    return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def _scrub(text: str) -> tuple[str, bool]:
    new = PNR_LIKE.sub(PNR_REPLACEMENT, text)
    return new[:MAX_TEXT], new != text


def _find_sheet(wb):
    """The Åtgärdslista sheet, else the first sheet with Fynd-id and Beslut headers: (ws, header row, columns)."""
    names = sorted(wb.sheetnames, key=lambda n: _fold(n) != _fold(SHEET))
    for name in names:
        ws = wb[name]
        for r, row in enumerate(ws.iter_rows(min_row=1, max_row=10, values_only=True), start=1):
            headers = {_fold(_text(v)): i for i, v in enumerate(row) if _text(v)}
            if _fold(COL_ID) in headers and _fold(COL_DECISION) in headers:
                return ws, r, headers
    return None


def read_rows(path: Path):
    """(sheet name, [(row number, {column: value})]) from the workbook."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise ReviewFileError(f"Hittar inte {path}.") from None
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ReviewFileError(
            f"{path} kan inte läsas som en Excel-arbetsbok (.xlsx): {exc}. Spara filen som .xlsx och försök igen."
        ) from exc
    try:
        found = _find_sheet(wb)
        if found is None:
            raise ReviewFileError(
                f"{path} har inget blad {SHEET} med kolumnerna {COL_ID} och {COL_DECISION}. "
                "Använd findings.xlsx från en körning och fyll i kolumnen Beslut."
            )
        ws, header_row, headers = found
        wanted = {c: headers.get(_fold(c)) for c in (COL_ID, COL_DECISION, COL_COMMENT, COL_BY, COL_UNTIL)}
        rows = []
        for r, values in enumerate(ws.iter_rows(min_row=header_row + 1, values_only=True), start=header_row + 1):
            cells = {c: (values[i] if i is not None and i < len(values) else None) for c, i in wanted.items()}
            if all(_text(v) == "" for v in cells.values()):
                continue
            rows.append((r, cells))
        return ws.title, rows
    finally:
        wb.close()


def import_reviews(history_path: Path, workbook: Path, *, decided: date | None = None,
                   now: datetime | None = None) -> ImportReport:
    """Record the decisions in ``workbook`` in the history at ``history_path``."""
    decided = decided or date.today()
    now = now or datetime.now().replace(microsecond=0)
    sheet, rows = read_rows(Path(workbook))
    report = ImportReport(source=Path(workbook).name, sheet=sheet, rows=len(rows))
    with open_history(history_path, create=False) as history, history.transaction() as con:
        latest = latest_reviews(con)
        for r, cells in rows:
            fid = _text(cells[COL_ID])
            word = _text(cells[COL_DECISION])
            comment, by = _text(cells[COL_COMMENT]), _text(cells[COL_BY])
            if not word:
                if comment or by or _text(cells[COL_UNTIL]):
                    report.refused.append((r, "kommentar eller granskare men inget beslut i kolumnen Beslut"))
                else:
                    report.without_decision += 1
                continue
            if not fid:
                report.refused.append((r, "beslut utan fynd-id"))
                continue
            decision = _DECISION_WORDS.get(_fold(word))
            if decision is None:
                report.refused.append((r, f"okänt beslut ”{word}” (välj Bekräftad, Åtgärdad, Falskt larm eller Motiverad avvikelse)"))
                continue
            try:
                until = _parse_date(cells[COL_UNTIL])
            except ValueError:
                report.refused.append((r, f"”{_text(cells[COL_UNTIL])}” i Gäller till är inget datum (skriv ÅÅÅÅ-MM-DD)"))
                continue
            found = con.execute("SELECT rule FROM findings WHERE id = ? ORDER BY run_id DESC LIMIT 1", (fid,)).fetchone()
            if found is None:
                report.refused.append((r, f"okänt fynd-id ”{fid}” (finns inte i historiken {history.path.name})"))
                continue
            comment, scrubbed_c = _scrub(comment)
            by, scrubbed_b = _scrub(by)
            report.scrubbed += scrubbed_c or scrubbed_b
            previous = latest.get(fid)
            if previous is not None:
                old = previous[1]
                if (old.decision, old.comment, old.by, old.valid_until) == (decision, comment, by, until):
                    report.unchanged += 1
                    continue
            if until is not None and until < decided and decision in ("falskt_larm", "motiverad"):
                report.notes.append((r, f"Gäller till {until.isoformat()} har redan passerat; beslutet registreras men gäller inte längre"))
            con.execute(
                "INSERT INTO reviews (finding_id, rule, decision, comment, reviewer, date, valid_until, source, source_row, recorded_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (fid, found[0], decision, comment, by, decided.isoformat(), until.isoformat() if until else None,
                 report.source, r, now.isoformat(sep=" ")),
            )
            latest[fid] = (found[0], Review(decision, comment, by, decided, until))
            report.recorded[decision] += 1
    return report


__all__ = ["HistoryError", "ImportReport", "ReviewFileError", "import_reviews"]
