"""Build RunResult fixtures directly (the pipeline is written elsewhere).

Personnummer come only from Skatteverket's test list (shared/data/testpersonnummer.txt).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, datetime

from auditor.findings.model import Evidence, Finding
from auditor.findings.result import CaseInfo, PackInfo, RuleInfo, RunResult
from auditor.model.accounting import InputReport, Problem

AS_OF = date(2026, 10, 1)
GENERATED = datetime(2026, 10, 1, 8, 30, 0)

# From shared/data/testpersonnummer.txt.
ANNA = "199009022386"
BERTIL = "199305212392"
CECILIA = "199804012384"
DAVID = "200309262384"
ERIK_PROTECTED = "192901149183"
OLD_FRIDA = "190012139804"  # 125 years old at AS_OF: written 001213+9804 in ten digits
ALL_PNR = (ANNA, BERTIL, CECILIA, DAVID, ERIK_PROTECTED, OLD_FRIDA)

NAMES = {
    ANNA: "Andersson, Anna",
    BERTIL: "Bertil Berg",
    CECILIA: "Carlsson, Cecilia",
    DAVID: "David Dahl",
    ERIK_PROTECTED: "Eriksson, Erik",
    OLD_FRIDA: "Frida Fors",
}

UNIT_A = "Boendestöd Norr"
UNIT_B = "Korttids <Älvsjö> & Co"
UNIT_C = "Ledsagning/Kontaktperson: Syd*"

SCRIPT_NOTE = 'Brukaren <script>alert("xss")</script> tackade nej till besöket.'
FORMULA = '=HYPERLINK("http://x")'

PACKS = [
    PackInfo(
        "TN",
        "botkyrka-tn",
        "1.0",
        "Brukare som tackar nej till stödinsatser",
        "Botkyrka",
        date(2023, 1, 1),
        None,
        "botkyrka-boendestod-brukare-tackar-nej.md",
    ),
    PackInfo(
        "GB",
        "goteborg-gb",
        "1.0",
        "Verksamhetshandbok boendestöd",
        "Göteborg",
        date(2024, 6, 4),
        None,
        "goteborg-ffs-verksamhetshandbok-boendestod.md",
    ),
    PackInfo(
        "KT",
        "botkyrka-kt",
        "1.0",
        "Uppföljning av insatser",
        "Botkyrka",
        date(2023, 2, 20),
        None,
        "botkyrka-korttidsvistelse-uppfoljning.md",
    ),
    PackInfo(
        "NB",
        "botkyrka-nb",
        "1.0",
        "Ny brukare",
        "Botkyrka",
        date(2020, 11, 10),
        date(2025, 11, 10),
        "botkyrka-ny-brukare-kla.md",
    ),
]

RULES = {
    "TN1": RuleInfo(
        "TN1",
        "TN",
        "avbokning-alternativ-eller-avvikelse",
        "Alternativ eller avvikelse vid avbokning",
        "high",
        "ska",
        "Utförande",
        "skall verksamheten upprätta en avvikelse",
        "Fönstret +3 dagar är granskningens egen tolkning.",
    ),
    "TN3": RuleInfo(
        "TN3",
        "TN",
        "nej-orsak",
        "Orsaken till nej dokumenteras",
        "medium",
        "ska",
        "Utförande",
        "anledningen ska dokumenteras",
    ),
    "GB3": RuleInfo(
        "GB3",
        "GB",
        "ej-verkstallt-3-manader",
        "Ej verkställt beslut efter 3 månader",
        "critical",
        "ska",
        "Att tänka på när uppdrag har skickats",
        "ska rapporteras till IVO",
    ),
    "GB5": RuleInfo(
        "GB5",
        "GB",
        "delmal-smarta",
        "Delmål är SMARTa",
        "high",
        "bör",
        "Genomförandeplan",
        "att föredra är SMARTa mål",
    ),
    "GB4": RuleInfo(
        "GB4",
        "GB",
        "genomforandeplan-inom-4-veckor",
        "Genomförandeplan inom 4 veckor",
        "high",
        "ska",
        "Genomförandeplan",
        "ska upprättas inom fyra veckor",
    ),
    "KT1": RuleInfo(
        "KT1",
        "KT",
        "hemgangssamtal-24h",
        "Hemgångssamtal inom 24 timmar",
        "medium",
        "ska",
        "Utförande",
        "ska inom 24 timmar",
    ),
    "NB1": RuleInfo(
        "NB1",
        "NB",
        "ny-brukare-genomforandeplan",
        "Genomförandeplan för ny brukare",
        "medium",
        "lokal default",
        "Ny brukare",
        "ska ha en genomförandeplan",
        "Rutinen anger ingen tidsgräns; granskningen använder 28 dagar.",
    ),
}


# Who must act, and the suggested action, as a rule pack says them.
RESPONSIBLE = {"GB3": "myndighet"}
ACTIONS = {
    "TN1": "Erbjud brukaren en ny tid eller skriv en avvikelse.",
    "TN3": "Fråga brukaren om orsaken och dokumentera den.",
    "GB3": "Påminn handläggaren om rapporten till IVO.",
    "GB4": "Upprätta genomförandeplanen med brukaren.",
    "GB5": "Formulera om delmålen så att de går att följa upp.",
    "KT1": "Boka hemgångssamtalet med brukaren.",
    "NB1": "Upprätta genomförandeplanen för den nya brukaren.",
}
EVENT_RULES = {"TN1", "TN3", "KT1"}
RULES = {
    k: replace(v, responsible=RESPONSIBLE.get(k, "utförare"), action=ACTIONS[k])
    for k, v in RULES.items()
}


def ev(
    text: str,
    words: str | None,
    row: int,
    d: date,
    path: str = "journal.csv",
    sheet: str | None = None,
) -> Evidence:
    span = None
    if words is not None:
        start = text.index(words)
        span = (start, start + len(words))
    return Evidence(path, sheet, row, d, text, span)


def finding(
    rule: str,
    status: str,
    unit: str,
    case: str,
    d: date | None,
    message: str,
    evidence: list[Evidence] | None = None,
    key: str = "",
    deadline: date | None = None,
    basis: str | None = None,
) -> Finding:
    info = RULES[rule]
    if basis is None:
        basis = "occasion" if rule in EVENT_RULES else "case"
    return Finding(
        rule=rule,
        severity=info.severity,
        status=status,
        unit=unit,
        case=case,
        date=d,
        message=message,
        evidence=evidence or [],
        key=key or f"{d}",
        pack=info.pack,
        strength=info.strength,
        local_default=bool(info.local_default_note),
        basis=basis,
        deadline=deadline,
        responsible=RESPONSIBLE.get(rule, "utförare"),
        action=ACTIONS[rule] if status in ("violation", "warning") else None,
    )


def inputs() -> list[InputReport]:
    journal = InputReport(
        "journal.csv",
        None,
        "a" * 64,
        "journal",
        40,
        35,
        3,
        2,
        Counter({"felmarkerad anteckning": 2, "HSL-anteckning": 1}),
        [
            Problem("Datumet går inte att läsa: 31/02", 7, "Datum"),
            Problem(f"Ogiltigt personnummer {ANNA[2:8]}-0000", 9, "Personnr"),
        ],
    )
    uppdrag = InputReport("export/uppdrag.xlsx", "Uppdrag", "b" * 64, "uppdrag", 6, 6, 0, 0)
    bad = InputReport(
        "export/trasig.xlsx",
        None,
        "c" * 64,
        "unreadable",
        error="Filen är skadad och kunde inte öppnas.",
    )
    skipped = InputReport(
        "export/läsmig.pdf",
        None,
        "d" * 64,
        "skipped",
        error="Inte en exportfil (.pdf); hoppades över.",
    )
    return [journal, uppdrag, bad, skipped]


def base_findings() -> list[Finding]:
    d = date
    a_note = (
        f"Ringde {NAMES[ANNA].split(', ')[1]} Andersson ({ANNA[:8]}-{ANNA[8:]}). "
        "Besöket ställdes in pga personalbrist. Ingen annan personal fanns. "
        "Anna var ledsen."
    )
    return [
        finding(
            "GB3",
            "warning",
            UNIT_A,
            BERTIL,
            d(2026, 10, 20),
            "Beslutet är inte verkställt; 3-månadersgränsen för rapport till IVO nås 2026-10-20.",
            [
                ev(
                    "Beslut 2026-07-20 boendestöd, ej verkställt.",
                    "ej verkställt",
                    3,
                    d(2026, 7, 20),
                    "export/uppdrag.xlsx",
                    "Uppdrag",
                )
            ],
            key="beslut",
            deadline=d(2026, 10, 20),
        ),
        finding(
            "TN1",
            "violation",
            UNIT_A,
            ANNA,
            d(2026, 9, 14),
            "Avbokning utan erbjudet alternativ och utan avvikelse.",
            [ev(a_note, "ställdes in pga personalbrist", 12, d(2026, 9, 14))],
            key="r12",
        ),
        finding(
            "TN3",
            "violation",
            UNIT_A,
            ANNA,
            d(2026, 9, 16),
            "Brukaren tackade nej men orsaken är inte dokumenterad.",
            [ev(SCRIPT_NOTE, "tackade nej", 14, d(2026, 9, 16))],
            key="r14",
        ),
        finding("TN3", "ok", UNIT_A, BERTIL, d(2026, 9, 3), "Orsak dokumenterad.", key="r20"),
        finding(
            "GB5",
            "violation",
            UNIT_A,
            CECILIA,
            d(2026, 8, 1),
            f"Delmålet {FORMULA} saknar mätbarhet och tidsgräns.",
            [ev(f"{FORMULA} gå promenader", FORMULA, 2, d(2026, 8, 1), "plan.csv")],
            key="plan1",
        ),
        finding(
            "GB4",
            "ok",
            UNIT_A,
            CECILIA,
            d(2026, 10, 20),
            "Ej förfallen (deadline 2026-10-20).",
            key="gb4",
            deadline=d(2026, 10, 20),
        ),
        finding(
            "GB4",
            "not_evaluated",
            UNIT_A,
            DAVID,
            None,
            "Ej granskad: genomförandeplaner saknas i underlaget.",
            key="gb4",
        ),
        finding(
            "TN1",
            "violation",
            UNIT_A,
            ERIK_PROTECTED,
            d(2026, 9, 20),
            f"Avbokning hos {NAMES[ERIK_PROTECTED]} utan alternativ.",
            [
                ev(
                    f"Erik Eriksson {ERIK_PROTECTED} bor på hemlig adress. Besöket ställdes in "
                    "pga personalbrist. Erik blev arg.",
                    "ställdes in",
                    30,
                    d(2026, 9, 20),
                )
            ],
            key="r30",
        ),
        finding(
            "KT1",
            "violation",
            UNIT_B,
            DAVID,
            d(2026, 9, 5),
            "Hemgångssamtal saknas efter vistelsen.",
            [ev("Vistelse slut 2026-09-05 kl 15.", "slut", 4, d(2026, 9, 5), "vistelse.csv")],
            key="stay",
        ),
        finding("KT1", "ok", UNIT_B, CECILIA, d(2026, 9, 6), "Hemgångssamtal hölls.", key="s2"),
        finding(
            "NB1",
            "warning",
            UNIT_C,
            OLD_FRIDA,
            d(2026, 10, 3),
            f"Genomförandeplan saknas för ny brukare (001213+9804, {NAMES[OLD_FRIDA]}).",
            [
                ev(
                    "Frida Fors startade 2026-09-05; Fridas plan ej klar.",
                    "ej klar",
                    5,
                    d(2026, 9, 5),
                )
            ],
            key="nb1",
            deadline=d(2026, 10, 3),
        ),
    ]


def make_result(
    findings: list[Finding] | None = None,
    *,
    generated: datetime = GENERATED,
    cases: dict[str, CaseInfo] | None = None,
) -> RunResult:
    if cases is None:
        cases = {
            pnr: CaseInfo(
                pnr,
                NAMES[pnr],
                [UNIT_A],
                ["boendestod"],
                "uppdrag",
                protected=(pnr == ERIK_PROTECTED),
            )
            for pnr in ALL_PNR
        }
        cases[OLD_FRIDA].insats_source = "enhetsnamn"
    return RunResult(
        version="0.1.0",
        as_of=AS_OF,
        period_from=date(2026, 9, 1),
        period_to=date(2026, 9, 30),
        generated_at=generated,
        inputs=inputs(),
        findings=findings if findings is not None else base_findings(),
        packs=list(PACKS),
        rules=dict(RULES),
        cases=cases,
    )


def large_result(
    n_findings: int = 2000,
    n_cases: int = 200,
    statuses: tuple[str, ...] = ("violation", "warning", "ok", "ok", "not_evaluated"),
) -> RunResult:
    """One unit with ``n_findings`` findings across ``n_cases`` cases (system ids); every
    violation and warning has two long excerpts."""
    rules = ["TN1", "TN3", "GB3", "GB4", "GB5", "KT1", "NB1"]
    text = (
        "Personalen kom till brukaren kl 10. Brukaren ville inte ha besök idag och "
        "tackade nej till promenaden. Vi pratade om målet och erbjöd ny tid på torsdag. "
        "Kaffe och samtal om veckan, handling planerad till fredag. "
    ) * 3
    findings = []
    for i in range(n_findings):
        case = f"BR-{i % n_cases:05d}"
        rule = rules[i % len(rules)]
        status = statuses[(i // len(rules)) % len(statuses)]
        d = date(2026, 9, 1 + i % 30)
        evidence = []
        if status in ("violation", "warning"):
            evidence = [ev(text, "tackade nej", 10 + i, d), ev(text, "ville inte", 11 + i, d)]
        msg = (
            "Ej granskad: underlag saknas."
            if status == "not_evaluated"
            else f"Fynd nummer {i} för regel {rule}: dokumentationen saknar det rutinen kräver."
        )
        findings.append(
            finding(rule, status, "Boendestöd Stora enheten", case, d, msg, evidence, key=f"k{i}")
        )
    cases = {
        f"BR-{i:05d}": CaseInfo(
            f"BR-{i:05d}",
            f"Förnamn{i} Efternamn{i}",
            ["Boendestöd Stora enheten"],
            ["boendestöd"],
            "uppdrag",
        )
        for i in range(n_cases)
    }
    return make_result(findings, cases=cases)
