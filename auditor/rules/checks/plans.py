"""Genomförandeplaner: which plan is current, the first finished one, and plan text checks."""

from __future__ import annotations

import re
from datetime import date

from auditor.findings.model import Evidence
from auditor.model.records import PlanRow
from auditor.model.vocab import PLAN_FINISHED, PLAN_HISTORY, fold


def _plans(rows: list[PlanRow]) -> list[list[PlanRow]]:
    """Group delmål rows into plans: by plan id, else by (upprättad, status)."""
    groups: dict[tuple, list[PlanRow]] = {}
    for r in rows:
        key = ("id", r.plan_id) if r.plan_id else ("d", r.upprattad, r.status_text)
        groups.setdefault(key, []).append(r)
    return sorted(groups.values(), key=lambda g: (g[0].upprattad or date.min, g[0].src.row))


def _matches(r: PlanRow, insats: str | None) -> bool:
    return insats is None or not r.insats or r.insats == insats


def first_finished_plan(rows: list[PlanRow], *, since: date | None, insats: str | None,
                        as_of: date) -> PlanRow | None:
    """The earliest finished plan (even one that is history today) dated on or after ``since``.

    History plans count here: GB4 is met by the earliest finished plan, even one
    that is inaktuell today. Draft plans never count.
    """
    cands = [r for r in rows if _matches(r, insats) and r.upprattad and r.upprattad <= as_of
             and r.status in (PLAN_FINISHED, PLAN_HISTORY)
             and (since is None or r.upprattad >= since)]
    return min(cands, key=lambda r: (r.upprattad, r.src.row)) if cands else None


def current_plan(rows: list[PlanRow], insats: str | None, as_of: date) -> list[PlanRow] | None:
    """The latest finished plan that is not history, as its rows (one per delmål)."""
    finished = [g for g in _plans([r for r in rows if _matches(r, insats) and r.status == PLAN_FINISHED
                                   and (r.upprattad is None or r.upprattad <= as_of)])]
    return finished[-1] if finished else None


def plan_evidence(p: PlanRow, text: str | None = None) -> Evidence:
    parts = [f"Genomförandeplan ({p.status_text or 'status okänd'}"]
    if p.upprattad:
        parts.append(f", upprättad {p.upprattad.isoformat()}")
    parts.append(")")
    excerpt = "".join(parts)
    if text:
        excerpt += ": " + " ".join(text.split())[:280]
    return Evidence(p.src.input, p.src.sheet, p.src.row, p.upprattad, excerpt, None)


_CONTACT_WHO = re.compile(
    r"\b(kontakta\w*|ring\w*|meddela\w*|larma\w*|tillkalla\w*|hör av|hor av)\b.*?"
    r"\b(syster|bror|mamma|pappa|mor|far|dotter|son|anhörig\w*|anhorig\w*|närstående|narstaende|"
    r"god man|förvaltare|forvaltare|psykiatri\w*|mottagning\w*|vårdcentral\w*|vardcentral\w*|"
    r"socialsekreterare\w*|handläggare\w*|handlaggare\w*|stödpedagog\w*|stodpedagog\w*|"
    r"akutpsyk\w*|112|1177|[A-ZÅÄÖ][a-zåäö]+)",
    re.IGNORECASE | re.DOTALL,
)
_NAMED_CONTACT = re.compile(r"\b(kontaktperson|kontakt)\s*(vid kris)?\s*:\s*\S+", re.IGNORECASE)


def crisis_plan_names_contact(text: str) -> bool:
    """Does a krisplan say whom to contact (a relative, a clinic, a named person)?"""
    if not text.strip():
        return False
    return bool(_CONTACT_WHO.search(text) or _NAMED_CONTACT.search(text))


_PARTICIPATION = re.compile(
    r"(tillsammans med|i samråd med|medverka\w*|delaktig\w*|deltog|deltagit|deltar|närvar\w*|"
    r"var med|varit med|enligt (brukarens|individens|hens|hans|hennes) önskemål|"
    r"brukaren har (själv )?(formulerat|valt|önskat)|individen har (själv )?(formulerat|valt|önskat)|"
    r"egna ord|själv formulerat)",
    re.IGNORECASE,
)
_NON_PARTICIPATION = re.compile(
    r"(deltog inte|har inte deltagit|inte delaktig|ej delaktig|utan (brukarens|individens) medverkan|"
    r"avböjde att delta|ville inte delta)", re.IGNORECASE)


def shows_participation(text: str) -> bool:
    """Does the plan text show that the individual took part in drawing it up?"""
    f = " ".join(text.split())
    if not f or _NON_PARTICIPATION.search(f):
        return False
    return bool(_PARTICIPATION.search(f)) or fold(f) in ("ja", "brukaren", "individen")
