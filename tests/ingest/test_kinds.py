"""Kind recognition by headers, required columns, closest kind/headers messages."""

from __future__ import annotations

import pytest

from auditor.ingest.kinds import recognise
from auditor.ingest.profile import MappingProfile

HEADERS = {
    "journal": ["Personnr", "Datum", "Tid", "Sökord", "Anteckning", "Signatur"],
    "uppdrag": ["Personnummer", "Beviljad insats", "Beslut datum", "Verkställd", "Handläggare"],
    "plan": ["Personnummer", "Insats", "Upprättad", "Status", "Delmål"],
    "besok": ["Personnummer", "Datum", "Planerad start", "Planerad slut", "Status", "Avbokad av"],
    "avvikelse": ["Löpnr", "Enhet", "Inträffade", "Avvikelsetyp", "Beskrivning"],
    "vistelse": ["Personnummer", "Enhet", "Ankomst", "Hemgång"],
}


@pytest.mark.parametrize("kind", sorted(HEADERS))
def test_each_kind_recognised_by_headers(kind):
    rec = recognise(HEADERS[kind], ("export.csv", ""), None)
    assert rec.kind is not None and rec.kind.name == kind, rec.error


def test_file_name_is_only_a_hint():
    # headers say besok, the name says journal
    rec = recognise(HEADERS["besok"], ("journal.csv", ""), None)
    assert rec.kind.name == "besok"


def test_missing_required_column_names_closest_header():
    rec = recognise(["Personnr", "Datm", "Anteckning", "Signatur"], ("x.csv", ""), None)
    assert rec.kind is None and rec.closest == "journal"
    assert "kolumnen 'Datum' saknas; närmast: 'Datm' (89 %)" in rec.error
    assert rec.error.startswith("Filen kändes igen som journalanteckningar")


def test_missing_alternatives_listed():
    rec = recognise(
        ["Personnummer", "Beviljad insats", "Lagrum", "Handläggare"], ("x.csv", ""), None
    )
    assert rec.kind is None and rec.closest == "uppdrag"
    assert "(eller 'Beställning mottagen', 'Verkställd')" in rec.error


def test_unknown_kind_lists_closest_kind():
    rec = recognise(["Personnummer", "Namn", "Telefon", "Adress"], ("kontakter.csv", ""), "Blad1")
    assert rec.kind is None and rec.closest is not None
    assert rec.error.startswith("Bladet 'Blad1' kändes inte igen som någon exporttyp")


def test_nothing_known_has_no_closest():
    rec = recognise(["Artikel", "Pris"], ("x.csv", ""), None)
    assert rec.kind is None and rec.closest is None and "inga kända kolumnrubriker" in rec.error


def test_profile_forces_kind_by_file_glob():
    profile = MappingProfile.from_dict({"kinds": {"*vistelser*": "vistelse"}})
    rec = recognise(
        ["Personnummer", "Start", "Slut", "Status", "Datum"],
        ("korta vistelser.csv", ""),
        None,
        profile,
    )
    assert rec.kind.name == "vistelse"
