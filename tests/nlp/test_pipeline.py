"""Tokenizer special cases, sentence rules, lemmas, compounds and spelling tolerance."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "abbr",
    ["enl.", "anteckn.", "pers.", "ev.", "ngn", "tel.", "kl.", "p.g.a.", "pga", "bl.a.", "t.ex."],
)
def test_care_abbreviations_stay_one_token(nlp, abbr):
    doc = nlp(f"Hen ringde {abbr} igen")
    assert abbr in [t.text for t in doc]
    assert len(list(doc.sents)) == 1


def test_abbreviation_norm_is_expansion(nlp):
    doc = nlp("Besöket ställdes in p.g.a. personalbrist enl. rutin.")
    norms = {t.text: t.norm_ for t in doc}
    assert norms["p.g.a."] == "pga"
    assert norms["enl."] == "enligt"


def test_lower_case_shorthand_reads_as_the_word_but_a_capital_stays_an_initial(nlp):
    norms = [(t.text, t.norm_) for t in nlp("Samtal m K o dottern. M ringde.")]
    assert ("m", "med") in norms and ("o", "och") in norms
    assert ("M", "m") in norms


def test_sentence_final_letter_and_word_are_split(nlp):
    doc = nlp("Ringde B. Lämnade lapp. Hen är lat.")
    assert [s.text for s in doc.sents] == ["Ringde B.", "Lämnade lapp.", "Hen är lat."]


def test_telegraphic_sentences_lines_and_dashes(nlp):
    doc = nlp("Tackade nej\nOrsak: sjuk - erbjöd ny tid")
    assert [s.text.strip() for s in doc.sents] == ["Tackade nej", "Orsak: sjuk -", "erbjöd ny tid"]


def test_time_and_clock_do_not_split(nlp):
    doc = nlp("Besök kl. 14.30 hos B.")
    assert len(list(doc.sents)) == 1


@pytest.mark.parametrize(
    ("word", "lemma"),
    [
        ("avbokades", "avboka"),
        ("genomförandeplanen", "genomförandeplan"),
        ("personalbristen", "personalbrist"),
        ("tackade", "tacka"),
        ("ville", "vilja"),
        ("handlade", "handla"),
        ("ställdes", "ställa"),
        ("3-dagarsrutinen", "tredagarsrutin"),
    ],
)
def test_lemmas(nlp, word, lemma):
    tok = nlp(f"B {word} idag")[1]
    assert tok.lemma_ == lemma


def test_compound_head_and_modifier(nlp):
    tok = nlp("Pga personalbristen ställdes besöket in")[1]
    assert tok._.compound_head == "brist"
    assert tok._.compound_mod == "personal"
    rep = nlp("Avvikelserapport skriven")[0]
    assert "avvikelse" in rep._.keys


def test_unknown_compound_gets_a_lemma_from_its_head(nlp):
    tok = nlp("Sjukhusvistelsen var lång")[0]
    assert tok._.compound_head is not None


@pytest.mark.parametrize(("typo", "fixed"), [("avikelse", "avvikelse"), ("tackde", "tacka")])
def test_spelling_tolerance(nlp, typo, fixed):
    tok = nlp(f"B {typo} nej")[1]
    assert fixed in tok._.keys


def test_known_words_and_names_are_not_corrected(nlp):
    doc = nlp("Sahlgrenska och Karolinska")
    assert all(t._.corrected is None for t in doc)


def test_pipeline_is_built_once():
    from auditor.nlp.build import get_nlp

    assert get_nlp() is get_nlp()
