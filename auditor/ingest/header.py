"""Header rows: finding them below title rows, and mapping their cells onto a kind's
canonical columns (mapping profile, then exact/synonym, then fuzzy)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from rapidfuzz import fuzz

from auditor.model.normalise import cell_text, fold, header_key, header_key_bare
from auditor.model.schema import KINDS, Kind

HEADER_SCAN_ROWS = 40
FUZZY_THRESHOLD = 90.0
FUZZY_MIN_LEN = 5
CLOSEST_MIN = 50.0


@dataclass(frozen=True)
class Match:
    column: str  # canonical column
    index: int  # cell index in the row
    header: str  # as written
    how: str  # "profil" | "namn" | "fuzzy"
    score: float = 100.0


@dataclass
class KindMatch:
    kind: Kind
    matches: dict[str, Match] = field(default_factory=dict)
    duplicates: list[tuple[str, Match]] = field(default_factory=list)  # (header, winning match)

    @property
    def colmap(self) -> dict[str, int]:
        return {c: m.index for c, m in self.matches.items()}

    @property
    def headers(self) -> dict[str, str]:
        return {c: m.header for c, m in self.matches.items()}

    def missing(self) -> list[tuple[str, ...]]:
        return [g for g in self.kind.required if not any(c in self.matches for c in g)]


@cache
def kind_keys(kind_name: str) -> dict[str, str]:
    """header key -> canonical column, for one kind."""
    kind = KINDS[kind_name]
    out: dict[str, str] = {}
    for col in kind.columns:
        for name in (col.name, *col.synonyms):
            out.setdefault(header_key(name), col.name)
    return out


@cache
def all_keys() -> frozenset[str]:
    return frozenset(k for name in KINDS for k in kind_keys(name))


def label(kind: Kind, column: str) -> str:
    """A canonical column as users know it ("Datum", "Personnummer")."""
    col = kind.column(column)
    first = col.synonyms[0] if col.synonyms else col.name
    return first[:1].upper() + first[1:]


def row_texts(row: Sequence[object]) -> list[str]:
    return [cell_text(v) for v in row]


def header_score(texts: Sequence[str], extra_keys: frozenset[str] = frozenset()) -> int:
    keys = all_keys() | extra_keys
    seen = set()
    for t in texts:
        if t:
            k = header_key(t)
            if k in keys or header_key_bare(t) in keys:
                seen.add(k)
    return len(seen)


def find_header_row(
    rows: Sequence[Sequence[object]], extra_keys: frozenset[str] = frozenset()
) -> tuple[int | None, int]:
    """(index of the header row, its score); None when no row has two known headers."""
    best, best_score = None, 1
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        score = header_score(row_texts(row), extra_keys)
        if score > best_score:
            best, best_score = i, score
    return best, (best_score if best is not None else 0)


def _word_extension(a: str, b: str) -> bool:
    """One header is the other plus whole words ("Registrerad av" vs "Registrerad")."""
    wa, wb = set(fold(a).replace("-", " ").split()), set(fold(b).replace("-", " ").split())
    return wa != wb and (wa < wb or wb < wa)


def match_kind(
    texts: Sequence[str], kind: Kind, profile_keys: dict[str, str] | None = None
) -> KindMatch:
    """Map header cells onto ``kind``'s columns. ``profile_keys``: header key -> column."""
    keys = kind_keys(kind.name)
    result = KindMatch(kind)
    pending: list[tuple[int, str]] = []
    profile_keys = profile_keys or {}
    for j, text in enumerate(texts):
        if not text:
            continue
        key, bare = header_key(text), header_key_bare(text)
        if key in profile_keys:
            col, how = profile_keys[key], "profil"
        elif key in keys or bare in keys:
            col, how = keys.get(key) or keys[bare], "namn"
        else:
            pending.append((j, text))
            continue
        _assign(result, Match(col, j, text, how))

    # fuzzy: near-misses of a synonym (typos, inflections), never whole added words
    for j, text in pending:
        key = header_key(text)
        if len(key) < FUZZY_MIN_LEN:
            continue
        best: tuple[float, str] | None = None
        for syn_key, col in keys.items():
            if col in result.matches or abs(len(syn_key) - len(key)) > 3:
                continue
            score = fuzz.ratio(key, syn_key)
            if (
                score >= FUZZY_THRESHOLD
                and (best is None or score > best[0])
                and not _word_extension(text, _synonym_text(kind, col, syn_key))
            ):
                best = (score, col)
        if best:
            _assign(result, Match(best[1], j, text, "fuzzy", best[0]))
    return result


def _synonym_text(kind: Kind, column: str, key: str) -> str:
    col = kind.column(column)
    for name in (col.name, *col.synonyms):
        if header_key(name) == key:
            return name
    return column


def _assign(result: KindMatch, match: Match) -> None:
    if match.column in result.matches:
        result.duplicates.append((match.header, result.matches[match.column]))
    else:
        result.matches[match.column] = match


def closest_header(
    texts: Sequence[str], kind: Kind, column: str, taken: set[int]
) -> tuple[str, float] | None:
    """The unmapped header most like ``column`` (any of its names), with its score."""
    col = kind.column(column)
    names = [header_key(n) for n in (col.name, *col.synonyms)]
    best: tuple[str, float] | None = None
    for j, text in enumerate(texts):
        if not text or j in taken:
            continue
        key = header_key(text)
        score = max(fuzz.ratio(key, n) for n in names)
        if score >= CLOSEST_MIN and (best is None or score > best[1]):
            best = (text, score)
    return best
