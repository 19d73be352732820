"""The Swedish lookup table of word forms and their lemmas (spacy-lookups-data's
``sv_lemma_lookup``, about 660,000 forms), read on demand.

Parsing the packaged JSON and building a dict of 660,000 entries costs about half a second
in every process that analyses text: for a unit's month that is more than the text itself.
So the table is copied once into an SQLite file in the user's cache folder (``auditor`` under
the platform's cache directory, or ``AUDITOR_CACHE_DIR``) and each process asks it only for
the words it meets, remembering every answer. A process that asks for very many words (a
large, varied input) loads the whole table instead, which is then cheaper.

The copy holds only the public word list, never journal text. It is keyed by the source
file's size and modification time and this module's format, and rebuilt when either changes.
Where the cache folder cannot be written, the table is read from the package as before.
Either way the answers are the same.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import sqlite3
import tempfile
from collections.abc import Iterable
from pathlib import Path

FORMAT = 1
CACHE_ENV = "AUDITOR_CACHE_DIR"
# After this many distinct words asked of SQLite (about 0.5 s of queries) the whole table is
# loaded into memory instead.
LOAD_WHOLE_AFTER = 100_000

_FORM = "SELECT lemma FROM forms WHERE form = ?"
_IS_LEMMA = "SELECT 1 FROM forms WHERE lemma = ? LIMIT 1"


def source_path() -> Path:
    import spacy_lookups_data

    return Path(spacy_lookups_data.__file__).parent / "data" / "sv_lemma_lookup.json.gz"


def cache_dir() -> Path:
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    import platformdirs

    return Path(platformdirs.user_cache_dir("auditor", appauthor=False))


def _read_source(path: Path) -> dict[str, str]:
    with gzip.open(path, "rb") as fh:
        data = json.loads(fh.read())
    return {str(k): str(v) for k, v in data.items()}


def _signature(path: Path) -> str:
    st = path.stat()
    return f"{FORMAT}:{st.st_size}:{st.st_mtime_ns}"


def _open_copy(db: Path, signature: str) -> sqlite3.Connection | None:
    """The cached copy, read-only, if it exists and was made from this source."""
    if not db.is_file():
        return None
    try:
        con = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'signature'").fetchone()
    except sqlite3.Error:  # not a copy of ours, or a damaged one: made again
        row = None
    if row is None or row[0] != signature:
        con.close()
        return None
    return con


def _build_copy(db: Path, signature: str, table: dict[str, str]) -> None:
    """Write the copy beside its final name and move it into place (two processes building at
    once each write their own file; the last move wins, and both files are the same)."""
    db.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=db.name + ".", suffix=".tmp", dir=db.parent)
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        try:
            con.execute("PRAGMA journal_mode = OFF")
            con.execute("PRAGMA synchronous = OFF")
            con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            con.execute(
                "CREATE TABLE forms (form TEXT PRIMARY KEY, lemma TEXT NOT NULL) WITHOUT ROWID"
            )
            con.executemany("INSERT INTO forms VALUES (?, ?)", sorted(table.items()))
            con.execute("CREATE INDEX forms_lemma ON forms(lemma)")
            con.execute("INSERT INTO meta VALUES ('signature', ?)", (signature,))
            con.commit()
        finally:
            con.close()
        os.replace(tmp, db)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


class LemmaTable:
    """Form -> lemma, and whether a word is some form's lemma; answers as a dict would."""

    def __init__(self, source: Path | None = None, cache: Path | None = None) -> None:
        self._source = source or source_path()
        self._cache = cache if cache is not None else cache_dir()
        self._pid = os.getpid()
        self._forms: dict[str, str] | None = None
        self._lemmas: frozenset[str] | None = None
        self._con: sqlite3.Connection | None = None
        self._memo: dict[str, str | None] = {}
        self._lemma_memo: dict[str, bool] = {}
        self._asked = 0
        self._connect()

    @property
    def on_demand(self) -> bool:
        """True while answers come from the cached copy (False: the table is in memory)."""
        return self._forms is None

    def _connect(self) -> None:
        db = self._cache / "sv_lemma_lookup.sqlite"
        signature = _signature(self._source)
        con = _open_copy(db, signature)
        if con is None:
            table = _read_source(self._source)
            try:
                _build_copy(db, signature, table)
            except (OSError, sqlite3.Error):
                con = None
            else:
                con = _open_copy(db, signature)
            if con is None:  # the cache folder cannot be written: keep the table in memory
                self._whole(table)
                return
        self._con = con

    def _whole(self, table: dict[str, str]) -> None:
        self._forms = table
        self._lemmas = frozenset(table.values())
        if self._con is not None:
            self._con.close()
            self._con = None

    def _query(self, sql: str, word: str) -> tuple | None:
        if self._pid != os.getpid():  # a forked child never shares its parent's connection
            self._pid = os.getpid()
            self._con = None
            self._connect()
            if self._forms is not None:
                return None
        self._asked += 1
        if self._asked > LOAD_WHOLE_AFTER:
            assert self._con is not None
            self._whole(dict(self._con.execute("SELECT form, lemma FROM forms")))
            return None
        assert self._con is not None
        return self._con.execute(sql, (word,)).fetchone()

    def get(self, word: str) -> str | None:
        """The lemma of a form, or None for a word the table does not have."""
        if self._forms is not None:
            return self._forms.get(word)
        memo = self._memo
        if word in memo:
            return memo[word]
        row = self._query(_FORM, word)
        if self._forms is not None:
            return self._forms.get(word)
        lemma = memo[word] = row[0] if row else None
        return lemma

    def __contains__(self, word: str) -> bool:
        return self.get(word) is not None

    def is_lemma(self, word: str) -> bool:
        """Whether the word is the lemma of some form."""
        if self._lemmas is not None:
            return word in self._lemmas
        memo = self._lemma_memo
        got = memo.get(word)
        if got is not None:
            return got
        row = self._query(_IS_LEMMA, word)
        if self._lemmas is not None:
            return word in self._lemmas
        got = memo[word] = row is not None
        return got

    def forms_of(self, lemmas: Iterable[str], min_length: int) -> list[str]:
        """Every form of these lemmas with at least ``min_length`` characters, sorted."""
        wanted = sorted(set(lemmas))
        if self._forms is not None:
            keep = set(wanted)
            return sorted(f for f, lemma in self._forms.items()
                          if lemma in keep and len(f) >= min_length)
        assert self._con is not None
        out: list[str] = []
        for i in range(0, len(wanted), 500):  # SQLite's limit on parameters
            part = wanted[i:i + 500]
            marks = ",".join("?" * len(part))
            out += [f for (f,) in self._con.execute(
                f"SELECT form FROM forms WHERE lemma IN ({marks}) AND length(form) >= ?",
                (*part, min_length))]
        return sorted(out)
