"""A compiled token-pattern matcher over per-token key sets.

It replaces spaCy's ``Matcher`` for the lexicon patterns (``lexicon.compile_pattern``) with
the same semantics: every (start, end) a pattern can match, tokens after the first never
start a sentence, a gap ``~N`` spans 0..N non-punctuation tokens. It is fast because

- a token's match keys are a frozenset computed once per word form (``pipeline.TokenInfo``),
  and so is the part of them any pattern of the set uses (most tokens: none);
- patterns are indexed by their rarest required token (the anchor): only patterns whose
  anchor occurs in the doc, and whose every required token has a key in the doc, are tried,
  and only at the tokens that can start them;
- the few tries are a small depth-first search bounded by the sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from auditor.nlp.lexicon import CompiledPattern, Spec, commonness

if TYPE_CHECKING:
    from auditor.nlp.pipeline import DocInfo, TokenInfo

# Caches are dropped when they grow past this many entries (memory bound).
CACHE_LIMIT = 200_000


@dataclass(frozen=True, slots=True)
class Entry:
    """One pattern of a set with its caller's payload."""

    index: int
    specs: tuple[Spec, ...]
    payload: Any  # what the caller stored with the pattern
    sent_start: bool = False
    # The required specs: a doc lacking the keys of any of them cannot match.
    required: tuple[frozenset[str], ...] = ()
    first: frozenset[str] = frozenset()
    # The bits of the required specs (see PatternSet.spec_bits)
    mask: int = 0


def first_keys(specs: Sequence[Spec]) -> frozenset[str]:
    """The keys the first matched token carries (patterns start with a required word)."""
    first = specs[0]
    if first.gap or first.keys is None or first.optional:
        raise ValueError("a pattern must start with a required word")
    return first.keys


class PatternSet:
    """Patterns with a payload each; :meth:`find` gives all their matches in a doc."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        # Every distinct required spec has a bit; a token's bits are the specs it satisfies.
        self.spec_bits: dict[frozenset[str], int] = {}
        self.key_bits: dict[str, int] = {}
        self.by_anchor: dict[int, list[Entry]] = {}
        self.anchor_bits = 0
        self._bits: dict[frozenset[str], int] = {}
        self._viable: dict[int, list[Entry]] = {}
        self.used: frozenset[str] = frozenset()
        self._rel: dict[frozenset[str], frozenset[str]] = {}

    def add(self, pattern: CompiledPattern, payload: object, *, sent_start: bool = False) -> None:
        required = tuple(s.keys for s in pattern.specs if s.required and s.keys is not None)
        mask = 0
        for spec in required:
            if spec not in self.spec_bits:
                bit = self.spec_bits[spec] = 1 << len(self.spec_bits)
                for key in spec:
                    self.key_bits[key] = self.key_bits.get(key, 0) | bit
            mask |= self.spec_bits[spec]
        entry = Entry(
            len(self.entries),
            pattern.specs,
            payload,
            sent_start,
            required,
            first_keys(pattern.specs),
            mask,
        )
        self.entries.append(entry)
        # Anchor: the rarest required spec; a doc that does not satisfy it is never tried.
        anchor = self.spec_bits[min(required, key=commonness)]
        self.by_anchor.setdefault(anchor.bit_length() - 1, []).append(entry)
        self.anchor_bits |= anchor
        self.used = self.used | {k for s in pattern.specs if s.keys for k in s.keys}
        self._rel.clear()
        self._bits.clear()
        self._viable.clear()

    def relevant(self, mkeys: frozenset[str]) -> frozenset[str]:
        """The keys of a token that some pattern of the set uses (cached per key set)."""
        got = self._rel.get(mkeys)
        if got is None:
            if len(self._rel) > CACHE_LIMIT:
                self._rel.clear()
            got = self._rel[mkeys] = mkeys & self.used
        return got

    def bits(self, rel: frozenset[str]) -> int:
        """The bits of the specs a token with these keys satisfies (cached per key set)."""
        got = self._bits.get(rel)
        if got is None:
            if len(self._bits) > CACHE_LIMIT:
                self._bits.clear()
            got = 0
            for key in rel:
                got |= self.key_bits.get(key, 0)
            self._bits[rel] = got
        return got

    def viable(self, doc_bits: int) -> list[Entry]:
        """The entries whose every required spec the doc satisfies, in index order (cached
        per set of satisfied specs)."""
        got = self._viable.get(doc_bits)
        if got is None:
            if len(self._viable) > CACHE_LIMIT:
                self._viable.clear()
            found: list[Entry] = []
            anchors = doc_bits & self.anchor_bits
            while anchors:
                low = anchors & -anchors
                anchors ^= low
                for e in self.by_anchor[low.bit_length() - 1]:
                    if e.mask & doc_bits == e.mask:
                        found.append(e)
            got = self._viable[doc_bits] = sorted(found, key=lambda e: e.index)
        return got

    def find(
        self, info: DocInfo, pos: list[tuple[int, frozenset[str]]] | None = None
    ) -> list[tuple[Entry, int, int]]:
        """Every (entry, start, end) match in one doc, ordered by start, entry, end.

        ``pos`` may give the (position, keys) of the tokens with keys the set uses."""
        toks = info.toks
        if pos is None:
            relevant = self.relevant
            pos = [(i, r) for i, t in enumerate(toks) if (r := relevant(t.mkeys))]
        out: list[tuple[Entry, int, int]] = []
        if not pos:
            return out
        bits_cache = self._bits
        doc_bits = 0
        for _, rel in pos:
            b = bits_cache.get(rel)
            doc_bits |= b if b is not None else self.bits(rel)
        entries = self.viable(doc_bits)
        if not entries:
            return out
        firsts = frozenset().union(*[e.first for e in entries])
        for i, rel in pos:
            if rel.isdisjoint(firsts):
                continue
            limit = info.sent_end(i)
            for entry in entries:
                if entry.first.isdisjoint(rel) or (entry.sent_start and not info.is_sent_start(i)):
                    continue
                ends: set[int] = set()
                _ends(entry.specs, 1, i + 1, limit, toks, ends)
                for e in sorted(ends):
                    out.append((entry, i, e))
        return out


def _ends(
    specs: tuple[Spec, ...],
    k: int,
    i: int,
    limit: int,
    toks: Sequence[TokenInfo],
    out: set[int],
) -> None:
    """Collect the end positions of matches of specs[k:] from token i.

    Every token lies before ``limit`` (the end of the first token's sentence), so no token
    after the first starts a sentence.
    """
    n = len(specs)
    while True:
        if k == n:
            out.add(i)
            return
        spec = specs[k]
        if spec.gap:
            j = i
            _ends(specs, k + 1, j, limit, toks, out)
            while j < limit and j - i < spec.gap and not toks[j].is_punct:
                j += 1
                _ends(specs, k + 1, j, limit, toks, out)
            return
        if spec.optional:
            _ends(specs, k + 1, i, limit, toks, out)
        if i >= limit:
            return
        if spec.keys is not None and spec.keys.isdisjoint(toks[i].mkeys):
            return
        k += 1
        i += 1
