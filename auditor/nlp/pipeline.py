"""The Swedish pipeline on ``spacy.blank("sv")``.

Components (registered factories, keyword-only settings):

- ``sentencizer`` (spaCy's) plus ``auditor_sentences``: telegraphic notes also split at
  line breaks and at a free-standing dash (" - ").
- ``auditor_lemmatizer``: domain overrides, the Swedish lookup table of
  spacy-lookups-data, a compound-head fallback, and spelling tolerance (rapidfuzz)
  for out-of-vocabulary words. It fills ``token.lemma_``, ``token.norm_`` and the
  token extensions ``keys`` (what patterns match), ``corrected``, ``compound_head``
  and ``compound_mod``.
- ``auditor_matcher`` (detectors.py): event candidates from lexicon/events.yaml.
- ``auditor_context`` (context.py): negated / hypothetical / future / historical, actor.
- ``auditor_detectors`` (detectors.py): the catalogue's labels in ``doc.spans["auditor_hits"]``.

``get_nlp()`` builds the pipeline once per process.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache

import spacy
import srsly
from rapidfuzz import fuzz, process
from spacy.language import Language
from spacy.symbols import NORM, ORTH
from spacy.tokens import Doc, Span, Token

from auditor.nlp import lexicon

_DASHES = {"-", "–", "—"}


def register_extensions() -> None:
    """Token, span and doc attributes the components fill (idempotent)."""
    token_ext = {"keys": None, "corrected": None, "compound_head": None, "compound_mod": None}
    span_ext = {
        "kind": None,
        "literals": frozenset(),
        "negated": False,
        "hypothetical": False,
        "future": False,
        "historical": False,
        "categories": frozenset(),
        "actor": None,
        "refers_to": None,
        "detail": (),
    }
    doc_ext = {"note_date": None, "sokord": ""}
    for name, default in token_ext.items():
        if not Token.has_extension(name):
            Token.set_extension(name, default=default)
    for name, default in span_ext.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)
    for name, default in doc_ext.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register_extensions()


# --- tokenizer ---------------------------------------------------------------


def add_special_cases(nlp: Language) -> None:
    """Care abbreviations stay one token, with their expansion as NORM."""
    data = lexicon.load("tokenizer")
    drop = {str(x).lower() for x in data.get("drop_exceptions", ())}
    rules = dict(nlp.tokenizer.rules or {})
    for key in list(rules):
        low = key.lower()
        single = (
            data.get("drop_single_letters") and len(key) == 2 and key[1] == "." and key[0].isalpha()
        )
        if low in drop or single:
            del rules[key]
    nlp.tokenizer.rules = rules
    if data.get("drop_single_letters"):
        # "Ringde B." - a period after a capital letter ends the sentence.
        suffixes = [*list(nlp.Defaults.suffixes or ()), r"(?<=[A-ZÅÄÖ])\."]
        nlp.tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search
    for text, norm in data["abbreviations"].items():
        text, norm = str(text), str(norm)
        for variant in {text, text[:1].upper() + text[1:], text.upper()}:
            nlp.tokenizer.add_special_case(variant, [{ORTH: variant, NORM: norm}])


# --- sentences -----------------------------------------------------------------


@Language.factory("auditor_sentences")
def make_sentences(nlp: Language, name: str, *, split_on_dash: bool = True):
    return SentenceRules(split_on_dash=split_on_dash)


class SentenceRules:
    """Extra sentence starts for telegraphic notes: after line breaks and ' - '."""

    def __init__(self, *, split_on_dash: bool = True) -> None:
        self.split_on_dash = split_on_dash

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        for i, tok in enumerate(doc):
            if i + 1 >= n:
                break
            nxt = doc[i + 1]
            if "\n" in tok.text or "\n" in tok.whitespace_:
                nxt.is_sent_start = True
            elif (
                len(tok.text) > 2
                and tok.text.endswith(".")
                and nxt.is_title
                and len(nxt.text) > 1
                and nxt.text.isalpha()
            ):
                nxt.is_sent_start = True  # "svarar ej i tel. Startade rutinen"
            elif (
                self.split_on_dash
                and tok.text in _DASHES
                and i > 0
                and doc[i - 1].whitespace_
                and tok.whitespace_
            ):
                nxt.is_sent_start = True
        return doc


# --- lemmas --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Analysis:
    lemma: str
    corrected: str | None = None
    head: str | None = None
    mod: str | None = None


class LemmaData:
    """Lookup table, overrides, compound heads and the fuzzy vocabulary (one per process)."""

    def __init__(self, *, fuzzy_cutoff: float = 86.0, min_fuzzy_len: int = 5) -> None:
        data = lexicon.load("lemmas")
        self.overrides = {str(k).lower(): str(v).lower() for k, v in data["overrides"].items()}
        self.particles = frozenset(data["particles"])
        self.domain_heads = frozenset(data["domain_heads"])
        self.domain_mods = frozenset(data["domain_modifiers"])
        self.normalise = [(re.compile(p), str(v)) for p, v in data.get("normalise", {}).items()]
        self.table: dict[str, str] = _lookup_table()
        self.bases = frozenset(self.table.values())
        self.vocab = lexicon.lexicon_vocabulary()
        self.fuzzy_cutoff = fuzzy_cutoff
        self.min_fuzzy_len = min_fuzzy_len
        self._fuzzy_choices = self._build_fuzzy_choices()
        self.analyse = lru_cache(maxsize=200_000)(self._analyse)

    def _build_fuzzy_choices(self) -> dict[str, list[str]]:
        lemmas = {self.lemma_of(w) for w in self.vocab} | set(self.vocab)
        forms = set(self.vocab)
        for form, lemma in self.table.items():
            if lemma in lemmas and len(form) >= self.min_fuzzy_len:
                forms.add(form)
        by_initial: dict[str, list[str]] = defaultdict(list)
        for f in forms:
            if len(f) >= self.min_fuzzy_len - 1:
                by_initial[f[0]].append(f)
        return dict(by_initial)

    def known(self, word: str) -> bool:
        return (
            word in self.table or word in self.bases or word in self.overrides or word in self.vocab
        )

    def lemma_of(self, word: str) -> str:
        if word in self.overrides:
            return self.overrides[word]
        for rx, lemma in self.normalise:
            if rx.match(word):
                return lemma
        return self.table.get(word, word)

    def _correct(self, word: str) -> str | None:
        choices = [c for c in self._fuzzy_choices.get(word[0], ()) if abs(len(c) - len(word)) <= 2]
        if not choices:
            return None
        best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=self.fuzzy_cutoff)
        return best[0] if best else None

    def _split(self, word: str, *, only_domain: bool) -> tuple[str, str] | None:
        """Split a compound into (modifier, head): the longest known head wins."""
        for i in range(2, len(word) - 2):
            mod, head = word[:i], word[i:]
            if len(head) < 3:
                break
            head_domain = head in self.domain_heads or self.lemma_of(head) in self.domain_heads
            if only_domain and not head_domain:
                continue
            if not (head_domain or self.known(head)):
                continue
            stem = mod[:-1] if mod.endswith("s") and len(mod) > 3 else mod
            mod_ok = (
                mod in self.particles
                or (len(mod) >= 3 and (self.known(mod) or self.known(stem)))
                or (head_domain and len(mod) >= 3)
            )
            if mod_ok:
                return mod, head
        return None

    def _analyse(self, word: str) -> Analysis:
        for rx, lemma in self.normalise:
            if rx.match(word):
                return Analysis(lemma)
        if word in self.overrides or word in self.table or word in self.bases or word in self.vocab:
            lemma = self.overrides.get(word) or self.table.get(word, word)
            parts = self._head_of_known(word)
            if parts:
                return Analysis(lemma, head=parts[1], mod=parts[0])
            return Analysis(lemma)
        if not word.isalpha() or len(word) < 3:
            return Analysis(word)
        if len(word) >= self.min_fuzzy_len:
            corrected = self._correct(word)
            if corrected:
                return Analysis(self.lemma_of(corrected), corrected=corrected)
        parts = self._split(word, only_domain=False)
        if parts:
            mod, head = parts
            head_lemma = self.lemma_of(head)
            return Analysis(mod + head_lemma, head=head_lemma, mod=self.lemma_of(mod))
        return Analysis(word)

    def _head_of_known(self, word: str) -> tuple[str, str] | None:
        if len(word) < 6:
            return None
        parts = self._split(word, only_domain=True)
        if not parts:
            return None
        mod, head = parts
        if mod in self.particles and len(mod) < 3:
            return None
        return (self.lemma_of(mod), self.lemma_of(head))


@cache
def _lookup_table() -> dict[str, str]:
    import spacy_lookups_data

    path = os.path.join(
        os.path.dirname(spacy_lookups_data.__file__), "data", "sv_lemma_lookup.json.gz"
    )
    return dict(srsly.read_gzip_json(path))


@cache
def lemma_data() -> LemmaData:
    return LemmaData()


@Language.factory("auditor_lemmatizer")
def make_lemmatizer(nlp: Language, name: str, *, fuzzy: bool = True):
    return DomainLemmatizer(fuzzy=fuzzy)


class DomainLemmatizer:
    """Overrides -> lookup table -> compound head; spelling correction for unknown words."""

    def __init__(self, *, fuzzy: bool = True) -> None:
        self.data = lemma_data()
        self.fuzzy = fuzzy

    def __call__(self, doc: Doc) -> Doc:
        analyse = self.data.analyse
        for tok in doc:
            if tok.is_space:
                tok._.keys = ()
                tok.tag_ = "|"
                continue
            lower = tok.lower_
            a = analyse(lower)
            if not self.fuzzy and a.corrected:
                a = Analysis(lower)
            tok.lemma_ = a.lemma
            # A genitive ("B:s dotter") is not the person itself.
            keys = {lower} if lower.endswith(":s") else {lower, a.lemma}
            if len(lower) > 1 and lower.endswith("."):
                keys.add(lower.rstrip("."))
            norm = tok.norm_
            if norm and norm != lower:
                keys.add(norm)
            if a.corrected:
                tok._.corrected = a.corrected
                tok.norm_ = a.corrected
                keys.add(a.corrected)
            if a.head:
                tok._.compound_head = a.head
                tok._.compound_mod = a.mod
                keys.add(a.head)
                if a.mod:
                    keys.add(a.mod)
            tok._.keys = tuple(keys)
            tok.tag_ = "|" + "|".join(sorted(keys)) + "|"
        return doc


# --- the pipeline ----------------------------------------------------------------


def build_nlp(*, fuzzy: bool = True) -> Language:
    """A fresh pipeline (tests and workers use :func:`get_nlp`, which caches one)."""
    # Components register their factories on import.
    from auditor.nlp import context, detectors  # noqa: F401

    nlp = spacy.blank("sv")
    add_special_cases(nlp)
    nlp.add_pipe("sentencizer", config={"punct_chars": [".", "!", "?", "…", ";"]})
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
