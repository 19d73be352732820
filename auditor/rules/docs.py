"""Rule documentation in Markdown, generated from the packs (so it cannot drift from them)."""

from __future__ import annotations

from auditor.findings.model import SEVERITY_LABEL_SV
from auditor.rules.packs import Pack


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
                    out.append(f"| `{p.name}` | {p.default} | {p.description}{own} |")
                out.append("")
    return "\n".join(out).rstrip() + "\n"
