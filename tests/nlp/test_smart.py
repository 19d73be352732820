from __future__ import annotations

import pytest

from auditor.nlp.smart import assess_delmal


def test_vague_goal_fails_all():
    v = assess_delmal("Må bättre")
    assert (v.specific, v.measurable, v.time_bound) == (False, False, False)
    assert set(v.reasons) == {"specific", "measurable", "time_bound"}
    assert "tillstånd" in v.reasons["specific"]


def test_smart_goal_passes_all():
    v = assess_delmal("B handlar själv på ICA en gång i veckan med stöd, senast 2026-06-30")
    assert v.smart


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("B städar köket varje vecka", (True, True, False)),
        ("Öka självständigheten till sommaren", (False, False, True)),
        ("B betalar alla räkningar utan påminnelse inom 3 månader", (True, True, True)),
        ("", (False, False, False)),
    ],
)
def test_criteria(text, expected):
    v = assess_delmal(text)
    assert (v.specific, v.measurable, v.time_bound) == expected
