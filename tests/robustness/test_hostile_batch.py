"""One real run over a folder of hostile and broken inputs next to a good export: no
traceback, no hang, the good export audited, every row accounted for, no identity in any
output under --pseudonymize, and nothing written outside --out."""

from __future__ import annotations

import json
import os
import re
import time
import zipfile
from pathlib import Path

import openpyxl

from tests.robustness.conftest import HEAD, P1, P2, P3, journal, run_cli

BAD_NOTE = f"{P1};Larsson, Bengt;Boendestöd Norr;2026-03-05;Besök;{{}};Stina P\n"


def _xlsx(path: Path, far: bool = False, formulas: bool = False) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Larsson Bengt"
    ws.append(["Personnr", "Namn", "Enhet", "Datum", "Sökord", "Anteckning", "Signatur"])
    ws.append([P1, "Larsson, Bengt", "Boendestöd Norr", "2026-03-09", "Besök", "Bengt tackade nej.", "Stina P"])
    if far:
        ws["XFD1048576"] = "x"
    if formulas:
        ws.append([P1, "Larsson, Bengt", "Boendestöd Norr", "=TODAY()", "Besök", "#REF!", "Stina P"])
    wb.save(path)


def build(d: Path) -> dict[str, str]:
    """The hostile folder; returns file name -> what it is."""
    d.mkdir()
    cases = {}

    def text(name: str, body: str, what: str, enc: str = "utf-8") -> None:
        (d / name).write_bytes(body.encode(enc))
        cases[name] = what

    os.mkfifo(d / "fifo.csv")
    cases["fifo.csv"] = "FIFO"
    (d / "noll.csv").symlink_to("/dev/zero")
    cases["noll.csv"] = "länk till /dev/zero"
    (d / "passwd.csv").symlink_to("/etc/passwd")
    cases["passwd.csv"] = "länk ut ur mappen"
    (d / "slinga.csv").symlink_to(d / "slinga.csv")
    cases["slinga.csv"] = "länkslinga"
    (d / "borta.csv").symlink_to(d / "finns-inte.csv")
    cases["borta.csv"] = "dinglande länk"
    _xlsx(d / "stor.xlsx", far=True)
    cases["stor.xlsx"] = "cell i XFD1048576"
    _xlsx(d / "formler.xlsx", formulas=True)
    cases["formler.xlsx"] = "formel utan värde, felcell"
    text("lang_anteckning.csv", HEAD + BAD_NOTE.format("ord " * 300_000), "anteckning på 1,2 M tecken")
    text("langt_ord.csv", HEAD + BAD_NOTE.format("x" * 1_000_000), "ord på 1 M tecken")
    text("oppet_citat.csv", journal(P1) + BAD_NOTE.format('"Bengt tackade nej'), "citat som aldrig stängs")
    mid = journal(P1).splitlines(keepends=True)
    mid[2] = mid[2].replace("Besök hos", '"Besök hos')
    text("trasigt_citat.csv", "".join(mid), "trasigt citat mitt i")
    text("bara_rubrik.csv", HEAD, "bara rubrikrad")
    text("nul.csv", journal(P1).replace("Besök hos", "Besök\x00 hos", 1), "enstaka NUL")
    text("utf32.csv", journal(P1), "UTF-32", "utf-32")
    text("bidi.csv", journal(P1).replace("tackade", "\u202etackade\u202c"), "bidi-tecken")
    text("gammal.csv", journal(P1).replace("2026-03-02", "1899-12-30"), "datum 1899-12-30")
    text("journal_Larsson_Bengt.csv", journal(P1), "klientnamn i filnamnet")
    (d / "krypterad.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
                                       + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 2000)
    cases["krypterad.xlsx"] = "krypterad arbetsbok"
    (d / "binar.csv").write_bytes(bytes(range(256)) * 64)
    cases["binar.csv"] = "binärfil"
    (d / "tom.csv").write_bytes(b"")
    cases["tom.csv"] = "tom fil"
    with zipfile.ZipFile(d / "bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\x00" * (40 * 1024 * 1024))
    cases["bomb.xlsx"] = "zip-bomb"
    (d / "pdf.csv").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 8)
    cases["pdf.csv"] = "fel format (PDF)"
    text("bra.csv", journal(P2, "Boendestöd Söder"), "bra export")
    text("bra_skyddad.csv", journal(P3, "Boendestöd Söder"), "bra export 2")
    return cases


def tree(root: Path, skip: Path) -> dict[str, float]:
    out = {}
    for p in root.rglob("*"):
        if skip in p.parents or p == skip or p.is_symlink():
            continue
        out[p.relative_to(root).as_posix()] = p.stat().st_mtime if p.is_file() else 0.0
    return out


def test_hostile_batch(tmp_path):
    cases = build(tmp_path / "in")
    out = tmp_path / "ut"
    before = tree(tmp_path, out)
    started = time.monotonic()
    res = run_cli(["run", str(tmp_path / "in"), "--out", str(out), "--as-of", "2026-11-01",
                   "--pseudonymize"], timeout=120)
    assert time.monotonic() - started < 120
    assert "Traceback" not in res.stderr and "Error" not in res.stderr, res.stderr[-3000:]
    assert res.returncode == 1, (res.returncode, res.stderr[-2000:])  # audited, some rejected
    assert tree(tmp_path, out) == before, "something was written outside --out"
    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    inputs = data["inputs"]
    assert len(inputs) >= len(cases) - 1
    for i in inputs:
        assert i["rows_read"] == i["rows_used"] + i["rows_excluded"] + i["rows_rejected"], i
        for msg in [i.get("error") or ""] + [p["message"] for p in i["problems"]]:
            assert not re.search(r"Error|Exception|Traceback|errno|No such file", msg), msg
    used = [i for i in inputs if i["kind"] == "journal" and i["rows_used"] >= 4]
    assert len(used) >= 6, "the good exports (and the repaired ones) were audited"
    texts = {}
    for p in out.rglob("*"):
        if p.suffix == ".xlsx":
            with zipfile.ZipFile(p) as z:
                texts.update({f"{p.name}:{n}": z.read(n).decode("utf-8", "replace") for n in z.namelist()})
        elif p.is_file():
            texts[p.name] = p.read_bytes().decode("utf-8", "replace")
    texts["stdout"] = res.stdout
    for where, t in texts.items():
        assert "root:" not in t and "\u202e" not in t, where
        for pnr in (P1, P2, P3):
            assert not re.search(rf"(?<!\d)(?:{pnr[:2]})?{pnr[2:8]}\D{{0,4}}{pnr[8:]}(?!\d)", t), (where, pnr)
        for w in ("Bengt", "Larsson", "Anna-Karin", "Öberg", "Hassan"):
            assert not re.search(rf"(?<![^\W\d_]){w}(?![^\W\d_])", t, re.I), (where, w)
