"""Where the pseudonymisation key comes from, and the local key for protected identities."""

from __future__ import annotations

import stat

import pytest

from auditor.privacy import KeyMissing, load_key, local_key, local_key_path


def test_key_from_file(tmp_path):
    path = tmp_path / "nyckel.txt"
    path.write_text("hemlig-nyckel\n", encoding="utf-8")
    assert load_key(path, required=True) == b"hemlig-nyckel"


def test_key_file_wins_over_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("AUDITOR_PSEUDONYM_KEY", "fran-miljon")
    path = tmp_path / "k"
    path.write_text("fran-fil", encoding="utf-8")
    assert load_key(path, required=True) == b"fran-fil"
    assert load_key(None, required=True) == b"fran-miljon"


def test_missing_key_when_required_is_a_clear_swedish_error():
    with pytest.raises(KeyMissing) as err:
        load_key(None, required=True)
    message = str(err.value)
    assert "--key-file" in message and "AUDITOR_PSEUDONYM_KEY" in message
    assert "kräver en nyckel" in message


def test_no_key_is_fine_when_not_required():
    assert load_key(None, required=False) is None


@pytest.mark.parametrize("content", [None, ""])
def test_unusable_key_file(tmp_path, content):
    path = tmp_path / "nyckel"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(KeyMissing, match="Nyckelfilen"):
        load_key(path, required=False)


def test_local_key_created_private_and_reused(isolated_keys):
    assert local_key_path() == isolated_keys
    first = local_key()
    assert isolated_keys.exists()
    assert stat.S_IMODE(isolated_keys.stat().st_mode) == 0o600
    assert stat.S_IMODE(isolated_keys.parent.stat().st_mode) == 0o700
    assert len(first) == 64
    assert local_key() == first


def test_local_key_permissions_are_tightened(isolated_keys):
    isolated_keys.parent.mkdir(parents=True)
    isolated_keys.write_bytes(b"befintlig")
    isolated_keys.chmod(0o644)
    assert local_key() == b"befintlig"
    assert stat.S_IMODE(isolated_keys.stat().st_mode) == 0o600
