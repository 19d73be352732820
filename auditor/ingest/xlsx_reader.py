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
from pathlib import Path
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


def _scan(zf: zipfile.ZipFile, sheet_members: set[str]) -> dict[str, set[int]]:
    """Inflate every member once, in chunks (bounded memory); collect hidden rows of
    the worksheets. Raises ReadError on a member that is not what it declares."""
    hidden: dict[str, set[int]] = {}
    for info in zf.infolist():
        if info.is_dir():
            continue
        rows: set[int] = set()
        tail = b""
        try:
            with zf.open(info) as fh:
                while True:
                    chunk = fh.read(CHUNK)
                    if not chunk:
                        break
                    if info.filename in sheet_members:
                        buf = tail + chunk
                        for m in _ROW_HIDDEN.finditer(buf):
                            num = _ROW_NUM.search(m.group(0))
                            if num:
                                rows.add(int(num.group(1)))
                        tail = buf[-2048:]
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise ReadError(
                f"Arbetsboken är skadad eller manipulerad ({info.filename}) och lästes inte."
            ) from exc
        if rows:
            hidden[info.filename] = rows
    return hidden


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


def calamine_tables(path: Path, hidden_rows: dict[str, set[int]] | None = None) -> list[RawTable]:
    """One RawTable per worksheet, rows numbered as in Excel."""
    try:
        wb = pc.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types
        raise ReadError(
            f"Filen kunde inte läsas som Excel-arbetsbok ({_short(exc)}). "
            "Kontrollera att den är en oskadad .xlsx/.xls, eller exportera som CSV."
        ) from exc
    tables = []
    try:
        for meta in wb.sheets_metadata:
            if str(meta.typ).rsplit(".", 1)[-1] != "WorkSheet":
                continue
            name = meta.name
            problems: list[str] = []
            try:
                sheet = wb.get_sheet_by_name(name)
                rows = sheet.to_python(skip_empty_area=False)
                fill_merged(rows, getattr(sheet, "merged_cell_ranges", None))
            except Exception as exc:
                tables.append(
                    RawTable([], [], name, error=f"Bladet kunde inte läsas ({_short(exc)}).")
                )
                continue
            numbers = list(range(1, len(rows) + 1))
            if str(meta.visible).rsplit(".", 1)[-1] != "Visible":
                problems.append("Bladet är dolt i arbetsboken men lästes ändå.")
            hidden = sorted((hidden_rows or {}).get(name, ()))
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
        hidden_by_member = _scan(zf, set(parts.values()))
    finally:
        zf.close()
    hidden = {name: hidden_by_member[m] for name, m in parts.items() if m in hidden_by_member}
    return calamine_tables(path, hidden)


def _short(exc: Exception) -> str:
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return msg[:200]
