"""The user's TOML mapping profile: loading, Swedish errors, applying it."""

from __future__ import annotations

import pytest

from auditor.ingest import MappingProfile, MappingProfileError

from .conftest import P1, P2, messages, read_one, write

PROFILE = """
[journal]
personnummer = "Klientens nr"
datum = ["Anteckningsdag", "Dag"]

[alla]
enhet = "Grupp/ställe"

[kinds]
"*dagbok*" = "journal"
"""


def test_load_and_lookups(tmp_path):
    prof = MappingProfile.load(write(tmp_path, "m.toml", PROFILE))
    assert prof.columns["journal"] == {
        "personnummer": ("Klientens nr",),
        "datum": ("Anteckningsdag", "Dag"),
        "enhet": ("Grupp/ställe",),
    }
    assert prof.columns["avvikelse"] == {"enhet": ("Grupp/ställe",)}
    assert prof.kind_for("Dagbok maj.csv") == "journal"
    assert prof.kind_for("annat.csv") is None
    assert prof.keys_for("journal")["klientensnr"] == "personnummer"


def test_profile_maps_headers_synonyms_cannot(tmp_path):
    prof = MappingProfile.load(write(tmp_path, "m.toml", PROFILE))
    text = f"Klientens nr;Dag;Anteckning;Grupp/ställe\n{P1};2024-05-31;Text;Solgläntan\n"
    path = write(tmp_path, "export.csv", text)
    assert read_one(path).report.kind == "unreadable"
    li = read_one(path, mapping=prof)
    assert li.kind == "journal"
    assert li.report.mapping["personnummer"] == "Klientens nr"
    assert li.frame["enhet"].tolist() == ["Solgläntan"]


def test_profile_header_not_found_is_reported(tmp_path):
    prof = MappingProfile.from_dict({"journal": {"sokord": "Märkning X"}})
    li = read_one(write(tmp_path, "j.csv", f"Pnr;Datum;Text\n{P2};2024-05-31;x\n"), mapping=prof)
    assert li.kind == "journal"
    assert any("'Märkning X'" in m and "ingen sådan rubrik" in m for m in messages(li))


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[journal\npersonnummer = 1", "inte giltig TOML"),
        ('[jornal]\npersonnummer = "x"', "okänd sektion [jornal]"),
        ('[journal]\npersonnr = "x"', "har ingen kolumn 'personnr'"),
        ("[journal]\npersonnummer = 5", "ska vara en rubrik"),
        ('[kinds]\n"*.csv" = "dagbok"', "okänd exporttyp 'dagbok'"),
        ('personnummer = "x"', "ska vara en sektion"),
    ],
)
def test_errors_are_swedish_and_clear(tmp_path, text, fragment):
    with pytest.raises(MappingProfileError) as err:
        MappingProfile.load(write(tmp_path, "m.toml", text))
    assert fragment in str(err.value)
    assert "m.toml" in str(err.value)


def test_missing_profile_file(tmp_path):
    with pytest.raises(MappingProfileError, match="finns inte"):
        MappingProfile.load(tmp_path / "saknas.toml")


def test_broken_toml_is_explained_in_swedish_with_line_and_column(tmp_path):
    import pytest

    from auditor.ingest import MappingProfile, MappingProfileError

    path = tmp_path / "kolumner.toml"
    path.write_text('[journal]\npersonnummer = "Klientens nummer\n', encoding="utf-8")
    with pytest.raises(MappingProfileError) as exc:
        MappingProfile.load(path)
    msg = str(exc.value)
    assert "inte giltig TOML (rad 2, kolumn" in msg
    assert not any(w in msg for w in ("line", "column", "Invalid", "Expected", "string"))
