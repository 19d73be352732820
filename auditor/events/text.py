"""Text hits for journal notes: the NLP layer applied to Note records."""

from __future__ import annotations

from auditor.model.records import Note
from auditor.nlp import detect_texts


def annotate(notes: list[Note], *, workers: int | None = None) -> None:
    """Fill ``note.hits`` with the TextHits found in each note's text.

    The note date dates what the text refers back to ("igår" -> the day before), and the
    sökord/rubrik is a strong signal for note types (sammanställning, slutanteckning ...).
    """
    if not notes:
        return
    hits = detect_texts(
        [n.text or "" for n in notes],
        [n.date for n in notes],
        [n.sokord or "" for n in notes],
        workers=workers,
    )
    for note, found in zip(notes, hits, strict=True):
        note.hits = found
