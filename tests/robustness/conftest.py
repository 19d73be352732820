"""Small realistic exports for the robustness tests (personnummer from Skatteverket's
test list only), and a way to run the command line in a bounded subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KEY = "robusthet-nyckel"

# Skatteverket test personnummer (CC0)
P1, P2, P3 = "195801082743", "199001012385", "199001032383"
NAMES = {P1: "Bengt Larsson", P2: "Anna-Karin Öberg", P3: "Hassan Ali"}
HEAD = "Personnr;Namn;Enhet;Datum;Sökord;Anteckning;Signatur\n"


def journal(pnr: str, unit: str = "Boendestöd Norr", n: int = 4, name: str | None = None) -> str:
    name = name or NAMES[pnr]
    first = name.split()[0]
    lines = [
        f"{pnr};{name};{unit};2026-03-{i + 2:02d};Besök;"
        f"Besök hos {first}. {first} tackade nej till att handla, personal erbjöd annan tid.;Stina P\n"
        for i in range(n)
    ]
    return HEAD + "".join(lines)


@pytest.fixture(autouse=True)
def isolated_keys(tmp_path, monkeypatch):
    monkeypatch.delenv("AUDITOR_PSEUDONYM_KEY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def run_cli(args: list[str], timeout: float = 60, env: dict | None = None, cwd: Path | None = None):
    """``auditor …`` in a subprocess with a time limit (a hang fails the test)."""
    full_env = {**os.environ, "AUDITOR_PSEUDONYM_KEY": KEY, "XDG_CONFIG_HOME": "/nonexistent-cfg"}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "auditor", *args],
        capture_output=True, text=True, timeout=timeout, env=full_env, cwd=cwd or ROOT,
    )
