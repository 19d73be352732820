"""ConText for Swedish journal notes: negation, condition, intention, recall, and who.

Triggers come from ``lexicon/context.yaml``. A trigger applies to an event candidate
in the same sentence when the candidate lies in its scope:

- forward (pre-trigger, "ingen avvikelse upprättades", "ska skriva avvikelse"),
- backward (post-trigger, Swedish main clauses put the negation after the verb:
  "avvikelse upprättades inte", "annan personal erbjöds ej"),
- inside the candidate's own words when the pattern did not name the word itself
  ("annan personal kunde inte erbjudas": the pattern is "annan personal ~3 erbjuda").

Scope ends at a terminator (men, utan, dock, istället, eftersom, och, comma ...), at the
sentence end and after ``window`` tokens. Pseudo-triggers ("inte bara") and trigger
words that a candidate's pattern names itself ("inte hemma", "ville inte", "inget svar")
are not triggers. A sentence-initial "Om"/"Ifall" makes the whole sentence conditional.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from auditor.nlp import lexicon

CANDIDATES = "auditor_candidates"

# Categories that turn into TextHit flags.
NEGATED, HYPOTHETICAL, FUTURE, FUTURE_TIME, HISTORICAL = (
    "negated",
    "hypothetical",
    "future",
    "future_time",
    "historical",
)

# Actor categories (TextHit.actor / detail cancelled_by).
BRUKARE, VERKSAMHETEN, ANHORIG, ANNAN, HANDLAGGARE = (
    "brukare",
    "verksamheten",
    "anhörig",
    "annan",
    "handläggare",
)


@dataclass(frozen=True, slots=True)
class Trigger:
    category: str
    direction: str  # forward | backward | both
    window: int
    sentence_scope: bool
    only: frozenset[str]
    sent_start: bool


@dataclass(frozen=True, slots=True)
class TriggerHit:
    trigger: Trigger
    start: int
    end: int


class ContextRules:
    """Compiled triggers, pseudo-triggers and terminators."""

    def __init__(self, vocab) -> None:
        data = lexicon.load("context")
        self.terminators = frozenset(str(t).lower() for t in data["terminators"])
        self.matcher = Matcher(vocab)
        self.triggers: dict[str, Trigger] = {}
        for category, items in data["triggers"].items():
            for i, item in enumerate(items):
                key = f"{category}#{i}"
                trig = Trigger(
                    category=category,
                    direction=item.get("dir", "both"),
                    window=int(item.get("window", 8)),
                    sentence_scope=item.get("scope") == "sentence",
                    only=frozenset(item.get("only", ())),
                    sent_start=bool(item.get("sent_start", False)),
                )
                self.triggers[key] = trig
                pattern = lexicon.compile_pattern(item["p"]).tokens
                if trig.sent_start:
                    pattern[0] = {**pattern[0], "IS_SENT_START": True}
                self.matcher.add(key, [pattern])
        self.pseudo = Matcher(vocab)
        self.pseudo.add("PSEUDO", [lexicon.compile_pattern(p).tokens for p in data["pseudo"]])

    def find(self, doc: Doc, candidates: Iterable[Span]) -> list[TriggerHit]:
        """Trigger occurrences in the doc, minus pseudo-triggers and candidate literals."""
        blocked: set[int] = set()
        for _, s, e in self.pseudo(doc):
            blocked.update(range(s, e))
        hits: list[TriggerHit] = []
        for match_id, s, e in self.matcher(doc):
            if blocked.intersection(range(s, e)):
                continue
            key = doc.vocab.strings[match_id]
            hits.append(TriggerHit(self.triggers[key], s, e))
        return hits

    @staticmethod
    def literal_tokens(candidates: Iterable[Span]) -> list[tuple[Span, frozenset[int]]]:
        """Per candidate, the tokens its own pattern names (they are not triggers)."""
        out = []
        for span in candidates:
            lits = span._.literals
            own = frozenset(t.i for t in span if lits.intersection(t._.keys or ()))
            out.append((span, own))
        return out

    def _clear(self, doc: Doc, start: int, end: int) -> bool:
        """No terminator between token positions start (incl.) and end (excl.)."""
        return all(doc[i].lower_ not in self.terminators for i in range(start, end))

    def applies(self, hit: TriggerHit, span: Span, kind: str) -> bool:
        trig = hit.trigger
        if trig.only and kind not in trig.only:
            return False
        doc = span.doc
        if doc[hit.start].sent.start != span.sent.start:
            return False
        if hit.start >= span.start and hit.end <= span.end:
            return True  # inside the candidate, not one of its own words
        if trig.sentence_scope:
            return hit.end <= span.start
        if trig.direction in ("forward", "both") and hit.end <= span.start:
            return span.start - hit.end < trig.window and self._clear(doc, hit.end, span.start)
        if trig.direction in ("backward", "both") and hit.start >= span.end:
            return hit.start - span.end < trig.window and self._clear(doc, span.end, hit.start)
        return False


@Language.factory("auditor_context")
def make_context(nlp: Language, name: str, *, spans_key: str = CANDIDATES):
    return ContextComponent(nlp, spans_key=spans_key)


class ContextComponent:
    """Sets negated/hypothetical/future/historical and the actor on every candidate."""

    def __init__(self, nlp: Language, *, spans_key: str = CANDIDATES) -> None:
        self.rules = ContextRules(nlp.vocab)
        self.spans_key = spans_key
        self.options = {k: v for k, v in lexicon.load("events")["candidates"].items()}

    def __call__(self, doc: Doc) -> Doc:
        spans = list(doc.spans.get(self.spans_key, []))
        if not spans:
            return doc
        hits = self.rules.find(doc, spans)
        literal = self.rules.literal_tokens(spans)
        for span in spans:
            # A word a candidate's pattern names is no trigger - for that candidate and
            # for the others overlapping it, it is ("inte" in "inte möjligt att erbjuda"
            # negates the overlapping offer); for candidates elsewhere it is not.
            own: set[int] = set()
            for other, toks in literal:
                if other is span or other.end <= span.start or other.start >= span.end:
                    own |= toks
            kind = span._.kind
            opts = self.options.get(kind, {})
            if opts.get("context", True) is False:
                continue
            ignore = set(opts.get("ignore", ()))
            cats = {
                h.trigger.category
                for h in hits
                if h.trigger.category not in ignore
                and not own.intersection(range(h.start, h.end))
                and self.rules.applies(h, span, kind)
            }
            span._.categories = frozenset(cats)
            span._.negated = NEGATED in cats
            span._.hypothetical = HYPOTHETICAL in cats
            span._.future = FUTURE in cats or FUTURE_TIME in cats
            span._.historical = HISTORICAL in cats
            span._.actor = actor_of(span)
        return doc


# --- actors ----------------------------------------------------------------------


def actor_category(tok: Token) -> str | None:
    """brukare / verksamheten / anhörig / annan / handläggare, or None."""
    keys = set(tok._.keys or (tok.lower_,))
    if tok.text == "B" or keys & lexicon.word_set("individual"):
        return BRUKARE
    if keys & lexicon.word_set("caseworker"):
        return HANDLAGGARE
    if keys & lexicon.word_set("relative"):
        return ANHORIG
    if keys & lexicon.word_set("neighbour"):
        return ANNAN
    if keys & lexicon.word_set("staff"):
        return VERKSAMHETEN
    return None


_CLAUSE_STOP = frozenset({",", ";", ":", "-", "–", "(", ")", "att", "som", "eftersom", "då", "pga"})


def subject_of(span: Span, *, max_tokens: int = 8) -> tuple[str, Token] | None:
    """The nearest actor before the span in its clause (crossing 'och'/'men')."""
    sent_start = span.sent.start
    i = span.start - 1
    steps = 0
    while i >= sent_start and steps < max_tokens:
        tok = span.doc[i]
        if tok.lower_ in _CLAUSE_STOP or tok.is_space:
            return None
        cat = actor_category(tok)
        if cat:
            return cat, tok
        i -= 1
        steps += 1
    return None


def agent_of(span: Span, *, max_gap: int = 3) -> tuple[str, Token] | None:
    """The agent of a passive or noun ('ställdes in av dottern', 'avbokning från kund')."""
    doc = span.doc
    sent_end = span.sent.end
    for i in range(span.end, min(span.end + max_gap + 1, sent_end)):
        if doc[i].lower_ in ("av", "från"):
            for j in range(i + 1, min(i + 4, sent_end)):
                cat = actor_category(doc[j])
                if cat:
                    return cat, doc[j]
                if doc[j].is_punct:
                    break
            break
        if doc[i].is_punct:
            break
    return None


def actor_of(span: Span) -> str | None:
    found = agent_of(span) or subject_of(span)
    return found[0] if found else None
