"""findings.xlsx: an action list per unit that opens safely and is byte-identical per run."""

from __future__ import annotations

import zipfile
from datetime import datetime

import report_factory as rf
from openpyxl import load_workbook

from auditor.report.xlsx import sheet_names, write_xlsx

HEADERS = [
    "Regel",
    "Allvarlighet",
    "Status",
    "Ärende/brukare",
    "Datum",
    "Meddelande",
    "Underlag (fil/rad)",
    "Utdrag",
    "Rutin",
    "Åtgärd/Kommentar",
]


def rows(ws):
    return list(ws.iter_rows(values_only=True))


def test_summary_and_one_sheet_per_unit(written):
    wb = load_workbook(written["findings.xlsx"])
    assert wb.sheetnames == [
        "Sammanfattning",
        "Boendestöd Norr",
        "Korttids <Älvsjö> & Co",
        "Ledsagning_Kontaktperson_ Syd_",
    ]
    summary = rows(wb["Sammanfattning"])
    assert summary[0][:7] == ("Enhet", "Flik", "Regel", "Brist", "Risk", "Uppfyllt", "Ej granskad")
    tn1 = next(r for r in summary if r[0] == rf.UNIT_A and r[2] == "TN1")
    assert tn1[3:7] == (2, 0, 0, 0)
    info = {r[8]: r[9] for r in summary if r[8]}
    assert info["Granskningsdatum"] == datetime(2026, 10, 1)


def test_unit_sheet_columns_order_and_layout(written):
    ws = load_workbook(written["findings.xlsx"])["Boendestöd Norr"]
    data = rows(ws)
    assert list(data[0]) == HEADERS
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:J{len(data)}"
    assert ws.column_dimensions["F"].width >= 40
    # Only what needs action, most urgent first.
    assert [(r[0], r[2]) for r in data[1:]] == [
        ("GB3", "Risk"),
        ("TN1", "Brist"),
        ("TN1", "Brist"),
        ("GB5", "Brist"),
        ("TN3", "Brist"),
    ]
    gb3 = data[1]
    assert gb3[1] == "Kritisk" and gb3[3] == "19930521-2392 – Bertil Berg"
    assert gb3[6] == "export/uppdrag.xlsx, blad Uppdrag, rad 3"
    assert gb3[7] == "Beslut 2026-07-20 boendestöd, ej verkställt."
    assert gb3[8].startswith("Verksamhetshandbok boendestöd, avsnitt Att tänka på")
    assert gb3[9] is None


def test_dates_are_real_dates(written):
    ws = load_workbook(written["findings.xlsx"])["Boendestöd Norr"]
    cell = ws["E2"]
    assert cell.is_date and cell.value == datetime(2026, 10, 20)
    assert cell.number_format == "yyyy-mm-dd"


def test_formula_text_stays_inert(written):
    wb = load_workbook(written["findings.xlsx"])
    seen = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r"))
                    if "HYPERLINK" in cell.value:
                        seen.append(cell.value)
    assert '\'=HYPERLINK("http://x") gå promenader' in seen
    with zipfile.ZipFile(written["findings.xlsx"]) as z:
        for name in z.namelist():
            assert b"<f>" not in z.read(name), name


def test_dangerous_starts_are_neutralised(tmp_path):
    texts = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx", "vanlig text", "a\x00b\x1fc"]
    findings = [
        rf.finding(
            "TN3",
            "violation",
            rf.UNIT_A,
            rf.ANNA,
            rf.AS_OF,
            t,
            [rf.ev(t, None, 1, rf.AS_OF)],
            key=str(i),
        )
        for i, t in enumerate(texts)
    ]
    path = write_xlsx(rf.make_result(findings), tmp_path / "f.xlsx")
    ws = load_workbook(path)["Boendestöd Norr"]
    messages = sorted(str(r[5]) for r in rows(ws)[1:])
    # XML reads a lone CR back as LF; what matters is the apostrophe in front.
    assert messages == sorted(
        ["'=1+1", "'+SUM(A1)", "'-2+3", "'@cmd", "'\tx", "'\nx", "vanlig text", "abc"]
    )
    assert all(c.data_type == "s" for c in ws["F"][1:])


def test_sheet_names_are_valid_and_unique():
    units = ["A" * 40, "A" * 40 + "b", "Sammanfattning", "x[1]:*?/\\y", "'citat'", "", "history"]
    names = sheet_names(units)
    values = list(names.values())
    assert len({v.casefold() for v in values}) == len(values)
    for v in values:
        assert 0 < len(v) <= 31 and not set(v) & set("[]:*?/\\") and not v.startswith("'")
        assert v.casefold() not in ("sammanfattning", "history")
    assert names["x[1]:*?/\\y"] == "x_1______y"


def test_byte_identical_across_runs(tmp_path):
    a = write_xlsx(rf.make_result(), tmp_path / "a.xlsx").read_bytes()
    later = rf.make_result(generated=datetime(2030, 5, 6, 7, 8, 9))
    b = write_xlsx(later, tmp_path / "b.xlsx").read_bytes()
    assert a == b
    with zipfile.ZipFile(tmp_path / "a.xlsx") as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert "2026-10-01T00:00:00Z" in core
    wb = load_workbook(tmp_path / "a.xlsx")
    assert wb.properties.created == wb.properties.modified == datetime(2026, 10, 1)


def test_workbook_without_findings(tmp_path):
    path = write_xlsx(rf.make_result([]), tmp_path / "tom.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Sammanfattning"]
    assert rows(wb["Sammanfattning"])[0][0] == "Enhet"
