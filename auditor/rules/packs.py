"""Loading and validating rule packs (YAML files in the top-level ``rules/`` folder).

A pack is one routine: its metadata (title, issuer, decided, valid until, source) and
its rules, each with id, name, severity, legal strength, scope, citation, parameters
with defaults, and documentation. A broken pack is a clear Swedish error naming the
pack file and the field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from auditor.findings.model import SEVERITIES
from auditor.findings.result import PackInfo, RuleInfo

STRENGTHS = ("ska", "bör", "lokal default")
INSATS_KEYS = (
    "boendestod", "korttidsvistelse", "avlosarservice", "ledsagarservice", "kontaktperson", "all",
)
NEED_KINDS = ("journal", "uppdrag", "plan", "besok", "avvikelse", "vistelse")
DOC_SECTIONS = ("checks", "why", "fails", "passes")


RESPONSIBLE = ("utförare", "myndighet")


class PackError(ValueError):
    """A rule pack that cannot be used; the message is Swedish and names pack and field."""


@dataclass(frozen=True)
class Param:
    name: str
    default: float | int | str
    local_default: bool
    description: str


@dataclass(frozen=True)
class RuleSpec:
    id: str
    pack: str
    name: str
    title: str
    severity: str
    strength: str
    scope: tuple[str, ...]
    section: str
    quote: str
    needs: tuple[str, ...]
    params: dict[str, Param]
    doc: dict[str, str]
    responsible: str = "utförare"  # who must act: "utförare" or "myndighet"
    action: str = ""  # short Swedish suggestion of what to do now

    @property
    def info(self) -> RuleInfo:
        local = [p for p in self.params.values() if p.local_default]
        note = ""
        if local:
            note = "Granskningens eget antagande (rutinen anger ingen siffra): " + "; ".join(
                f"{p.description.lower()}: {p.default}" for p in local
            )
        return RuleInfo(
            id=self.id, pack=self.pack, name=self.name, title=self.title,
            severity=self.severity, strength=self.strength, section=self.section,
            quote=self.quote, local_default_note=note,
            responsible=self.responsible, action=self.action,
        )

    def defaults(self) -> dict[str, Any]:
        return {name: p.default for name, p in self.params.items()}


@dataclass(frozen=True)
class Pack:
    info: PackInfo
    scope: tuple[str, ...]
    rules: tuple[RuleSpec, ...]
    path: str = ""
    defaults_override: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.info.name


def builtin_pack_dir() -> Path:
    """The shipped packs: the repository's ``rules/`` folder, or its installed copy."""
    here = Path(__file__).resolve().parents[2] / "rules"
    if (here / "gb.yaml").is_file():
        return here
    return Path(str(resources.files("auditor.packs")))


def builtin_pack_paths() -> list[Path]:
    return sorted(builtin_pack_dir().glob("*.yaml"))


def _err(path: str, field_: str, msg: str) -> PackError:
    return PackError(f"Regelpaketet {path}: fältet '{field_}' {msg}")


def _req(d: dict, key: str, path: str, where: str, typ: type | tuple[type, ...] = str) -> Any:
    if key not in d or d[key] is None or d[key] == "":
        raise _err(path, f"{where}{key}", "saknas")
    if not isinstance(d[key], typ):
        raise _err(path, f"{where}{key}", f"har fel typ ({type(d[key]).__name__})")
    return d[key]


def _date(value: Any, path: str, field_: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise _err(path, field_, f"är inget datum (ÅÅÅÅ-MM-DD): {value!r}") from exc


def parse_pack(data: Any, path: str) -> Pack:
    """Validate one pack's parsed YAML and build the Pack."""
    if not isinstance(data, dict):
        raise PackError(f"Regelpaketet {path}: filen innehåller inget regelpaket (förväntade nycklar/värden)")
    name = _req(data, "pack", path, "")
    routine = _req(data, "routine", path, "", dict)
    scope = tuple(_req(data, "scope", path, "", list))
    for s in scope:
        if s not in INSATS_KEYS:
            raise _err(path, "scope", f"har okänd insats '{s}' (tillåtna: {', '.join(INSATS_KEYS)})")
    info = PackInfo(
        name=name,
        slug=_req(data, "slug", path, ""),
        version=str(_req(data, "version", path, "", (str, int, float))),
        title=_req(routine, "title", path, "routine."),
        issuer=_req(routine, "issuer", path, "routine."),
        decided=_date(routine.get("decided"), path, "routine.decided"),
        valid_until=_date(routine.get("valid_until"), path, "routine.valid_until"),
        source=_req(routine, "source", path, "routine."),
        optional=bool(data.get("optional", False)),
    )
    raw_rules = _req(data, "rules", path, "", list)
    rules = []
    for i, raw in enumerate(raw_rules):
        where = f"rules[{i}]."
        if not isinstance(raw, dict):
            raise _err(path, f"rules[{i}]", "är ingen regel")
        rid = _req(raw, "id", path, where)
        where = f"rules.{rid}."
        if not rid.startswith(name):
            raise _err(path, f"{where}id", f"ska börja med paketets namn '{name}'")
        severity = _req(raw, "severity", path, where)
        if severity not in SEVERITIES:
            raise _err(path, f"{where}severity", f"måste vara en av {', '.join(SEVERITIES)}")
        strength = _req(raw, "strength", path, where)
        if strength not in STRENGTHS:
            raise _err(path, f"{where}strength", f"måste vara en av {', '.join(STRENGTHS)}")
        responsible = _req(raw, "responsible", path, where)
        if responsible not in RESPONSIBLE:
            raise _err(path, f"{where}responsible", f"måste vara en av {', '.join(RESPONSIBLE)}")
        action = _req(raw, "action", path, where)
        rscope = tuple(raw.get("scope") or scope)
        for s in rscope:
            if s not in INSATS_KEYS:
                raise _err(path, f"{where}scope", f"har okänd insats '{s}'")
        needs = tuple(raw.get("needs") or ())
        for need in needs:
            if need.split(".")[0] not in NEED_KINDS:
                raise _err(path, f"{where}needs", f"har okänd exporttyp i '{need}'")
        params = {}
        for pname, p in (raw.get("params") or {}).items():
            if not isinstance(p, dict) or "default" not in p:
                raise _err(path, f"{where}params.{pname}", "saknar 'default'")
            params[pname] = Param(
                name=pname, default=p["default"], local_default=bool(p.get("local_default")),
                description=str(p.get("description", pname)),
            )
        doc = _req(raw, "doc", path, where, dict)
        for section in DOC_SECTIONS:
            _req(doc, section, path, f"{where}doc.")
        rules.append(RuleSpec(
            id=rid, pack=name, name=_req(raw, "name", path, where),
            title=_req(raw, "title", path, where), severity=severity, strength=strength,
            scope=rscope, section=_req(raw, "section", path, where),
            quote=_req(raw, "quote", path, where), needs=needs, params=params, doc=dict(doc),
            responsible=responsible, action=action,
        ))
    ids = [r.id for r in rules]
    if len(set(ids)) != len(ids):
        raise _err(path, "rules", "innehåller samma regel-id flera gånger")
    return Pack(info=info, scope=scope, rules=tuple(rules), path=path)


def load_pack(path: Path) -> Pack:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PackError(f"Regelpaketet {path} kan inte läsas: {exc.strerror}") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise PackError(f"Regelpaketet {path} är ingen giltig YAML: {exc}") from exc
    return parse_pack(data, path.name)


def load_packs(selection: list[str] | None = None) -> list[Pack]:
    """Load the shipped packs, or those named in ``selection`` (pack names or file paths).

    Without a selection every non-optional shipped pack is loaded; optional packs
    (DOK) run only when named.
    """
    builtin = [load_pack(p) for p in builtin_pack_paths()]
    by_name = {p.name.upper(): p for p in builtin}
    by_name.update({p.info.slug.upper(): p for p in builtin})
    if not selection:
        return [p for p in builtin if not p.info.optional]
    chosen: list[Pack] = []
    for item in selection:
        for token in item.split(","):
            token = token.strip()
            if not token:
                continue
            if token.upper() in by_name:
                pack = by_name[token.upper()]
            elif Path(token).is_file():
                pack = load_pack(Path(token))
            else:
                names = ", ".join(sorted(p.name for p in builtin))
                raise PackError(f"Okänt regelpaket '{token}'. Tillgängliga: {names}, eller en sökväg till en YAML-fil.")
            if pack.name not in {c.name for c in chosen}:
                chosen.append(pack)
    return chosen
