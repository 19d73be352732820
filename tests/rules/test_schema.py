"""The pack schema: published as JSON Schema, shipped packs valid, broken packs get Swedish errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from auditor.cli import main
from auditor.rules.packs import (
    PackError,
    builtin_pack_dir,
    builtin_pack_paths,
    load_packs,
    parse_pack,
)
from auditor.rules.schema import pack_json_schema, pack_json_schema_text

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = ROOT / "rules" / "schema" / "pack.schema.json"
# Words of pydantic's English messages that must never reach a user.
ENGLISH = ("Field required", "Input should", "Extra inputs", "validation error", "Value error", "type=")


def _pack(name: str) -> dict:
    return yaml.safe_load((builtin_pack_dir() / name).read_text(encoding="utf-8"))


def _errors(data: dict, source: str = "paket.yaml") -> str:
    with pytest.raises(PackError) as exc:
        parse_pack(data, source)
    text = str(exc.value)
    assert not any(word in text for word in ENGLISH), text
    return text


def test_committed_json_schema_is_current() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == pack_json_schema_text(), (
        "rules/schema/pack.schema.json is stale: run 'auditor rules schema > rules/schema/pack.schema.json'")


def test_rules_schema_command_prints_it(capsys) -> None:
    assert main(["rules", "schema"]) == 0
    assert json.loads(capsys.readouterr().out) == pack_json_schema()


@pytest.mark.parametrize("path", builtin_pack_paths(), ids=lambda p: p.stem)
def test_shipped_packs_validate_in_an_editor(path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=schema/pack.schema.json\n")
    jsonschema.validate(json.loads(json.dumps(yaml.safe_load(text), default=str)), pack_json_schema())


def test_editor_schema_rejects_what_the_loader_rejects() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    data = json.loads(json.dumps(_pack("gb.yaml"), default=str))
    data["rules"][7]["params"]["max_dayz"] = data["rules"][7]["params"].pop("max_days")
    data["rules"][7]["params"]["max_dayz"]["defualt"] = 3
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, pack_json_schema())


def test_error_names_file_rule_and_field_in_swedish() -> None:
    data = _pack("gb.yaml")
    data["rules"][0]["severity"] = "enorm"
    data["rules"][1]["sevrity"] = "low"
    del data["rules"][2]["doc"]["why"]
    data["rules"][7]["params"]["max_days"]["default"] = "sextio"
    data["routine"]["decided"] = "igår"
    text = _errors(data, "gb-lokal.yaml")
    lines = text.splitlines()
    assert "Regelpaketet gb-lokal.yaml, regel GB1, fältet 'rules.GB1.severity': har värdet texten 'enorm'; " \
           "tillåtna: low, medium, high, critical" in lines
    assert "Regelpaketet gb-lokal.yaml, regel GB2, fältet 'rules.GB2.sevrity': är okänt – menade du 'severity'?" in lines
    assert "Regelpaketet gb-lokal.yaml, regel GB3, fältet 'rules.GB3.doc.why': saknas" in lines
    assert any(line.startswith("Regelpaketet gb-lokal.yaml, regel GB8, fältet 'rules.GB8.params.max_days': default ska vara "
                               "ett heltal") for line in lines)
    assert "Regelpaketet gb-lokal.yaml, fältet 'routine.decided': är inget datum (ÅÅÅÅ-MM-DD): texten 'igår'" in lines


def test_parameter_default_must_respect_its_own_range() -> None:
    data = _pack("tn.yaml")
    data["rules"][3]["params"]["window_days"]["default"] = -1
    assert "regel TN4, fältet 'rules.TN4.params.window_days': default får inte vara mindre än 0" in _errors(data)


def test_rule_id_must_belong_to_the_pack_and_be_unique() -> None:
    data = _pack("tn.yaml")
    data["rules"][1]["id"] = "TN1"
    assert "regel-id 'TN1' finns flera gånger" in _errors(data)
    data["rules"][1]["id"] = "GB99"
    assert "ska börja med paketets namn 'TN'" in _errors(data)


def test_rule_without_scope_has_the_packs() -> None:
    tn = load_packs(["TN"])[0]
    assert all(r.scope == ("boendestod",) and r.pack == "TN" for r in tn.rules)
    hp = load_packs(["HP"])[0]
    assert hp.rules[0].scope == ("all",)


def test_rules_json_lists_every_rule_with_its_implementation(capsys) -> None:
    assert main(["rules", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    ids = {r["id"] for r in data["rules"]}
    shipped = {r.id for p in load_packs(None) + load_packs(["DOK"]) for r in p.rules}
    assert ids == shipped
    for r in data["rules"]:
        assert r["implementation"] in ("data", "python"), r
        assert r["pack"] in {p["name"] for p in data["packs"]}
        assert r["severity"] in ("low", "medium", "high", "critical")
        assert r["strength"] in ("ska", "bör", "lokal default")
    gb8 = next(r for r in data["rules"] if r["id"] == "GB8")
    assert gb8["params"]["max_days"] == {
        "type": "int", "unit": "dagar", "default": 89, "minimum": 0, "maximum": 366,
        "local_default": False, "description": gb8["params"]["max_days"]["description"]}


def test_rules_into_a_closed_pipe_is_quiet() -> None:
    """`auditor rules | head -1` ends without a traceback (the reader is gone before the
    listing is written)."""
    import os
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "auditor", "rules", "--format", "json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
                            env=dict(os.environ, CI="1"))
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8")
    assert proc.wait(timeout=60) == 0
    assert "Traceback" not in err and "BrokenPipe" not in err and "Exception ignored" not in err
