"""The reports as a person sees them in Chromium: accessible, safe, and the filter works."""

from __future__ import annotations

from collections import Counter

import pytest

REPORT_PAGES = ["index", "enhet", "enhet-kort", "stor", "manad", "manad-index"]
WIDE_PAGES = ["index", "enhet", "manad", "manad-index"]


@pytest.mark.parametrize("name", REPORT_PAGES)
def test_axe_finds_no_violations(browser_run, name):
    violations = browser_run["results"][name]["axe"]
    assert violations == [], violations


def test_axe_harness_would_catch_violations(browser_run):
    ids = {v["id"] for v in browser_run["results"]["kontroll"]["axe"]}
    assert {"html-has-lang", "image-alt", "document-title"} <= ids


@pytest.mark.parametrize("name", REPORT_PAGES)
def test_only_the_reports_own_script_runs(browser_run, name):
    r = browser_run["results"][name]
    assert r["dialogs"] == [], "text from a note was executed"
    assert r["pageErrors"] == [] and r["console"] == []
    assert r["cspViolations"] == []
    assert r["scriptInjected"] == 1
    assert r["requests"] == [], "the report must not load anything from the network"


def test_own_script_runs_under_the_csp(browser_run):
    assert browser_run["results"]["enhet"]["filterShown"] is True


def test_filter_by_status_and_search(browser_run):
    f = browser_run["results"]["enhet"]["filter"]
    assert len(f["all"]) == 6
    assert len(f["violations"]) == 5
    assert {x["status"] for x in f["violations"]} == {"violation"}
    assert {x["rule"] for x in f["searched"]} == {"TN3"}
    assert f["status"] == f"Visar {len(f['searched'])} av 6 fynd."
    assert f["openCases"] >= 1
    assert len(f["reset"]) == 6
    assert f["caseSearch"] == 2  # searching the case as shown (YYYYMMDD-NNNN) finds its findings


@pytest.mark.parametrize("name", ["enhet", "stor"])
def test_link_from_the_action_list_keeps_the_person_in_view(browser_run, name):
    link = browser_run["results"][name]["filter"]["linkOpens"]
    assert link == {"visible": True, "nameInView": True, "back": "#atgarda"}


def test_filter_on_a_large_unit(browser_run):
    f = browser_run["results"]["stor"]["filter"]
    statuses = Counter(f.status for f in browser_run["large"].findings)
    action = [f for f in browser_run["large"].findings if f.status in ("violation", "warning")]
    assert len(f["all"]) == statuses["violation"] + statuses["warning"]
    assert len(f["violations"]) == statuses["violation"]
    assert len(f["searched"]) == sum(1 for x in action if x.case == "BR-00007") > 0
    assert len(f["reset"]) == len(f["all"])


def test_sorting_the_brukare_table(browser_run):
    sorted_ = browser_run["results"]["enhet"]["filter"]["sorted"]
    assert sorted_["ariaSort"] == "ascending"
    assert sorted_["values"] == sorted(sorted_["values"]) and len(set(sorted_["values"])) > 1


def test_readable_without_javascript(browser_run):
    no_js = browser_run["results"]["enhet"]["noJs"]
    assert no_js["findings"] == 6 and no_js["filterHidden"] is True
    assert no_js["h1"] == "Boendestöd Norr"


def test_print_is_the_summary_unless_everything_is_asked_for(browser_run):
    p = browser_run["results"]["stor"]["print"]
    assert p["summary"] == {"summaryVisible": True, "findingVisible": False, "filterVisible": False}
    assert p["full"] == {"summaryVisible": True, "findingVisible": True, "filterVisible": False}


def test_month_of_a_100_client_unit_prints_on_at_most_3_pages(browser_run):
    month = browser_run["month"]
    assert len({c for c in month.result.cases}) >= 100
    acting = [f for f in month.result.findings if f.status in ("violation", "warning")]
    assert len(acting) >= 40  # a realistic month, not an empty one
    p = browser_run["results"]["manad"]["print"]
    assert 1 <= p["summaryPages"] <= 3, p
    assert p["fullPages"] > p["summaryPages"]


@pytest.mark.parametrize("name", WIDE_PAGES)
@pytest.mark.parametrize("width", [1366, 390])
def test_no_horizontal_scrolling(browser_run, name, width):
    o = browser_run["results"][name]["overflow"][str(width)]
    assert o["clientWidth"] == width and o["scrollWidth"] <= o["clientWidth"], o


def test_screenshots_and_pdf_written(browser_run):
    shots = browser_run["shots"]
    for name in ("index.png", "enhet.png", "enhet-filter.png", "enhet-findings.png", "stor.pdf",
                 "manad-1366.png", "manad-390.png", "manad.pdf", "manad-hela.pdf"):
        assert (shots / name).stat().st_size > 10_000, name
