"""Measured precision per rule and when a rule is flagged "granska regeln"."""

from __future__ import annotations

import pytest

from auditor.history.layer import PRECISION_MIN_DECISIONS, RuleReviewStats


@pytest.mark.parametrize(
    "counts, precision, flagged",
    [
        ({}, None, False),
        ({"motiverad": 7}, None, False),  # exceptions say nothing about the rule
        ({"bekraftad": 3, "atgardad": 1, "falskt_larm": 1}, 0.8, False),
        ({"bekraftad": 1, "falskt_larm": 4}, 0.2, True),
        ({"falskt_larm": PRECISION_MIN_DECISIONS - 1}, 0.0, False),  # too few decisions to judge the rule
        ({"bekraftad": 2, "atgardad": 1, "falskt_larm": 3}, 0.5, True),
    ],
)
def test_precision_and_flag(counts, precision, flagged) -> None:
    s = RuleReviewStats("TN1", **counts)
    assert s.precision == precision
    assert s.flagged is flagged
    assert s.to_json()["precision"] == (None if precision is None else round(precision, 4))
