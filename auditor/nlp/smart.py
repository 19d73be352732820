"""SMART analysis of delmål (GB5): specific, measurable, time-bound.

The vocabulary and patterns are data (``lexicon/smart.yaml``). A delmål is
- specific when it names a concrete activity or behaviour (not only a state: "må bättre"),
- measurable when it says how one knows: a frequency, an amount or an observable criterion,
- time-bound when it gives a date, a deadline or a period.
Reasons are Swedish, for the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from auditor.nlp import lexicon


@dataclass(frozen=True)
class SmartVerdict:
    specific: bool
    measurable: bool
    time_bound: bool
    reasons: dict[str, str] = field(default_factory=dict)

    @property
    def smart(self) -> bool:
        return self.specific and self.measurable and self.time_bound

    @property
    def missing(self) -> list[str]:
        return [k for k in ("specific", "measurable", "time_bound") if not getattr(self, k)]


@cache
def _data() -> tuple[frozenset[str], frozenset[str], list[re.Pattern[str]], list[re.Pattern[str]]]:
    d = lexicon.load("smart")
    acts = frozenset(str(w).lower() for w in d["activities"])
    vague = frozenset(str(w).lower() for w in d["vague"])
    measure = [re.compile(p, re.IGNORECASE) for p in d["measure_patterns"]]
    time = [re.compile(p, re.IGNORECASE) for p in d["time_patterns"]]
    return acts, vague, measure, time


def _words(text: str) -> list[tuple[str, str]]:
    """(lower form, lemma) per word, with the project's lemmatiser (no spaCy run needed)."""
    from auditor.nlp.pipeline import lemma_data

    data = lemma_data()
    out = []
    for w in re.findall(r"[\wåäöÅÄÖ:]+", text.lower()):
        out.append((w, data.analyse(w).lemma))
    return out


def assess_delmal(text: str) -> SmartVerdict:
    """Whether a delmål is specific, measurable and time-bound, with Swedish reasons."""
    text = (text or "").strip()
    acts, vague, measure, time = _data()
    words = _words(text)

    def forms(w: str, lemma: str) -> set[str]:
        # Present tense "städar"/"läser": the lookup table prefers nouns (städare).
        out = {w, lemma}
        if w.endswith("ar"):
            out.add(w[:-1])
        if w.endswith("er"):
            out.update({w[:-2], w[:-2] + "a"})
        return out

    found_acts = [w for w, lemma in words if forms(w, lemma) & acts]
    specific = bool(found_acts)
    m_match = next((m for rx in measure if (m := rx.search(text))), None)
    t_match = next((m for rx in time if (m := rx.search(text))), None)
    measurable = m_match is not None
    time_bound = t_match is not None
    reasons: dict[str, str] = {}
    if not text:
        reasons = {
            "specific": "Delmålet är tomt.",
            "measurable": "Delmålet är tomt.",
            "time_bound": "Delmålet är tomt.",
        }
        return SmartVerdict(False, False, False, reasons)
    if specific:
        reasons["specific"] = f"Beskriver en konkret aktivitet ({found_acts[0]})."
    elif any(w in vague or lemma in vague for w, lemma in words):
        reasons["specific"] = (
            "Beskriver ett tillstånd (t.ex. att må bättre), inte vad individen ska göra."
        )
    else:
        reasons["specific"] = "Ingen konkret aktivitet eller beteende anges."
    reasons["measurable"] = (
        f"Anger hur det mäts ({m_match.group(0).strip()})."
        if m_match
        else "Anger inte hur man vet att målet nåtts (frekvens, mängd eller observerbart kriterium saknas)."
    )
    reasons["time_bound"] = (
        f"Har en tidsgräns ({t_match.group(0).strip()})."
        if t_match
        else "Saknar datum eller tidsperiod för när målet ska vara uppnått."
    )
    return SmartVerdict(specific, measurable, time_bound, reasons)
