"""findings.json is written a finding at a time; every line is exactly what json.dumps gives."""

from __future__ import annotations

import json
from datetime import date, datetime

import report_factory as rf

from auditor.findings.json_writer import finding_json, to_json, write_json
from auditor.findings.model import Evidence


def awkward_findings() -> list:
    """Text a journal really holds: quotes, backslashes, tabs, line breaks, emoji, the line
    separators JavaScript chokes on, and the fields a rule may leave empty."""
    text = 'Brukaren sa "nej tack" \\ gick ut.\tKl 10:00\r\nÅter 😀 \u2028 slut \x07'
    out = [
        rf.finding("TN3", "violation", rf.UNIT_A, rf.ANNA, date(2026, 9, 3), 'Orsak "saknas".',
                   [rf.ev(text, "nej tack", 12, date(2026, 9, 3)),
                    Evidence("avvikelser.xlsx", "Blad 1", None, None, "", None, "Karin D.")],
                   key="a"),
        rf.finding("GB4", "warning", rf.UNIT_B, "BR-00017", None, "Frist\nsnart.", key="b",
                   deadline=date(2026, 10, 1)),
        rf.finding("TN3", "ok", rf.UNIT_A, rf.BERTIL, date(2026, 9, 4), "Orsak finns.", key="c"),
        rf.finding("GB4", "not_evaluated", rf.UNIT_A, rf.DAVID, None, "Ej granskad.", key="d"),
    ]
    out[0].evidence.append(Evidence("journal.csv", None, 7, datetime(2026, 9, 3, 8, 30),
                                    "tackade nej", [0, 7], ""))
    out[1].responsible = ""
    out[1].action = ""
    return out


def test_each_finding_line_is_the_records_json(tmp_path):
    result = rf.make_result(awkward_findings())
    path = write_json(result, tmp_path)
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    assert data == json.loads(json.dumps(to_json(result), ensure_ascii=False))
    lines = text.split("\n")
    start = lines.index(' "findings": [')
    written = [line.removesuffix(",")[2:] for line in lines[start + 1: start + 1 + len(result.findings)]]
    assert written == [json.dumps(finding_json(f), ensure_ascii=False) for f in result.findings]
    assert data["findings"][0]["evidence"][0]["excerpt"].endswith("slut \x07")
    assert data["findings"][0]["evidence"][1] == {
        "input": "avvikelser.xlsx", "sheet": "Blad 1", "row": None, "date": None, "excerpt": "",
        "span": None, "signed_by": "Karin D.",
    }
    assert data["findings"][1]["responsible"] is None and data["findings"][1]["action"] == ""
    assert data["findings"][2]["action"] is None  # ok findings have nothing to do


def test_object_layout_and_no_findings(tmp_path):
    result = rf.make_result([])
    text = write_json(result, tmp_path).read_text(encoding="utf-8")
    assert text.startswith('{\n "tool": {"name": "auditor", ')
    assert '\n "findings": []\n}\n' in text
    assert list(json.loads(text)) == ["tool", "as_of", "period", "inputs", "rates", "findings"]
