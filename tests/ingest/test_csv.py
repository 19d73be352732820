"""CSV/text exports: encodings, mojibake, delimiters, quoting, line numbers, rows."""

from __future__ import annotations

import pandas as pd
import pytest

from auditor.ingest.csv_reader import parse_batches, parse_lines, parse_text, sniff_delimiter

from .conftest import P1, P2, P3, assert_balanced, dash, messages, read_one, write

JOURNAL = (
    "Personnummer;Datum;Anteckning;Signatur\n"
    f"{dash(P1)};2024-05-31;Brukaren är nöjd, åt frukost. Öppnade dörren.;Åsa Öberg\n"
    f"{dash(P2)};2024-06-01;Promenad;Bo\n"
)


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252"]
)
def test_encodings(tmp_path, encoding):
    li = read_one(write(tmp_path, "j.csv", JOURNAL, encoding))
    assert li.kind == "journal", li.report.error
    assert li.frame["text"].iloc[0] == "Brukaren är nöjd, åt frukost. Öppnade dörren."
    assert li.frame["signerad_av"].iloc[0] == "Åsa Öberg"
    assert li.report.problems == []


def test_mojibake_repaired_and_reported(tmp_path):
    broken = JOURNAL.encode("utf-8").decode("cp1252")  # "Ã¤" for "ä" upstream
    li = read_one(write(tmp_path, "j.csv", broken, "utf-8"))
    assert li.frame["text"].iloc[0] == "Brukaren är nöjd, åt frukost. Öppnade dörren."
    assert li.frame["signerad_av"].iloc[0] == "Åsa Öberg"
    assert any("Trasig teckenkodning" in m and "reparerades" in m for m in messages(li))


def test_mixed_mojibake_and_correct_text_repaired(tmp_path):
    text = JOURNAL.replace("Promenad", "PÃ¥ promenad med Ã¥sa")
    li = read_one(write(tmp_path, "j.csv", text, "utf-8"))
    assert li.frame["text"].iloc[1] == "På promenad med åsa"
    assert li.frame["text"].iloc[0].startswith("Brukaren är nöjd")


def test_irreparable_mojibake_rejects_file(tmp_path):
    # "Ã¤" next to a lone "Ã©" fragment that cannot be decoded consistently
    text = JOURNAL.replace("Promenad", "Ã¤r \u00c3\u00a9\u00c3 \u00e2\u20ac")
    li = read_one(write(tmp_path, "j.csv", text, "utf-8"))
    assert li.report.kind == "unreadable"
    assert "trasig teckenkodning" in li.report.error
    assert li.frame is None


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_delimiters(tmp_path, delimiter):
    text = (
        f"Personnummer{delimiter}Datum{delimiter}Anteckning\n"
        f'{P1}{delimiter}2024-05-31{delimiter}"Text; med, alla\ttecken"\n'
        f"{P2}{delimiter}2024-05-31{delimiter}Kort\n"
    )
    li = read_one(write(tmp_path, "j.txt", text))
    assert li.kind == "journal", li.report.error
    assert li.frame["text"].tolist() == ["Text; med, alla\ttecken", "Kort"]


def test_sniff_prefers_consistent_width():
    text = "A;B;C\n1;Hej, hopp, och, komma;3\n4;5;6\n"
    assert sniff_delimiter(text) == ";"


def test_multiline_quoted_fields_keep_the_starting_line(tmp_path):
    text = (
        "Personnummer;Datum;Anteckning\r\n"
        f'{P1};2024-05-31;"Rad ett;\r\nrad två\r\n""citat"""\r\n'
        f"{P2};2024-06-01;Nästa\r\n"
    )
    li = read_one(write(tmp_path, "j.csv", text))
    assert li.frame["_row"].tolist() == [2, 5]
    assert li.frame["text"].iloc[0] == 'Rad ett;\nrad två\n"citat"'


def test_crlf_and_x000d_artefacts(tmp_path):
    text = f'Personnummer;Datum;Anteckning\r\n{P1};2024-05-31;"Första_x000D_\nandra_x000D_"\r\n'
    li = read_one(write(tmp_path, "j.csv", text))
    assert li.frame["text"].iloc[0] == "Första\nandra"


def test_title_rows_footer_blank_duplicate_accounting(tmp_path):
    text = (
        "Journalanteckningar;;;\n"  # line 1: title
        "Utskriven 2024-06-01;;;\n"  # 2
        ";;;\n"  # 3
        "Personnummer;Datum;Anteckning;Signatur\n"  # 4: header
        f"{dash(P1)};2024-05-31;En;A\n"  # 5
        ";;;\n"  # 6 blank
        f"{dash(P2)};2024-05-31;Två;B\n"  # 7
        f"{dash(P1)};2024-05-31;En;A\n"  # 8 duplicate of 5
        "\n"  # 9 blank line
        f"{dash(P3)};2024-05-31;Tre;C\n"  # 10
        "Summa;3;;\n"  # 11 footer
        "Totalt antal rader: 3;;;\n"  # 12 footer
        "\n\n"  # trailing blank lines: not part of the table
    )
    li = read_one(write(tmp_path, "j.csv", text))
    r = li.report
    assert (r.rows_read, r.rows_used, r.rows_excluded, r.rows_rejected) == (8, 3, 5, 0)
    assert dict(r.excluded) == {"tom rad": 2, "dubblett": 1, "sidfot": 2}
    assert li.frame["_row"].tolist() == [5, 7, 10]
    assert_balanced(li)


def test_rejected_rows_carry_row_column_and_reason(tmp_path):
    bad_luhn = P1[:-1] + str((int(P1[-1]) + 1) % 10)
    text = (
        "Klient pnr;Datum;Anteckning\n"
        f"{dash(P1)};2024-05-31;Ok\n"
        f"{bad_luhn};2024-05-31;Luhn\n"
        "1,99001E+11;2024-05-31;Excel\n"
        ";2024-05-31;Saknas\n"
        f"{dash(P2)};31/13/2024;Datum fel\n"
        f"{dash(P2)};;Datum saknas\n"
    )
    path = write(tmp_path, "j.csv", text)
    li = read_one(path, mapping=None)
    # "Klient pnr" is not a known header: the file is recognised but lacks personnummer
    assert li.report.kind == "unreadable" and "Personnummer" in li.report.error

    li = read_one(write(tmp_path, "k.csv", text.replace("Klient pnr", "Pnr")))
    r = li.report
    assert (r.rows_read, r.rows_used, r.rows_rejected) == (6, 1, 5)
    by_row = {p.row: p for p in r.problems if p.message.startswith("Raden avvisades")}
    assert by_row[3].column == "Pnr" and "kontrollsiffra" in by_row[3].message
    assert "exponentform" in by_row[4].message
    assert "personnummer saknas" in by_row[5].message
    assert by_row[6].column == "Datum" and "'31/13/2024'" in by_row[6].message
    assert "värde saknas i kolumnen 'Datum'" in by_row[7].message
    # the number itself never appears in a message
    assert all(bad_luhn not in p.message and P1 not in p.message for p in r.problems)
    assert_balanced(li)


def test_optional_value_unreadable_is_kept_empty_and_reported(tmp_path):
    text = (
        "Personnummer;Datum;Tid;Anteckning;Registreringsdatum\n"
        f"{P1};2024-05-31;14.30;A;igår\n"
        f"{P2};2024-05-31;sen kväll;B;2024-06-01\n"
    )
    li = read_one(write(tmp_path, "j.csv", text))
    assert li.report.rows_used == 2
    assert li.frame["tid"].tolist() == ["14:30", None]
    assert pd.isna(li.frame["registrerad"].iloc[0])
    msgs = messages(li)
    assert any("'Tid': 1 värde kunde inte läsas som klockslag" in m for m in msgs)
    assert any("'Registreringsdatum': 1 värde kunde inte läsas som datum" in m for m in msgs)


def test_ambiguous_dates_reported_with_count(tmp_path):
    text = "Personnummer;Datum;Anteckning\n" + "".join(
        f"{P1};{d};n{i}\n"
        for i, d in enumerate(["05/06/2024", "07/06/2024", "31/05/2024", "2024-05-01"])
    )
    li = read_one(write(tmp_path, "j.csv", text))
    amb = [m for m in messages(li) if "både som dag/månad och månad/dag" in m]
    assert len(amb) == 1 and "2 datum" in amb[0] and "dagen först" in amb[0]
    assert li.frame["datum"].iloc[0] == pd.Timestamp("2024-06-05")


def test_nul_bytes_binary_refused(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(b"Personnummer;Datum\n" + bytes(range(256)) * 50)
    li = read_one(path)
    assert li.report.kind == "unreadable" and "binära data" in li.report.error


def test_parse_text_line_numbers():
    rows, starts, delim = parse_text('a;b\n"x\ny";z\n\nq;r\n')
    assert delim == ";" and starts == [1, 2, 4, 5] and rows[2] == []


# A journal export as Treserva writes it, with what breaks naive readers: notes over
# several lines, quotes inside notes, a quote that is never closed, blank lines.
LIST_BOUNDARY_LINES = [
    "Personnummer;Datum;Anteckning;Signatur\n",
    f"{dash(P1)};2024-05-31;Promenad;Bo\n",
    f'{dash(P1)};2024-06-01;"Promenad med B.\n',
    "B ville gå till affären.\n",
    'Handlade ""mellanmål"".";Bo\n',
    f'{dash(P2)};2024-06-02;"Samtal";Bo\n',
    "\n",
    f'{dash(P2)};2024-06-03;"Ringde ""kontaktpersonen""";Åsa\n',
    f'{dash(P3)};2024-06-04;"Citattecknet stängs aldrig;Bo\n',
    f"{dash(P3)};2024-06-05;Nästa rad;Bo\n",
    f"{dash(P3)};2024-06-06;Tredje raden;Bo\n",
    f'{dash(P1)};2024-06-07;Åt lunch, sa "mums";Bo\n',
    f'{dash(P1)};2024-06-08;"Två\nrader";Bo',
]


@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 13])
def test_reading_in_lists_gives_the_rows_line_numbers_and_problems_of_reading_line_by_line(size):
    # The reader parses lists of lines at a time; wherever a list ends (inside a note over
    # several lines, at a broken quote), each row, its line number and every problem
    # must be what reading line by line gives.
    lines = LIST_BOUNDARY_LINES
    expected = parse_lines(lines, ";")
    lists = [lines[i : i + size] for i in range(0, len(lines), size)]
    assert parse_batches(iter(lists), ";") == expected
    rows, starts, problems = expected
    assert [r[2] for r in rows[:4]] == [
        "Anteckning", "Promenad", 'Promenad med B.\nB ville gå till affären.\nHandlade "mellanmål".',
        "Samtal",
    ]
    assert starts[:5] == [1, 2, 3, 6, 7]
    assert any("stängs inte där fältet borde sluta" in p[0] for p in problems)


def test_quote_open_to_the_end_of_a_long_file_reported_once(tmp_path):
    # A quote that is never closed would swallow every later row into one note: the rows
    # are read one by one and the line where the quote opened is named, however long the
    # file (the reader gives up on parsing ahead after one list of lines).
    body = [f"{dash(P1)};2024-05-{1 + i % 28:02d};Anteckning {i};Bo\n" for i in range(5000)]
    body[10] = f'{dash(P1)};2024-05-11;"Anteckning utan slut;Bo\n'
    text = "Personnummer;Datum;Anteckning;Signatur\n" + "".join(body)
    li = read_one(write(tmp_path, "j.csv", text, "utf-8"))
    assert li.report.rows_read == 5000
    assert_balanced(li)
    broken = [m for m in messages(li) if "Citattecknet" in m]
    assert len(broken) == 1 and "rad 12" in broken[0]
