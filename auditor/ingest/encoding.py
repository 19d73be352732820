"""Text encodings: detection, and mojibake repair that is never silent.

Order: BOM (UTF-8, UTF-16), UTF-16 without BOM, strict UTF-8, else cp1252 (plain
"CSV" from Swedish Excel). Mojibake ("Ã¤" for "ä": UTF-8 read as cp1252 somewhere
upstream) is repaired with ftfy's encoding fix, only on the stretches that show
it, and reported; when a stretch cannot be repaired unambiguously the input is
refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import ftfy

from auditor.ingest.table import ReadError


def _continuation_chars() -> str:
    out = []
    for b in range(0x80, 0xC0):
        try:
            out.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out)


_CONT = re.escape(_continuation_chars())
# "Ã" + a continuation byte as cp1252 covers å ä ö Å Ä Ö é ü; "Â" + NBSP/°/§ ...;
# "â€" starts the 3-byte punctuation (– — ’ ” …).
MOJIBAKE = re.compile(f"Ã[{_CONT}]|Â[\u00a0-\u00bf]|â€[{_CONT}]?|â„¢")

MSG_REPAIRED = (
    "Trasig teckenkodning (t.ex. 'Ã¤' i stället för 'ä') reparerades i {n} {what} "
    "(första: {first})."
)
MSG_IRREPARABLE = (
    "Filen har trasig teckenkodning (t.ex. 'Ã¤' i stället för 'ä') som inte kan "
    "repareras entydigt{where}. Exportera filen på nytt som UTF-8."
)


_LABELS = {
    "utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16", "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16", "utf-32": "UTF-32", "utf-32-le": "UTF-32", "utf-32-be": "UTF-32",
}


def label(enc: str) -> str:
    return _LABELS.get(enc, enc.upper())


def detect(head: bytes) -> str:
    """The codec for a text file from its first bytes (BOM, UTF-16/32 without BOM), else
    "utf-8" (the caller falls back to cp1252 when the file is not valid UTF-8)."""
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "utf-32"
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = head[:4096]
    n = len(sample) - len(sample) % 4
    if n >= 8:
        quads = [sample[i : i + 4] for i in range(0, n, 4)]
        if sum(q[1:] == b"\x00\x00\x00" for q in quads) > 0.9 * len(quads):
            return "utf-32-le"
        if sum(q[:3] == b"\x00\x00\x00" for q in quads) > 0.9 * len(quads):
            return "utf-32-be"
    if len(sample) >= 8:
        if sample[1::2].count(0) > 0.9 * len(sample[1::2]):
            return "utf-16-le"
        if sample[0::2].count(0) > 0.9 * len(sample[0::2]):
            return "utf-16-be"
    return "utf-8"


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name)."""
    enc = detect(data[:4096])
    if enc.startswith("utf-32"):
        return _strict(data, enc), enc
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8"), "utf-8-sig"
    if data.startswith(b"\xff\xfe"):
        return _strict(data[2:], "utf-16-le"), "utf-16"
    if data.startswith(b"\xfe\xff"):
        return _strict(data[2:], "utf-16-be"), "utf-16"
    head = data[:4096]
    if len(head) >= 8:
        if head[1::2].count(0) > 0.9 * len(head[1::2]):
            return _strict(data, "utf-16-le"), "utf-16-le"
        if head[0::2].count(0) > 0.9 * len(head[0::2]):
            return _strict(data, "utf-16-be"), "utf-16-be"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; take them as Latin-1 controls
        return data.decode("latin-1"), "latin-1"


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ReadError(
            f"Filen säger sig vara {label(encoding)} men innehåller ogiltiga tecken "
            f"(byte {exc.start})."
        ) from exc


def has_mojibake(text: str) -> bool:
    return MOJIBAKE.search(text) is not None


def repair(text: str) -> str | None:
    """The repaired text, or None when the repair is not unambiguous."""
    fixed = ftfy.fix_encoding(text)
    if MOJIBAKE.search(fixed) or ("\ufffd" in fixed and "\ufffd" not in text):
        return None
    return fixed


def repair_lines(text: str) -> tuple[str, list[str]]:
    """Repair a decoded text file line by line. Returns (text, problems)."""
    if not has_mojibake(text):
        return text, []
    lines = text.split("\n")
    first = None
    n = 0
    for i, line in enumerate(lines):
        if MOJIBAKE.search(line):
            fixed = repair(line)
            if fixed is None:
                raise ReadError(MSG_IRREPARABLE.format(where=f" (rad {i + 1})"))
            lines[i] = fixed
            n += 1
            if first is None:
                first = f"rad {i + 1}"
    return "\n".join(lines), [
        MSG_REPAIRED.format(n=n, what="rader" if n != 1 else "rad", first=first)
    ]


def repair_cells(rows: Iterable[list[object]], row_numbers: list[int]) -> list[str]:
    """Repair string cells in place (spreadsheets). Returns problems; raises ReadError
    when a cell cannot be repaired."""
    n = 0
    first = None
    cache: dict[str, str | None] = {}
    for r, row in enumerate(rows):
        if row.count("") == len(row):
            continue
        for j, v in enumerate(row):
            if isinstance(v, str) and ("Ã" in v or "Â" in v or "â" in v) and MOJIBAKE.search(v):
                if v not in cache:
                    cache[v] = repair(v)
                fixed = cache[v]
                if fixed is None:
                    raise ReadError(MSG_IRREPARABLE.format(where=f" (rad {row_numbers[r]})"))
                row[j] = fixed
                n += 1
                if first is None:
                    first = f"rad {row_numbers[r]}"
    if not n:
        return []
    return [MSG_REPAIRED.format(n=n, what="celler" if n != 1 else "cell", first=first)]
