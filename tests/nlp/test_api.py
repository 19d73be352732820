from __future__ import annotations

from datetime import date

from auditor.events.text import annotate
from auditor.model.records import Note, SourceRef, TextHit
from auditor.nlp import detect_texts


def _note(text: str, sokord: str = "") -> Note:
    return Note(
        src=SourceRef("journal.csv", None, 2),
        date=date(2025, 3, 12),
        time=None,
        text=text,
        sokord=sokord,
    )


def test_annotate_fills_hits():
    notes = [
        _note("Igår tackade B nej till promenaden, hade ont i ryggen."),
        _note("B åt lunch."),
        _note("Ärendet avslutat.", sokord="Slutanteckning"),
    ]
    annotate(notes)
    assert notes[0].has("DECLINE") and notes[0].has("REASON")
    assert notes[0].find("DECLINE")[0].refers_to == date(2025, 3, 11)
    assert notes[1].hits == []
    assert notes[2].has("END_NOTE")
    assert all(isinstance(h, TextHit) for n in notes for h in n.hits)


def test_detect_texts_pool_gives_same_result_as_serial():
    texts = ["Ej hemma. Ringde B utan svar.", "Avvikelse upprättad.", "B åt lunch."] * 4
    dates = [date(2025, 3, 12)] * len(texts)
    sok = [""] * len(texts)
    serial = detect_texts(texts, dates, sok, workers=1)
    pooled = detect_texts(texts, dates, sok, workers=2, pool_threshold=1)
    assert serial == pooled
    assert {h.label for h in serial[0]} == {"NOT_HOME", "CONTACT_ATTEMPT"}


def test_stats_count_the_nlp_stage():
    from auditor.nlp import stats

    stats.reset()
    detect_texts(["Ringde B, inget svar.", "B åt lunch.", "Ringde B, inget svar."])
    snap = stats.snapshot()
    assert snap["notes_total"] == 3
    assert snap["notes_to_spacy"] == 2 and snap["docs_to_spacy"] == 1
    assert snap["share_to_spacy"] == round(2 / 3, 4)
    assert snap["words_total"] == 11 and snap["words_to_spacy"] == 8
    assert snap["nlp_seconds"] > 0 and snap["words_per_second"] > 0
    assert set(snap) >= {
        "notes_total",
        "notes_to_spacy",
        "share_to_spacy",
        "words_total",
        "words_to_spacy",
        "nlp_seconds",
        "words_per_second",
    }
    stats.reset()
    assert stats.snapshot()["notes_total"] == 0


def test_identical_notes_share_results_but_dates_still_count():
    texts = ["Igår tackade B nej.", "Igår tackade B nej.", "Tackade nej.", "Tackade nej."]
    dates = [date(2025, 3, 12), date(2025, 3, 20), date(2025, 3, 12), date(2025, 3, 20)]
    found = detect_texts(texts, dates)
    assert found[0][0].refers_to == date(2025, 3, 11)
    assert found[1][0].refers_to == date(2025, 3, 19)
    assert found[2] == found[3] and found[2] is not found[3]


def test_lean_batch_docs_give_the_same_hits_as_full_docs(nlp):
    from auditor.nlp.detectors import doc_hits
    from auditor.nlp.evaluate import load_part

    texts = [i.text for i in load_part("heldout")]
    batch = detect_texts(texts, use_prefilter=False)
    full = [doc_hits(nlp(t)) for t in texts]
    assert batch == full


def test_empty_and_missing_texts():
    assert detect_texts([]) == []
    assert detect_texts(["", None]) == [[], []]  # type: ignore[list-item]
