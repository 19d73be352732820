"""Workbooks: sheets, title rows, merged cells, hidden rows, formulas, Excel damage,
safety (zip bombs), and files whose content is not what the extension says."""

from __future__ import annotations

import time as clock
import zipfile
from datetime import datetime, time

import openpyxl
import pandas as pd

from auditor.ingest import read_inputs
from auditor.ingest.xls_reader import _xlrd_tables

from .conftest import (
    FIXTURES,
    P1,
    P2,
    P3,
    P_2001,
    assert_balanced,
    dash,
    messages,
    read_one,
    set_cached_values,
    workbook,
    write,
)


def test_several_sheets_one_input_each_with_sheet_rows(tmp_path):
    path = workbook(
        tmp_path / "export.xlsx",
        {
            "Solgläntan": [
                ["Journalanteckningar – Solgläntan"],
                ["Period: maj 2024"],
                [],
                ["Personnummer", "Datum", "Anteckning"],
                [dash(P1), "2024-05-31", "En"],
                [dash(P2), "2024-05-31", "Två"],
                ["Summa", 2, None],
            ],
            "Björkbacken": [
                ["Personnummer", "Datum", "Status", "Planerad start"],
                [dash(P3), datetime(2024, 5, 31, 8, 0), "Utförd", time(8, 0)],
            ],
            "Blad3": [],
        },
    )
    loaded = read_inputs([path])
    assert [(li.report.sheet, li.report.kind) for li in loaded] == [
        ("Solgläntan", "journal"),
        ("Björkbacken", "besok"),
        ("Blad3", "skipped"),
    ]
    j, b, empty = loaded
    assert j.frame["_row"].tolist() == [5, 6]
    assert j.frame["_sheet"].tolist() == ["Solgläntan"] * 2
    assert j.report.rows_read == 3 and j.report.excluded == {"sidfot": 1}
    assert b.frame["planerad_start"].tolist() == ["08:00"]
    assert empty.report.error == "Bladet 'Blad3' är tomt."
    for li in loaded:
        assert_balanced(li)
        assert li.report.sha256 == j.report.sha256 and len(li.report.sha256) == 64


def test_merged_cells_filled(tmp_path):
    path = tmp_path / "m.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Rapport", None, None, None])
    ws.merge_cells("A1:D1")
    ws.append(["Personnummer", "Namn", "Datum", "Anteckning"])
    ws.append([dash(P1), "Andersson, Anna", "2024-05-30", "Första"])
    ws.append([None, None, "2024-05-31", "Andra"])
    ws.append([None, None, "2024-06-01", "Tredje"])
    ws.merge_cells("A3:A5")
    ws.merge_cells("B3:B5")
    wb.save(path)
    li = read_one(path)
    assert li.frame["case"].tolist() == [P1] * 3
    assert li.frame["namn"].tolist() == ["Andersson, Anna"] * 3
    assert_balanced(li)


def test_hidden_rows_read_and_reported(tmp_path):
    path = tmp_path / "h.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Personnummer", "Datum", "Anteckning"])
    ws.append([dash(P1), "2024-05-31", "Synlig"])
    ws.append([dash(P2), "2024-05-31", "Dold"])
    ws.row_dimensions[3].hidden = True
    wb.save(path)
    li = read_one(path)
    assert li.frame["text"].tolist() == ["Synlig", "Dold"]
    assert any("1 dold rad (rad 3)" in m for m in messages(li))


def test_formulas_give_cached_values(tmp_path):
    path = workbook(
        tmp_path / "f.xlsx",
        {
            "Blad1": [
                ["Personnummer", "Datum", "Anteckning", "Enhet"],
                [dash(P1), "2024-05-31", "Text", '="Enhet "&"A"'],
            ]
        },
    )
    set_cached_values(path, "xl/worksheets/sheet1.xml", {"D2": "Enhet A"})
    li = read_one(path)
    assert li.frame["enhet"].tolist() == ["Enhet A"]


def test_excel_typed_cells(tmp_path):
    path = workbook(
        tmp_path / "t.xlsx",
        {
            "Uppdrag": [
                ["Personnummer", "Beslut datum", "Verkställd", "Tim/vecka", "Sekretessmarkering"],
                [int(P1), datetime(2024, 5, 2), 45443, 12.5, "Ja"],  # serial in a number cell
                [int(P_2001[2:]), "2024-05-02", "31.05.2024", "1 234,5", "Nej"],  # lost zero
            ]
        },
    )
    li = read_one(path)
    assert li.kind == "uppdrag", li.report.error
    f = li.frame
    assert f["case"].tolist() == [P1, P_2001]
    assert f["verkstallighetsdatum"].tolist() == [pd.Timestamp("2024-05-31")] * 2
    assert f["beviljad_tid"].tolist() == [12.5, 1234.5]
    assert f["skyddad"].tolist() == [True, False]
    assert any("tappat sin inledande nolla" in m and "återställdes" in m for m in messages(li))


def test_duplicate_headers_first_wins_and_reported(tmp_path):
    path = workbook(
        tmp_path / "d.xlsx",
        {
            "Blad1": [
                ["Personnummer", "Datum", "Anteckning", "Anteckning"],
                [dash(P1), "2024-05-31", "Första", "Andra"],
            ]
        },
    )
    li = read_one(path)
    assert li.frame["text"].tolist() == ["Första"]
    assert any("avser samma kolumn" in m and "den första används" in m for m in messages(li))


def test_mojibake_in_cells_repaired_and_reported(tmp_path):
    path = workbook(
        tmp_path / "mj.xlsx",
        {
            "Blad1": [
                ["Personnummer", "Datum", "Anteckning"],
                [dash(P1), "2024-05-31", "Brukaren Ã¤r nÃ¶jd"],
            ]
        },
    )
    li = read_one(path)
    assert li.frame["text"].tolist() == ["Brukaren är nöjd"]
    assert any("Trasig teckenkodning" in m for m in messages(li))


def test_zip_bomb_refused_quickly(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (64 * 1024 * 1024))  # 64 MB of zeros
    assert path.stat().st_size < 200_000
    start = clock.perf_counter()
    li = read_one(path)
    assert clock.perf_counter() - start < 1.0
    assert li.report.kind == "unreadable" and "zip-bomb" in li.report.error


def test_zip_with_lying_sizes_refused(tmp_path):
    path = tmp_path / "lie.xlsx"
    payload = b"<row/>" * 200_000
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", payload)
    data = bytearray(path.read_bytes())
    # declare 1000 bytes uncompressed in both headers of the sheet member
    size = len(payload).to_bytes(4, "little")
    data = data.replace(size, (1000).to_bytes(4, "little"))
    path.write_bytes(bytes(data))
    li = read_one(path)
    assert li.report.kind == "unreadable" and "skadad eller manipulerad" in li.report.error


def test_corrupt_workbook_is_unreadable_not_a_crash(tmp_path):
    path = tmp_path / "trasig.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    li = read_one(path)
    assert li.report.kind == "unreadable" and li.report.error


def test_content_decides_not_extension(tmp_path):
    # an XLSX named .csv, and tab-separated text named .xls
    xlsx = workbook(
        tmp_path / "a.xlsx",
        {"Blad1": [["Personnummer", "Datum", "Anteckning"], [P1, "2024-05-31", "x"]]},
    )
    renamed = tmp_path / "renamed.csv"
    renamed.write_bytes(xlsx.read_bytes())
    tsv = write(tmp_path, "webb.xls", f"Personnummer\tDatum\tAnteckning\n{P1}\t2024-05-31\tx\n")
    assert read_one(renamed).kind == "journal"
    assert read_one(tsv).kind == "journal"


def test_html_saved_as_xls(tmp_path):
    html = (
        "<html><body><h1>Rapport</h1><table>"
        "<tr><th>Personnummer</th><th>Datum</th><th>Anteckning</th></tr>"
        f"<tr><td>{dash(P1)}</td><td>2024-05-31</td><td>Rad ett<br>rad &auml;tta</td></tr>"
        "</table></body></html>"
    )
    li = read_one(write(tmp_path, "rapport.xls", html))
    assert li.kind == "journal", li.report.error
    assert li.frame["text"].tolist() == ["Rad ett\nrad ätta"]
    assert li.frame["_row"].tolist() == [2]


def test_html_without_table_rejected(tmp_path):
    li = read_one(write(tmp_path, "sida.xls", "<html><body>Inget här</body></html>"))
    assert li.report.kind == "unreadable" and "utan tabell" in li.report.error


def test_legacy_xls_read(tmp_path):
    loaded = read_inputs([FIXTURES / "besok_legacy.xls"])
    assert [(li.report.sheet, li.report.kind) for li in loaded] == [
        ("Besök", "besok"),
        ("Blad2", "skipped"),
    ]
    f = loaded[0].frame
    assert f["case"].tolist() == [P1, P2]
    assert f["datum"].tolist() == [pd.Timestamp("2024-05-31"), pd.Timestamp("2024-06-01")]
    assert f["planerad_start"].tolist() == ["08:00", "12:30"]
    assert f["_row"].tolist() == [4, 5]
    assert loaded[0].report.excluded == {"sidfot": 1}


def test_legacy_xls_xlrd_fallback():
    tables = _xlrd_tables(FIXTURES / "besok_legacy.xls")
    assert [t.sheet for t in tables] == ["Besök", "Blad2"]
    # the merged title row is filled across its range
    assert tables[0].rows[0][:5] == ["Insatstillfällen maj 2024"] * 5
    assert tables[0].rows[3][1] == datetime(2024, 5, 31)


def test_unreadable_ole2_file(tmp_path):
    path = tmp_path / "krypterad.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    li = read_one(path)
    assert li.report.kind == "unreadable" and li.report.error


def test_cell_line_breaks_and_x000d_artefacts(tmp_path):
    path = workbook(
        tmp_path / "x.xlsx",
        {
            "Blad1": [
                ["Personnummer", "Datum", "Anteckning"],
                [dash(P1), "2024-05-31", "Rad ett\r\nrad två"],
                [dash(P2), "2024-05-31", "Första_x000D_\nandra"],
            ]
        },
    )
    li = read_one(path)
    assert li.frame["text"].tolist() == ["Rad ett\nrad två", "Första\nandra"]
