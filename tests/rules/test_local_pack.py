"""Packs from anywhere: a pack file of one's own, given with --rules, under the same validation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.cli import main
from auditor.rules.packs import PackError, load_packs
from tests.rules.conftest import LOCAL_PACK


def test_local_pack_loads_beside_the_shipped_ones(tmp_path: Path, write_pack) -> None:
    path = write_pack(LOCAL_PACK)
    packs = load_packs(["TN", str(path)])
    assert [p.name for p in packs] == ["TN", "LOK"]
    lok = packs[1]
    assert lok.info.valid_until.isoformat() == "2027-01-15"
    rule = lok.rules[0]
    assert (rule.id, rule.pack, rule.scope, rule.implementation) == ("LOK1", "LOK", ("boendestod",), "data")
    assert rule.params["days"].default == 7


def test_local_pack_is_listed_as_data(tmp_path: Path, write_pack, capsys) -> None:
    path = write_pack(LOCAL_PACK)
    assert main(["rules", "--rules", str(path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(r["id"], r["implementation"], r["pack"]) for r in data["rules"]] == [("LOK1", "data", "LOK")]
    assert data["packs"][0]["issuer"] == "Testkommunen, enhetschef boendestöd"


def test_broken_local_pack_names_its_file(tmp_path: Path, write_pack, capsys) -> None:
    path = write_pack(LOCAL_PACK.replace("severity: medium", "severity: mellan"))
    assert main(["rules", "--rules", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"Regelpaketet {path}, regel LOK1, fältet 'rules.LOK1.severity': har värdet texten 'mellan'" in err


def test_local_pack_may_not_take_a_shipped_name_or_id(tmp_path: Path, write_pack) -> None:
    path = write_pack(LOCAL_PACK.replace("pack: LOK", "pack: TN").replace("LOK1", "TN9"))
    with pytest.raises(PackError, match="precis som ett medföljande paket"):
        load_packs([str(path)])
    path = write_pack(LOCAL_PACK.replace("pack: LOK", "pack: G").replace("LOK1", "GB1"), "g.yaml")
    with pytest.raises(PackError, match="regel GB1: id:t används redan"):
        load_packs([str(path)])


def test_missing_pack_file_and_misspelt_pack_name(tmp_path: Path) -> None:
    with pytest.raises(PackError, match="finns inte"):
        load_packs([str(tmp_path / "saknas.yaml")])
    with pytest.raises(PackError, match="Menade du 'TN'"):
        load_packs(["TM"])


def test_rule_that_cannot_run_is_a_usage_error(tmp_path: Path, write_pack, capsys) -> None:
    text = LOCAL_PACK[: LOCAL_PACK.index("    logic:")]
    path = write_pack(text)
    (tmp_path / "in").mkdir()
    code = main(["run", str(tmp_path / "in"), "--out", str(tmp_path / "o"), "--rules", str(path)])
    assert code == 2
    assert "regel LOK1: regeln har ingen logik" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()
