"""Sane limits on one cell: a journal note is not a book, a word is not a page.

A row with a text field over ``MAX_FIELD_CHARS`` characters, or a "word" (characters
without a space) over ``MAX_TOKEN_CHARS``, is rejected with a message naming file, row
and column. The language pipeline never sees such text (spaCy refuses texts over its
``max_length`` and tokenises very long words in quadratic time).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import repeat

MAX_FIELD_CHARS = 100_000
MAX_TOKEN_CHARS = 1_000
_LONG_TOKEN = re.compile(rf"\S{{{MAX_TOKEN_CHARS + 1}}}")


def _n(x: int) -> str:
    return f"{x:,}".replace(",", "\u00a0")


def cell_problem(value: object) -> str | None:
    """Why a cell is too large (Swedish), or None."""
    if not isinstance(value, str) or len(value) <= MAX_TOKEN_CHARS:
        return None
    if len(value) > MAX_FIELD_CHARS:
        return (
            f"Raden avvisades: fältet har {_n(len(value))} tecken, mer än gränsen "
            f"{_n(MAX_FIELD_CHARS)}. Kontrollera raden i exporten (ett citattecken som aldrig "
            "stängs kan göra ett fält av resten av filen)."
        )
    m = _LONG_TOKEN.search(value)
    if m:
        end = m.end()
        while end < len(value) and not value[end].isspace():
            end += 1
        return (
            f"Raden avvisades: fältet har ett ord på {_n(end - m.start())} tecken utan mellanslag, "
            f"mer än gränsen {_n(MAX_TOKEN_CHARS)}. Det är inte journaltext."
        )
    return None


def oversized_rows(
    rows: Sequence[Sequence[object]], headers: Sequence[str]
) -> list[tuple[int, str, str]]:
    """(index into rows, column header, Swedish message) for each row with a cell over a limit."""
    # A row can only have a cell over the limit when all its cells together are longer:
    # summed in C for every row, so only those few rows are looked at cell by cell.
    try:
        sizes = map(sum, map(map, repeat(len), rows))  # type: ignore[arg-type]
        suspects = [i for i, size in enumerate(sizes) if size > MAX_TOKEN_CHARS]
    except TypeError:  # spreadsheet rows: numbers and dates as text
        sizes = map(sum, map(map, repeat(len), map(map, repeat(str), rows)))
        suspects = [i for i, size in enumerate(sizes) if size > MAX_TOKEN_CHARS]
    out = []
    for i in suspects:
        for j, value in enumerate(rows[i]):
            if isinstance(value, str) and len(value) > MAX_TOKEN_CHARS:
                why = cell_problem(value)
                if why:
                    header = headers[j] if j < len(headers) and headers[j] else f"kolumn {j + 1}"
                    out.append((i, header, why))
                    break
    return out
