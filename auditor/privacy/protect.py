"""Replace identities in a RunResult before any writer sees it.

- With ``pseudonymize``: every case id becomes ``P-`` + 12 hex of HMAC-SHA256(key, id); client
  personnummer (any personnummer-like string) and client names are replaced inside messages,
  excerpts and input problems too. Staff names stay.
- Always: a protected identity (sekretessmarkering / skyddade personuppgifter) becomes
  ``SKYDDAD-`` + the same 12 hex, its name "Skyddad identitet", its excerpts are cut to the
  deciding sentence, and its number and name are replaced wherever they appear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from auditor.findings.model import Evidence, Finding
from auditor.findings.result import CaseInfo, RunResult
from auditor.model.accounting import InputReport, Problem
from auditor.model.personnummer import parse_pnr
from auditor.privacy.identity import (
    NAME_TOKEN,
    PERSONNUMMER_LIKE,
    NameMatcher,
    apply_edits,
    digest,
    shift_span,
)
from auditor.privacy.keys import KeyMissing, local_key

PROTECTED_NAME = "Skyddad identitet"
PROTECTED_PREFIX = "SKYDDAD-"
PSEUDONYM_PREFIX = "P-"
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")


@dataclass
class _Scrubber:
    """Replaces personnummer-like strings and client names in one kind of text."""

    key: bytes
    as_of: date
    protected_numbers: frozenset[str]
    all_numbers: bool  # replace every personnummer-like string, not only protected ones
    names: NameMatcher

    def _number(self, m: re.Match[str]) -> str:
        # 12 digits as the case id is written; a number that does not parse (a typo, a bad
        # check digit) is still someone's and is pseudonymised by its digits.
        number = parse_pnr(m.group(0), self.as_of).value or re.sub(r"\D", "", m.group(0))
        if number in self.protected_numbers:
            return PROTECTED_PREFIX + digest(self.key, number)
        if self.all_numbers:
            return PSEUDONYM_PREFIX + digest(self.key, number)
        return m.group(0)

    def text(self, text: str, span: tuple[int, int] | None = None):
        text, span = shift_span(PERSONNUMMER_LIKE, self._number, text, span)
        if self.names:
            text, span = apply_edits(text, self.names.edits(text, NAME_TOKEN), span)
        return text, span

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
    client identity, remains. ``result`` itself is not changed."""
    protected_ids = {c for c, info in result.cases.items() if info.protected}
    if not pseudonymize and not protected_ids:
        return result
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
    full = _Scrubber(key, result.as_of, protected_numbers, True, NameMatcher(all_names))
    general = (
        full
        if pseudonymize
        else _Scrubber(key, result.as_of, protected_numbers, False, NameMatcher(protected_names))
    )

    def evidence(ev: Evidence, is_protected: bool) -> Evidence:
        excerpt, span = ev.excerpt, ev.span
        if is_protected:
            excerpt, span = cut_to_sentence(excerpt, span)
        scrub = full if is_protected else general
        excerpt, span = scrub.text(excerpt, span)
        return replace(
            ev,
            input=general.plain(ev.input) or "",
            sheet=general.plain(ev.sheet),
            excerpt=excerpt,
            span=span,
        )

    def finding(f: Finding) -> Finding:
        is_protected = f.case in protected_ids
        scrub = full if is_protected else general
        return replace(
            f,
            case=new_id(f.case),
            message=scrub.text(f.message)[0],
            evidence=[evidence(ev, is_protected) for ev in f.evidence],
        )

    def case_info(info: CaseInfo) -> CaseInfo:
        if info.protected:
            name = PROTECTED_NAME
        elif pseudonymize:
            name = None
        else:
            name = info.name
        return replace(
            info,
            case=new_id(info.case),
            name=name,
            units=list(info.units),
            insats=list(info.insats),
        )

    def input_report(r: InputReport) -> InputReport:
        return replace(
            r,
            path=general.plain(r.path) or "",
            sheet=general.plain(r.sheet),
            error=general.plain(r.error),
            excluded=r.excluded.copy(),
            problems=[Problem(general.plain(p.message) or "", p.row, p.column) for p in r.problems],
            mapping=dict(r.mapping),
        )

    cases = {new_id(c): case_info(info) for c, info in result.cases.items()}
    return replace(
        result,
        findings=[finding(f) for f in result.findings],
        cases=dict(sorted(cases.items())),
        inputs=[input_report(r) for r in result.inputs],
        pseudonymized=pseudonymize or result.pseudonymized,
    )
