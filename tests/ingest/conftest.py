"""Shared helpers for the ingest tests.

Personnummer here come from Skatteverket's published test series only
(shared/data/testpersonnummer.txt, testsamordningsnummer.txt); test_personnummer
checks that each of them is in those lists.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from auditor.ingest import LoadedInput, read_inputs

FIXTURES = Path(__file__).parent / "fixtures"

# Skatteverket test personnummer (CC0)
P1 = "199001012385"
P2 = "199001032383"
P3 = "199001032391"
P_1890 = "189001019802"  # 100+ years old: "900101+9802"
P_2001 = "200101012383"  # Excel drops one leading zero: 101012383
P_2000 = "200001012384"  # Excel drops two leading zeros: 1012384
# Skatteverket test samordningsnummer (CC0): day + 60
S_1914 = "191401682396"
S_2010 = "201000802395"  # month 00, day 60+20
ALL_TEST_NUMBERS = (P1, P2, P3, P_1890, P_2001, P_2000, S_1914, S_2010)


def dash(p: str) -> str:
    """12 digits -> YYYYMMDD-NNNN."""
    return f"{p[:8]}-{p[8:]}"


def short(p: str, sep: str = "-") -> str:
    """12 digits -> YYMMDD-NNNN (or with '+')."""
    return f"{p[2:8]}{sep}{p[8:]}"


def write(
    tmp_path: Path, name: str, text: str, encoding: str = "utf-8", newline: str = "\n"
) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path


def read_one(path: Path | str, **kw) -> LoadedInput:
    loaded = read_inputs([path], **kw)
    assert len(loaded) == 1, [li.report.to_json() for li in loaded]
    return loaded[0]


def messages(li: LoadedInput) -> list[str]:
    return [p.message for p in li.report.problems]


def assert_balanced(li: LoadedInput) -> None:
    r = li.report
    assert r.rows_read == r.rows_used + r.rows_excluded + r.rows_rejected, r.to_json()
    assert r.rows_excluded == sum(r.excluded.values())
    if li.frame is not None:
        assert len(li.frame) == r.rows_used


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """An XLSX with the given sheets (rows as lists; None = empty cell)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def set_cached_values(path: Path, sheet_xml: str, values: dict[str, str]) -> None:
    """Give formula cells a cached (string) value, as Excel does when it saves;
    openpyxl writes formulas without one."""
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    xml = parts[sheet_xml].decode()
    for ref, value in values.items():
        xml, n = re.subn(
            rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*/>',
            rf'<c r="{ref}"\1 t="str"><f>\2</f><v>{value}</v>',
            xml,
        )
        assert n == 1, ref
    parts[sheet_xml] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


@pytest.fixture
def journal_rows() -> list[list[object]]:
    return [
        ["Personnummer", "Datum", "Anteckning", "Signatur"],
        [dash(P1), "2024-05-31 14:30", "Brukaren tackade nej till dusch.", "Anna"],
        [dash(P2), "2024-06-01", "Promenad.", "Bo"],
    ]
