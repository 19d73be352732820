"""Shared by the tests of packs of one's own: a local pack with one rule written as data
(LOK1: contact within a week after a "nej"), a small journal export, and a run with --rules."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from auditor.cli import main

LOCAL_PACK = """\
# yaml-language-server: $schema=schema/pack.schema.json
pack: LOK
slug: lokal-rutin-testkommun
version: "2026.1"
routine:
  title: "Lokal rutin för uppföljning efter nej"
  issuer: "Testkommunen, enhetschef boendestöd"
  decided: 2026-01-15
  valid_until: 2027-01-15
  source: lokal-rutin.md
scope: [boendestod]
rules:
  - id: LOK1
    name: kontakt-inom-en-vecka-efter-nej
    title: "Brukaren kontaktas inom sju dagar efter ett nej"
    severity: medium
    strength: ska
    responsible: utförare
    action: "Ring brukaren och dokumentera samtalet."
    section: "Uppföljning"
    quote: "Efter ett nej ska personalen höra av sig till brukaren inom en vecka."
    needs: [journal]
    params:
      days: {type: int, unit: dagar, minimum: 1, maximum: 60, default: 7, description: "Dagar efter nej-tillfället"}
    doc:
      checks: "Efter varje nej ska en kontakt eller ett kontaktförsök vara dokumenterat inom sju dagar."
      why: "Kontakten ska hållas även när brukaren tackar nej."
      fails: "Nej 3 mars, ingen kontakt förrän 20 mars."
      passes: "Nej 3 mars, ringde 5 mars."
    logic:
      trigger: {event: DECLINE}
      evidence:
        - labels: [CONTACT, CONTACT_ATTEMPT]
          window: {start: 1, end: days}
          says: "Kontakt {met}."
      messages:
        ok: "{found}"
        missed: "Brukaren tackade nej {date}, men ingen kontakt är dokumenterad inom {days} dagar (senast {due})."
        open: "Brukaren tackade nej {date}; kontakt senast {due}."
"""

JOURNAL = """\
Personnr;Enhet;Datum;Sökord;Anteckning;Signatur
195801082743;Boendestöd Norr;2026-03-03;Avbokning;B tackade nej till besöket idag, hon var trött.;Stina P
195801082743;Boendestöd Norr;2026-03-05;Telefon;Ringde B och pratade om veckan, hon mådde bättre.;Stina P
195801082743;Boendestöd Norr;2026-03-16;Avbokning;B tackade nej till dagens besök, ville vila.;Stina P
195801082743;Boendestöd Norr;2026-03-30;Telefon;Ringde B och bokade ny tid.;Stina P
"""


@pytest.fixture
def write_pack(tmp_path: Path) -> Callable[..., Path]:
    """Write a pack text (by default the local pack) into the test's folder."""

    def write(text: str = LOCAL_PACK, name: str = "lokal.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def run_local(tmp_path: Path, write_pack) -> Callable[..., dict]:
    """Audit the small journal export with ``--rules`` a local pack; findings.json as a dict."""

    def run(pack_text: str = LOCAL_PACK, *extra: str) -> dict:
        pack = write_pack(pack_text)
        inputs = tmp_path / "in"
        inputs.mkdir(exist_ok=True)
        (inputs / "journal.csv").write_text(JOURNAL, encoding="utf-8")
        out = tmp_path / "out"
        code = main(["run", str(inputs), "--out", str(out), "--as-of", "2026-04-15",
                     "--rules", str(pack), *extra])
        assert code in (0, 1), code
        return json.loads((out / "findings.json").read_text(encoding="utf-8"))

    return run
