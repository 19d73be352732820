"""A structural fuzzer for exports: deterministic mutations of valid CSV and XLSX files.

Each mutation is a function (rng, data) -> bytes. ``mutants(seed, n)`` yields n
(name, bytes) pairs built from the base exports below; the same seed gives the same files,
so a failure is reproduced from its file name (``<base>-<mutation>-<seed>.<ext>``).
"""

from __future__ import annotations

import io
import random
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator

import openpyxl

# Skatteverket test personnummer (CC0) and made-up names: the identities a mutant holds.
FUZZ_CLIENTS = {
    "189001019802": ("Gunnar", "Holmström"),
    "189001029819": ("Siv", "Bergkvist"),
    "189001039800": ("Yusuf", "Demir"),
}
_UNITS = ("Boendestöd Norr", "Boendestöd Söder")


def base_csv() -> bytes:
    lines = ["Personnr;Namn;Enhet;Datum;Sökord;Anteckning;Signatur"]
    day = 1
    for pnr, (first, last) in FUZZ_CLIENTS.items():
        for i in range(5):
            day += 1
            note = (
                f"{first} tackade nej till promenad, {first.lower()} {last} var trött. "
                f'Personal erbjöd ny tid; "{first}s" dotter ringde ({pnr[2:8]} {pnr[8:]}).'
            )
            note = '"' + note.replace('"', '""') + '"'
            lines.append(
                f"{pnr};{last}, {first};{_UNITS[i % 2]};2026-03-{day % 28 + 1:02d};Besök;{note};Stina P"
            )
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def base_xlsx() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Journal"
    ws.append(["Personnr", "Namn", "Enhet", "Datum", "Sökord", "Anteckning", "Signatur"])
    for pnr, (first, last) in FUZZ_CLIENTS.items():
        for i in range(4):
            ws.append([pnr, f"{last}, {first}", _UNITS[i % 2], f"2026-04-{i + 3:02d}", "Besök",
                       f"{first} {last} tackade nej till dusch. Ny tid erbjöds.", "Stina P"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


Mutation = Callable[[random.Random, bytes], bytes]


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(1, len(data))]


def flip_bytes(rng: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 12)):
        b[rng.randrange(len(b))] = rng.randrange(256)
    return bytes(b)


def stray_quote(rng: random.Random, data: bytes) -> bytes:
    pos = rng.randrange(len(data))
    return data[:pos] + b'"' + data[pos:]


def drop_quotes(rng: random.Random, data: bytes) -> bytes:
    quotes = [m.start() for m in re.finditer(b'"', data)]
    for pos in sorted(rng.sample(quotes, min(len(quotes), rng.randint(1, 3))), reverse=True):
        data = data[:pos] + data[pos + 1 :]
    return data


def delimiter_damage(rng: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    spots = [i for i, c in enumerate(b) if c in b";,"]
    for i in rng.sample(spots, min(len(spots), rng.randint(1, 8))):
        b[i] = rng.choice(b";,\t|")
    return bytes(b)


def huge_cell(rng: random.Random, data: bytes) -> bytes:
    pos = data.find(b"tackade", rng.randrange(len(data) // 2))
    pos = pos if pos >= 0 else len(data) // 2
    blob = rng.choice([b"ord " * 60_000, b"x" * 300_000, "å".encode() * 150_000])
    return data[:pos] + blob + data[pos:]


def odd_encoding(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8", "replace")
    codec = rng.choice(["utf-16", "utf-16-le", "utf-32", "cp1252", "mojibake", "latin-1"])
    if codec == "mojibake":
        return text.encode("utf-8").decode("cp1252", "replace").encode("utf-8")
    return text.encode(codec, "replace")


def control_bytes(rng: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        b.insert(rng.randrange(len(b)), rng.choice([0, 1, 7, 27, 0x7F]))
    return bytes(b)


def bidi(rng: random.Random, data: bytes) -> bytes:
    pos = data.find(b"tackade")
    return data[:pos] + "\u202e\u2066".encode() + data[pos:]


def line_chaos(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\r\n")
    op = rng.choice(["shuffle", "drop_header", "dup_header", "cr_only", "blank"])
    if op == "shuffle":
        rng.shuffle(lines)
    elif op == "drop_header":
        lines = lines[1:]
    elif op == "dup_header":
        lines.insert(rng.randrange(1, len(lines)), lines[0])
    elif op == "blank":
        lines.insert(rng.randrange(len(lines)), b"")
    else:
        return data.replace(b"\r\n", b"\r")
    return b"\r\n".join(lines)


def xml_damage(rng: random.Random, data: bytes) -> bytes:
    """Rewrite the worksheet XML of a workbook: far cells, error cells, broken tags."""
    try:
        return _xml_damage(rng, data)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError, zlib.error):
        return data  # already broken by an earlier mutation


def _xml_damage(rng: random.Random, data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    op = rng.choice(["far_cell", "error_cells", "formula", "cut_tag", "dimension", "no_strings"])
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            part = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                if op == "far_cell":
                    ref = rng.choice([b"XFD1048576", b"A200000", b"ZZZ9", b"AAA500000"])
                    part = part.replace(
                        b"</sheetData>",
                        b'<row r="' + re.sub(rb"\D", b"", ref) + b'"><c r="' + ref
                        + b'" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
                    )
                elif op == "error_cells":
                    part = re.sub(rb'<c r="F(\d+)" t="inlineStr"><is><t>[^<]*</t></is></c>',
                                  rb'<c r="F\1" t="e"><v>#REF!</v></c>', part, count=3)
                elif op == "formula":
                    part = re.sub(rb'<c r="D(\d+)" t="inlineStr"><is><t>[^<]*</t></is></c>',
                                  rb'<c r="D\1"><f>TODAY()</f><v></v></c>', part, count=4)
                elif op == "cut_tag":
                    part = part[: rng.randrange(len(part) // 2, len(part))]
                elif op == "dimension":
                    part = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', part)
            if op == "no_strings" and info.filename == "xl/sharedStrings.xml":
                continue
            dst.writestr(info, part)
    return out.getvalue()


CSV_MUTATIONS: dict[str, Mutation] = {
    "truncate": truncate, "flip": flip_bytes, "quote": stray_quote, "noquote": drop_quotes,
    "delim": delimiter_damage, "huge": huge_cell, "encoding": odd_encoding,
    "control": control_bytes, "bidi": bidi, "lines": line_chaos,
}
XLSX_MUTATIONS: dict[str, Mutation] = {
    "truncate": truncate, "flip": flip_bytes, "xml": xml_damage, "xml2": xml_damage,
}


def mutants(seed: int, n: int) -> Iterator[tuple[str, bytes]]:
    rng = random.Random(seed)
    bases = {"csv": base_csv(), "xlsx": base_xlsx()}
    for i in range(n):
        ext = "csv" if i % 3 else "xlsx"
        table = CSV_MUTATIONS if ext == "csv" else XLSX_MUTATIONS
        name = sorted(table)[rng.randrange(len(table))]
        sub = random.Random(seed * 1000 + i)
        data = table[name](sub, bases[ext])
        if sub.random() < 0.25:  # sometimes a second, different mutation on top
            second = sorted(table)[sub.randrange(len(table))]
            data = table[second](sub, data) if data else data
            name = f"{name}+{second}"
        yield f"mutant-{i:03d}-{name}-{seed}.{ext}", data
