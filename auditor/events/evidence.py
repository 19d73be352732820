"""Evidence for a finding, built from the rows and note sentences an event comes from.

Lives in the events stage (not in the rule checks) so that events never import rules.
"""

from __future__ import annotations

from datetime import date

from auditor.findings.model import Evidence
from auditor.model.records import Note, SourceRef, TextHit

EXCERPT_MAX = 300


def row_evidence(src: SourceRef, d: date | None, excerpt: str) -> Evidence:
    return Evidence(input=src.input, sheet=src.sheet, row=src.row, date=d, excerpt=excerpt, span=None)


def note_evidence(note: Note, hit: TextHit | None = None) -> Evidence:
    """The note's deciding sentence, with the deciding words as span."""
    text = note.text
    if hit is None:
        excerpt = text if len(text) <= EXCERPT_MAX else text[: EXCERPT_MAX - 1] + "…"
        return Evidence(note.src.input, note.src.sheet, note.src.row, note.date, excerpt, None,
                        note.signed_by.strip())
    s0, s1 = hit.sent_start, hit.sent_end
    excerpt = text[s0:s1].strip()
    lead = len(text[s0:s1]) - len(text[s0:s1].lstrip())
    start, end = hit.start - s0 - lead, hit.end - s0 - lead
    span = (start, end) if 0 <= start < end <= len(excerpt) else None
    return Evidence(note.src.input, note.src.sheet, note.src.row, note.date, excerpt, span,
                    note.signed_by.strip())
