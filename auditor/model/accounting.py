"""Row accounting: every input row is used, excluded (with reason) or rejected (with reason)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Problem:
    """Something wrong in an input, in Swedish, pointing at row and column where it can."""

    message: str
    row: int | None = None
    column: str | None = None

    def to_json(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class InputReport:
    """What happened to one input file (or one sheet of a workbook)."""

    path: str
    sheet: str | None = None
    sha256: str = ""
    kind: str = "unreadable"  # journal|uppdrag|plan|besok|avvikelse|vistelse|skipped|unreadable
    rows_read: int = 0
    rows_used: int = 0
    rows_excluded: int = 0
    rows_rejected: int = 0
    excluded: Counter = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    # Whole-input outcome, in Swedish, when the input was skipped or rejected whole.
    error: str | None = None
    # For a sheet/file matching no kind: the kind it came closest to.
    closest_kind: str | None = None
    # canonical column -> header as written in the export
    mapping: dict[str, str] = field(default_factory=dict)

    def exclude(self, reason: str, n: int = 1) -> None:
        self.rows_excluded += n
        self.excluded[reason] += n

    def reject(self, message: str, row: int | None, column: str | None = None) -> None:
        self.rows_rejected += 1
        self.problems.append(Problem(message, row, column))

    def problem(self, message: str, row: int | None = None, column: str | None = None) -> None:
        self.problems.append(Problem(message, row, column))

    @property
    def rejected_whole(self) -> bool:
        return self.kind == "unreadable"

    @property
    def balanced(self) -> bool:
        return self.rows_read == self.rows_used + self.rows_excluded + self.rows_rejected

    def to_json(self) -> dict:
        out = {
            "path": self.path,
            "sheet": self.sheet,
            "sha256": self.sha256,
            "kind": self.kind,
            "rows_read": self.rows_read,
            "rows_used": self.rows_used,
            "rows_excluded": self.rows_excluded,
            "rows_rejected": self.rows_rejected,
            "excluded": dict(sorted(self.excluded.items())),
            "problems": [p.to_json() for p in self.problems],
        }
        if self.error:
            out["error"] = self.error
        if self.closest_kind:
            out["closest_kind"] = self.closest_kind
        return out
