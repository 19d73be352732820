"""Workbooks: values through python-calamine (fast, cached formula values), plus
what calamine does not say (hidden rows) from one streaming pass over the zip.

The streaming pass also proves every member inflates to no more than its declared
size (zipfile stops there and checks the CRC), so a zip with lying headers is
refused before calamine opens it. Merged ranges are filled with their top-left
value, so a client name merged over several rows reaches every row.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast
from xml.etree import ElementTree as ET

import python_calamine as pc

from auditor.ingest import encoding
from auditor.ingest.safety import check_zip
from auditor.ingest.table import RawTable, ReadError

CHUNK = 4 * 1024 * 1024
_ROW_HIDDEN = re.compile(rb'<(?:\w+:)?row\b[^>]*?\bhidden="(?:1|true)"[^>]*>')
_ROW_NUM = re.compile(rb'\br="(\d+)"')
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """sheet name -> zip member of its XML."""
    try:
        wb = ET.fromstring(zf.read("xl/workbook.xml"))
        rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ET.ParseError):
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG}Relationship")}
    out = {}
    for sh in wb.iter(f"{_NS_MAIN}sheet"):
        target = targets.get(sh.get(f"{_NS_REL}id"), "")
        if not target:
            continue
        member = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join("xl", target))
        )
        out[sh.get("name", "")] = member
    return out


MAX_COLUMNS = 1000  # columns of one sheet's used area
MAX_CELLS = 12_000_000  # rows x columns of one sheet's used area (1 M rows x 12 columns)
MAX_MARKED = 10_000  # formula/error cells whose positions are kept
FORMULA_NO_VALUE = "#SAKNAR VÄRDE"
_ROW_REF = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d{1,5})"')
_FAR_ROW_TAG = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d{6,})"')
# cells with content (not self-closing: a formatted empty cell allocates nothing)
_WIDE_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{2,})(\d+)"[^>]*(?<!/)>')
_FAR_ROW = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="[A-Z]+(\d{6,})"[^>]*(?<!/)>')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*\bref="[A-Z]*\d*:?([A-Z]+)\d+"')
# the fast forms of the patterns above, for sheets without namespace prefixes
_PLAIN_ROW = re.compile(rb'<row\b[^>]*?\br="(\d+)"')
_FAR_OR_WIDE = re.compile(rb'r="(?:[A-Z]{2,}\d|[A-Z]+\d{6})')
_SIX_DIGITS = re.compile(rb'r="\d{6}')
_CELL_OPEN = re.compile(rb'<(?:\w+:)?c\b[^>]*>')
_CELL_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\b([^>]*\bt="e"[^>]*)>.*?<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>', re.S)
_FORMULA_NO_VALUE = re.compile(
    rb'(?:</(?:\w+:)?f>|<(?:\w+:)?f\b[^>]*/>)\s*(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>|</(?:\w+:)?c>)'
)


def _n(x: int) -> str:
    return f"{x:,}".replace(",", "\u00a0")


def column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def column_letters(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


@dataclass
class SheetScan:
    """What one worksheet's XML says before any reader allocates its grid."""

    hidden: set[int] = field(default_factory=set)
    max_row: int = 0
    max_col: int = 26  # below AA nothing is recorded: that is always small
    far_cell: str = ""
    errors: list[tuple[int, int, str]] = field(default_factory=list)  # (row, col, "#REF!")
    formulas: list[tuple[int, int]] = field(default_factory=list)
    n_errors: int = 0
    n_formulas: int = 0
    dim_col: int = 0  # last column of the sheet's declared <dimension>, when it has one


    def feed(self, buf: bytes) -> None:
        # Each pattern below is tried only where a plain substring search (or a pattern
        # that starts with a literal, which re finds fast) shows it could match.
        if not self.dim_col and b"dimension" in buf:
            dim = _DIMENSION.search(buf)
            if dim:
                self.dim_col = column_number(dim.group(1).decode("ascii"))
        if b"hidden=" in buf:
            for m in _ROW_HIDDEN.finditer(buf):
                num = _ROW_NUM.search(m.group(0))
                if num:
                    self.hidden.add(int(num.group(1)))
        # rows: with no namespaced row tag and no six-digit number after any r=, the
        # rows' numbers are those of <row ... r="...">, found by a literal-led pattern
        if b":row" not in buf and not _SIX_DIGITS.search(buf):
            nums = _PLAIN_ROW.findall(buf)
            if nums:
                self._bound(max(map(int, nums)), 0, None)
        else:
            for m in _ROW_REF.finditer(buf):
                self._bound(int(m.group(1)), 0, m)
            for m in _FAR_ROW_TAG.finditer(buf):
                end = buf.find(b"</row>", m.end())
                if b"</c>" in buf[m.end() : end if end >= 0 else len(buf)]:
                    self._bound(int(m.group(1)), 0, m)
        # cells far down or right: only where some r= says so
        if _FAR_OR_WIDE.search(buf):
            for m in _FAR_ROW.finditer(buf):
                self._bound(int(m.group(1)), 0, m)
            for m in _WIDE_REF.finditer(buf):
                self._bound(int(m.group(2)), column_number(m.group(1).decode("ascii")), m)
        if b't="e"' in buf:
            for m in _ERROR_CELL.finditer(buf):
                ref = _CELL_REF.search(m.group(1))
                self.n_errors += 1
                if ref and len(self.errors) < MAX_MARKED:
                    value = m.group(2).decode("utf-8", "replace").strip()[:20] or "#FEL"
                    self.errors.append((int(ref.group(2)), column_number(ref.group(1).decode()), value))
        if b"<f" in buf or b":f" in buf:
            for m in _FORMULA_NO_VALUE.finditer(buf):
                self.n_formulas += 1
                if len(self.formulas) >= MAX_MARKED:
                    continue
                at = buf.rfind(b"<c ", 0, m.start())
                if at < 0:
                    at = buf.rfind(b":c ", 0, m.start())
                cell = _CELL_OPEN.match(buf, at if buf[at:at + 1] == b"<" else at - 2) if at >= 0 else None
                ref = _CELL_REF.search(cell.group(0)) if cell else None
                if ref:
                    self.formulas.append((int(ref.group(2)), column_number(ref.group(1).decode())))

    def _bound(self, row: int, col: int, m: re.Match[bytes] | None) -> None:
        if row > self.max_row:
            self.max_row = row
        if col > self.max_col:
            self.max_col = col
        if m is not None and (row >= 1_000_000 or col > MAX_COLUMNS) and not self.far_cell:
            ref = _CELL_REF.search(m.group(0))
            if ref and not m.group(0).lstrip(b"<").split(b" ")[0].endswith(b"row"):
                self.far_cell = ref.group(1).decode() + ref.group(2).decode()

    def too_large(self) -> str | None:
        """A Swedish refusal when the sheet's used area is too large to hold in memory."""
        rows, cols = self.max_row, self.max_col
        if cols == 26 and 0 < self.dim_col < 26:  # no cell beyond Z: the declared width holds
            cols = self.dim_col
        if cols <= MAX_COLUMNS and rows * cols <= MAX_CELLS:
            return None
        where = f" (cell {self.far_cell})" if self.far_cell else ""
        return (
            f"Bladet har ifyllda celler ända ut till rad {_n(rows)} och kolumn {column_letters(cols)}"
            f"{where}, ett område på {_n(rows * cols)} celler. Så stora blad läses inte (gränsen "
            f"är {_n(MAX_CELLS)} celler och {MAX_COLUMNS} kolumner). Ta bort celler långt utanför "
            "tabellen eller dela upp exporten."
        )


def _scan(zf: zipfile.ZipFile, sheet_members: set[str]) -> dict[str, SheetScan]:
    """Inflate every member once, in chunks (bounded memory); scan the worksheets for
    their used area, hidden rows, error cells and formulas without a value. Raises
    ReadError on a member that is not what it declares."""
    scans: dict[str, SheetScan] = {}
    for info in zf.infolist():
        if info.is_dir():
            continue
        scan = SheetScan() if info.filename in sheet_members else None
        tail = b""
        try:
            with zf.open(info) as fh:
                while True:
                    chunk = fh.read(CHUNK)
                    if scan is None:
                        if not chunk:
                            break
                        continue
                    buf = tail + chunk
                    if not chunk:
                        scan.feed(buf)
                        break
                    cut = max(buf.rfind(b"</c>"), buf.rfind(b"</row>"))
                    if cut < 0:
                        if len(buf) > 4 * CHUNK:  # no cell end in 16 MB: scan what there is
                            scan.feed(buf)
                            tail = b""
                        else:
                            tail = buf
                        continue
                    cut = buf.index(b">", cut) + 1
                    scan.feed(buf[:cut])
                    tail = buf[cut:]
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise ReadError(
                f"Arbetsboken är skadad eller manipulerad ({info.filename}) och lästes inte."
            ) from exc
        if scan is not None:
            scans[info.filename] = scan
    return scans


def fill_merged(rows: list[list[object]], ranges) -> None:
    """Give every cell of a merged range the range's top-left value."""
    height = len(rows)
    for (r1, c1), (r2, c2) in ranges or ():
        if r1 >= height:
            continue
        top = rows[r1]
        value = top[c1] if c1 < len(top) else ""
        for r in range(r1, min(r2, height - 1) + 1):
            row = rows[r]
            if len(row) <= c2:
                row.extend([""] * (c2 + 1 - len(row)))
            for c in range(c1, c2 + 1):
                row[c] = value


def calamine_tables(path: Path, scans: dict[str, SheetScan] | None = None) -> list[RawTable]:
    """One RawTable per worksheet, rows numbered as in Excel."""
    try:
        wb = pc.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types
        raise ReadError(
            "Filen kunde inte läsas som Excel-arbetsbok: den är skadad, lösenordsskyddad eller i "
            "ett format som inte stöds. Kontrollera att den är en oskadad .xlsx/.xls, eller "
            "exportera som CSV."
        ) from exc
    tables = []
    try:
        for meta in wb.sheets_metadata:
            if str(meta.typ).rsplit(".", 1)[-1] != "WorkSheet":
                continue
            name = meta.name
            problems: list[str] = []
            scan = (scans or {}).get(name)
            refusal = scan.too_large() if scan else None
            if refusal:
                tables.append(RawTable([], [], name, error=refusal))
                continue
            try:
                sheet = wb.get_sheet_by_name(name)
                rows = cast("list[list[object]]", sheet.to_python(skip_empty_area=False))
                fill_merged(rows, getattr(sheet, "merged_cell_ranges", None))
            except Exception:
                tables.append(
                    RawTable([], [], name, error="Bladet kunde inte läsas (skadat eller i ett format som inte stöds).")
                )
                continue
            numbers = list(range(1, len(rows) + 1))
            if str(meta.visible).rsplit(".", 1)[-1] != "Visible":
                problems.append("Bladet är dolt i arbetsboken men lästes ändå.")
            if scan is not None:
                problems += mark_formula_cells(rows, scan)
            hidden = sorted(scan.hidden) if scan else []
            if hidden:
                shown = ", ".join(str(r) for r in hidden[:5]) + (" …" if len(hidden) > 5 else "")
                problems.append(
                    f"Bladet har {len(hidden)} {'dold rad' if len(hidden) == 1 else 'dolda rader'} (rad {shown}); de lästes och granskades som övriga rader."
                )
            table = RawTable(rows, numbers, name, problems)
            try:
                table.problems += encoding.repair_cells(rows, numbers)
            except ReadError as exc:
                table.error = str(exc)
            tables.append(table)
    finally:
        wb.close()
    return tables


def read_workbook(path: Path) -> list[RawTable]:
    zf = check_zip(path)
    try:
        parts = _sheet_parts(zf)
        by_member = _scan(zf, set(parts.values()))
    finally:
        zf.close()
    scans = {name: by_member[m] for name, m in parts.items() if m in by_member}
    return calamine_tables(path, scans)


def mark_formula_cells(rows: list[list[object]], scan: SheetScan) -> list[str]:
    """Error cells keep their error text (#REF!) and formulas without a saved value get
    "#SAKNAR VÄRDE", so their rows are counted and typed like any other; both are reported."""
    problems = []
    marks = [(r, c, v) for r, c, v in scan.errors] + [(r, c, FORMULA_NO_VALUE) for r, c in scan.formulas]
    for r, c, value in marks:
        if r < 1 or c < 1 or r > len(rows) + MAX_MARKED:
            continue
        while len(rows) < r:
            rows.append([""] * (len(rows[0]) if rows else 0))
        row = rows[r - 1]
        if len(row) < c:
            row.extend([""] * (c - len(row)))
        if row[c - 1] in ("", None):
            row[c - 1] = value
    if scan.n_errors:
        first = min(scan.errors) if scan.errors else None
        where = f" (första: {column_letters(first[1])}{first[0]}, {first[2]})" if first else ""
        problems.append(
            f"Bladet har {scan.n_errors} {'felcell' if scan.n_errors == 1 else 'felceller'}{where}. "
            "Felvärdet lästes som cellens text; rätta formeln i Excel och exportera på nytt."
        )
    if scan.n_formulas:
        first_f = min(scan.formulas) if scan.formulas else None
        where = f" (första: {column_letters(first_f[1])}{first_f[0]})" if first_f else ""
        n = scan.n_formulas
        problems.append(
            f"Bladet har {n} {'formelcell' if n == 1 else 'formelceller'} utan sparat värde{where}; "
            f"de lästes som '{FORMULA_NO_VALUE}'. Öppna och spara arbetsboken i Excel så att "
            "värdena beräknas."
        )
    return problems
