"""ConText for Swedish journal notes: negation, condition, intention, recall, and who.

Triggers come from ``lexicon/context.yaml``. A trigger applies to an event candidate
in the same sentence when the candidate lies in its scope:

- forward (pre-trigger, "ingen avvikelse upprättades", "ska skriva avvikelse"),
- backward (post-trigger, Swedish main clauses put the negation after the verb:
  "avvikelse upprättades inte", "annan personal erbjöds ej"),
- inside the candidate's own words when the pattern did not name the word itself
  ("annan personal kunde inte erbjudas": the pattern is "annan personal ~3 erbjuda").

Scope ends at a terminator (men, utan, dock, istället, eftersom, och, comma ...; reaching
back also at "att"), at the sentence end and after ``window`` tokens. Pseudo-triggers
("inte bara") and trigger words that a candidate's pattern names itself ("inte hemma",
"ville inte", "inget svar") are not triggers. A sentence-initial "Om"/"Ifall" makes the
whole sentence conditional. A time ahead ("nästa vecka") does not make a candidate with a
past-tense verb intended, for kinds marked ``future_time: unless_past``.

Everything here stays inside one sentence, so the flags are computed per sentence and
cached by the sentence's word forms (``SENTENCE_CACHE``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from auditor.nlp import lexicon
from auditor.nlp.actors import (  # noqa: F401  (re-exported: detectors read them from here)
    ANHORIG,
    ANNAN,
    BRUKARE,
    HANDLAGGARE,
    UNSET,
    VERKSAMHETEN,
    actor_category,
    is_past,
)
from auditor.nlp.patterns import PSEUDO, TRIG, Trigger, doc_triggers
from auditor.nlp.pipeline import DocInfo, doc_info

CANDIDATES = "auditor_candidates"

# Categories that turn into TextHit flags.
NEGATED, HYPOTHETICAL, FUTURE, FUTURE_TIME, HISTORICAL = (
    "negated",
    "hypothetical",
    "future",
    "future_time",
    "historical",
)



class Cand:
    """An event candidate: a pattern match of one kind, with its context flags."""

    __slots__ = (
        "actor",
        "categories",
        "end",
        "future",
        "historical",
        "hypothetical",
        "kind",
        "literals",
        "negated",
        "sent_begin",
        "sent_end",
        "start",
    )

    def __init__(
        self, kind: str, start: int, end: int, literals: frozenset[str], sent: tuple[int, int]
    ) -> None:
        self.kind = kind
        self.start = start
        self.end = end
        self.literals = literals
        self.sent_begin, self.sent_end = sent
        self.negated = self.hypothetical = self.future = self.historical = False
        self.categories: frozenset[str] = frozenset()
        self.actor: str | None = None

    @property
    def asserted(self) -> bool:
        return not (self.negated or self.hypothetical or self.future)

    def same_sent(self, other: Cand) -> bool:
        return self.sent_begin == other.sent_begin

    def __repr__(self) -> str:
        return f"Cand({self.kind}, {self.start}, {self.end})"


def candidates(doc: Doc) -> list[Cand]:
    return doc.user_data.get(CANDIDATES, [])


@dataclass(frozen=True, slots=True)
class TriggerHit:
    trigger: Trigger
    start: int
    end: int
    key: str = ""


class ContextRules:
    """Triggers (found with all lexicon patterns, ``patterns.py``) and terminators."""

    def __init__(self) -> None:
        data = lexicon.load("context")
        self.terminators = frozenset(str(t).lower() for t in data["terminators"])
        self.back_terminators = self.terminators | frozenset(
            str(t).lower() for t in data.get("backward_terminators", ())
        )

    def find(self, info: DocInfo, span: tuple[int, int] | None = None) -> list[TriggerHit]:
        """Trigger occurrences in the doc (or in the sentence ``span``), minus those inside
        pseudo-triggers."""
        found = [(e.payload, s, end) for e, s, end in doc_triggers(info, span)]
        blocked: set[int] = set()
        for payload, s, e in found:
            if payload[0] == PSEUDO:
                blocked.update(range(s, e))
        hits: list[TriggerHit] = []
        for (tag, key, trig), s, e in found:
            if tag != TRIG or (blocked and not blocked.isdisjoint(range(s, e))):
                continue
            hits.append(TriggerHit(trig, s, e, key))
        return hits

    @staticmethod
    def literal_tokens(info: DocInfo, cands: Iterable[Cand]) -> list[tuple[Cand, frozenset[int]]]:
        """Per candidate, the tokens its own pattern names (they are not triggers)."""
        toks = info.toks
        out = []
        for c in cands:
            lits = c.literals
            own = frozenset(
                i
                for i in range(c.start, c.end)
                if not toks[i].is_space and not lits.isdisjoint(toks[i].keys)
            )
            out.append((c, own))
        return out

    def _clear(self, info: DocInfo, start: int, end: int, *, back: bool = False) -> bool:
        """No terminator between token positions start (incl.) and end (excl.)."""
        toks = info.toks
        terms = self.back_terminators if back else self.terminators
        return all(toks[i].lower not in terms for i in range(start, end))

    def applies(self, info: DocInfo, hit: TriggerHit, c: Cand) -> bool:
        trig = hit.trigger
        if trig.only and c.kind not in trig.only:
            return False
        if info.sent_begin(hit.start) != c.sent_begin:
            return False
        if hit.start >= c.start and hit.end <= c.end:
            return True  # inside the candidate, not one of its own words
        if trig.sentence_scope:
            return hit.end <= c.start
        if trig.direction in ("forward", "both") and hit.end <= c.start:
            return c.start - hit.end < trig.window and self._clear(info, hit.end, c.start)
        if trig.direction in ("backward", "both") and hit.start >= c.end:
            return hit.start - c.end < trig.window and self._clear(
                info, c.end, hit.start, back=True
            )
        return False


@Language.factory("auditor_context")
def make_context(nlp: Language, name: str, *, spans_key: str = CANDIDATES):
    return ContextComponent(spans_key=spans_key)


class ContextComponent:
    """Sets negated/hypothetical/future/historical and the actor on every candidate."""

    def __init__(self, *, spans_key: str = CANDIDATES) -> None:
        self.rules = ContextRules()
        self.spans_key = spans_key
        self.options = {k: v for k, v in lexicon.load("events")["candidates"].items()}

    def __call__(self, doc: Doc) -> Doc:
        cands = doc.user_data.get(self.spans_key) or []
        if not cands:
            return doc
        info = doc_info(doc)
        # Context never reaches past a sentence: the flags are computed (and cached) per
        # sentence, keyed by its tokens' forms.
        k = 0
        while k < len(cands):
            b, e = cands[k].sent_begin, cands[k].sent_end
            j = k
            while j < len(cands) and cands[j].sent_begin == b:
                j += 1
            group = cands[k:j]
            key = (tuple(info.toks[b:e]), tuple((c.kind, c.start - b, c.end - b) for c in group))
            flags = _SENT_FLAGS.get(key) if SENTENCE_CACHE else None
            if flags is None:
                flags = self.sentence_flags(info, group, (b, e))
                if SENTENCE_CACHE:
                    if len(_SENT_FLAGS) > SENTENCE_CACHE_LIMIT:
                        _SENT_FLAGS.clear()
                    _SENT_FLAGS[key] = flags
            for c, (cats, actor) in zip(group, flags, strict=True):
                if cats is None:
                    continue
                c.categories = cats
                c.negated = NEGATED in cats
                c.hypothetical = HYPOTHETICAL in cats
                c.future = FUTURE in cats or FUTURE_TIME in cats
                c.historical = HISTORICAL in cats
                c.actor = actor
            k = j
        return doc

    def sentence_flags(
        self, info: DocInfo, cands: list[Cand], span: tuple[int, int]
    ) -> list[tuple[frozenset[str] | None, str | None]]:
        """(context categories, actor) of each candidate of one sentence (None: no context)."""
        tinfo = info.toks
        hits = self.rules.find(info, span)
        literal = self.rules.literal_tokens(info, cands)
        out: list[tuple[frozenset[str] | None, str | None]] = []
        for c in cands:
            # A word a candidate's pattern names is no trigger - for that candidate and
            # for the others overlapping it, it is ("inte" in "inte möjligt att erbjuda"
            # negates the overlapping offer); for candidates elsewhere it is not.
            own: set[int] = set()
            for other, toks in literal:
                if other is c or other.end <= c.start or other.start >= c.end:
                    own |= toks
            kind = c.kind
            opts = self.options.get(kind, {})
            if opts.get("context", True) is False:
                out.append((None, None))
                continue
            ignore = set(opts.get("ignore", ()))
            if opts.get("future_time") == "unless_past" and any(
                is_past(tinfo[i]) for i in range(c.start, c.end)
            ):
                # "Pratade med B om nästa vecka": the talk happened, its topic is ahead.
                ignore.add(FUTURE_TIME)
            cats = frozenset(
                h.trigger.category
                for h in hits
                if h.trigger.category not in ignore
                and own.isdisjoint(range(h.start, h.end))
                and self.rules.applies(info, h, c)
            )
            out.append((cats, actor_of(info, c)))
        return out


# Per-sentence caches (context here, candidates in detectors.py): a sentence's candidates and
# their context depend on its tokens only. Switched off to measure the uncached speed.
SENTENCE_CACHE = True
SENTENCE_CACHE_LIMIT = 100_000
_SENT_FLAGS: dict[tuple, list] = {}


# --- actors ----------------------------------------------------------------------




# Object pronouns are never the subject ("B pratade med oss men släppte inte in oss").
_OBJECTS = frozenset({"oss", "mig", "dig", "honom", "henne", "dem", "er"})

_CLAUSE_STOP = frozenset({",", ";", ":", "-", "–", "(", ")", "att", "som", "eftersom", "då", "pga"})


def subject_of(info: DocInfo, c: Cand, *, max_tokens: int = 8) -> tuple[str, int] | None:
    """The nearest actor before the candidate in its clause (crossing 'och'/'men')."""
    toks = info.toks
    i = c.start - 1
    steps = 0
    while i >= c.sent_begin and steps < max_tokens:
        t = toks[i]
        if t.lower in _CLAUSE_STOP or t.is_space:
            return None
        cat = actor_category(t) if t.lower not in _OBJECTS else None
        if cat:
            return cat, i
        i -= 1
        steps += 1
    return None


def agent_of(info: DocInfo, c: Cand, *, max_gap: int = 3) -> tuple[str, int] | None:
    """The agent of a passive or noun ('ställdes in av dottern', 'avbokning från kund')."""
    toks = info.toks
    sent_end = c.sent_end
    for i in range(c.end, min(c.end + max_gap + 1, sent_end)):
        if toks[i].lower in ("av", "från"):
            for j in range(i + 1, min(i + 4, sent_end)):
                cat = actor_category(toks[j])
                if cat:
                    return cat, j
                if toks[j].is_punct:
                    break
            break
        if toks[i].is_punct:
            break
    return None


def actor_of(info: DocInfo, c: Cand) -> str | None:
    found = agent_of(info, c) or subject_of(info, c)
    return found[0] if found else None
