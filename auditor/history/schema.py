"""The history database's schema, versioned with ``PRAGMA user_version``, and its migrations.

Every schema the auditor has ever written is reachable from version 1 by the steps in
``MIGRATIONS``: a file written by an older auditor is brought up to date when it is opened
(in one transaction, so a failed migration leaves the file as it was). A file from a newer
auditor is refused with a Swedish message rather than guessed at.

Version history:
1. runs, their inputs and rule packs, and every finding (id, rule, unit, case, status, ...).
2. findings gain ``basis`` and ``deadline``; the units each run covered (``run_units``); the
   rates each run reported (``run_rates``), so trends show what each month's report said;
   review decisions (``reviews``); the identity scheme of each run (klartext or pseudonyms
   from one key), so runs are only compared with runs whose ids mean the same thing.

``findings.data`` holds the finding's whole record as findings.json has it (without
``change`` and ``review``) for violations and warnings only; for the other findings it is
empty. Nothing reads it to compare runs, so files that hold it for every finding (written
before this rule) need no migration.
"""

from __future__ import annotations

import sqlite3

# "AUDH" as a 32-bit integer: marks a file as an auditor history (PRAGMA application_id).
APPLICATION_ID = 0x41554448
CURRENT_VERSION = 2

V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    run_key TEXT NOT NULL UNIQUE,
    as_of TEXT NOT NULL,
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    tool_version TEXT NOT NULL,
    pseudonymized INTEGER NOT NULL
);
CREATE TABLE run_inputs (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    sheet TEXT,
    kind TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    rows_read INTEGER NOT NULL,
    rows_used INTEGER NOT NULL,
    rows_excluded INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL
);
CREATE TABLE run_packs (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    version TEXT NOT NULL,
    source TEXT NOT NULL,
    valid_until TEXT
);
CREATE TABLE findings (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    rule TEXT NOT NULL,
    unit TEXT NOT NULL,
    case_id TEXT NOT NULL,
    status TEXT NOT NULL,
    severity TEXT NOT NULL,
    date TEXT,
    message TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (run_id, id)
) WITHOUT ROWID;
CREATE INDEX run_inputs_run ON run_inputs(run_id);
CREATE INDEX run_packs_run ON run_packs(run_id);
"""


def run_script(con: sqlite3.Connection, script: str) -> None:
    """Run DDL statements inside the current transaction (``executescript`` would commit)."""
    for statement in script.split(";"):
        if statement.strip():
            con.execute(statement)


def _v1_to_v2(con: sqlite3.Connection) -> None:
    run_script(
        con,
        """
        ALTER TABLE runs ADD COLUMN identity TEXT NOT NULL DEFAULT '';
        ALTER TABLE findings ADD COLUMN basis TEXT NOT NULL DEFAULT 'case';
        ALTER TABLE findings ADD COLUMN deadline TEXT;
        CREATE TABLE run_units (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            unit TEXT NOT NULL,
            PRIMARY KEY (run_id, unit)
        ) WITHOUT ROWID;
        CREATE INDEX run_units_unit ON run_units(unit);
        CREATE TABLE run_rates (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            unit TEXT NOT NULL,
            rule TEXT NOT NULL,
            judged INTEGER NOT NULL,
            violation INTEGER NOT NULL,
            warning INTEGER NOT NULL,
            ok INTEGER NOT NULL,
            not_evaluated INTEGER NOT NULL,
            without_events INTEGER NOT NULL,
            reviewed_away INTEGER NOT NULL,
            PRIMARY KEY (run_id, unit, rule)
        ) WITHOUT ROWID;
        CREATE TABLE reviews (
            seq INTEGER PRIMARY KEY,
            finding_id TEXT NOT NULL,
            rule TEXT NOT NULL,
            decision TEXT NOT NULL,
            comment TEXT NOT NULL,
            reviewer TEXT NOT NULL,
            date TEXT NOT NULL,
            valid_until TEXT,
            source TEXT NOT NULL,
            source_row INTEGER,
            recorded_at TEXT NOT NULL
        );
        CREATE INDEX reviews_finding ON reviews(finding_id, seq);
        CREATE INDEX findings_id ON findings(id);
        """
    )
    # What version 1 files knew: the units each run had findings for, and the rates those
    # findings give (all findings counted on the per-case basis version 1 had; nothing had
    # been reviewed away, since version 1 had no reviews).
    con.execute("INSERT INTO run_units SELECT DISTINCT run_id, unit FROM findings")
    con.execute(
        """
        INSERT INTO run_rates
        SELECT run_id, unit, rule,
               SUM(status IN ('violation', 'warning', 'ok')),
               SUM(status = 'violation'), SUM(status = 'warning'), SUM(status = 'ok'),
               SUM(status = 'not_evaluated'), 0, 0
        FROM findings GROUP BY run_id, unit, rule
        """
    )
    con.execute("UPDATE runs SET identity = CASE pseudonymized WHEN 1 THEN 'pseudonym' ELSE 'klartext' END")


# MIGRATIONS[n] takes a file from version n to version n + 1.
MIGRATIONS = {1: _v1_to_v2}
