"""Scan every output file, and every XML part of the workbook, for every written form of
the clients' numbers and names, after a real run on exports that put identities in file
names, sheet names and free text in many forms."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from auditor.cli import main

# Skatteverket test personnummer (CC0)
BENGT, ANNAK, HASSAN = "195801082743", "199001012385", "199001032383"
CLIENTS = {BENGT: ("Bengt", "Larsson"), ANNAK: ("Anna-Karin", "Öberg"), HASSAN: ("Hassan", "Ali")}
STAFF = ["Hassan Karimi", "Stina Persson"]  # a staff member shares the protected client's first name
UPPDRAG = (
    "Personnummer;Namn;Enhet;Beviljad insats;Lagrum;Beslut datum;Beställning mottagen;Fr.o.m.;"
    "T.o.m.;Tim/vecka;Handläggare;Status;Sekretessmarkering\n"
    f"{BENGT};Larsson, Bengt;Boendestöd Norr;Boendestöd;SoL 4 kap. 1 §;2026-01-10;2026-01-12;2026-01-20;;4;Eva Lind;Pågående;Nej\n"
    f"{ANNAK};Öberg, Anna-Karin;Boendestöd Norr;Boendestöd;SoL 4 kap. 1 §;2026-01-10;2026-01-12;2026-01-20;;4;Eva Lind;Pågående;Nej\n"
    f"{HASSAN};Ali, Hassan;Boendestöd Norr;Boendestöd;SoL 4 kap. 1 §;2026-01-10;2026-01-12;2026-01-20;;4;Eva Lind;Pågående;Ja\n"
)
BENGT_NOTES = [
    "Bengt tackade nej till promenaden. bengt larsson sa att han var trött, pnr 19580108 2743.",
    "Larssons dotter ringde om nyckeln, 580108 - 2743 noterat i pärmen. Bengt avböjde besöket.",
    "BENGT LARSSON tackade nej till städning. Personal erbjöd ny tid på torsdag.",
    "Larsson_Bengt: ej hemma vid besöket, 580108--2743. Lämnade lapp.",
]
OTHER_NOTES = [
    (ANNAK, "Öberg, Anna-Karin", "anna-karin tackade nej till dusch. Anna-Karins bror 900101 - 2385 ringde."),
    (ANNAK, "Öberg, Anna-Karin", "ÖBERG tackade nej till att handla, öbergs granne hjälpte till (9001012385)."),
    (HASSAN, "Ali, Hassan", "Hassan tackade nej till städning. hassan ali (19900103 2383) var hemma."),
    (HASSAN, "Ali, Hassan", "Hassan Karimi erbjöd ny tid. Hassans syster, 900103-2383, ringde. Ali tackade nej."),
]


def build(folder: Path) -> Path:
    folder.mkdir()
    (folder / "uppdrag_Ali_Hassan.csv").write_text(UPPDRAG, encoding="utf-8")
    lines = ["Personnr;Namn;Enhet;Datum;Sökord;Anteckning;Signatur"]
    for i, text in enumerate(BENGT_NOTES):
        lines.append(f"{BENGT};Larsson, Bengt;Boendestöd Norr;2026-03-{i + 2:02d};Besök;{text};{STAFF[i % 2]}")
    (folder / "journal_Larsson_Bengt.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Öberg Anna-Karin"
    ws.append(["Personnr", "Namn", "Enhet", "Datum", "Sökord", "Anteckning", "Signatur"])
    for i, (pnr, name, text) in enumerate(OTHER_NOTES):
        ws.append([pnr, name, "Boendestöd Norr", f"2026-03-{i + 10:02d}", "Besök", text, STAFF[i % 2]])
    wb.save(folder / "journal hassan ali.xlsx")
    return folder


def output_texts(out: Path, stdout: str) -> dict[str, str]:
    texts = {"(sammanfattning)": stdout}
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                for name in z.namelist():
                    texts[f"{path.name}:{name}"] = z.read(name).decode("utf-8", "replace")
        else:
            texts[path.name] = path.read_bytes().decode("utf-8", "replace")
    for p in sorted(out.rglob("*")):
        texts[f"(filnamn) {p.name}"] = p.name
    return texts


def leaks(texts: dict[str, str], numbers: list[str]) -> list[tuple[str, str]]:
    found = []
    for pnr in numbers:
        pattern = re.compile(rf"(?<!\d)(?:{pnr[:2]})?{pnr[2:8]}\D{{0,4}}{pnr[8:]}(?!\d)")
        words = {w for part in CLIENTS[pnr] for w in re.findall(r"[^\W\d_]+", part)}
        for where, text in texts.items():
            for staff in STAFF:
                text = re.sub(re.escape(staff), "", text, flags=re.I)
            if pattern.search(text):
                found.append((where, pnr))
            for w in words:
                if re.search(rf"(?<![^\W\d_]){re.escape(w)}(?![^\W\d_])", text, re.I):
                    found.append((where, w))
    return found


@pytest.fixture()
def exports(tmp_path) -> Path:
    return build(tmp_path / "exporter")


def run(exports: Path, out: Path, capsys, *flags: str) -> dict[str, str]:
    code = main(["run", str(exports), "--out", str(out), "--as-of", "2026-11-01", *flags])
    assert code in (0, 1)
    return output_texts(out, capsys.readouterr().out)


def test_pseudonymized_run_leaks_no_form_of_any_client(exports, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("AUDITOR_PSEUDONYM_KEY", "skanning")
    texts = run(exports, tmp_path / "ut", capsys, "--pseudonymize")
    assert any("[namn]" in t for t in texts.values()), "the notes were not reported at all"
    assert leaks(texts, list(CLIENTS)) == []
    assert any("Hassan Karimi" in t for t in texts.values()), "staff names stay"


def test_protected_identity_leaks_nowhere_without_the_flag(exports, tmp_path, capsys):
    texts = run(exports, tmp_path / "ut", capsys)
    assert leaks(texts, [HASSAN]) == []
    assert leaks(texts, [BENGT]), "other clients are shown as usual (and the scan finds them)"


def test_a_pseudonymized_run_replaces_an_earlier_plain_one(exports, tmp_path, capsys, monkeypatch):
    out = tmp_path / "ut"
    # Without a history: a plain history would (rightly) refuse a pseudonymised run.
    run(exports, out, capsys, "--no-history")
    monkeypatch.setenv("AUDITOR_PSEUDONYM_KEY", "skanning")
    texts = run(exports, out, capsys, "--pseudonymize")
    assert leaks(texts, list(CLIENTS)) == []
