"""The lexicon patterns as indexed pattern sets: the event candidates of ``events.yaml``
(:func:`candidate_patterns`) and the context triggers and pseudo-triggers of
``context.yaml`` (:func:`trigger_patterns`).

A token's ``rel`` keys (``pipeline.TokenInfo``) are the match keys any of them uses, so the
positions worth looking at are found once per doc (``DocInfo.relevant``) for both sets.
Triggers are only looked for in docs with candidates.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from auditor.nlp import lexicon
from auditor.nlp.match import Entry, PatternSet

if TYPE_CHECKING:
    from auditor.nlp.pipeline import DocInfo

# Payload tags: (CAND, kind, literals), (TRIG, key, Trigger), (PSEUDO, None, None).
CAND, TRIG, PSEUDO = "cand", "trig", "pseudo"


@dataclass(frozen=True, slots=True)
class Trigger:
    category: str
    direction: str  # forward | backward | both
    window: int
    sentence_scope: bool
    only: frozenset[str]
    sent_start: bool


@cache
def candidate_patterns() -> PatternSet:
    """The candidate patterns of events.yaml (compiled once per process)."""
    ps = PatternSet()
    for kind, spec in lexicon.load("events")["candidates"].items():
        for text in spec.get("patterns", []):
            compiled = lexicon.compile_pattern(text)
            ps.add(compiled, (CAND, kind, compiled.literals))
    return ps


@cache
def trigger_patterns() -> PatternSet:
    """The triggers and pseudo-triggers of context.yaml (compiled once per process)."""
    ps = PatternSet()
    data = lexicon.load("context")
    for category, items in data["triggers"].items():
        for i, item in enumerate(items):
            trig = Trigger(
                category=category,
                direction=item.get("dir", "both"),
                window=int(item.get("window", 8)),
                sentence_scope=item.get("scope") == "sentence",
                only=frozenset(item.get("only", ())),
                sent_start=bool(item.get("sent_start", False)),
            )
            ps.add(
                lexicon.compile_pattern(item["p"]),
                (TRIG, f"{category}#{i}", trig),
                sent_start=trig.sent_start,
            )
    for p in data["pseudo"]:
        ps.add(lexicon.compile_pattern(p), (PSEUDO, None, None))
    return ps


@cache
def pattern_keys() -> frozenset[str]:
    """Every match key some pattern uses: a token with none of them matches nothing."""
    return candidate_patterns().used | trigger_patterns().used


def _positions(info: DocInfo, span: tuple[int, int] | None) -> list[tuple[int, frozenset[str]]]:
    pos = info.relevant()
    if span is not None:
        b, e = span
        pos = [p for p in pos if b <= p[0] < e]
    return pos


def doc_candidates(
    info: DocInfo, span: tuple[int, int] | None = None
) -> list[tuple[Entry, int, int]]:
    """The candidate pattern matches of the doc (or of the sentence ``span``)."""
    return candidate_patterns().find(info, _positions(info, span))


def doc_triggers(
    info: DocInfo, span: tuple[int, int] | None = None
) -> list[tuple[Entry, int, int]]:
    """The trigger and pseudo-trigger matches of the doc (or of the sentence ``span``)."""
    return trigger_patterns().find(info, _positions(info, span))
