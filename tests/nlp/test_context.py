"""ConText hard cases: negation before and after the verb, conditions, intentions, actors."""

from __future__ import annotations

import pytest

from tests.nlp.conftest import hits, labels


def flags(text: str, label: str):
    found = [h for h in hits(text) if h.label == label]
    assert found, f"no {label} candidate in {text!r}"
    return found[0]


@pytest.mark.parametrize(
    "text",
    [
        "Ingen avvikelse upprättades.",
        "Avvikelse upprättades inte.",
        "Avvikelse har inte skrivits.",
        "Avvikelse ej upprättad.",
    ],
)
def test_negated_deviation(text):
    assert flags(text, "DEVIATION").negated
    assert "DEVIATION" not in labels(text)


@pytest.mark.parametrize("text", ["Ska skriva en avvikelse imorgon.", "Avvikelse skrivs imorgon."])
def test_intended_deviation_is_future(text):
    hit = flags(text, "DEVIATION")
    assert hit.future and not hit.asserted


def test_conditional_is_hypothetical():
    hit = flags("Om brukaren avböjer ska personalen erbjuda en promenad.", "DECLINE")
    assert hit.hypothetical and not hit.asserted


def test_tackade_nej_is_the_event_not_a_negation():
    assert labels("B tackade nej till besöket.") == {"DECLINE"}
    assert "DECLINE" not in labels("B tackade inte nej, vi städade tillsammans.")


def test_inte_hemma_is_not_home_not_negation():
    assert labels("B var inte hemma.") == {"NOT_HOME"}


def test_ingen_orsak_is_no_reason():
    assert labels("Tackade nej, ingen orsak angiven.") == {"DECLINE"}
    assert labels("B ville inte säga varför hen tackade nej.") == {"DECLINE"}


def test_scope_ends_at_men():
    assert labels("B ville inte ha hjälp med disken men vi dammsög tillsammans.") == {
        "DECLINE",
        "VISIT_DONE",
    }


def test_post_verbal_negation_of_offer_is_alt_not_possible():
    assert labels("Annan personal kunde inte erbjudas.") == {"ALT_NOT_POSSIBLE"}
    assert labels("Kunde inte erbjuda annan tid.") == {"ALT_NOT_POSSIBLE"}
    assert labels("Annan personal erbjöds ej.") == {"ALT_NOT_POSSIBLE"}


def test_negated_visit_is_a_cancellation_by_its_cause():
    assert labels("Besöket genomfördes inte pga personalbrist.") == {"SERVICE_CANCEL"}
    assert labels("Besöket genomfördes inte då B inte ville.") == {"DECLINE"}
    assert labels("Besöket genomfördes inte, B var inte hemma.") == {"NOT_HOME"}


def test_who_cancelled():
    relative = [h for h in hits("Besöket ställdes in av dottern.") if h.label == "DECLINE"]
    assert relative and relative[0].actor == "third_party"
    assert relative[0].get("cancelled_by") == "anhörig"
    assert "SERVICE_CANCEL" not in labels("Besöket ställdes in av dottern.")
    service = [h for h in hits("Vi fick avboka dagens besök.") if h.label == "SERVICE_CANCEL"]
    assert service and service[0].get("cancelled_by") == "verksamheten"
    assert labels("I måndags avbokade B ledsagningen.") == {"DECLINE"}


def test_unknown_canceller_gives_no_event():
    # no DECLINE or SERVICE_CANCEL: only a cancellation whose actor is unknown
    assert labels("Besök ställdes in.") == {"CANCELLED"}
    [hit] = hits("Besök ställdes in.")
    assert hit.actor == "unknown"


def test_past_episode_and_relatives_admission_are_not_hospital():
    assert labels("B var inlagd på sjukhus förra året.") == set()
    assert labels("B:s pappa är inlagd på sjukhus.") == set()
    assert labels("B åkte till akuten i natt men blev inte inlagd.") == set()
    assert labels("B är inlagd på sjukhus sedan igår.") == {"HOSPITAL"}


def test_refers_to_yesterday_and_last_monday():
    [hit] = [h for h in hits("Igår tackade hen nej.") if h.label == "DECLINE"]
    assert str(hit.refers_to) == "2025-03-11"
    [hit] = [h for h in hits("I måndags tackade B nej.") if h.label == "DECLINE"]
    assert str(hit.refers_to) == "2025-03-10"


def test_offsets_point_into_the_text():
    text = "Ej hemma vid besöket. Ringde B, inget svar."
    found = hits(text)
    nh = next(h for h in found if h.label == "NOT_HOME")
    assert text[nh.start : nh.end] == "Ej hemma"
    assert text[nh.sent_start : nh.sent_end] == "Ej hemma vid besöket."
