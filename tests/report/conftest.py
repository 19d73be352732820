from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import report_factory as rf
from html_tree import parse

from auditor.report import write_reports


@pytest.fixture
def result():
    return rf.make_result()


@pytest.fixture
def written(result, tmp_path):
    """Reports for the standard fixture, unprotected: file name -> Path."""
    out = tmp_path / "rapport"
    return {p.name: p for p in write_reports(result, out)}


@pytest.fixture
def pages(written):
    """Parsed HTML pages: file name -> root Node."""
    return {
        name: parse(path.read_text(encoding="utf-8"))
        for name, path in written.items()
        if name.endswith(".html")
    }
