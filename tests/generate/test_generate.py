from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from auditor.generate import generate
from auditor.generate.cli import main as cli_main
from auditor.generate.oracle import terms_between
from auditor.generate.people import luhn_ok, skatteverket_numbers
from auditor.generate.scenario import ALL_RULES, SCOPE, add_months

from .helpers import as_date, labels, norm_pnr, read_csv, read_xlsx

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "data"
KNOWN = set(skatteverket_numbers())


def _all_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file())


def _uppdrag(folder: Path) -> dict[str, dict]:
    rows = read_csv(folder / "uppdrag.csv")
    head = rows[0]
    out = {}
    for r in rows[1:]:
        rec = dict(zip(head, r, strict=True))
        out[norm_pnr(rec["Personnummer"], KNOWN)] = rec
    return out


# --------------------------------------------------------------------------------------------
# determinism and speed
# --------------------------------------------------------------------------------------------


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate(a, clients=30, months=8, seed=5)
    generate(b, clients=30, months=8, seed=5)
    generate(c, clients=30, months=8, seed=6)
    names = [p.name for p in _all_files(a)]
    assert names == [p.name for p in _all_files(b)]
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert (a / "labels.json").read_bytes() != (c / "labels.json").read_bytes()


def test_same_bytes_across_processes(tmp_path: Path) -> None:
    """No dependence on hash randomisation: two interpreters, two hash seeds, one output."""
    outs = []
    for hashseed in ("1", "4242"):
        out = tmp_path / hashseed
        env = {**os.environ, "PYTHONHASHSEED": hashseed, "PYTHONPATH": str(REPO)}
        args = ["--clients", "12", "--months", "6", "--seed", "3", "--out", str(out)]
        subprocess.run(
            [sys.executable, "-m", "auditor.generate", *args],
            check=True,
            env=env,
            capture_output=True,
            cwd=REPO,
        )
        outs.append(out)
    for p in _all_files(outs[0]):
        assert p.read_bytes() == (outs[1] / p.name).read_bytes(), p.name


def test_ten_clients_smoke_is_fast(tmp_path: Path) -> None:
    t0 = time.perf_counter()
    summary = generate(tmp_path, clients=10, months=12, seed=1)
    assert time.perf_counter() - t0 < 5
    assert summary.clients == 10
    assert (tmp_path / "labels.json").exists()
    assert summary.notes > 100


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = cli_main(
        [
            "--clients",
            "8",
            "--months",
            "3",
            "--seed",
            "2",
            "--out",
            str(tmp_path),
            "--as-of",
            "2026-06-01",
        ]
    )
    assert rc == 0
    assert "Genererade 8 brukare" in capsys.readouterr().out
    gen = labels(tmp_path)["generator"]
    assert gen["as_of"] == "2026-06-01" and gen["period"]["from"] == "2026-03-01"
    assert cli_main(["--clients", "0", "--months", "3", "--seed", "2", "--out", str(tmp_path)]) == 2


# --------------------------------------------------------------------------------------------
# identities
# --------------------------------------------------------------------------------------------


def _pnr_values(folder: Path) -> list:
    values = []
    for path in _all_files(folder):
        if path.suffix in (".csv", ".txt"):
            rows = read_csv(path)
            idx = [i for i, h in enumerate(rows[0]) if h in ("Pnr", "Personnummer", "Personnr")]
            values += [r[i] for r in rows[1:] for i in idx]
        elif path.suffix == ".xlsx":
            for sheet_rows in read_xlsx(path).values():
                hdr_i = next(i for i, r in enumerate(sheet_rows) if "Personnummer" in r)
                col = sheet_rows[hdr_i].index("Personnummer")
                values += [r[col] for r in sheet_rows[hdr_i + 1 :] if r[0] != "Summa"]
    return [v for v in values if v not in (None, "")]


def test_only_skatteverket_test_numbers(full_run: Path) -> None:
    values = _pnr_values(full_run)
    assert len(values) > 1000
    normalised = {norm_pnr(v, KNOWN) for v in values}
    assert normalised <= KNOWN
    assert all(luhn_ok(p) for p in normalised)
    for lb in labels(full_run)["labels"]:
        assert lb["case"] in KNOWN
    # and no other 10- or 12-digit number hides in a note text
    for path in (
        full_run / "journal_boendestod_norr.csv",
        full_run / "journal_boendestod_soder.csv",
    ):
        for r in read_csv(path)[1:]:
            assert not re.search(r"\d{6}[-+]?\d{4}", r[6 if "norr" in path.name else 5])


def test_shipped_list_is_a_subset_of_skatteverkets_lists() -> None:
    assert len(KNOWN) >= 10_000
    assert any(int(p[6:8]) > 60 for p in KNOWN)  # samordningsnummer included
    if not SHARED.exists():
        pytest.skip("shared/data not beside the repository")
    published = set()
    for name in ("testpersonnummer.txt", "testsamordningsnummer.txt"):
        published |= {
            ln.strip()
            for ln in (SHARED / name).read_text().splitlines()
            if ln.strip() and ln[0] != "#"
        }
    assert published >= KNOWN


# --------------------------------------------------------------------------------------------
# kinds and variants
# --------------------------------------------------------------------------------------------


def test_every_kind_present(full_run: Path) -> None:
    names = {p.name for p in _all_files(full_run)}
    assert {
        "journal_boendestod_norr.csv",
        "journal_boendestod_soder.csv",
        "journal_lss.xlsx",
        "uppdrag.csv",
        "genomforandeplaner.xlsx",
        "besok_boendestod.txt",
        "avvikelser.xlsx",
        "korttidsvistelser.csv",
        "labels.json",
    } <= names
    sheets = read_xlsx(full_run / "journal_lss.xlsx")
    assert set(sheets) == {
        "Korttidsvistelse Solrosen",
        "Avlösning och ledsagning Väst",
        "Kontaktpersoner Centrum",
    }
    units = {r["Enhet"] for r in _uppdrag(full_run).values()}
    assert units == {
        "Boendestöd Norr",
        "Boendestöd Söder",
        "Korttidsvistelse Solrosen",
        "Avlösning och ledsagning Väst",
        "Kontaktpersoner Centrum",
    }
    insatser = {r["Beviljad insats"] for r in _uppdrag(full_run).values()}
    assert len(insatser) == 5


def test_cp1252_journal_variant(full_run: Path) -> None:
    raw = (full_run / "journal_boendestod_norr.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("cp1252")
    assert text.startswith("Pnr;Namn;Enhet;Anteckningsdatum;Kl;")
    assert "\r\n" in text and "ö" in text
    rows = read_csv(full_run / "journal_boendestod_norr.csv")
    assert all(re.fullmatch(r"\d\d\.\d\d\.\d{4}", r[3]) for r in rows[1:])
    assert all(re.fullmatch(r"\d\d\.\d\d", r[4]) for r in rows[1:])
    forms = Counter(
        "10-"
        if re.fullmatch(r"\d{6}-\d{4}", r[0])
        else "12"
        if re.fullmatch(r"\d{12}", r[0])
        else "?"
        for r in rows[1:]
    )
    assert forms["10-"] > 0 and forms["12"] > 0 and forms["?"] == 0
    assert any(r[10] == "Ja" for r in rows[1:])  # felmarkerad
    assert any("\n" in r[6] for r in rows[1:])  # multi-line sammanställning


def test_soder_and_lss_variants(full_run: Path) -> None:
    rows = read_csv(full_run / "journal_boendestod_soder.csv")
    assert rows[0][:4] == ["Personnummer", "Namn", "Enhet", "Datum"]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", r[3]) for r in rows[1:])
    sheets = read_xlsx(full_run / "journal_lss.xlsx")
    for title, sheet in sheets.items():
        assert sheet[0][0].startswith("Journalanteckningar") and title in sheet[0][0]
        assert sheet[1][0].startswith("Utdrag")
        assert sheet[2][0] == "Personnummer" and "Anteckning" in sheet[2]
        assert sheet[-1][0] == "Summa"
    pnrs = [r[0] for s in sheets.values() for r in s[3:-1]]
    assert any(isinstance(p, int) for p in pnrs) and any(isinstance(p, str) for p in pnrs)
    plan = read_xlsx(full_run / "genomforandeplaner.xlsx")["Genomförandeplaner"]
    assert plan[0][4] == "Plan-ID" and len(plan) > 10


def test_uppdrag_variant(full_run: Path) -> None:
    raw = (full_run / "uppdrag.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = read_csv(full_run / "uppdrag.csv")
    assert {
        "Beslut datum",
        "Beställning mottagen",
        "Fr.o.m.",
        "T.o.m.",
        "Tim/vecka",
        "Sekretessmarkering",
    } <= set(rows[0])
    tim = rows[0].index("Tim/vecka")
    assert any("," in r[tim] for r in rows[1:])
    sek = rows[0].index("Sekretessmarkering")
    assert any(r[sek] == "Ja" for r in rows[1:])
    assert any(re.fullmatch(r"\d{6}-\d{4}", r[0]) for r in rows[1:])


def test_besok_vistelse_avvikelse_variants(full_run: Path) -> None:
    rows = read_csv(full_run / "besok_boendestod.txt")
    assert rows[0][0] == "Personnr"
    assert all(re.fullmatch(r"\d\d/\d\d/\d{4}", r[2]) for r in rows[1:])
    assert {"Utförd", "Ej hemma"} <= {r[5] for r in rows[1:]}
    stays = read_csv(full_run / "korttidsvistelser.csv")
    assert all(re.fullmatch(r"\d{8}", r[3]) for r in stays[1:])
    avv = read_xlsx(full_run / "avvikelser.xlsx")["Avvikelser"]
    assert any(r[1] is None for r in avv[1:]) and any(r[1] for r in avv[1:])


def test_excluded_rows_present(big_run: Path) -> None:
    norr = read_csv(big_run / "journal_boendestod_norr.csv")[1:]
    soder = read_csv(big_run / "journal_boendestod_soder.csv")[1:]
    assert any(r[11] == "HSL" for r in norr) or any(r[10] == "HSL" for r in soder)
    assert any(r[9] == "X" for r in soder)
    dup = Counter(tuple(r) for r in norr + soder)
    assert any(n > 1 for n in dup.values())


# --------------------------------------------------------------------------------------------
# labels
# --------------------------------------------------------------------------------------------


def test_labels_refer_to_existing_cases(full_run: Path) -> None:
    data = labels(full_run)
    up = _uppdrag(full_run)
    as_of = date.fromisoformat(data["generator"]["as_of"])
    cases = {c["case"]: c for c in data["cases"]}
    assert set(cases) == set(up)
    for lb in data["labels"]:
        assert lb["rule"] in ALL_RULES
        assert lb["status"] in ("violation", "warning", "not_evaluated")
        assert lb["case"] in up, lb
        assert lb["unit"] == up[lb["case"]]["Enhet"]
        assert lb["rule"] in SCOPE[cases[lb["case"]]["insats"]]
        d = date.fromisoformat(lb["date"])
        assert as_of - timedelta(days=500) < d < as_of + timedelta(days=100)
        assert lb["note"]
    protected = [c for c in data["cases"] if c["protected"]]
    assert protected and all(up[c["case"]]["Sekretessmarkering"] == "Ja" for c in protected)


def test_every_rule_labelled_at_a_moderate_rate(big_run: Path) -> None:
    data = labels(big_run)
    cases = data["cases"]
    found = {lb["rule"] for lb in data["labels"] if lb["status"] in ("violation", "warning")}
    assert found == set(ALL_RULES)
    for rule in ALL_RULES:
        eligible = [c for c in cases if rule in SCOPE[c["insats"]]]
        planted = [c for c in eligible if rule in c["planted"]]
        share = len(planted) / len(eligible)
        assert 0.03 <= share <= 0.35, (rule, share)
    assert data["generator"]["ambiguous_cases"] <= 2


def test_not_evaluated_only_where_history_is_missing(big_run: Path) -> None:
    data = labels(big_run)
    up = _uppdrag(big_run)
    first = date.fromisoformat(data["generator"]["journal_first_date"])
    ne = [lb for lb in data["labels"] if lb["status"] == "not_evaluated"]
    assert ne and all(lb["rule"] == "GB1" for lb in ne)
    assert all(as_date(up[lb["case"]]["Beställning mottagen"]) < first for lb in ne)


def test_deadline_labels_agree_with_the_assignment_file(big_run: Path) -> None:
    """GB2 and GB3 recomputed from uppdrag.csv alone, the way the catalogue reads them."""
    data = labels(big_run)
    as_of = date.fromisoformat(data["generator"]["as_of"])
    expected = set()
    for pnr, r in _uppdrag(big_run).items():
        if r["Beviljad insats"] != "Boendestöd":
            continue
        ink, bes, ver = (
            as_date(r["Beställning mottagen"]),
            as_date(r["Beslut datum"]),
            as_date(r["Fr.o.m."]),
        )
        d2 = add_months(ink, 1)
        if (ver and ver > d2) or (ver is None and d2 < as_of):
            expected.add(("GB2", pnr, d2, "violation"))
        elif ver is None and (d2 - as_of).days < 7:
            expected.add(("GB2", pnr, d2, "warning"))
        d3 = add_months(bes, 3)
        if (ver and ver > d3) or (ver is None and d3 < as_of):
            expected.add(("GB3", pnr, d3, "violation"))
        elif ver is None and as_of >= add_months(bes, 2):
            expected.add(("GB3", pnr, d3, "warning"))
    got = {
        (lb["rule"], lb["case"], date.fromisoformat(lb["date"]), lb["status"])
        for lb in data["labels"]
        if lb["rule"] in ("GB2", "GB3")
    }
    assert got == expected
    assert any(s == "warning" for _r, _c, _d, s in got)


def test_plan_deadline_labels_agree_with_the_plan_file(big_run: Path) -> None:
    data = labels(big_run)
    as_of = date.fromisoformat(data["generator"]["as_of"])
    start = date.fromisoformat(data["generator"]["period"]["from"])
    up = _uppdrag(big_run)
    plans: dict[str, list[date]] = {}
    for row in read_xlsx(big_run / "genomforandeplaner.xlsx")["Genomförandeplaner"][1:]:
        if row[6] in ("Påbörjad", "Utkast"):
            continue
        plans.setdefault(norm_pnr(row[0], KNOWN), []).append(as_date(row[5]))
    expected = set()
    for pnr, r in up.items():
        ver = as_date(r["Fr.o.m."])
        rule = {
            "Boendestöd": "GB4",
            "Avlösarservice i hemmet": "NB1",
            "Ledsagarservice": "NB1",
        }.get(r["Beviljad insats"])
        if rule is None or ver is None or (rule == "NB1" and ver < start):
            continue
        deadline = ver + timedelta(days=28)
        done = min(plans.get(pnr, []), default=None)
        if done is not None and done <= deadline:
            continue
        if done is not None or deadline < as_of:
            expected.add((rule, pnr, deadline, "violation"))
        elif (deadline - as_of).days < 7:
            expected.add((rule, pnr, deadline, "warning"))
    got = {
        (lb["rule"], lb["case"], date.fromisoformat(lb["date"]), lb["status"])
        for lb in data["labels"]
        if lb["rule"] in ("GB4", "NB1")
    }
    assert got == expected


def test_kt_labels_point_at_stays_and_terms(big_run: Path) -> None:
    data = labels(big_run)
    stays = {
        (norm_pnr(r[0], KNOWN), as_date(f"{r[4][:4]}-{r[4][4:6]}-{r[4][6:]}"))
        for r in read_csv(big_run / "korttidsvistelser.csv")[1:]
    }
    term_ends = {te for _n, _s, te in terms_between(date(2025, 1, 1), date(2026, 12, 31))}
    for lb in data["labels"]:
        if lb["rule"] == "KT1":
            assert (lb["case"], date.fromisoformat(lb["date"])) in stays
        if lb["rule"] == "KT2":
            assert date.fromisoformat(lb["date"]) in term_ends
        if lb["rule"] == "GB12":
            assert lb["date"] == data["generator"]["period"]["to"]


# --------------------------------------------------------------------------------------------
# the shipped sample
# --------------------------------------------------------------------------------------------

SAMPLE = REPO / "sample_exports"
SAMPLE_ARGS = dict(
    clients=60,
    months=6,
    seed=7,
    units=("Boendestöd Norr", "Korttidsvistelse Solrosen", "Avlösning och ledsagning Väst"),
)


def test_sample_exports_is_small_and_up_to_date(tmp_path: Path) -> None:
    files = _all_files(SAMPLE)
    assert sum(p.stat().st_size for p in files) < 2_000_000
    assert (SAMPLE / "README.md").exists()
    generate(tmp_path, **SAMPLE_ARGS)
    for p in _all_files(tmp_path):
        assert (SAMPLE / p.name).read_bytes() == p.read_bytes(), (
            f"sample_exports/{p.name} is stale: regenerate it"
        )
    assert {p.name for p in files} - {p.name for p in _all_files(tmp_path)} == {"README.md"}
