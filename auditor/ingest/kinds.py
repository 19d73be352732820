"""Which kind of export a table is, recognised by its headers (the file name is only
a tie-breaker), and the Swedish messages when it is none or lacks a required column."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from auditor.ingest.header import KindMatch, closest_header, label, match_kind
from auditor.ingest.profile import MappingProfile
from auditor.model.normalise import fold
from auditor.model.schema import KINDS, Kind

COMMON = frozenset({"personnummer", "system_id", "namn", "enhet"})
NAME_HINTS: dict[str, tuple[str, ...]] = {
    "journal": ("journal", "anteckning", "dokumentation"),
    "uppdrag": ("uppdrag", "beslut", "bistand"),
    "plan": ("genomforande", "plan"),
    "besok": ("besok", "insatstillf", "bokning", "tillfalle"),
    "avvikelse": ("avvikel",),
    "vistelse": ("vistelse", "korttid"),
}


@dataclass
class Recognition:
    kind: Kind | None  # the recognised kind, None when rejected
    match: KindMatch | None  # the header mapping of the kind (or of the closest)
    closest: str | None = None
    error: str | None = None


def _hint(kind: str, names: Sequence[str]) -> bool:
    text = " ".join(fold(n) for n in names if n)
    return any(h in text for h in NAME_HINTS.get(kind, ()))


def _score(km: KindMatch, hint: bool) -> float:
    distinctive = sum(1 for c in km.matches if c not in COMMON)
    profile = any(m.how == "profil" for m in km.matches.values())
    return distinctive + 0.5 * hint + 3 * profile + 0.01 * len(km.matches)


def _what(sheet: str | None) -> str:
    return f"Bladet '{sheet}'" if sheet else "Filen"


def _listing(texts: Sequence[str], limit: int = 12) -> str:
    shown = [t for t in texts if t]
    out = ", ".join(shown[:limit])
    return out + (" …" if len(shown) > limit else "")


def recognise(
    texts: Sequence[str],
    names: Sequence[str],
    sheet: str | None,
    profile: MappingProfile | None = None,
) -> Recognition:
    """Recognise the kind of a table from its header cells ``texts``; ``names`` (file
    name, sheet name) are hints, or decide outright through the profile's [kinds]."""
    forced = profile.kind_for(*names) if profile else None
    candidates = [forced] if forced else list(KINDS)
    scored = []
    for name in candidates:
        km = match_kind(texts, KINDS[name], profile.keys_for(name) if profile else None)
        scored.append((_score(km, _hint(name, names)), km))
    complete = [(s, km) for s, km in scored if not km.missing()]
    if complete:
        _, km = max(complete, key=lambda x: x[0])
        return Recognition(km.kind, km)
    _, km = max(scored, key=lambda x: x[0])
    if not km.matches:
        return Recognition(
            None,
            None,
            None,
            f"{_what(sheet)} kändes inte igen som någon exporttyp: inga kända kolumnrubriker "
            f"(rubriker: {_listing(texts) or 'inga'}).",
        )
    distinctive = sum(1 for c in km.matches if c not in COMMON)
    if forced or (len(km.matches) >= 2 and distinctive >= 1):
        return Recognition(None, km, km.kind.name, _missing_message(texts, km, sheet))
    found = ", ".join(f"'{m.header}'" for m in km.matches.values())
    return Recognition(
        None,
        km,
        km.kind.name,
        f"{_what(sheet)} kändes inte igen som någon exporttyp. Närmast: {km.kind.label} "
        f"(igenkända kolumner: {found}; rubriker: {_listing(texts)}).",
    )


def _missing_message(texts: Sequence[str], km: KindMatch, sheet: str | None) -> str:
    kind = km.kind
    taken = {m.index for m in km.matches.values()}
    parts = []
    for group in km.missing():
        names = [label(kind, c) for c in group]
        text = f"kolumnen '{names[0]}'"
        if len(names) > 1:
            text += " (eller " + ", ".join(f"'{n}'" for n in names[1:]) + ")"
        best = None
        for c in group:
            cand = closest_header(texts, kind, c, taken)
            if cand and (best is None or cand[1] > best[1]):
                best = cand
        near = f"närmast: '{best[0]}' ({best[1]:.0f} %)" if best else "ingen liknande rubrik"
        parts.append(f"{text} saknas; {near}")
    return (
        f"{_what(sheet)} kändes igen som {kind.label} men " + "; ".join(parts) + ". "
        f"Rubriker: {_listing(texts)}. Ange rätt rubrik i en mappningsprofil (--mapping) "
        "om kolumnen heter något annat."
    )
