"""The NLP data: lexicon YAML files and the small pattern syntax they use.

Everything a verksamhetsutvecklare may want to extend lives under ``lexicon/`` as YAML
(loaded with ``importlib.resources``): abbreviations, lemma overrides, word sets,
context triggers and the event patterns. This module reads those files and compiles
the compact pattern strings into token specs for the matcher (``auditor/nlp/match.py``).

Pattern syntax (tokens separated by spaces)::

    word        the token's keys (lower form, corrected form, lemma, compound parts) hold word
    a|b         any of these
    @set        any word of a named set
    =form       exactly this lower-case form
    re:REGEX    the lower-case form matches REGEX
    x?          optional token
    ~N          a gap of 0..N tokens within the sentence, no punctuation
    *           any one token

Every token spec is compiled to a set of *match keys*: the token matches when its match
keys (its keys plus the virtual keys ``=<lower>``, ``re:<REGEX>`` for each lexicon regex
its lower form matches, and ``orth:<text>`` for punctuation) share one with the spec. A
token's match keys depend on its word form only, so they are computed once per form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed


@cache
def load(name: str) -> dict[str, Any]:
    """One lexicon file (``lexicon/<name>.yaml``) as a dict; cached per process."""
    text = resources.files("auditor.nlp").joinpath("lexicon", f"{name}.yaml").read_text("utf-8")
    return yaml.load(text, Loader=_YAML_LOADER) or {}  # a safe loader


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


PUNCT_SPEC_CHARS = ".,:;!?-–"


@dataclass(frozen=True, slots=True)
class Spec:
    """One token of a pattern: a set of match keys (None: any token), or a gap of 0..gap
    non-punctuation tokens; optional specs may be skipped."""

    keys: frozenset[str] | None = None
    gap: int = 0
    optional: bool = False

    @property
    def required(self) -> bool:
        return not self.gap and not self.optional


@dataclass
class CompiledPattern:
    specs: tuple[Spec, ...]
    literals: frozenset[str] = field(default_factory=frozenset)
    text: str = ""


def _alternatives(spec: str) -> list[str]:
    words: list[str] = []
    for part in spec.split("|"):
        if part.startswith("@"):
            words.extend(sorted(word_set(part[1:])))
        else:
            words.append(part.lower())
    return words


@cache
def common_words() -> frozenset[str]:
    """Words too common in journal notes to anchor a pattern on (lexicon/prefilter.yaml)."""
    return frozenset(str(w).lower() for w in load("prefilter")["common_words"])


def commonness(spec: frozenset[str]) -> tuple[int, int]:
    """How common a token spec is likely to be: (common words in it, its size)."""
    common = common_words()
    return sum(1 for k in spec if k.lstrip("=") in common), len(spec)


def regex_key(rx: str) -> str:
    return "re:" + rx


def compile_pattern(text: str) -> CompiledPattern:
    """Compile one pattern string into token specs and its literal words."""
    specs: list[Spec] = []
    literals: set[str] = set()
    for raw in str(text).split():
        spec = raw
        optional = False
        if spec.startswith("~") and spec[1:].isdigit():
            specs.append(Spec(gap=int(spec[1:])))
            continue
        if spec == "*":
            specs.append(Spec())
            continue
        if len(spec) > 1 and spec.endswith("?"):
            spec, optional = spec[:-1], True
        if spec.startswith("re:"):
            keys = frozenset({regex_key(spec[3:])})
        elif spec.startswith("="):
            # "=a|b" and "=a|=b" both mean: exactly the form a or b
            forms = [w.lower().lstrip("=") for w in spec[1:].split("|")]
            literals.update(forms)
            keys = frozenset("=" + f for f in forms)
        elif not spec.strip(PUNCT_SPEC_CHARS) and spec:
            keys = frozenset({"orth:" + spec})
        else:
            words = _alternatives(spec)
            literals.update(words)
            keys = frozenset(words)
        specs.append(Spec(keys=keys, optional=optional))
    if not specs or specs[0].gap or specs[0].keys is None:
        raise ValueError(f"a pattern must start with a word: {text!r}")
    if all(not s.required for s in specs):
        raise ValueError(f"a pattern needs one required word: {text!r}")
    return CompiledPattern(tuple(specs), frozenset(literals), str(text))


@cache
def pattern_regexes() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Every ``re:`` spec of the lexicon files, as (match key, compiled regex)."""
    texts: list[str] = []
    for spec in load("events")["candidates"].values():
        texts.extend(str(p) for p in spec.get("patterns", []))
    ctx = load("context")
    for items in ctx["triggers"].values():
        texts.extend(str(item["p"]) for item in items)
    texts.extend(str(p) for p in ctx.get("pseudo", []))
    found: dict[str, re.Pattern[str]] = {}
    for text in texts:
        for raw in text.split():
            raw = raw[:-1] if len(raw) > 1 and raw.endswith("?") else raw
            if raw.startswith("re:"):
                found[regex_key(raw[3:])] = re.compile(raw[3:])
    return tuple(found.items())


def virtual_keys(text: str, lower: str) -> frozenset[str]:
    """The match keys a token has besides its keys: =lower, matched regexes, punctuation."""
    out = {"=" + lower}
    for key, rx in pattern_regexes():
        if rx.search(lower):
            out.add(key)
    if text and not text.strip(PUNCT_SPEC_CHARS):
        out.add("orth:" + text)
    return frozenset(out)


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
