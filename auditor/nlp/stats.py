"""Counters of the NLP stage since the last :func:`reset` (``detect_texts`` updates them).

``snapshot()`` gives notes_total, notes_to_spacy (the notes the prefilter passes),
share_to_spacy, words_total, words_to_spacy, nlp_seconds and words_per_second (whole NLP
stage - prefilter, spaCy, detectors and the process pool - per word of all notes; words are
whitespace-separated), and docs_to_spacy: the distinct (text, sökord) pairs among the
passed notes, which is what spaCy actually runs on (identical notes are run once).
"""

from __future__ import annotations

_COUNTS: dict[str, float] = {}


def reset() -> None:
    _COUNTS.clear()
    _COUNTS.update(
        notes_total=0,
        notes_to_spacy=0,
        docs_to_spacy=0,
        words_total=0,
        words_to_spacy=0,
        nlp_seconds=0.0,
    )


def record(
    *,
    notes_total: int,
    notes_to_spacy: int,
    words_total: int,
    words_to_spacy: int,
    seconds: float,
    docs_to_spacy: int | None = None,
) -> None:
    if not _COUNTS:
        reset()
    _COUNTS["notes_total"] += notes_total
    _COUNTS["notes_to_spacy"] += notes_to_spacy
    _COUNTS["docs_to_spacy"] += notes_to_spacy if docs_to_spacy is None else docs_to_spacy
    _COUNTS["words_total"] += words_total
    _COUNTS["words_to_spacy"] += words_to_spacy
    _COUNTS["nlp_seconds"] += seconds


def snapshot() -> dict[str, float]:
    if not _COUNTS:
        reset()
    c = dict(_COUNTS)
    notes, secs = c["notes_total"], c["nlp_seconds"]
    return {
        "notes_total": int(notes),
        "notes_to_spacy": int(c["notes_to_spacy"]),
        "share_to_spacy": round(c["notes_to_spacy"] / notes, 4) if notes else 0.0,
        "words_total": int(c["words_total"]),
        "words_to_spacy": int(c["words_to_spacy"]),
        "nlp_seconds": round(secs, 4),
        "words_per_second": round(c["words_total"] / secs) if secs else 0,
        "docs_to_spacy": int(c["docs_to_spacy"]),
    }


reset()
