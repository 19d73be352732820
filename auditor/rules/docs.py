"""Rule documentation in Markdown, generated from the packs (so it cannot drift from them)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from auditor.findings.model import SEVERITY_LABEL_SV
from auditor.rules.packs import Pack
from auditor.rules.schema import RuleSpec


def packs_markdown(packs: list[Pack]) -> str:
    out = ["# Regler", "",
           "Genererad från regelpaketen i `rules/` med `auditor rules --markdown`. Ändra i paketen, inte här.", ""]
    for pack in packs:
        info = pack.info
        valid = f"gäller till {info.valid_until}" if info.valid_until else "gäller tills vidare"
        optional = " Valfritt paket: körs bara med `--rules " + info.name + "`." if info.optional else ""
        out += [f"## {info.name} – {info.title}", "",
                f"{info.issuer}. Beslutad {info.decided or '–'}, {valid}. Källa: `{info.source}`.{optional}", ""]
        for r in pack.rules:
            out += [f"### {r.id} {r.name}", "", f"**{r.title}**", "",
                    f"- Allvarlighet: {SEVERITY_LABEL_SV[r.severity].lower()}; styrka: {r.strength}",
                    f"- Avsnitt: {r.section}",
                    f"- Krav: ”{r.quote}”", "",
                    f"**Vad kontrolleras.** {r.doc['checks']}", "",
                    f"**Varför.** {r.doc['why']}", "",
                    f"**Exempel som brister.** {r.doc['fails']}", "",
                    f"**Exempel som uppfyller.** {r.doc['passes']}", ""]
            if r.params:
                out += ["| parameter | standard | betydelse |", "|---|---|---|"]
                for p in r.params.values():
                    own = " (granskningens eget antagande)" if p.local_default else ""
                    out.append(f"| `{p.name}` | {p.with_unit(p.default)} | {p.description}{own} |")
                out.append("")
    return "\n".join(out).rstrip() + "\n"


def implementation(rule: RuleSpec, checks: Mapping[str, object]) -> str:
    """``data``: the generic check interprets the rule's logic block; ``python``: a registered
    check function; ``saknas``: neither (the rule cannot run)."""
    if rule.logic:
        return "data"
    return "python" if rule.id in checks else "saknas"


def packs_json(packs: list[Pack]) -> str:
    """Every rule with its pack, severity, strength, parameters and implementation (JSON)."""
    from auditor.rules.checks import load_all

    checks = load_all()
    out: dict[str, Any] = {"packs": [], "rules": []}
    for pack in packs:
        info = pack.info
        out["packs"].append({
            "name": info.name, "slug": info.slug, "version": info.version, "title": info.title,
            "issuer": info.issuer, "decided": _iso(info.decided), "valid_until": _iso(info.valid_until),
            "source": info.source, "optional": info.optional, "scope": list(pack.scope),
            "rules": [r.id for r in pack.rules],
        })
        for r in pack.rules:
            out["rules"].append({
                "id": r.id, "pack": pack.name, "name": r.name, "title": r.title,
                "severity": r.severity, "strength": r.strength,
                "implementation": implementation(r, checks),
                "scope": list(r.scope), "needs": list(r.needs), "section": r.section,
                "responsible": r.responsible, "action": r.action,
                "params": {
                    p.name: {"type": p.kind, "unit": p.unit, "default": p.default,
                             "minimum": p.minimum, "maximum": p.maximum,
                             "local_default": p.local_default, "description": p.description}
                    for p in r.params.values()
                },
            })
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None
