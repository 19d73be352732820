"""One raw table -> one LoadedInput: header row, kind, mapping, typed frame, accounting."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from auditor.ingest.header import HEADER_SCAN_ROWS, KindMatch, find_header_row, label, row_texts
from auditor.ingest.kinds import recognise
from auditor.ingest.limits import oversized_rows
from auditor.ingest.profile import MappingProfile
from auditor.ingest.rows import classify_rows
from auditor.ingest.table import RawTable
from auditor.model.accounting import InputReport
from auditor.model.normalise import BLANK, is_blank, type_table


@dataclass
class LoadedInput:
    report: InputReport
    kind: str | None
    frame: pd.DataFrame | None
    columns: frozenset[str]


def unreadable(report: InputReport, error: str, closest: str | None = None) -> LoadedInput:
    report.kind = "unreadable"
    report.error = error
    report.closest_kind = closest
    return LoadedInput(report, None, None, frozenset())


def skipped(report: InputReport, why: str) -> LoadedInput:
    report.kind = "skipped"
    report.error = why
    return LoadedInput(report, None, None, frozenset())


def _what(sheet: str | None) -> str:
    return f"Bladet '{sheet}'" if sheet else "Filen"


def load_table(
    table: RawTable,
    report: InputReport,
    file_name: str,
    profile: MappingProfile | None,
    whole_file_empty_is_error: bool,
) -> LoadedInput:
    for p in table.problems:
        if isinstance(p, tuple):
            report.problem(*p)
        else:
            report.problem(p)
    if table.error:
        return unreadable(report, table.error)
    rows = table.rows
    end = len(rows)
    while end and all(is_blank(v) for v in rows[end - 1]):
        end -= 1
    if end == 0:
        if whole_file_empty_is_error:
            return unreadable(report, f"{_what(table.sheet)} är tom.")
        return skipped(report, f"{_what(table.sheet)} är tomt." if table.sheet else "Filen är tom.")

    names = (file_name, table.sheet or "")
    h, _score = find_header_row(rows[:end], profile.all_keys() if profile else frozenset())
    if h is None:
        first = next(i for i in range(end) if not all(is_blank(v) for v in rows[i]))
        first_texts = row_texts(rows[first])
        rec = recognise(first_texts, names, table.sheet, profile)
        shown = ", ".join(t for t in first_texts if t)[:200]
        return unreadable(
            report,
            f"{_what(table.sheet)} kändes inte igen som någon exporttyp: ingen av de första "
            f"{HEADER_SCAN_ROWS} raderna har minst två kända kolumnrubriker (första raden: {shown}).",
            rec.closest,
        )
    texts = row_texts(rows[h])
    rec = recognise(texts, names, table.sheet, profile)
    if rec.kind is None or rec.match is None:
        return unreadable(report, rec.error or "Okänd exporttyp.", rec.closest)

    km = rec.match
    kind = km.kind
    report.kind = kind.name
    report.mapping = km.headers
    _mapping_problems(km, report, profile, header_row=table.row_numbers[h])

    data = rows[h + 1 : end]
    numbers = table.row_numbers[h + 1 : end]
    report.rows_read = len(data)
    if not data:
        report.problem(
            f"{_what(table.sheet)} har bara en rubrikrad (rad {table.row_numbers[h]}) och inga "
            "datarader; inget från den granskades. Kontrollera att exporten inte blev avbruten "
            "eller filtrerad.",
            table.row_numbers[h],
        )
    data, numbers = _drop_blank_rows(data, numbers, report)
    big = oversized_rows(data, texts)
    if big:
        drop = set()
        for i, header, why in big:
            report.reject(why, numbers[i], header)
            drop.add(i)
        data = [r for i, r in enumerate(data) if i not in drop]
        numbers = [n for i, n in enumerate(numbers) if i not in drop]
    colmap = km.colmap
    id_index = colmap.get("personnummer", colmap.get("system_id"))
    outcome = classify_rows(data, id_index, sum(1 for t in texts if t))
    frame, columns = type_table(
        data, numbers, outcome, kind, colmap, km.headers, report, report.path, table.sheet
    )
    if not report.balanced:  # a bug, never the user's file: say so rather than lose rows
        raise AssertionError(f"row accounting does not add up for {report.path}")
    return LoadedInput(report, kind.name, frame, columns)


def _mapping_problems(
    km: KindMatch, report: InputReport, profile: MappingProfile | None, header_row: int
) -> None:
    kind = km.kind
    for m in km.matches.values():
        if m.how == "fuzzy":
            report.problem(
                f"Rubriken '{m.header}' tolkades som '{label(kind, m.column)}' (likhet {m.score:.0f} %). "
                "Kontrollera att det stämmer.",
                header_row,
                m.header,
            )
    for header, winner in km.duplicates:
        report.problem(
            f"Rubriken '{header}' avser samma kolumn som '{winner.header}' "
            f"({label(kind, winner.column)}); den första används.",
            header_row,
            header,
        )
    if profile:
        for column, headers in profile.columns.get(kind.name, {}).items():
            if column not in km.matches:
                wanted = " / ".join(f"'{h}'" for h in headers)
                report.problem(
                    f"Mappningsprofilen anger {wanted} för {label(kind, column)}, men ingen sådan rubrik finns."
                )


def _drop_blank_rows(
    data: list[list[object]], numbers: list[int], report: InputReport
) -> tuple[list[list[object]], list[int]]:
    """Exclude blank rows in one C-speed pass (a sheet with one cell far below its table
    has a million of them)."""
    keep = [i for i, row in enumerate(data) if row.count("") + row.count(None) != len(row)]
    if len(keep) == len(data):
        return data, numbers
    report.exclude(BLANK, len(data) - len(keep))
    return [data[i] for i in keep], [numbers[i] for i in keep]
