"""A raw table: the cells of one CSV file or one sheet, before headers are known."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RawTable:
    # cell values: str, or for spreadsheets also float/int/bool/datetime/date/time
    rows: list[list[object]]
    # the row number a person sees for each row (sheet row, or CSV line where it starts)
    row_numbers: list[int]
    sheet: str | None = None
    # Swedish notes from the reader (encoding repaired, hidden rows, ...)
    problems: list = field(default_factory=list)  # str, or (str, row)
    # the whole table refused by the reader (Swedish), e.g. irreparable mojibake
    error: str | None = None


class ReadError(Exception):
    """A file that cannot be read at all; the message is Swedish, for the user."""
