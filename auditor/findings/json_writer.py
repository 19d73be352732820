"""findings.json, as the output contract describes it."""

from __future__ import annotations

import json
from collections.abc import Callable
from json.encoder import encode_basestring  # the encoder json.dumps(ensure_ascii=False) uses
from pathlib import Path
from typing import TextIO

from auditor.findings.model import Evidence, Finding
from auditor.findings.rates import rates_for
from auditor.findings.result import RunResult

# The keys of finding_json(), in order; the history's keys come after them.
FINDING_KEYS = (
    "id", "rule", "severity", "status", "unit", "case", "date", "message", "evidence",
    "basis", "deadline", "responsible", "action",
)


def finding_json(f: Finding) -> dict:
    """A finding as the contract describes it, with the "Additions" fields."""
    record = f.to_json()
    record["basis"] = f.basis
    record["deadline"] = f.deadline.isoformat() if f.deadline else None
    record["responsible"] = f.responsible or None
    record["action"] = f.action if f.status in ("violation", "warning") else None
    return record


def _head(result: RunResult) -> dict:
    """Everything in findings.json before its arrays: tool, as-of, period (and the
    history's resolved findings and review statistics)."""
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
    }
    if result.history is not None:  # resolved, review_stats
        data.update(result.history.top_json())
    return data


def to_json(result: RunResult) -> dict:
    findings = [finding_json(f) for f in result.findings]
    if result.history is not None:  # change and review beside each finding
        for record in findings:
            record.update(result.history.finding_json(record["id"]))
    head = _head(result)
    data = {k: v for k, v in head.items() if k in ("tool", "as_of", "period")}
    data["inputs"] = [r.to_json() for r in result.inputs]
    data["rates"] = [r.to_json() for r in rates_for(result)]
    data["findings"] = findings
    data.update((k, v) for k, v in head.items() if k not in data)
    return data


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


class FindingEncoder:
    """One finding as the line ``json.dumps(finding_json(f), ensure_ascii=False)`` gives,
    written from pre-encoded pieces: the few strings a large audit repeats (rules, units,
    clients, files, signers, dates) are encoded once, and no dict is built per finding or
    evidence row. Free text (messages, excerpts) is encoded each time, so memory stays flat.
    Anything of an unexpected type falls back to ``json.dumps`` of the record."""

    def __init__(self, extra: Callable[[str], dict] | None = None):
        self.extra = extra  # the history's fields for a finding id
        self._cache: dict[str, str] = {}

    def s(self, value: str) -> str:
        """A repeated string, encoded."""
        out = self._cache.get(value)
        if out is None:
            out = self._cache[value] = encode_basestring(value)
        return out

    def opt(self, value: str | None) -> str:
        return "null" if value is None else self.s(value)

    def evidence(self, e: Evidence) -> str:
        s, opt = self.s, self.opt
        row = e.row
        if row is None:
            row_text = "null"
        elif type(row) is int:
            row_text = str(row)
        else:
            raise TypeError(row)
        span = e.span
        if span:
            if len(span) != 2 or type(span[0]) is not int or type(span[1]) is not int:
                raise TypeError(span)
            span_text = f"[{span[0]}, {span[1]}]"
        else:
            span_text = "null"
        return (
            f'{{"input": {s(e.input)}, "sheet": {opt(e.sheet)}, "row": {row_text}, '
            f'"date": {opt(e.date.isoformat() if e.date else None)}, '
            f'"excerpt": {encode_basestring(e.excerpt)}, "span": {span_text}, "signed_by": {opt(e.signer or None)}}}'
        )

    def __call__(self, f: Finding) -> str:
        fid = f.id
        extra = self.extra(fid) if self.extra is not None else None
        try:
            if extra and not extra.keys().isdisjoint(FINDING_KEYS):
                raise TypeError("history field replaces a finding field")
            s, opt = self.s, self.opt
            evidence = ", ".join([self.evidence(e) for e in f.evidence])
            text = (
                f'{{"id": {encode_basestring(fid)}, "rule": {s(f.rule)}, "severity": {s(f.severity)}, '
                f'"status": {s(f.status)}, "unit": {s(f.unit)}, "case": {s(f.case)}, '
                f'"date": {opt(f.date.isoformat() if f.date else None)}, '
                f'"message": {encode_basestring(f.message)}, "evidence": [{evidence}], '
                f'"basis": {s(f.basis)}, '
                f'"deadline": {opt(f.deadline.isoformat() if f.deadline else None)}, '
                f'"responsible": {opt(f.responsible or None)}, '
                f'"action": {opt(f.action if f.status in ("violation", "warning") else None)}'
            )
        except TypeError:
            record = finding_json(f)
            if extra:
                record.update(extra)
            return _dump(record)
        if extra:
            text += "".join(f", {encode_basestring(k)}: {_dump(v)}" for k, v in extra.items())
        return text + "}"


def _array(fh: TextIO, key: str, lines) -> None:
    fh.write(f" {_dump(key)}: ")
    first = True
    for line in lines:
        fh.write(("[\n  " if first else ",\n  ") + line)
        first = False
    fh.write("[]" if first else "\n ]")


def write_json(result: RunResult, out_dir: Path) -> Path:
    """One JSON object; each input and each finding on a line of its own.

    Line-per-record keeps the file readable and diffable; the file is written as it is
    encoded, a finding at a time, never held whole in memory.
    """
    path = out_dir / "findings.json"
    head = _head(result)
    history = result.history
    encode = FindingEncoder(history.finding_json if history is not None else None)
    with path.open("w", encoding="utf-8") as fh:
        fh.write("{\n" + ",\n".join(f" {_dump(k)}: {_dump(v)}" for k, v in head.items()) + ",\n")
        _array(fh, "inputs", (_dump(r.to_json()) for r in result.inputs))
        fh.write(",\n")
        _array(fh, "rates", (_dump(r.to_json()) for r in rates_for(result)))
        fh.write(",\n")
        _array(fh, "findings", (encode(f) for f in result.findings))
        fh.write("\n}\n")
    return path
