"""Who is who in a case, built from the exports before any text is read.

The journal names people in many ways: the individual by full name, first name, a nickname
("Lena" for Helena), initials ("B", "A.", "T.H."), a genitive ("K:s", "Birgittas"); staff by
signature, first name or initials ("Fördelas till AK och MJ", "Ahmed höll i samtalet"); the
caseworker by the Handläggare column's name ("Eva Lindqvist informerad"). The exports say who
these people are: the client's name column, the signatures of the unit's notes, the
Medarbetare column of bookings and the Handläggare column of the uppdrag export.

:func:`build_people` gives one :class:`People` per case; the NLP reads a name token through
:meth:`People.role` (the role words - "brukaren", "handläggaren", "grannen", "dottern" - are
the lexicon's, ``auditor/nlp/lexicon/sets.yaml``). The model is deterministic and hashable,
so identical notes of cases with the same people are read once.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from auditor.model.dataset import CaseData, Dataset

INDIVIDUAL, STAFF, CASEWORKER = "individual", "staff", "caseworker"
# A form that may be the individual's nickname ("Lena" for Helena): the NLP decides, since
# it may also be a common word ("Mat" for Mattias).
NICKNAME = "individual_nickname"
# The individual's genitive ("K:s", "Birgittas"): it names what is hers, not her ("K:s mamma
# ringde" is the mother calling).
GENITIVE = "individual_genitive"
ROLES = (INDIVIDUAL, STAFF, CASEWORKER, NICKNAME, GENITIVE)

# Capitalised words, initials ("A.", "T.H."), genitives ("K:s") as a note writes them.
_TOKEN = re.compile(r"[A-ZÅÄÖÉÜ](?:\.[A-ZÅÄÖÉÜ])*[A-Za-zÅÄÖÉÜåäöéü]*(?::s)?\.?")
_WORD = re.compile(r"[A-Za-zÅÄÖÉÜåäöéüØøÆæ]+(?:-[A-Za-zÅÄÖÉÜåäöéüØøÆæ]+)?")
# Words in a name column that are no names ("Lindberg, Birgitta (skyddad)").
_NOT_NAME = frozenset({"skyddad", "sekretess", "okänd", "nn", "saknas", "av", "von", "van", "de"})


def _name_parts(raw: str) -> tuple[list[str], list[str]]:
    """(first names, surnames) of "Efternamn, Förnamn" or "Förnamn Efternamn"."""
    raw = (raw or "").strip()
    if not raw:
        return [], []
    if "," in raw:
        last, _, first = raw.partition(",")
    else:
        words = raw.split()
        if len(words) == 1:
            return [w for w in _words(raw)], []
        first, last = " ".join(words[:-1]), words[-1]
    return _words(first), _words(last)


def _words(text: str) -> list[str]:
    out = []
    for w in _WORD.findall(text):
        if len(w) >= 2 and w.lower() not in _NOT_NAME:
            out.append(w[:1].upper() + w[1:])
    return out


def _name_forms(
    first: list[str], last: list[str], *, single_initials: bool, genitives: bool = True
) -> set[str]:
    """The forms a person's name takes in a note: names, genitives, initials."""
    forms: set[str] = set()
    for w in [*first, *last]:
        for part in w.split("-"):
            if len(part) >= 2:
                forms.add(part)
                if genitives:
                    if not part.endswith(("s", "x", "z")):
                        forms.add(part + "s")
                    forms.add(part + ":s")
    if first and last:
        a, b = first[0][0], last[-1][0]
        forms.update({a + b, f"{a}.{b}.", f"{a}.{b}"})
        if genitives:
            forms.add(f"{a}{b}:s")
    if single_initials and first:
        a = first[0][0]
        forms.update({a, a + "."})
        if genitives:
            forms.add(a + ":s")
    return forms


@dataclass(frozen=True, slots=True)
class People:
    """Name forms of one case mapped to a role: individual, staff or caseworker.

    ``forms`` keeps the exact written forms (case-sensitive: "A" is an initial, "a" is not);
    ``nick_of`` the individual's first names, for nicknames ("Lena" for Helena, "Gun" for
    Gunilla)."""

    forms: tuple[tuple[str, str], ...] = ()
    nick_of: tuple[str, ...] = ()
    _index: dict[str, str] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        self._index.update(self.forms)

    def role(self, text: str) -> str | None:
        """The role of a written name form, or None when the form names nobody known."""
        got = self._index.get(text)
        if got is not None:
            return got
        if len(text) > 1 and text.endswith("."):
            got = self._index.get(text[:-1])
            if got is not None:
                return got
        # A nickname of the individual: a capitalised part of a first name ("Lena", "Gun").
        if len(text) >= 3 and text[:1].isupper() and text[1:].islower():
            low = text.lower()
            for name in self.nick_of:
                if name != low and len(name) > len(low) and (
                    name.startswith(low) or (len(low) >= 4 and name.endswith(low))
                ):
                    return NICKNAME
        return None

    def signature(self, text: str) -> tuple[tuple[str, str], ...]:
        """The (written form, role) pairs of the names this text uses: what the NLP needs of
        the model for this text (texts with the same signature are read alike)."""
        if not self.forms and not self.nick_of:
            return ()
        found: dict[str, str] = {}
        for m in _TOKEN.finditer(text):
            w = m.group(0)
            for form in (w, w.rstrip(".")):
                role = self.role(form)
                if role is not None:
                    found[form] = role
        return tuple(sorted(found.items()))

    def names(self, role: str) -> list[str]:
        return sorted(f for f, r in self.forms if r == role)

    @property
    def empty(self) -> bool:
        return not self.forms


@lru_cache(maxsize=4096)
def _others_index(staff: tuple[str, ...], caseworkers: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The name forms of a case's staff and caseworkers (the caseworker wins a shared form).
    Cases of one unit share their staff, so this is built once per distinct set."""
    index: dict[str, str] = {}
    for raw in staff:
        for f in _person_forms(raw, staff=True):
            index[f] = STAFF
    for raw in caseworkers:
        for f in _person_forms(raw, staff=False):
            index[f] = CASEWORKER
    return tuple(index.items())


@lru_cache(maxsize=65536)
def _person_forms(raw: str, *, staff: bool) -> tuple[str, ...]:
    first, last = _name_parts(raw)
    if staff and not first and not last and raw.strip().isupper() and 2 <= len(raw.strip()) <= 3:
        return (raw.strip(),)  # a signature written as initials ("AK")
    # A single name is a first name ("Oskar"); initials stay for full names only.
    return tuple(sorted(_name_forms(first, last, single_initials=False)))


def people_for(
    individual: str | None,
    staff: Iterable[str] = (),
    caseworkers: Iterable[str] = (),
) -> People:
    """The who-is-who of one case from its names (the individual wins a shared form, then
    the caseworker, then staff)."""
    index = dict(_others_index(tuple(sorted(set(staff))), tuple(sorted(set(caseworkers)))))
    nick: list[str] = []
    if individual:
        first, last = _name_parts(individual)
        bare = _name_forms(first, last, single_initials=True, genitives=False)
        for f in _name_forms(first, last, single_initials=True):
            index[f] = INDIVIDUAL if f in bare else GENITIVE
        nick = [w.lower() for w in first]
    return People(forms=tuple(sorted(index.items())), nick_of=tuple(nick))


def build_people(dataset: Dataset) -> dict[str, People]:
    """One :class:`People` per case: staff are everyone who signed a note or served a booking
    in the case's units (a colleague may be named in a case she never wrote in), caseworkers
    the Handläggare names of the case's uppdrag."""
    if dataset.wide:  # computed over all inputs, whichever chunk of cases this dataset holds
        return {key: c.memo.get("people") or case_people(c, dict(dataset.unit_staff))
                for key, c in dataset.cases.items()}
    unit_staff: dict[str, set[str]] = defaultdict(set)
    for c in dataset.cases.values():
        for n in c.notes:
            if n.signed_by:
                unit_staff[n.unit].add(n.signed_by)
        for b in c.bookings:
            if b.staff:
                unit_staff[b.unit].add(b.staff)
    out: dict[str, People] = {}
    for key, c in dataset.cases.items():
        out[key] = case_people(c, unit_staff)
    return out


def case_people(case: CaseData, unit_staff: Mapping[str, AbstractSet[str]] | None = None) -> People:
    staff: set[str] = set()
    for u in case.units:
        staff |= (unit_staff or {}).get(u, set())
    staff |= {n.signed_by for n in case.notes if n.signed_by}
    staff |= {b.staff for b in case.bookings if b.staff}
    caseworkers = {u.handlaggare for u in case.uppdrag if u.handlaggare}
    return people_for(case.name, staff, caseworkers)
