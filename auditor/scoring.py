"""Precision, recall and F1 from true positive, false positive and false negative counts:
one definition for every evaluation (the dev corpus, the NLP devset, generator labels)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Counts:
    """tp/fp/fn counts. With nothing predicted precision is 1.0, with nothing to find
    recall is 1.0 (no claim was wrong, nothing was missed)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0
