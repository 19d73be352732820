"""The history sections in Chromium: axe-core finds nothing with every <details> open, only
the report's own script runs, nothing is loaded from the network. Skipped, with the reason,
when Chromium, node or the npm packages (tests/browser/setup.sh) are missing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from auditor.cli import main

from .helpers import audit

BROWSER = Path(__file__).resolve().parents[1] / "browser"


def _missing() -> str | None:
    if not (os.environ.get("AUDITOR_CHROMIUM") or shutil.which("chromium")):
        return "Chromium not found (tests/browser/setup.sh)"
    if not shutil.which("node"):
        return "node not found (tests/browser/setup.sh)"
    for package in ("playwright-core", "axe-core"):
        if not (BROWSER / "node_modules" / package / "package.json").exists():
            return f"npm package {package} missing: run `npm ci` in tests/browser"
    return None


pytestmark = [pytest.mark.browser, pytest.mark.skipif(_missing() is not None, reason=str(_missing()))]


@pytest.fixture(scope="module")
def seen(export, tmp_path_factory):
    """Three months with review decisions in between, opened in Chromium."""
    root = tmp_path_factory.mktemp("webblasare")
    out = root / "rapporter"
    audit(export, out, 2026, 8)
    audit(export, out, 2026, 9)
    wb = load_workbook(out / "findings.xlsx")
    ws = wb["Åtgärdslista"]
    col = {c.value: c.column for c in ws[1] if c.value}
    for r, label in ((2, "Falskt larm"), (3, "Bekräftad")):
        ws.cell(r, col["Beslut"]).value = label
        ws.cell(r, col["Kommentar"]).value = "<script>alert('kommentar')</script> Kontrollerat."
        ws.cell(r, col["Granskad av"]).value = "Karin D."
    wb.save(root / "granskad.xlsx")
    main(["review", "import", str(root / "granskad.xlsx"), "--history", str(out / "historik.sqlite")])
    audit(export, out, 2026, 10)
    unit = next(p for p in sorted(out.glob("enhet-*.html")) if 'id="granskade-rubrik"' in p.read_text(encoding="utf-8")
                and "Kontrollerat." in p.read_text(encoding="utf-8"))
    pages = [{"name": "index", "file": str(out / "index.html"), "axe": True},
             {"name": "enhet", "file": str(unit), "axe": True}]
    config = root / "config.json"
    config.write_text(json.dumps({
        "chromium": os.environ.get("AUDITOR_CHROMIUM") or shutil.which("chromium"),
        "out": str(root), "pages": pages}))
    proc = subprocess.run(["node", str(BROWSER / "check_reports.mjs"), str(config)], cwd=BROWSER,
                          capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return {r["name"]: r for r in json.loads(proc.stdout)["results"]}


@pytest.mark.parametrize("name", ["index", "enhet"])
def test_history_sections_are_accessible_and_safe(seen, name) -> None:
    r = seen[name]
    assert r["axe"] == [], r["axe"]
    assert r["dialogs"] == [], "a comment typed into the action list was executed"
    assert r["pageErrors"] == [] and r["cspViolations"] == [] and r["requests"] == []
