from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.cli import main


@pytest.fixture(scope="session", autouse=True)
def isolated_keys(tmp_path_factory):
    """No key from the environment; one private config folder for the whole session (one
    local key, as on a real machine, so protected identities keep their ids month to month).
    Session-wide so that module fixtures which run audits see it too."""
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("AUDITOR_PSEUDONYM_KEY", raising=False)
        mp.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
        yield


@pytest.fixture(scope="session")
def export(tmp_path_factory, isolated_keys) -> Path:
    """Four months (July-October 2026) of generated exports, 20 clients, one of them protected."""
    out = tmp_path_factory.mktemp("export")
    assert main(["generate", "--clients", "20", "--months", "4", "--seed", "3", "--out", str(out)]) == 0
    labels = json.loads((out / "labels.json").read_text(encoding="utf-8"))
    assert any(c.get("protected") for c in labels["cases"]), "the seed gives one protected client"
    (out / "labels.json").unlink()  # not an export; keep the input list to exports only
    return out
