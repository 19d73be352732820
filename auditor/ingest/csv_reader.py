"""CSV and other delimited text: encoding, delimiter, quoted newlines, line numbers.

The file is decoded and parsed as a stream of lines, so its bytes and its decoded text
are never held whole next to the parsed rows. Nothing is repaired silently:
- NUL and other control bytes are removed and reported (a file with many is refused as
  binary);
- a quote that opens a field and is never closed where it should be (it would swallow
  the following rows into one note) is found from the rows it swallowed: those lines are
  read one by one again and the row where the field began is reported;
- a file with a header and no data rows is reported by the loader.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from auditor.ingest import encoding
from auditor.ingest.safety import check_text_size
from auditor.ingest.table import RawTable, ReadError

DELIMITERS = (";", ",", "\t", "|")
SNIFF_CHARS = 256 * 1024
# A field longer than this is not a journal note; csv stops there and the loader rejects
# the row (see auditor.ingest.limits for the per-field limit users see).
FIELD_LIMIT = 16 * 1024 * 1024
csv.field_size_limit(FIELD_LIMIT)
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_CONTROL_SHARE = 0.01
BINARY_MSG = "Filen innehåller binära data (NUL- och styrtecken) och är ingen textexport."


def sniff_delimiter(text: str) -> str:
    """The delimiter under which the rows of the start of the file most consistently have
    one width of at least two fields; among equally consistent ones the widest.

    Consistency is measured twice and the better one counts: on rows parsed with quotes (a
    quoted note may hold newlines and other delimiters) and on physical lines (so one
    broken quote that swallows the rest of the sample does not hand the win to a comma
    inside the notes)."""
    sample = text[:SNIFF_CHARS]
    cut = sample.rfind("\n")
    if 0 < cut < len(sample) - 1:
        sample = sample[:cut]
    best, best_score = ";", (0.0, 0)
    for d in DELIMITERS:
        if d not in sample:
            continue
        try:
            widths = [len(r) for r in csv.reader(io.StringIO(sample, newline=""), delimiter=d) if r]
        except csv.Error:
            continue
        lines = [ln for ln in sample.split("\n") if ln.strip()]
        for ws in (widths, [ln.count(d) + 1 for ln in lines]):
            common = Counter(w for w in ws if w > 1).most_common(1)
            if not common:
                continue
            width, count = common[0]
            score = (round(count / len(ws), 2), width)
            if score > best_score:
                best, best_score = d, score
    return best


class _Lines:
    """An iterator of lines that remembers the lines of the record being parsed."""

    def __init__(self, lines: Iterator[str]):
        self._it = lines
        self.buf: list[str] = []
        self.count = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = next(self._it)
        self.buf.append(line)
        self.count += 1
        return line


def _looks_swallowed(record: list[str], lines: list[str], delimiter: str, width: int) -> bool:
    """True when a record spanning several lines holds, inside a field, lines that are
    whole rows of their own: a quote opened and never closed where it should be."""
    if len(lines) < 2 or width < 2:
        return False
    need = max(3, width) - 1
    for line in lines[1:]:
        if line.count(delimiter) >= need:
            fields = next(csv.reader([line.rstrip("\r\n")], delimiter=delimiter), [])
            if len(fields) >= max(3, width) and '"' not in fields[0]:
                return True
    return False


def _unclosed(lines: list[str], delimiter: str) -> bool:
    """A record whose quotes do not pair up: a field's quote was never closed (csv then
    reads to the end of the file)."""
    if sum(line.count('"') for line in lines) % 2 == 0:
        return False
    first = lines[0]
    return first.startswith('"') or (delimiter + '"') in first or len(lines) > 1


def parse_lines(
    lines: Iterable[str], delimiter: str
) -> tuple[list[list[object]], list[int], list]:
    """(rows, starting line of each row, problems as (message, row))."""
    src = _Lines(iter(lines))
    rows: list[list[object]] = []
    starts: list[int] = []
    problems: list = []
    width = 0
    while True:
        reader = csv.reader(src, delimiter=delimiter)
        try:
            for rec in reader:
                first = src.count - len(src.buf) + 1
                if width == 0 and len(rec) > 1:
                    width = len(rec)
                if _unclosed(src.buf, delimiter) or (
                    len(src.buf) > 1 and _looks_swallowed(rec, src.buf, delimiter, width)
                ):
                    _reparse(src.buf, first, delimiter, rows, starts, problems)
                else:
                    rows.append(rec)  # type: ignore[arg-type]
                    starts.append(first)
                src.buf = []
            break
        except csv.Error:
            # a field over the limit (or a line csv cannot take): read those lines one by one
            first = src.count - len(src.buf) + 1
            _reparse(src.buf, first, delimiter, rows, starts, problems, limit=True)
            src.buf = []
    return rows, starts, problems


def _reparse(
    buf: list[str],
    first: int,
    delimiter: str,
    rows: list[list[object]],
    starts: list[int],
    problems: list,
    limit: bool = False,
) -> None:
    last = first + len(buf) - 1
    if limit:
        problems.append((
            f"Ett fält som börjar på rad {first} är orimligt långt (mer än "
            f"{FIELD_LIMIT // 1024 // 1024} miljoner tecken, troligen ett citattecken som aldrig "
            f"stängs); raderna {first}–{last} lästes var för sig.",
            first,
        ))
    elif last == first:
        problems.append((
            f"Citattecknet i fältet som börjar på rad {first} stängs aldrig; citattecknet lästes "
            f"som ett vanligt tecken. Kontrollera citattecknen på rad {first}.",
            first,
        ))
    else:
        problems.append((
            f"Citattecknet i fältet som börjar på rad {first} stängs inte där fältet borde "
            f"sluta, så raderna {first}–{last} skulle ha lästs som en enda anteckning. Raderna "
            f"lästes var för sig; kontrollera citattecknen på rad {first}.",
            first,
        ))
    for i, line in enumerate(buf):
        text = line.rstrip("\r\n")[:FIELD_LIMIT]
        odd = text.count('"') % 2
        try:
            rec = next(csv.reader([text], delimiter=delimiter,
                                  quoting=csv.QUOTE_NONE if odd else csv.QUOTE_MINIMAL), [])
        except csv.Error:
            rec = text.split(delimiter)
        rows.append(rec)  # type: ignore[arg-type]
        starts.append(first + i)


def parse_text(
    text: str, delimiter: str | None = None
) -> tuple[list[list[object]], list[int], str]:
    """(rows, starting line of each row, delimiter)."""
    if "_x000" in text:
        text = text.replace("_x000D_", "")
    delimiter = delimiter or sniff_delimiter(text)
    rows, starts, _problems = parse_lines(io.StringIO(text, newline=""), delimiter)
    return rows, starts, delimiter


class _Cleaner:
    """Per line: drop the BOM, control bytes and Excel's _x000D_, repair mojibake; count."""

    def __init__(self) -> None:
        self.controls = 0
        self.first_control: int | None = None
        self.chars = 0
        self.repaired = 0
        self.first_repaired: int | None = None

    def lines(self, raw: Iterable[str]) -> Iterator[str]:
        for n, line in enumerate(raw, 1):
            if n == 1 and line.startswith("\ufeff"):
                line = line[1:]
            self.chars += len(line)
            if "_x000" in line:
                line = line.replace("_x000D_", "")
            if CONTROL.search(line):
                cleaned = CONTROL.sub("", line)
                self.controls += len(line) - len(cleaned)
                if self.first_control is None:
                    self.first_control = n
                if self.controls > 1000 and self.controls > self.chars * MAX_CONTROL_SHARE:
                    raise ReadError(BINARY_MSG)
                line = cleaned
            if encoding.MOJIBAKE.search(line):
                fixed = encoding.repair(line)
                if fixed is None:
                    raise ReadError(encoding.MSG_IRREPARABLE.format(where=f" (rad {n})"))
                line = fixed
                self.repaired += 1
                if self.first_repaired is None:
                    self.first_repaired = n
            yield line

    def problems(self) -> list[str]:
        out = []
        if self.controls:
            if self.controls > self.chars * MAX_CONTROL_SHARE:
                raise ReadError(BINARY_MSG)
            out.append(
                f"{self.controls} styrtecken "
                f"(t.ex. NUL) togs bort ur filen (första på rad {self.first_control})."
            )
        if self.repaired:
            n = self.repaired
            out.append(
                encoding.MSG_REPAIRED.format(
                    n=n, what="rader" if n != 1 else "rad", first=f"rad {self.first_repaired}"
                )
            )
        return out


def _read(path: Path, enc: str) -> RawTable:
    from auditor.ingest.discover import open_regular

    with open_regular(path) as raw:
        text = io.TextIOWrapper(raw, encoding=enc, errors="strict", newline="")
        cleaner = _Cleaner()
        lines = cleaner.lines(text)
        head: list[str] = []
        size = 0
        for line in lines:
            head.append(line)
            size += len(line)
            if size >= SNIFF_CHARS:
                break
        delimiter = sniff_delimiter("".join(head))
        rows, starts, problems = parse_lines(itertools.chain(head, lines), delimiter)
    return RawTable(rows=rows, row_numbers=starts, sheet=None, problems=[*cleaner.problems(), *problems])


def read_text_table(path: Path) -> RawTable:
    check_text_size(path)
    from auditor.ingest.discover import open_regular

    with open_regular(path) as fh:
        head = fh.read(4096)
    enc = encoding.detect(head)
    try:
        return _read(path, enc)
    except UnicodeDecodeError as exc:
        if enc != "utf-8":
            raise ReadError(
                f"Filen säger sig vara {encoding.label(enc)} men innehåller ogiltiga tecken "
                f"(byte {exc.start})."
            ) from exc
    try:
        return _read(path, "cp1252")
    except UnicodeDecodeError:
        return _read(path, "latin-1")

