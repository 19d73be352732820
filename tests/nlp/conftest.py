from __future__ import annotations

from datetime import date

import pytest

from auditor.nlp import detect_texts
from auditor.nlp.build import get_nlp

NOTE_DATE = date(2025, 3, 12)  # a Wednesday


@pytest.fixture(scope="session")
def nlp():
    return get_nlp()


def labels(text: str, sokord: str = "", day: date = NOTE_DATE) -> set[str]:
    """The asserted labels the detectors find in one note."""
    [hits] = detect_texts([text], [day], [sokord])
    return {h.label for h in hits if h.asserted}


def hits(text: str, sokord: str = "", day: date = NOTE_DATE):
    [found] = detect_texts([text], [day], [sokord], use_prefilter=False)
    return found
