"""findings.json, as the output contract describes it."""

from __future__ import annotations

import json
from pathlib import Path

from auditor.findings.model import Finding
from auditor.findings.rates import rates_for
from auditor.findings.result import RunResult


def finding_json(f: Finding) -> dict:
    """A finding as the contract describes it, with the "Additions" fields."""
    record = f.to_json()
    record["basis"] = f.basis
    record["deadline"] = f.deadline.isoformat() if f.deadline else None
    record["responsible"] = f.responsible or None
    record["action"] = f.action if f.status in ("violation", "warning") else None
    return record


def to_json(result: RunResult) -> dict:
    findings = [finding_json(f) for f in result.findings]
    if result.history is not None:  # change and review beside each finding
        for record in findings:
            record.update(result.history.finding_json(record["id"]))
    data = {
        "tool": {
            "name": "auditor",
            "version": result.version,
            "rule_packs": [
                {
                    "name": p.name,
                    "version": p.version,
                    "source": p.source,
                    "valid_until": p.valid_until.isoformat() if p.valid_until else None,
                }
                for p in result.packs
            ],
        },
        "as_of": result.as_of.isoformat(),
        "period": {"from": result.period_from.isoformat(), "to": result.period_to.isoformat()},
        "inputs": [r.to_json() for r in result.inputs],
        "rates": [r.to_json() for r in rates_for(result)],
        "findings": findings,
    }
    if result.history is not None:  # resolved, review_stats
        data.update(result.history.top_json())
    return data


def write_json(result: RunResult, out_dir: Path) -> Path:
    """One JSON object; each input and each finding on a line of its own.

    Line-per-record keeps the file readable and diffable while using the fast C encoder
    (an indented dump is several times slower on large audits).
    """
    data = to_json(result)
    path = out_dir / "findings.json"

    def dump(value: object) -> str:
        return json.dumps(value, ensure_ascii=False)

    def array(items: list) -> str:
        if not items:
            return "[]"
        return "[\n  " + ",\n  ".join(dump(i) for i in items) + "\n ]"

    arrays = ("inputs", "rates", "findings")
    head = ",\n".join(f" {dump(k)}: {dump(v)}" for k, v in data.items() if k not in arrays)
    body = ",\n".join(f" {dump(k)}: {array(data[k])}" for k in arrays)
    text = "{\n" + head + ",\n" + body + "\n}\n"
    path.write_text(text, encoding="utf-8")
    return path
