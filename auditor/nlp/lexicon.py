"""The NLP data: lexicon YAML files and the small pattern syntax they use.

Everything a verksamhetsutvecklare may want to extend lives under ``lexicon/`` as YAML
(loaded with ``importlib.resources``): abbreviations, lemma overrides, word sets,
context triggers and the event patterns. This module reads those files and compiles
the compact pattern strings into spaCy ``Matcher`` patterns.

Pattern syntax (tokens separated by spaces)::

    word        the token's keys (lower form, corrected form, lemma, compound parts) hold word
                (matched on TAG, where the lemmatizer writes the keys as "|k1|k2|")
    a|b         any of these
    @set        any word of a named set
    =form       exactly this lower-case form
    re:REGEX    the lower-case form matches REGEX
    x?          optional token
    ~N          a gap of 0..N tokens within the sentence, no punctuation
    *           any one token
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def load(name: str) -> dict[str, Any]:
    """One lexicon file (``lexicon/<name>.yaml``) as a dict; cached per process."""
    text = resources.files("auditor.nlp").joinpath("lexicon", f"{name}.yaml").read_text("utf-8")
    return yaml.safe_load(text) or {}


@cache
def word_sets() -> dict[str, frozenset[str]]:
    sets = {k: frozenset(str(w).lower() for w in v) for k, v in load("sets").items()}
    sets["cond_subject"] = frozenset(str(w).lower() for w in load("context")["cond_subject"])
    return sets


def word_set(name: str) -> frozenset[str]:
    """A named set from sets.yaml or a list at the top level of events.yaml."""
    sets = word_sets()
    if name in sets:
        return sets[name]
    return frozenset(str(w).lower() for w in load("events")[name])


@dataclass
class CompiledPattern:
    tokens: list[dict[str, Any]]
    literals: frozenset[str] = field(default_factory=frozenset)


def _alternatives(spec: str) -> list[str]:
    words: list[str] = []
    for part in spec.split("|"):
        if part.startswith("@"):
            words.extend(sorted(word_set(part[1:])))
        else:
            words.append(part.lower())
    return words


def compile_pattern(text: str) -> CompiledPattern:
    """Compile one pattern string into Matcher token dicts and its literal words."""
    tokens: list[dict[str, Any]] = []
    literals: set[str] = set()
    for raw in str(text).split():
        spec = raw
        op = None
        if spec.startswith("~") and spec[1:].isdigit():
            tokens.append({"IS_PUNCT": False, "OP": f"{{0,{spec[1:]}}}"})
            continue
        if spec == "*":
            tokens.append({})
            continue
        if len(spec) > 1 and spec.endswith("?"):
            spec, op = spec[:-1], "?"
        if spec.startswith("re:"):
            tok: dict[str, Any] = {"LOWER": {"REGEX": spec[3:]}}
        elif spec.startswith("="):
            forms = [w.lower() for w in spec[1:].split("|")]
            literals.update(forms)
            tok = {"LOWER": {"IN": forms}}
        elif not spec.strip("".join(".,:;!?-–")) and spec:
            tok = {"ORTH": spec}
        else:
            words = _alternatives(spec)
            literals.update(words)
            # The lemmatizer writes a token's keys into TAG as "|k1|k2|": a native attribute
            # keeps the Matcher fast (extension predicates are ~10x slower).
            alts = "|".join(re.escape(w) for w in sorted(set(words)))
            tok = {"TAG": {"REGEX": rf"\|(?:{alts})\|"}}
        if op:
            tok["OP"] = op
        tokens.append(tok)
    # Only the first token may start a sentence: patterns never cross sentences.
    for tok in tokens[1:]:
        tok["IS_SENT_START"] = False
    return CompiledPattern(tokens, frozenset(literals))


def lexicon_vocabulary() -> frozenset[str]:
    """Every literal word the patterns and sets mention: the target of spelling correction."""
    words: set[str] = set()
    for values in word_sets().values():
        words.update(values)
    events = load("events")
    for spec in events["candidates"].values():
        for pat in spec.get("patterns", []):
            words.update(compile_pattern(pat).literals)
    for name, values in events.items():
        if isinstance(values, list) and name != "candidates":
            words.update(str(v).lower() for v in values)
    for values in events.get("sokord", {}).values():
        words.update(str(v).lower() for v in values)
    words.update(str(k).lower() for k in load("lemmas").get("overrides", {}))
    return frozenset(w for w in words if re.fullmatch(r"[a-zåäöé][a-zåäöé:\-]*", w))
