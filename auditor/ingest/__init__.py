"""Ingest: files on disk -> typed canonical frames with complete row accounting.

``read_inputs(paths, mapping)`` returns one ``LoadedInput`` per file, and one per
sheet of a workbook. A file that cannot be read becomes ``report.kind ==
"unreadable"`` with a Swedish ``report.error``; the other files go on.
"""

from __future__ import annotations

from pathlib import Path

from auditor.ingest.csv_reader import read_text_table
from auditor.ingest.discover import Candidate, discover, sha256_file
from auditor.ingest.load import LoadedInput, load_table, skipped, unreadable
from auditor.ingest.profile import MappingProfile, MappingProfileError
from auditor.ingest.safety import is_encrypted_ole2, sniff
from auditor.ingest.table import RawTable, ReadError
from auditor.ingest.xls_reader import read_html, read_xls
from auditor.ingest.xlsx_reader import read_workbook
from auditor.model.accounting import InputReport
from auditor.model.normalise import is_blank

__all__ = ["LoadedInput", "MappingProfile", "MappingProfileError", "read_candidate", "read_inputs"]


def read_inputs(
    paths: list[Path | str],
    mapping: MappingProfile | None = None,
    *,
    base: Path | None = None,
    exclude: list[Path] | None = None,
) -> list[LoadedInput]:
    """Read every input; never raises for a user's file. Folders in ``exclude`` (the
    output folder) are not read."""
    out: list[LoadedInput] = []
    for cand in discover(list(paths), base, exclude):
        out.extend(read_candidate(cand, mapping))
    return out


def read_candidate(cand: Candidate, mapping: MappingProfile | None = None) -> list[LoadedInput]:
    """One input found by ``discover``, read as ``read_inputs`` reads it (so that files can
    be read in parallel, one call per file)."""
    try:
        return _read_one(cand, mapping)
    except Exception as exc:  # the file boundary: one file never stops the batch
        return [unreadable(InputReport(path=cand.display), _unexpected(exc))]


def _read_tables(path: Path) -> tuple[list[RawTable], bool]:
    """(tables, is_workbook)."""
    what = sniff(path)
    if what == "zip":
        return read_workbook(path), True
    if what == "ole2":
        if is_encrypted_ole2(path):
            raise ReadError("Filen är krypterad (lösenordsskyddad) och kan inte läsas. Spara en kopia utan lösenord.")
        return read_xls(path), True
    if what == "html":
        return read_html(path), False
    if what == "text":
        return [read_text_table(path)], False
    if what == "empty":
        raise ReadError("Filen är tom (0 byte).")
    if what == "xml":
        raise ReadError(
            "Filen är ett XML-kalkylblad (Excel 2003) som inte kan läsas; spara om som .xlsx."
        )
    raise ReadError("Filen innehåller binära data och är varken en text- eller Excel-export.")


def _read_one(cand: Candidate, profile: MappingProfile | None) -> list[LoadedInput]:
    if cand.missing:
        return [unreadable(InputReport(path=cand.display), "Filen eller mappen finns inte.")]
    if cand.error:
        return [unreadable(InputReport(path=cand.display), cand.error)]
    sha = sha256_file(cand.path) if cand.regular else ""
    if cand.skip:
        return [skipped(InputReport(path=cand.display, sha256=sha), cand.skip)]
    try:
        tables, workbook = _read_tables(cand.path)
    except ReadError as exc:
        return [unreadable(InputReport(path=cand.display, sha256=sha), str(exc))]
    except PermissionError:
        return [
            unreadable(
                InputReport(path=cand.display, sha256=sha),
                "Filen kunde inte öppnas (saknar behörighet eller är låst).",
            )
        ]
    except MemoryError:
        return [
            unreadable(
                InputReport(path=cand.display, sha256=sha),
                "Filen är för stor för att läsas i minnet.",
            )
        ]
    except Exception as exc:  # never a traceback for a user's file
        return [unreadable(InputReport(path=cand.display, sha256=sha), _unexpected(exc))]
    if not tables:
        return [
            unreadable(
                InputReport(path=cand.display, sha256=sha), "Arbetsboken har inga kalkylblad."
            )
        ]
    if workbook and all(not _has_cells(t) and not t.error for t in tables):
        return [
            unreadable(
                InputReport(path=cand.display, sha256=sha),
                "Arbetsboken är tom (inga ifyllda blad).",
            )
        ]
    out = []
    for table in tables:
        report = InputReport(path=cand.display, sheet=table.sheet, sha256=sha)
        try:
            out.append(load_table(table, report, cand.path.name, profile, not workbook))
        except Exception as exc:
            fresh = InputReport(path=cand.display, sheet=table.sheet, sha256=sha)
            out.append(unreadable(fresh, _unexpected(exc)))
    return out


def _has_cells(table: RawTable) -> bool:
    return any(not is_blank(v) for row in table.rows for v in row)


def _unexpected(exc: BaseException) -> str:
    """A Swedish message for an error nobody foresaw; no internal English shows through."""
    if isinstance(exc, RecursionError):
        return "Filen är för djupt nästlad för att läsas och hoppades över."
    if isinstance(exc, UnicodeError):
        return "Filen har tecken som inte kunde avkodas i någon känd teckenkodning."
    if isinstance(exc, OSError):
        return "Filen kunde inte läsas från disken (in/ut-fel)."
    return (
        "Filen kunde inte läsas: den är skadad eller har ett oväntat innehåll. Kontrollera att "
        "den är en oskadad export, eller exportera den på nytt."
    )
