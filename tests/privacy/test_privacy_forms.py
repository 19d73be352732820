"""Identities in every common written form: loose personnummer (spaces, extra dashes,
century) with a Luhn check, names in any case, hyphenated, underscored and genitive, file
and sheet names, staff who share a client's first name, and bidi/control characters."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import replace

import pytest
import report_factory as rf

from auditor.findings.result import CaseInfo
from auditor.model.accounting import InputReport
from auditor.privacy import protect
from auditor.privacy.identity import NameMatcher, apply_edits, luhn_ok

KEY = b"test-nyckel"


def hex12(number: str) -> str:
    return hmac.new(KEY, number.encode(), hashlib.sha256).hexdigest()[:12]


def scrubbed_message(text: str, cases=None, pseudonymize: bool = True) -> str:
    f = rf.finding("TN3", "violation", rf.UNIT_A, rf.ANNA, rf.AS_OF, text)
    return protect(rf.make_result([f], cases=cases), pseudonymize=pseudonymize, key=KEY).findings[0].message


@pytest.mark.parametrize(
    "written",
    ["19900902 2386", "900902 2386", "900902 - 2386", "900902--2386", "19900902 – 2386",
     "900902 -2386", "900902\u00a02386", "19900902-2386", "9009022386"],
)
def test_loose_personnummer_forms_are_replaced(written):
    assert scrubbed_message(f"Brukaren ({written}) ringde.") == f"Brukaren (P-{hex12(rf.ANNA)}) ringde."


@pytest.mark.parametrize("text", ["Tid 20260301 1200 bokad.", "Ring 0701 234567 i morgon.", "Belopp 123456 7890 kr."])
def test_loose_digits_that_are_no_personnummer_stay(text):
    assert scrubbed_message(text) == text


def test_luhn():
    assert luhn_ok("9009022386") and not luhn_ok("9009022387")


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("Bengt Larsson", "bengt larsson ringde", "[namn] ringde"),
        ("Bengt Larsson", "BENGT ringde, larssons dotter kom", "[namn] ringde, [namn]s dotter kom"),
        ("Bengt Larsson", "journal_Larsson_Bengt.csv", "journal_[namn].csv"),
        ("Bengt Larsson", "export-bengt_larsson-2026.xlsx", "export-[namn]-2026.xlsx"),
        ("Anna-Karin Öberg", "anna-karin och ANNA-KARINS syster", "[namn] och [namn]S syster"),
        ("Anna-Karin Öberg", "Öbergs lägenhet", "[namn]s lägenhet"),
        ("Per Berg", "Samtal per telefon, berg och dal. Per kom.", "Samtal per telefon, berg och dal. [namn] kom."),
    ],
)
def test_name_forms(name, text, expected):
    m = NameMatcher([name])
    assert apply_edits(text, m.edits(text, "[namn]"), None)[0] == expected


def test_staff_sharing_a_clients_first_name_is_not_masked():
    m = NameMatcher(["Ali Berg"], keep=["Ali Hassan"])
    text = "Ali Hassan ringde till Ali. ali hassan kom senare; Alis syster."
    out = apply_edits(text, m.edits(text, "[namn]"), None)[0]
    assert out == "Ali Hassan ringde till [namn]. ali hassan kom senare; [namn]s syster."


def test_staff_from_the_case_info_are_kept_end_to_end():
    cases = rf.make_result().cases
    cases = {k: replace(v, staff=["Anna Hassan"]) for k, v in cases.items()}
    msg = scrubbed_message("Anna Hassan besökte Anna.", cases=cases)
    assert msg == "Anna Hassan besökte [namn]."


def _result_with_paths(paths: list[tuple[str, str | None, str]]):
    result = rf.make_result()
    reports = [InputReport(p, sheet, "b" * 64, kind) for p, sheet, kind in paths]
    return replace(result, inputs=reports)


def test_paths_become_neutral_labels_under_pseudonymize():
    result = _result_with_paths([
        ("exporter/journal_Andersson_Anna.csv", None, "journal"),
        ("exporter/uppdrag.xlsx", "Bertil Berg", "uppdrag"),
        ("exporter/journal2.csv", None, "journal"),
    ])
    out = protect(result, pseudonymize=True, key=KEY)
    assert [(r.path, r.sheet) for r in out.inputs] == [
        ("Journalexport 1 (sha256 bbbbbbbb)", None), ("Uppdragsexport 1 (sha256 bbbbbbbb)", "[namn]"),
        ("Journalexport 2 (sha256 bbbbbbbb)", None),
    ]
    assert all(r.sha256 == "b" * 64 for r in out.inputs)


def test_protected_identity_in_a_path_is_labelled_without_the_flag(isolated_keys):
    result = _result_with_paths([
        ("journal_Eriksson_Erik.csv", None, "journal"),
        ("journal_Andersson.csv", None, "journal"),
    ])
    ev = rf.ev("Erik tackade nej.", "tackade nej", 2, rf.AS_OF, path="journal_Eriksson_Erik.csv")
    f = rf.finding("TN3", "violation", rf.UNIT_A, rf.ERIK_PROTECTED, rf.AS_OF, "Tackade nej", [ev])
    result = replace(result, findings=[f])
    out = protect(result, pseudonymize=False, key=None)
    label = "Journalexport 1 (sha256 bbbbbbbb)"
    assert [r.path for r in out.inputs] == [label, "journal_Andersson.csv"]
    assert out.findings[0].evidence[0].input == label


def test_bidi_and_control_characters_are_neutralised_always(isolated_keys):
    evil = "Brukaren \u202eenj edakcat\u202c tackade nej\x07."
    ev = rf.ev(evil, "tackade nej", 2, rf.AS_OF, path="jour\u2066nal.csv")
    f = rf.finding("TN3", "violation", "Enhet\u202e", rf.ANNA, rf.AS_OF, "Ok\u200f", [ev])
    cases = {rf.ANNA: CaseInfo(rf.ANNA, "Anna\u202e", ["Enhet\u202e"], [], None)}
    out = protect(rf.make_result([f], cases=cases), pseudonymize=False, key=None)
    e = out.findings[0].evidence[0]
    assert "\u202e" not in e.excerpt and "\x07" not in e.excerpt and "\u2066" not in e.input
    assert e.excerpt[e.span[0] : e.span[1]] == "tackade nej"
    assert out.findings[0].unit == "Enhet\ufffd" and out.cases[rf.ANNA].name == "Anna\ufffd"
    assert not isolated_keys.exists()  # nothing protected: no key was needed
