"""Cheap checks before a file is opened: what it really is, and whether it is safe.

A file is sniffed by its first bytes, not its extension: an XLSX renamed .csv is
read as XLSX, a tab-separated text saved as .xls as text, and a binary file named
.csv is refused. A zip (XLSX) is checked from its central directory before any
member is decompressed, so a zip bomb is refused in milliseconds.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from auditor.ingest.table import ReadError

HEAD_BYTES = 64 * 1024
MAX_TEXT_BYTES = 200 * 1024 * 1024  # a CSV larger than this is refused (about 1 M notes;
# reading one takes about 8 times its size in memory)
MAX_ZIP_MEMBERS = 10_000
MAX_MEMBER_BYTES = 1024 * 1024 * 1024  # uncompressed size of one part of a workbook
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
MAX_RATIO = 200  # compression ratio above which a large member is taken as a bomb
RATIO_FLOOR = 32 * 1024 * 1024  # ... when it would inflate to more than this

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:,.0f} MB".replace(",", " ")


def sniff(path: Path) -> str:
    """'zip', 'ole2', 'html', 'xml', 'text', 'binary' or 'empty'."""
    from auditor.ingest.discover import open_regular

    try:
        fh = open_regular(path)
    except IsADirectoryError as exc:
        raise ReadError(str(exc)) from exc
    with fh:
        head = fh.read(HEAD_BYTES)
    if not head:
        return "empty"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith(OLE2_MAGIC):
        return "ole2"
    from auditor.ingest.encoding import detect

    if detect(head) != "utf-8":  # BOM, or UTF-16/32 without one
        return "text"
    if head.count(b"\x00") > max(16, len(head) // 100):  # a few stray NULs are repaired
        return "binary"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"<"):
        if b"<table" in start or start.startswith((b"<html", b"<!doctype html")):
            return "html"
        if b"urn:schemas-microsoft-com:office:spreadsheet" in start:
            return "xml"
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 26))
    if controls > max(16, len(head) // 100):
        return "binary"
    return "text"


def check_text_size(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        raise ReadError(
            f"Filen är för stor för att läsas som text ({_mb(size)}, gränsen är {_mb(MAX_TEXT_BYTES)}). "
            "Dela upp exporten i flera filer."
        )


def check_zip(path: Path) -> zipfile.ZipFile:
    """Open a workbook's zip after checking its declared sizes. The caller closes it."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ReadError("Filen är inte en giltig Excel-fil (trasig zip-struktur).") from exc
    try:
        infos = zf.infolist()
        if len(infos) > MAX_ZIP_MEMBERS:
            raise ReadError(f"Filen har orimligt många delar ({len(infos)}) och lästes inte.")
        total = 0
        for info in infos:
            size, packed = info.file_size, max(info.compress_size, 1)
            total += size
            if size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES:
                raise ReadError(
                    f"Filen packas upp till mer än {_mb(min(MAX_MEMBER_BYTES, MAX_TOTAL_BYTES))} "
                    "och lästes inte (möjlig zip-bomb)."
                )
            if size > RATIO_FLOOR and size / packed > MAX_RATIO:
                raise ReadError(
                    f"Filen är misstänkt hårt packad ({size // packed}:1, {_mb(size)} uppackat) "
                    "och lästes inte (möjlig zip-bomb)."
                )
            if info.flag_bits & 0x1:
                raise ReadError(
                    "Filen är krypterad (lösenordsskyddad) och kan inte läsas. Spara en kopia utan lösenord."
                )
    except BaseException:
        zf.close()
        raise
    return zf


def is_encrypted_ole2(path: Path) -> bool:
    """An OLE2 container holding an encrypted OOXML workbook (Excel's "Encrypt with
    password" wraps the .xlsx in OLE2 with EncryptionInfo and EncryptedPackage streams)."""
    from auditor.ingest.discover import open_regular

    with open_regular(path) as fh:
        head = fh.read(4 * 1024 * 1024)
    return "EncryptionInfo".encode("utf-16-le") in head or "EncryptedPackage".encode("utf-16-le") in head
