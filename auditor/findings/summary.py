"""The short Swedish summary printed after a run: per unit, what was evaluated and found."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from auditor.findings.result import RunResult


def summary_lines(result: RunResult, written: list[Path]) -> list[str]:
    lines = [f"Granskning per {result.as_of.isoformat()}, period {result.period_from.isoformat()} – "
             f"{result.period_to.isoformat()}"]
    read = [r for r in result.inputs if r.kind not in ("skipped", "unreadable")]
    skipped = [r for r in result.inputs if r.kind == "skipped"]
    bad = [r for r in result.inputs if r.kind == "unreadable"]
    rows = sum(r.rows_read for r in read)
    lines.append(f"Indata: {len(read)} lästa ({rows} rader: {sum(r.rows_used for r in read)} använda, "
                 f"{sum(r.rows_excluded for r in read)} undantagna, {sum(r.rows_rejected for r in read)} avvisade), "
                 f"{len(skipped)} överhoppade, {len(bad)} kunde inte läsas.")
    for r in bad:
        where = f"{r.path}" + (f" [{r.sheet}]" if r.sheet else "")
        lines.append(f"  FEL {where}: {r.error}")
    per_unit: dict[str, dict[str, Any]] = defaultdict(lambda: {"rules": set(), "violation": 0,
                                                                    "warning": 0, "ne_rules": set()})
    for f in result.findings:
        u = per_unit[f.unit]
        if f.status == "not_evaluated":
            u["ne_rules"].add(f.rule)
        else:
            u["rules"].add(f.rule)
        if f.status in ("violation", "warning"):
            u[f.status] += 1
    lines.append("")
    lines.append(f"{'Enhet':<36} {'Regler granskade':>16} {'Brister':>8} {'Risker':>7} {'Ej granskade regler':>20}")
    for unit in sorted(per_unit):
        u = per_unit[unit]
        lines.append(f"{unit[:36]:<36} {len(u['rules']):>16} {u['violation']:>8} {u['warning']:>7} "
                     f"{len(u['ne_rules'] - u['rules']):>20}")
    if written:
        lines.append("")
        lines.append("Skrev: " + ", ".join(str(p) for p in written[:4]) + (" …" if len(written) > 4 else ""))
    return lines
