"""read_inputs end to end: discovery, skipped files, display paths, the frame
contract, identity rules, exclusions, and accounting that always adds up."""

from __future__ import annotations

import hashlib
import os

import numpy as np
import pandas as pd
import pytest

from auditor.ingest import LoadedInput, read_inputs
from auditor.model.schema import KINDS

from .conftest import (
    FIXTURES,
    P1,
    P2,
    P3,
    P_1890,
    P_2001,
    S_1914,
    assert_balanced,
    dash,
    messages,
    read_one,
    short,
    workbook,
    write,
)

EXPECTED = [
    ("README.md", None, "skipped"),
    ("avvikelse_utan_pnr.csv", None, "avvikelse"),
    ("besok_legacy.xls", "Besök", "besok"),
    ("besok_legacy.xls", "Blad2", "skipped"),
    ("besok_utf16.txt", None, "besok"),
    ("journal_cp1252.csv", None, "journal"),
    ("labels.json", None, "skipped"),
    ("plan.csv", None, "plan"),
    ("uppdrag_komma.csv", None, "uppdrag"),
    ("vistelse.csv", None, "vistelse"),
    ("webbrapport.xls", None, "journal"),
    ("~$journal.xlsx", None, "skipped"),
]


@pytest.fixture(scope="module")
def fixtures_loaded() -> list[LoadedInput]:
    return read_inputs([FIXTURES], base=FIXTURES.parent)


def test_fixture_folder_kinds_in_sorted_order(fixtures_loaded):
    got = [(li.report.path, li.report.sheet, li.report.kind) for li in fixtures_loaded]
    assert got == [(f"fixtures/{name}", sheet, kind) for name, sheet, kind in EXPECTED]


def test_accounting_always_balanced(fixtures_loaded):
    for li in fixtures_loaded:
        assert_balanced(li)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_frame_contract(fixtures_loaded, kind):
    li = next(x for x in fixtures_loaded if x.kind == kind)
    f = li.frame
    assert list(f.columns[:4]) == ["_input", "_sheet", "_row", "case"]
    assert f["_row"].dtype == np.int64
    for col in KINDS[kind].columns:
        assert col.name in f.columns
        s = f[col.name]
        if col.type in ("date", "datetime"):
            assert s.dtype == "datetime64[ns]"
            assert (s.dropna().dt.normalize() == s.dropna()).all()  # midnight
            if col.type == "datetime":
                t = f[f"{col.name}_time"]
                assert all(v is None or (isinstance(v, str) and len(v) == 5) for v in t)
        elif col.type == "number":
            assert s.dtype == float
        elif col.type in ("time", "bool"):
            assert s.dtype == object
            assert all(v is None or isinstance(v, (str, bool)) for v in s)
        else:
            assert all(isinstance(v, str) for v in s)
    assert li.columns <= set(KINDS[kind].column_names)
    assert li.report.mapping and set(li.report.mapping) == set(li.columns)


def test_cp1252_journal_fixture_details(fixtures_loaded):
    li = next(x for x in fixtures_loaded if x.report.path.endswith("journal_cp1252.csv"))
    r = li.report
    assert (r.rows_read, r.rows_used) == (6, 3)
    assert dict(r.excluded) == {"felmarkerad": 1, "HSL-anteckning": 1, "sidfot": 1}
    f = li.frame
    assert f["_row"].tolist() == [5, 7, 10]  # the multi-line note starts on line 5
    assert f["case"].tolist() == [P1, P2, P_1890]  # 900101+9802: 100 years or older
    assert f["text"].iloc[1] == "Åt frukost – nöjd."
    assert f["tid"].tolist() == ["14:30", "08:00", "10:00"]
    assert f["datum"].iloc[2] == pd.Timestamp("2024-06-01")


def test_avvikelse_without_personnummer_has_no_case(fixtures_loaded):
    li = next(x for x in fixtures_loaded if x.kind == "avvikelse")
    assert li.frame["case"].tolist() == [None, None]
    assert "personnummer" not in li.columns


def test_skipped_files_listed_with_reason(tmp_path):
    for name in ("a.json", "b.pdf", "c.md", "~$lås.xlsx", "labels.json", "run.labels.csv", "noext"):
        (tmp_path / name).write_bytes(b"x")
    loaded = read_inputs([tmp_path])
    assert all(li.report.kind == "skipped" and li.report.error for li in loaded)
    assert len(loaded) == 7
    by_name = {os.path.basename(li.report.path): li.report.error for li in loaded}
    assert "låsfil" in by_name["~$lås.xlsx"]
    assert "facitfil" in by_name["run.labels.csv"]
    assert "(.pdf)" in by_name["b.pdf"]


def test_folders_recursive_sorted_and_deduplicated(tmp_path, journal_rows):
    text = "\n".join(";".join(map(str, r)) for r in journal_rows) + "\n"
    write(tmp_path, "b/z.csv", text)
    write(tmp_path, "a/y.csv", text)
    write(tmp_path, "a/sub/x.csv", text)
    write(tmp_path, ".hidden/w.csv", text)
    loaded = read_inputs([tmp_path / "b", tmp_path, tmp_path / "a" / "y.csv"], base=tmp_path)
    assert [li.report.path for li in loaded] == ["b/z.csv", "a/sub/x.csv", "a/y.csv"]


def test_display_path_as_given_outside_base(tmp_path, journal_rows):
    text = "\n".join(";".join(map(str, r)) for r in journal_rows) + "\n"
    path = write(tmp_path, "exp/j.csv", text)
    li = read_inputs([tmp_path / "exp"], base=tmp_path / "elsewhere")[0]
    assert li.report.path == path.as_posix()
    assert li.frame["_input"].iloc[0] == li.report.path
    assert li.report.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_bad_file_does_not_stop_the_others(tmp_path, journal_rows):
    text = "\n".join(";".join(map(str, r)) for r in journal_rows) + "\n"
    write(tmp_path, "1.csv", text)
    (tmp_path / "2.xlsx").write_bytes(b"PK\x03\x04 not really")
    (tmp_path / "3.csv").write_bytes(b"")
    write(tmp_path, "4.csv", "Artikel;Pris\nKaffe;12\n")
    write(tmp_path, "5.csv", text)
    loaded = read_inputs([tmp_path, tmp_path / "saknas.csv"], base=tmp_path)
    kinds = [(li.report.path, li.report.kind) for li in loaded]
    assert kinds == [
        ("1.csv", "journal"),
        ("2.xlsx", "unreadable"),
        ("3.csv", "unreadable"),
        ("4.csv", "unreadable"),
        ("5.csv", "journal"),
        (f"{(tmp_path / 'saknas.csv').as_posix()}", "unreadable"),
    ]
    for li in loaded:
        assert_balanced(li)
        if li.report.kind == "unreadable":
            assert li.report.error and li.frame is None and "Traceback" not in li.report.error
    assert "tom" in loaded[2].report.error
    assert "finns inte" in loaded[5].report.error


def test_system_id_is_case_key_only_without_personnummer(tmp_path):
    li = read_one(
        write(tmp_path, "a.csv", "Brukar-ID;Datum;Anteckning\nB-17;2024-05-31;x\n;2024-05-31;y\n")
    )
    assert li.frame["case"].tolist() == ["B-17"]
    assert li.report.rows_rejected == 1 and "brukar-id saknas" in messages(li)[0]
    li = read_one(
        write(
            tmp_path, "b.csv", f"Brukar-ID;Personnummer;Datum;Anteckning\nB-17;{P1};2024-05-31;x\n"
        )
    )
    assert li.frame["case"].tolist() == [P1]
    assert li.frame["system_id"].tolist() == ["B-17"]


def test_personid_holding_personnummer_is_used_as_personnummer(tmp_path):
    li = read_one(
        write(
            tmp_path,
            "a.csv",
            f"Personid;Datum;Anteckning\n{dash(P1)};2024-05-31;x\n{P2};2024-05-31;y\n",
        )
    )
    assert li.frame["case"].tolist() == [P1, P2]
    assert "personnummer" in li.columns and "system_id" not in li.columns
    assert any("används som personnummer" in m for m in messages(li))


def test_century_from_the_rows_own_date(tmp_path):
    text = (
        "Personnummer;Datum;Anteckning\n"
        f"{short(P_2001)};2024-05-31;a\n"
        f"{short(S_1914, '+')};2024-05-31;b\n"
        f"{short(S_1914)};2024-05-31;c\n"
    )
    li = read_one(write(tmp_path, "j.csv", text))
    assert li.frame["case"].tolist() == [P_2001, S_1914, "20" + S_1914[2:]]


def test_felmarkerad_by_status_and_hsl_by_type(tmp_path):
    text = (
        "Personnummer;Datum;Anteckning;Status;Journaltyp\n"
        f"{P1};2024-05-31;a;Signerad;SoL\n"
        f"{P2};2024-05-31;b;Makulerad;SoL\n"
        f"{P3};2024-05-31;c;Signerad;Hälso- och sjukvård\n"
    )
    li = read_one(write(tmp_path, "j.csv", text))
    assert li.frame["case"].tolist() == [P1]
    assert dict(li.report.excluded) == {"felmarkerad": 1, "HSL-anteckning": 1}


def test_fuzzy_header_reported_on_the_input(tmp_path):
    li = read_one(
        write(tmp_path, "j.csv", f"Personnummer;Anteckningsdatm;Anteckning\n{P1};2024-05-31;x\n")
    )
    assert li.kind == "journal"
    msg = next(p for p in li.report.problems if "tolkades som 'Datum'" in p.message)
    assert msg.row == 1 and msg.column == "Anteckningsdatm"


def test_missing_required_column_rejects_whole_file(tmp_path):
    li = read_one(write(tmp_path, "j.csv", f"Personnr;Datm;Anteckning\n{P1};2024-05-31;x\n"))
    r = li.report
    assert r.kind == "unreadable" and r.closest_kind == "journal"
    assert "kolumnen 'Datum' saknas; närmast: 'Datm' (89 %)" in r.error
    assert r.rows_read == 0 and li.frame is None


def test_unknown_sheet_listed_with_closest_kind(tmp_path):
    path = workbook(
        tmp_path / "w.xlsx",
        {
            "Data": [["Personnummer", "Datum", "Anteckning"], [P1, "2024-05-31", "x"]],
            "Info": [["Rapport skapad", "2024-06-01"], ["Enhet", "Personnummer", "Telefon"]],
        },
    )
    data, info = read_inputs([path])
    assert data.kind == "journal"
    assert info.report.kind == "unreadable" and info.report.sheet == "Info"
    assert info.report.closest_kind and "Bladet 'Info'" in info.report.error


def test_every_row_accounted_in_a_messy_file(tmp_path):
    rows = ["Personnummer;Datum;Anteckning;Felmarkerad"]
    for i in range(300):
        p = (P1, P2, P3)[i % 3]
        kind = i % 10
        if kind == 0:
            rows.append(";;;")
        elif kind == 1:
            rows.append(f"{p[:-1]}0;2024-05-31;bad luhn {i};")
        elif kind == 2:
            rows.append(f"{p};2024-13-45;bad date {i};")
        elif kind == 3:
            rows.append(f"{p};2024-05-31;felmarkerad {i};Ja")
        elif kind == 4:
            rows.append(f"{p};2024-05-31;dup;")
        else:
            rows.append(f"{p};2024-05-{1 + i % 28:02d};note {i};Nej")
    rows.append("Summa;;;")
    li = read_one(write(tmp_path, "m.csv", "\n".join(rows) + "\n"))
    r = li.report
    assert r.rows_read == 301
    assert_balanced(li)
    assert r.rows_rejected == len(
        [p for p in r.problems if p.message.startswith("Raden avvisades")]
    )
    assert (
        r.excluded["tom rad"] == 30
        and r.excluded["sidfot"] == 1
        and r.excluded["felmarkerad"] == 30
    )
    assert r.excluded["dubblett"] == 27  # 30 "dup" rows over 3 persons


def test_large_csv_is_fast(tmp_path):
    import time

    lines = ["Personnummer;Datum;Tid;Anteckning;Signatur"]
    people = (P1, P2, P3, P_1890, P_2001)
    for i in range(20_000):
        lines.append(
            f"{dash(people[i % 5])};2024-{1 + i % 12:02d}-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d};"
            f"{i % 24:02d}.{i % 60:02d};Anteckning nummer {i};Personal {i % 7}"
        )
    path = write(tmp_path, "stor.csv", "\n".join(lines) + "\n")
    start = time.perf_counter()
    li = read_one(path)
    elapsed = time.perf_counter() - start
    assert li.report.rows_used == 20_000
    assert_balanced(li)
    assert elapsed < 15, elapsed  # about 0.3 s on a quiet machine
