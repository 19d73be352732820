"""Who is who: names from the exports decide who declined, cancelled, was reached or held a talk."""

from __future__ import annotations

from datetime import date

from auditor.model.people import CASEWORKER, INDIVIDUAL, STAFF, people_for
from auditor.nlp import detect_texts

DAY = date(2026, 3, 11)

KARIM = people_for(
    "Rahimi, Karim",
    staff=["Anna Karlsson", "Mikael Jonsson", "Oskar Nilsson"],
    caseworkers=["Eva Lindqvist"],
)


def asserted(text: str, people=KARIM) -> dict[str, set[str | None]]:
    [found] = detect_texts([text], [DAY], [""], people=[people])
    out: dict[str, set[str | None]] = {}
    for h in found:
        if h.asserted:
            out.setdefault(h.label, set()).add(h.actor)
    return out


def test_roles_from_the_exports():
    assert KARIM.role("Karim") == INDIVIDUAL
    assert KARIM.role("K") == INDIVIDUAL
    assert KARIM.role("K:s") == "individual_genitive"
    assert KARIM.role("K.") == INDIVIDUAL
    assert KARIM.role("Rahimi") == INDIVIDUAL
    assert KARIM.role("Oskar") == STAFF
    assert KARIM.role("AK") == STAFF
    assert KARIM.role("Eva") == CASEWORKER
    assert KARIM.role("Lindqvist") == CASEWORKER
    assert KARIM.role("Hodan") is None


def test_individual_wins_a_shared_first_name():
    p = people_for("Karlsson, Anna", staff=["Anna Berg"], caseworkers=[])
    assert p.role("Anna") == INDIVIDUAL
    assert p.role("Berg") == STAFF


def test_nickname_of_the_individual():
    p = people_for("Nyberg, Helena")
    assert p.role("Lena")  # the NLP decides: a nickname may also be a word
    assert p.signature("Lena berättade att julen varit lugn.")


def test_initial_of_the_individual_cancels_as_the_individual():
    # "K" is Karim: his own cancellation, although "vi" follows
    got = asserted("K ringde och avbokade dagens besök, vi bokade ny tid på torsdag.")
    assert "DECLINE" in got
    assert "SERVICE_CANCEL" not in got


def test_staff_name_cancelling_is_the_service():
    got = asserted("Oskar fick avboka besöket.")
    assert got.get("SERVICE_CANCEL") == {"staff"}
    assert "DECLINE" not in got


def test_caseworker_by_name_is_caseworker_contact_not_the_individual():
    got = asserted("Eva Lindqvist informerad per telefon om avbokningarna.")
    assert "CASEWORKER_CONTACT" in got
    assert "INFORMED" not in got


def test_unknown_canceller_claims_no_decline():
    [found] = detect_texts(["Besöket avbokat."], [DAY], [""], people=[KARIM])
    labels = {h.label: h for h in found}
    assert "DECLINE" not in labels and "SERVICE_CANCEL" not in labels
    assert labels["CANCELLED"].actor == "unknown"


def test_summary_events_are_recaps():
    text = "Sammanställning av daganteckningar jan-mars. K tackade nej till besöket 3/2."
    [found] = detect_texts([text], [DAY], ["Sammanställning"], people=[KARIM])
    declines = [h for h in found if h.label == "DECLINE"]
    assert declines and all(h.recap and not h.asserted for h in declines)
