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
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


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


def _table(data: dict, key: str, path: str) -> dict:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"Konfigurationen {path}: [{key}] ska vara en tabell")
    return value


def load_config(path: Path | None, known_rules: set[str] | None = None) -> Config:
    if path is None:
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"Konfigurationsfilen {path} finns inte") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Konfigurationsfilen {path} är ingen giltig TOML: {exc}") from exc
    name = str(path)
    cfg = Config(source=name)
    cfg.pack_params = {k.upper(): v for k, v in _table(data, "packs", name).items()}
    cfg.rule_params = {k.upper(): v for k, v in _table(data, "rules", name).items()}
    for unit, body in _table(data, "units", name).items():
        if not isinstance(body, dict):
            raise ConfigError(f"Konfigurationen {name}: [units.\"{unit}\"] ska vara en tabell")
        cfg.unit_rule_params[unit] = {k.upper(): v for k, v in _table(body, "rules", name).items()}
    cfg.unit_insats = {str(k): str(v) for k, v in _table(data, "unit_insats", name).items()}
    if known_rules is not None:
        unknown = (set(cfg.rule_params) | {r for u in cfg.unit_rule_params.values() for r in u}) - known_rules
        if unknown:
            raise ConfigError(
                f"Konfigurationen {name} nämner okända regler: {', '.join(sorted(unknown))}"
            )
    return cfg
