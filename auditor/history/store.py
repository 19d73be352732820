"""Opening the history file: creation with mode 0600, locking, schema version and migrations.

The history is one SQLite file (standard library ``sqlite3``, rollback journal, no server).
Every change happens in one transaction: a run that is interrupted halfway leaves the file
as it was. Two runs against one file take turns: the second waits up to ``BUSY_TIMEOUT``
seconds for the first and then stops with a Swedish message, without touching the file.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from auditor.history.schema import APPLICATION_ID, CURRENT_VERSION, MIGRATIONS, V1, run_script

HISTORY_FILENAME = "historik.sqlite"
BUSY_TIMEOUT = 30.0  # seconds a run waits for another run holding the history


class HistoryError(Exception):
    """The history cannot be used; the message is Swedish and names the file."""


def default_path(out_dir: Path) -> Path:
    return Path(out_dir) / HISTORY_FILENAME


def _create_private(path: Path) -> None:
    """Create an empty file readable and writable by the user alone (0600), whatever the umask."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(fd)
    os.chmod(path, 0o600)


def _locked(exc: sqlite3.Error) -> bool:
    text = str(exc).casefold()
    return "locked" in text or "busy" in text


def _describe(path: Path, exc: sqlite3.Error) -> HistoryError:
    if _locked(exc):
        return HistoryError(
            f"Historiken {path} används av en annan körning just nu (väntade {BUSY_TIMEOUT:.0f} s). "
            "Vänta tills den är klar och kör igen; historiken är oförändrad."
        )
    if isinstance(exc, sqlite3.DatabaseError) and "not a database" in str(exc).casefold():
        return HistoryError(f"{path} är ingen historikfil från auditor (filen kunde inte läsas som databas).")
    return HistoryError(f"Historiken {path} kunde inte användas: {exc}. Historiken är oförändrad.")


class History:
    """An open history file. Use ``open_history``; close with ``close()`` or ``with``."""

    def __init__(self, path: Path, con: sqlite3.Connection):
        self.path = path
        self.con = con

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (BEGIN IMMEDIATE) so two runs cannot both
        read a state the other is about to change. Rolled back on any exception, including
        KeyboardInterrupt."""
        try:
            self.con.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _describe(self.path, exc) from exc
        try:
            yield self.con
        except BaseException:
            self.con.rollback()
            raise
        try:
            self.con.commit()
        except sqlite3.Error as exc:
            self.con.rollback()
            raise _describe(self.path, exc) from exc

    def version(self) -> int:
        return int(self.con.execute("PRAGMA user_version").fetchone()[0])


def _prepare(path: Path, con: sqlite3.Connection) -> None:
    """Create the schema in a new file, or migrate an older one; all in one transaction."""
    app_id = con.execute("PRAGMA application_id").fetchone()[0]
    version = con.execute("PRAGMA user_version").fetchone()[0]
    tables = con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if app_id != APPLICATION_ID and (tables or version):
        raise HistoryError(
            f"{path} är ingen historikfil från auditor. Ange en annan fil med --history, "
            "eller --no-history."
        )
    if version > CURRENT_VERSION:
        raise HistoryError(
            f"Historiken {path} är skapad av en nyare version av auditor (schemaversion {version}; "
            f"den här versionen kan läsa till och med {CURRENT_VERSION}). Uppdatera auditor."
        )
    if version == CURRENT_VERSION:
        return
    con.execute("BEGIN IMMEDIATE")
    try:
        if version == 0:
            run_script(con, V1)
            version = 1
        while version < CURRENT_VERSION:
            MIGRATIONS[version](con)
            version += 1
        con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        con.execute(f"PRAGMA user_version = {CURRENT_VERSION}")
        con.commit()
    except BaseException:
        con.rollback()
        raise


def open_history(path: Path, *, create: bool = True, timeout: float | None = None) -> History:
    """Open (and with ``create`` make, mode 0600) the history at ``path``, migrated to the
    current schema. Raises ``HistoryError`` with a Swedish message."""
    path = Path(path)
    if not path.exists():
        if not create:
            raise HistoryError(f"Hittar ingen historik i {path}. Ange filen med --history.")
        try:
            _create_private(path)
        except OSError as exc:
            raise HistoryError(f"Historiken {path} kan inte skapas: {exc.strerror or exc}.") from exc
    elif path.is_dir():
        raise HistoryError(f"{path} är en mapp; --history ska vara en fil.")
    try:
        con = sqlite3.connect(path, timeout=BUSY_TIMEOUT if timeout is None else timeout, isolation_level=None)
    except sqlite3.Error as exc:
        raise _describe(path, exc) from exc
    try:
        con.execute("PRAGMA foreign_keys = ON")
        # Deleted rows (history forget, replaced reruns) are overwritten, not left in free pages.
        con.execute("PRAGMA secure_delete = ON")
        _prepare(path, con)
    except HistoryError:
        con.close()
        raise
    except sqlite3.Error as exc:
        con.close()
        raise _describe(path, exc) from exc
    return History(path, con)
