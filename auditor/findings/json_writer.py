"""findings.json, as the output contract describes it."""

from __future__ import annotations

import json
from pathlib import Path

from auditor.findings.result import RunResult


def to_json(result: RunResult) -> dict:
    return {
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
        "findings": [f.to_json() for f in result.findings],
    }


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

    head = ",\n".join(f" {dump(k)}: {dump(v)}" for k, v in data.items() if k not in ("inputs", "findings"))
    text = "{\n" + head + f',\n "inputs": {array(data["inputs"])},\n "findings": {array(data["findings"])}\n}}\n'
    path.write_text(text, encoding="utf-8")
    return path
