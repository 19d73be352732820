"""Regression guard: `auditor evaluate` on the hand-labelled dev corpus (../shared/devcorpus/v1).

The floors sit just below what was measured when they were set (see the issue's closing note);
they catch a regression, they are not accuracy claims (other corpora, unseen, are)."""

from __future__ import annotations

from datetime import date

import pytest

from auditor.cli import main
from auditor.evaluation import evaluate_corpus
from tests.nlp.devcorpus import DEVCORPUS, write_tags

pytestmark = pytest.mark.skipif(
    not (DEVCORPUS / "labels.csv").is_file(),
    reason="../shared/devcorpus/v1 is not beside the repository (CI has it at ../shared)",
)

AS_OF = date(2026, 10, 1)
MACRO_F1_FLOOR = 0.74
RULE_F1_FLOORS = {
    "GB2": 0.99, "GB3": 0.99, "GB5": 0.99, "GB6": 0.99, "GB7": 0.99, "GB8": 0.99, "HP1": 0.99,
    "TN1": 0.85, "TN5": 0.85, "GB9": 0.80, "NB1": 0.85, "NB2": 0.85,
    "TN2": 0.60, "TN3": 0.55, "TN4": 0.55, "TN6": 0.60, "GB1": 0.70, "GB10": 0.70,
}
NOTE_MACRO_F1_FLOOR = 0.74


@pytest.fixture(scope="module")
def evaluation(tmp_path_factory):
    tags = write_tags(DEVCORPUS, tmp_path_factory.mktemp("tags") / "tags.csv")
    return evaluate_corpus(DEVCORPUS, as_of=AS_OF, tags=tags)


def test_case_level_macro_f1(evaluation):
    assert len(evaluation.rules) == 23
    assert evaluation.macro_f1 >= MACRO_F1_FLOOR


@pytest.mark.parametrize("rule", sorted(RULE_F1_FLOORS))
def test_rule_floor(evaluation, rule):
    assert evaluation.rules[rule].f1 >= RULE_F1_FLOORS[rule]


def test_note_level_scores(evaluation):
    assert evaluation.notes is not None
    assert evaluation.notes_matched >= 600
    assert evaluation.note_macro_f1 >= NOTE_MACRO_F1_FLOOR


def test_command_prints_per_rule_scores_and_skips_notes_without_tags(capsys):
    assert main(["evaluate", str(DEVCORPUS), "--as-of", AS_OF.isoformat()]) == 0
    out = capsys.readouterr().out
    assert "TN3" in out and "Makro-F1 (ärendenivå) över 23 regler" in out
    assert "ingen taggfil" in out


def test_command_says_what_is_missing(tmp_path, capsys):
    assert main(["evaluate", str(tmp_path)]) == 2
    assert "labels.csv" in capsys.readouterr().err
