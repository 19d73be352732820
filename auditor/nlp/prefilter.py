"""The prefilter: which notes can hold an event at all, decided without running spaCy.

Every hit the detectors give comes from a candidate pattern of ``lexicon/events.yaml`` (or
from a sökord naming a note type). A pattern can only match when each of its required
tokens is in the note, and a token's match keys (its forms, lemma, corrected spelling,
compound parts, see ``pipeline.TokenInfo``) depend on its word form alone. So the prefilter

1. splits each note at whitespace (spaCy's tokenizer treats each such chunk on its own) and
   looks every chunk up in a per-process cache: the match keys of the chunk's tokens that
   some pattern requires (usually none). A new chunk is tokenised and analysed once, with
   the very tokenizer and lemmatizer of the pipeline; a capitalised word that may be read as
   the individual's name (``pipeline.mark_names``) counts with the keys of a name;
2. passes the note when, for some pattern of a kind that can give a hit on its own, every
   required token spec shares a key with the note's keys (kinds marked ``prefilter: never``
   only qualify other hits; ``prefilter: {with: KIND}`` needs both kinds in the note);
3. passes every note whose sökord names a note type (sammanställning, slutanteckning ...).

This is exact in one direction: a note the prefilter drops cannot produce a hit (tests run
the corpus both ways), so recall is never traded for speed. Each pattern is indexed under
its rarest required word (``lexicon/prefilter.yaml`` names the too common ones), so most
notes cost one ``str.split``, a dict lookup per word and a few set checks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

import numpy as np
from spacy.attrs import NORM, ORTH

from auditor.nlp import lexicon
from auditor.nlp.pipeline import NAME_KEYS

_EMPTY: frozenset[str] = frozenset()


class Prefilter:
    """The compiled prefilter of one process (see module docstring)."""

    def __init__(self) -> None:
        from auditor.nlp.build import get_nlp
        from auditor.nlp.pipeline import form_cache

        nlp = get_nlp()
        self.tokenizer = nlp.tokenizer
        self.forms = form_cache(nlp.vocab)
        ev = lexicon.load("events")
        # kind -> list of patterns, each a tuple of required key sets
        by_kind: dict[str, list[tuple[frozenset[str], ...]]] = {}
        for kind, spec in ev["candidates"].items():
            for text in spec.get("patterns", []):
                req = tuple(
                    s.keys
                    for s in lexicon.compile_pattern(text).specs
                    if s.required and s.keys is not None
                )
                by_kind.setdefault(kind, []).append(req)
        # Groups: a note passes when every kind of some group has a satisfied pattern.
        groups: list[tuple[str, ...]] = []
        for kind, spec in ev["candidates"].items():
            rule = spec.get("prefilter", "alone")
            if rule == "never":
                continue
            if isinstance(rule, dict):
                groups.append((kind, *rule.get("with", ())))
            else:
                groups.append((kind,))
        self.groups = groups
        self.alone = frozenset(g[0] for g in groups if len(g) == 1)
        self.together = [frozenset(g) for g in groups if len(g) > 1]
        used = sorted({k for g in groups for k in g})
        # Every distinct required spec gets a bit; a note's mask holds the specs it satisfies.
        spec_bit: dict[frozenset[str], int] = {}
        for kind in used:
            for req in by_kind[kind]:
                for spec in req:
                    spec_bit.setdefault(spec, 1 << len(spec_bit))
        self.key_bits: dict[str, int] = {}
        for spec, bit in spec_bit.items():
            for key in spec:
                self.key_bits[key] = self.key_bits.get(key, 0) | bit
        # Anchors: per pattern its rarest required spec; a note satisfying none of the
        # anchor specs cannot pass (a quick reject before the masks are combined).
        self.anchor_bits = 0
        # anchor spec's bit index -> (kind, pattern mask) anchored there
        self.by_anchor: dict[int, list[tuple[str, int]]] = {}
        for kind in used:
            for req in by_kind[kind]:
                bit = spec_bit[min(req, key=lexicon.commonness)]
                self.anchor_bits |= bit
                pm = sum(spec_bit[spec] for spec in set(req))
                self.by_anchor.setdefault(bit.bit_length() - 1, []).append((kind, pm))
        self.chunks: dict[str, int] = {}
        # Chunks satisfying an anchor spec: a note without one cannot pass.
        self.anchor_chunks: set[str] = set()
        self.decisions: dict[int, bool] = {}
        # Visit note types (VISIT_DONE) need no spaCy on their own: a note the patterns pass
        # by is a visit by its sökord alone (detectors.sokord_visit_hit, runner.py).
        words = sorted(
            {str(w) for label, ws in ev["sokord"].items() if label != "VISIT_DONE" for w in ws}
        )
        self.sokord_rx = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
        self.sokord_cache: dict[str, bool] = {"": False}

    def chunk_bits(self, chunk: str) -> int:
        """The mask of required specs the tokens of one whitespace-free chunk satisfy."""
        got = self.chunks.get(chunk)
        if got is None:
            doc = self.tokenizer(chunk)
            got = 0
            key_bits = self.key_bits
            get = self.forms.get
            for orth, norm in doc.to_array([ORTH, NORM]).tolist():
                info = get(orth, norm)
                keys = info.mkeys | NAME_KEYS if info.name_like else info.mkeys
                for key in keys:
                    got |= key_bits.get(key, 0)
            self.chunks[chunk] = got
            if got & self.anchor_bits:
                self.anchor_chunks.add(chunk)
        return got

    def decide(self, mask: int) -> bool:
        """Whether some group of kinds has, for each kind, a pattern the mask satisfies."""
        got = self.decisions.get(mask)
        if got is None:
            kinds: set[str] = set()
            anchors = mask & self.anchor_bits
            while anchors:
                low = anchors & -anchors
                anchors ^= low
                for kind, pm in self.by_anchor[low.bit_length() - 1]:
                    if pm & mask == pm:
                        kinds.add(kind)
            got = bool(kinds) and (
                not kinds.isdisjoint(self.alone) or any(group <= kinds for group in self.together)
            )
            if len(self.decisions) > 500_000:
                self.decisions.clear()
            self.decisions[mask] = got
        return got

    def sokord(self, value: str) -> bool:
        got = self.sokord_cache.get(value)
        if got is None:
            got = self.sokord_cache[value] = bool(self.sokord_rx.search(value))
        return got

    def scan(
        self, texts: Sequence[str], sokord: Sequence[str] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(mask, words): whether each note may hold an event, and its whitespace words."""
        n = len(texts)
        split = [text.split() if text else [] for text in texts]
        words = np.fromiter(map(len, split), dtype=np.int64, count=n)
        chunks = self.chunks
        for chunk in set().union(*split).difference(chunks):
            self.chunk_bits(chunk)
        anchor_chunks = self.anchor_chunks
        decisions = self.decisions
        out = np.zeros(n, dtype=bool)
        for i, parts in enumerate(split):
            if not anchor_chunks.isdisjoint(parts):
                m = 0
                for p in parts:
                    m |= chunks[p]
                got = decisions.get(m)
                if got is None:
                    got = self.decide(m)
                if got:
                    out[i] = True
                    continue
            if sokord is not None and sokord[i] and self.sokord(sokord[i]):
                out[i] = True
        return out, words


@cache
def get_prefilter() -> Prefilter:
    return Prefilter()


def candidate_mask(texts: Sequence[str], sokord: Sequence[str] | None = None) -> np.ndarray:
    """Boolean array: True where the note may matter to a detector."""
    texts = ["" if t is None or t != t else str(t) for t in texts]
    sok = None
    if sokord is not None:
        sok = ["" if s is None or s != s else str(s) for s in sokord]
    return get_prefilter().scan(texts, sok)[0]
