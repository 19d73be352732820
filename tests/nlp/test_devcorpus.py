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
# Measured at the end of round 3 (2026-12-03): case-level macro F1 1.000 (every rule 1.00),
# note-level macro F1 0.875. A rule rests on 2-10 violation labels, so one miss costs
# 0.10-0.33 of its F1: the floors allow about one miss per rule.
MACRO_F1_FLOOR = 0.96
RULE_F1_FLOOR = 0.80
NOTE_MACRO_F1_FLOOR = 0.85
TEXT_RULES = ("TN1", "TN2", "TN3", "TN4", "TN5", "TN6", "GB1", "GB9", "GB10", "GB11", "GB12",
              "HP1", "KT1", "KT2", "NB2")


@pytest.fixture(scope="module")
def evaluation(tmp_path_factory):
    tags = write_tags(DEVCORPUS, tmp_path_factory.mktemp("tags") / "tags.csv")
    return evaluate_corpus(DEVCORPUS, as_of=AS_OF, tags=tags)


def test_case_level_macro_f1(evaluation):
    assert len(evaluation.rules) == 23
    assert evaluation.macro_f1 >= MACRO_F1_FLOOR


def test_no_rule_below_its_floor(evaluation):
    low = {r: round(s.f1, 2) for r, s in evaluation.rules.items() if s.f1 < RULE_F1_FLOOR}
    assert not low


@pytest.mark.parametrize("rule", TEXT_RULES)
def test_text_rule_has_no_false_violation(evaluation, rule):
    # precision first: a text rule may miss one violation, it may not invent more than one
    assert evaluation.rules[rule].fp <= 1, evaluation.rules[rule].fp_cases


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
