"""Hostile and broken inputs at the file level: what is not a regular file, links out of
the input folder, workbooks that would make a reader allocate the whole grid, fields and
words over the limits, broken quotes, stray control bytes, odd encodings."""

from __future__ import annotations

import os
import zipfile

import openpyxl
import pytest

from auditor.ingest import read_inputs
from auditor.ingest.limits import MAX_FIELD_CHARS, MAX_TOKEN_CHARS
from tests.ingest.conftest import P1, P2, messages, read_one, write

HEAD = "Personnr;Enhet;Datum;Sökord;Anteckning;Signatur\n"


def rows(n: int, pnr: str = P1) -> list[str]:
    return [
        f"{pnr};Boendestöd Norr;2026-03-{i + 1:02d};Besök;Handlade, tillsammans med B på Coop.;Stina P\n"
        for i in range(n)
    ]


def balanced(li) -> bool:
    r = li.report
    return r.rows_read == r.rows_used + r.rows_excluded + r.rows_rejected


def by_name(loaded):
    return {li.report.path.rsplit("/", 1)[-1]: li for li in loaded}


def test_fifo_is_skipped_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe.csv")
    write(tmp_path, "ok.csv", HEAD + "".join(rows(2)))
    got = by_name(read_inputs([tmp_path], base=tmp_path))
    assert got["pipe.csv"].report.kind == "skipped"
    assert "vanlig fil" in got["pipe.csv"].report.error
    assert got["ok.csv"].report.rows_used == 2


def test_link_to_device_is_not_read(tmp_path):
    (tmp_path / "noll.csv").symlink_to("/dev/zero")
    write(tmp_path, "ok.csv", HEAD + "".join(rows(1)))
    got = by_name(read_inputs([tmp_path], base=tmp_path))
    assert got["noll.csv"].report.kind == "skipped"
    assert got["ok.csv"].report.rows_used == 1


def test_link_out_of_the_folder_is_not_followed_nor_echoed(tmp_path):
    outside = tmp_path / "utanfor"
    outside.mkdir()
    secret = write(outside, "hemlig.csv", HEAD + "".join(rows(1, P2)))
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "lank.csv").symlink_to(secret)
    (inp / "passwd.csv").symlink_to("/etc/passwd")
    got = by_name(read_inputs([inp], base=tmp_path))
    for name in ("lank.csv", "passwd.csv"):
        r = got[name].report
        assert r.kind == "skipped" and "utanför indatamappen" in r.error
        assert r.sha256 == "" and r.rows_read == 0
    assert "root" not in str([li.report.to_json() for li in got.values()])


def test_link_inside_the_folder_is_read_once(tmp_path):
    real = write(tmp_path, "a.csv", HEAD + "".join(rows(1)))
    (tmp_path / "b.csv").symlink_to(real)
    loaded = read_inputs([tmp_path], base=tmp_path)
    assert sum(li.report.rows_used for li in loaded) == 1


def test_link_loop_and_dangling_link_are_reported(tmp_path):
    (tmp_path / "slinga.csv").symlink_to(tmp_path / "slinga.csv")
    (tmp_path / "borta.csv").symlink_to(tmp_path / "finns-inte.csv")
    got = by_name(read_inputs([tmp_path], base=tmp_path))
    assert got["slinga.csv"].report.kind == "unreadable"
    assert "slinga" in got["slinga.csv"].report.error
    assert got["borta.csv"].report.kind == "unreadable"
    assert "som inte finns" in got["borta.csv"].report.error


def test_far_away_cell_does_not_allocate_the_grid(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Journal"
    ws.append(["Personnr", "Enhet", "Datum", "Anteckning"])
    ws.append([P1, "Boendestöd Norr", "2026-03-02", "Besök"])
    ws["XFD1048576"] = "x"
    ok = wb.create_sheet("Blad2")
    ok.append(["Personnr", "Enhet", "Datum", "Anteckning"])
    ok.append([P1, "Boendestöd Norr", "2026-03-02", "Besök"])
    wb.save(tmp_path / "stor.xlsx")
    got = {li.report.sheet: li for li in read_inputs([tmp_path / "stor.xlsx"])}
    assert got["Journal"].report.kind == "unreadable"
    assert "XFD1048576" in got["Journal"].report.error
    assert got["Blad2"].report.rows_used == 1


def test_formula_without_value_and_error_cells_are_counted(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Personnr", "Enhet", "Datum", "Anteckning"])
    ws.append([P1, "Boendestöd Norr", "2026-03-02", "Besök"])
    ws.append([P1, "Boendestöd Norr", "2026-03-03", "=A1&B1"])  # no cached value
    ws.append([None, None, None, "#REF!"])
    wb.save(tmp_path / "f.xlsx")
    li = read_one(tmp_path / "f.xlsx")
    text = " ".join(messages(li))
    assert "1 formelcell utan sparat värde (första: D3)" in text
    assert "1 felcell (första: D4, #REF!)" in text
    assert li.report.rows_read == 3 and balanced(li)


def test_encrypted_workbook_is_refused_in_swedish(tmp_path):
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le")
    (tmp_path / "krypt.xlsx").write_bytes(data + b"\x00" * 2000)
    li = read_one(tmp_path / "krypt.xlsx")
    assert li.report.kind == "unreadable" and "lösenordsskyddad" in li.report.error


def test_broken_workbook_message_has_no_english(tmp_path):
    z = tmp_path / "trasig.xlsx"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("[Content_Types].xml", "<x/>")
    li = read_one(z)
    assert li.report.kind == "unreadable"
    assert not any(w in li.report.error for w in ("Error", "error", "Exception", "file", "not"))


def test_huge_note_is_a_rejected_row_with_file_row_and_column(tmp_path):
    big = "ord " * (MAX_FIELD_CHARS // 4 + 10)
    path = write(tmp_path, "j.csv", HEAD + "".join(rows(3)).replace("Handlade", big, 1))
    li = read_one(path)
    assert li.report.rows_rejected == 1 and li.report.rows_used == 2 and balanced(li)
    p = next(p for p in li.report.problems if "tecken" in p.message)
    assert (p.row, p.column) == (2, "Anteckning")


def test_long_token_is_a_rejected_row(tmp_path):
    path = write(tmp_path, "j.csv", HEAD + "".join(rows(2)).replace("Coop", "x" * (MAX_TOKEN_CHARS * 5), 1))
    li = read_one(path)
    assert li.report.rows_rejected == 1 and balanced(li)
    assert any("ord på" in m for m in messages(li))


def test_broken_quote_mid_file_is_reported_with_its_row_and_rows_kept(tmp_path):
    body = rows(8)
    body[2] = body[2].replace("Handlade", '"Handlade')
    li = read_one(write(tmp_path, "j.csv", HEAD + "".join(body)))
    assert li.report.rows_used == 8, li.report.to_json()
    p = next(p for p in li.report.problems if "Citattecknet" in p.message)
    assert p.row == 4
    assert li.frame["text"].str.contains("Stina P").sum() == 0


def test_unclosed_quote_at_end_keeps_the_last_columns(tmp_path):
    body = rows(5)
    body[4] = body[4].replace("Handlade", '"Handlade')
    li = read_one(write(tmp_path, "j.csv", HEAD + "".join(body)))
    assert li.report.rows_used == 5
    assert li.frame["signerad_av"].tolist()[-1] == "Stina P"
    assert any(p.row == 6 for p in li.report.problems)


def test_header_only_file_is_reported(tmp_path):
    li = read_one(write(tmp_path, "j.csv", HEAD))
    assert li.report.rows_read == 0
    assert any("bara en rubrikrad" in m for m in messages(li))


def test_a_few_nul_bytes_are_repaired_and_reported(tmp_path):
    path = tmp_path / "j.csv"
    path.write_bytes((HEAD + "".join(rows(4))).encode().replace(b"Coop", b"Co\x00op", 2))
    li = read_one(path)
    assert li.report.rows_used == 4
    assert li.frame["text"].iloc[0].endswith("Coop.")
    assert any("2 styrtecken" in m for m in messages(li))


def test_really_binary_file_is_refused(tmp_path):
    path = tmp_path / "j.csv"
    path.write_bytes(HEAD.encode() + bytes(range(256)) * 200)
    li = read_one(path)
    assert li.report.kind == "unreadable" and "binära data" in li.report.error


def test_quoted_multiline_notes_with_commas_keep_the_semicolon(tmp_path):
    body = "".join(
        f'{P1};Boendestöd Norr;2026-03-{i:02d};Besök;"Rad ett, två\nrad tre, fyra\nrad fem, sex";Stina P\n'
        for i in range(1, 9)
    )
    li = read_one(write(tmp_path, "j.csv", HEAD + body))
    assert li.report.rows_used == 8 and li.frame["text"].iloc[0].count("\n") == 2


@pytest.mark.parametrize("codec", ["utf-32", "utf-16", "utf-8-sig", "cp1252"])
def test_encodings(tmp_path, codec):
    path = write(tmp_path, "j.csv", HEAD + "".join(rows(2)), encoding=codec)
    li = read_one(path)
    assert li.report.rows_used == 2 and li.frame["enhet"].iloc[0] == "Boendestöd Norr"


def test_output_folder_inside_input_is_not_read(tmp_path):
    write(tmp_path, "j.csv", HEAD + "".join(rows(1)))
    out = tmp_path / "rapporter"
    out.mkdir()
    (out / ".auditor-utdata.json").write_text("{}")
    wb = openpyxl.Workbook()
    wb.active.append(["Personnr", "Datum", "Anteckning"])
    wb.save(out / "findings.xlsx")
    loaded = read_inputs([tmp_path], base=tmp_path)
    assert [li.report.path for li in loaded] == ["j.csv"]


def test_area_check_admits_a_long_narrow_sheet_and_refuses_a_wide_one():
    from auditor.ingest.xlsx_reader import SheetScan

    long = SheetScan()
    long.feed(b'<dimension ref="A1:G1000000"/><sheetData><row r="1000000"><c r="G1000000" t="inlineStr">'
              b"<is><t>x</t></is></c></row></sheetData>")
    assert long.too_large() is None
    wide = SheetScan()
    wide.feed(b'<sheetData><row r="2"><c r="ZZZ2" t="inlineStr"><is><t>x</t></is></c></row></sheetData>')
    assert "ZZZ2" in wide.too_large()
    styled = SheetScan()  # a formatted empty cell far away allocates nothing
    styled.feed(b'<sheetData><row r="1048576"><c r="XFD1048576" s="1"/></row></sheetData>')
    assert styled.too_large() is None


def test_text_file_over_the_size_cap_is_refused_before_reading(tmp_path, monkeypatch):
    from auditor.ingest import safety

    monkeypatch.setattr(safety, "MAX_TEXT_BYTES", 1000)
    write(tmp_path, "stor.csv", HEAD + "".join(rows(20)))
    write(tmp_path, "liten.csv", HEAD + "".join(rows(1, P2)))
    got = by_name(read_inputs([tmp_path], base=tmp_path))
    assert got["stor.csv"].report.kind == "unreadable" and "för stor" in got["stor.csv"].report.error
    assert got["liten.csv"].report.rows_used == 1
