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
