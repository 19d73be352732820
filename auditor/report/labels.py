"""Swedish labels, ordering and small text helpers shared by the HTML and XLSX writers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from functools import lru_cache

from auditor.findings.model import SEVERITY_RANK, Evidence, Finding
from auditor.findings.result import CaseInfo, RuleInfo

STATUS_RANK = {"violation": 0, "warning": 1, "not_evaluated": 2, "ok": 3}
STRENGTH_RANK = {"ska": 0, "lokal default": 1, "bör": 2}
ACTION_STATUSES = ("violation", "warning")
MAX_ACTIONS = 30  # rows in the summary's "Åtgärda nu" on screen; every finding is under "Brukare"
PRINT_ACTIONS = 10  # of which the printed summary shows this many
DEADLINE_DAYS = 28  # "Kommande frister": open deadlines due within this many days
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
INSATS_SV = {
    "boendestod": "Boendestöd",
    "korttidsvistelse": "Korttidsvistelse",
    "avlosarservice": "Avlösarservice",
    "ledsagarservice": "Ledsagarservice",
    "kontaktperson": "Kontaktperson",
}
RESPONSIBLE_SV = {"utförare": "Utförare", "myndighet": "Myndighet"}
# What one row of each kind of export is, in the words of the person reading the report.
ROW_NOUN_SV = {
    "journal": ("Journalanteckning", "journalanteckning", "journalanteckningar"),
    "uppdrag": ("Uppdrag", "uppdragsrad", "uppdragsrader"),
    "plan": ("Genomförandeplan", "genomförandeplan", "genomförandeplaner"),
    "besok": ("Besök", "besök", "besök"),
    "avvikelse": ("Avvikelse", "avvikelse", "avvikelser"),
    "vistelse": ("Vistelse", "vistelse", "vistelser"),
}
_SV_ORDER = str.maketrans({"å": "z\x01", "ä": "z\x02", "ö": "z\x03", "é": "e", "ü": "y"})


@lru_cache(maxsize=4096)  # sorting a large audit asks for the same few units many times
def sv_key(text: str) -> tuple[str, str]:
    """Swedish alphabetical order (å, ä, ö after z), ties broken by the exact text."""
    return (text.casefold().translate(_SV_ORDER), text)


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def and_join(parts: list[str]) -> str:
    """["a", "b", "c"] -> "a, b och c"."""
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " och " + parts[-1]


def insats_text(keys: Iterable[str]) -> str:
    """Insats names as written in Swedish, never the internal key."""
    return ", ".join(INSATS_SV.get(k, k) for k in keys)


def days_text(n: int) -> str:
    if n == 0:
        return "i dag"
    return f"om {plural(n, 'dag', 'dagar')}"


@lru_cache(maxsize=1024)
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
    return case or "(okänd brukare)"


def case_label(case: str, info: CaseInfo | None) -> str:
    shown = display_case(case)
    if info is not None and info.name:
        return f"{shown} – {info.name}"
    return shown


def iso(d: date | None) -> str:
    return d.isoformat() if d else ""


def event_date(f: Finding) -> date | None:
    """The event's day, apart from the deadline: ``f.date``, unless that is only the deadline
    (a rule about something missing); then the day of the row that started the clock."""
    if f.date is not None and f.date != f.deadline:
        return f.date
    days = [ev.date for ev in f.evidence if ev.date is not None]
    if days and f.deadline is not None and min(days) < f.deadline:
        return min(days)
    return f.date if f.deadline is None else None


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


def evidence_words(ev: Evidence, kind: str | None) -> str:
    """Where the evidence is, in words: "Journalanteckning 2026-06-22, signerad Karin D.,
    rad 1294 i journal_norr.csv"."""
    parts = []
    head = ROW_NOUN_SV[kind][0] if kind in ROW_NOUN_SV else ""
    if head and ev.date:
        parts.append(f"{head} {ev.date.isoformat()}")
    elif head:
        parts.append(head)
    elif ev.date:
        parts.append(ev.date.isoformat())
    if ev.signer:
        parts.append(f"signerad {ev.signer}")
    where = ev.input or "(okänd fil)"
    if ev.sheet:
        where = f"bladet {ev.sheet} i {where}"
    if ev.row is not None:
        where = f"rad {ev.row} {'på' if ev.sheet else 'i'} {where}"
    else:
        where = f"i {where}"
    parts.append(where)
    text = ", ".join(parts)
    return text[0].upper() + text[1:]


def evidence_location(ev: Evidence) -> str:
    parts = [ev.input or "(okänd fil)"]
    if ev.sheet:
        parts.append(f"blad {ev.sheet}")
    if ev.row is not None:
        parts.append(f"rad {ev.row}")
    return ", ".join(parts)
