"""The Swedish pipeline on ``spacy.blank("sv")``.

Components (registered factories, keyword-only settings):

- ``auditor_sentences``: spaCy's sentencizer rule (a sentence ends after . ! ? … ;) plus, for
  telegraphic notes, a sentence start after line breaks, after "word. Capital" and at a
  free-standing dash (" - ").
- ``auditor_lemmatizer``: domain overrides, the Swedish lookup table of
  spacy-lookups-data, a compound-head fallback, and spelling tolerance (rapidfuzz)
  for out-of-vocabulary words. It fills ``token.lemma_``, ``token.norm_`` and the
  token extensions ``keys`` (what patterns match), ``corrected``, ``compound_head``
  and ``compound_mod``. A capitalised name not preceded by a role or a preposition is read
  as the individual (:func:`mark_names`: "Ringde Anna", not "dottern Anna").
- ``auditor_matcher`` (detectors.py): event candidates from lexicon/events.yaml.
- ``auditor_context`` (context.py): negated / hypothetical / future / historical, actor.
- ``auditor_detectors`` (detectors.py): the catalogue's labels as TextHits.

Speed: everything a token contributes depends on its word form only (and its NORM, which
the tokenizer's special cases set), so it is computed once per form into a
:class:`TokenInfo` and cached. A doc is read once into a :class:`DocInfo` (plain lists
of TokenInfo, sentence starts and ends), which the components share through
``doc.user_data``; spaCy's attributes (sentence starts, lemma, norm) are written back
in one ``Doc.from_array`` call - except in the batch runner's lean docs, which are read for
their TextHits only.

``build.get_nlp()`` assembles the pipeline once per process.
"""

from __future__ import annotations

import copy
import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, cast

import numpy as np
import spacy
from rapidfuzz import fuzz, process
from spacy.attrs import IDX, LEMMA, SENT_START, SPACY
from spacy.attrs import NORM as NORM_ATTR
from spacy.attrs import ORTH as ORTH_ATTR
from spacy.language import Language
from spacy.symbols import NORM, ORTH
from spacy.tokens import Doc, Token

from auditor.nlp import lexicon
from auditor.nlp.actors import ANHORIG, HANDLAGGARE, UNSET, VERKSAMHETEN, actor_category, is_past
from auditor.nlp.lemma_table import LemmaTable
from auditor.nlp.patterns import pattern_keys

_DASHES = {"-", "–", "—"}
INFO_KEY = "auditor_info"
TEXT_KEY = "auditor_text"
# Set by the batch runner: the doc is read for its TextHits only, so the components skip
# writing spaCy's own attributes (sentence starts, lemma, norm) back into it.
LEAN_KEY = "auditor_lean"
_NOT_START = 2**64 - 1
_INFO_ATTRS = [ORTH_ATTR, NORM_ATTR, IDX, SPACY]  # -1 as spaCy's uint64 attribute arrays hold it
PUNCT_CHARS = frozenset({".", "!", "?", "…", ";"})


def _token_getter(name: str):
    def get(tok: Token):
        info = tok.doc.user_data.get(INFO_KEY)
        if info is None or not info.lemmatized:
            return None
        return getattr(info.toks[tok.i], name)

    return get


def register_extensions() -> None:
    """Token and doc attributes the components fill (idempotent).

    Candidates and hits are plain objects (``context.Cand``, ``TextHit``), not spans with
    extension values: spaCy keys span extensions by character offsets, so two spans with the
    same offsets (a SERVICE_CANCEL and an ALT_OFFERED from one "besöket flyttades") would
    share them."""
    token_ext = {
        "keys": "keys",
        "corrected": "corrected",
        "compound_head": "head",
        "compound_mod": "mod",
    }
    doc_ext = {"note_date": None, "sokord": ""}
    for name, attr in token_ext.items():
        if not Token.has_extension(name):
            Token.set_extension(name, getter=_token_getter(attr))
    for name, default in doc_ext.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register_extensions()


# --- tokenizer ---------------------------------------------------------------


def add_special_cases(nlp: Language) -> None:
    """Care abbreviations stay one token, with their expansion as NORM."""
    data = lexicon.load("tokenizer")
    drop = {str(x).lower() for x in data.get("drop_exceptions", ())}
    tokenizer: Any = nlp.tokenizer  # spaCy types it as a plain callable
    rules = dict(tokenizer.rules or {})
    for key in list(rules):
        low = key.lower()
        single = (
            data.get("drop_single_letters") and len(key) == 2 and key[1] == "." and key[0].isalpha()
        )
        if low in drop or single:
            del rules[key]
    tokenizer.rules = rules
    if data.get("drop_single_letters"):
        # "Ringde B." - a period after a capital letter ends the sentence.
        suffixes = [*list(nlp.Defaults.suffixes or ()), r"(?<=[A-ZÅÄÖ])\."]
        tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search
    for text, norm in data["abbreviations"].items():
        text, norm = str(text), str(norm)
        for variant in {text, text[:1].upper() + text[1:], text.upper()}:
            tokenizer.add_special_case(variant, [{ORTH: variant, NORM: norm}])
    for text, norm in data.get("lowercase_shorthand", {}).items():
        tokenizer.add_special_case(str(text), [{ORTH: str(text), NORM: str(norm)}])


# --- token and doc info ------------------------------------------------------------


class TokenInfo:
    """What one word form (with its NORM) contributes; computed once per form."""

    lemma_hash: int  # set by the lemmatizer when it writes LEMMA/NORM back to the doc
    norm_hash: int

    __slots__ = (
        "actor",
        "corrected",
        "head",
        "is_alpha",
        "is_punct",
        "is_space",
        "is_title",
        "keys",
        "known",
        "lemma",
        "lemma_hash",
        "like_num",
        "lower",
        "mkeys",
        "mod",
        "name_like",
        "norm",
        "norm_hash",
        "past",
        "rel",
        "special",
        "text",
    )

    def __init__(self, text: str, norm: str, lex, analysis: Analysis | None) -> None:
        self.text = text
        self.lower = lower = lex.lower_
        self.is_punct = lex.is_punct
        self.is_space = lex.is_space
        self.like_num = lex.like_num
        self.is_alpha = lex.is_alpha
        self.is_title = lex.is_title
        self.actor: object = UNSET
        self.past: object = UNSET
        # Tokens where the sentence rules look: punctuation, line breaks, "word." and dashes.
        self.special = text in PUNCT_CHARS or "\n" in text or text.endswith(".") or text in _DASHES
        self.norm = norm
        self.corrected = self.head = self.mod = None
        self.known = False
        # Could be a person's name: a capitalised word ("Anna", "Per", "Birgitta").
        self.name_like = (
            len(text) >= 2
            and text.isalpha()
            and text[0].isupper()
            and text[1:].islower()
            and analysis is not None
            and lower not in lexicon.word_set("not_names")
        )
        self.rel: frozenset[str] = frozenset()  # the match keys some pattern uses
        if self.is_space or analysis is None:
            self.lemma = lower
            self.keys = frozenset({lower})
            self.mkeys: frozenset[str] = frozenset()
            return
        a = analysis
        self.lemma = a.lemma
        # A genitive ("B:s dotter") is not the person itself.
        keys = {lower} if lower.endswith(":s") else {lower, a.lemma}
        if len(lower) > 1 and lower.endswith("."):
            keys.add(lower.rstrip("."))
        if norm and norm != lower:
            keys.add(norm)
        if a.corrected:
            self.corrected = a.corrected
            self.norm = a.corrected
            keys.add(a.corrected)
        if a.head:
            self.head = a.head
            self.mod = a.mod
            keys.add(a.head)
            if a.mod:
                keys.add(a.mod)
        self.keys = frozenset(keys)
        self.mkeys = self.keys | lexicon.virtual_keys(text, lower)
        self.rel = self.mkeys & pattern_keys()


# What a name read as the individual adds to its keys: it then matches "@individual".
NAME_KEYS = frozenset({"b"})
# What a name of another role adds to its keys (words of that role's set in sets.yaml).
_ROLE_KEYS = {
    "staff": frozenset({"kollegan"}),
    "caseworker": frozenset({"handläggaren"}),
    "relative": frozenset({"anhörig"}),
    "third_party": frozenset({"grannen"}),
}
# Set by the runner: the case's who-is-who, written form -> role (auditor.model.people).
ROLES_KEY = "auditor_roles"
_MOTION = frozenset(
    {
        "åka",
        "åkte",
        "gå",
        "gick",
        "följa",
        "följde",
        "ledsaga",
        "ledsagade",
        "ledsagning",
        "resa",
        "reste",
        "cykla",
        "cyklade",
        "promenera",
        "promenad",
        "flytta",
        "flyttade",
        "köra",
        "körde",
        "utflykt",
        "tur",
        "buss",
        "bussen",
        "färdtjänst",
        "kom",
        "komma",
        "hem",
        "väg",
        "vägen",
    }
)
_PLACE_PREPOSITIONS = frozenset(
    {
        "på",
        "i",
        "från",
        "vid",
        "mot",
        "mellan",
        "via",
        "genom",
        "utanför",
        "inne",
        "ur",
        "över",
        "bakom",
        "runt",
        "kring",
        "längs",
    }
)


def mark_names(info: DocInfo, forms: FormCache, roles: dict[str, str] | None = None) -> None:
    """Read capitalised names as the individual ("Ringde Anna", "Anna avbokade"), unless a
    role precedes them ("dottern Anna", "socialsekreteraren Eva Ek") or follows them
    ("Eva (handl.)", "Oskar, vikarie"), or a preposition precedes them ("på Nordstan"). A
    capitalised known word opening a sentence is no name ("Promenad").

    ``roles`` is the case's who-is-who (``auditor.model.people``): a written form it knows
    ("Karim", "K", "K:s", "A.", "Eva", "AK") gets its role whatever the position."""
    toks = info.toks
    names = lexicon.word_set("first_names")
    state = None  # what the previous name was read as: "b", "other" or None
    for i, t in enumerate(toks):
        role = roles.get(t.text) if roles else None
        if role == "individual_genitive":
            # "K:s mamma", "Karims lägenhet": hers, not her; never read as another name either
            state = None
            continue
        if role == "individual_nickname":
            # "Lena" for Helena, but "Mat" opening a sentence is food, not Mattias
            role = "individual" if t.name_like and not (t.known and t.lower not in names) else None
        if role is not None and (t.is_alpha or t.name_like or ":" in t.text or "." in t.text):
            if role == "individual":
                toks[i] = forms.as_individual(t)
                state = "b"
            else:
                toks[i] = forms.as_role(t, role)
                state = "other"
            continue
        if not t.name_like:
            state = None
            continue
        if state is not None:
            kind = state  # a surname follows its first name
        elif _role_follows(info, i):
            kind = "other"  # "Eva (handl.)", "Hodan, mamma"
        elif i == 0 or info.is_sent_start(i) or toks[i - 1].is_punct or toks[i - 1].is_space:
            # "Promenad ..." is a word, "Avbkade ..." a misspelt one, "Anna ..." a name
            if t.known and t.lower not in names:
                kind = None
            elif t.corrected and t.lower not in names:
                # "Avbkade besöket" is a misspelt verb; "Daniela ringde" a name (a verb follows)
                nxt = toks[i + 1] if i + 1 < info.n else None
                kind = "b" if nxt is not None and is_past(nxt) else None
            else:
                kind = "b"
        elif toks[i - 1].lower in _PLACE_PREPOSITIONS or (
            toks[i - 1].lower == "till" and i > 1 and not toks[i - 2].keys.isdisjoint(_MOTION)
        ):
            kind = "other"  # "på Nordstan", "åkte till Ikea" - but "sms till Per"
        elif actor_category(toks[i - 1]) is not None:
            kind = "other"  # "dottern Anna", "vikarien Johan"
        else:
            kind = "b"
        if kind == "b":
            toks[i] = forms.as_individual(t)
        elif kind == "other" and state is None and _role_follows(info, i):
            role = _following_role(info, i)
            if role is not None:
                toks[i] = forms.as_role(t, role)
        state = kind


def _following_role(info: DocInfo, i: int) -> str | None:
    """The role word right after a name: "Eva (handl.)", "Eva, handläggare", "Oskar vikarie"."""
    toks = info.toks
    j = i + 1
    while j < info.n and j <= i + 3 and (toks[j].text in ("(", ",", "-", "–") or toks[j].name_like):
        j += 1
    if j >= info.n or j > i + 3:
        return None
    cat = actor_category(toks[j])
    if cat == HANDLAGGARE:
        return "caseworker"
    if cat == VERKSAMHETEN and toks[j].lower not in ("vi", "jag", "oss"):
        return "staff"
    if cat == ANHORIG:
        return "relative"
    if cat is not None and toks[j].lower not in _SUBJECT_PRONOUNS:
        return "third_party"
    return None


_SUBJECT_PRONOUNS = frozenset({"vi", "jag", "oss", "hen", "han", "hon", "b", "honom", "henne"})


def _role_follows(info: DocInfo, i: int) -> bool:
    return _following_role(info, i) is not None


class DocInfo:
    """A doc as plain lists: token infos, char offsets, trailing spaces, sentence starts."""

    __slots__ = ("_rel", "idx", "lemmatized", "n", "starts", "starts_set", "text", "toks", "ws")

    def __init__(self, doc: Doc, toks: list[TokenInfo], idx: list[int], ws: list[int]) -> None:
        # The text, not the doc: the doc holds this info in user_data (no reference cycle).
        text = doc.user_data.get(TEXT_KEY)
        self.text: str = text if text is not None else doc.text
        self.toks = toks
        self.n = len(toks)
        self.idx = idx
        self.ws = ws
        self.lemmatized = False
        self.starts: list[int] = [0] if toks else []  # sorted sentence starts
        self.starts_set: frozenset[int] = frozenset(self.starts)
        self._rel: list[tuple[int, frozenset[str]]] | None = None

    def relevant(self) -> list[tuple[int, frozenset[str]]]:
        """(position, keys) of the tokens with match keys some pattern uses."""
        if self._rel is None:
            self._rel = [(i, t.rel) for i, t in enumerate(self.toks) if t.rel]
        return self._rel

    def set_sentences(self, starts: list[int]) -> None:
        self.starts = starts
        self.starts_set = frozenset(starts)

    def is_sent_start(self, i: int) -> bool:
        return i in self.starts_set

    def sent_begin(self, i: int) -> int:
        """The first token of token i's sentence."""
        return self.starts[bisect_right(self.starts, i) - 1]

    def sent_end(self, i: int) -> int:
        """The end (exclusive) of token i's sentence."""
        k = bisect_right(self.starts, i)
        return self.starts[k] if k < len(self.starts) else self.n

    def sent_of(self, i: int) -> tuple[int, int]:
        k = bisect_right(self.starts, i)
        return self.starts[k - 1], self.starts[k] if k < len(self.starts) else self.n

    def end_char(self, i: int) -> int:
        return self.idx[i] + len(self.toks[i].text)

    def sent_chars(self, i: int) -> tuple[int, int]:
        """Character bounds of token i's sentence without surrounding space tokens."""
        b0, e0 = self.sent_of(i)
        b, e = b0, e0
        toks = self.toks
        while b < e and toks[b].is_space:
            b += 1
        while e > b and toks[e - 1].is_space:
            e -= 1
        if b >= e:
            b, e = b0, e0
        return self.idx[b], self.end_char(e - 1)

    def sent_text(self, i: int) -> str:
        """The text of token i's sentence (as spaCy's ``Span.text``)."""
        b, e = self.sent_of(i)
        toks, ws = self.toks, self.ws
        parts = [toks[j].text + " " if ws[j] else toks[j].text for j in range(b, e - 1)]
        parts.append(toks[e - 1].text)
        return "".join(parts)


class FormCache:
    """TokenInfo per (orth, norm) hash pair, for one vocab and lemmatizer setting."""

    def __init__(self, vocab, *, fuzzy: bool = True) -> None:
        self.vocab = vocab
        self.fuzzy = fuzzy
        self.data = lemma_data()
        self.cache: dict[tuple[int, int], TokenInfo] = {}
        self.names: dict[int, tuple[TokenInfo, TokenInfo]] = {}
        self.roles: dict[tuple[int, str], tuple[TokenInfo, TokenInfo]] = {}

    def get(self, orth: int, norm: int) -> TokenInfo:
        key = (orth, norm)
        info = self.cache.get(key)
        if info is None:
            info = self.cache[key] = self._make(orth, norm)
        return info

    def _make(self, orth: int, norm: int) -> TokenInfo:
        strings = self.vocab.strings
        lex = self.vocab[orth]
        text = strings[orth]
        norm_s = strings[norm]
        if lex.is_space:
            info = TokenInfo(text, norm_s, lex, None)
        else:
            a = self.data.analyse(lex.lower_)
            if not self.fuzzy and a.corrected:
                a = Analysis(lex.lower_)
            info = TokenInfo(text, norm_s, lex, a)
            info.known = self.data.known(lex.lower_)
        info.lemma_hash = strings.add(info.lemma)
        info.norm_hash = strings.add(info.norm)
        return info

    def as_role(self, t: TokenInfo, role: str) -> TokenInfo:
        """The token read as a staff member's, the caseworker's or a third party's name: it
        gets the role's key ("kollegan", "handläggaren", "grannen"; cached)."""
        key = (id(t), role)
        got = self.roles.get(key)
        if got is None or got[0] is not t:
            extra = _ROLE_KEYS.get(role, frozenset())
            clone = copy.copy(t)
            clone.keys = t.keys | extra
            clone.mkeys = t.mkeys | extra
            clone.rel = clone.mkeys & pattern_keys()
            clone.actor = UNSET
            clone.name_like = False
            got = self.roles[key] = (t, clone)
        return got[1]

    def as_individual(self, t: TokenInfo) -> TokenInfo:
        """The token read as the individual's name: it also has the key "b" (cached)."""
        got = self.names.get(id(t))
        if got is None or got[0] is not t:
            clone = copy.copy(t)
            clone.keys = t.keys | NAME_KEYS
            clone.mkeys = t.mkeys | NAME_KEYS
            clone.rel = clone.mkeys & pattern_keys()
            clone.actor = UNSET
            clone.name_like = False
            got = self.names[id(t)] = (t, clone)
        return got[1]


@cache
def form_cache(vocab, fuzzy: bool = True) -> FormCache:
    return FormCache(vocab, fuzzy=fuzzy)


def doc_ext(doc: Doc, name: str, default=None):
    """A doc extension's value read straight from ``user_data`` (``doc._`` is slow)."""
    return doc.user_data.get(("._.", name, None, None), default)  # type: ignore[call-overload]


def doc_info(doc: Doc) -> DocInfo:
    """The doc's DocInfo (built on first use)."""
    info = doc.user_data.get(INFO_KEY)
    if info is None:
        forms = form_cache(doc.vocab)
        if len(doc):
            orth, norm, idx, ws = doc.to_array(_INFO_ATTRS).T.tolist()
            get = forms.cache.get
            toks = [get(k) for k in zip(orth, norm, strict=True)]
            if None in toks:
                toks = [
                    t if t is not None else forms.get(o, nm)
                    for t, o, nm in zip(toks, orth, norm, strict=True)
                ]
        else:
            toks, idx, ws = [], [], []
        info = doc.user_data[INFO_KEY] = DocInfo(doc, cast("list[TokenInfo]", toks), idx, ws)
    return info


# --- sentences -----------------------------------------------------------------


@Language.factory("auditor_sentences")
def make_sentences(nlp: Language, name: str, *, split_on_dash: bool = True):
    return SentenceRules(split_on_dash=split_on_dash)


class SentenceRules:
    """Sentence starts: after . ! ? … ; (as spaCy's sentencizer), after line breaks,
    after "word. Capital" and at a free-standing dash (' - ')."""

    def __init__(self, *, split_on_dash: bool = True) -> None:
        self.split_on_dash = split_on_dash

    def starts(self, info: DocInfo) -> list[int]:
        """Sorted sentence starts; only the 'special' tokens are looked at."""
        toks, ws = info.toks, info.ws
        n = info.n
        if not n:
            return []
        found = {0}
        dash = self.split_on_dash
        for i in [i for i, t in enumerate(toks) if t.special]:
            t = toks[i]
            text = t.text
            if text in PUNCT_CHARS:
                # spaCy's sentencizer: the first non-punctuation token after . ! ? … ;
                j = i + 1
                while j < n and (toks[j].is_punct or toks[j].text in PUNCT_CHARS):
                    j += 1
                if j < n:
                    found.add(j)
            if i + 1 >= n:
                continue
            if "\n" in text:
                found.add(i + 1)
            elif len(text) > 2 and text[-1] == ".":
                nxt = toks[i + 1]
                if nxt.is_title and len(nxt.text) > 1 and nxt.is_alpha:
                    found.add(i + 1)  # "svarar ej i tel. Startade rutinen"
            elif dash and text in _DASHES and i > 0 and ws[i - 1] and ws[i]:
                found.add(i + 1)
        return sorted(found)

    def __call__(self, doc: Doc) -> Doc:
        info = doc_info(doc)
        if not info.n:
            return doc
        starts = self.starts(info)
        info.set_sentences(starts)
        if not doc.user_data.get(LEAN_KEY):
            arr = np.full(info.n, _NOT_START, dtype=np.uint64)
            arr[starts] = 1
            doc.from_array([SENT_START], arr.reshape(-1, 1))
        return doc


# --- lemmas --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Analysis:
    lemma: str
    corrected: str | None = None
    head: str | None = None
    mod: str | None = None


_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e"})


def fold(word: str) -> str:
    """A word as written without å/ä/ö."""
    return word.translate(_FOLD)


class LemmaData:
    """Lookup table, overrides, compound heads and the fuzzy vocabulary (one per process)."""

    def __init__(self, *, fuzzy_cutoff: float = 86.0, min_fuzzy_len: int = 5) -> None:
        data = lexicon.load("lemmas")
        self.overrides = {str(k).lower(): str(v).lower() for k, v in data["overrides"].items()}
        self.particles = frozenset(data["particles"])
        self.domain_heads = frozenset(data["domain_heads"])
        self.domain_mods = frozenset(data["domain_modifiers"])
        self.normalise = [(re.compile(p), str(v)) for p, v in data.get("normalise", {}).items()]
        self.table = lemma_table()
        self.vocab = lexicon.lexicon_vocabulary()
        self.fuzzy_cutoff = fuzzy_cutoff
        self.min_fuzzy_len = min_fuzzy_len
        self._fuzzy_choices = self._build_fuzzy_choices()
        self._folded = self._build_folded()
        self.analyse = lru_cache(maxsize=200_000)(self._analyse)

    def _build_folded(self) -> dict[str, str]:
        """The lexicon's words (and their forms in the Swedish lookup table) by their spelling
        without å/ä/ö ("avbojde" -> "avböjde", "huvudvark" -> "huvudvärk"); a folded spelling
        that two words share is left out."""
        out: dict[str, str] = {}
        clash: set[str] = set()
        for forms in self._fuzzy_choices.values():
            for form in forms:
                folded = fold(form)
                if folded == form:
                    continue
                if folded in out and out[folded] != form:
                    clash.add(folded)
                out[folded] = form
        for folded in clash:
            del out[folded]
        return out

    def _build_fuzzy_choices(self) -> dict[str, list[str]]:
        lemmas = {self.lemma_of(w) for w in self.vocab} | set(self.vocab)
        forms = set(self.vocab) | set(self.table.forms_of(lemmas, self.min_fuzzy_len))
        by_initial: dict[str, list[str]] = defaultdict(list)
        # Sorted, so that the fuzzy match between equally close words is the same in every
        # process (a set's order changes with the process's string hashing).
        for f in sorted(forms):
            if len(f) >= self.min_fuzzy_len - 1:
                by_initial[f[0]].append(f)
        return dict(by_initial)

    def known(self, word: str) -> bool:
        return (
            word in self.overrides
            or word in self.vocab
            or word in self.table
            or self.table.is_lemma(word)
        )

    def lemma_of(self, word: str) -> str:
        if word in self.overrides:
            return self.overrides[word]
        for rx, lemma in self.normalise:
            if rx.match(word):
                return lemma
        found = self.table.get(word)
        return word if found is None else found

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
        if self.known(word):
            lemma = self.overrides.get(word) or self.table.get(word) or word
            parts = self._head_of_known(word)
            if parts:
                return Analysis(lemma, head=parts[1], mod=parts[0])
            return Analysis(lemma)
        if not word.isalpha() or len(word) < 3:
            return Analysis(word)
        unfolded = self._folded.get(word)
        if unfolded is not None:
            # written without å/ä/ö (a keyboard or phone without them)
            return Analysis(self.lemma_of(unfolded), corrected=unfolded)
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
def lemma_table() -> LemmaTable:
    return LemmaTable()


@cache
def lemma_data() -> LemmaData:
    return LemmaData()


@Language.factory("auditor_lemmatizer")
def make_lemmatizer(nlp: Language, name: str, *, fuzzy: bool = True):
    return DomainLemmatizer(nlp.vocab, fuzzy=fuzzy)


class DomainLemmatizer:
    """Overrides -> lookup table -> compound head; spelling correction for unknown words.

    The analysis is per word form (:class:`FormCache`); a doc only looks its forms up and
    writes lemma and norm back in one ``from_array``."""

    def __init__(self, vocab, *, fuzzy: bool = True) -> None:
        self.data = lemma_data()
        self.fuzzy = fuzzy
        self.forms = form_cache(vocab, fuzzy)

    def __call__(self, doc: Doc) -> Doc:
        info = doc_info(doc)
        if not info.n:
            info.lemmatized = True
            return doc
        if not self.fuzzy:
            # Re-read the forms with this lemmatizer's setting.
            arr = doc.to_array([ORTH_ATTR, NORM_ATTR]).tolist()
            info.toks = [self.forms.get(o, nm) for o, nm in arr]
        roles = doc.user_data.get(ROLES_KEY)
        if roles or any(t.name_like for t in info.toks):
            mark_names(info, self.forms, roles)
        info.lemmatized = True
        if doc.user_data.get(LEAN_KEY):
            return doc
        vals = np.array([(t.lemma_hash, t.norm_hash) for t in info.toks], dtype=np.uint64)
        doc.from_array([LEMMA, NORM_ATTR], vals)
        return doc
