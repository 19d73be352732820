"""CSV and other delimited text: encoding, delimiter, quoted newlines, line numbers."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

from auditor.ingest import encoding
from auditor.ingest.safety import check_text_size
from auditor.ingest.table import RawTable, ReadError

DELIMITERS = (";", ",", "\t", "|")
SNIFF_CHARS = 256 * 1024
csv.field_size_limit(64 * 1024 * 1024)


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the start of the file into the most rows of one
    consistent width (at least two fields)."""
    sample = text[:SNIFF_CHARS]
    cut = sample.rfind("\n")
    if 0 < cut < len(sample) - 1:
        sample = sample[:cut]
    best, best_score = ";", 0
    for d in DELIMITERS:
        if d not in sample:
            continue
        try:
            widths = [len(r) for r in csv.reader(io.StringIO(sample, newline=""), delimiter=d) if r]
        except csv.Error:
            continue
        common = Counter(w for w in widths if w > 1).most_common(1)
        if not common:
            continue
        width, count = common[0]
        score = count * 1000 + width
        if score > best_score:
            best, best_score = d, score
    return best


def parse_text(
    text: str, delimiter: str | None = None
) -> tuple[list[list[object]], list[int], str]:
    """(rows, starting line of each row, delimiter)."""
    if "_x000" in text:
        text = text.replace("_x000D_", "")
    delimiter = delimiter or sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[object]] = []
    starts: list[int] = []
    line = 0
    try:
        for rec in reader:
            rows.append(rec)
            starts.append(line + 1)
            line = reader.line_num
    except csv.Error as exc:
        raise ReadError(f"Filen kunde inte tolkas som CSV nära rad {line + 1}: {exc}.") from exc
    return rows, starts, delimiter


def read_text_table(path: Path) -> RawTable:
    check_text_size(path)
    data = path.read_bytes()
    text, _enc = encoding.decode(data)
    if text.startswith("\ufeff"):
        text = text[1:]
    problems: list[str] = []
    if "\x00" in text:
        nuls = text.count("\x00")
        if nuls > len(text) * 0.01:
            raise ReadError("Filen innehåller binära data (NUL-tecken) och är ingen textexport.")
        text = text.replace("\x00", "")
        problems.append(f"{nuls} NUL-tecken togs bort ur filen.")
    text, repaired = encoding.repair_lines(text)
    problems += repaired
    rows, starts, _delim = parse_text(text)
    return RawTable(rows=rows, row_numbers=starts, sheet=None, problems=problems)
