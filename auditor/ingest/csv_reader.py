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
BATCH_LINES = 2000
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
    rows: list[list[object]] = []
    starts: list[int] = []
    problems: list = []
    _parse_stream(lines, delimiter, rows, starts, problems, 0, 0)
    return rows, starts, problems


def parse_batches(
    batches: Iterable[list[str]], delimiter: str
) -> tuple[list[list[object]], list[int], list]:
    """``parse_lines`` for lines that come in lists, with the same rows, line numbers and
    problems: csv parses a whole list at a time and the lines of each record are found
    from the reader's line count, so the per-line bookkeeping of ``parse_lines`` is only
    done for records that need a second look (an odd number of quotes, or several lines).
    A record still open at the end of a list goes on in the next. A field csv refuses, or
    a quoted field that stays open for more than a list's worth of lines, is left to
    ``parse_lines``' own loop from there on."""
    rows: list[list[object]] = []
    starts: list[int] = []
    problems: list = []
    width = 0
    done = 0  # lines parsed so far
    carry: list[str] = []
    it = iter(batches)
    for batch in itertools.chain(it, [None]):
        final = batch is None
        lines = carry + batch if carry and batch else (batch or carry)
        if len(carry) > BATCH_LINES:  # a quote left open for long: the careful way
            _parse_stream(itertools.chain(lines, itertools.chain.from_iterable(it)),
                          delimiter, rows, starts, problems, done, width)
            return rows, starts, problems
        carry = []
        if not lines:
            continue
        odd = [i for i, c in enumerate(map(str.count, lines, itertools.repeat('"'))) if c & 1]
        reader = csv.reader(lines, delimiter=delimiter)
        recs: list[list[str]] = []
        ends: list[int] = []
        try:
            if not odd:  # most likely one line per record: no line numbers needed
                recs = list(reader)
                if len(recs) != len(lines):
                    recs = []
                    reader = csv.reader(lines, delimiter=delimiter)
                else:
                    ends = list(range(1, len(lines) + 1))
            if not ends:
                for rec in reader:
                    recs.append(rec)
                    ends.append(reader.line_num)
        except csv.Error:
            _parse_stream(itertools.chain(lines, itertools.chain.from_iterable(it)),
                          delimiter, rows, starts, problems, done, width)
            return rows, starts, problems
        if not final and recs:
            begin = ends[-2] if len(ends) > 1 else 0
            if not _closes(lines[begin:], delimiter):
                # the last record may go on in the next list
                carry = lines[begin:]
                lines = lines[:begin]
                del recs[-1], ends[-1]
        # the table's width as parse_lines knows it at each record: the first record's
        # with more than one field (0 before it)
        wide_from = 0
        if width == 0:
            wide_from = next((i for i, r in enumerate(recs) if len(r) > 1), len(recs))
            width = len(recs[wide_from]) if wide_from < len(recs) else 0
        look: list[int] = []  # records that get the second look, and their lines
        spans: list[tuple[int, int]] = []
        if len(recs) == len(lines):  # one line per record
            look = [i for i in odd if i < len(lines) and _unclosed([lines[i]], delimiter)]
            spans = [(i, i + 1) for i in look]
        else:
            begin = 0
            for i, end in enumerate(ends):
                if end - begin > 1 or lines[begin].count('"') & 1:
                    buf = lines[begin:end]
                    if _unclosed(buf, delimiter) or (
                        len(buf) > 1
                        and _looks_swallowed(recs[i], buf, delimiter, width if i >= wide_from else 0)
                    ):
                        look.append(i)
                        spans.append((begin, end))
                begin = end
        first_line = [0, *ends]  # record i starts after line first_line[i]
        at = 0
        for i, (a, b) in zip(look, spans, strict=True):
            rows.extend(recs[at:i])  # type: ignore[arg-type]
            starts.extend([done + e + 1 for e in first_line[at:i]])
            _reparse(lines[a:b], done + a + 1, delimiter, rows, starts, problems)
            at = i + 1
        rows.extend(recs[at:])  # type: ignore[arg-type]
        starts.extend([done + e + 1 for e in first_line[at:len(recs)]])
        done += len(lines)
    return rows, starts, problems


def _closes(lines: list[str], delimiter: str) -> bool:
    """Whether csv ends the record of ``lines`` at their end (no quoted field left open)."""
    return len(list(csv.reader([*lines, "x\n"], delimiter=delimiter))) == 2


def _parse_stream(
    lines: Iterable[str],
    delimiter: str,
    rows: list[list[object]],
    starts: list[int],
    problems: list,
    offset: int,
    width: int,
) -> None:
    """Parse record by record, keeping each record's lines: lines after the first
    ``offset`` lines of the input; ``width`` the first record's width (0: not yet seen)."""
    src = _Lines(iter(lines))
    src.count = offset
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

    def batches(self, raw: Iterable[str], size: int | None = None) -> Iterator[list[str]]:
        """The lines in lists of ``size``, each line cleaned as ``lines`` cleans it; a list
        with nothing to clean (checked in C) is passed on as it is."""
        size = max(1, size or BATCH_LINES)
        it = iter(raw)
        n = 0
        while True:
            batch: list[str] = []
            error: BaseException | None = None
            try:
                batch.extend(itertools.islice(it, size))
            except Exception as exc:  # a decoding error: the lines before it first, as ``lines``
                error = exc
            got = len(batch)
            if batch:
                if n == 0 and batch[0].startswith("\ufeff"):
                    batch[0] = batch[0][1:]
                # one search over the list's text (no match can span a line end)
                text = "".join(batch)
                if CONTROL.search(text) or "_x000" in text or encoding.MOJIBAKE.search(text):
                    batch = [self._clean(line, n + i) for i, line in enumerate(batch, 1)]
                else:
                    self.chars += len(text)
                del text
                n += len(batch)
                yield batch
            if error is not None:
                raise error
            if got < size:
                return

    def lines(self, raw: Iterable[str]) -> Iterator[str]:
        for n, line in enumerate(raw, 1):
            if n == 1 and line.startswith("\ufeff"):
                line = line[1:]
            yield self._clean(line, n)

    def _clean(self, line: str, n: int) -> str:
        """One line (number ``n``), its BOM already dropped."""
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
        return line

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
        batches = cleaner.batches(text)
        head: list[list[str]] = []
        size = 0
        for batch in batches:
            head.append(batch)
            size += sum(map(len, batch))
            if size >= SNIFF_CHARS:
                break
        # the sniffer reads the first SNIFF_CHARS characters: the same from more lines
        delimiter = sniff_delimiter("".join(itertools.chain.from_iterable(head)))
        rows, starts, problems = parse_batches(itertools.chain(head, batches), delimiter)
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

