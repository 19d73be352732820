"""``auditor history forget --before DATE``: retention for audit material.

Removes every run whose as-of date is before ``DATE`` with all its findings, and the review
decisions made before ``DATE`` about findings that no remaining run holds. Deleted content
is overwritten (``secure_delete``) and the file is compacted (``VACUUM``), so nothing of it
remains readable in the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from auditor.history.store import open_history


@dataclass
class ForgetReport:
    runs: int
    findings: int
    reviews: int
    remaining_runs: int

    def lines(self, before: date) -> list[str]:
        if not self.runs and not self.reviews:
            return [f"Inga granskningar före {before.isoformat()} fanns i historiken. {self.remaining_runs} finns kvar."]
        return [
            f"Tog bort {self.runs} {'granskning' if self.runs == 1 else 'granskningar'} med granskningsdatum före "
            f"{before.isoformat()} ({self.findings} fynd) och {self.reviews} granskningsbeslut som bara gällde dem.",
            f"{self.remaining_runs} {'granskning' if self.remaining_runs == 1 else 'granskningar'} finns kvar.",
        ]


def forget_before(path: Path, before: date) -> ForgetReport:
    cutoff = before.isoformat()
    with open_history(Path(path), create=False) as history:
        with history.transaction() as con:
            runs = con.execute("SELECT count(*) FROM runs WHERE as_of < ?", (cutoff,)).fetchone()[0]
            findings = con.execute(
                "SELECT count(*) FROM findings WHERE run_id IN (SELECT id FROM runs WHERE as_of < ?)", (cutoff,)
            ).fetchone()[0]
            con.execute("DELETE FROM runs WHERE as_of < ?", (cutoff,))  # children cascade
            reviews = con.execute(
                "DELETE FROM reviews WHERE date < ? AND finding_id NOT IN (SELECT id FROM findings)", (cutoff,)
            ).rowcount
            remaining = con.execute("SELECT count(*) FROM runs").fetchone()[0]
        history.con.execute("VACUUM")
    return ForgetReport(runs, findings, reviews, remaining)


def list_runs(path: Path) -> list[str]:
    """One line per recorded run, oldest period first."""
    with open_history(Path(path), create=False) as history:
        rows = history.con.execute(
            """
            SELECT r.period_from, r.period_to, r.as_of, r.recorded_at, r.pseudonymized,
                   (SELECT count(*) FROM findings f WHERE f.run_id = r.id),
                   (SELECT group_concat(unit, ', ') FROM (SELECT unit FROM run_units u WHERE u.run_id = r.id ORDER BY unit))
            FROM runs r ORDER BY r.period_to, r.as_of, r.id
            """
        ).fetchall()
        reviews = history.con.execute("SELECT count(DISTINCT finding_id) FROM reviews").fetchone()[0]
    if not rows:
        return [f"Historiken {path} har inga granskningar ännu."]
    out = [f"{len(rows)} {'granskning' if len(rows) == 1 else 'granskningar'} i {path}:"]
    for p_from, p_to, as_of, recorded, pseudo, n, units in rows:
        flag = ", pseudonymiserad" if pseudo else ""
        out.append(f"  period {p_from} – {p_to}, granskningsdatum {as_of}: {n} fynd{flag} (körd {recorded}); {units or '–'}")
    out.append(f"Granskningsbeslut finns för {reviews} fynd.")
    return out
