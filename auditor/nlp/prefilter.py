"""A cheap vectorised prefilter: which notes can hold an event at all.

One compiled regular expression over word stems (lexicon/prefilter.yaml, including
misspelling-prone stems) runs with pandas ``str.contains`` over all notes at once; only
the notes it passes go through spaCy. A sökord/rubrik naming a note type passes too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

import numpy as np
import pandas as pd

from auditor.nlp import lexicon


@cache
def stem_regex() -> re.Pattern[str]:
    stems = [str(s) for s in lexicon.load("prefilter")["stems"]]
    return re.compile("|".join(f"(?:{s})" for s in stems), re.IGNORECASE)


@cache
def sokord_regex() -> re.Pattern[str]:
    words = sorted({str(w) for ws in lexicon.load("events")["sokord"].values() for w in ws})
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)


def candidate_mask(
    texts: Sequence[str] | pd.Series, sokord: Sequence[str] | pd.Series | None = None
) -> np.ndarray:
    """Boolean array: True where the note may matter to a detector."""
    s = pd.Series(texts, dtype="object").fillna("").astype(str)
    mask = s.str.contains(stem_regex(), regex=True).to_numpy(dtype=bool, copy=True)
    if sokord is not None:
        k = pd.Series(sokord, dtype="object").fillna("").astype(str)
        mask = mask | k.str.contains(sokord_regex(), regex=True).to_numpy(dtype=bool)
    return mask
