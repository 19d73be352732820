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
    path = out_dir / "findings.json"
    text = json.dumps(to_json(result), ensure_ascii=False, indent=1)
    path.write_text(text + "\n", encoding="utf-8")
    return path
