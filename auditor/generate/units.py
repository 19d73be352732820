"""The generator's light defaults and units: what ``auditor generate --help`` needs, without
loading the generator itself (the main CLI builds its parser on every command)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

DEFAULT_AS_OF = date(2026, 11, 1)
DEFAULT_RATE = 0.15


@dataclass(frozen=True)
class UnitSpec:
    name: str
    kind: str  # boendestod | korttid | avlosning | kontaktperson
    weight: float
    file_key: str  # used in file names


UNITS: tuple[UnitSpec, ...] = (
    UnitSpec("Boendestöd Norr", "boendestod", 0.28, "boendestod_norr"),
    UnitSpec("Boendestöd Söder", "boendestod", 0.27, "boendestod_soder"),
    UnitSpec("Korttidsvistelse Solrosen", "korttid", 0.15, "korttid_solrosen"),
    UnitSpec("Avlösning och ledsagning Väst", "avlosning", 0.18, "avlosning_vast"),
    UnitSpec("Kontaktpersoner Centrum", "kontaktperson", 0.12, "kontaktpersoner_centrum"),
)
