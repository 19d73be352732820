"""Pseudonyms for case ids, and scrubbing of personnummer and client names from free text."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Iterable

# 10 or 12 digits, optionally with - or + before the last four: 19121212-1212, 121212+1212.
PERSONNUMMER_LIKE = re.compile(r"(?<!\d)(\d{8}|\d{6})([-+]?)(\d{4})(?!\d)")
NAME_TOKEN = "[namn]"


def digest(key: bytes, ident: str) -> str:
    """First 12 hex digits of HMAC-SHA256(key, ident)."""
    return hmac.new(key, ident.encode("utf-8"), hashlib.sha256).hexdigest()[:12]


Edit = tuple[int, int, str]  # replace text[start:end] with the string


def apply_edits(
    text: str, edits: list[Edit], span: tuple[int, int] | None
) -> tuple[str, tuple[int, int] | None]:
    """Apply non-overlapping, ordered edits and move ``span`` so it covers the same words.

    A span edge that falls inside a replaced part moves out to the replacement's edge.
    """
    if not edits:
        return text, span
    parts: list[str] = []
    pos = 0
    for a, b, replacement in edits:
        parts += [text[pos:a], replacement]
        pos = b
    parts.append(text[pos:])
    new_text = "".join(parts)
    if span is None:
        return new_text, None

    def move(p: int, is_end: bool) -> int:
        delta = 0
        for a, b, replacement in edits:
            if b <= p:
                delta += len(replacement) - (b - a)
            elif a < p:
                return a + delta + (len(replacement) if is_end else 0)
            else:
                break
        return p + delta

    return new_text, (move(span[0], False), move(span[1], True))


def shift_span(
    pattern: re.Pattern[str],
    repl: Callable[[re.Match[str]], str],
    text: str,
    span: tuple[int, int] | None,
) -> tuple[str, tuple[int, int] | None]:
    """``pattern.sub(repl, text)`` that also moves ``span`` (see ``apply_edits``)."""
    edits = []
    for m in pattern.finditer(text):
        replacement = repl(m)
        if replacement != m.group(0):
            edits.append((m.start(), m.end(), replacement))
    return apply_edits(text, edits, span)


def name_variants(name: str) -> tuple[list[str], list[str]]:
    """Ways a client's name appears in journal text.

    Returns (full forms, single names): "Förnamn Efternamn", "Efternamn, Förnamn" and
    "Efternamn Förnamn" (matched case-insensitively), and each given name and surname on its
    own (matched only as written, so "Per" does not hit "per telefon").
    """
    name = " ".join(name.split())
    if not name:
        return [], []
    if "," in name:
        last, first = (p.strip() for p in name.split(",", 1))
    else:
        parts = name.split(" ")
        first, last = (" ".join(parts[:-1]), parts[-1]) if len(parts) > 1 else (name, "")
    full: list[str] = []
    if first and last:
        full = [f"{first} {last}", f"{last}, {first}", f"{last} {first}"]
    singles = [first, last]
    for part in (*first.split(" "), *last.split(" ")):
        singles.append(part)
        singles.extend(part.split("-"))
    singles = [s for s in singles if len(s) >= 2 and " " not in s]
    return full, singles


_TOKEN = re.compile(r"\w+(?:-\w+)*|,")


class NameMatcher:
    """Finds client names in text by whole words, fast for thousands of names.

    Full forms match case-insensitively, single names only as written. A genitive "s"
    stays outside the match: "Annas" -> "[namn]s".
    """

    def __init__(self, names: Iterable[str]):
        self.singles: set[str] = set()
        sequences: dict[str, set[tuple[str, ...]]] = {}
        for name in names:
            full, singles = name_variants(name)
            self.singles.update(singles)
            for form in full:
                tokens = tuple(t.casefold() for t in _TOKEN.findall(form))
                if len(tokens) > 1:
                    sequences.setdefault(tokens[0], set()).add(tokens)
        self.sequences = {k: sorted(v, key=lambda t: (-len(t), t)) for k, v in sequences.items()}

    def __bool__(self) -> bool:
        return bool(self.singles or self.sequences)

    @staticmethod
    def _same(token: str, wanted: str, last: bool) -> int | None:
        """Length of ``token`` that is the name (without a genitive s), or None."""
        folded = token.casefold()
        if folded == wanted:
            return len(token)
        if last and folded == wanted + "s":
            return len(token) - 1
        return None

    def edits(self, text: str, replacement: str) -> list[Edit]:
        toks = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]
        out: list[Edit] = []
        i = 0
        while i < len(toks):
            tok, start, end = toks[i]
            found = None
            for seq in self.sequences.get(tok.casefold(), ()):
                n = len(seq)
                if i + n > len(toks):
                    continue
                ok = True
                for k in range(1, n):
                    if text[toks[i + k - 1][2] : toks[i + k][1]].strip():
                        ok = False
                        break
                    if self._same(toks[i + k][0], seq[k], k == n - 1) is None:
                        ok = False
                        break
                if ok:
                    last_tok, last_start, _ = toks[i + n - 1]
                    size = self._same(last_tok, seq[-1], True)
                    assert size is not None
                    found = (start, last_start + size, n)
                    break
            if found is None:
                if tok in self.singles:
                    found = (start, end, 1)
                elif tok.endswith("s") and tok[:-1] in self.singles:
                    found = (start, end - 1, 1)
            if found is None:
                i += 1
                continue
            out.append((found[0], found[1], replacement))
            i += found[2]
        return out
