"""The rule packs themselves: valid, complete, cited, and each rule with its test cases."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from auditor.rules.checks import load_all
from auditor.rules.packs import (
    PackError,
    builtin_pack_dir,
    builtin_pack_paths,
    load_pack,
    load_packs,
    parse_pack,
)

CATALOGUE_IDS = {
    "TN1", "TN2", "TN3", "TN4", "TN5", "TN6",
    "GB1", "GB2", "GB3", "GB4", "GB5", "GB6", "GB7", "GB8", "GB9", "GB10", "GB11", "GB12",
    "KT1", "KT2", "NB1", "NB2", "HP1", "DOK1", "DOK2", "DOK3",
}
SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def all_rules():
    return [r for p in load_packs(None) + load_packs(["DOK"]) for r in p.rules]


def test_ids_unique_and_match_catalogue() -> None:
    ids = [r.id for r in all_rules()]
    assert len(ids) == len(set(ids))
    assert set(ids) >= CATALOGUE_IDS


def test_rules_beyond_the_catalogue_are_data_with_cases() -> None:
    """A rule a pack adds beyond the catalogue (docs/regelforfattare.md) is data, with its cases:
    adding one touches its pack and its case file, nothing else."""
    cases = builtin_pack_dir() / "cases"
    for r in all_rules():
        if r.id not in CATALOGUE_IDS:
            assert r.implementation == "data", r.id
            assert (cases / f"{r.id}.yaml").is_file(), r.id


@pytest.mark.skipif(not (SHARED / "spec" / "rule-catalogue.md").exists(), reason="shared/spec not beside the repo")
def test_catalogue_file_lists_the_same_ids() -> None:
    text = (SHARED / "spec" / "rule-catalogue.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| ((?:TN|GB|KT|NB|HP|DOK)\d+) \|", text, flags=re.M))
    assert listed == CATALOGUE_IDS


def test_severity_matches_catalogue() -> None:
    expected = {"TN1": "high", "TN2": "medium", "TN3": "medium", "TN4": "high", "TN5": "high", "TN6": "medium",
                "GB1": "medium", "GB2": "high", "GB3": "critical", "GB4": "high", "GB5": "high", "GB6": "medium",
                "GB7": "medium", "GB8": "medium", "GB9": "medium", "GB10": "medium", "GB11": "medium",
                "GB12": "low", "KT1": "medium", "KT2": "medium", "NB1": "medium", "NB2": "low", "HP1": "high",
                "DOK1": "low", "DOK2": "medium", "DOK3": "low"}
    assert {r.id: r.severity for r in all_rules() if r.id in CATALOGUE_IDS} == expected


def test_every_rule_has_exactly_one_implementation() -> None:
    """A rule's logic is data in its pack, or a Python check registered by its id; never both."""
    checks = load_all()
    for r in all_rules():
        assert (r.logic is not None) != (r.id in checks), f"{r.id}: logic {r.logic is not None}, check {r.id in checks}"


def test_most_catalogue_rules_are_data() -> None:
    data = [r.id for r in all_rules() if r.implementation == "data"]
    assert len(data) >= 15, data


def test_citations_name_existing_routines() -> None:
    rutiner = SHARED / "rutiner"
    for pack in load_packs(None) + load_packs(["DOK"]):
        src = pack.info.source
        if src.startswith("SOSFS"):
            continue
        assert src.endswith(".md")
        if rutiner.exists():
            assert (rutiner / src).is_file(), f"{pack.name}: {src} not in shared/rutiner"
        for r in pack.rules:
            assert r.section and r.quote


def test_expired_routine_is_known() -> None:
    nb = load_packs(["NB"])[0]
    assert nb.info.valid_until == date(2025, 11, 10)
    assert nb.info.expired(date(2026, 11, 1))


def test_optional_pack_runs_only_when_named() -> None:
    assert "DOK" not in {p.name for p in load_packs(None)}
    assert [p.name for p in load_packs(["DOK"])] == ["DOK"]


@pytest.mark.parametrize("path", builtin_pack_paths(), ids=lambda p: p.stem)
def test_every_rule_has_pass_and_fail_cases(path: Path) -> None:
    pack = load_pack(path)
    for rule in pack.rules:
        case_file = builtin_pack_dir() / "cases" / f"{rule.id}.yaml"
        assert case_file.is_file(), f"{rule.id} has no test cases"
        data = yaml.safe_load(case_file.read_text(encoding="utf-8"))
        assert data["rule"] == rule.id
        statuses = {e["status"] for c in data["cases"] for e in c["expect"]}
        assert "ok" in statuses, f"{rule.id}: no passing case"
        assert statuses & {"violation", "warning"}, f"{rule.id}: no failing case"
        names = [c["name"] for c in data["cases"]]
        assert len(names) == len(set(names))


def test_broken_pack_names_pack_and_field() -> None:
    data = yaml.safe_load((builtin_pack_dir() / "tn.yaml").read_text(encoding="utf-8"))
    data["rules"][0]["severity"] = "enorm"
    with pytest.raises(PackError, match=r"tn-broken.yaml, regel TN1, fältet 'rules.TN1.severity'"):
        parse_pack(data, "tn-broken.yaml")
    data = yaml.safe_load((builtin_pack_dir() / "gb.yaml").read_text(encoding="utf-8"))
    del data["routine"]["title"]
    with pytest.raises(PackError, match=r"routine.title.*saknas"):
        parse_pack(data, "gb.yaml")


def test_unknown_pack_is_a_clear_error() -> None:
    with pytest.raises(PackError, match="Okänt regelpaket"):
        load_packs(["XYZ"])


def test_rule_docs_are_generated_from_the_packs() -> None:
    from auditor.rules.docs import packs_markdown

    committed = (Path(__file__).resolve().parents[2] / "docs" / "regler.md").read_text(encoding="utf-8")
    assert committed == packs_markdown(load_packs(None) + load_packs(["DOK"])), (
        "docs/regler.md is stale: run 'auditor rules --markdown > docs/regler.md'")
