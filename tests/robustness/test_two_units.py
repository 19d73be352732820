"""A case seen in two units is reported under both."""

from __future__ import annotations

import json

from auditor.cli import main
from tests.robustness.conftest import P1, P2, journal


def test_case_in_two_units_is_reported_under_both(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "norr.csv").write_text(journal(P1, "Boendestöd Norr", n=4), encoding="utf-8")
    # one quiet note in Söder: no event of its own there, so only the case-level findings
    # (filed under the main unit, Norr) can put the case on Söder's report
    quiet = f"{P1};Bengt Larsson;Boendestöd Söder;2026-04-02;Övrigt;Skrev in i pärmen.;Stina P\n"
    (d / "soder.csv").write_text(journal(P2, "Boendestöd Söder") + quiet, encoding="utf-8")
    out = tmp_path / "ut"
    assert main(["run", str(d), "--out", str(out), "--as-of", "2026-11-01", "-q"]) == 0
    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    units = {f["unit"] for f in data["findings"] if f["case"] == P1}
    assert units == {"Boendestöd Norr", "Boendestöd Söder"}
    ids = [f["id"] for f in data["findings"]]
    assert len(ids) == len(set(ids))
    for page in ("enhet-boendestod-norr.html", "enhet-boendestod-soder.html"):
        html = (out / page).read_text(encoding="utf-8")
        assert f"{P1[:8]}-{P1[8:]}" in html or P1 in html, page
