"""Pseudonyms for case ids, and scrubbing of personnummer and client names from free text."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Iterable

# 10 or 12 digits, optionally with - or + before the last four: 19121212-1212, 121212+1212.
# Such a string is replaced whether or not its check digit is right (a typo is still
# someone's number). Written more loosely - with spaces, several dashes or a dash between
# spaces: "19990819 2397", "990819 - 2397", "990819--2397" - it is taken as a personnummer
# only when the date is possible and the Luhn check digit is right (else it is likely a
# phone number, a date and a time, an amount).
PERSONNUMMER_LIKE = re.compile(
    r"(?<!\d)(\d{8}|\d{6})([-+]?)(\d{4})(?!\d)"
    r"|(?<![\d\w])(\d{8}|\d{6})((?:[ \t\u00a0]*[-+\u2010-\u2015\u2212][ \t\u00a0\-\u2010-\u2015\u2212]*)|[ \t\u00a0]{1,3})(\d{4})(?!\d)"
)
NAME_TOKEN = "[namn]"


def luhn_ok(ten: str) -> bool:
    total = 0
    for i, ch in enumerate(ten):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def loose_number(m: re.Match[str]) -> str | None:
    """The digits of a loosely written match when it is a plausible personnummer."""
    if m.group(1) is not None:  # the strict form
        return m.group(1) + m.group(3)
    date_part, serial = m.group(4), m.group(6)
    ten = date_part[-6:] + serial
    month, day = int(ten[2:4]), int(ten[4:6])
    if not (1 <= month <= 12 or month == 0) or not (1 <= day <= 31 or 61 <= day <= 91):
        return None
    if len(date_part) == 8 and date_part[:2] not in ("18", "19", "20"):
        return None
    return date_part + serial if luhn_ok(ten) else None


# Common Swedish words that are also names: matched only as written ("Per", not "per").
COMMON_WORDS = frozenset(
    ["per", "bo", "sten", "björn", "örn", "berg", "lund", "holm", "ström", "strand", "dal", "vik", "ek", "ask", "rut", "ros", "sol", "stig", "klara", "maj", "fred", "frid", "rask", "rosa", "hed", "lilja", "sand", "kvist", "gren", "ny", "alf", "lo", "ung", "dag", "vera", "signe", "malm", "åsa", "säll", "bergs", "lind", "nord", "syd", "väst", "öst", "linné", "hägg", "falk", "björk", "gran", "tall", "lövgren", "mats", "märta", "august"]
)


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


def number_edits(
    pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str], text: str
) -> list[Edit]:
    """The edits ``pattern.sub(repl, text)`` would make."""
    edits = []
    for m in pattern.finditer(text):
        replacement = repl(m)
        if replacement != m.group(0):
            edits.append((m.start(), m.end(), replacement))
    return edits


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


_TOKEN = re.compile(r"[^\W\d_]+|,")
_GAP = re.compile(r"[\s_\-\u2010-\u2015.]{1,3}")


class NameMatcher:
    """Finds client names in text by whole words, fast for thousands of names.

    Words are runs of letters, so a name is found inside a file name ("journal_Larsson_Bengt")
    and a hyphenated name in any case ("anna-karin"). Full forms ("Förnamn Efternamn",
    "Efternamn, Förnamn", "Efternamn_Förnamn") and hyphenated names match case-insensitively;
    a single name does too, except a name that is also a common word ("Per", "Berg"), which
    matches only capitalised or in capitals. A genitive "s" stays outside the match:
    "Annas" -> "[namn]s".

    ``keep`` are full names of other people (staff) that are left alone even when their first
    name is a client's: with a client "Ali Berg" and a staff member "Ali Hassan", "Ali Hassan
    ringde" stays as written. A staff member who shares a client's surname is still masked
    there (a shared surname may be family).
    """

    def __init__(self, names: Iterable[str], keep: Iterable[str] = ()):
        self.exact: set[str] = set()  # single names matched as written (or in capitals)
        self.folded: set[str] = set()  # single names matched in any case
        sequences: dict[str, set[tuple[tuple[str, ...], bool]]] = {}

        def add_sequence(form: str, is_name: bool) -> None:
            tokens = tuple(t.casefold() for t in _TOKEN.findall(form))
            if len(tokens) > 1:
                sequences.setdefault(tokens[0], set()).add((tokens, is_name))

        for name in names:
            full, singles = name_variants(name)
            for form in full:
                add_sequence(form, True)
            for single in singles:
                parts = _TOKEN.findall(single)
                if len(parts) > 1:
                    add_sequence(single, True)
                    continue
                folded = single.casefold()
                if folded in COMMON_WORDS or len(folded) < 3:
                    self.exact.add(single)
                    self.exact.add(single.upper())
                else:
                    self.folded.add(folded)
        clients = {t for v in sequences.values() for t, _ in v}
        client_words = self.folded | {w.casefold() for w in self.exact}
        for t in clients:
            client_words.update(t)
        for other in keep:
            full, _ = name_variants(other)
            for form in full[:1]:
                tokens = tuple(t.casefold() for t in _TOKEN.findall(form))
                # only a shared first name: a shared surname may be family, and is masked
                if len(tokens) > 1 and tokens not in clients and tokens[-1] not in client_words:
                    sequences.setdefault(tokens[0], set()).add((tokens, False))
        self.sequences = {
            k: sorted(v, key=lambda t: (-len(t[0]), not t[1], t[0])) for k, v in sequences.items()
        }
        # A word (casefolded, maybe less a genitive s) that can start a match: a text with
        # none of them has nothing to replace, which one findall in C tells.
        self._starts = frozenset(self.folded | {w.casefold() for w in self.exact} | set(self.sequences))

    def __bool__(self) -> bool:
        return bool(self.exact or self.folded or self.sequences)

    @staticmethod
    def _same(token: str, wanted: str, last: bool) -> int | None:
        """Length of ``token`` that is the name (without a genitive s), or None."""
        folded = token.casefold()
        if folded == wanted:
            return len(token)
        if last and folded == wanted + "s":
            return len(token) - 1
        return None

    def _single(self, tok: str) -> int | None:
        """Length of ``tok`` that is a single client name, or None."""
        if tok in self.exact:
            return len(tok)
        folded = tok.casefold()
        if folded in self.folded:
            return len(tok)
        if (
            len(tok) > 2
            and folded.endswith("s")
            and (tok[:-1] in self.exact or folded[:-1] in self.folded)
        ):
            return len(tok) - 1
        return None

    def edits(self, text: str, replacement: str) -> list[Edit]:
        words = _TOKEN.findall(text.casefold())
        starts = self._starts
        if starts.isdisjoint(words) and starts.isdisjoint([w[:-1] for w in words if w.endswith("s")]):
            return []
        toks = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]
        out: list[Edit] = []
        i = 0
        while i < len(toks):
            tok, start, _end = toks[i]
            found = None
            for seq, is_name in self.sequences.get(tok.casefold(), ()):
                n = len(seq)
                if i + n > len(toks):
                    continue
                ok = True
                for k in range(1, n):
                    gap = text[toks[i + k - 1][2] : toks[i + k][1]]
                    if seq[k] == "," or toks[i + k - 1][0] == ",":
                        ok = gap.strip() == ""
                    else:
                        ok = _GAP.fullmatch(gap) is not None
                    if not ok or self._same(toks[i + k][0], seq[k], k == n - 1) is None:
                        ok = False
                        break
                if ok:
                    last_tok, last_start, _ = toks[i + n - 1]
                    size = self._same(last_tok, seq[-1], True)
                    assert size is not None
                    found = (start, last_start + size, n, is_name)
                    break
            if found is None:
                size = self._single(tok) if tok != "," else None
                if size is not None:
                    found = (start, start + size, 1, True)
            if found is None:
                i += 1
                continue
            if found[3]:
                out.append((found[0], found[1], replacement))
            i += found[2]
        return out
