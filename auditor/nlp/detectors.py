"""Detectors: from pattern candidates to the catalogue's labels.

``auditor_matcher`` finds candidates (``doc.spans["auditor_candidates"]``, label
``cand:<KIND>``) with the patterns of ``lexicon/events.yaml``; ``auditor_context`` marks
them; ``auditor_detectors`` decides the labels into ``doc.spans["auditor_hits"]``, each
span carrying ``negated``/``hypothetical``/``future``/``actor``/``refers_to``/``detail``.

What the patterns cannot say is decided here, per label:
- who cancelled (agent "av dottern", subject "vi fick avboka", cause "pga personalbrist");
- a negated visit ("besöket genomfördes inte") is a cancellation by whoever caused it;
- a negated offer ("kunde inte erbjudas annan personal") is ALT_NOT_POSSIBLE;
- CONCERN needs a third party's worry and the person's refusal of help;
- REASON needs a decline in the note, and is not a service cause nor "ingen orsak";
- summaries and end notes recap, they create no new events.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from auditor.nlp import lexicon
from auditor.nlp.context import (
    ANHORIG,
    ANNAN,
    BRUKARE,
    CANDIDATES,
    HANDLAGGARE,
    VERKSAMHETEN,
    actor_category,
    agent_of,
    subject_of,
)
from auditor.nlp.dates import refers_to

HITS = "auditor_hits"
CAND_PREFIX = "cand:"

LABELS = (
    "DECLINE",
    "SERVICE_CANCEL",
    "NOT_HOME",
    "HOSPITAL",
    "CONCERN",
    "ALT_OFFERED",
    "ALT_NOT_POSSIBLE",
    "INFORMED",
    "DEVIATION",
    "REASON",
    "MOTIVATION",
    "CASEWORKER_CONTACT",
    "CONTACT",
    "CONTACT_ATTEMPT",
    "VISIT_DONE",
    "THREE_DAY_ROUTINE",
    "SUMMARY",
    "END_NOTE",
    "HOME_TALK",
    "TERM_TALK",
    "WELCOME_PACK",
    "PLAN_DONE",
    "VALUE_WORD",
)

# Labels a summary or end note keeps: everything else in such a note is a recap.
_RECAP_KEEPS = frozenset({"SUMMARY", "END_NOTE", "VALUE_WORD", "CASEWORKER_CONTACT"})
_PARTICIPLES = frozenset({"avbokad", "avbokat", "inställd", "inställt", "inställda"})
_CONNECTORS = frozenset({"pga", "p.g.a.", "eftersom", "då", "på"})
_TIME_ADVERBS = frozenset(
    {
        "igår",
        "idag",
        "sedan",
        "sen",
        "då",
        "nu",
        "därefter",
        "senare",
        "morse",
        "eftermiddagen",
        "förmiddagen",
        "kvällen",
        "morgonen",
        "måndags",
        "tisdags",
        "onsdags",
        "torsdags",
        "fredags",
        "lördags",
        "söndags",
        "helgen",
        "strax",
    }
)
_REACHED_VERBS = frozenset(
    {
        "meddela",
        "informera",
        "påminna",
        "boka",
        "berätta",
        "prata",
        "bestämma",
        "komma",
        "förklara",
        "fråga",
        "säga",
        "avboka",
        "ställa",
        "tacka",
    }
)


# --- candidates ------------------------------------------------------------------


@Language.factory("auditor_matcher")
def make_matcher(nlp: Language, name: str, *, spans_key: str = CANDIDATES):
    return CandidateMatcher(nlp, spans_key=spans_key)


class CandidateMatcher:
    """All candidate patterns of events.yaml, one Matcher key per pattern."""

    def __init__(self, nlp: Language, *, spans_key: str = CANDIDATES) -> None:
        self.spans_key = spans_key
        self.matcher = Matcher(nlp.vocab)
        self.keys: dict[int, tuple[str, frozenset[str]]] = {}
        for kind, spec in lexicon.load("events")["candidates"].items():
            for i, text in enumerate(spec.get("patterns", [])):
                compiled = lexicon.compile_pattern(text)
                key = f"{kind}#{i}"
                self.matcher.add(key, [compiled.tokens])
                self.keys[nlp.vocab.strings[key]] = (kind, compiled.literals)

    def __call__(self, doc: Doc) -> Doc:
        by_kind: dict[str, list[Span]] = defaultdict(list)
        literals: dict[tuple[str, int, int], frozenset[str]] = {}
        for match_id, start, end in self.matcher(doc):
            kind, lits = self.keys[match_id]
            span = Span(doc, start, end, label=CAND_PREFIX + kind)
            by_kind[kind].append(span)
            literals[(kind, start, end)] = lits
        out: list[Span] = []
        for kind, spans in by_kind.items():
            for span in filter_spans(spans):
                span._.kind = kind
                span._.literals = literals[(kind, span.start, span.end)]
                out.append(span)
        out.sort(key=lambda s: (s.start, s.end))
        doc.spans[self.spans_key] = out
        return doc


# --- decisions -------------------------------------------------------------------


def asserted(span: Span) -> bool:
    return not (span._.negated or span._.hypothetical or span._.future)


def _keys(tok) -> frozenset[str]:
    return frozenset(tok._.keys or (tok.lower_,))


def _sent_has(span: Span, words: frozenset[str], *, exclude: Span | None = None) -> bool:
    for tok in span.sent:
        if exclude is not None and exclude.start <= tok.i < exclude.end:
            continue
        if _keys(tok) & words:
            return True
    return False


class Resolver:
    """Decides the hits of one doc."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.cands: dict[str, list[Span]] = defaultdict(list)
        for span in doc.spans.get(CANDIDATES, []):
            self.cands[span._.kind].append(span)
        self.hits: list[tuple[str, Span, dict]] = []
        ev = lexicon.load("events")
        self.options = ev["candidates"]
        self.sets = {
            name: lexicon.word_set(name)
            for name in (
                "decline_objects",
                "clause_end",
                "door_words",
                "new_time_words",
                "documentation_nouns",
                "end_reasons",
                "value_word_person_nouns",
                "value_word_skip",
                "cancel_non_visit",
                "phone_words",
            )
        }
        self.service_cause = lexicon.word_set("service_cause")
        self.individual = lexicon.word_set("individual")
        self.copula = lexicon.word_set("copula")
        self.sokord_sets = {k: frozenset(v) for k, v in ev.get("sokord", {}).items()}

    # helpers
    def in_sent(self, kind: str, span: Span, *, only_asserted: bool = False) -> list[Span]:
        return [
            c
            for c in self.cands.get(kind, [])
            if c.sent.start == span.sent.start and (asserted(c) or not only_asserted)
        ]

    def add(self, label: str, span: Span, **flags) -> None:
        self.hits.append((label, span, flags))

    def add_asserted_only(self, label: str, span: Span, **flags) -> None:
        """Record the hit with its context flags (non-asserted hits are kept, flagged)."""
        self.add(
            label,
            span,
            negated=span._.negated,
            hypothetical=span._.hypothetical,
            future=span._.future,
            **flags,
        )

    def dropped_historical(self, span: Span) -> bool:
        return bool(self.options.get(span._.kind, {}).get("drop_historical")) and span._.historical

    def service_cue(self, span: Span) -> bool:
        """The sentence names a service-side cause (or a short neighbouring fragment does)."""
        if _sent_has(span, self.service_cause, exclude=span):
            return True
        sent = span.sent
        if sent.end < len(self.doc):
            following = self.doc[sent.end].sent
            first = following[0] if len(following) else None
            if (
                first is not None
                and not (_keys(first) & self.individual)
                and any(_keys(t) & self.service_cause for t in following[:4])
            ):
                return True
        if sent.start > 0:
            previous = self.doc[sent.start - 1].sent
            words = [t for t in previous if not (t.is_punct or t.is_space)]
            if len(words) <= 4 and any(_keys(t) & self.service_cause for t in words):
                return True
        return False

    def canceller(self, span: Span, *, passive: bool | None = None) -> str | None:
        """Who cancelled: the agent, the active subject, a service cause, the individual."""
        found = agent_of(span)
        if found:
            return found[0]
        sent_text = span.sent.text.lower()
        if "verksamhetens sida" in sent_text or "utförarens sida" in sent_text:
            return VERKSAMHETEN
        if "kundens sida" in sent_text or "brukarens sida" in sent_text:
            return BRUKARE
        if passive is None:
            passive = any(
                t.lower_.endswith(("des", "tes", "as", "ts")) or t.lower_ in _PARTICIPLES
                for t in span
            ) or span[0].lower_.startswith(("inställ", "avbokning", "utebl", "uteblev"))
        if not passive:
            found = subject_of(span)
            if found and found[0] in (BRUKARE, VERKSAMHETEN, ANHORIG, HANDLAGGARE):
                return found[0]
            # Inverted word order: "I måndags avbokade B ledsagningen".
            after = list(span[1:]) + [
                self.doc[i] for i in range(span.end, min(span.end + 1, span.sent.end))
            ]
            for tok in after:
                cat = actor_category(tok)
                if cat in (BRUKARE, VERKSAMHETEN, ANHORIG):
                    return cat
        if self.service_cue(span):
            return VERKSAMHETEN
        if any(r.sent.start == span.sent.start for r in self.cands.get("REASON", [])) and not any(
            n.sent.start == span.sent.start for n in self.cands.get("NO_REASON", [])
        ):
            return BRUKARE  # "Avbokat, sjuk." - the individual's own reason
        return None

    def phone_context(self, span: Span) -> bool:
        doc = self.doc
        for t in span.sent:
            if _keys(t) & self.sets["phone_words"]:
                return True
            if t.lower_.startswith("ring") and not (
                t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "på"
            ):
                return True
        return False

    def door_context(self, span: Span) -> bool:
        if self.phone_context(span):
            return False
        doc = self.doc
        return _sent_has(span, self.sets["door_words"]) or any(
            t.lower_.startswith("ring") and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "på"
            for t in span.sent
        )

    # --- per family --------------------------------------------------------------

    def cancellations(self) -> None:
        non_visit = self.sets["cancel_non_visit"]
        brukare_moves: set[int] = set()
        for span in self.cands.get("MOVE", []):
            if not asserted(span) or self.dropped_historical(span):
                continue
            who = self.canceller(span, passive=False)
            new_time = _sent_has(span, self.sets["new_time_words"], exclude=span) or any(
                t.like_num for t in span.sent
            )
            if who in (BRUKARE, ANHORIG):
                brukare_moves.add(span.sent.start)
                if new_time:
                    self.add("ALT_OFFERED", span)
                continue
            self.add("SERVICE_CANCEL", span, actor=None, detail={"cancelled_by": VERKSAMHETEN})
            if new_time:
                self.add("ALT_OFFERED", span)
        for span in self.cands.get("CANCEL", []):
            near = self.doc[max(span.sent.start, span.start - 2) : min(span.sent.end, span.end + 2)]
            if self.dropped_historical(span) or any(_keys(t) & non_visit for t in near):
                continue
            if span._.negated and not (span._.hypothetical or span._.future):
                continue  # "ställdes inte in": nothing was cancelled
            who = self.canceller(span)
            if who == VERKSAMHETEN:
                self.add_asserted_only(
                    "SERVICE_CANCEL", span, detail={"cancelled_by": VERKSAMHETEN}
                )
            elif who in (BRUKARE, ANHORIG):
                if span.sent.start in brukare_moves:
                    continue  # moved at the individual's own request: not a decline
                self.add_asserted_only(
                    "DECLINE",
                    span,
                    actor=ANHORIG if who == ANHORIG else None,
                    detail={"cancelled_by": who},
                )
        for span in self.cands.get("SERVICE_CANCEL", []):
            self.add_asserted_only("SERVICE_CANCEL", span, detail={"cancelled_by": VERKSAMHETEN})
        for span in self.cands.get("VISIT_OUTCOME", []):
            if span._.negated and not (span._.hypothetical or span._.future):
                if self.in_sent("NOT_HOME", span):
                    continue
                who = self.canceller(span, passive=True)
                if who is None and (_sent_has(span, self.individual, exclude=span)):
                    who = BRUKARE
                if who == VERKSAMHETEN:
                    self.add("SERVICE_CANCEL", span, detail={"cancelled_by": VERKSAMHETEN})
                elif who in (BRUKARE, ANHORIG):
                    self.add(
                        "DECLINE",
                        span,
                        actor=ANHORIG if who == ANHORIG else None,
                        detail={"cancelled_by": who},
                    )
            else:
                self.add_asserted_only("VISIT_DONE", span)

    def declines(self) -> None:
        for span in self.cands.get("DECLINE", []):
            if self.dropped_historical(span):
                continue
            found = subject_of(span)
            who = found[0] if found else None
            if who in (VERKSAMHETEN, HANDLAGGARE):
                continue
            self.add_asserted_only(
                "DECLINE",
                span,
                actor=ANHORIG if who == ANHORIG else None,
                detail={"cancelled_by": ANHORIG if who == ANHORIG else BRUKARE},
            )
        objects, ends = self.sets["decline_objects"], self.sets["clause_end"]
        for span in self.cands.get("WANT_NOT", []):
            if self.dropped_historical(span):
                continue
            nxt = span.end
            ok = nxt >= span.sent.end or self.doc[nxt].is_punct or self.doc[nxt].is_space
            if not ok:
                ok = bool(_keys(self.doc[nxt]) & (objects | ends))
            found = subject_of(span)
            if found and found[0] in (VERKSAMHETEN, HANDLAGGARE, ANNAN):
                ok = False
            if ok:
                self.add_asserted_only("DECLINE", span, detail={"cancelled_by": BRUKARE})

    def not_home(self) -> None:
        for span in self.cands.get("NOT_HOME", []):
            self.add_asserted_only("NOT_HOME", span)
        for span in self.cands.get("NO_ANSWER", []):
            if not asserted(span):
                continue
            if self.door_context(span):
                if not self.in_sent("NOT_HOME", span):
                    self.add("NOT_HOME", span)
            elif (
                self.phone_context(span)
                or actor_category(span[0]) == BRUKARE
                or self.in_sent("ATTEMPT", span)
            ):
                self.add("CONTACT_ATTEMPT", span)

    def three_day(self) -> None:
        for span in self.cands.get("THREE_DAY", []):
            self.add_asserted_only("THREE_DAY_ROUTINE", span)

    def hospital(self) -> None:
        docs = self.sets["documentation_nouns"]
        for span in self.cands.get("HOSPITAL", []):
            if self.dropped_historical(span):
                continue
            window = self.doc[
                max(span.sent.start, span.start - 3) : min(span.sent.end, span.end + 3)
            ]
            if any(_keys(t) & docs for t in window):
                continue
            found = subject_of(span)
            if (
                found
                and found[0] != BRUKARE
                and (found[0] != HANDLAGGARE or found[1].i < span.start - 3)
            ):
                continue  # a relative's admission, or staff's
            self.add_asserted_only("HOSPITAL", span)

    def concern(self) -> set[int]:
        """CONCERN hits; returns the sentence starts whose refusals belong to them."""
        used: set[int] = set()
        refusals = [s for s in self.cands.get("REFUSES_HELP", []) if asserted(s)]
        if not refusals:
            return used
        for span in self.cands.get("WORRY", []):
            if not asserted(span):
                continue
            who = subject_of(span, max_tokens=10)
            third = who is not None and who[0] in (ANHORIG, ANNAN)
            if who is None:
                third = any(
                    actor_category(t) in (ANHORIG, ANNAN)
                    for t in span.sent
                    if t.i < span.start and not t.text.endswith(":s")
                )
            if not third:
                continue
            sent = span.sent
            nxt_start = sent.end
            linked = [
                r
                for r in refusals
                if r.sent.start == sent.start
                or (nxt_start < len(self.doc) and r.sent.start == self.doc[nxt_start].sent.start)
            ]
            if not linked:
                continue
            actor = ANHORIG if who and who[0] == ANHORIG else ANNAN
            if who is None:
                cats = [actor_category(t) for t in sent if t.i < span.start]
                actor = ANHORIG if ANHORIG in cats else ANNAN
            self.add("CONCERN", span, actor=actor)
            used.add(sent.start)
            used.update(r.sent.start for r in linked)
        return used

    def alternatives(self) -> None:
        for span in self.cands.get("ALT_OFFERED", []):
            if span._.negated and not (span._.hypothetical or span._.future):
                self.add("ALT_NOT_POSSIBLE", span)
            else:
                self.add_asserted_only("ALT_OFFERED", span)
        for span in self.cands.get("ALT_NOT_POSSIBLE", []):
            if span._.hypothetical or span._.future:
                continue
            self.add("ALT_NOT_POSSIBLE", span)

    def informed(self) -> None:
        for span in self.cands.get("INFORMED", []):
            found = subject_of(span)
            if (
                found
                and found[0] in (HANDLAGGARE, ANHORIG, ANNAN)
                and span[0].lower_ not in self.individual
            ):
                continue
            self.add_asserted_only("INFORMED", span)

    def deviation(self) -> None:
        for span in self.cands.get("DEVIATION", []):
            self.add_asserted_only("DEVIATION", span)

    def caseworker(self) -> None:
        for span in self.cands.get("CASEWORKER", []):
            self.add_asserted_only("CASEWORKER_CONTACT", span)

    def contact(self) -> None:
        def by_caseworker(span: Span) -> bool:
            found = subject_of(span, max_tokens=10)
            return bool(found and found[0] == HANDLAGGARE)

        contact_sents: set[int] = set()
        for span in self.cands.get("CONTACT", []):
            if by_caseworker(span):
                continue
            if span._.negated and not (span._.hypothetical or span._.future):
                if "svar" in " ".join(t.lower_ for t in span) and not self.door_context(span):
                    self.add("CONTACT_ATTEMPT", span)
                continue
            self.add_asserted_only("CONTACT", span)
            if asserted(span):
                contact_sents.add(span.sent.start)
        for span in self.cands.get("ATTEMPT", []):
            if by_caseworker(span):
                continue
            is_note = any(t.lower_.startswith(("lapp", "brev")) for t in span)
            if span.sent.start in contact_sents and not is_note:
                continue
            if span[0].lower_.startswith("ring") and span.end < len(self.doc):
                if self.doc[span.end].lower_ == "på":
                    continue  # the doorbell
                if self.reached_by_call(span):
                    self.add_asserted_only("CONTACT", span)
                    continue
            self.add_asserted_only("CONTACT_ATTEMPT", span)

    def reached_by_call(self, span: Span) -> bool:
        """'Igår ringde B' (B called: inverted order) or 'ringde B och meddelade' (reached)."""
        doc = self.doc
        if span.start > span.sent.start:
            prev = doc[span.start - 1]
            if prev.lower_ in _TIME_ADVERBS:
                return True
            if prev.like_num and prev.i > 0 and doc[prev.i - 1].lower_ in ("kl", "kl.", "klockan"):
                return True
        if span.end + 1 < span.sent.end and doc[span.end].lower_ == "och":
            return bool(_keys(doc[span.end + 1]) & _REACHED_VERBS)
        return False

    def visits(self) -> None:
        blocking = ("CANCEL", "DECLINE", "WANT_NOT", "NOT_HOME", "NO_ANSWER", "MOVE")
        for span in self.cands.get("VISIT", []):
            self.add_asserted_only("VISIT_DONE", span)
        for span in self.cands.get("VISIT_WEAK", []):
            if any(self.in_sent(k, span) for k in blocking):
                continue
            self.add_asserted_only("VISIT_DONE", span)

    def reasons(self, declined: bool) -> None:
        if not declined:
            return
        vetoes = self.cands.get("NO_REASON", [])
        declines = self.cands.get("DECLINE", []) + self.cands.get("WANT_NOT", [])
        for span in self.cands.get("REASON", []):
            if span._.hypothetical or span._.future:
                continue
            if any(
                v.start <= span.end and span.start <= v.end and v.sent == span.sent for v in vetoes
            ):
                continue
            sent_end = span.sent.end
            clause = self.doc[span.start : min(sent_end, span.end + 6)]
            if span[0].lower_ in _CONNECTORS:
                stop = next(
                    (t.i for t in clause[1:] if t.is_punct or t.lower_ in ("och", "men", "utan")),
                    clause.end,
                )
                if any(span.start <= d.start < stop for d in declines):
                    continue  # "eftersom B inte ville": the decline itself, not its reason
            found = subject_of(span)
            if found and found[0] in (VERKSAMHETEN,):
                continue
            first_actor = next((actor_category(t) for t in clause if actor_category(t)), None)
            if first_actor == VERKSAMHETEN or (
                first_actor is None and any(_keys(t) & self.service_cause for t in clause)
            ):
                continue
            self.add("REASON", span)

    def motivation(self, declined: bool) -> None:
        for span in self.cands.get("MOTIVATION", []):
            self.add_asserted_only("MOTIVATION", span)
        if declined:
            for label, span, _flags in list(self.hits):
                if label == "ALT_OFFERED" and span._.kind == "ALT_OFFERED" and asserted(span):
                    self.add("MOTIVATION", span)

    def documents(self) -> None:
        sokord = self.doc._.sokord or ""
        sok_keys = {w.strip(" :.-").lower() for w in sokord.split()}
        sok_text = sokord.lower()

        def sok(label: str) -> bool:
            words = self.sokord_sets.get(label, frozenset())
            return any(w in sok_text for w in words) or bool(sok_keys & words)

        first = next(iter(self.doc.sents), None)
        for label, kinds in (
            ("SUMMARY", ("SUMMARY",)),
            ("END_NOTE", ("END_NOTE",)),
            ("HOME_TALK", ("HOME_TALK",)),
            ("TERM_TALK", ("TERM_TALK",)),
            ("WELCOME_PACK", ("WELCOME_PACK",)),
            ("PLAN_DONE", ("PLAN_DONE",)),
        ):
            spans = [s for k in kinds for s in self.cands.get(k, [])]
            for span in spans:
                self.add_asserted_only(label, span)
            if label == "SUMMARY":
                for span in self.cands.get("SUMMARY_WEAK", []):
                    if span.start != 0 or any(
                        not asserted(o) and o.start <= span.start < o.end for o in spans
                    ):
                        continue
                    self.add_asserted_only(label, span)
            if first is not None and sok(label):
                spans_all = spans + (
                    self.cands.get("SUMMARY_WEAK", []) if label == "SUMMARY" else []
                )
                if any(not asserted(s) for s in spans_all):
                    continue
                if label in ("HOME_TALK", "TERM_TALK") and (
                    self.cands.get("CANCEL")
                    or any(s._.negated for s in self.cands.get("VISIT_OUTCOME", []))
                ):
                    continue
                if not any(lbl == label for lbl, _, _ in self.hits):
                    self.add(label, first)

    def value_words(self) -> None:
        persons, skip = self.sets["value_word_person_nouns"], self.sets["value_word_skip"]
        for span in self.cands.get("VALUE_WORD", []):
            doc = self.doc
            nxt = doc[span.end] if span.end < span.sent.end else None
            if nxt is not None and _keys(nxt) & persons:
                self.add("VALUE_WORD", span)
                continue
            i = span.start - 1
            ok = False
            while i >= span.sent.start:
                tok = doc[i]
                if (
                    tok.lower_ in skip
                    or (_keys(tok) & {"besvärlig", "lat", "bråkig", "jobbig"})
                    or tok.lower_ in self.copula
                ):
                    i -= 1
                    continue
                ok = actor_category(tok) == BRUKARE
                break
            if ok:
                self.add("VALUE_WORD", span)

    # --- all -----------------------------------------------------------------------

    def run(self) -> list[tuple[str, Span, dict]]:
        self.cancellations()
        self.declines()
        concern_sents = self.concern()
        if concern_sents:
            self.hits = [
                h for h in self.hits if not (h[0] == "DECLINE" and h[1].sent.start in concern_sents)
            ]
        self.not_home()
        self.three_day()
        self.hospital()
        self.alternatives()
        self.informed()
        self.deviation()
        self.caseworker()
        self.contact()
        self.visits()
        declined = any(lbl == "DECLINE" and _flags_asserted(f) for lbl, _, f in self.hits)
        self.reasons(declined)
        self.motivation(declined)
        self.documents()
        self.value_words()
        labels = {lbl for lbl, _, f in self.hits if _flags_asserted(f)}
        if labels & {"SUMMARY", "END_NOTE"}:
            self.hits = [h for h in self.hits if h[0] in _RECAP_KEEPS]
        return self.hits


def _flags_asserted(flags: dict) -> bool:
    return not (flags.get("negated") or flags.get("hypothetical") or flags.get("future"))


# --- details ---------------------------------------------------------------------


def _held_by(doc: Doc) -> str | None:
    """Who held a hemgångssamtal: initials ('/LK', 'LK') or a name in the note."""
    import re

    m = re.search(r"(?:^|\s)/\s?([A-ZÅÄÖ]{2,3})\b", doc.text)
    if m:
        return m.group(1)
    skip = {"B", "LSS", "SOL", "SMS", "EC", "KTS", "HSL", "ICA", "IVA", "GP", "OK", "TV"}
    sents = list(doc.sents)
    for sent in sents:
        for tok in sent:
            if tok.i == sent.start or not tok.is_alpha:
                continue
            text = tok.text
            if text.isupper() and 2 <= len(text) <= 3 and text not in skip:
                return text
            prev = doc[tok.i - 1].lower_ if tok.i > 0 else ""
            if (
                text[:1].isupper()
                and not text.isupper()
                and len(text) > 2
                and prev in ("av", "/", "sign", "sign.")
            ):
                return text
    # A signature: a capitalised word alone at the end of the note.
    last = sents[-1] if sents else None
    if last is not None:
        words = [t for t in last if not t.is_punct and not t.is_space]
        if len(words) == 1 and words[0].is_title and words[0].is_alpha:
            return words[0].text
    return None


def _gives_reason(span: Span, reasons: frozenset[str]) -> bool:
    doc = span.doc
    for tok in doc:
        if span.start <= tok.i < span.end:
            continue
        if _keys(tok) & reasons:
            return True
    return False


@Language.factory("auditor_detectors")
def make_detectors(nlp: Language, name: str, *, spans_key: str = HITS):
    return DetectorComponent(spans_key=spans_key)


class DetectorComponent:
    def __init__(self, *, spans_key: str = HITS) -> None:
        self.spans_key = spans_key
        self.end_reasons = lexicon.word_set("end_reasons")

    def __call__(self, doc: Doc) -> Doc:
        hits = Resolver(doc).run()
        note_date = doc._.note_date
        out: list[Span] = []
        seen: set[tuple[str, int, int]] = set()
        for label, span, flags in hits:
            key = (label, span.start, span.end)
            if key in seen:
                continue
            seen.add(key)
            hit = Span(doc, span.start, span.end, label=label)
            hit._.negated = bool(flags.get("negated", False))
            hit._.hypothetical = bool(flags.get("hypothetical", False))
            hit._.future = bool(flags.get("future", False))
            hit._.actor = flags.get("actor")
            detail = dict(flags.get("detail") or {})
            if label == "END_NOTE":
                detail["gives_reason"] = _gives_reason(span, self.end_reasons)
            elif label == "HOME_TALK":
                detail["held_by"] = _held_by(doc)
            hit._.detail = tuple(detail.items())
            hit._.refers_to = refers_to(span.sent.text, note_date)
            out.append(hit)
        doc.spans[self.spans_key] = out
        return doc


def hit_spans(doc: Doc) -> Iterable[Span]:
    return doc.spans.get(HITS, [])
