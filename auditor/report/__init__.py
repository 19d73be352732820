"""Report writers: HTML per unit with an index, and the XLSX action list."""

from __future__ import annotations

from pathlib import Path

from auditor.findings.result import RunResult
from auditor.report.csv_writer import write_csv
from auditor.report.html import render_html, write_html
from auditor.report.xlsx import write_xlsx

__all__ = ["REPORT_PARTS", "render_html", "write_csv", "write_html", "write_reports", "write_xlsx"]


# The report files, in the order they are written: the HTML pages, the XLSX, the CSV.
REPORT_PARTS = ("html", "xlsx", "csv")


def write_reports(
    result: RunResult,
    out_dir: Path,
    *,
    template_dir: Path | None = None,
    parts: tuple[str, ...] = REPORT_PARTS,
) -> list[Path]:
    """Write ``index.html``, one HTML report per unit, ``findings.xlsx`` and ``findings.csv``
    to ``out_dir`` (``parts`` may name some of them, for writing them in separate processes).

    ``result`` must already have passed ``auditor.privacy.protect``. Returns the files written.
    """
    unknown = set(parts) - set(REPORT_PARTS)
    if unknown:
        raise ValueError(f"unknown report parts: {sorted(unknown)}")
    out_dir = Path(out_dir)
    paths: list[Path] = []
    if "html" in parts:
        paths += write_html(result, out_dir, template_dir)
    if "xlsx" in parts:
        paths.append(write_xlsx(result, out_dir / "findings.xlsx"))
    if "csv" in parts:
        paths.append(write_csv(result, out_dir / "findings.csv"))
    return paths
