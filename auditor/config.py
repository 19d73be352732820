"""The user's configuration file (TOML): parameter overrides and unit → insats mapping.

Example::

    [packs.TN]              # every rule of the pack that has the parameter
    window_days = 2

    [rules.GB8]             # one rule
    max_days = 60

    [units."Boendestöd Norr".rules.GB12]   # one rule, one unit
    min_visits = 10

    [unit_insats]           # for exports without an uppdrag file
    "Boendestöd Norr" = "boendestöd"

The file is validated against the rule packs' schema before any export is read: an
unknown pack, rule or parameter (with the closest valid name), a wrong type or a value
out of range is a Swedish :class:`ConfigError`. Unit names can only be checked once the
exports are read (:meth:`Config.unknown_units`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditor.model import vocab

if TYPE_CHECKING:  # the config is read before the rule stage; only its types are needed here
    from auditor.rules.packs import Pack
    from auditor.rules.schema import RuleSpec

TOP_LEVEL = ("packs", "rules", "units", "unit_insats")


class ConfigError(ValueError):
    """A configuration file that cannot be used (Swedish message)."""


@dataclass
class Config:
    pack_params: dict[str, dict[str, Any]] = field(default_factory=dict)
    rule_params: dict[str, dict[str, Any]] = field(default_factory=dict)
    unit_rule_params: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    unit_insats: dict[str, str] = field(default_factory=dict)
    source: str = ""

    def params_for(self, pack: str, rule: str, unit: str, defaults: dict[str, Any]) -> dict[str, Any]:
        """Defaults, then pack overrides, then rule overrides, then the unit's overrides."""
        out = dict(defaults)
        for layer in (
            self.pack_params.get(pack, {}),
            self.rule_params.get(rule, {}),
            self.unit_rule_params.get(unit, {}).get(rule, {}),
        ):
            for key, value in layer.items():
                if key in out:
                    out[key] = value
        return out

    # -- what the report says about the settings ("Lokal tolkning") -------------------------

    def notes_for(self, rule: RuleSpec) -> list[str]:
        """Swedish sentences, one per setting that changes this rule's numbers."""
        if not self.source:
            return []
        name = Path(self.source).name
        out = []
        layers: list[tuple[str, Mapping[str, Any]]] = [
            ("", self.pack_params.get(rule.pack, {})),
            ("", self.rule_params.get(rule.id, {})),
        ]
        layers += [(unit, rules.get(rule.id, {})) for unit, rules in sorted(self.unit_rule_params.items())]
        for unit, layer in layers:
            for key, value in layer.items():
                p = rule.params.get(key)
                if p is None:
                    continue
                origin = "granskningens standard" if p.local_default else "rutinens värde"
                where = f" för enheten {unit}" if unit else ""
                out.append(f"Inställningsfilen {name} ändrar{where} ”{p.description.lower()}” till "
                           f"{p.with_unit(value)} ({origin} är {p.with_unit(p.default)}).")
        return out

    def overridden(self, rule: RuleSpec) -> set[str]:
        """Parameters of the rule changed for every unit (pack or rule settings)."""
        return {k for k in (*self.pack_params.get(rule.pack, {}), *self.rule_params.get(rule.id, {}))
                if k in rule.params}

    def unknown_units(self, units: Iterable[str]) -> list[tuple[str, list[str], str]]:
        """Units named in the settings but absent from the exports: (unit, rule ids, Swedish warning)."""
        present = {vocab.fold(u) for u in units}
        out = []
        named = {u: sorted(r) for u, r in self.unit_rule_params.items()}
        for unit in self.unit_insats:
            named.setdefault(unit, [])
        for unit, rule_ids in sorted(named.items()):
            if vocab.fold(unit) in present:
                continue
            what = "inställningarna för den" if rule_ids else "insatsen som anges för den"
            out.append((unit, rule_ids,
                        f"Inställningsfilen {Path(self.source).name} nämner enheten ”{unit}”, som inte finns "
                        f"i exporterna; {what} används inte. Kontrollera stavningen."))
        return out


def _closest(word: str, choices: Iterable[str]) -> str:
    from auditor.rules.schema import closest

    hint = closest(word, sorted(set(choices)))
    return f" – menade du '{hint}'?" if hint else ""


def _table(data: Mapping[str, Any], key: str, where: str, errors: list[str]) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        errors.append(f"{where}[{key}] ska vara en tabell (rubrik inom hakparenteser), inte ett enskilt värde")
        return {}
    return value


def _check_params(params: Any, where: str, rules: Sequence[RuleSpec], errors: list[str]) -> dict[str, Any]:
    """Validate ``name = value`` lines against the parameter definitions of ``rules``."""
    if not isinstance(params, dict):
        errors.append(f"{where} ska vara en tabell med parametrar (namn = värde)")
        return {}
    known = {name: p for r in rules for name, p in r.params.items()}
    for key, value in params.items():
        if key not in known:
            names = ", ".join(sorted(known)) or "inga"
            errors.append(f"{where}: okänd parameter '{key}'{_closest(key, known)} (giltiga: {names})")
            continue
        for r in rules:
            p = r.params.get(key)
            problem = p.problem(value) if p is not None else None
            if problem:
                errors.append(f"{where}: '{key}' {problem}")
                break
    return dict(params)


def validate(data: Mapping[str, Any], name: str, packs: Sequence[Pack]) -> Config:
    """Check parsed TOML against the packs' schema; every problem is one Swedish line."""
    errors: list[str] = []
    pre = f"Konfigurationen {name}: "
    for key in data:
        if key not in TOP_LEVEL:
            errors.append(f"{pre}okänd rubrik [{key}]{_closest(key, TOP_LEVEL)} "
                          f"(giltiga: {', '.join(TOP_LEVEL)})")
    pack_rules = {p.name.upper(): list(p.rules) for p in packs}
    by_id = {r.id: r for p in packs for r in p.rules}
    cfg = Config(source=name)

    for pack, params in _table(data, "packs", pre, errors).items():
        key = pack.upper()
        if key not in pack_rules:
            errors.append(f"{pre}okänt regelpaket [packs.{pack}]{_closest(key, pack_rules)} "
                          f"(paket: {', '.join(sorted(pack_rules))})")
            continue
        cfg.pack_params[key] = _check_params(params, f"{pre}[packs.{pack}]", pack_rules[key], errors)

    def rule_tables(table: dict[str, Any], where: str) -> dict[str, dict[str, Any]]:
        out = {}
        for rid, params in table.items():
            key = rid.upper()
            if key not in by_id:
                errors.append(f"{pre}okänd regel [{where}.{rid}]{_closest(key, by_id)}")
                continue
            out[key] = _check_params(params, f"{pre}[{where}.{rid}]", [by_id[key]], errors)
        return out

    cfg.rule_params = rule_tables(_table(data, "rules", pre, errors), "rules")
    for unit, body in _table(data, "units", pre, errors).items():
        where = f'units."{unit}"'
        if not isinstance(body, dict):
            errors.append(f"{pre}[{where}] ska vara en tabell")
            continue
        for key in body:
            if key != "rules":
                errors.append(f"{pre}okänd rubrik [{where}.{key}]{_closest(key, ['rules'])}")
        cfg.unit_rule_params[unit] = rule_tables(_table(body, "rules", pre, errors), f"{where}.rules")
    for unit, insats in _table(data, "unit_insats", pre, errors).items():
        if not isinstance(insats, str) or not vocab.insats_keys(insats):
            known = ", ".join(vocab.INSATS_LABEL.values())
            errors.append(f'{pre}[unit_insats] "{unit}": okänd insats {insats!r} (kända: {known})')
            continue
        cfg.unit_insats[str(unit)] = insats
    if errors:
        raise ConfigError("\n".join(errors))
    return cfg


def load_config(path: Path | None, packs: Sequence[Pack] | None = None) -> Config:
    """Read and validate the settings file; ``packs`` are all packs a setting may name."""
    if path is None:
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"Konfigurationsfilen {path} finns inte") from exc
    except IsADirectoryError as exc:
        raise ConfigError(f"Konfigurationsfilen {path} är en mapp, inte en fil") from exc
    except OSError as exc:
        raise ConfigError(f"Konfigurationsfilen {path} kan inte läsas: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"Konfigurationsfilen {path} är inte sparad som UTF-8") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Konfigurationsfilen {path} är ingen giltig TOML: {_toml_sv(exc)}") from exc
    if packs is None:
        from auditor.rules.packs import builtin_pack_paths, load_pack

        packs = [load_pack(p) for p in builtin_pack_paths()]
    return validate(data, str(path), packs)


def _toml_sv(exc: tomllib.TOMLDecodeError) -> str:
    """tomllib's message is English ("Invalid value (at line 2, column 12)"); keep only the place."""
    import re

    m = re.search(r"line (\d+), column (\d+)", str(exc))
    return f"fel på rad {m.group(1)}, tecken {m.group(2)}" if m else "filen kan inte tolkas"
