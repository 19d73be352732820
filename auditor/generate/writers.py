"""Export files: the six kinds, each in the format variant a real municipality might send.

The variants are spread over files deterministically (never at random), and kept moderate:
every file is one the ingest can read.

| file | kind | variant |
|---|---|---|
| journal_boendestod_norr.csv | journal | cp1252, ``;``, CRLF, "Pnr"/"Anteckningsdatum"/"Kl", 31.05.2026, pnr 10 digits with ``-`` (some 12), signing date |
| journal_boendestod_soder.csv | journal | UTF-8, ``,``, LF, date and time in one column, ISO ``T`` registration, "Signerad"/"Ej signerad", felmarkerad "X" |
| journal_lss.xlsx | journal | one sheet per LSS unit, two title rows, "Summa" footer, pnr partly as Excel numbers, date cells |
| uppdrag.csv | uppdrag | UTF-8 with BOM, ``;``, "Beslut datum"/"Beställning mottagen"/"Fr.o.m."/"T.o.m.", decimal comma "Tim/vecka" |
| genomforandeplaner.xlsx | plan | one row per delmål with plan id, date cells |
| besok_boendestod.txt | besok | tab separated, 31/05/2026 |
| avvikelser.xlsx | avvikelse | some rows without personnummer |
| korttidsvistelser.csv | vistelse | ``;``, dates 20260531 |

A workbook that would grow past ``XLSX_MAX_ROWS`` (estimated before writing) gets CSV files
instead (UTF-8 with BOM, ``;``, ISO dates, one file per unit), so a 10,000-client export stays
fast and never approaches Excel's 1,048,576-row limit.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook

from .model import CaseTruth, TNote
from .people import pnr_written, stable_fraction
from .scenario import GenContext

XLSX_MAX_ROWS = 20_000  # per workbook: openpyxl writes ~5,000 rows a second
NOTES_PER_MONTH = {"boendestod": 11, "korttid": 9, "avlosning": 5, "kontaktperson": 3}
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

JOURNAL_NORR = (
    "Pnr",
    "Namn",
    "Enhet",
    "Anteckningsdatum",
    "Kl",
    "Sökord",
    "Anteckning",
    "Signatur",
    "Signeringsdatum",
    "Registreringsdatum",
    "Makulerad",
    "Journaltyp",
)
JOURNAL_SODER = (
    "Personnummer",
    "Namn",
    "Enhet",
    "Datum",
    "Rubrik",
    "Journaltext",
    "Upprättad av",
    "Signerad",
    "Inlagd",
    "Felmarkerad",
    "Journal",
)
JOURNAL_LSS = (
    "Personnummer",
    "Brukare",
    "Enhet",
    "Datum",
    "Tid",
    "Anteckningstyp",
    "Anteckning",
    "Dokumenterad av",
    "Signeringsdatum",
    "Registrerad",
    "Makulerad",
    "Journaltyp",
)
UPPDRAG = (
    "Personnummer",
    "Namn",
    "Enhet",
    "Beviljad insats",
    "Lagrum",
    "Beslut datum",
    "Beställning mottagen",
    "Fr.o.m.",
    "T.o.m.",
    "Tim/vecka",
    "Handläggare",
    "Status",
    "Sekretessmarkering",
)
PLAN = (
    "Personnummer",
    "Namn",
    "Enhet",
    "Insats",
    "Plan-ID",
    "Upprättad",
    "Status",
    "Livsområde",
    "Delmål",
    "Arbetsmetod",
    "Bemötande",
    "Krisplan",
    "Brukarens medverkan",
    "Planerad uppföljning",
)
BESOK = (
    "Personnr",
    "Enhet",
    "Datum",
    "Starttid",
    "Sluttid",
    "Status",
    "Avbokad av",
    "Avbokningsorsak",
    "Medarbetare",
)
AVVIKELSE = (
    "Löpnr",
    "Personnummer",
    "Enhet",
    "Inträffade",
    "Rapporterad",
    "Avvikelsetyp",
    "Beskrivning",
    "Status",
    "Åtgärd",
)
VISTELSE = ("Personnummer", "Namn", "Enhet", "Ankomst", "Hemgång")

# Which journal layout a unit gets; the sign mode tells the builder whether the file has a
# signing date (late signatures are visible) or only a status.
JOURNAL_LAYOUT = {"Boendestöd Norr": "norr", "Boendestöd Söder": "soder"}
SIGN_MODE = {"norr": "date", "soder": "status", "lss": "date"}


def sign_mode_for(unit: str) -> str:
    return SIGN_MODE[JOURNAL_LAYOUT.get(unit, "lss")]


def d_iso(d: date | None) -> str:
    return d.isoformat() if d else ""


def d_dot(d: date | None) -> str:
    return f"{d.day:02d}.{d.month:02d}.{d.year}" if d else ""


def d_slash(d: date | None) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}" if d else ""


def d_compact(d: date | None) -> str:
    return f"{d.year}{d.month:02d}{d.day:02d}" if d else ""


def num_comma(x: float | None) -> str:
    if x is None:
        return ""
    return (f"{x:.1f}" if x != int(x) else f"{int(x)}").replace(".", ",")


def _dt(d: date, hhmm: str) -> datetime:
    h, m = hhmm.split(":")
    return datetime(d.year, d.month, d.day, int(h), int(m))


class CsvFile:
    def __init__(
        self, path: Path, header: tuple[str, ...], *, encoding: str, delimiter: str, newline: str
    ) -> None:
        self.path = path
        self._fh = path.open("w", encoding=encoding, newline="", buffering=1 << 20)
        self._w = csv.writer(
            self._fh, delimiter=delimiter, lineterminator=newline, quoting=csv.QUOTE_MINIMAL
        )
        self._w.writerow(header)
        self.rows = 0

    def write(self, row: list) -> None:
        self._w.writerow(row)
        self.rows += 1

    def close(self) -> None:
        self._fh.close()


class XlsxSheet:
    """Rows buffered for one sheet; written when the workbook closes."""

    def __init__(
        self,
        title: str,
        header: tuple[str, ...],
        *,
        title_rows: tuple[str, ...] = (),
        footer: bool = False,
    ) -> None:
        self.title = title
        self.header = header
        self.title_rows = title_rows
        self.footer = footer
        self.data: list[list] = []

    def write(self, row: list) -> None:
        self.data.append(row)

    @property
    def rows(self) -> int:
        return len(self.data)


class XlsxBook:
    def __init__(self, path: Path, stamp: datetime) -> None:
        self.path = path
        self.stamp = stamp
        self.sheets: list[XlsxSheet] = []

    def sheet(self, *args, **kwargs) -> XlsxSheet:
        s = XlsxSheet(*args, **kwargs)
        self.sheets.append(s)
        return s

    def close(self) -> None:
        wb = Workbook(write_only=True)
        wb.properties.creator = "auditor generate"
        wb.properties.created = self.stamp
        wb.properties.modified = self.stamp
        for s in self.sheets:
            ws = wb.create_sheet(s.title)
            for t in s.title_rows:
                ws.append([t])
            ws.append(list(s.header))
            for row in s.data:
                ws.append(row)
            if s.footer:
                foot: list = [None] * len(s.header)
                foot[0] = "Summa"
                foot[6] = f"{len(s.data)} anteckningar"
                ws.append(foot)
        wb.save(self.path)
        normalise_zip(self.path)


def normalise_zip(path: Path) -> None:
    """Fixed timestamps inside the XLSX zip, so the same seed gives the same bytes."""
    src = zipfile.ZipFile(path)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"<dcterms:(created|modified)([^>]*)>[^<]*<",
                    rb"<dcterms:\1\2>2000-01-01T00:00:00Z<",
                    data,
                )
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, data)
    src.close()
    path.write_bytes(buf.getvalue())


class ExportWriter:
    """Streams cases into the export files of one generated folder."""

    def __init__(
        self, out: Path, ctx: GenContext, unit_counts: dict[str, int], insats_counts: dict[str, int]
    ) -> None:
        self.out = out
        self.ctx = ctx
        stamp = datetime(ctx.as_of.year, ctx.as_of.month, ctx.as_of.day, 6, 0)
        self.books: list[XlsxBook] = []
        self.csvs: list[CsvFile] = []
        self.journal: dict[str, CsvFile | XlsxSheet] = {}
        self.journal_layout: dict[str, str] = {}
        lss_book: XlsxBook | None = None
        lss_rows = 0
        months = ctx.months
        for u in ctx.units:
            layout = JOURNAL_LAYOUT.get(u.name, "lss")
            if layout == "norr":
                self.journal[u.name] = self._csv(
                    f"journal_{u.file_key}.csv", JOURNAL_NORR, "cp1252", ";", "\r\n"
                )
            elif layout == "soder":
                self.journal[u.name] = self._csv(
                    f"journal_{u.file_key}.csv", JOURNAL_SODER, "utf-8", ",", "\n"
                )
            else:
                est = unit_counts.get(u.name, 0) * months * NOTES_PER_MONTH[u.kind]
                if lss_rows + est <= XLSX_MAX_ROWS:
                    lss_rows += est
                    if lss_book is None:
                        lss_book = XlsxBook(out / "journal_lss.xlsx", stamp)
                        self.books.append(lss_book)
                    titles = (
                        f"Journalanteckningar – {u.name}",
                        f"Utdrag ur verksamhetssystemet {ctx.as_of.isoformat()}, period "
                        f"{ctx.span_start.isoformat()} – {ctx.last.isoformat()}",
                    )
                    self.journal[u.name] = lss_book.sheet(
                        u.name[:31], JOURNAL_LSS, title_rows=titles, footer=True
                    )
                    layout = "lss_xlsx"
                else:
                    self.journal[u.name] = self._csv(
                        f"journal_{u.file_key}.csv", JOURNAL_LSS, "utf-8-sig", ";", "\r\n"
                    )
                    layout = "lss_csv"
            self.journal_layout[u.name] = layout
        self.uppdrag = self._csv("uppdrag.csv", UPPDRAG, "utf-8-sig", ";", "\r\n")
        plan_clients = sum(
            insats_counts.get(k, 0)
            for k in ("boendestod", "korttidsvistelse", "avlosarservice", "ledsagarservice")
        )
        self.plan: CsvFile | XlsxSheet
        if plan_clients * 1.6 * 3 <= XLSX_MAX_ROWS:
            book = XlsxBook(out / "genomforandeplaner.xlsx", stamp)
            self.books.append(book)
            self.plan = book.sheet("Genomförandeplaner", PLAN)
            self.plan_xlsx = True
        else:
            self.plan = self._csv("genomforandeplaner.csv", PLAN, "utf-8-sig", ";", "\r\n")
            self.plan_xlsx = False
        self.besok = None
        if any(u.kind == "boendestod" for u in ctx.units):
            self.besok = self._csv("besok_boendestod.txt", BESOK, "utf-8", "\t", "\n")
        book = XlsxBook(out / "avvikelser.xlsx", stamp)
        self.books.append(book)
        self.avv = book.sheet("Avvikelser", AVVIKELSE)
        self.avv_n = 0
        self.vistelse = None
        if any(u.kind == "korttid" for u in ctx.units):
            self.vistelse = self._csv("korttidsvistelser.csv", VISTELSE, "utf-8", ";", "\n")

    def _csv(self, name: str, header, encoding: str, delimiter: str, newline: str) -> CsvFile:
        f = CsvFile(
            self.out / name, header, encoding=encoding, delimiter=delimiter, newline=newline
        )
        self.csvs.append(f)
        return f

    # -- personnummer styles, per case and file -------------------------------------------------------

    def _style(self, pnr: str, file: str, options: tuple[tuple[str, float], ...]) -> str:
        x = stable_fraction(pnr, file)
        acc = 0.0
        for style, p in options:
            acc += p
            if x < acc:
                return style
        return options[-1][0]

    def _pnr(self, pnr: str, file: str, options) -> str | int:
        return pnr_written(pnr, self._style(pnr, file, options), self.ctx.as_of.year)

    # -- rows -----------------------------------------------------------------------------------------------

    def add_case(self, c: CaseTruth) -> None:
        self._journal(c)
        up = self._pnr(c.pnr, "uppdrag", (("12", 0.7), ("10-", 0.3)))
        self.uppdrag.write(
            [
                up,
                c.name,
                c.unit,
                c.insats_text,
                c.lagrum,
                d_iso(c.beslut),
                d_iso(c.inkommit),
                d_iso(c.verkst),
                d_iso(c.slut),
                num_comma(c.tid),
                c.handlaggare,
                c.status_text,
                "Ja" if c.protected else "Nej",
            ]
        )
        up_d: date | str | None
        fu_d: date | str | None
        for p in c.plans:
            if self.plan_xlsx:
                pp = self._pnr(c.pnr, "plan", (("12-", 0.8), ("num", 0.2)))
                up_d, fu_d = p.upprattad, p.uppfoljning
            else:
                pp = self._pnr(c.pnr, "plan", (("12-", 1.0),))
                up_d, fu_d = d_iso(p.upprattad), d_iso(p.uppfoljning)
            for g in p.goals:
                self.plan.write(
                    [
                        pp,
                        c.name,
                        c.unit,
                        c.insats_text,
                        p.plan_id,
                        up_d,
                        p.status_text,
                        g.livsomrade,
                        g.text,
                        p.arbetsmetod,
                        p.bemotande,
                        p.krisplan,
                        p.delaktighet,
                        fu_d,
                    ]
                )
        if self.besok is not None:
            for b in c.bookings:
                self.besok.write(
                    [
                        c.pnr,
                        c.unit,
                        d_slash(b.day),
                        b.start,
                        b.end,
                        b.status_text,
                        b.by,
                        b.reason,
                        b.staff,
                    ]
                )
        for a in c.avvikelser:
            self.add_avvikelse(
                a.pnr, a.unit, a.occurred, a.reported, a.typ, a.description, a.status, a.atgard
            )
        if self.vistelse is not None:
            for st in c.stays:
                vp = self._pnr(c.pnr, "vistelse", (("10-", 0.7), ("12", 0.3)))
                self.vistelse.write([vp, c.name, c.unit, d_compact(st.start), d_compact(st.end)])

    def add_avvikelse(self, pnr, unit, occurred, reported, typ, desc, status, atgard) -> str:
        self.avv_n += 1
        ident = f"AVV-{occurred.year}-{self.avv_n:05d}"
        self.avv.write(
            [ident, pnr or None, unit, occurred, reported, typ, desc, status, atgard or None]
        )
        return ident

    def _journal(self, c: CaseTruth) -> None:
        sink = self.journal[c.unit]
        layout = self.journal_layout[c.unit]
        for n in c.notes:
            row = self._journal_row(layout, c, n)
            sink.write(row)
            if n.duplicate:
                sink.write(list(row))

    def _journal_row(self, layout: str, c: CaseTruth, n: TNote) -> list:
        hsl = n.excluded == "hsl"
        fel = n.excluded == "felmarkerad"
        if layout == "norr":
            pnr = self._pnr(c.pnr, "journal", (("10-", 0.8), ("12", 0.2)))
            reg = f"{d_dot(n.registered)} {n.registered_time}" if n.registered else ""
            return [
                pnr,
                c.name,
                c.unit,
                d_dot(n.day),
                n.time.replace(":", "."),
                n.sokord,
                n.text,
                n.staff,
                d_dot(n.signed_on),
                reg,
                "Ja" if fel else "Nej",
                "HSL" if hsl else "SoL",
            ]
        if layout == "soder":
            pnr = self._pnr(c.pnr, "journal", (("12", 0.85), ("12-", 0.15)))
            reg = f"{d_iso(n.registered)}T{n.registered_time}" if n.registered else ""
            return [
                pnr,
                c.name,
                c.unit,
                f"{d_iso(n.day)} {n.time}",
                n.sokord,
                n.text,
                n.staff,
                "Signerad" if n.signed_on else "Ej signerad",
                reg,
                "X" if fel else "",
                "HSL" if hsl else "SoL",
            ]
        typ = "HSL" if hsl else "LSS"
        if layout == "lss_xlsx":
            pnr = self._pnr(c.pnr, "journal", (("num", 0.5), ("12-", 0.5)))
            reg_dt = _dt(n.registered, n.registered_time) if n.registered else None
            return [
                pnr,
                c.name,
                c.unit,
                n.day,
                n.time,
                n.sokord,
                n.text,
                n.staff,
                n.signed_on,
                reg_dt,
                "Ja" if fel else "Nej",
                typ,
            ]
        pnr = self._pnr(c.pnr, "journal", (("12-", 1.0),))
        reg = f"{d_iso(n.registered)} {n.registered_time}" if n.registered else ""
        return [
            pnr,
            c.name,
            c.unit,
            d_iso(n.day),
            n.time,
            n.sokord,
            n.text,
            n.staff,
            d_iso(n.signed_on),
            reg,
            "Ja" if fel else "Nej",
            typ,
        ]

    def close(self) -> list[Path]:
        files: list[Path] = []
        for f in self.csvs:
            f.close()
            files.append(f.path)
        for b in self.books:
            b.close()
            files.append(b.path)
        return sorted(files)
