"""Detectors: from pattern candidates to the catalogue's labels.

``auditor_matcher`` finds candidates (:class:`~auditor.nlp.context.Cand`, in
``doc.user_data["auditor_candidates"]``) with the patterns of ``lexicon/events.yaml``
(``match.py``; per sentence, cached per sentence); ``auditor_context`` marks them;
``auditor_detectors`` decides the labels: TextHits in ``doc.user_data["auditor_hits"]``
(:func:`doc_hits`; :func:`hit_spans` gives them as labelled spans).

What the patterns cannot say is decided here, per label:
- who cancelled (agent "av dottern", subject "vi fick avboka", cause "pga personalbrist");
- a negated visit ("besöket genomfördes inte") is a cancellation by whoever caused it;
- a negated offer ("kunde inte erbjudas annan personal") is ALT_NOT_POSSIBLE;
- CONCERN needs a third party's worry and the person's refusal of help;
- REASON needs a decline in the note, and is not a service cause nor "ingen orsak";
- a call is contact when the note shows it was answered ("ringde B och presenterade mig",
  "ringde B som lät trött", "... pratade om"), else an attempt; a meeting booked is none;
- "ville inte ha annan personal" is about another person, not a decline; a present-tense
  "vill inte städa" is a disposition unless a day is named;
- a visit heading ("Besök kl 10.") is a visit unless the note tells of none;
- summaries and end notes recap, they create no new events.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import pairwise

from spacy.language import Language
from spacy.tokens import Doc, Span

from auditor.model.records import TextHit
from auditor.nlp import context, lexicon
from auditor.nlp.context import (
    ANHORIG,
    ANNAN,
    BRUKARE,
    CANDIDATES,
    HANDLAGGARE,
    VERKSAMHETEN,
    Cand,
    actor_category,
    agent_of,
    is_past,
    subject_of,
)
from auditor.nlp.dates import mentions_day, refers_to
from auditor.nlp.patterns import candidate_patterns, doc_candidates, trigger_patterns
from auditor.nlp.pipeline import DocInfo, doc_ext, doc_info

HITS = "auditor_hits"
CONTACT_BY_DECLINING = True

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
# Hits that are no catalogue label: a cancellation whose canceller the text does not tell.
EXTRA_LABELS = ("CANCELLED",)
# TextHit.actor values (the nlp -> rules contract, ARCHITECTURE.md).
INDIVIDUAL, STAFF, CASEWORKER, THIRD_PARTY, UNKNOWN = (
    "individual",
    "staff",
    "caseworker",
    "third_party",
    "unknown",
)
_ACTOR_OF_CATEGORY = {
    BRUKARE: INDIVIDUAL,
    VERKSAMHETEN: STAFF,
    HANDLAGGARE: CASEWORKER,
    ANHORIG: THIRD_PARTY,
    ANNAN: THIRD_PARTY,
}
# Who does what a label says, when the detector's decision implies it.
_DEFAULT_ACTOR = {
    "DECLINE": INDIVIDUAL,
    "SERVICE_CANCEL": STAFF,
    "ALT_OFFERED": STAFF,
    "ALT_NOT_POSSIBLE": STAFF,
    "INFORMED": STAFF,
    "DEVIATION": STAFF,
    "MOTIVATION": STAFF,
    "CASEWORKER_CONTACT": STAFF,
    "CONTACT": STAFF,
    "CONTACT_ATTEMPT": STAFF,
    "VISIT_DONE": STAFF,
    "THREE_DAY_ROUTINE": STAFF,
    "CONCERN": THIRD_PARTY,
    "NOT_HOME": INDIVIDUAL,
    "HOSPITAL": INDIVIDUAL,
    "REASON": INDIVIDUAL,
}

# Labels a summary or end note keeps: everything else in such a note is a recap.
_RECAP_KEEPS = frozenset({"SUMMARY", "END_NOTE", "VALUE_WORD", "CASEWORKER_CONTACT"})
_PARTICIPLES = frozenset({"avbokad", "avbokat", "inställd", "inställt", "inställda"})
_CONNECTORS = frozenset({"pga", "p.g.a.", "eftersom", "då", "på"})
_NEGATIONS = frozenset({"inte", "ej", "aldrig", "ingen", "inget", "inga"})
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


# --- candidates ------------------------------------------------------------------


def _filter(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """spaCy's ``filter_spans`` on (start, end) pairs: the (first) longest wins."""
    ordered = sorted(spans, key=lambda se: (se[1] - se[0], -se[0]), reverse=True)
    seen: set[int] = set()
    out = []
    for s, e in ordered:
        if s not in seen and e - 1 not in seen:
            out.append((s, e))
            seen.update(range(s, e))
    out.sort()
    return out


@Language.factory("auditor_matcher")
def make_matcher(nlp: Language, name: str, *, spans_key: str = CANDIDATES):
    return CandidateMatcher(spans_key=spans_key)


class CandidateMatcher:
    """The candidates of events.yaml: its part of the lexicon pattern matches."""

    def __init__(self, *, spans_key: str = CANDIDATES) -> None:
        self.spans_key = spans_key
        candidate_patterns()  # compiled once, here rather than on the first doc
        trigger_patterns()

    @staticmethod
    def matches(info: DocInfo) -> list[tuple[str, int, int, frozenset[str]]]:
        return [(e.payload[1], s, end, e.payload[2]) for e, s, end in doc_candidates(info)]

    def __call__(self, doc: Doc) -> Doc:
        info = doc_info(doc)
        out: list[Cand] = []
        if info.n and info.relevant():
            starts = [*info.starts, info.n]
            for b, e in pairwise(starts):
                for kind, rs, re_, lits in self.sentence_candidates(info, b, e):
                    out.append(Cand(kind, b + rs, b + re_, lits, (b, e)))
        doc.user_data[self.spans_key] = out
        return doc

    @staticmethod
    def sentence_candidates(
        info: DocInfo, b: int, e: int
    ) -> list[tuple[str, int, int, frozenset[str]]]:
        """The candidates of one sentence as (kind, start, end, literals) relative to its
        start: per kind the (first) longest of overlapping matches. Cached per sentence."""
        key = tuple(info.toks[b:e])
        got = _SENT_CANDS.get(key) if context.SENTENCE_CACHE else None
        if got is not None:
            return got
        by_kind: dict[str, dict[tuple[int, int], frozenset[str]]] = {}
        for entry, start, end in doc_candidates(info, (b, e)):
            _, kind, lits = entry.payload
            spans = by_kind.get(kind)
            if spans is None:
                by_kind[kind] = {(start, end): lits}
            else:
                pair = (start, end)
                spans[pair] = spans[pair] | lits if pair in spans else lits
        found: list[tuple[str, int, int, frozenset[str]]] = []
        for kind, spans in by_kind.items():
            keep = list(spans) if len(spans) == 1 else _filter(list(spans))
            for start, end in keep:
                found.append((kind, start - b, end - b, spans[(start, end)]))
        found.sort(key=lambda x: (x[1], x[2]))
        if context.SENTENCE_CACHE:
            if len(_SENT_CANDS) > context.SENTENCE_CACHE_LIMIT:
                _SENT_CANDS.clear()
            _SENT_CANDS[key] = found
        return found


_SENT_CANDS: dict[tuple, list] = {}


def raw_matches(doc: Doc) -> tuple[list, list]:
    """Unfiltered candidate and trigger matches of a processed doc (for tests)."""
    from auditor.nlp.context import ContextRules

    info = doc_info(doc)
    cands = sorted({(k, s, e) for k, s, e, _ in CandidateMatcher.matches(info)})
    triggers = sorted({(h.key, h.start, h.end) for h in ContextRules().find(info)})
    return cands, triggers


# --- decisions -------------------------------------------------------------------


def asserted(c: Cand) -> bool:
    return not (c.negated or c.hypothetical or c.future)


class Resolver:
    """Decides the hits of one doc."""

    def __init__(self, doc: Doc, info: DocInfo, cands: list[Cand]) -> None:
        self.doc = doc
        self.info = info
        self.toks = info.toks
        self.n = info.n
        self.cands: dict[str, list[Cand]] = {}
        for c in cands:
            self.cands.setdefault(c.kind, []).append(c)
        self.hits: list[tuple[str, Cand, dict]] = []
        data = _resolver_data()
        self.options = data["options"]
        self.sets = data["sets"]
        self.service_cause = data["service_cause"]
        self.individual = data["individual"]
        self.copula = data["copula"]
        self.sokord_sets = data["sokord_sets"]

    # helpers
    def sent_has(self, c: Cand, words: frozenset[str], *, exclude: Cand | None = None) -> bool:
        toks = self.toks
        for i in range(c.sent_begin, c.sent_end):
            if exclude is not None and exclude.start <= i < exclude.end:
                continue
            if not words.isdisjoint(toks[i].keys):
                return True
        return False

    def in_sent(self, kind: str, c: Cand, *, only_asserted: bool = False) -> list[Cand]:
        return [
            o
            for o in self.cands.get(kind, [])
            if o.sent_begin == c.sent_begin and (asserted(o) or not only_asserted)
        ]

    def add(self, label: str, c: Cand, **flags) -> None:
        self.hits.append((label, c, flags))

    def add_asserted_only(self, label: str, c: Cand, **flags) -> None:
        """Record the hit with its context flags (non-asserted hits are kept, flagged)."""
        self.add(
            label,
            c,
            negated=c.negated,
            hypothetical=c.hypothetical,
            future=c.future,
            **flags,
        )

    def dropped_historical(self, c: Cand) -> bool:
        return bool(self.options.get(c.kind, {}).get("drop_historical")) and c.historical

    def service_cue(self, c: Cand) -> bool:
        """The sentence names a service-side cause (or a short neighbouring fragment does)."""
        if self.sent_has(c, self.service_cause, exclude=c):
            return True
        info, toks, cause = self.info, self.toks, self.service_cause
        if c.sent_end < self.n:
            f0 = c.sent_end
            f1 = info.sent_end(f0)
            if (
                f1 > f0
                and toks[f0].keys.isdisjoint(self.individual)
                and any(not toks[i].keys.isdisjoint(cause) for i in range(f0, min(f1, f0 + 4)))
            ):
                return True
        if c.sent_begin > 0:
            p1 = c.sent_begin
            p0 = info.sent_begin(p1 - 1)
            words = [i for i in range(p0, p1) if not (toks[i].is_punct or toks[i].is_space)]
            if len(words) <= 4 and any(not toks[i].keys.isdisjoint(cause) for i in words):
                return True
        return False

    def canceller(self, c: Cand, *, passive: bool | None = None) -> str | None:
        """Who cancelled: the agent, the active subject, a service cause, the individual."""
        info, toks = self.info, self.toks
        found = agent_of(info, c)
        if found:
            return found[0]
        sent_text = info.sent_text(c.start).lower()
        if "verksamhetens sida" in sent_text or "utförarens sida" in sent_text:
            return VERKSAMHETEN
        if "kundens sida" in sent_text or "brukarens sida" in sent_text:
            return BRUKARE
        if passive is None:
            passive = any(
                toks[i].lower.endswith(("des", "tes", "as", "ts")) or toks[i].lower in _PARTICIPLES
                for i in range(c.start, c.end)
            ) or toks[c.start].lower.startswith(("inställ", "avbokning", "utebl", "uteblev"))
            if passive and toks[c.start].lower.endswith(("at", "t")) and any(
                toks[i].lower in ("har", "hade", "hade", "har") for i in range(max(c.sent_begin, c.start - 6), c.start)
            ):
                passive = False  # "A hade ringt och avbokat": a supine, the subject acted
        if not passive:
            found = subject_of(info, c)
            if found and found[0] in (BRUKARE, VERKSAMHETEN, ANHORIG, HANDLAGGARE):
                return found[0]
            # "Fick (tyvärr) avboka B": no subject, the service had to.
            before = range(max(c.sent_begin, c.start - 2), c.start)
            if any(toks[i].lower in self.sets["service_modal"] for i in before):
                return VERKSAMHETEN
            # Inverted word order: "I måndags avbokade B ledsagningen".
            for i in range(c.start + 1, min(c.end + 1, c.sent_end)):
                cat = actor_category(toks[i])
                if cat in (BRUKARE, VERKSAMHETEN, ANHORIG):
                    return cat
        if self.service_cue(c):
            return VERKSAMHETEN
        if any(r.sent_begin == c.sent_begin for r in self.cands.get("REASON", [])) and not any(
            n.sent_begin == c.sent_begin for n in self.cands.get("NO_REASON", [])
        ):
            return BRUKARE  # "Avbokat, sjuk." - the individual's own reason
        if c.sent_end < self.n:
            # "Tredje inställda uppstarten. J magsjuk.": the next sentence gives her reason
            s0, s1 = c.sent_end, self.info.sent_end(c.sent_end)
            words = [i for i in range(s0, s1) if not (toks[i].is_punct or toks[i].is_space)]
            if (
                words
                and len(words) <= 6
                and actor_category(toks[words[0]]) == BRUKARE
                and any(s0 <= r.start < s1 for r in self.cands.get("REASON", []))
            ):
                return BRUKARE
        return None

    def requester(self, c: Cand) -> str | None:
        """Who asked for the move: "B bad att få flytta", "B ville flytta besöket"."""
        toks = self.toks
        for i in range(c.start - 1, max(c.sent_begin, c.start - 4) - 1, -1):
            if not toks[i].keys.isdisjoint(_REQUEST_VERBS):
                found = subject_of(
                    self.info, Cand("", i, i + 1, frozenset(), (c.sent_begin, c.sent_end))
                )
                if found and found[0] in (BRUKARE, ANHORIG):
                    return found[0]
                return None
        return None

    def _ring_pa(self, i: int) -> bool:
        """Token i is "ring..." followed by "på" (the doorbell)."""
        return i + 1 < self.n and self.toks[i + 1].lower == "på"

    def phone_context(self, c: Cand) -> bool:
        toks, phone = self.toks, self.sets["phone_words"]
        for i in range(c.sent_begin, c.sent_end):
            if not phone.isdisjoint(toks[i].keys):
                return True
            if toks[i].lower.startswith("ring") and not self._ring_pa(i):
                return True
        return False

    def door_context(self, c: Cand) -> bool:
        if self.phone_context(c):
            return False
        toks = self.toks
        return self.sent_has(c, self.sets["door_words"]) or any(
            toks[i].lower.startswith("ring") and self._ring_pa(i)
            for i in range(c.sent_begin, c.sent_end)
        )

    # --- per family --------------------------------------------------------------

    def offered_before(self, c: Cand) -> bool:
        """An offer or question governs the candidate: "föreslog att vi flyttar besöket",
        "frågade om vi kunde flytta"."""
        toks = self.toks
        return any(
            not toks[i].keys.isdisjoint(_OFFER_VERBS)
            for i in range(max(c.sent_begin, c.start - 5), c.start)
        )

    def cancellations(self) -> None:
        toks = self.toks
        non_visit = self.sets["cancel_non_visit"]
        brukare_moves: set[int] = set()
        for c in self.cands.get("MOVE", []):
            if not asserted(c) or self.dropped_historical(c):
                continue
            if c.end - c.start > 1 and toks[c.start + 1].lower in _MOVE_HOUSE:
                continue  # "flyttat till korttids": moved house, not the visit
            if self.offered_before(c):
                continue  # "föreslog att vi flyttar besöket": an offer, not a cancellation
            who = self.requester(c) or self.canceller(c, passive=False)
            new_time = self.sent_has(c, self.sets["new_time_words"], exclude=c) or any(
                toks[i].like_num for i in range(c.sent_begin, c.sent_end)
            )
            if who in (BRUKARE, ANHORIG):
                brukare_moves.add(c.sent_begin)
                if new_time:
                    self.add("ALT_OFFERED", c)
                continue
            self.add("SERVICE_CANCEL", c, actor=None, detail={"cancelled_by": VERKSAMHETEN})
            if new_time:
                self.add("ALT_OFFERED", c)
        for c in self.cands.get("CANCEL", []):
            after = c.end
            while after < min(c.sent_end, c.end + 2) and toks[after].lower not in _CONNECTORS:
                after += 1  # "avbokat pga tandläkartid": the reason, not the cancelled object
            near = range(max(c.sent_begin, c.start - 2), after)
            if self.dropped_historical(c) or any(
                not toks[i].keys.isdisjoint(non_visit) for i in near
            ):
                continue
            if c.negated and not (c.hypothetical or c.future):
                continue  # "ställdes inte in": nothing was cancelled
            if toks[c.start].lower in _DEFINITE_CANCEL_NOUNS:
                continue  # "dagen efter avbokningen": the one already told of
            who = self.canceller(c)
            if who == VERKSAMHETEN:
                self.add_asserted_only("SERVICE_CANCEL", c, detail={"cancelled_by": VERKSAMHETEN})
            elif who in (BRUKARE, ANHORIG):
                if c.sent_begin in brukare_moves:
                    continue  # moved at the individual's own request: not a decline
                self.add_asserted_only(
                    "DECLINE",
                    c,
                    actor=ANHORIG if who == ANHORIG else None,
                    detail={"cancelled_by": who},
                )
            elif who is None and c.sent_begin not in brukare_moves:
                # Neither agent, subject nor cause says who: no DECLINE or SERVICE_CANCEL is
                # claimed; the booking (or a person) must tell.
                self.add_asserted_only("CANCELLED", c, actor=UNKNOWN)
        for c in self.cands.get("SERVICE_CANCEL", []):
            found = subject_of(self.info, c)
            if found and found[0] in (BRUKARE, ANHORIG, ANNAN, HANDLAGGARE):
                continue  # "dottern kunde inte komma till B"
            self.add_asserted_only("SERVICE_CANCEL", c, detail={"cancelled_by": VERKSAMHETEN})
        for c in self.cands.get("VISIT_OUTCOME", []):
            if c.negated and not (c.hypothetical or c.future):
                if self.in_sent("NOT_HOME", c):
                    continue
                who = self.canceller(c, passive=True)
                if who is None and self.sent_has(c, self.individual, exclude=c):
                    who = BRUKARE
                if who == VERKSAMHETEN:
                    self.add("SERVICE_CANCEL", c, detail={"cancelled_by": VERKSAMHETEN})
                elif who in (BRUKARE, ANHORIG):
                    self.add(
                        "DECLINE",
                        c,
                        actor=ANHORIG if who == ANHORIG else None,
                        detail={"cancelled_by": who},
                    )
            else:
                self.add_asserted_only("VISIT_DONE", c)

    def declines(self) -> None:
        info, toks = self.info, self.toks
        for c in self.cands.get("DECLINE", []):
            if self.dropped_historical(c):
                continue
            found = subject_of(info, c)
            who = found[0] if found else None
            if who in (VERKSAMHETEN, HANDLAGGARE):
                continue
            self.add_asserted_only(
                "DECLINE",
                c,
                actor=ANHORIG if who == ANHORIG else None,
                detail={"cancelled_by": ANHORIG if who == ANHORIG else BRUKARE},
            )
        objects, ends = self.sets["decline_objects"], self.sets["clause_end"]
        for c in self.cands.get("WANT_NOT", []):
            if self.dropped_historical(c):
                continue
            nxt = c.end
            ok = nxt >= c.sent_end or toks[nxt].is_punct or toks[nxt].is_space
            if not ok:
                ok = not toks[nxt].keys.isdisjoint(objects | ends)
            if not ok and toks[nxt].lower == "att":
                # "B vill inte att vi kommer idag"
                ok = any(
                    actor_category(toks[i]) == VERKSAMHETEN
                    for i in range(nxt + 1, min(nxt + 3, c.sent_end))
                )
            if (
                ok
                and nxt < c.sent_end
                and any(toks[i].lower == "vill" for i in range(c.start, c.end))
                and toks[nxt].keys.isdisjoint(self.sets["decline_objects_service"])
                and not any(
                    toks[i].lower in self.sets["today_words"]
                    for i in range(c.sent_begin, c.sent_end)
                )
            ):
                ok = False  # "hen vill inte städa": a disposition, not today's decline
            if ok and nxt < c.sent_end and toks[nxt].lower == "ha":
                # "B ville inte ha annan personal": not the visit, another person
                window = range(nxt + 1, min(nxt + 4, c.sent_end))
                if any(not toks[i].keys.isdisjoint(self.sets["other_person"]) for i in window):
                    ok = False
            found = subject_of(info, c)
            if found and found[0] in (VERKSAMHETEN, HANDLAGGARE, ANNAN):
                ok = False
            if ok:
                self.add_asserted_only("DECLINE", c, detail={"cancelled_by": BRUKARE})

    def other_is_meant(self, c: Cand) -> bool:
        """The sentence names the individual by a pronoun only, and names someone else:
        "ringde socialsekreteraren, hon var inte anträffbar"."""
        pronoun = other = False
        for i in range(c.sent_begin, c.sent_end):
            t = self.toks[i]
            cat = actor_category(t)
            if cat == BRUKARE:
                if t.lower not in _PRONOUNS:
                    return False
                pronoun = True
            elif cat in (HANDLAGGARE, ANHORIG, ANNAN):
                other = True
        return pronoun and other

    def not_home(self) -> None:
        for c in self.cands.get("NOT_HOME", []):
            if self.other_is_meant(c):
                continue
            self.add_asserted_only("NOT_HOME", c)
        for c in self.cands.get("NO_ANSWER", []):
            if not asserted(c):
                continue
            if self.door_context(c):
                if not self.in_sent("NOT_HOME", c):
                    self.add("NOT_HOME", c)
            elif (
                self.phone_context(c)
                or actor_category(self.toks[c.start]) == BRUKARE
                or self.in_sent("ATTEMPT", c)
            ):
                self.add("CONTACT_ATTEMPT", c)

    def three_day(self) -> None:
        for c in self.cands.get("THREE_DAY", []):
            self.add_asserted_only("THREE_DAY_ROUTINE", c)

    def hospital(self) -> None:
        docs = self.sets["documentation_nouns"]
        toks = self.toks
        for c in self.cands.get("HOSPITAL", []):
            if self.dropped_historical(c):
                continue
            window = range(max(c.sent_begin, c.start - 3), min(c.sent_end, c.end + 3))
            if any(not toks[i].keys.isdisjoint(docs) for i in window):
                continue
            if self.older_year(c):
                continue  # "inlagd på Sahlgrenska 2019": a past stay told of
            if toks[c.start].lower in ("lade", "lägger", "la") and not self.sent_has(
                c, self.sets["hospital_words"]
            ):
                continue  # "lade in larm i mobilen": put something in, no admission
            found = subject_of(self.info, c)
            if found and found[0] == ANHORIG and self.relative_speaks_of_parent(c, found[1]):
                found = (BRUKARE, found[1])
            if (
                found
                and found[0] != BRUKARE
                and (found[0] != HANDLAGGARE or found[1] < c.start - 3)
            ):
                continue  # a relative's admission, or staff's
            self.add_asserted_only("HOSPITAL", c)

    def older_year(self, c: Cand) -> bool:
        """The sentence names a year before the note's ("2019", "för två år sedan")."""
        note_date = doc_ext(self.doc, "note_date")
        toks = self.toks
        for i in range(c.sent_begin, c.sent_end):
            t = toks[i].text
            if len(t) == 4 and t.isdigit() and int(t) >= 1950 and (
                note_date is None or int(t) < note_date.year
            ):
                return True
            if toks[i].lower == "sedan" and i > c.sent_begin and toks[i - 1].lower in _YEARS:
                return True
        return False

    def relative_speaks_of_parent(self, c: Cand, k: int) -> bool:
        """"Dottern berättade att mamma är inlagd": the daughter's mother is the individual."""
        toks = self.toks
        if toks[k].lower not in _PARENT_WORDS:
            return False
        return any(toks[i].lower in _CHILD_WORDS for i in range(c.sent_begin, k)) and any(
            toks[i].lower in self.sets["reported_speech"] for i in range(c.sent_begin, k)
        )

    def concern(self) -> set[int]:
        """CONCERN hits; returns the sentence starts whose refusals belong to them."""
        used: set[int] = set()
        refusals = [r for r in self.cands.get("REFUSES_HELP", []) if asserted(r)]
        if not refusals:
            return used
        toks = self.toks
        for c in self.cands.get("WORRY", []):
            if not asserted(c):
                continue
            who = subject_of(self.info, c, max_tokens=10)
            third = who is not None and who[0] in (ANHORIG, ANNAN)
            if who is None:
                third = any(
                    actor_category(toks[i]) in (ANHORIG, ANNAN)
                    for i in range(c.sent_begin, c.start)
                    if not toks[i].text.endswith(":s")
                )
            if not third:
                continue
            nxt_start = c.sent_end
            linked = [
                r
                for r in refusals
                if r.sent_begin == c.sent_begin
                or (nxt_start < self.n and r.sent_begin == nxt_start)
            ]
            if not linked:
                continue
            actor = ANHORIG if who and who[0] == ANHORIG else ANNAN
            if who is None:
                cats = [actor_category(toks[i]) for i in range(c.sent_begin, c.start)]
                actor = ANHORIG if ANHORIG in cats else ANNAN
            self.add("CONCERN", c, actor=actor)
            used.add(c.sent_begin)
            used.update(r.sent_begin for r in linked)
        return used

    def alternatives(self) -> None:
        for c in self.cands.get("ALT_OFFERED", []):
            found = subject_of(self.info, c)
            if (
                found
                and found[0] in (BRUKARE, ANHORIG, HANDLAGGARE, ANNAN)
                and found[1] in (c.start - 1, c.sent_begin)
                and c.start - found[1] <= 2
                and not self.toks[c.start].lower.endswith("s")  # "B erbjöds": B was offered
            ):
                continue  # "B föreslog att vi ses på torsdag": not our offer
            if c.negated and not (c.hypothetical or c.future):
                self.add("ALT_NOT_POSSIBLE", c)
            else:
                self.add_asserted_only("ALT_OFFERED", c)
        for c in self.cands.get("ALT_NOT_POSSIBLE", []):
            if c.hypothetical or c.future:
                continue
            self.add("ALT_NOT_POSSIBLE", c)

    def informed(self) -> None:
        toks = self.toks
        for c in self.cands.get("INFORMED", []):
            if (
                toks[c.start].lower.startswith("ring")
                and c.start > c.sent_begin
                and toks[c.start - 1].lower in _TIME_ADVERBS
            ):
                continue  # "Igår ringde B och berättade": B told us
            found = subject_of(self.info, c)
            if found and found[0] == BRUKARE and toks[c.start].lower.startswith("ring"):
                continue  # "B ringde och berättade"
            if (
                found
                and found[0] in (HANDLAGGARE, ANHORIG, ANNAN)
                and self.toks[c.start].lower not in self.individual
            ):
                continue
            self.add_asserted_only("INFORMED", c)

    def informed_by_contact(self) -> None:
        """Reaching the individual in a note that cancels from the service's side tells them:
        "Ringde J och erbjöd annan personal", "Sms till B, svarade ok"."""
        if any(lbl == "INFORMED" and _flags_asserted(f) for lbl, _, f in self.hits):
            return
        if not any(lbl == "SERVICE_CANCEL" and _flags_asserted(f) for lbl, _, f in self.hits):
            return
        for lbl, c, f in list(self.hits):
            if lbl == "CONTACT" and _flags_asserted(f) and not f.get("recap"):
                self.add("INFORMED", c)
                return

    def deviation(self) -> None:
        for c in self.cands.get("DEVIATION", []):
            self.add_asserted_only("DEVIATION", c)

    def caseworker(self) -> None:
        # "Handläggaren ringde B" stays caseworker contact: the note shows the caseworker is
        # involved, and a false "no contact" would make TN5 a false violation.
        for c in self.cands.get("CASEWORKER", []):
            self.add_asserted_only("CASEWORKER_CONTACT", c)

    def contact(self) -> None:
        toks, info = self.toks, self.info

        def by_caseworker(c: Cand) -> bool:
            found = subject_of(info, c, max_tokens=10)
            if found and found[0] == BRUKARE and toks[found[1]].lower in _PRONOUNS:
                # "Handläggaren ringde och sa att hon pratat med V": "hon" is the caseworker
                # when the individual is named in the candidate itself
                named = any(
                    actor_category(toks[i]) == BRUKARE and toks[i].lower not in _PRONOUNS
                    for i in range(c.start, c.end)
                )
                if named and any(
                    actor_category(toks[i]) == HANDLAGGARE for i in range(c.sent_begin, found[1])
                ):
                    return True
            return bool(found and found[0] == HANDLAGGARE)

        plan_words = self.sets["meeting_plan_words"]

        def planned(c: Cand) -> bool:
            """A meeting booked or proposed, not held ("bokade möte med B")."""
            return any(
                toks[i].lower in plan_words or not toks[i].keys.isdisjoint(plan_words)
                for i in range(max(c.sent_begin, c.start - 3), c.start)
            )

        def other_partner(c: Cand) -> bool:
            """'Pratade en stund med dottern': the talk was with someone else."""
            if any(actor_category(toks[i]) == BRUKARE for i in range(c.start, c.end)):
                return False
            for i in range(c.end, min(c.end + 2, c.sent_end)):
                if toks[i].lower == "med":
                    # the partner, past a genitive ("med B:s dotter")
                    for j in range(i + 1, min(i + 3, c.sent_end)):
                        if toks[j].text.endswith(":s") or toks[j].lower in _GENITIVES:
                            continue
                        cat = actor_category(toks[j])
                        return cat is not None and cat != BRUKARE
                    return False
            return False

        contact_sents: set[int] = set()
        for c in self.cands.get("CONTACT", []):
            if by_caseworker(c) or other_partner(c):
                continue
            if not toks[c.start].keys.isdisjoint(_MEETINGS) and planned(c):
                continue
            if c.negated and not (c.hypothetical or c.future):
                words = " ".join(toks[i].lower for i in range(c.start, c.end))
                if "svar" in words and not self.door_context(c):
                    self.add("CONTACT_ATTEMPT", c)
                continue
            self.add_asserted_only("CONTACT", c)
            if asserted(c):
                contact_sents.add(c.sent_begin)
                if (
                    c.start == c.sent_begin
                    and c.sent_begin > 0
                    and any(toks[i].lower.startswith("svar") for i in range(c.start, c.end))
                ):
                    # "Ringde B för att höra hur hen mår. B svarade ...": the same call
                    contact_sents.add(self.info.sent_begin(c.sent_begin - 1))
        for c in self.cands.get("ATTEMPT", []):
            if by_caseworker(c):
                continue
            is_note = any(toks[i].lower.startswith(("lapp", "brev")) for i in range(c.start, c.end))
            if c.sent_begin in contact_sents and not is_note:
                continue
            if toks[c.start].lower.startswith("ring") and c.end <= self.n:
                if self._ring_pa(c.start):
                    continue  # "ringde på": the doorbell
                if self.reached_by_call(c) or (asserted(c) and self.call_answered_later(c)):
                    self.add_asserted_only("CONTACT", c)
                    continue
            self.add_asserted_only("CONTACT_ATTEMPT", c)

    def call_answered_later(self, c: Cand) -> bool:
        """A call to the individual followed by what the call brought ("Ringde Gun, hemma
        sedan i lördags. Trött men ok.", "Ringde E, bokade uppstart 24/6"), with no sign in the
        note that nobody answered."""
        toks = self.toks
        if any(
            self.cands.get(k) for k in ("NO_ANSWER", "NOT_HOME")
        ) or any(not toks[i].keys.isdisjoint(_NO_ANSWER_WORDS) for i in range(self.n)):
            return False
        if actor_category(toks[c.start]) in (BRUKARE, ANHORIG):
            return False  # "B ringde": B called (a CONTACT pattern says so when it applies)
        if not any(actor_category(toks[i]) == BRUKARE for i in range(c.start, min(c.end + 2, c.sent_end))):
            return False
        b, e = self._clause(c.end, c.sent_end)
        words = [i for i in range(b, e) if not (toks[i].is_punct or toks[i].is_space)]
        if len(words) >= 2:
            return True
        if c.sent_end < self.n:
            b, e = self._clause(c.sent_end, self.info.sent_end(c.sent_end))
            words = [i for i in range(b, e) if not (toks[i].is_punct or toks[i].is_space)]
            return len(words) >= 2
        return False

    def direct_communication(self) -> bool:
        """The note shows the individual spoke or wrote to us: a call, an sms, what she said,
        or a meeting at the door."""
        toks = self.toks
        if _CALL_RX.search(self.info.text):
            return True
        return any(
            toks[i].lower in self.sets["reported_speech"] or toks[i].lower in _FACE_TO_FACE
            for i in range(self.n)
        )

    def contact_by_declining(self) -> None:
        """The individual who cancels or declines herself has been in contact with us ("Gun
        avbokade", "Tackade nej, Gun säger att ..."), unless someone else passed it on."""
        if any(lbl == "CONTACT" and _flags_asserted(f) for lbl, _, f in self.hits):
            return
        toks = self.toks
        for lbl, c, f in list(self.hits):
            if lbl != "DECLINE" or not _flags_asserted(f) or f.get("recap"):
                continue
            if f.get("actor") in (ANHORIG, ANNAN) or (f.get("detail") or {}).get(
                "cancelled_by"
            ) not in (None, BRUKARE):
                continue
            if any(not toks[i].keys.isdisjoint(_RELAYED) for i in range(c.sent_begin, c.sent_end)):
                continue  # "via växeln", "genom dottern"
            if not self.direct_communication():
                continue  # "B avbokade": by whatever way; no contact is claimed
            if any(
                actor_category(toks[i]) in (ANHORIG, ANNAN, HANDLAGGARE)
                for i in range(c.sent_begin, c.sent_end)
            ):
                continue
            self.add("CONTACT", c, actor=BRUKARE)
            return

    def reached_by_call(self, c: Cand) -> bool:
        """'Igår ringde B' (B called: inverted order) or 'ringde B och meddelade' (reached)."""
        toks = self.toks
        if c.start > c.sent_begin:
            prev = c.start - 1
            if toks[prev].lower in _TIME_ADVERBS:
                return True
            if (
                toks[prev].like_num
                and prev > 0
                and toks[prev - 1].lower in ("kl", "kl.", "klockan")
            ):
                return True
        k = c.end
        while k < c.sent_end and (toks[k].like_num or toks[k].lower in _TIME_WORDS):
            k += 1  # "Ringde K 08.30 och meddelade", "ringde B kl 9 och bokade"
        if k + 1 < c.sent_end and toks[k].lower == "och":
            return not toks[k + 1].keys.isdisjoint(self.sets["reached_verbs"])
        if any(not toks[i].keys.isdisjoint(_TALK) for i in range(c.end, c.sent_end)):
            return True  # "Ringde B dagen efter, pratade om ..."
        if c.end < c.sent_end and toks[c.end].lower == "som":
            # "Ringde B som lät trött" - B answered; "ringde B som inte svarade" - no.
            after = range(c.end + 1, min(c.end + 4, c.sent_end))
            return not any(toks[i].lower in _NEGATIONS for i in after)
        return False

    def visits(self) -> None:
        blocking = ("CANCEL", "DECLINE", "WANT_NOT", "NOT_HOME", "NO_ANSWER", "MOVE")
        for c in self.cands.get("VISIT", []):
            found = subject_of(self.info, c)
            if found and found[0] in (ANHORIG, ANNAN, HANDLAGGARE):
                continue  # "dottern besökte B": not the service's visit
            self.add_asserted_only("VISIT_DONE", c)
        for c in self.cands.get("VISIT_WEAK", []):
            if any(self.in_sent(k, c) for k in blocking):
                continue
            self.add_asserted_only("VISIT_DONE", c)
        # A heading ("Besök kl 10.") counts unless the note tells of no visit anywhere.
        headers = self.cands.get("VISIT_HEADER")
        if headers and self.cands.keys().isdisjoint(blocking):
            for c in headers:
                if c.start == c.sent_begin:
                    self.add_asserted_only("VISIT_DONE", c)

    # --- reasons without a causal word ------------------------------------------------

    def _clause(self, i: int, limit: int) -> tuple[int, int]:
        """The clause starting at token i (after leading punctuation and "och"/"men"), up to
        the next comma, semicolon, full stop, dash or "men"/"utan" before ``limit``."""
        toks = self.toks
        while i < limit and (toks[i].is_punct or toks[i].is_space or toks[i].lower == "och"):
            i += 1
        j = i
        while j < limit and not (
            toks[j].text in _CLAUSE_BREAKS or toks[j].is_space or toks[j].lower in ("men", "utan")
        ):
            j += 1
        return i, j

    def _states_reason(self, b: int, e: int) -> bool:
        """Clause [b, e) states why the individual declined: the individual or a third party
        as its subject ("hon har mens", "kusinen är på besök"), a verb with the subject left
        out ("skulle åka till stugan", "packar inför flytten"), reported speech ("sa att
        dottern skulle komma"), or a bare symptom ("ont i ryggen", "tandvärk")."""
        toks = self.toks
        words = [i for i in range(b, e) if not (toks[i].is_punct or toks[i].is_space)]
        if not words:
            return False
        for kind in _NOT_A_REASON_KINDS:
            if any(b <= o.start < e for o in self.cands.get(kind, [])):
                return False
        if any(b <= o.start < e for o in self.cands.get("REASON", [])):
            return True
        first = toks[words[0]]
        if first.lower in self.sets["reason_clause_skip"] or first.like_num:
            return False
        if any(not toks[i].keys.isdisjoint(self.sets["staff_action"]) for i in words[:2]):
            return False
        if any(actor_category(toks[i]) in (VERKSAMHETEN, HANDLAGGARE) for i in words[:2]):
            return False
        if len(words) == 1 and not first.keys.isdisjoint(self.sets["reason_symptoms"]):
            return True
        cat = actor_category(first)
        if cat in (BRUKARE, ANHORIG, ANNAN) and len(words) >= 3:
            return True
        if first.lower in self.sets["reported_speech"]:
            return len(words) >= 3
        if first.lower in self.sets["reason_clause_verbs"] or (
            is_past(first) and first.lower not in _PARTICIPLES and len(words) >= 2
        ):
            return True
        return any(not toks[i].keys.isdisjoint(self.sets["reason_symptoms"]) for i in words)

    def implicit_reasons(self) -> None:
        """A decline followed by a clause or sentence that says why, without "pga"/"eftersom":
        "L avbokade, skulle åka till sommarstugan", "Avböjde. Har besök av sonen"."""
        info = self.info
        if self.cands.get("NO_REASON"):
            return
        for label, c, flags in list(self.hits):
            if label != "DECLINE" or not _flags_asserted(flags):
                continue
            b, e = self._clause(c.end, c.sent_end)
            # "tackade nej till dagens besök, hon har mens": skip the decline's object
            if b < e and b == c.end:
                b, e = self._clause(e, c.sent_end)
            if b < e and self._states_reason(b, e):
                self.add("REASON", Cand("REASON", b, e, frozenset(), (c.sent_begin, c.sent_end)))
                return
            if c.sent_end < self.n:
                s1 = info.sent_end(c.sent_end)
                b, e = self._clause(c.sent_end, s1)
                if b < e and self._states_reason(b, e):
                    self.add("REASON", Cand("REASON", b, e, frozenset(), (c.sent_end, s1)))
                    return

    def reasons(self, declined: bool) -> None:
        if not declined:
            return
        self.implicit_reasons()
        toks = self.toks
        vetoes = self.cands.get("NO_REASON", [])
        declines = self.cands.get("DECLINE", []) + self.cands.get("WANT_NOT", [])
        for c in self.cands.get("REASON", []):
            if c.hypothetical or c.future:
                continue
            if any(
                v.start <= c.end and c.start <= v.end and v.sent_begin == c.sent_begin
                for v in vetoes
            ):
                continue
            clause_end = min(c.sent_end, c.end + 6)
            if toks[c.start].lower in _CONNECTORS:
                stop = next(
                    (
                        i
                        for i in range(c.start + 1, clause_end)
                        if toks[i].is_punct or toks[i].lower in ("och", "men", "utan")
                    ),
                    clause_end,
                )
                if any(c.start <= d.start < stop for d in declines):
                    continue  # "eftersom B inte ville": the decline itself, not its reason
            found = subject_of(self.info, c)
            if found and found[0] in (VERKSAMHETEN,):
                continue
            # The clause ends at punctuation or a conjunction ("pga huvudvärk men vi pratade").
            clause_end = next(
                (
                    i
                    for i in range(c.end, clause_end)
                    if toks[i].is_punct or toks[i].lower in ("och", "men", "utan")
                ),
                clause_end,
            )
            first_actor = next(
                (
                    actor_category(toks[i])
                    for i in range(c.start, clause_end)
                    if actor_category(toks[i])
                ),
                None,
            )
            if first_actor == VERKSAMHETEN or (
                first_actor is None
                and any(
                    not toks[i].keys.isdisjoint(self.service_cause)
                    for i in range(c.start, clause_end)
                )
            ):
                continue
            self.add("REASON", c)

    def motivation(self, declined: bool) -> None:
        for c in self.cands.get("MOTIVATION", []):
            self.add_asserted_only("MOTIVATION", c)
        if declined:
            for label, c, _flags in list(self.hits):
                if label == "ALT_OFFERED" and c.kind == "ALT_OFFERED" and asserted(c):
                    self.add("MOTIVATION", c)

    def recalled(self, c: Cand) -> bool:
        """The candidate looks back rather than reports a new event: it is told to the
        caseworker ("berättade för handläggaren att J ställt in tre uppstartsmöten"), counted
        ("tackat nej 3 ggr", "tre avbokningar", "18/3, 25/3, 8/4"), or the topic of a remark
        ("ok med att vi ställde in", "pratade om att hon avbokat")."""
        toks = self.toks
        if any(
            o.sent_begin == c.sent_begin and o.start < c.start and asserted(o)
            for o in self.cands.get("CASEWORKER", [])
        ):
            return True
        b, e = c.sent_begin, c.sent_end
        dates = sum(1 for i in range(b, e) if _DAY_MONTH.match(toks[i].text))
        if dates >= 2:
            return True
        window = range(max(b, c.start - 3), min(e, c.end + 3))
        if any(toks[i].lower in _COUNT_WORDS for i in window) or any(
            toks[i].like_num and i + 1 < e and toks[i + 1].lower in _TIMES for i in window
        ):
            return True
        for i in range(max(b, c.start - 3), c.start):
            if toks[i].lower == "att" and i > b and toks[i - 1].lower in ("med", "om", "över"):
                return True
        return False

    def cancelled_not_home(self) -> None:
        """"Ingen öppnade ... A hade ringt i morse och avbokat": the visit was cancelled, so
        nobody being home is no NOT_HOME."""
        if not any(
            lbl == "DECLINE" and _flags_asserted(f) and not f.get("recap")
            for lbl, _, f in self.hits
        ):
            return
        self.hits = [h for h in self.hits if h[0] != "NOT_HOME"]

    def mark_recaps(self) -> None:
        if not self.hits:
            return
        out = []
        for label, c, flags in self.hits:
            if label in _RECALLABLE and not flags.get("recap") and self.recalled(c):
                flags = {**flags, "recap": True}
            out.append((label, c, flags))
        self.hits = out

    def cancelled_nearby(self, c: Cand) -> bool:
        return any(
            o.sent_begin == c.sent_begin and o.start - c.end <= 3 and c.start - o.end <= 3
            for o in self.cands.get("CANCEL", [])
        )

    def documents(self) -> None:
        sok_labels = _sokord_labels(doc_ext(self.doc, "sokord") or "")
        if not sok_labels and self.cands.keys().isdisjoint(_DOCUMENT_KINDS):
            return

        def sok(label: str) -> bool:
            return label in sok_labels

        first = None
        if self.n:
            first = Cand("SENTENCE", 0, self.info.sent_end(0), frozenset(), self.info.sent_of(0))
        for label, kinds in (
            ("SUMMARY", ("SUMMARY",)),
            ("END_NOTE", ("END_NOTE",)),
            ("HOME_TALK", ("HOME_TALK",)),
            ("TERM_TALK", ("TERM_TALK",)),
            ("WELCOME_PACK", ("WELCOME_PACK",)),
            ("PLAN_DONE", ("PLAN_DONE",)),
        ):
            spans = [c for k in kinds for c in self.cands.get(k, [])]
            weak_end = label == "END_NOTE" and not sok(label) and not self.names_end_note()
            if label in ("HOME_TALK", "TERM_TALK"):
                # "Hemgångssamtal inställt": a talk called off was not held
                spans = [c for c in spans if not self.cancelled_nearby(c)]
            if weak_end:
                # An announcement is no slutanteckning ("insatsen avslutas 15/9", a summary,
                # the caseworker's message): only a statement that it has ended may be one.
                spans = [
                    c
                    for c in spans
                    if any(self.toks[i].lower in _ENDED for i in range(c.start, c.end))
                    and not self.cands.get("SUMMARY")
                    and not self.cands.get("SUMMARY_WEAK")
                    and not self.in_sent("CASEWORKER", c)
                ]
            for c in spans:
                if weak_end:
                    # "insatsen avslutas 31/3" may announce the end or close the case (the
                    # rule judges by its date); it does not make the note a recap
                    self.add_asserted_only(label, c, detail={"weak": True})
                else:
                    self.add_asserted_only(label, c)
            if label == "SUMMARY":
                for c in self.cands.get("SUMMARY_WEAK", []):
                    if c.start != 0 or any(
                        not asserted(o) and o.start <= c.start < o.end for o in spans
                    ):
                        continue
                    self.add_asserted_only(label, c)
            if first is not None and sok(label):
                spans_all = spans + (
                    self.cands.get("SUMMARY_WEAK", []) if label == "SUMMARY" else []
                )
                if any(not asserted(c) for c in spans_all):
                    continue
                if label in ("HOME_TALK", "TERM_TALK") and (
                    self.cands.get("CANCEL")
                    or any(c.negated for c in self.cands.get("VISIT_OUTCOME", []))
                ):
                    continue
                if not any(lbl == label for lbl, _, _ in self.hits):
                    self.add(label, first)

    def names_end_note(self) -> bool:
        # a token that starts with "slutant" is in the text: most notes are passed at once
        if "slutant" not in self.info.text.lower():
            return False
        toks = self.toks
        return any(toks[i].lower.startswith(("slutanteckning", "slutant")) for i in range(self.n))

    def value_words(self) -> None:
        persons, skip = self.sets["value_word_person_nouns"], self.sets["value_word_skip"]
        toks = self.toks
        for c in self.cands.get("VALUE_WORD", []):
            if c.end < c.sent_end and not toks[c.end].keys.isdisjoint(persons):
                self.add("VALUE_WORD", c)
                continue
            i = c.start - 1
            ok = False
            while i >= c.sent_begin:
                t = toks[i]
                if t.lower in skip or not t.keys.isdisjoint(_VALUE_SELF) or t.lower in self.copula:
                    i -= 1
                    continue
                ok = actor_category(t) == BRUKARE
                break
            if ok:
                self.add("VALUE_WORD", c)

    # --- all -----------------------------------------------------------------------

    def run(self) -> list[tuple[str, Cand, dict]]:
        kinds = self.cands.keys()
        if not kinds.isdisjoint(_FAMILY_CANCEL):
            self.cancellations()
        if not kinds.isdisjoint(_FAMILY_DECLINE):
            self.declines()
        concern_sents = self.concern()
        self.not_home()
        if concern_sents:
            # The refusal a third party reports is the concern, not a decline of a visit.
            self.hits = [
                h
                for h in self.hits
                if not (h[0] in ("DECLINE", "NOT_HOME") and h[1].sent_begin in concern_sents)
            ]
        self.three_day()
        self.hospital()
        self.alternatives()
        self.informed()
        self.deviation()
        self.caseworker()
        if not kinds.isdisjoint(_FAMILY_CONTACT):
            self.contact()
            self.informed_by_contact()
        if not kinds.isdisjoint(_FAMILY_VISIT):
            self.visits()
        declined = any(lbl == "DECLINE" and _flags_asserted(f) for lbl, _, f in self.hits)
        if declined and CONTACT_BY_DECLINING:
            self.contact_by_declining()
        self.reasons(declined)
        self.motivation(declined)
        self.documents()
        if "VALUE_WORD" in kinds:
            self.value_words()
        self.mark_recaps()
        self.cancelled_not_home()
        labels = {
            lbl
            for lbl, _, f in self.hits
            if _flags_asserted(f) and not (f.get("detail") or {}).get("weak")
        }
        if labels & {"SUMMARY", "END_NOTE"}:
            # A summary recaps: its events are kept, flagged, and never asserted.
            self.hits = [
                h if h[0] in _RECAP_KEEPS else (h[0], h[1], {**h[2], "recap": True})
                for h in self.hits
            ]
        return self.hits


# A note that speaks of a call or message is no visit by its sökord alone.
_CALL_RX = re.compile(r"\b(?:ring|tel\b|tel\.|telefon|sms|mejl|mail|samtal)", re.IGNORECASE)
# Internal work is no visit with the individual ("Ärendedragning på teamträffen", APT).
_INTERNAL_RX = re.compile(
    r"\b(?:ärendedragning|teamträff|teammöte|apt\b|arbetsplatsträff|handledning|personalmöte|"
    r"stödpedagog|internt|intern\b|planeringsmöte|överrapportering|arbetsgrupp|"
    r"personalgrupp|kollegor)",
    re.IGNORECASE,
)
# Candidates that tell of something other than a visit held.
_NOT_A_VISIT_KINDS = (
    "CANCEL", "DECLINE", "WANT_NOT", "NOT_HOME", "NO_ANSWER", "MOVE", "ATTEMPT", "SERVICE_CANCEL",
    "CASEWORKER", "HOSPITAL", "WORRY", "SUMMARY", "SUMMARY_WEAK", "END_NOTE", "HOME_TALK",
    "TERM_TALK", "THREE_DAY",
)


def sokord_visit_hit(text: str, sokord: str) -> TextHit | None:
    """A visit recorded by its note type ("Daganteckning", "Besök"): the whole note is the
    evidence. None when the sökord names no visit type or the note speaks of a call."""
    if (
        not sokord
        or "VISIT_DONE" not in _sokord_labels(sokord)
        or _CALL_RX.search(text)
        or _INTERNAL_RX.search(text)
    ):
        return None
    stripped = text.strip()
    if not stripped:
        return None
    start = text.index(stripped[0])
    end = start + len(stripped)
    return TextHit(
        label="VISIT_DONE",
        start=start,
        end=end,
        sent_start=start,
        sent_end=end,
        actor=STAFF,
        detail=(("by", "sokord"),),
    )


@lru_cache(maxsize=4096)
def _sokord_labels(sokord: str) -> frozenset[str]:
    """The note-type labels a sökord/rubrik names."""
    sok_keys = {w.strip(" :.-").lower() for w in sokord.split()}
    sok_text = sokord.lower()
    return frozenset(
        label
        for label, words in _resolver_data()["sokord_sets"].items()
        if any(w in sok_text for w in words) or sok_keys & words
    )


_FAMILY_CANCEL = frozenset({"MOVE", "CANCEL", "SERVICE_CANCEL", "VISIT_OUTCOME"})
_FAMILY_DECLINE = frozenset({"DECLINE", "WANT_NOT"})
_FAMILY_CONTACT = frozenset({"CONTACT", "ATTEMPT"})
_FAMILY_VISIT = frozenset({"VISIT", "VISIT_WEAK", "VISIT_HEADER"})
_DOCUMENT_KINDS = frozenset(
    {"SUMMARY", "SUMMARY_WEAK", "END_NOTE", "HOME_TALK", "TERM_TALK", "WELCOME_PACK", "PLAN_DONE"}
)
_REQUEST_VERBS = frozenset(
    {"be", "bad", "ber", "vilja", "ville", "vill", "önska", "önskade", "fråga", "frågade"}
)
_PRONOUNS = frozenset({"hen", "han", "hon", "honom", "henne"})
# Labels whose day a back-reference moves ("igår tackade B nej"); a call or visit is today's.
_DATED_LABELS = frozenset(
    {"DECLINE", "SERVICE_CANCEL", "NOT_HOME", "HOSPITAL", "CANCELLED", "CONCERN", "DEVIATION",
     "REASON", "ALT_OFFERED", "ALT_NOT_POSSIBLE", "INFORMED", "MOTIVATION"}
)
# Words that tell a call or message did not reach the person.
_NO_ANSWER_WORDS = frozenset(
    {"röstbrevlåda", "röstbrevlådan", "telefonsvarare", "telefonsvararen", "svarar", "svarade",
     "svar", "sökt", "söker", "nåddes", "nås", "anträffbar", "avstängd", "upptaget", "meddelande",
     "lapp"}
)
# A cancellation passed on by someone else ("via växeln", "genom dottern").
_DEFINITE_CANCEL_NOUNS = frozenset(
    {"avbokningen", "avbokningarna", "inställningen", "återbudet", "avbokningens"}
)
_YEARS = frozenset({"år", "året", "åren", "månader"})
_PARENT_WORDS = frozenset({"mamma", "pappa", "mor", "far", "mamman", "pappan"})
_CHILD_WORDS = frozenset({"dottern", "sonen", "dotter", "son", "barnen", "barnet"})
_ENDED = frozenset({"avslutat", "avslutad", "avslutades", "avslutats", "upphört", "upphörde"})
_FACE_TO_FACE = frozenset({"dörren", "porten", "mötte", "sms:ade", "sms:at"})
_RELAYED = frozenset({"via", "genom", "växeln", "kontoret", "receptionen"})
_RECALLABLE = frozenset({"DECLINE", "SERVICE_CANCEL", "NOT_HOME", "CANCELLED"})
_DAY_MONTH = re.compile(r"^\d{1,2}/\d{1,2}$")
_COUNT_WORDS = frozenset(
    {"två", "tre", "fyra", "fem", "sex", "flera", "upprepade", "avbokningar", "avbokningarna",
     "gånger", "ggr", "ggr.", "återkommande"}
)
_TIMES = frozenset({"ggr", "ggr.", "gånger", "gg", "avbokningar", "ggr/v"})
_TIME_WORDS = frozenset({"kl", "kl.", "klockan", "direkt", "igen", "upp", "tillbaka", "genast"})
_MOVE_HOUSE = frozenset({"till", "in", "hem", "ut", "från", "ihop", "isär"})
_OFFER_VERBS = frozenset({"föreslå", "föreslog", "erbjuda", "erbjöd", "fråga", "frågade", "förslag"})
_CLAUSE_BREAKS = frozenset({",", ";", ".", "!", "?", ":", "-", "–", "—", "(", ")"})
# Candidates that make a clause something other than a reason (the decline itself, an
# offer, motivation, "ingen orsak").
_NOT_A_REASON_KINDS = (
    "DECLINE",
    "WANT_NOT",
    "CANCEL",
    "NO_REASON",
    "MOTIVATION",
    "ALT_OFFERED",
    "MOVE",
    "ATTEMPT",
    "INFORMED",
    "CASEWORKER",
)
_GENITIVES = frozenset({"hens", "hans", "hennes", "brukarens", "kundens"})
_TALK = frozenset({"prata", "pratade", "samtala", "samtalade", "diskutera", "diskuterade"})
_MEETINGS = frozenset({"möte", "träff", "avstämning"})
_VALUE_SELF = frozenset({"besvärlig", "lat", "bråkig", "jobbig"})


def _flags_asserted(flags: dict) -> bool:
    return not (flags.get("negated") or flags.get("hypothetical") or flags.get("future"))


_RESOLVER_DATA: dict[str, object] = {}


def _resolver_data() -> dict:
    """Lexicon data the resolver needs, loaded once per process."""
    if not _RESOLVER_DATA:
        ev = lexicon.load("events")
        _RESOLVER_DATA.update(
            options=ev["candidates"],
            sets={
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
                    "reached_verbs",
                    "other_person",
                    "service_modal",
                    "meeting_plan_words",
                    "decline_objects_service",
                    "today_words",
                    "reason_clause_skip",
                    "staff_action",
                    "reason_symptoms",
                    "reported_speech",
                    "reason_clause_verbs",
                    "hospital_words",
                )
            },
            service_cause=lexicon.word_set("service_cause"),
            individual=lexicon.word_set("individual"),
            copula=lexicon.word_set("copula"),
            sokord_sets={k: frozenset(v) for k, v in ev.get("sokord", {}).items()},
        )
    return _RESOLVER_DATA


# --- details ---------------------------------------------------------------------

_HELD_BY_RX = re.compile(r"(?:^|\s)/\s?([A-ZÅÄÖ]{2,3})\b")
_HELD_BY_SKIP = frozenset(
    {"B", "LSS", "SOL", "SMS", "EC", "KTS", "HSL", "ICA", "IVA", "GP", "OK", "TV"}
)


# "Lena G", "Maria N": a first name and the initial of the surname, as staff sign.
_NAME_INITIAL_RX = re.compile(r"(?<![\w/])([A-ZÅÄÖ][a-zåäöé]{2,} [A-ZÅÄÖ])(?![\w])")
# A signature line at the end of the note: "Lena G", "Lena Karlsson", "/Lena".
_SIGNATURE_RX = re.compile(
    r"(?:^|[.!?\n]\s*|\s/\s?)([A-ZÅÄÖ][a-zåäöé]+(?: [A-ZÅÄÖ][a-zåäöé]*\.?)?)\s*$"
)


def _held_by(info: DocInfo, c: Cand | None = None) -> str | None:
    """Who held a hemgångssamtal: initials ('/LK', 'LK'), a name after "av" ("hållet av
    Bo"), the names opening the sentence before "hade/höll" ("Bo F hade hemgångssamtal"),
    or a signature."""
    m = _HELD_BY_RX.search(info.text)
    if m:
        return m.group(1)
    toks = info.toks
    if c is not None:
        # "Bo F hade hemgångssamtal med mamma"
        verb = next((i for i in range(c.sent_begin, c.start) if toks[i].lower in _HOLD_VERBS), None)
        if verb is not None and verb > c.sent_begin:
            names = [toks[i] for i in range(c.sent_begin, verb)]
            if all(t.text[:1].isupper() and t.is_alpha for t in names):
                return " ".join(t.text for t in names)
    starts = info.starts
    for s in starts:
        for i in range(s + 1, info.sent_end(s)):
            t = toks[i]
            if not t.is_alpha:
                continue
            text = t.text
            if text.isupper() and 2 <= len(text) <= 3 and text not in _HELD_BY_SKIP:
                return text
            prev = toks[i - 1].lower
            if (
                text[:1].isupper()
                and not text.isupper()
                and len(text) >= 2
                and prev in ("av", "/", "sign", "sign.")
            ):
                return text
    # A signature: a name alone at the end of the note ("Sara", "Mats G").
    if starts:
        last = starts[-1]
        words = [
            toks[i] for i in range(last, info.n) if not toks[i].is_punct and not toks[i].is_space
        ]
        if (
            1 <= len(words) <= 3
            and words[0].is_title
            and words[0].is_alpha
            and len(words[0].text) > 1
            and all(w.is_alpha and w.text[:1].isupper() for w in words)
        ):
            return " ".join(w.text for w in words)
    return None


_HOLD_VERBS = frozenset({"hade", "höll", "genomförde", "har", "hållit"})


def _gives_reason(info: DocInfo, c: Cand, reasons: frozenset[str]) -> bool:
    return any(
        not info.toks[i].keys.isdisjoint(reasons) for i in range(info.n) if not c.start <= i < c.end
    )


@Language.factory("auditor_detectors")
def make_detectors(nlp: Language, name: str, *, spans_key: str = HITS):
    return DetectorComponent(spans_key=spans_key)


class DetectorComponent:
    def __init__(self, *, spans_key: str = HITS) -> None:
        self.spans_key = spans_key
        self.end_reasons = lexicon.word_set("end_reasons")

    def __call__(self, doc: Doc) -> Doc:
        cands = doc.user_data.get(CANDIDATES) or []
        info = doc_info(doc)
        out: list[TextHit] = []
        if cands or doc_ext(doc, "sokord"):
            hits = Resolver(doc, info, cands).run()
            note_date = doc_ext(doc, "note_date")
            # Only a doc that names a day ("igår", "i måndags") needs its sentences read.
            dated = note_date is not None and mentions_day(info.text)
            seen: set[tuple[str, int, int]] = set()
            for label, c, flags in hits:
                key = (label, c.start, c.end)
                if key in seen:
                    continue
                seen.add(key)
                detail = dict(flags.get("detail") or {})
                actor = flags.get("actor")
                actor = _ACTOR_OF_CATEGORY.get(actor, actor) if actor else None
                if label == "END_NOTE":
                    detail["gives_reason"] = _gives_reason(info, c, self.end_reasons)
                elif label == "HOME_TALK":
                    detail["held_by"] = _held_by(info, c)
                    actor = actor or (STAFF if detail["held_by"] else UNKNOWN)
                if actor is None:
                    actor = _DEFAULT_ACTOR.get(label)
                s0, s1 = info.sent_chars(c.start)
                out.append(
                    TextHit(
                        label=label,
                        start=info.idx[c.start],
                        end=info.end_char(c.end - 1),
                        sent_start=s0,
                        sent_end=s1,
                        negated=bool(flags.get("negated", False)),
                        hypothetical=bool(flags.get("hypothetical", False)),
                        future=bool(flags.get("future", False)),
                        actor=actor,
                        recap=bool(flags.get("recap", False)),
                        refers_to=(
                            refers_to(info.sent_text(c.start), note_date)
                            if dated and label in _DATED_LABELS
                            else None
                        ),
                        detail=tuple(detail.items()),
                    )
                )
        sok = doc_ext(doc, "sokord") or ""
        if sok and not any(h.label == "VISIT_DONE" for h in out):
            kinds = {c.kind for c in cands}
            if kinds.isdisjoint(_NOT_A_VISIT_KINDS) and not any(
                c.kind == "VISIT_OUTCOME" and c.negated for c in cands
            ):
                hit = sokord_visit_hit(info.text, sok)
                if hit is not None:
                    out.append(hit)
        doc.user_data[self.spans_key] = out
        return doc


def doc_hits(doc: Doc) -> list[TextHit]:
    """The doc's hits as TextHit records (offsets into the note text)."""
    return doc.user_data.get(HITS, [])


def hit_spans(doc: Doc) -> Iterable[Span]:
    """The hits as labelled spaCy spans (built on demand)."""
    out = []
    for h in doc_hits(doc):
        span = doc.char_span(h.start, h.end, label=h.label)
        if span is not None:
            out.append(span)
    return out
