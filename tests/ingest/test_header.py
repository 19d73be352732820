"""Header normalisation, matching (exact, synonym, fuzzy), header-row detection."""

from __future__ import annotations

import pytest

from auditor.ingest.header import find_header_row, match_kind
from auditor.model.normalise import fold, header_key
from auditor.model.schema import KINDS

JOURNAL = KINDS["journal"]
UPPDRAG = KINDS["uppdrag"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Personnummer:", "personnummer"),
        ("  PERSON\u00a0NR ", "person nr"),
        ("Fr.o.m.", "from"),
        ("Fr o m", "from"),
        ("Pers.nr", "persnr"),
        ("Händelsedatum", "handelsedatum"),
        ("ÅTGÄRD", "atgard"),
        ("Person-/samordningsnr", "personsamordningsnr"),
    ],
)
def test_header_key_folds(a, b):
    assert header_key(a) == header_key(b)


def test_fold_keeps_words():
    assert fold(" Upprättad\u00a0av: ") == "upprattad av"


def test_exact_and_synonym_mapping():
    km = match_kind(["Pnr", "Händelsedatum", "Journaltext", "Upprättad av", "Klockslag"], JOURNAL)
    assert {c: m.index for c, m in km.matches.items()} == {
        "personnummer": 0,
        "datum": 1,
        "text": 2,
        "signerad_av": 3,
        "tid": 4,
    }
    assert all(m.how == "namn" for m in km.matches.values())


def test_abbreviations_map():
    km = match_kind(["Personnr", "Beslut datum", "Fr.o.m.", "T.o.m.", "Tim/vecka"], UPPDRAG)
    assert set(km.matches) == {
        "personnummer",
        "beslutsdatum",
        "verkstallighetsdatum",
        "slutdatum",
        "beviljad_tid",
    }


def test_parenthesised_remark_ignored():
    km = match_kind(["Personnummer (ÅÅÅÅMMDDNNNN)", "Datum (ÅÅÅÅ-MM-DD)", "Text"], JOURNAL)
    assert set(km.matches) == {"personnummer", "datum", "text"}


def test_fuzzy_match_of_typo_is_marked():
    km = match_kind(["Personnummer", "Anteckningsdatm", "Anteckningar"], JOURNAL)
    assert km.matches["datum"].how == "fuzzy" and km.matches["datum"].score >= 90
    assert km.matches["text"].how == "fuzzy"


def test_fuzzy_never_maps_an_extra_word():
    # "Registrerad av" is a person, not the registrerad date
    km = match_kind(["Personnummer", "Registrerad av"], JOURNAL)
    assert "registrerad" not in km.matches


def test_short_headers_are_not_fuzzy():
    km = match_kind(["Datm"], JOURNAL)
    assert "datum" not in km.matches


def test_duplicate_headers_first_wins():
    km = match_kind(["Personnummer", "Datum", "Text", "Händelsedatum", "Text"], JOURNAL)
    assert km.matches["datum"].index == 1 and km.matches["text"].index == 2
    assert [h for h, _ in km.duplicates] == ["Händelsedatum", "Text"]


def test_profile_keys_take_precedence():
    km = match_kind(
        ["Klientens nr", "Datum", "Text"], JOURNAL, {header_key("Klientens nr"): "personnummer"}
    )
    assert km.matches["personnummer"].how == "profil"


def test_header_row_found_below_title_rows():
    rows = [
        ["Journalanteckningar", "", ""],
        ["Utskriven 2024-06-01 av Anna", "", ""],
        ["Enhet:", "Solgläntan", ""],
        [],
        ["Personnummer", "Datum", "Anteckning"],
        ["x", "y", "z"],
    ]
    assert find_header_row(rows)[0] == 4


def test_no_header_row():
    assert find_header_row([["a", "b"], ["c", "d"]])[0] is None
