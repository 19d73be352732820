"""Swedish labels, ordering and small text helpers shared by the HTML and XLSX writers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date

from auditor.findings.model import SEVERITY_RANK, Evidence, Finding
from auditor.findings.result import CaseInfo, RuleInfo

STATUS_RANK = {"violation": 0, "warning": 1, "not_evaluated": 2, "ok": 3}
STRENGTH_RANK = {"ska": 0, "lokal default": 1, "bör": 2}
ACTION_STATUSES = ("violation", "warning")
MAX_ACTIONS = 50  # rows in a unit's "Åtgärda nu" table; the rest are under "Fynd per regel"
MAX_PROBLEMS = 500  # problems listed per input in index.html; findings.json has them all
EXCERPT_MAX = 400  # characters of an excerpt shown in HTML; longer ones are windowed
EXCERPT_CONTEXT = 180
NO_UNIT = "(ingen enhet)"
KIND_LABEL_SV = {
    "journal": "Journalanteckningar",
    "uppdrag": "Uppdrag och beslut",
    "plan": "Genomförandeplaner",
    "besok": "Besök och bokningar",
    "avvikelse": "Avvikelser",
    "vistelse": "Vistelser",
    "skipped": "Hoppades över",
    "unreadable": "Kunde inte läsas",
}
_SV_ORDER = str.maketrans({"å": "z\x01", "ä": "z\x02", "ö": "z\x03", "é": "e", "ü": "y"})


def sv_key(text: str) -> tuple[str, str]:
    """Swedish alphabetical order (å, ä, ö after z), ties broken by the exact text."""
    return (text.casefold().translate(_SV_ORDER), text)


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def rule_key(rule_id: str) -> tuple[str, int, str]:
    """TN1 < TN2 < TN10."""
    m = re.fullmatch(r"([A-Za-z]*)(\d*)(.*)", rule_id)
    assert m is not None
    return (m.group(1), int(m.group(2) or 0), m.group(3))


def slugify(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c))
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return slug[:60].strip("-")


def unit_filenames(units: Iterable[str]) -> dict[str, str]:
    """A safe, unique file name per unit: ``enhet-boendestod-norr.html``."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for unit in sorted(units, key=sv_key):
        base = "enhet-" + (slugify(unit) or "utan-namn")
        name, n = base, 2
        while name in used:
            name, n = f"{base}-{n}", n + 1
        used.add(name)
        names[unit] = name + ".html"
    return names


def display_case(case: str) -> str:
    """A 12-digit personnummer as YYYYMMDD-NNNN; anything else as written."""
    if len(case) == 12 and case.isdigit():
        return f"{case[:8]}-{case[8:]}"
    return case or "(inget ärende)"


def case_label(case: str, info: CaseInfo | None) -> str:
    shown = display_case(case)
    if info is not None and info.name:
        return f"{shown} – {info.name}"
    return shown


def iso(d: date | None) -> str:
    return d.isoformat() if d else ""


def strength_of(f: Finding, rules: dict[str, RuleInfo]) -> str:
    rule = rules.get(f.rule)
    return f.strength or (rule.strength if rule else "")


def action_key(f: Finding, rules: dict[str, RuleInfo]) -> tuple:
    """Most urgent first: severity, then legal strength (a bör never ranks above a ska of the
    same severity), then status (brist before risk), then date, rule and case."""
    return (
        SEVERITY_RANK.get(f.severity, 9),
        STRENGTH_RANK.get(strength_of(f, rules), 9),
        STATUS_RANK.get(f.status, 9),
        f.date or date.max,
        rule_key(f.rule),
        f.case,
        f.key,
    )


def excerpt_parts(ev: Evidence) -> tuple[str, str, str, bool, bool]:
    """(before, marked, after, clipped_start, clipped_end) of an excerpt, windowed around
    the deciding words when the excerpt is long."""
    text = ev.excerpt or ""
    if ev.span:
        s = max(0, min(ev.span[0], len(text)))
        e = max(s, min(ev.span[1], len(text)))
    else:
        s = e = 0
    lo, hi = 0, len(text)
    if len(text) > EXCERPT_MAX:
        if ev.span:
            lo = max(0, s - EXCERPT_CONTEXT)
            hi = min(len(text), max(e + EXCERPT_CONTEXT, lo + EXCERPT_MAX))
        else:
            hi = EXCERPT_MAX
    if not ev.span:
        return text[lo:hi], "", "", lo > 0, hi < len(text)
    return text[lo:s], text[s:e], text[e:hi], lo > 0, hi < len(text)


def evidence_location(ev: Evidence) -> str:
    parts = [ev.input or "(okänd fil)"]
    if ev.sheet:
        parts.append(f"blad {ev.sheet}")
    if ev.row is not None:
        parts.append(f"rad {ev.row}")
    return ", ".join(parts)
