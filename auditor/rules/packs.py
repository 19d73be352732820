"""Loading and validating rule packs (YAML files in the top-level ``rules/`` folder).

A pack is one routine: its metadata (title, issuer, decided, valid until, source) and
its rules, each with id, name, severity, legal strength, scope, citation, parameters
with defaults, and documentation. A broken pack is a clear Swedish error naming the
pack file and the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from auditor.findings.result import PackInfo
from auditor.rules.schema import (
    DOC_SECTIONS,
    INSATS_KEYS,
    NEED_KINDS,
    RESPONSIBLE,
    STRENGTHS,
    PackSpec,
    Param,
    RuleSpec,
    closest,
    swedish_errors,
)

__all__ = [
    "DOC_SECTIONS", "INSATS_KEYS", "NEED_KINDS", "RESPONSIBLE", "STRENGTHS", "Pack", "PackError", "Param",
    "RuleSpec", "builtin_pack_dir", "builtin_pack_paths", "load_pack", "load_packs", "parse_pack",
]


class PackError(ValueError):
    """A rule pack that cannot be used; the message is Swedish and names pack and field."""


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


def parse_pack(data: Any, path: str) -> Pack:
    """Validate one pack's parsed YAML against the schema and build the Pack."""
    if not isinstance(data, dict):
        raise PackError(f"Regelpaketet {path}: filen innehåller inget regelpaket (förväntade nycklar/värden)")
    try:
        spec = PackSpec.model_validate(data)
    except ValidationError as exc:
        raise PackError("\n".join(swedish_errors(exc, data, path))) from None
    routine = spec.routine
    info = PackInfo(
        name=spec.pack, slug=spec.slug, version=spec.version, title=routine.title,
        issuer=routine.issuer, decided=routine.decided, valid_until=routine.valid_until,
        source=routine.source, optional=spec.optional,
    )
    return Pack(info=info, scope=tuple(spec.scope), rules=spec.rules, path=path)


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed: ~10x faster
_PARSED: dict[tuple[str, int, int], Pack] = {}  # a pack file parsed once per process


def load_pack(path: Path) -> Pack:
    try:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
        if key in _PARSED:
            return _PARSED[key]
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PackError(f"Regelpaketet {path} kan inte läsas: {exc.strerror}") from exc
    try:
        data = yaml.load(text, Loader=_YAML_LOADER)  # a safe loader
    except yaml.YAMLError as exc:
        raise PackError(f"Regelpaketet {path} är ingen giltig YAML: {exc}") from exc
    pack = parse_pack(data, str(path) if not path.is_relative_to(builtin_pack_dir()) else path.name)
    _PARSED[key] = pack
    return pack


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
                pack = _local_pack(Path(token), builtin)
            elif token.lower().endswith((".yaml", ".yml")):
                raise PackError(f"Regelpaketet {token} finns inte (ingen sådan fil).")
            else:
                names = ", ".join(sorted(p.name for p in builtin))
                hint = closest(token.upper(), sorted(by_name))
                did = f" Menade du '{hint}'?" if hint else ""
                raise PackError(f"Okänt regelpaket '{token}'.{did} Tillgängliga: {names}, "
                                "eller en sökväg till en egen YAML-fil.")
            if pack.name not in {c.name for c in chosen}:
                chosen.append(pack)
    return chosen


def _local_pack(path: Path, builtin: list[Pack]) -> Pack:
    """A pack file of the user's own, validated like the shipped ones and kept apart from them."""
    pack = load_pack(path)
    shipped = {p.name: p for p in builtin}
    if pack.name in shipped:
        if path.resolve() == (builtin_pack_dir() / path.name).resolve():
            return shipped[pack.name]  # the shipped file itself, given by its path
        raise PackError(f"Regelpaketet {path} heter '{pack.name}', precis som ett medföljande paket. "
                        "Ge det egna paketet ett eget namn (fältet 'pack') och egna regel-id.")
    taken = {r.id for p in builtin for r in p.rules}
    for rule in pack.rules:
        if rule.id in taken:
            raise PackError(f"Regelpaketet {path}, regel {rule.id}: id:t används redan av ett medföljande "
                            "paket. Ge regeln ett eget id.")
    return pack
