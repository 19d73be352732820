"""Structural row outcomes decided before typing: blank rows, footer rows
("Summa", "Totalt", ...) and exact duplicates of an earlier row."""

from __future__ import annotations

import re
from collections.abc import Sequence

from auditor.model.normalise import BLANK, DUPLICATE, FOOTER, fold, is_blank

FOOTER_RE = re.compile(
    r"^(summa|summering|totalt?|antal\b|utskriven|utskrivet|utskriftsdatum|rapporten skapad|sida \d)"
)


def classify_rows(
    rows: Sequence[Sequence[object]], id_index: int | None, width: int
) -> list[str | None]:
    """Per data row: "tom rad", "sidfot", "dubblett" or None (to be typed)."""
    out: list[str | None] = []
    # hash of a row -> index of the first row with it; a hit is confirmed by comparing the
    # rows themselves, so memory holds one int per row, not a copy of every row
    seen: dict[int, int] = {}
    collided: set[tuple] = set()  # rows whose hash met a different row's (rare)
    footer_cells = max(2, width // 2)
    for row in rows:
        try:
            # fast path for text rows (CSV): C-level joins and counts
            if not "".join(row).strip():  # type: ignore[arg-type]
                out.append(BLANK)
                continue
            few = len(row) - row.count("") <= footer_cells
        except TypeError:
            # spreadsheet rows: stop at the first non-blank cell
            first = next((v for v in row if not is_blank(v)), None)
            if first is None:
                out.append(BLANK)
                continue
            few = isinstance(first, str)
        if few and _is_footer(row, id_index, footer_cells):
            out.append(FOOTER)
            continue
        key = _row_key(row)
        try:
            h = hash(key)
        except TypeError:
            out.append(None)
            continue
        first = seen.get(h)
        if first is None:
            seen[h] = len(out)
            dup = False
        elif _row_key(rows[first]) == key:
            dup = True
        else:
            dup = key in collided
            collided.add(key)
        out.append(DUPLICATE if dup else None)
    return out


def _row_key(row: Sequence[object]) -> tuple:
    """The row without trailing blank cells (a duplicate may differ only there)."""
    key = tuple(row)
    last = key[-1] if key else ""
    if not (isinstance(last, str) and last.strip()):
        end = len(key)
        while end and is_blank(key[end - 1]):
            end -= 1
        key = key[:end]
    return key


def _is_footer(row: Sequence[object], id_index: int | None, footer_cells: int) -> bool:
    cells = [v for v in row if not is_blank(v)]
    if len(cells) > footer_cells:
        return False
    first = cells[0]
    if not isinstance(first, str) or not FOOTER_RE.match(fold(first)):
        return False
    return (
        id_index is None
        or id_index >= len(row)
        or is_blank(row[id_index])
        or row[id_index] is first
    )
