"""Report writers: HTML per unit with an index, and the XLSX action list."""

from __future__ import annotations

from pathlib import Path

from auditor.findings.result import RunResult
from auditor.report.csv_writer import write_csv
from auditor.report.html import render_html, write_html
from auditor.report.xlsx import write_xlsx

__all__ = ["render_html", "write_csv", "write_html", "write_reports", "write_xlsx"]


def write_reports(
    result: RunResult, out_dir: Path, *, template_dir: Path | None = None
) -> list[Path]:
    """Write ``index.html``, one HTML report per unit, ``findings.xlsx`` and ``findings.csv``
    to ``out_dir``.

    ``result`` must already have passed ``auditor.privacy.protect``. Returns the files written.
    """
    out_dir = Path(out_dir)
    paths = write_html(result, out_dir, template_dir)
    paths.append(write_xlsx(result, out_dir / "findings.xlsx"))
    paths.append(write_csv(result, out_dir / "findings.csv"))
    return paths
