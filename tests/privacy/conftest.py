from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "report"))


@pytest.fixture(autouse=True)
def isolated_keys(tmp_path, monkeypatch):
    """No key from the environment, and a private config folder for the local key."""
    monkeypatch.delenv("AUDITOR_PSEUDONYM_KEY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path / "config" / "auditor" / "nyckel"
