"""Render reports once and open them in headless Chromium through a small node script.

Skipped, with the reason, when Chromium, node or the npm packages (tests/browser/setup.sh
installs them) are missing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent / "report"))
WIDTHS = [1366, 390]

import report_factory as rf  # noqa: E402
from month_audit import month_audit  # noqa: E402

from auditor.privacy import protect  # noqa: E402
from auditor.report import write_reports  # noqa: E402

KEY = b"webblasartest"
IMG_NOTE = "Anhörig skrev <img src=x onerror=\"alert('img')\"> och tackade nej."
NEGATIVE_CONTROL = (
    '<!DOCTYPE html>\n<html><head></head><body><img src="data:,"><p>x</p></body></html>\n'
)


def _missing() -> str | None:
    chromium = os.environ.get("AUDITOR_CHROMIUM") or shutil.which("chromium")
    if not chromium:
        return "Chromium not found (apt-get install chromium, or run tests/browser/setup.sh)"
    if not shutil.which("node"):
        return "node not found (apt-get install nodejs npm)"
    for package in ("playwright-core", "axe-core"):
        if not (HERE / "node_modules" / package / "package.json").exists():
            return f"npm package {package} missing: run `npm ci` in tests/browser (setup.sh)"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _missing()
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser_run(tmp_path_factory):
    """Reports rendered to a temp dir, and what Chromium saw on each page."""
    out = tmp_path_factory.mktemp("rapporter")
    shots = Path(os.environ.get("AUDITOR_SCREENSHOT_DIR") or tmp_path_factory.mktemp("bilder"))
    shots.mkdir(parents=True, exist_ok=True)

    findings = rf.base_findings()
    findings.append(
        rf.finding(
            "TN3",
            "violation",
            rf.UNIT_A,
            rf.BERTIL,
            rf.AS_OF,
            "Orsak saknas.",
            [rf.ev(IMG_NOTE, "tackade nej", 44, rf.AS_OF)],
            key="img",
        )
    )
    small = protect(rf.make_result(findings), pseudonymize=False, key=KEY)
    write_reports(small, out / "liten")
    large = rf.large_result(2000, statuses=("violation", "warning", "ok", "not_evaluated"))
    write_reports(large, out / "stor")
    (out / "kontroll.html").write_text(NEGATIVE_CONTROL, encoding="utf-8")
    month = month_audit(tmp_path_factory.mktemp("manad"))

    pages = [
        {"name": "index", "file": str(out / "liten" / "index.html"), "axe": True,
         "widths": WIDTHS},
        {
            "name": "enhet",
            "file": str(out / "liten" / "enhet-boendestod-norr.html"),
            "axe": True,
            "filter": {"search": "tackade", "caseLabel": "19900902-2386"},
            "widths": WIDTHS,
        },
        {
            "name": "manad",
            "file": str(month.out / "enhet-boendestod-norr.html"),
            "axe": True,
            "pdf": True,
            "widths": WIDTHS,
        },
        {"name": "manad-index", "file": str(month.out / "index.html"), "axe": True,
         "widths": WIDTHS},
        {
            "name": "enhet-kort",
            "file": str(out / "liten" / "enhet-korttids-alvsjo-co.html"),
            "axe": True,
        },
        {
            "name": "stor",
            "file": str(out / "stor" / "enhet-boendestod-stora-enheten.html"),
            "axe": True,
            "filter": {"search": "BR-00007"},
        },
        {"name": "kontroll", "file": str(out / "kontroll.html"), "axe": True},
    ]
    config = out / "config.json"
    chromium = os.environ.get("AUDITOR_CHROMIUM") or shutil.which("chromium")
    config.write_text(json.dumps({"chromium": chromium, "out": str(shots), "pages": pages}))
    proc = subprocess.run(
        ["node", str(HERE / "check_reports.mjs"), str(config)],
        cwd=HERE,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    results = {r["name"]: r for r in json.loads(proc.stdout)["results"]}
    return {"results": results, "shots": shots, "out": out, "large": large, "month": month}
