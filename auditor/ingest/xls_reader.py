"""Legacy .xls (BIFF, through calamine, else xlrd) and HTML tables saved as .xls by
web report engines (through the standard library's HTML parser)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from auditor.ingest import encoding
from auditor.ingest.safety import check_text_size
from auditor.ingest.table import RawTable, ReadError
from auditor.ingest.xlsx_reader import calamine_tables, fill_merged


def read_xls(path: Path) -> list[RawTable]:
    try:
        return calamine_tables(path)
    except ReadError as first:
        try:
            return _xlrd_tables(path)
        except ReadError:
            raise first from None


def _xlrd_tables(path: Path) -> list[RawTable]:
    try:
        import xlrd
    except ImportError as exc:  # pragma: no cover - xlrd is a dependency
        raise ReadError(
            "Det gamla Excel-formatet (.xls) kan inte läsas här; spara om som .xlsx."
        ) from exc
    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except Exception as exc:
        raise ReadError(
            "Filen kunde inte läsas som Excel 97–2003 (.xls); den kan vara lösenordsskyddad "
            "eller skadad. Spara om den som .xlsx."
        ) from exc
    tables = []
    for sh in book.sheets():
        rows: list[list[object]] = []
        for r in range(sh.nrows):
            row: list[object] = []
            for c in range(sh.ncols):
                cell = sh.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    try:
                        row.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                    except Exception:
                        row.append(cell.value)
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                    row.append("")
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    row.append(bool(cell.value))
                else:
                    row.append(cell.value)
            rows.append(row)
        fill_merged(rows, [((r1, c1), (r2 - 1, c2 - 1)) for r1, r2, c1, c2 in sh.merged_cells])
        numbers = list(range(1, len(rows) + 1))
        table = RawTable(rows, numbers, sh.name)
        hidden = [r + 1 for r, info in sh.rowinfo_map.items() if getattr(info, "hidden", 0)]
        if hidden:
            table.problems.append(
                f"Bladet har {len(hidden)} {'dold rad' if len(hidden) == 1 else 'dolda rader'}; de lästes och granskades som övriga rader."
            )
        try:
            table.problems += encoding.repair_cells(rows, numbers)
        except ReadError as exc:
            table.error = str(exc)
        tables.append(table)
    return tables


class _Tables(HTMLParser):
    """Collect the cells of every <table>; colspan repeats a cell's value."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._stack: list[list[list[str]]] = []
        self._cell: list[str] | None = None
        self._span = 1

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._stack.append([])
        elif not self._stack:
            return
        elif tag == "tr":
            self._stack[-1].append([])
        elif tag in ("td", "th"):
            if not self._stack[-1]:
                self._stack[-1].append([])
            self._cell = []
            try:
                self._span = max(1, min(int(dict(attrs).get("colspan") or 1), 1000))
            except ValueError:
                self._span = 1
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._stack:
            text = "".join(self._cell)
            text = "\n".join(" ".join(part.split()) for part in text.split("\n")).strip()
            self._stack[-1][-1].extend([text] * self._span)
            self._cell = None
        elif tag == "table" and self._stack:
            self.tables.append(self._stack.pop())

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def read_html(path: Path) -> list[RawTable]:
    check_text_size(path)
    text, _enc = encoding.decode(path.read_bytes())
    text, problems = encoding.repair_lines(text)
    parser = _Tables()
    try:
        parser.feed(text)
        parser.close()
    except Exception as exc:
        raise ReadError(
            "HTML-filen kunde inte tolkas; spara om exporten som .xlsx eller .csv."
        ) from exc
    tables = [t for t in parser.tables if t]
    if not tables:
        raise ReadError("Filen är en webbsida (HTML) utan tabell och är ingen export.")
    out = []
    for i, rows in enumerate(tables, 1):
        name = None if len(tables) == 1 else f"Tabell {i}"
        out.append(RawTable([list(r) for r in rows], list(range(1, len(rows) + 1)), name, list(problems)))
    return out
