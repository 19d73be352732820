"""The spaCy pipeline assembled: tokens and lemmas (``pipeline.py``), context (``context.py``)
and detectors (``detectors.py``). Kept on top of those modules so none of them imports the
others in a circle; ``get_nlp()`` builds it once per process.
"""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language

# Importing the component modules registers their spaCy factories.
from auditor.nlp import context, detectors  # noqa: F401
from auditor.nlp.pipeline import add_special_cases


def build_nlp(*, fuzzy: bool = True) -> Language:
    """A fresh pipeline (tests and workers use :func:`get_nlp`, which caches one)."""
    nlp = spacy.blank("sv")
    add_special_cases(nlp)
    nlp.add_pipe("auditor_sentences")
    nlp.add_pipe("auditor_lemmatizer", config={"fuzzy": fuzzy})
    nlp.add_pipe("auditor_matcher")
    nlp.add_pipe("auditor_context")
    nlp.add_pipe("auditor_detectors")
    return nlp


@cache
def get_nlp() -> Language:
    """The process's pipeline, built once."""
    return build_nlp()
