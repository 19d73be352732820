"""One positive and one negative case per detector, plus the note-level details."""

from __future__ import annotations

import pytest

from tests.nlp.conftest import hits, labels

CASES = [
    ("DECLINE", "B avböjde promenaden, kände sig trött.", "B tackade ja till besöket."),
    ("SERVICE_CANCEL", "Insatsen ställdes in pga personalbrist.", "Vi ställde inte in besöket."),
    ("NOT_HOME", "Knackade på, B öppnade inte.", "B öppnade dörren direkt."),
    ("HOSPITAL", "B lades in på psykiatrisk avdelning i helgen.", "Hens mamma är inlagd."),
    (
        "CONCERN",
        "Grannen ringde orolig, B vill inte ta emot hjälp.",
        "Dottern är orolig för B:s mående.",
    ),
    ("ALT_OFFERED", "Erbjöd B annan personal.", "Vi ska erbjuda ny tid nästa vecka."),
    ("ALT_NOT_POSSIBLE", "Ingen annan personal fanns att tillgå.", "Annan personal erbjöds."),
    ("INFORMED", "B informerades per telefon.", "Informerade dottern om ändringen."),
    ("DEVIATION", "Avvikelserapport skriven.", "Glömde skriva avvikelse."),
    ("REASON", "Tackade nej pga magsjuka.", "Tackade nej av okänd anledning."),
    ("MOTIVATION", "Försökte motivera B till en promenad.", "B saknar motivation."),
    ("CASEWORKER_CONTACT", "Meddelade socialsekreteraren via Treserva.", "Ska ringa handläggaren."),
    ("CONTACT", "Pratade med B i telefon.", "Handläggaren ringde B."),
    ("CONTACT_ATTEMPT", "Ringde B, inget svar.", "Ringde handläggaren."),
    ("VISIT_DONE", "Handlade tillsammans med B.", "Ska handla tillsammans imorgon."),
    ("THREE_DAY_ROUTINE", "Startade 3-dagarsrutinen.", "Ska starta 3-dagarsrutinen imorgon."),
    (
        "SUMMARY",
        "Sammanställning av daganteckningar för perioden jan-mars.",
        "Påbörjat sammanställningen för perioden.",
    ),
    (
        "END_NOTE",
        "Slutanteckning: insatsen avslutas då B flyttat.",
        "Om B inte hör av sig avslutas insatsen.",
    ),
    ("HOME_TALK", "Hemgångssamtal med mamma per telefon /LK", "Ska ha hemgångssamtal imorgon."),
    (
        "TERM_TALK",
        "Skickade inbjudan till terminssamtal.",
        "Inbjudan till terminssamtal ska skickas ut.",
    ),
    ("WELCOME_PACK", "Välkomstmappen överlämnad.", "Välkomstmapp ej lämnad."),
    ("PLAN_DONE", "Genomförandeplanen klar och fastställd.", "Genomförandeplanen påbörjad."),
    ("VALUE_WORD", "B var väldigt besvärlig idag.", "Det var en besvärlig dag."),
    ("CANCELLED", "Besöket avbokat.", "Besöket avbokat av B."),
]


@pytest.mark.parametrize(("label", "positive", "negative"), CASES, ids=[c[0] for c in CASES])
def test_detector(label, positive, negative):
    assert label in labels(positive)
    assert label not in labels(negative)


def test_every_label_has_a_case():
    from auditor.nlp.detectors import EXTRA_LABELS, LABELS

    assert {c[0] for c in CASES} == set(LABELS) | set(EXTRA_LABELS)


def test_end_note_gives_reason_detail():
    found = [
        h for h in hits("Slutanteckning: insatsen avslutas då B flyttat.") if h.label == "END_NOTE"
    ]
    assert found and all(h.get("gives_reason") is True for h in found)
    [bare] = [h for h in hits("Ärendet avslutat.") if h.label == "END_NOTE"]
    assert bare.get("gives_reason") is False


@pytest.mark.parametrize(
    ("text", "held_by"),
    [
        ("Hemgångssamtal med mamma per telefon /LK", "LK"),
        ("Hemgångssamtal vid hämtning med pappa. Sara", "Sara"),
        ("Hemgångssamtal genomfört med mamma.", None),
    ],
)
def test_home_talk_held_by(text, held_by):
    [hit] = [h for h in hits(text) if h.label == "HOME_TALK"]
    assert hit.get("held_by") == held_by


def test_sokord_is_a_strong_signal():
    assert "SUMMARY" in labels("Perioden jan-mars: stöd med ekonomi.", sokord="Sammanställning")
    assert "END_NOTE" in labels("Ärendet avslutat.", sokord="Slutanteckning")


def test_summary_recaps_create_no_events():
    text = "Sammanställning av daganteckningar: tre avbokningar i april, inlagd 6/6–19/6."
    assert labels(text) == {"SUMMARY"}


def test_two_events_in_one_note():
    text = "Besöket ställdes in pga personalbrist. B informerades och erbjöds ny tid på fredag."
    assert labels(text) == {"SERVICE_CANCEL", "INFORMED", "ALT_OFFERED"}


def test_misspelt_and_compound_words():
    assert "DEVIATION" in labels("Avikelse skriven.")
    assert "DECLINE" in labels("tackde nej till städning idag")
    assert "SERVICE_CANCEL" in labels("Dagens besök inställt pga personalbristen.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the individual was reached: a call that went on, talk through the door, a meeting
        ("Ringde B och presenterade mig. Vi bokade ett uppstartsmöte på fredag.", {"CONTACT"}),
        ("Ringde B, inget svar.", {"CONTACT_ATTEMPT"}),
        ("Ringde upp B som lät glad.", {"CONTACT"}),
        ("Ringde B som inte svarade.", {"CONTACT_ATTEMPT"}),
        ("Pratade med B genom dörren, hen ville inte öppna.", {"CONTACT", "DECLINE"}),
        ("B gick med på att prova en promenad.", {"CONTACT"}),
        ("Uppstartsmöte med B på kontoret.", {"CONTACT"}),
        # telegraphic shorthand: "m" for "med", "tel" for "telefon"
        ("Samtal m B om veckans handling.", {"CONTACT"}),
        ("Tel m B, allt lugnt.", {"CONTACT"}),
        ("Bokade möte med B till fredag.", set()),
        ("Handläggaren ringde B.", {"CASEWORKER_CONTACT"}),
        # visits in indirect wording
        ("Besöket gick bra, B bjöd på kaffe.", {"VISIT_DONE"}),
        ("Stöttade B med tvätten.", {"VISIT_DONE"}),
        ("B var glad när jag kom.", {"VISIT_DONE"}),
        ("Besök kl 10. Handling på Coop.", {"VISIT_DONE"}),
        ("Besök kl 10. Ej hemma.", {"NOT_HOME"}),
        # declines in the present tense; another person is no decline
        ("B vill inte ha boendestöd längre.", {"DECLINE"}),
        ("B ville inte ha annan personal.", set()),
        ("Hen vill inte städa.", set()),
        # intended end note
        ("Insatsen ska avslutas i slutet av månaden, slutanteckning skrivs då.", set()),
        ("Slutanteckning skriven.", {"END_NOTE"}),
    ],
)
def test_known_weaknesses(text, expected):
    assert labels(text) == expected


def test_service_had_to_cancel():
    assert labels("Fick tyvärr avboka B pga sjukdom.") == {"SERVICE_CANCEL"}
    assert labels("B fick avboka pga sjukdom.") == {"DECLINE", "REASON"}
