"""The Swedish lemma table read on demand from its cached copy answers exactly as the packaged
table does, keeps working where no cache can be written, and never reuses a stale copy."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from auditor.nlp import lemma_table
from auditor.nlp.lemma_table import LemmaTable

TABLE = {
    "besökte": "besöka",
    "besöker": "besöka",
    "besök": "besök",
    "besöket": "besök",
    "ringde": "ringa",
    "ringer": "ringa",
    "avböjde": "avböja",
    "hemtjänsten": "hemtjänst",
}
ASKED = [*TABLE, "besöka", "ringa", "hemtjänst", "xyzzy", "", "Besökte", "ringd"]


def _source(folder: Path, table: dict[str, str]) -> Path:
    path = folder / "sv_lemma_lookup.json.gz"
    with gzip.open(path, "wb") as fh:
        fh.write(json.dumps(table, ensure_ascii=False).encode("utf-8"))
    return path


def _answers(table: LemmaTable) -> list:
    return [(w, table.get(w), w in table, table.is_lemma(w)) for w in ASKED]


def _expected() -> list:
    lemmas = set(TABLE.values())
    return [(w, TABLE.get(w), w in TABLE, w in lemmas) for w in ASKED]


def test_answers_from_the_cached_copy_equal_the_table(tmp_path) -> None:
    table = LemmaTable(_source(tmp_path, TABLE), tmp_path / "cache")
    assert table.on_demand
    assert _answers(table) == _expected()
    assert table.forms_of(["besöka", "ringa", "saknas"], 6) == ["besöker", "besökte", "ringde", "ringer"]


def test_the_copy_is_made_once_and_reused(tmp_path) -> None:
    source = _source(tmp_path, TABLE)
    LemmaTable(source, tmp_path / "cache")
    copy = tmp_path / "cache" / "sv_lemma_lookup.sqlite"
    made = copy.stat().st_mtime_ns
    again = LemmaTable(source, tmp_path / "cache")
    assert copy.stat().st_mtime_ns == made
    assert again.get("ringde") == "ringa"
    assert [p.name for p in copy.parent.iterdir()] == [copy.name]  # no temporary file left


def test_a_changed_source_is_copied_again(tmp_path) -> None:
    source = _source(tmp_path, TABLE)
    LemmaTable(source, tmp_path / "cache")
    _source(tmp_path, {**TABLE, "ringde": "ringa_ny"})
    st = source.stat()
    os.utime(source, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert LemmaTable(source, tmp_path / "cache").get("ringde") == "ringa_ny"


def test_without_a_writable_cache_the_table_is_kept_in_memory(tmp_path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x")
    table = LemmaTable(_source(tmp_path, TABLE), blocked / "cache")
    assert not table.on_demand
    assert _answers(table) == _expected()
    assert table.forms_of(["besöka"], 1) == ["besöker", "besökte"]


def test_many_distinct_words_load_the_whole_table(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(lemma_table, "LOAD_WHOLE_AFTER", 3)
    table = LemmaTable(_source(tmp_path, TABLE), tmp_path / "cache")
    assert _answers(table) == _expected()
    assert not table.on_demand


def test_a_forked_process_opens_its_own_connection(tmp_path) -> None:
    table = LemmaTable(_source(tmp_path, TABLE), tmp_path / "cache")
    table.get("ringde")
    table._pid = -1  # as in a child forked after the parent opened the copy
    assert _answers(table) == _expected()


@pytest.mark.slow
def test_the_packaged_table_answers_the_same_from_its_copy(tmp_path) -> None:
    source = lemma_table.source_path()
    whole = lemma_table._read_source(source)
    table = LemmaTable(source, tmp_path / "cache")
    sample = [*list(whole)[::997], "besökte", "hemtjänstpersonalen", "avbojde", "xyzzy"]
    lemmas = frozenset(whole.values())
    assert [(table.get(w), table.is_lemma(w)) for w in sample] == [
        (whole.get(w), w in lemmas) for w in sample
    ]


def test_a_damaged_copy_is_made_again(tmp_path) -> None:
    source = _source(tmp_path, TABLE)
    copy = tmp_path / "cache" / "sv_lemma_lookup.sqlite"
    copy.parent.mkdir()
    copy.write_bytes(b"not a database at all" * 100)
    table = LemmaTable(source, tmp_path / "cache")
    assert table.on_demand and _answers(table) == _expected()
