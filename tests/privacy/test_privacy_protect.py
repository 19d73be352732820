"""Pseudonymisation and protected identities, end to end through every output file."""

from __future__ import annotations

import hashlib
import hmac
import re
import zipfile
from pathlib import Path

import pytest
import report_factory as rf

from auditor.findings.result import CaseInfo
from auditor.privacy import KeyMissing, cut_to_sentence, protect
from auditor.privacy.identity import NameMatcher, apply_edits
from auditor.report import write_reports

KEY = b"test-nyckel"


def hex12(number: str, key: bytes = KEY) -> str:
    return hmac.new(key, number.encode(), hashlib.sha256).hexdigest()[:12]


def forms(pnr: str) -> list[str]:
    """Ways a personnummer can be written: 12 or 10 digits, with or without - or +."""
    out = [pnr, f"{pnr[:8]}-{pnr[8:]}", pnr[2:], f"{pnr[2:8]}-{pnr[8:]}", f"{pnr[2:8]}+{pnr[8:]}"]
    return out


def output_texts(paths: list[Path]) -> dict[str, str]:
    """Every output as text: HTML as is, XLSX as each XML part of the package."""
    out = {}
    for path in paths:
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                for name in z.namelist():
                    out[f"{path.name}:{name}"] = z.read(name).decode("utf-8")
        else:
            out[path.name] = path.read_text(encoding="utf-8")
    return out


PNR_LIKE = re.compile(r"(?<!\d)(\d{8}|\d{6})[-+]?\d{4}(?!\d)")


def test_case_pseudonym_is_hmac_of_the_number():
    protected = protect(rf.make_result(), pseudonymize=True, key=KEY)
    assert {f.case for f in protected.findings} == {
        "P-" + hex12(rf.ANNA),
        "P-" + hex12(rf.BERTIL),
        "P-" + hex12(rf.CECILIA),
        "P-" + hex12(rf.DAVID),
        "P-" + hex12(rf.OLD_FRIDA),
        "SKYDDAD-" + hex12(rf.ERIK_PROTECTED),
    }
    assert protected.pseudonymized
    again = protect(rf.make_result(), pseudonymize=True, key=KEY)
    assert [f.id for f in again.findings] == [f.id for f in protected.findings]
    other = protect(rf.make_result(), pseudonymize=True, key=b"annan")
    assert {f.case for f in other.findings}.isdisjoint({f.case for f in protected.findings})


def test_pseudonymized_outputs_hold_no_personnummer_or_client_name(tmp_path):
    protected = protect(rf.make_result(), pseudonymize=True, key=KEY)
    texts = output_texts(write_reports(protected, tmp_path))
    assert len(texts) > 4
    for name, text in texts.items():
        for pnr in rf.ALL_PNR:
            for written in forms(pnr):
                assert written not in text, (name, written)
        leftovers = [m.group(0) for m in PNR_LIKE.finditer(text)]
        assert leftovers == [], (name, leftovers)
        for full in rf.NAMES.values():
            for part in re.split(r"[ ,]+", full):
                assert not re.search(rf"(?<!\w){part}", text), (name, part)
    unit = texts["enhet-boendestod-norr.html"]
    assert "P-" + hex12(rf.ANNA) in unit
    assert "[namn]" in unit


def test_protected_identity_never_shown_even_without_pseudonymize(tmp_path, isolated_keys):
    protected = protect(rf.make_result(), pseudonymize=False, key=None)
    key = isolated_keys.read_bytes().strip()  # created on first use
    skyddad = "SKYDDAD-" + hex12(rf.ERIK_PROTECTED, key)
    assert skyddad in {f.case for f in protected.findings}
    assert protected.cases[skyddad].name == "Skyddad identitet"
    texts = output_texts(write_reports(protected, tmp_path))
    for name, text in texts.items():
        for written in forms(rf.ERIK_PROTECTED):
            assert written not in text, (name, written)
        assert "Eriksson" not in text and not re.search(r"(?<!\w)Erik(?!\w)", text), name
    unit = texts["enhet-boendestod-norr.html"]
    assert skyddad in unit and "Skyddad identitet" in unit
    # Other clients are shown as usual without --pseudonymize.
    assert "19900902-2386 – Andersson, Anna" in unit


def test_protected_excerpt_is_cut_to_the_deciding_sentence():
    protected = protect(rf.make_result(), pseudonymize=False, key=KEY)
    case = "SKYDDAD-" + hex12(rf.ERIK_PROTECTED)
    (finding,) = [f for f in protected.findings if f.case == case]
    (ev,) = finding.evidence
    assert ev.excerpt == "Besöket ställdes in pga personalbrist."
    assert ev.excerpt[ev.span[0] : ev.span[1]] == "ställdes in"
    assert finding.message == "Avbokning hos [namn] utan alternativ."
    assert ev.input == "journal.csv" and ev.row == 30


def test_protected_number_mentioned_in_another_case_is_hidden():
    text = f"Anna berättade om grannen {rf.ERIK_PROTECTED[2:8]}-{rf.ERIK_PROTECTED[8:]}, Erik."
    f = rf.finding(
        "TN3",
        "violation",
        rf.UNIT_A,
        rf.ANNA,
        rf.AS_OF,
        "m",
        [rf.ev(text, "berättade", 1, rf.AS_OF)],
    )
    protected = protect(rf.make_result([f]), pseudonymize=False, key=KEY)
    excerpt = protected.findings[0].evidence[0].excerpt
    assert excerpt == (f"Anna berättade om grannen SKYDDAD-{hex12(rf.ERIK_PROTECTED)}, [namn].")


def test_staff_names_stay_and_span_follows_replacements():
    text = "Anna Andersson (199009022386) tackade nej. /Lisa Karlsson, boendestödjare"
    f = rf.finding(
        "TN3",
        "violation",
        rf.UNIT_A,
        rf.ANNA,
        rf.AS_OF,
        "Anna tackade nej",
        [rf.ev(text, "tackade nej", 1, rf.AS_OF)],
    )
    protected = protect(rf.make_result([f]), pseudonymize=True, key=KEY)
    ev = protected.findings[0].evidence[0]
    assert ev.excerpt == (
        f"[namn] (P-{hex12(rf.ANNA)}) tackade nej. /Lisa Karlsson, boendestödjare"
    )
    assert ev.excerpt[ev.span[0] : ev.span[1]] == "tackade nej"
    assert protected.findings[0].message == "[namn] tackade nej"


def test_ten_digit_forms_and_the_plus_sign():
    text = "Anna 900902-2386, David 0309262384 och Frida 001213+9804; fel 900902-2387."
    f = rf.finding("TN3", "violation", rf.UNIT_A, rf.ANNA, rf.AS_OF, text)
    message = protect(rf.make_result([f]), pseudonymize=True, key=KEY).findings[0].message
    assert message == (
        f"[namn] P-{hex12(rf.ANNA)}, [namn] P-{hex12(rf.DAVID)} och [namn] "
        f"P-{hex12(rf.OLD_FRIDA)}; fel P-{hex12('9009022387')}."
    )
    protected = protect(rf.make_result(), pseudonymize=True, key=KEY)
    (nb1,) = [f for f in protected.findings if f.rule == "NB1"]
    assert nb1.message == (
        f"Genomförandeplan saknas för ny brukare (P-{hex12(rf.OLD_FRIDA)}, [namn])."
    )
    assert nb1.evidence[0].excerpt == "[namn] startade 2026-09-05; [namn]s plan ej klar."


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("Andersson, Anna", "Anna Andersson ringde.", "[namn] ringde."),
        ("Andersson, Anna", "andersson, anna ringde.", "[namn] ringde."),
        ("Anna Andersson", "Andersson, Anna ringde.", "[namn] ringde."),
        ("Anna Andersson", "Anna ringde, sedan Andersson.", "[namn] ringde, sedan [namn]."),
        ("Per Persson", "Samtal per telefon med Per.", "Samtal per telefon med [namn]."),
        ("Karin-Anna Berg", "Karin-Anna och Karin kom.", "[namn] och [namn] kom."),
        ("Anna Andersson", "Annika och Annas mamma.", "Annika och [namn]s mamma."),
    ],
)
def test_name_variants(name, text, expected):
    matcher = NameMatcher([name])
    assert apply_edits(text, matcher.edits(text, "[namn]"), None)[0] == expected


def test_cut_to_sentence():
    text = "Första meningen. Andra meningen tackade nej idag! Tredje."
    start = text.index("tackade nej")
    cut, span = cut_to_sentence(text, (start, start + 11))
    assert cut == "Andra meningen tackade nej idag!"
    assert cut[span[0] : span[1]] == "tackade nej"
    assert cut_to_sentence(text, None) == ("", None)
    lines = "Rad ett\nrad två med ej hemma\nrad tre"
    s = lines.index("ej hemma")
    assert cut_to_sentence(lines, (s, s + 8))[0] == "rad två med ej hemma"


def test_problems_and_paths_are_scrubbed_too():
    protected = protect(rf.make_result(), pseudonymize=True, key=KEY)
    journal = next(r for r in protected.inputs if r.path.startswith("Journalexport 1"))
    messages = [p.message for p in journal.problems]
    assert f"Ogiltigt personnummer {rf.ANNA[2:8]}-0000" not in messages
    assert not any(PNR_LIKE.search(m) for m in messages)


def test_input_result_is_not_changed():
    result = rf.make_result()
    before = [(f.case, f.message, [e.excerpt for e in f.evidence]) for f in result.findings]
    protect(result, pseudonymize=True, key=KEY)
    assert [(f.case, f.message, [e.excerpt for e in f.evidence]) for f in result.findings] == before
    assert rf.ANNA in result.cases


def test_nothing_to_protect_returns_result_unchanged(isolated_keys):
    cases = {rf.ANNA: CaseInfo(rf.ANNA, "Anna Andersson", [rf.UNIT_A], ["boendestöd"], "uppdrag")}
    result = rf.make_result(cases=cases)
    assert protect(result, pseudonymize=False, key=None) is result
    assert not isolated_keys.exists()


def test_pseudonymize_without_key_refuses():
    with pytest.raises(KeyMissing, match="kräver en nyckel"):
        protect(rf.make_result(), pseudonymize=True, key=None)
