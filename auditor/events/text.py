"""Text hits for journal notes: the NLP layer applied to Note records."""

from __future__ import annotations

from collections.abc import Sequence

from auditor.model.people import People, build_people
from auditor.model.records import Note
from auditor.nlp import detect_texts


def annotate(
    notes: list[Note],
    *,
    workers: int | None = None,
    people: Sequence[People | None] | None = None,
    signatures: Sequence[tuple] | None = None,
) -> None:
    """Fill ``note.hits`` with the TextHits found in each note's text.

    The note date dates what the text refers back to ("igår" -> the day before), and the
    sökord/rubrik is a strong signal for note types (sammanställning, slutanteckning ...).
    ``people`` (one per note: its case's who-is-who) tells who a name in the text is.
    """
    if not notes:
        return
    hits = detect_texts(
        [n.text or "" for n in notes],
        [n.date for n in notes],
        [n.sokord or "" for n in notes],
        workers=workers,
        people=people,
        signatures=signatures,
    )
    for note, found in zip(notes, hits, strict=True):
        note.hits = found


def annotate_dataset(dataset, *, workers: int | None = None) -> dict[str, People]:
    """Annotate every note of every case, reading names through the case's who-is-who
    (built from the exports first). Returns the who-is-who per case."""
    who = build_people(dataset)
    notes: list[Note] = []
    people: list[People | None] = []
    for key, case in dataset.cases.items():
        notes.extend(case.notes)
        people.extend([who[key]] * len(case.notes))
    annotate(notes, workers=workers, people=people)
    return who
