"""The canonical model: which kinds of export exist and which columns each has.

Every export is mapped onto one of these kinds. A column's *synonyms* are the
header names seen in real exports (Treserva, Lifecare, Procapita, Combine);
header matching folds case, whitespace, trailing colons and å/ä/ö before it
compares, so synonyms are written the way a person would write them.

Column types:
- ``pnr``: personnummer / samordningsnummer, normalised to 12 digits
- ``id``: a system id (Brukar-ID), kept as written
- ``date``: a calendar date (a time, if present, is kept in a ``*_time`` column)
- ``datetime``: a date with an optional time of day
- ``time``: a time of day
- ``number``: decimal comma, thousands separators
- ``bool``: Ja/Nej, X, 1/0
- ``text``: free text, kept as written (after encoding repair)
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    synonyms: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Kind:
    name: str
    label: str  # Swedish, for users
    columns: tuple[Column, ...]
    # Each entry is a set of alternatives: at least one of them must be mapped.
    required: tuple[tuple[str, ...], ...] = field(default_factory=tuple)

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


PNR_SYNONYMS = (
    "personnummer", "personnr", "pnr", "person-/samordningsnr", "person/samordningsnr",
    "personnummer/samordningsnummer", "person-/samordningsnummer", "samordningsnummer",
    "pers.nr", "persnr", "person nr",
)
SYSTEM_ID_SYNONYMS = ("personid", "brukar-id", "brukarid", "kund-id", "kundid", "klient-id")
NAME_SYNONYMS = ("namn", "brukare", "kund", "omsorgstagare", "klient", "brukarnamn", "brukare namn")
UNIT_SYNONYMS = ("enhet", "utförarenhet", "verksamhet", "arbetsgrupp", "team", "utförare", "enhetsnamn")


def _common() -> tuple[Column, ...]:
    return (
        Column("personnummer", "pnr", PNR_SYNONYMS, "Brukarens personnummer eller samordningsnummer"),
        Column("system_id", "id", SYSTEM_ID_SYNONYMS, "Systemets id för brukaren (används bara utan personnummer)"),
        Column("namn", "text", NAME_SYNONYMS, "Brukarens namn"),
        Column("enhet", "text", UNIT_SYNONYMS, "Utförarenhet"),
    )


JOURNAL = Kind(
    "journal",
    "journalanteckningar",
    (*_common(), Column("datum", "datetime", ("datum", "händelsedatum", "anteckningsdatum", "journaldatum", "datum/tid")), Column("tid", "time", ("tid", "klockslag", "kl", "kl.")), Column("registrerad", "datetime", ("registreringsdatum", "skapad", "inlagd", "registrerad", "reg.datum")), Column("sokord", "text", ("sökord", "rubrik", "nyckelord", "märkord", "kategori", "anteckningstyp")), Column("text", "text", ("anteckning", "journaltext", "text", "innehåll", "daganteckning", "anteckningstext")), Column("signerad_av", "text", ("signatur", "upprättad av", "dokumenterad av", "användare", "personal", "utförd av", "signerad av")), Column("signerad", "text", ("signerad", "signeringsdatum", "status", "signeringsstatus")), Column("felmarkerad", "bool", ("makulerad", "felmarkerad", "rättelse", "felregistrerad")), Column("journaltyp", "text", ("journaltyp", "lagrum", "journal", "sol/lss/hsl", "typ av journal"))),
    required=(("personnummer", "system_id"), ("datum",), ("text",)),
)

UPPDRAG = Kind(
    "uppdrag",
    "uppdrag/beslut",
    (*_common(), Column("insats", "text", ("beviljad insats", "insatstyp", "bistånd", "insats", "beviljat bistånd")), Column("lagrum", "text", ("lagrum", "paragraf", "lag")), Column("beslutsdatum", "date", ("beslut datum", "beslutat", "beslutsdatum", "datum för beslut")), Column("uppdrag_inkommit", "date", ("beställning mottagen", "inkommit", "beställningsdatum", "uppdrag inkommit", "mottaget")), Column("verkstallighetsdatum", "date", ("verkställd", "verkställighet", "startdatum", "fr.o.m.", "from", "fr o m", "verkställighetsdatum", "fom")), Column("slutdatum", "date", ("t.o.m.", "tom", "t o m", "avslutad", "avslutsdatum", "slutdatum")), Column("beviljad_tid", "number", ("tim/vecka", "omfattning", "beviljad tid", "timmar per vecka")), Column("handlaggare", "text", ("handläggare", "socialsekreterare", "biståndshandläggare")), Column("status", "text", ("status", "uppdragsstatus")), Column("skyddad", "bool", ("sekretessmarkering", "skyddade personuppgifter", "skyddad identitet", "skyddad"))),
    required=(("personnummer", "system_id"), ("beslutsdatum", "uppdrag_inkommit", "verkstallighetsdatum")),
)

PLAN = Kind(
    "plan",
    "genomförandeplaner",
    (*_common(), Column("plan_id", "id", ("plan-id", "planid", "plan id", "genomförandeplan id", "gp-id")), Column("insats", "text", ("insats", "beviljad insats", "insatstyp")), Column("upprattad", "date", ("upprättad", "fastställd", "datum upprättad", "skapad", "upprättad datum", "upprättandedatum")), Column("status", "text", ("status", "planstatus")), Column("delmal", "text", ("delmål", "mål", "delmål text")), Column("livsomrade", "text", ("livsområde", "livsområde (ibic)")), Column("arbetsmetod", "text", ("arbetsmetod", "metod", "hur")), Column("bemotande", "text", ("bemötande",)), Column("krisplan", "text", ("krisplan", "vid kris")), Column("delaktighet", "text", ("delaktighet", "brukarens medverkan", "deltagare", "medverkan")), Column("nasta_uppfoljning", "date", ("planerad uppföljning", "följs upp senast", "nästa uppföljning", "uppföljning"))),
    required=(("personnummer", "system_id"), ("upprattad",), ("status",)),
)

BESOK = Kind(
    "besok",
    "insatstillfällen",
    (*_common(), Column("datum", "datetime", ("datum", "besöksdatum", "insatsdatum", "bokat datum")), Column("planerad_start", "time", ("planerad start", "starttid", "start", "från", "planerad från")), Column("planerad_slut", "time", ("planerad slut", "sluttid", "slut", "till", "planerad till")), Column("status", "text", ("status", "utfall", "besöksstatus")), Column("avbokad_av", "text", ("avbokad av", "avbokare", "avbokat av")), Column("orsak", "text", ("avbokningsorsak", "anledning", "kommentar", "orsak")), Column("personal", "text", ("medarbetare", "resurs", "personal", "utförare personal"))),
    required=(("personnummer", "system_id"), ("datum",), ("status",)),
)

AVVIKELSE = Kind(
    "avvikelse",
    "avvikelser",
    (
        Column("id", "id", ("löpnr", "ärendenr", "avvikelse-id", "avvikelsenr", "id")),
        *_common(),
        Column("handelsedatum", "date", ("inträffade", "händelsedatum", "inträffat", "datum för händelse")),
        Column("registrerad", "date", ("rapporterad", "registrerad", "rapportdatum", "anmäld")),
        Column("typ", "text", ("avvikelsetyp", "kategori", "typ", "händelsetyp")),
        Column("beskrivning", "text", ("beskrivning", "händelsebeskrivning", "vad hände")),
        Column("status", "text", ("status",)),
        Column("atgard", "text", ("åtgärd", "åtgärder", "vidtagen åtgärd")),
    ),
    required=(("handelsedatum", "registrerad"), ("enhet", "personnummer", "system_id")),
)

VISTELSE = Kind(
    "vistelse",
    "korttidsvistelser",
    (*_common(), Column("start", "datetime", ("start", "ankomst", "vistelse från", "från", "startdatum", "in")), Column("slut", "datetime", ("slut", "hemgång", "vistelse till", "till", "slutdatum", "ut", "hämtning"))),
    required=(("personnummer", "system_id"), ("start",), ("slut",)),
)

KINDS: dict[str, Kind] = {k.name: k for k in (JOURNAL, UPPDRAG, PLAN, BESOK, AVVIKELSE, VISTELSE)}
