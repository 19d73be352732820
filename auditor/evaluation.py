"""Scoring the auditor against a labelled corpus (``auditor evaluate``).

A corpus is laid out like ``../shared/devcorpus/v1``: ``exports/`` (the files to audit) and
``labels.csv`` (``rule,case,expected,why``; ``expected`` is ``violation`` or ``ok``). The audit
runs as ``auditor run`` would; then, per rule, the (rule, case) pairs with a ``violation``
finding are compared with the labels. A violation on a pair the labels do not list counts as a
false positive (the corpus labels every pair where the rule applies). Protected identities are
written as ``SKYDDAD-<hmac>``; the evaluation runs with its own key and maps the HMAC of every
labelled personnummer back.

Note-level scores per detector come from a tags file (``tags.csv`` in the corpus, or
``--tags``): ``case,date,text,tags`` with the corpus annotation tags of each note (the tag
vocabulary of ``make_corpus.py``: V, C, A, DECL, REAS, ...). Without a tags file the
note-level scores are skipped; the corpus code itself is never run.
"""

from __future__ import annotations

import csv
import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from auditor.scoring import Counts

if TYPE_CHECKING:
    from auditor.model.records import Note

# Corpus annotation tag -> the detector label it asserts.
TAG_LABELS = {
    "V": "VISIT_DONE",
    "C": "CONTACT",
    "A": "CONTACT_ATTEMPT",
    "DECL": "DECLINE",
    "REAS": "REASON",
    "MOTI": "MOTIVATION",
    "SC": "SERVICE_CANCEL",
    "ALT": "ALT_OFFERED",
    "ALTNP": "ALT_NOT_POSSIBLE",
    "INF": "INFORMED",
    "DEV": "DEVIATION",
    "NH": "NOT_HOME",
    "TDR": "THREE_DAY_ROUTINE",
    "HOSP": "HOSPITAL",
    "SOCINF": "CASEWORKER_CONTACT",
    "CW": "CASEWORKER_CONTACT",
    "CONC": "CONCERN",
    "SAM": "SUMMARY",
    "SLUT": "END_NOTE",
    "SLUTNR": "END_NOTE",
    "HG": "HOME_TALK",
    "HGNW": "HOME_TALK",
    "TS": "TERM_TALK",
    "TSH": "TERM_TALK",
    "VK": "WELCOME_PACK",
}
# Labels a tag implies without requiring the detector to say it: a visit is contact.
# An offer made to one who declined is tagged as motivation, not as an alternative for a
# service cancellation.
_TOLERATED = {
    "V": ("CONTACT",),
    "TSH": ("CONTACT",),
    "HG": ("CONTACT",),
    "HGNW": ("CONTACT",),
    "MOTI": ("ALT_OFFERED",),
}
NOTE_LABELS = tuple(dict.fromkeys(TAG_LABELS.values()))
_DIGITS = re.compile(r"\D")


def _digits(text: str) -> str:
    return _DIGITS.sub("", text or "")


@dataclass
class Score(Counts):
    fp_cases: list[str] = field(default_factory=list)
    fn_cases: list[str] = field(default_factory=list)


@dataclass
class Evaluation:
    rules: dict[str, Score]
    notes: dict[str, Score] | None = None
    notes_matched: int = 0
    notes_tagged: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def macro_f1(self) -> float:
        return sum(s.f1 for s in self.rules.values()) / len(self.rules) if self.rules else 0.0

    @property
    def note_macro_f1(self) -> float | None:
        if not self.notes:
            return None
        return sum(s.f1 for s in self.notes.values()) / len(self.notes)


class CorpusError(Exception):
    """A corpus that cannot be scored (Swedish message)."""


def read_labels(path: Path) -> dict[str, dict[str, str]]:
    """rule -> case (12 digits) -> expected."""
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            missing = {"rule", "case", "expected"} - set(reader.fieldnames or ())
            if missing:
                raise CorpusError(f"{path}: kolumnerna {', '.join(sorted(missing))} saknas.")
            for row in reader:
                labels[row["rule"].strip()][_digits(row["case"])] = row["expected"].strip()
    except OSError as exc:
        raise CorpusError(f"Kan inte läsa {path}: {exc.strerror}.") from None
    return dict(labels)


def score_cases(
    labels: dict[str, dict[str, str]], violations: dict[str, set[str]]
) -> dict[str, Score]:
    out: dict[str, Score] = {}
    for rule in sorted(labels):
        lab = labels[rule]
        pos = {c for c, e in lab.items() if e == "violation"}
        got = violations.get(rule, set())
        s = Score(tp=len(got & pos), fp=len(got - pos), fn=len(pos - got))
        s.fp_cases, s.fn_cases = sorted(got - pos), sorted(pos - got)
        out[rule] = s
    return out


def _case_of(finding_case: str, hashed: dict[str, str]) -> str:
    case = str(finding_case)
    if "-" in case and not case[:1].isdigit():
        return hashed.get(case.split("-", 1)[1].lower(), case)
    return _digits(case) or case


def _norm_text(text: str) -> str:
    return " ".join((text or "").split())


def read_tags(path: Path) -> dict[tuple[str, str, str], frozenset[str]]:
    """(case digits, ISO date, normalised text) -> tags."""
    out: dict[tuple[str, str, str], frozenset[str]] = {}
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            for row in csv.DictReader(f):
                key = (_digits(row["case"]), row["date"].strip(), _norm_text(row["text"]))
                out[key] = frozenset(row.get("tags", "").split())
    except (OSError, KeyError) as exc:
        raise CorpusError(f"Kan inte läsa taggfilen {path}: {exc}.") from None
    return out


def score_notes(
    tags: dict[tuple[str, str, str], frozenset[str]], notes: list[tuple[str, Note]]
) -> tuple[dict[str, Score], int]:
    """Per detector label: TP/FP/FN over the tagged notes (``notes``: (case digits, Note))."""
    scores = {label: Score() for label in NOTE_LABELS}
    matched = 0
    for case, note in notes:
        key = (case, note.date.isoformat(), _norm_text(note.text))
        tagset = tags.get(key)
        if tagset is None:
            continue
        matched += 1
        gold = {TAG_LABELS[t] for t in tagset if t in TAG_LABELS}
        tolerated = {x for t in tagset for x in _TOLERATED.get(t, ())}
        pred = {h.label for h in note.hits if h.asserted} & set(NOTE_LABELS)
        where = f"{case} {key[1]}: {note.text[:90]}"
        for label in NOTE_LABELS:
            g, p = label in gold, label in pred
            if g and p:
                scores[label].tp += 1
            elif p and label not in tolerated:
                scores[label].fp += 1
                scores[label].fp_cases.append(where)
            elif g and not p:
                scores[label].fn += 1
                scores[label].fn_cases.append(where)
    return scores, matched


def evaluate_corpus(
    corpus: Path, *, as_of: date | None = None, tags: Path | None = None
) -> Evaluation:
    """Audit ``corpus/exports`` and score it against ``corpus/labels.csv`` (and the tags)."""
    import hashlib
    import hmac

    from auditor.pipeline import RunOptions, run

    labels_path = corpus / "labels.csv"
    exports = corpus / "exports"
    if not labels_path.is_file():
        raise CorpusError(f"Hittar inte {labels_path}: en korpus behöver labels.csv.")
    if not exports.is_dir():
        raise CorpusError(f"Hittar inte {exports}: en korpus behöver mappen exports/.")
    labels = read_labels(labels_path)
    key = b"auditor-evaluate"
    known = {c for lab in labels.values() for c in lab}
    hashed = {hmac.new(key, c.encode(), hashlib.sha256).hexdigest()[:12]: c for c in known}
    with tempfile.TemporaryDirectory(prefix="auditor-evaluate-") as tmp:
        key_file = Path(tmp) / "nyckel"
        key_file.write_bytes(key)
        captured: dict[str, object] = {}
        outcome = run(
            RunOptions(
                inputs=[exports],
                out=Path(tmp) / "ut",
                as_of=as_of,
                key_file=key_file,
                write_reports=False,
            ),
            on_dataset=lambda ds: captured.setdefault("dataset", ds),
        )
    violations: dict[str, set[str]] = defaultdict(set)
    for f in outcome.result.findings:
        if f.status == "violation":
            violations[f.rule].add(_case_of(f.case, hashed))
    result = Evaluation(rules=score_cases(labels, violations))
    tags_path = tags if tags is not None else corpus / "tags.csv"
    if tags_path.is_file() and "dataset" in captured:
        tagged = read_tags(tags_path)
        dataset = captured["dataset"]
        notes = [
            (_digits(key_) or key_, n)
            for key_, c in dataset.cases.items()  # type: ignore[attr-defined]
            for n in c.notes
        ]
        result.notes, result.notes_matched = score_notes(tagged, notes)
        result.notes_tagged = len(tagged)
    elif tags is not None:
        raise CorpusError(f"Hittar inte taggfilen {tags}.")
    return result


def format_evaluation(ev: Evaluation, *, verbose: bool = False) -> str:
    lines = ["Regel   F1     P      R      TP  FP  FN"]
    for rule, s in ev.rules.items():
        lines.append(
            f"{rule:<6}{s.f1:6.2f}{s.precision:7.2f}{s.recall:7.2f}{s.tp:5d}{s.fp:4d}{s.fn:4d}"
        )
        if verbose:
            lines += [f"    falsk brist: {c}" for c in s.fp_cases]
            lines += [f"    missad brist: {c}" for c in s.fn_cases]
    lines.append(f"Makro-F1 (ärendenivå) över {len(ev.rules)} regler: {ev.macro_f1:.3f}")
    if ev.notes is None:
        lines.append("Anteckningsnivå: ingen taggfil (tags.csv), hoppas över.")
        return "\n".join(lines)
    lines.append("")
    lines.append(
        f"Detektorer på anteckningsnivå ({ev.notes_matched} av {ev.notes_tagged} taggade "
        "anteckningar återfunna)"
    )
    lines.append("Etikett              F1     P      R      TP  FP  FN")
    for label, s in ev.notes.items():
        lines.append(
            f"{label:<19}{s.f1:6.2f}{s.precision:7.2f}{s.recall:7.2f}{s.tp:5d}{s.fp:4d}{s.fn:4d}"
        )
        if verbose:
            lines += [f"    falsk träff: {c}" for c in s.fp_cases]
            lines += [f"    missad: {c}" for c in s.fn_cases]
    lines.append(f"Makro-F1 (anteckningsnivå): {ev.note_macro_f1:.3f}")
    return "\n".join(lines)
