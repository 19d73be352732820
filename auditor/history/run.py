"""One audit run against the history: read what earlier runs said, then record this run.

``audit_session`` holds the history's write lock from the first read until the run is
recorded, so two runs against one file cannot both compare with a state the other is about
to change. Recording happens in the same transaction: if anything fails before the commit
(writing the reports, an interrupt), the history stays exactly as it was.

Which runs compare:
- A run is identified by its inputs' hashes, its period, its as-of date and its identity
  scheme (klartext, or pseudonyms from one key). Running the same audit again replaces that
  run (keeping its place) instead of adding one.
- The run a unit is compared with is the latest *earlier* run (by period end, then as-of)
  that covered the unit with the same identity scheme. A rerun therefore compares with what
  the first run compared with, and gives the same outputs.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from auditor.findings.rates import compute_rates
from auditor.findings.result import RunResult
from auditor.history.layer import (
    ACTION_STATUSES,
    CHANGE_NEW,
    CHANGE_REMAINS,
    DECISIONS,
    HistoryLayer,
    ResolvedFinding,
    Review,
    RuleReviewStats,
    RunRef,
    TrendPoint,
    TrendSeries,
    status_group,
)
from auditor.history.store import History, HistoryError, open_history

KLARTEXT = "klartext"


def identity_scheme(pseudonymized: bool, key: bytes | None) -> str:
    """``klartext``, or ``P:`` and a fingerprint of the key (an HMAC of a fixed text, which
    does not reveal the key) so runs with different keys are never compared."""
    if not pseudonymized or key is None:
        return KLARTEXT
    return "P:" + hmac.new(key, b"auditor-historik", hashlib.sha256).hexdigest()[:16]


def run_key(result: RunResult, identity: str) -> str:
    inputs = sorted(
        (r.sha256, r.sheet or "") for r in result.inputs if r.kind not in ("skipped", "unreadable")
    )
    raw = json.dumps(
        [inputs, result.period_from.isoformat(), result.period_to.isoformat(), result.as_of.isoformat(), identity]
    )
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _compatible(identity: str) -> tuple[str, str]:
    """SQL condition values: the same scheme, or a version-1 pseudonymised run (key unknown)
    for a pseudonymised run."""
    return identity, ("pseudonym" if identity.startswith("P:") else identity)


@dataclass
class AuditSession:
    history: History
    result: RunResult
    identity: str
    key: str
    layer: HistoryLayer

    def record(self, recorded_at: datetime | None = None) -> None:
        """Write this run (replacing an earlier run of the same audit) into the open transaction."""
        record_run(self.history.con, self.result, self.key, self.identity, self.layer,
                   recorded_at or datetime.now().replace(microsecond=0))


@contextmanager
def audit_session(path: Path, result: RunResult, *, key: bytes | None) -> Iterator[AuditSession]:
    """Open the history at ``path``, take its write lock and build the run's layer. Call
    ``session.record()`` once the outputs are written; leaving the block commits, an
    exception rolls everything back."""
    identity = identity_scheme(result.pseudonymized, key)
    rk = run_key(result, identity)
    with open_history(path) as history, history.transaction() as con:
        _refuse_mixed_identities(con, history.path, identity)
        layer = build_layer(con, result, rk, identity)
        yield AuditSession(history, result, identity, rk, layer)


def _refuse_mixed_identities(con: sqlite3.Connection, path: Path, identity: str) -> None:
    """A history holds the identities its outputs hold: pseudonymised runs never share a file
    with runs in klartext, in either direction."""
    plain = identity == KLARTEXT
    other = con.execute(
        "SELECT count(*) FROM runs WHERE (identity = ?) != ?", (KLARTEXT, plain)
    ).fetchone()[0]
    if not other:
        return
    if plain:
        raise HistoryError(
            f"Historiken {path} innehåller pseudonymiserade granskningar, men den här körningen är "
            "utan --pseudonymize och skulle spara personnummer och namn i den. Kör med "
            "--pseudonymize, ange en annan historikfil med --history, eller --no-history."
        )
    raise HistoryError(
        f"Historiken {path} innehåller granskningar med personnummer och namn i klartext, men den "
        "här körningen är pseudonymiserad. Ange en egen historikfil med --history (eller "
        "--no-history), eller ta bort de gamla granskningarna med 'auditor history forget'."
    )


def _earlier_run(con: sqlite3.Connection, unit: str, result: RunResult, rk: str, identity: str):
    same, legacy = _compatible(identity)
    return con.execute(
        """
        SELECT r.id, r.as_of, r.period_from, r.period_to FROM runs r
        JOIN run_units u ON u.run_id = r.id AND u.unit = ?
        WHERE r.run_key != ? AND r.identity IN (?, ?)
          AND (r.period_to < ? OR (r.period_to = ? AND r.as_of < ?))
        ORDER BY r.period_to DESC, r.as_of DESC, r.id DESC LIMIT 1
        """,
        (unit, rk, same, legacy, result.period_to.isoformat(), result.period_to.isoformat(),
         result.as_of.isoformat()),
    ).fetchone()


def latest_reviews(con: sqlite3.Connection) -> dict[str, tuple[str, Review]]:
    """finding id -> (rule, its latest decision)."""
    rows = con.execute(
        """
        SELECT finding_id, rule, decision, comment, reviewer, date, valid_until FROM reviews r
        WHERE seq = (SELECT max(seq) FROM reviews WHERE finding_id = r.finding_id)
        """
    )
    return {
        fid: (rule, Review(decision, comment, by, date.fromisoformat(d), _d(until)))
        for fid, rule, decision, comment, by, d, until in rows
    }


def build_layer(con: sqlite3.Connection, result: RunResult, rk: str, identity: str) -> HistoryLayer:
    layer = HistoryLayer(as_of=result.as_of)
    status_now = {f.id: f.status for f in result.findings}

    # Change since the last audit, per unit.
    earlier: dict[str, int] = {}
    refs: dict[int, RunRef] = {}
    for unit in result.units:
        row = _earlier_run(con, unit, result, rk, identity)
        layer.compared[unit] = None
        if row:
            run_id, as_of, p_from, p_to = row
            earlier[unit] = run_id
            refs[run_id] = RunRef(date.fromisoformat(as_of), date.fromisoformat(p_from), date.fromisoformat(p_to))
            layer.compared[unit] = refs[run_id]
    before: dict[int, dict[str, str]] = {}
    resolved: list[ResolvedFinding] = []
    units_of_run: dict[int, set[str]] = defaultdict(set)
    for unit, run_id in earlier.items():
        units_of_run[run_id].add(unit)
    for run_id, units in units_of_run.items():
        statuses: dict[str, str] = {}
        for fid, rule, unit, case, status, d, message in con.execute(
            "SELECT id, rule, unit, case_id, status, date, message FROM findings WHERE run_id = ?", (run_id,)
        ):
            statuses[fid] = status
            if unit in units and status in ACTION_STATUSES and status_now.get(fid) == "ok":
                resolved.append(ResolvedFinding(fid, rule, unit, case, d, message))
        before[run_id] = statuses
    for f in result.findings:
        run_id = earlier.get(f.unit)
        if run_id is None:
            continue
        old = before[run_id].get(f.id)
        same = old is not None and status_group(old) == status_group(f.status)
        layer.changes[f.id] = CHANGE_REMAINS if same else CHANGE_NEW
    resolved.sort(key=lambda r: (r.unit, r.rule, r.case, r.date or "", r.id))
    layer.resolved = resolved

    # Review decisions: the latest per finding; valid false alarms and exceptions set aside.
    reviews = latest_reviews(con)
    away: set[str] = set()
    lapsed: set[str] = set()
    for f in result.findings:
        entry = reviews.get(f.id)
        if entry is None:
            continue
        review = entry[1]
        layer.reviews[f.id] = review
        if f.status in ACTION_STATUSES and review.decision in ("falskt_larm", "motiverad"):
            (lapsed if review.expired(result.as_of) else away).add(f.id)
    layer.reviewed_away = frozenset(away)
    layer.lapsed = frozenset(lapsed)

    # Measured precision per rule, from every finding's latest decision.
    per_rule: dict[str, dict[str, int]] = {r: dict.fromkeys(DECISIONS, 0) for r in {f.rule for f in result.findings}}
    for rule, review in reviews.values():
        per_rule.setdefault(rule, dict.fromkeys(DECISIONS, 0))[review.decision] += 1
    layer.review_stats = [RuleReviewStats(rule, **c) for rule, c in sorted(per_rule.items(), key=lambda kv: _rule_key(kv[0]))]

    layer.trends, layer.runs_in_history = _trends(con, result, rk, identity, layer.reviewed_away)
    return layer


def _rule_key(rule_id: str) -> tuple[str, int, str]:
    head = rule_id.rstrip("0123456789")
    digits = rule_id[len(head):]
    return (head, int(digits) if digits else 0, rule_id)


def _trends(con, result: RunResult, rk: str, identity: str, away: frozenset[str]):
    """Per unit and rule: violations and compliance over every earlier run covering the unit
    (same identity scheme), then this run."""
    same, legacy = _compatible(identity)
    p_to, as_of = result.period_to.isoformat(), result.as_of.isoformat()
    runs = con.execute(
        """
        SELECT id, as_of, period_from, period_to FROM runs
        WHERE run_key != ? AND identity IN (?, ?) AND (period_to < ? OR (period_to = ? AND as_of < ?))
        ORDER BY period_to, as_of, id
        """,
        (rk, same, legacy, p_to, p_to, as_of),
    ).fetchall()
    order = {run_id: i for i, (run_id, *_rest) in enumerate(runs)}
    refs = {run_id: RunRef(date.fromisoformat(a), date.fromisoformat(f), date.fromisoformat(t))
            for run_id, a, f, t in runs}
    series: dict[tuple[str, str], list[TrendPoint]] = defaultdict(list)
    units = set(result.units)
    if runs:
        ids = ",".join(str(r[0]) for r in runs)
        rows = con.execute(
            f"SELECT run_id, unit, rule, judged, violation, reviewed_away FROM run_rates WHERE run_id IN ({ids})"
        ).fetchall()
        rows.sort(key=lambda r: (order[r[0]], r[1], r[2]))
        for run_id, unit, rule, judged, violation, reviewed in rows:
            if unit in units:
                series[(unit, rule)].append(TrendPoint(refs[run_id], judged, violation, reviewed))
    now = RunRef(result.as_of, result.period_from, result.period_to)
    for rate in compute_rates(result.findings, lambda f: f.id in away):
        series[(rate.unit, rate.rule)].append(
            TrendPoint(now, rate.judged, rate.violation, rate.reviewed_away, current=True))
    trends: dict[str, list[TrendSeries]] = defaultdict(list)
    for (unit, rule), points in sorted(series.items(), key=lambda kv: (kv[0][0], _rule_key(kv[0][1]))):
        if points[-1].current:  # rules this run judged for the unit
            trends[unit].append(TrendSeries(unit, rule, points))
    return dict(trends), len(runs) + 1


def record_run(con: sqlite3.Connection, result: RunResult, rk: str, identity: str,
               layer: HistoryLayer, recorded_at: datetime) -> int:
    from auditor import __version__

    values = (result.as_of.isoformat(), result.period_from.isoformat(), result.period_to.isoformat(),
              recorded_at.isoformat(sep=" "), result.version or __version__, int(result.pseudonymized), identity)
    row = con.execute("SELECT id FROM runs WHERE run_key = ?", (rk,)).fetchone()
    if row:
        run_id = row[0]
        for table in ("findings", "run_inputs", "run_packs", "run_units", "run_rates"):
            con.execute(f"DELETE FROM {table} WHERE run_id = ?", (run_id,))
        con.execute(
            "UPDATE runs SET as_of=?, period_from=?, period_to=?, recorded_at=?, tool_version=?, "
            "pseudonymized=?, identity=? WHERE id=?", (*values, run_id))
    else:
        run_id = con.execute(
            "INSERT INTO runs (as_of, period_from, period_to, recorded_at, tool_version, pseudonymized, identity, run_key) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (*values, rk)).lastrowid
    con.executemany(
        "INSERT INTO run_inputs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(run_id, r.path, r.sheet, r.kind, r.sha256, r.rows_read, r.rows_used, r.rows_excluded, r.rows_rejected)
         for r in result.inputs],
    )
    con.executemany(
        "INSERT INTO run_packs VALUES (?, ?, ?, ?, ?)",
        [(run_id, p.name, p.version, p.source, p.valid_until.isoformat() if p.valid_until else None)
         for p in result.packs],
    )
    con.executemany("INSERT INTO run_units VALUES (?, ?)", [(run_id, u) for u in result.units])
    con.executemany(
        "INSERT INTO run_rates VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(run_id, r.unit, r.rule, r.judged, r.violation, r.warning, r.ok, r.not_evaluated,
          r.without_events, r.reviewed_away)
         for r in compute_rates(result.findings, lambda f: f.id in layer.reviewed_away)],
    )
    con.executemany(
        "INSERT OR REPLACE INTO findings (run_id, id, rule, unit, case_id, status, severity, date, message, data, basis, deadline) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        _finding_rows(run_id, result),
    )
    return run_id


# The findings whose whole record (evidence excerpts included) the history keeps in ``data``:
# those someone must act on. For the rest (most of a run: compliant cases and occasions) the
# columns say what the next run compares with, and the journal excerpts that showed
# compliance are not kept for years in a second place.
KEEP_RECORD = frozenset({"violation", "warning"})


def _finding_rows(run_id: int, result: RunResult) -> Iterator[tuple]:
    from auditor.findings.json_writer import FindingEncoder

    encode = FindingEncoder()  # the record as findings.json writes it (without history fields)
    for f in result.findings:
        data = encode(f) if f.status in KEEP_RECORD else ""
        yield (run_id, f.id, f.rule, f.unit, f.case, f.status, f.severity,
               f.date.isoformat() if f.date else None, f.message, data, f.basis,
               f.deadline.isoformat() if f.deadline else None)


__all__ = ["AuditSession", "audit_session", "build_layer", "identity_scheme", "latest_reviews",
           "record_run", "run_key"]
