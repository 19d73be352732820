"""The typed schema of a rule pack (pydantic), its JSON Schema, and Swedish error messages.

A pack file (``rules/*.yaml``) is one routine: its metadata and its rules. The models here
are the single definition of what a pack may contain; ``auditor rules schema`` publishes
them as JSON Schema (``rules/schema/pack.schema.json``) so an editor validates a pack as
it is typed, and the configuration file (``--config``) is checked against the same
parameter definitions.

pydantic's own messages are English; :func:`swedish_errors` translates every error into
Swedish, naming the field as a path (``rules.TN1.params.window_days.default``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from auditor.findings.result import RuleInfo
from auditor.rules.logic import Logic, logic_parameters

SEVERITIES = ("low", "medium", "high", "critical")
STRENGTHS = ("ska", "bör", "lokal default")
INSATS_KEYS = (
    "boendestod", "korttidsvistelse", "avlosarservice", "ledsagarservice", "kontaktperson", "all",
)
NEED_KINDS = ("journal", "uppdrag", "plan", "besok", "avvikelse", "vistelse")
DOC_SECTIONS = ("checks", "why", "fails", "passes")
RESPONSIBLE = ("utförare", "myndighet")
PARAM_TYPES = ("int", "float", "str", "bool")
PARAM_TYPE_SV = {"int": "ett heltal", "float": "ett tal", "str": "en text", "bool": "true eller false"}
# Units a number can be given in; the Swedish word is what a report shows after the value.
PARAM_UNITS = ("dagar", "arbetsdagar", "veckor", "månader", "timmar", "antal")

SCHEMA_ID = "https://auditor.invalid/schema/pack.schema.json"

Text = Annotated[str, Field(min_length=1)]


class _Model(BaseModel):
    # A misspelt key is an error, never ignored.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Routine(_Model):
    """The written routine a pack implements."""

    title: Text = Field(description="Rutinens titel, som i dokumentet")
    issuer: Text = Field(description="Vem som utfärdat rutinen (kommun, förvaltning, roll)")
    decided: dt.date | None = Field(None, description="Beslutsdatum (ÅÅÅÅ-MM-DD), null om okänt")
    valid_until: dt.date | None = Field(None, description="Giltig till (ÅÅÅÅ-MM-DD), null = tills vidare")
    source: Text = Field(description="Rutinens filnamn eller föreskrift, t.ex. 'SOSFS 2014:5'")


_VALUE = re.compile(r"\{value(?::([^|}]*)\|([^}]*))?\}")


class Param(_Model):
    """A number or setting a rule uses; the routine's value or the auditor's own reading."""

    name: SkipJsonSchema[str] = ""  # the key in ``params``; filled in when the pack is read
    type: Literal["int", "float", "str", "bool"] | None = Field(
        None, description="Värdets typ; utelämnad = samma typ som default")
    unit: Literal["dagar", "arbetsdagar", "veckor", "månader", "timmar", "antal"] | None = Field(
        None, description="Enheten som värdet anges i")
    minimum: float | None = Field(None, description="Minsta tillåtna värde (även i --config)")
    maximum: float | None = Field(None, description="Största tillåtna värde (även i --config)")
    default: Annotated[Any, Field(description="Rutinens värde, eller granskningens eget antagande")]
    local_default: bool = Field(
        False, description="true när rutinen inte anger någon siffra och värdet är granskningens eget")
    description: Text = Field(description="Vad parametern betyder, på svenska")
    assumption: str = Field(
        "", description="För ett eget antagande: en mening till läsaren, med {value} eller "
        "{value:dag|dagar} (ental|flertal efter talet), t.ex. 'Vi varnar {value:dag|dagar} "
        "innan fristen går ut; rutinen anger ingen sådan gräns.'")

    @model_validator(mode="after")
    def _typed(self) -> Param:
        kind = self.type or _type_of(self.default)
        if self.type is None and self.unit is not None:  # a unit means a number
            kind = "float" if isinstance(self.default, float) else "int"
        if kind is None:
            raise ValueError("default ska vara ett tal, en text eller true/false")
        if self.type is None:
            object.__setattr__(self, "type", kind)
        problem = self.problem(self.default)
        if problem:
            raise ValueError(f"default {problem}")
        return self

    @property
    def kind(self) -> str:
        return self.type or _type_of(self.default) or "str"

    def problem(self, value: Any) -> str | None:
        """Swedish reason why ``value`` is not allowed for this parameter, or None."""
        kind = self.kind
        ok = {
            "int": isinstance(value, int) and not isinstance(value, bool),
            "float": isinstance(value, int | float) and not isinstance(value, bool),
            "str": isinstance(value, str),
            "bool": isinstance(value, bool),
        }[kind]
        if not ok:
            return f"ska vara {PARAM_TYPE_SV[kind]}, inte {_show(value)}"
        if kind in ("int", "float"):
            if self.minimum is not None and value < self.minimum:
                return f"får inte vara mindre än {_num(self.minimum)} (angivet: {value})"
            if self.maximum is not None and value > self.maximum:
                return f"får inte vara större än {_num(self.maximum)} (angivet: {value})"
        return None

    def assumption_text(self, value: Any = None) -> str:
        """The assumption as a sentence with the value filled in and the noun agreeing."""
        value = self.default if value is None else value

        def fill(m: re.Match) -> str:
            if m.group(1) is None:
                return str(value)
            return f"{value} {m.group(1) if value == 1 else m.group(2)}"

        return _VALUE.sub(fill, self.assumption)

    def with_unit(self, value: Any) -> str:
        """``60 dagar``: the value as a report shows it."""
        if self.unit and self.unit != "antal":
            return f"{value} {self.unit}"
        return str(value)


class Doc(_Model):
    """What the rule checks and why, with one failing and one passing example."""

    checks: Text = Field(description="Vad kontrolleras, i klartext")
    why: Text = Field(description="Varför rutinen kräver det")
    fails: Text = Field(description="Exempel som brister")
    passes: Text = Field(description="Exempel som uppfyller")

    def __getitem__(self, key: str) -> str:
        return str(getattr(self, key))


class RuleSpec(_Model):
    """One requirement of a routine, as a rule."""

    id: str = Field(pattern=r"^[A-Z]+[0-9]+$", description="Regel-id: paketets namn och ett nummer, t.ex. TN1")
    pack: SkipJsonSchema[str] = ""  # filled in from the pack when the pack is read
    name: str = Field(pattern=r"^[a-z0-9åäö]+(-[a-z0-9åäö]+)*$",
                      description="Kort namn med bindestreck, t.ex. avbokning-informerad")
    title: Text = Field(description="Kravet på en rad, på svenska")
    severity: Literal["low", "medium", "high", "critical"] = Field(description="Allvarlighet")
    strength: Literal["ska", "bör", "lokal default"] = Field(
        description="ska = krav i rutinen, bör = rekommendation, lokal default = granskningens tolkning")
    section: Text = Field(description="Avsnittet i rutinen")
    quote: Text = Field(description="Rutinens ord, ordagrant")
    needs: tuple[str, ...] = Field(
        (), description="Exporter (och kolumner) regeln behöver, t.ex. journal eller uppdrag.beslutsdatum")
    scope: tuple[Literal["boendestod", "korttidsvistelse", "avlosarservice", "ledsagarservice",
                         "kontaktperson", "all"], ...] = Field(
        (), description="Insatser regeln gäller; utelämnad = paketets")
    params: dict[str, Param] = Field(default_factory=dict, description="Parametrar med standardvärden")
    doc: Doc
    responsible: Literal["utförare", "myndighet"] = Field(
        description="Vem som ska åtgärda en brist: utföraren eller myndigheten (handläggaren)")
    action: Text = Field(description="Föreslagen åtgärd vid brist eller risk, kort och på svenska")
    messages: dict[str, str] = Field(default_factory=dict, description="Meddelandemallar per utfall")
    # The declarative logic interpreted by the generic check (auditor/rules/logic.py).
    logic: Logic | None = Field(None, description="Regelns logik som data (generisk kontroll)")

    @model_validator(mode="before")
    @classmethod
    def _param_names(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("params"), dict):
            data = dict(data)
            data["params"] = {
                k: ({**v, "name": k} if isinstance(v, dict) else v) for k, v in data["params"].items()
            }
        return data

    @model_validator(mode="after")
    def _logic_params(self) -> RuleSpec:
        if self.logic is not None:
            for name in logic_parameters(self.logic):
                if name not in self.params:
                    raise ValueError(f"logic använder parametern '{name}' som regeln inte har (params)")
                if self.params[name].type != "int":
                    raise ValueError(f"logic använder parametern '{name}' som ett antal, men den är inget heltal")
        return self

    @field_validator("needs")
    @classmethod
    def _needs(cls, needs: tuple[str, ...]) -> tuple[str, ...]:
        for need in needs:
            if need.split(".")[0] not in NEED_KINDS:
                raise ValueError(f"har okänd exporttyp i '{need}' (tillåtna: {', '.join(NEED_KINDS)})")
        return needs

    @property
    def implementation(self) -> str:
        """``data`` when the generic check interprets the rule's logic block, else ``python``."""
        return "data" if self.logic is not None else "python"

    def defaults(self) -> dict[str, Any]:
        return {name: p.default for name, p in self.params.items()}

    @property
    def info(self) -> RuleInfo:
        """What a report shows about the rule (citation, strength, the auditor's own numbers)."""
        local = [p for p in self.params.values() if p.local_default]
        sentences = [p.assumption_text() for p in local if p.assumption]
        plain = [p for p in local if not p.assumption]
        if plain:
            sentences.append("Granskningens eget antagande (rutinen anger ingen siffra): " + "; ".join(
                f"{p.description.lower()}: {p.with_unit(p.default)}" for p in plain
            ) + ".")
        note = " ".join(sentences)
        return RuleInfo(
            id=self.id, pack=self.pack, name=self.name, title=self.title,
            severity=self.severity, strength=self.strength, section=self.section,
            quote=self.quote, local_default_note=note,
            responsible=self.responsible, action=self.action,
        )


class PackSpec(_Model):
    """A rule pack: one routine and its rules."""

    pack: str = Field(pattern=r"^[A-Z]+$", description="Paketets namn, versaler, t.ex. TN")
    slug: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", description="Paketets långa namn med bindestreck")
    version: str = Field(description="Paketets version, t.ex. 2023.01-1")
    routine: Routine
    scope: tuple[Literal["boendestod", "korttidsvistelse", "avlosarservice", "ledsagarservice",
                         "kontaktperson", "all"], ...] = Field(
        min_length=1, description="Insatser som paketets regler gäller")
    optional: bool = Field(False, description="true = körs bara när paketet anges med --rules")
    rules: tuple[RuleSpec, ...] = Field(min_length=1)

    @field_validator("version", mode="before")
    @classmethod
    def _version(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int | float) and not isinstance(v, bool) else v

    @model_validator(mode="before")
    @classmethod
    def _rules_know_their_pack(cls, data: Any) -> Any:
        if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
            return data
        data = dict(data)
        data["rules"] = [
            {**raw, "pack": data.get("pack", "")} if isinstance(raw, dict) else raw
            for raw in data["rules"]
        ]
        return data

    @model_validator(mode="after")
    def _ids(self) -> PackSpec:
        seen: set[str] = set()
        for r in self.rules:
            if not r.id.startswith(self.pack):
                raise ValueError(f"regel-id '{r.id}' ska börja med paketets namn '{self.pack}'")
            if r.id in seen:
                raise ValueError(f"regel-id '{r.id}' finns flera gånger")
            seen.add(r.id)
            if not r.scope:  # a rule without its own scope has the pack's
                object.__setattr__(r, "scope", self.scope)
        return self


# -- JSON Schema ---------------------------------------------------------------------------


# What an editor shows for each part of a pack (the models' docstrings are English).
_SCHEMA_TEXT_SV = {
    "PackSpec": "Ett regelpaket: en rutin och dess regler.",
    "Routine": "Rutinen som paketet bygger på: titel, utfärdare, beslut och giltighet.",
    "RuleSpec": "Ett krav i rutinen, som en regel.",
    "Param": "En siffra eller inställning som regeln använder; kan ändras med --config.",
    "Doc": "Vad regeln kontrollerar och varför, med ett exempel som brister och ett som uppfyller.",
}


def _swedish_schema(node: Any) -> None:
    """Drop pydantic's English auto-titles ("Local Default") so editors show the Swedish descriptions."""
    if isinstance(node, dict):
        props = node.get("properties")
        if isinstance(props, dict):
            for prop in props.values():
                if isinstance(prop, dict):
                    prop.pop("title", None)
        for value in node.values():
            _swedish_schema(value)
    elif isinstance(node, list):
        for value in node:
            _swedish_schema(value)


def pack_json_schema() -> dict[str, Any]:
    """The JSON Schema an editor uses to validate a pack file while it is typed."""
    schema = PackSpec.model_json_schema()
    _swedish_schema(schema)
    for name, model in schema.get("$defs", {}).items():
        model["title"] = name
        model["description"] = _SCHEMA_TEXT_SV.get(name, "")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "Regelpaket för auditor"
    schema["description"] = (
        "Ett regelpaket är en rutin: dess titel, utfärdare och giltighet, och dess regler. "
        "Genererad med 'auditor rules schema'; ändra i auditor/rules/schema.py, inte här.")
    return schema


def pack_json_schema_text() -> str:
    return json.dumps(pack_json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


# -- Swedish errors ------------------------------------------------------------------------


def _type_of(value: Any) -> str | None:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "str"
    return None


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f"texten '{value}'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "en tabell"
    if isinstance(value, list | tuple):
        return "en lista"
    if value is None:
        return "tomt"
    return str(value)


def closest(word: str, choices: list[str] | tuple[str, ...] | set[str] | dict[str, Any]) -> str | None:
    """The valid name closest to a misspelt one (edit distance, transpositions count as one
    edit), when it is close enough to be a likely typo."""
    if not choices:
        return None
    limit = max(1, len(word) // 3)
    match = process.extractOne(word, list(choices), scorer=DamerauLevenshtein.distance,
                               processor=str.lower, score_cutoff=limit)
    return str(match[0]) if match else None


# Fields the loader fills in; an author never writes them.
_INJECTED: dict[type[BaseModel], tuple[str, ...]] = {RuleSpec: ("pack",), Param: ("name",)}


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """Which model the last element of ``loc`` is a key of (for 'did you mean')."""
    parent = loc[:-1]
    if not parent:
        return PackSpec
    if parent == ("routine",):
        return Routine
    if len(parent) == 2 and parent[0] == "rules":
        return RuleSpec
    if len(parent) == 3 and parent[0] == "rules" and parent[2] == "doc":
        return Doc
    if len(parent) == 4 and parent[0] == "rules" and parent[2] == "params":
        return Param
    return None


def _message(err: dict[str, Any]) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    loc = tuple(err["loc"])
    if kind == "missing":
        return "saknas"
    if kind == "extra_forbidden":
        model = _model_at(loc)
        fields = [n for n in model.model_fields if n not in _INJECTED.get(model, ())] if model else []
        hint = closest(str(loc[-1]), fields)
        return "är okänt" + (f" – menade du '{hint}'?" if hint else "")
    if kind == "literal_error":
        allowed = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"har värdet {_show(value)}; tillåtna: {allowed}"
    if kind in ("string_type",):
        return f"ska vara en text, inte {_show(value)}"
    if kind in ("string_too_short",):
        return "får inte vara tomt"
    if kind == "string_pattern_mismatch":
        return f"har fel form ({_show(value)})"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"ska vara ett heltal, inte {_show(value)}"
    if kind in ("float_type", "float_parsing"):
        return f"ska vara ett tal, inte {_show(value)}"
    if kind in ("bool_type", "bool_parsing"):
        return f"ska vara true eller false, inte {_show(value)}"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"är inget datum (ÅÅÅÅ-MM-DD): {_show(value)}"
    if kind in ("list_type", "tuple_type"):
        return f"ska vara en lista, inte {_show(value)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"ska vara en tabell (nycklar och värden), inte {_show(value)}"
    if kind == "too_short":
        return "får inte vara tomt"
    if kind == "value_error":
        return str(ctx.get("error", "är ogiltigt"))
    return "är ogiltigt"


def _path(loc: tuple[Any, ...], data: Any) -> tuple[str, str | None]:
    """The field's dotted path (rule ids in place of list positions), and the rule's id if any."""
    parts: list[str] = []
    rule: str | None = None
    node = data
    for i, key in enumerate(loc):
        if isinstance(key, int) and i == 1 and loc[0] == "rules":
            rid = node[key].get("id") if isinstance(node, list) and key < len(node) and isinstance(node[key], dict) else None
            rule = str(rid) if rid else f"nr {key + 1}"
            parts[-1] = f"rules.{rid}" if rid else f"rules[{key}]"
        elif isinstance(key, int):
            pass  # the value itself is quoted in the message
        else:
            parts.append(str(key))
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            node = None
    return ".".join(parts), rule


def swedish_errors(exc: ValidationError, data: Any, source: str) -> list[str]:
    """One Swedish line per error: file, rule and field, never pydantic's English text."""
    errors = exc.errors()
    lines = []
    for err in errors:
        loc = tuple(err["loc"])
        # "too short" after every item failed only repeats the item errors.
        if err["type"] == "too_short" and any(
            len(o["loc"]) > len(loc) and tuple(o["loc"][:len(loc)]) == loc for o in errors
        ):
            continue
        path, rule = _path(loc, data)
        where = f"Regelpaketet {source}"
        if rule:
            where += f", regel {rule}"
        if path:
            where += f", fältet '{path}'"
        line = f"{where}: {_message(dict(err))}"
        if line not in lines:
            lines.append(line)
    return lines
