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
    "Brukare",
    "Namn",
    "Händelsedatum",
    "Frist",
    "Meddelande",
    "Underlag (fil/rad)",
    "Utdrag",
    "Rutin",
    "Åtgärd/Kommentar",
]


ACTION_HEADERS = [
    "Fynd-id",
    "Enhet",
    "Brukare",
    "Regel",
    "Regelnamn",
    "Händelsedatum",
    "Frist",
    "Status",
    "Ansvarig",
    "Meddelande",
    "Förslag",
    "Ändring",
    "Beslut",
    "Kommentar",
    "Granskad av",
    "Gäller till",
    "Namn",
]


def rows(ws):
    return list(ws.iter_rows(values_only=True))


def test_summary_and_one_sheet_per_unit(written):
    wb = load_workbook(written["findings.xlsx"])
    assert wb.sheetnames == [
        "Sammanfattning",
        "Åtgärdslista",
        "Boendestöd Norr",
        "Korttids <Älvsjö> & Co",
        "Ledsagning_Kontaktperson_ Syd_",
    ]
    summary = rows(wb["Sammanfattning"])
    assert summary[0][:13] == (
        "Enhet", "Flik", "Regel", "Regelnamn", "Andel uppfyllt", "Brister", "Bedömda",
        "Räknas per", "Risker", "Uppfyllda", "Utan händelser", "Ej granskade", "Granskade bort",
    )
    tn1 = next(r for r in summary if r[0] == rf.UNIT_A and r[2] == "TN1")
    assert tn1[3:13] == (
        "Alternativ eller avvikelse vid avbokning", 0, 2, 2, "tillfälle", 0, 0, 0, 0, 0,
    )
    tn3 = next(r for r in summary if r[0] == rf.UNIT_A and r[2] == "TN3")
    assert tn3[4:7] == (0.5, 1, 2)
    gb4 = next(r for r in summary if r[0] == rf.UNIT_A and r[2] == "GB4")
    assert gb4[4:8] == (1, 0, 1, "fall") and gb4[11] == 1
    assert wb["Sammanfattning"]["E2"].number_format == "0.0%"
    info = {r[14]: r[15] for r in summary if len(r) > 15 and r[14]}
    assert info["Granskningsdatum"] == datetime(2026, 10, 1)


def test_unit_sheet_columns_order_and_layout(written):
    ws = load_workbook(written["findings.xlsx"])["Boendestöd Norr"]
    data = rows(ws)
    assert list(data[0]) == HEADERS
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:L{len(data)}"
    assert ws.column_dimensions["H"].width >= 40
    # Only what needs action, most urgent first.
    assert [(r[0], r[2]) for r in data[1:]] == [
        ("GB3", "Risk"),
        ("TN1", "Brist"),
        ("TN1", "Brist"),
        ("GB5", "Brist"),
        ("TN3", "Brist"),
    ]
    gb3 = data[1]
    assert gb3[1] == "Kritisk" and gb3[3] == "19930521-2392" and gb3[4] == "Bertil Berg"
    assert gb3[8] == "export/uppdrag.xlsx, blad Uppdrag, rad 3"
    assert gb3[9] == "Beslut 2026-07-20 boendestöd, ej verkställt."
    assert gb3[10].startswith("Verksamhetshandbok boendestöd, avsnitt Att tänka på")
    assert gb3[11] is None


def test_dates_are_real_dates(written):
    ws = load_workbook(written["findings.xlsx"])["Boendestöd Norr"]
    # GB3: the event is the beslut (the row that started the clock), the deadline apart.
    for ref, day in (("F2", datetime(2026, 7, 20)), ("G2", datetime(2026, 10, 20))):
        cell = ws[ref]
        assert cell.is_date and cell.value == day
        assert cell.number_format == "yyyy-mm-dd"
    assert ws["G3"].value is None  # TN1 has no deadline


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
    messages = sorted(str(r[7]) for r in rows(ws)[1:])
    # XML reads a lone CR back as LF; what matters is the apostrophe in front.
    assert messages == sorted(
        ["'=1+1", "'+SUM(A1)", "'-2+3", "'@cmd", "'\tx", "'\nx", "vanlig text", "abc"]
    )
    assert all(c.data_type == "s" for c in ws["H"][1:])
    actions = load_workbook(path)["Åtgärdslista"]
    assert sorted(str(r[9]) for r in rows(actions)[1:]) == messages


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
        stamps = {i.date_time for i in z.infolist()}
        core = z.read("docProps/core.xml").decode()
    assert len(stamps) == 1 and next(iter(stamps))[0] == 1980  # one fixed time, never the clock
    assert "2026-10-01T00:00:00Z" in core
    wb = load_workbook(tmp_path / "a.xlsx")
    assert wb.properties.created == wb.properties.modified == datetime(2026, 10, 1)


def test_workbook_without_findings(tmp_path):
    path = write_xlsx(rf.make_result([]), tmp_path / "tom.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Sammanfattning", "Åtgärdslista"]
    assert rows(wb["Sammanfattning"])[0][0] == "Enhet"
    assert [list(r) for r in rows(wb["Åtgärdslista"])] == [ACTION_HEADERS]


def test_action_list_one_row_per_violation_and_warning(result, written):
    ws = load_workbook(written["findings.xlsx"])["Åtgärdslista"]
    data = rows(ws)
    # The contract's 16 columns in its order; the client's name is a column of its own after them.
    assert list(data[0]) == ACTION_HEADERS
    wanted = {f.id for f in result.findings if f.status in ("violation", "warning")}
    assert [r[0] for r in data[1:]] == sorted(
        wanted, key=lambda i: [r[0] for r in data[1:]].index(i)
    )
    assert {r[0] for r in data[1:]} == wanted and len(data) - 1 == len(wanted)
    by_id = {r[0]: dict(zip(ACTION_HEADERS, r, strict=True)) for r in data[1:]}
    gb3 = next(f for f in result.findings if f.rule == "GB3")
    row = by_id[gb3.id]
    assert row["Enhet"] == rf.UNIT_A
    assert row["Brukare"] == "19930521-2392" and row["Namn"] == "Bertil Berg"
    assert row["Regel"] == "GB3" and row["Regelnamn"] == "Ej verkställt beslut efter 3 månader"
    assert row["Händelsedatum"] == datetime(2026, 7, 20)  # the beslut, not the deadline
    assert row["Frist"] == datetime(2026, 10, 20)
    assert row["Status"] == "Risk"
    assert row["Ansvarig"] == "Myndighet"
    assert row["Förslag"] == rf.ACTIONS["GB3"]
    assert row["Ändring"] is None  # no history: nothing to compare with
    assert all(row[c] is None for c in ("Beslut", "Kommentar", "Granskad av", "Gäller till"))
    tn3 = next(f for f in result.findings if f.rule == "TN3" and f.status == "violation")
    assert by_id[tn3.id]["Ansvarig"] == "Utförare" and by_id[tn3.id]["Frist"] is None
    # Units in Swedish order: Boendestöd Norr, Korttids …, Ledsagning …
    units = [r[1] for r in data[1:]]
    assert units == sorted(units, key=[rf.UNIT_A, rf.UNIT_B, rf.UNIT_C].index)


def test_action_list_decision_drop_down_and_print_setup(written):
    ws = load_workbook(written["findings.xlsx"])["Åtgärdslista"]
    n = ws.max_row
    validations = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    decision = validations[f"M2:M{n}"]
    assert decision.type == "list"
    assert decision.formula1 == '"Bekräftad,Åtgärdad,Falskt larm,Motiverad avvikelse"'
    assert decision.showErrorMessage and decision.allow_blank
    assert validations[f"P2:P{n}"].type == "date"
    assert ws.protection.sheet is False  # the review columns can be filled in
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    # fitToWidth is 1 unless the file says otherwise (OOXML's default)
    assert (ws.page_setup.fitToWidth or 1) == 1 and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$1:$1"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:Q{n}"


def test_action_list_shades_the_columns_a_person_fills_in(written):
    """The review columns are shaded on every row, and only they; every data cell wraps at
    the top; a date shows as a date, and "Gäller till" takes a date even while empty."""
    ws = load_workbook(written["findings.xlsx"])["Åtgärdslista"]
    review = {"Beslut", "Kommentar", "Granskad av", "Gäller till"}
    assert ws.max_row > 3
    for row in ws.iter_rows(min_row=1):
        for title, cell in zip(ACTION_HEADERS, row, strict=True):
            shaded = cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb.endswith("FFF8DC")
            assert shaded == (title in review), (cell.coordinate, title)
            if cell.row == 1:
                assert cell.font.b
                continue
            assert cell.alignment.wrap_text and cell.alignment.vertical == "top"
            if title in ("Händelsedatum", "Frist", "Gäller till") and (
                cell.value is not None or title == "Gäller till"
            ):
                assert cell.number_format == "yyyy-mm-dd", (cell.coordinate, title)
            elif cell.value is not None:
                assert cell.number_format == "General", (cell.coordinate, title)


def test_action_list_carries_change_and_review_when_history_sets_them(tmp_path):
    findings = rf.base_findings()
    tn1 = next(f for f in findings if f.rule == "TN1")
    tn1.change = "kvarstår"
    tn1.review = {
        "decision": "motiverad",
        "comment": "Brukaren ville själv vänta.",
        "by": "Karin D.",
        "date": "2026-09-30",
        "valid_until": "2026-12-31",
    }
    gb5 = next(f for f in findings if f.rule == "GB5")
    gb5.change = "ny"
    path = write_xlsx(rf.make_result(findings), tmp_path / "f.xlsx")
    data = rows(load_workbook(path)["Åtgärdslista"])
    by_id = {r[0]: dict(zip(ACTION_HEADERS, r, strict=True)) for r in data[1:]}
    assert by_id[tn1.id]["Ändring"] == "Kvarstår"
    assert by_id[tn1.id]["Beslut"] == "Motiverad avvikelse"
    assert by_id[tn1.id]["Kommentar"] == "Brukaren ville själv vänta."
    assert by_id[tn1.id]["Granskad av"] == "Karin D."
    assert by_id[tn1.id]["Gäller till"] == datetime(2026, 12, 31)
    assert by_id[gb5.id]["Ändring"] == "Ny"


def test_findings_csv_bom_semicolons_every_finding(result, written):
    raw = written["findings.csv"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    import csv
    import io

    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    head, body = table[0], table[1:]
    assert head[:6] == ["Fynd-id", "Enhet", "Brukare", "Namn", "Regel", "Regelnamn"]
    assert len(body) == len(result.findings)
    assert {r[0] for r in body} == {f.id for f in result.findings}
    row = {r[0]: dict(zip(head, r, strict=True)) for r in body}
    gb5 = next(f for f in result.findings if f.rule == "GB5")
    # Formula text stays inert in CSV too.
    assert row[gb5.id]["Meddelande"].startswith("Delmålet =HYPERLINK")
    tn1 = next(f for f in result.findings if f.rule == "TN1" and f.case == rf.ANNA)
    assert row[tn1.id]["Brukare"] == "19900902-2386" and row[tn1.id]["Namn"] == "Andersson, Anna"
    assert row[tn1.id]["Räknas som"] == "Tillfälle" and row[tn1.id]["Status"] == "Brist"
    assert all(not v.startswith(("=", "+", "-", "@")) for r in body for v in r)
