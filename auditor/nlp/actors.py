"""Who a word is (brukare, verksamheten, anhörig, annan, handläggare) and whether a verb
form is past: per-form facts that both the name reading (``pipeline.py``) and the context
rules (``context.py``) use. Kept apart so those two modules do not import each other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from auditor.nlp import lexicon

if TYPE_CHECKING:
    from auditor.nlp.pipeline import TokenInfo

# A per-form fact not yet computed (TokenInfo.actor / TokenInfo.past).
UNSET = object()

# Actor categories (TextHit.actor / detail cancelled_by).
BRUKARE, VERKSAMHETEN, ANHORIG, ANNAN, HANDLAGGARE = (
    "brukare",
    "verksamheten",
    "anhörig",
    "annan",
    "handläggare",
)


def actor_category(t: TokenInfo) -> str | None:
    """brukare / verksamheten / anhörig / annan / handläggare, or None (cached per form)."""
    cat = t.actor
    if cat is not UNSET:
        return cat  # type: ignore[return-value]
    keys = t.keys
    if t.text == "B" or not keys.isdisjoint(lexicon.word_set("individual")):
        cat = BRUKARE
    elif not keys.isdisjoint(lexicon.word_set("caseworker")):
        cat = HANDLAGGARE
    elif not keys.isdisjoint(lexicon.word_set("relative")):
        cat = ANHORIG
    elif not keys.isdisjoint(lexicon.word_set("neighbour")):
        cat = ANNAN
    elif not keys.isdisjoint(lexicon.word_set("staff")):
        cat = VERKSAMHETEN
    else:
        cat = None
    t.actor = cat
    return cat


_PAST_ENDINGS = ("ade", "de", "te", "dde", "at", "tt", "it", "des", "tes")


def is_past(t: TokenInfo) -> bool:
    """A past-tense or supine verb form ("pratade", "ringt", "gick"), cached per form."""
    past = t.past
    if past is UNSET:
        past = t.past = t.lower in lexicon.word_set("past_irregular") or (
            t.lemma != t.lower and len(t.lower) > 3 and t.lower.endswith(_PAST_ENDINGS)
        )
    return past  # type: ignore[return-value]
