"""Replace identities in a RunResult before any writer sees it.

- With ``pseudonymize``: every case id becomes ``P-`` + 12 hex of HMAC-SHA256(key, id); client
  personnummer (any personnummer-like string) and client names are replaced inside messages,
  excerpts and input problems too. Staff names stay.
- Always: a protected identity (sekretessmarkering / skyddade personuppgifter) becomes
  ``SKYDDAD-`` + the same 12 hex, its name "Skyddad identitet", its excerpts are cut to the
  deciding sentence, and its number and name are replaced wherever they appear.
- Input file and sheet names are scrubbed like text. With ``pseudonymize``, and wherever a
  path names a protected identity, the path is shown as a neutral label with the start of
  the file's sha256 ("Journalexport 2 (sha256 1f3a9c0e)"), so the file can still be found.
- Always: Unicode direction overrides (bidi) and control characters in any text from the
  exports are replaced by U+FFFD, one character for one so evidence spans stay right.

Text is scrubbed once per distinct string (the same excerpt backs many findings).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from auditor.findings.model import Evidence, Finding
from auditor.findings.result import CaseActivity, CaseInfo, RunResult
from auditor.model.accounting import InputReport, Problem
from auditor.model.personnummer import parse_pnr
from auditor.privacy.identity import (
    NAME_TOKEN,
    PERSONNUMMER_LIKE,
    NameMatcher,
    apply_edits,
    digest,
    loose_number,
    number_edits,
)
from auditor.privacy.keys import KeyMissing, local_key

PROTECTED_NAME = "Skyddad identitet"
PROTECTED_PREFIX = "SKYDDAD-"
PSEUDONYM_PREFIX = "P-"
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")
# Direction overrides and isolates, marks, C0 (but tab and newline) and C1 controls.
_UNSAFE = re.compile(
    "[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2028\u2029"
    "\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff]"
)
KIND_LABELS = {
    "journal": "Journalexport",
    "uppdrag": "Uppdragsexport",
    "plan": "Planexport",
    "besok": "Besöksexport",
    "avvikelse": "Avvikelseexport",
    "vistelse": "Vistelseexport",
}


def neutral(text: str) -> str:
    """``text`` with bidi and control characters replaced by U+FFFD (same length)."""
    if not text or _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub("\ufffd", text)


def _needs_neutral(result: RunResult) -> bool:
    def bad(t: str | None) -> bool:
        return bool(t) and _UNSAFE.search(t) is not None  # type: ignore[arg-type]

    for f in result.findings:
        if bad(f.message) or bad(f.unit):
            return True
        for ev in f.evidence:
            if bad(ev.excerpt) or bad(ev.input) or bad(ev.sheet):
                return True
    for r in result.inputs:
        if bad(r.path) or bad(r.sheet) or bad(r.error) or any(bad(p.message) or bad(p.column) for p in r.problems):
            return True
        if any(bad(k) or bad(v) for k, v in r.mapping.items()):
            return True
    return any(bad(i.name) or any(bad(u) for u in i.units) for i in result.cases.values())


@dataclass
class _Scrubber:
    """Replaces personnummer-like strings and client names in one kind of text."""

    key: bytes
    as_of: date
    protected_numbers: frozenset[str]
    all_numbers: bool  # replace every personnummer-like string, not only protected ones
    names: NameMatcher

    def __post_init__(self) -> None:
        self._cache: dict[tuple[str, tuple[int, int] | None], tuple[str, tuple[int, int] | None]] = {}
        # per distinct text: the neutral text, its personnummer edits and, after those, its
        # name edits (an excerpt recurs with the spans of several rules)
        self._edits: dict[str, tuple[str, list, list]] = {}

    def _number(self, m: re.Match[str]) -> str:
        # 12 digits as the case id is written; a number that does not parse (a typo, a bad
        # check digit) is still someone's and is pseudonymised by its digits. A loosely
        # written one ("990819 - 2397") counts only with a valid date and check digit.
        digits = loose_number(m)
        if digits is None:
            return m.group(0)
        written = m.group(0) if m.group(1) is not None else f"{digits[:-4]}-{digits[-4:]}"
        number = parse_pnr(written, self.as_of).value or digits
        if number in self.protected_numbers:
            return PROTECTED_PREFIX + digest(self.key, number)
        if self.all_numbers:
            return PSEUDONYM_PREFIX + digest(self.key, number)
        return m.group(0)

    def text(self, text: str, span: tuple[int, int] | None = None):
        key = (text, span)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        found = self._edits.get(text)
        if found is None:
            plain = neutral(text)
            numbers = number_edits(PERSONNUMMER_LIKE, self._number, plain)
            names = self.names.edits(apply_edits(plain, numbers, None)[0], NAME_TOKEN) if self.names else []
            found = self._edits[text] = (plain, numbers, names)
        plain, numbers, names = found
        out, new_span = apply_edits(plain, numbers, span)
        out, new_span = apply_edits(out, names, new_span)
        self._cache[key] = (out, new_span)
        return out, new_span

    def plain(self, text: str | None) -> str | None:
        return self.text(text)[0] if text else text


def cut_to_sentence(text: str, span: tuple[int, int] | None) -> tuple[str, tuple[int, int] | None]:
    """The sentence holding ``span`` (the deciding words), with the span moved into it.

    Without a span nothing of the text is kept.
    """
    if not span:
        return "", None
    s = max(0, min(span[0], len(text)))
    e = max(s, min(span[1], len(text)))
    start, end = 0, len(text)
    for m in _SENTENCE_END.finditer(text):
        if m.end() <= s:
            start = m.end()
        elif m.start() >= e:
            end = m.end() if m.group(0) != "\n" else m.start()
            break
    while start < s and text[start].isspace():
        start += 1
    return text[start:end].rstrip(), (s - start, e - start)


def protect(result: RunResult, *, pseudonymize: bool, key: bytes | None) -> RunResult:
    """A copy of ``result`` in which no protected identity, and with ``pseudonymize`` no
    client identity, remains, and no text from the exports carries bidi or control
    characters. ``result`` itself is not changed (and is returned as is when there is
    nothing to do)."""
    protected_ids = {c for c, info in result.cases.items() if info.protected}
    if not pseudonymize and not protected_ids:
        if not _needs_neutral(result):
            return result
        return _neutral_only(result)
    if key is None:
        if pseudonymize:
            raise KeyMissing(
                "Pseudonymisering kräver en nyckel, men ingen nyckel är angiven. Ange "
                "--key-file FIL eller sätt miljövariabeln AUDITOR_PSEUDONYM_KEY."
            )
        key = local_key()

    def new_id(case: str) -> str:
        if not case:
            return case
        if case in protected_ids:
            return PROTECTED_PREFIX + digest(key, case)
        if pseudonymize:
            return PSEUDONYM_PREFIX + digest(key, case)
        return case

    protected_numbers = frozenset(c for c in protected_ids if c.isdigit() and len(c) == 12)
    all_names = sorted({i.name for i in result.cases.values() if i.name})
    protected_names = sorted(
        {i.name for c, i in result.cases.items() if i.name and c in protected_ids}
    )
    staff = sorted({s for i in result.cases.values() for s in getattr(i, "staff", ()) if s})
    full = _Scrubber(key, result.as_of, protected_numbers, True, NameMatcher(all_names, staff))
    general = (
        full
        if pseudonymize
        else _Scrubber(
            key, result.as_of, protected_numbers, False, NameMatcher(protected_names, staff)
        )
    )
    labels = _path_labels(result, general, pseudonymize)

    def path(p: str | None) -> str:
        if not p:
            return p or ""
        return labels.get(p) or general.plain(p) or ""

    def sheet(name: str | None, p: str | None) -> str | None:
        if name is None:
            return None
        return general.plain(name)

    def evidence(ev: Evidence, is_protected: bool) -> Evidence:
        excerpt, span = ev.excerpt, ev.span
        if is_protected:
            excerpt, span = cut_to_sentence(excerpt, span)
        scrub = full if is_protected else general
        excerpt, span = scrub.text(excerpt, span)
        return replace(
            ev, input=path(ev.input), sheet=sheet(ev.sheet, ev.input), excerpt=excerpt, span=span,
            signer=scrub.text(ev.signer)[0] if ev.signer else ev.signer,
        )

    def finding(f: Finding) -> Finding:
        is_protected = f.case in protected_ids
        scrub = full if is_protected else general
        return replace(
            f,
            case=new_id(f.case),
            unit=neutral(f.unit),
            message=scrub.text(f.message)[0],
            evidence=[evidence(ev, is_protected) for ev in f.evidence],
        )

    def case_info(info: CaseInfo) -> CaseInfo:
        if info.protected:
            name = PROTECTED_NAME
        elif pseudonymize:
            name = None
        else:
            name = neutral(info.name) if info.name else info.name
        return replace(
            info,
            case=new_id(info.case),
            name=name,
            units=[neutral(u) for u in info.units],
            insats=list(info.insats),
            **({"staff": []} if hasattr(info, "staff") else {}),  # type: ignore[arg-type]
            activity=activity(info),
        )

    def activity(info: CaseInfo) -> CaseActivity | None:
        """The case's note signers (shown as staff) scrubbed like any other text."""
        if info.activity is None:
            return None
        scrub = full if info.protected or info.case in protected_ids else general
        shown = {s: scrub.text(s)[0] if s else s for s in set(info.activity.signers)}
        return replace(info.activity, days=dict(info.activity.days),
                       signers=[shown[s] for s in info.activity.signers])

    def input_report(r: InputReport) -> InputReport:
        return replace(
            r,
            path=path(r.path),
            sheet=sheet(r.sheet, r.path),
            error=general.plain(r.error),
            excluded=r.excluded.copy(),
            problems=[
                Problem(general.plain(p.message) or "", p.row, general.plain(p.column))
                for p in r.problems
            ],
            mapping={k: general.plain(v) or "" for k, v in r.mapping.items()},
        )

    cases = {new_id(c): case_info(info) for c, info in result.cases.items()}
    return replace(
        result,
        findings=[finding(f) for f in result.findings],
        cases=dict(sorted(cases.items())),
        inputs=[input_report(r) for r in result.inputs],
        pseudonymized=pseudonymize or result.pseudonymized,
    )


def _path_labels(result: RunResult, general: _Scrubber, pseudonymize: bool) -> dict[str, str]:
    """Input path -> neutral label ("Journalexport 2"), for every path under
    ``pseudonymize``, else for the paths that name a protected identity."""
    kinds: dict[str, str] = {}
    shas: dict[str, str] = {}
    for r in result.inputs:
        if r.path and r.sha256:
            shas.setdefault(r.path, r.sha256)
        if (r.path and r.path not in kinds) or (r.path and kinds[r.path] in ("skipped", "unreadable")):
            kinds[r.path] = r.kind
    counts: dict[str, int] = {}
    labels: dict[str, str] = {}
    for p, kind in kinds.items():
        if not pseudonymize and general.plain(p) == neutral(p):
            continue
        base = KIND_LABELS.get(kind, "Fil")
        counts[base] = counts.get(base, 0) + 1
        sha = shas.get(p, "")
        labels[p] = f"{base} {counts[base]}" + (f" (sha256 {sha[:8]})" if sha else "")
    return labels


def _neutral_only(result: RunResult) -> RunResult:
    def ev(e: Evidence) -> Evidence:
        return replace(e, input=neutral(e.input), sheet=neutral(e.sheet) if e.sheet else e.sheet,
                       excerpt=neutral(e.excerpt))

    def inp(r: InputReport) -> InputReport:
        return replace(
            r,
            path=neutral(r.path),
            sheet=neutral(r.sheet) if r.sheet else r.sheet,
            error=neutral(r.error) if r.error else r.error,
            excluded=r.excluded.copy(),
            problems=[Problem(neutral(p.message), p.row, neutral(p.column) if p.column else p.column)
                      for p in r.problems],
            mapping={k: neutral(v) for k, v in r.mapping.items()},
        )

    return replace(
        result,
        findings=[
            replace(f, unit=neutral(f.unit), message=neutral(f.message), evidence=[ev(e) for e in f.evidence])
            for f in result.findings
        ],
        inputs=[inp(r) for r in result.inputs],
        cases={
            c: replace(i, name=neutral(i.name) if i.name else i.name, units=[neutral(u) for u in i.units])
            for c, i in result.cases.items()
        },
    )
