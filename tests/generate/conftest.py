from __future__ import annotations

from pathlib import Path

import pytest

from auditor.generate import generate


@pytest.fixture(scope="session")
def full_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """All five units, 12 months: small but every kind and variant."""
    out = tmp_path_factory.mktemp("gen_full")
    generate(out, clients=60, months=12, seed=11)
    return out


@pytest.fixture(scope="session")
def big_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gen_big")
    generate(out, clients=400, months=12, seed=23)
    return out
