"""The HTML reports: content, order, safety and structure, checked by parsing the pages."""

from __future__ import annotations

import base64
import hashlib
import itertools
import re
from datetime import datetime
from pathlib import Path

import report_factory as rf
from html_tree import parse

from auditor.report import render_html, write_reports
from auditor.report.labels import unit_filenames

UNIT_A_FILE = "enhet-boendestod-norr.html"
TEMPLATES = Path(__file__).parents[2] / "auditor" / "report" / "templates"


def unit_page(pages, unit: str):
    return pages[unit_filenames(rf.make_result().units)[unit]]


def texts(nodes) -> list[str]:
    return [" ".join(n.text.split()) for n in nodes]


def test_writes_index_one_page_per_unit_and_xlsx(written):
    assert sorted(written) == sorted(
        [
            "index.html",
            "enhet-boendestod-norr.html",
            "enhet-korttids-alvsjo-co.html",
            "enhet-ledsagning-kontaktperson-syd.html",
            "findings.xlsx",
            "findings.csv",
        ]
    )


def test_unit_file_names_are_safe_and_unique():
    names = unit_filenames(["../../etc/passwd", "Älvdalen", "ÄLVDALEN", "", "index", "a/b\\c"])
    assert len(set(names.values())) == 6
    for name in names.values():
        assert re.fullmatch(r"enhet-[a-z0-9-]+\.html", name), name
    assert {names["Älvdalen"], names["ÄLVDALEN"]} == {
        "enhet-alvdalen.html",
        "enhet-alvdalen-2.html",
    }


def test_index_links_every_unit_with_counts_and_rate_table(pages):
    index = pages["index.html"]
    units_table = index.find("table", class_="units")
    links = {a.get("href"): a.text for a in units_table.find_all("a")}
    assert links == {
        "enhet-boendestod-norr.html": rf.UNIT_A,
        "enhet-korttids-alvsjo-co.html": rf.UNIT_B,
        "enhet-ledsagning-kontaktperson-syd.html": rf.UNIT_C,
    }
    header = texts(units_table.find("thead").find_all("th"))
    assert header == [
        "Enhet", "Brister", "Risker", "Kritisk", "Hög", "Medel", "Låg",
        "Brukare med brist eller risk",
    ]
    row_a = next(tr for tr in units_table.find("tbody").find_all("tr") if rf.UNIT_A in tr.text)
    cells = texts(row_a.find_all("td"))
    # 4 violations, 1 warning; by severity: 1 critical (GB3), 3 high, 1 medium, 0 low;
    # 4 brukare (Anna, Bertil, Cecilia, Erik).
    assert cells == ["4", "1", "1", "3", "1", "0", "4"]
    # The unit × rule table: rules as rows, units as columns, every rate in words.
    matrix = index.find("table", class_="matrix")
    assert texts(matrix.find("thead").find_all("th"))[1:] == [rf.UNIT_A, rf.UNIT_B, rf.UNIT_C]
    rows = {
        tr.find("th").text.split()[0]: texts(tr.find_all("td"))
        for tr in matrix.find("tbody").find_all("tr")
    }
    assert rows["TN1"] == ["0 %2 av 2", "gäller inte", "gäller inte"]
    assert rows["TN3"] == ["50 %1 av 2", "gäller inte", "gäller inte"]
    assert rows["KT1"] == ["gäller inte", "50 %1 av 2", "gäller inte"]
    assert rows["NB1"][2] == "100 %0 av 1"  # a warning is judged, and not a violation
    cell = next(td for td in matrix.find_all("td") if td.get("data-rate-rule") == "TN3")
    assert "band-lag" in cell.get("class")  # a pattern besides the colour


def test_index_accounts_for_inputs(pages):
    index = pages["index.html"]
    section = index.find("section", id="underlag")
    rows = {
        tr.find("th").text: tr
        for tr in section.find("table").find("tbody").find_all("tr")
        if tr.find("th", scope="row")
    }
    journal = texts(rows["journal.csv"].find_all("td"))
    assert journal[:6] == ["–", "Journalanteckningar", "40", "35", "3", "2"]
    assert "Utesluten: felmarkerad anteckning (2)" in journal[6]
    problems = rows["journal.csv"].find("details").find("table")
    problem_rows = [texts(tr.find_all("td")) for tr in problems.find("tbody").find_all("tr")]
    assert ["7", "Datum", "Datumet går inte att läsa: 31/02"] in problem_rows
    assert "Kunde inte läsas" in rows["export/trasig.xlsx"].text
    assert "Filen är skadad" in rows["export/trasig.xlsx"].text


def csp_directives(page) -> dict[str, list[str]]:
    meta = page.find("meta", http_equiv="Content-Security-Policy")
    assert meta is not None
    out = {}
    for part in meta.get("content").split(";"):
        name, *values = part.split()
        out[name] = values
    return out


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_csp_allows_only_the_pages_own_style_and_script(pages):
    for name, page in pages.items():
        csp = csp_directives(page)
        assert csp["default-src"] == ["'none'"], name
        styles = page.find_all("style")
        scripts = page.find_all("script")
        assert len(styles) == 1 and len(scripts) == 1
        assert csp["style-src"] == [sha256_source(styles[0].text)]
        assert csp["script-src"] == [sha256_source(scripts[0].text)]
        assert scripts[0].get("src") is None
        assert not any("unsafe" in v for values in csp.values() for v in values)
        # Inline style attributes and event handlers would be blocked by the CSP.
        for node in page.iter():
            assert "style" not in node.attrs, (name, node.tag)
            assert not any(a.startswith("on") for a in node.attrs), (name, node.tag)


def test_no_external_urls(pages, written):
    for name, page in pages.items():
        assert (
            not page.find_all("link") and not page.find_all("img") and not page.find_all("iframe")
        )
        for node in page.iter():
            for attr in ("src", "href", "action", "srcset", "xlink:href", "data"):
                value = node.get(attr)
                if value is None:
                    continue
                assert not re.match(r"^\s*([a-z][a-z0-9+.-]*:|//)", value, re.I), (name, value)
                if not value.startswith("#"):
                    file, _, fragment = value.partition("#")
                    assert file in written, (name, value)
                    if fragment:
                        target = parse(written[file].read_text(encoding="utf-8"))
                        assert target.find(None, id=fragment) is not None, (name, value)
                elif len(value) > 1:
                    assert page.find(None, id=value[1:]) is not None, (name, value)


def test_journal_text_is_escaped_not_executed(pages):
    page = pages[UNIT_A_FILE]
    scripts = page.find_all("script")
    assert len(scripts) == 1 and "xss" not in scripts[0].text
    quotes = [q for q in page.find_all("blockquote") if "xss" in q.text]
    assert quotes and quotes[0].text.startswith('Brukaren <script>alert("xss")</script>')
    unit_b = pages["enhet-korttids-alvsjo-co.html"]
    assert unit_b.find("h1").text == rf.UNIT_B


def test_deciding_words_are_marked_and_evidence_said_in_words(pages):
    page = pages[UNIT_A_FILE]
    article = next(a for a in page.find_all("article") if a.get("data-rule") == "TN3")
    marks = article.find_all("mark")
    assert texts(marks) == ["tackade nej"]
    location = article.find("span", class_="where").text
    assert location == "Journalanteckning 2026-09-16, rad 14 i journal.csv"
    gb3 = next(a for a in page.find_all("article") if a.get("data-rule") == "GB3")
    assert gb3.find("span", class_="where").text == (
        "Uppdrag 2026-07-20, rad 3 på bladet Uppdrag i export/uppdrag.xlsx"
    )


def test_summary_puts_the_units_own_most_urgent_first(pages):
    page = pages[UNIT_A_FILE]
    table = page.find("section", id="sammanfattning").find("table", class_="actions")
    header = texts(table.find("thead").find_all("th"))
    assert header == ["Nr", "Brukare", "Regel", "Händelse", "Frist", "Vad gäller det", "Förslag"]
    rows = [texts(tr.find_all("td")) for tr in table.find("tbody").find_all("tr")]
    # GB3 (the IVO report) is the myndighet's: not in the unit's own list. Among high:
    # ska before bör (GB5 last), then medium.
    assert [r[2].split()[2] for r in rows] == ["TN1", "TN1", "GB5", "TN3"]
    assert rows[0][3:5] == ["2026-09-14", "–"]
    assert rows[0][6] == rf.ACTIONS["TN1"]
    for tr in table.find("tbody").find_all("tr"):
        person, finding = [a.get("href") for a in tr.find_all("a")]
        article = page.find("article", id=finding[1:])
        # The finding sits in its person's section, which the row also links to.
        assert article is not None
        assert any(a.get("id") == person[1:] for a in article.ancestors())
    authority = page.find("section", id="sammanfattning").find("table", class_="authority")
    rows = [texts(tr.find_all("td")) for tr in authority.find("tbody").find_all("tr")]
    assert len(rows) == 1 and "GB3" in rows[0][1]
    assert rows[0][2:4] == ["2026-07-20", "2026-10-20"]  # event and deadline apart


def test_bor_never_ranks_above_ska_of_same_severity():
    findings = [
        rf.finding("GB5", "violation", rf.UNIT_A, rf.ANNA, rf.AS_OF, "bör-brist", key="1"),
        rf.finding("GB4", "warning", rf.UNIT_A, rf.ANNA, rf.AS_OF, "ska-risk", key="2"),
    ]
    html = render_html(rf.make_result(findings))[UNIT_A_FILE]
    table = parse(html).find("table", class_="actions")
    assert [tr.find_all("a")[1].text for tr in table.find("tbody").find_all("tr")] == [
        "ska-risk",
        "bör-brist",
    ]


def test_rule_sections_show_routine_strength_who_and_quote(pages):
    page = pages[UNIT_A_FILE]
    section = page.find("section", id="regel-GB5")
    routine = section.find("div", class_="routine")
    dl = dict(zip(texts(routine.find_all("dt")), texts(routine.find_all("dd")), strict=True))
    assert dl == {
        "Rutin": "Verksamhetshandbok boendestöd (Göteborg)",
        "Avsnitt": "Genomförandeplan",
        "Styrka": "bör (rekommendation)",
        "Allvarlighet": "Hög",
        "Ansvarig": "Utförare",
        "Förslag": rf.ACTIONS["GB5"],
    }
    assert routine.find("blockquote").text == "att föredra är SMARTa mål"
    person = section.find("ul", class_="person-links").find("a")
    article = next(a for a in page.find_all("article") if a.get("data-rule") == "GB5")
    assert "bör (rekommendation)" in article.find("dl", class_="facts").text
    assert any(a.get("id") == person.get("href")[1:] for a in article.ancestors())


def test_expired_routine_is_warned_about(pages):
    page = pages["enhet-ledsagning-kontaktperson-syd.html"]
    warnings = texts(page.find_all("p", class_="warn"))
    assert any("Giltighetstiden har gått ut" in w and "2025-11-10" in w for w in warnings)
    assert "Giltighetstiden har gått ut" in page.find("section", id="regel-NB1").text
    assert "Giltighetstiden har gått ut" not in pages[UNIT_A_FILE].find("main").text


def test_local_default_is_noted(pages):
    nb1 = pages["enhet-ledsagning-kontaktperson-syd.html"].find("section", id="regel-NB1")
    note = nb1.find("p", class_="note")
    assert "Rutinen anger ingen tidsgräns; granskningen använder 28 dagar." in note.text
    tn1 = pages[UNIT_A_FILE].find("section", id="regel-TN1")
    assert "Fönstret +3 dagar" in tn1.find("p", class_="note").text
    assert pages[UNIT_A_FILE].find("section", id="regel-GB3").find("p", class_="note") is None


def test_not_evaluated_says_which_data_is_missing(pages):
    gb4 = pages[UNIT_A_FILE].find("section", id="regel-GB4")
    notes = gb4.find_all("div", class_="note")
    assert len(notes) == 1
    assert "genomförandeplaner saknas i underlaget" in notes[0].text
    assert "Ej granskad" in notes[0].text
    assert notes[0].find("details").find("p").text == "20030926-2384"


def test_ok_findings_are_counted_not_listed(pages):
    page = pages[UNIT_A_FILE]
    statuses = {a.get("data-status") for a in page.find_all("article", class_="finding")}
    assert statuses == {"violation", "warning"}
    gb4 = page.find("section", id="regel-GB4")
    text = " ".join(gb4.text.split())
    assert "100 % uppfyllt: 0 brister av 1 fall." in text
    assert "1 frist har ännu inte passerats (ej förfallna)." in text


def test_one_view_per_person_with_all_their_findings(pages):
    page = pages[UNIT_A_FILE]
    persons = page.find("div", id="fynd").find_all("section", class_="person")
    names = [" ".join(p.find("h3").text.split()) for p in persons]
    # Most severe first: Bertil (GB3, critical), then by violations.
    assert names[0] == "19930521-2392 – Bertil Berg"
    anna = next(p for p in persons if "Andersson, Anna" in p.find("h3").text)
    assert [a.get("data-rule") for a in anna.find_all("article")] == ["TN1", "TN3"]
    assert " ".join(anna.find("p", class_="person-meta").text.split()) == "Boendestöd · 2 brister"
    # Every finding offers a way back to the list.
    for article in anna.find_all("article"):
        assert article.find("p", class_="back").find("a").get("href") == "#atgarda"


def test_rates_table_and_chart_name_rules_and_sort_by_rate(pages):
    page = pages[UNIT_A_FILE]
    table = page.find("section", id="sammanfattning").find("table", class_="rates")
    assert table.find("caption").text == f"Efterlevnad per regel, {rf.UNIT_A}"
    rows = [
        [tr.find("th").text, *texts(tr.find_all("td"))] for tr in table.find("tbody").find_all("tr")
    ]
    # Worst first; the rule's name beside its id; cases without events in their own column.
    assert [r[0] for r in rows] == [
        "TN1 Alternativ eller avvikelse vid avbokning",
        "GB5 Delmål är SMARTa",
        "TN3 Orsaken till nej dokumenteras",
        "GB3 Ej verkställt beslut efter 3 månader",
        "GB4 Genomförandeplan inom 4 veckor",
    ]
    assert rows[0][1:] == ["0 %", "2", "2 tillfällen", "0", "0", "0"]
    assert rows[2][1:] == ["50 %", "1", "2 tillfällen", "0", "0", "0"]
    assert rows[4][1:] == ["100 %", "0", "1 fall", "0", "0", "1"]
    chart = page.find("section", id="efterlevnad").find("ol", class_="bars")
    labels = [" ".join(li.find("span", class_="bar-label").text.split()) for li in chart.find_all("li")]
    assert labels == [r[0] for r in rows]
    first = " ".join(chart.find("li").find("span", class_="bar-text").text.split())
    assert first == "0 % uppfyllt: 2 brister av 2 tillfällen"


def test_accessible_structure(pages):
    for name, page in pages.items():
        html = page.find("html")
        assert html.get("lang") == "sv"
        body = html.find("body")
        skip = body.find("a")
        assert skip.get("class") == "skip-link" and skip.get("href") == "#main"
        assert body.find("main", id="main") is not None
        assert body.find("header") is not None and body.find("nav").get("aria-label")
        assert len(page.find_all("h1")) == 1
        levels = [int(n.tag[1]) for n in page.iter() if re.fullmatch(r"h[1-6]", n.tag)]
        for prev, cur in itertools.pairwise(levels):
            assert cur <= prev + 1, (name, levels)
        for table in page.find_all("table"):
            assert table.find("caption") is not None and table.find("caption").text.strip()
            for th in table.find_all("th"):
                assert th.get("scope") in ("col", "row"), (name, th.text)
        for badge in page.find_all("span", class_="badge"):
            label = badge.text.strip()
            assert label, "a badge needs a text label, not colour alone"
        for label in page.find_all("label"):
            assert page.find(None, id=label.get("for")) is not None


def test_cards_have_text_icon_and_agreeing_nouns(pages):
    cards = pages[UNIT_A_FILE].find("section", id="sammanfattning").find("ul", class_="cards")
    items = [" ".join(li.text.split()) for li in cards.find_all("li")]
    assert items == [
        "4 ✕ brister", "1 ▲ risk", "2 ✓ uppfyllda", "0 – utan händelser", "1 ○ ej granskad",
    ]
    headline = pages[UNIT_A_FILE].find("p", class_="headline").text
    assert headline == (
        "4 brister och 1 risk hos 4 brukare. 5 regler kunde bedömas, 2 av dem utan brist."
    )


def test_filter_form_is_progressive_enhancement(pages):
    form = pages[UNIT_A_FILE].find("form", id="filter")
    assert "hidden" in form.attrs  # shown by the script; without JS the full list is there
    rule_options = [o.get("value") for o in form.find("select", name="regel").find_all("option")]
    assert rule_options == ["", "GB3", "GB4", "TN1", "GB5", "TN3"]


def test_deterministic_except_generation_line(result, tmp_path):
    first = render_html(result)
    later = rf.make_result(generated=datetime(2027, 1, 2, 3, 4, 5))
    second = render_html(later)
    assert first.keys() == second.keys()
    for name in first:
        a, b = first[name].splitlines(), second[name].splitlines()
        diff = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
        assert diff == [
            (
                '<p class="generated">Skapad 2026-10-01 08:30:00</p>',
                '<p class="generated">Skapad 2027-01-02 03:04:05</p>',
            )
        ], name
    assert render_html(result) == first


def test_generation_time_shown_once(pages):
    for page in pages.values():
        assert (
            sum(
                "2026-10-01 08:30:00" in (s if isinstance(s, str) else "")
                for n in page.iter()
                for s in n.children
            )
            == 1
        )


def test_user_templates_override_package_templates(result, tmp_path):
    own = tmp_path / "mina-mallar"
    own.mkdir()
    (own / "_evidence.html").write_text(
        '<li class="egen">{{ ev.location }}: {{ ev.before }}{{ ev.marked }}{{ ev.after }}</li>\n',
        encoding="utf-8",
    )
    paths = write_reports(result, tmp_path / "ut", template_dir=own)
    page = parse((tmp_path / "ut" / UNIT_A_FILE).read_text(encoding="utf-8"))
    custom = page.find_all("li", class_="egen")
    assert custom and any("xss" in li.text for li in custom)
    assert page.find("script").text.count("xss") == 0
    assert len(paths) == 6


def test_templates_never_mark_data_safe():
    for path in TEMPLATES.iterdir():
        source = path.read_text(encoding="utf-8")
        assert "|safe" not in source.replace(" ", "") and "autoescape false" not in source, path


def test_long_excerpt_is_windowed_around_deciding_words(tmp_path):
    text = "Inledning. " * 100 + "Brukaren tackade nej idag." + " Avslutning." * 100
    f = rf.finding(
        "TN3",
        "violation",
        rf.UNIT_A,
        rf.ANNA,
        rf.AS_OF,
        "m",
        [rf.ev(text, "tackade nej", 5, rf.AS_OF)],
    )
    page = parse(render_html(rf.make_result([f]))[UNIT_A_FILE])
    quote = page.find("article").find("blockquote")
    assert quote.find("mark").text == "tackade nej"
    assert quote.text.startswith("… ") and quote.text.endswith(" …")
    assert len(quote.text) < 500


def test_large_unit_stays_small(tmp_path):
    result = rf.large_result(2000, n_cases=200, statuses=("violation", "warning"))
    paths = write_reports(result, tmp_path)
    unit = next(p for p in paths if p.name.startswith("enhet-"))
    size = unit.stat().st_size
    assert size < 5 * 1024 * 1024, f"{size / 1e6:.2f} MB"
    page = parse(unit.read_text(encoding="utf-8"))
    assert len(page.find_all("article", class_="finding")) == 2000
    assert len(page.find_all("section", class_="person")) == 200
    actions = page.find("section", id="sammanfattning").find("table", class_="actions")
    rows = actions.find("tbody").find_all("tr")
    assert len(rows) == 30
    assert len([tr for tr in rows if "screen-only" not in (tr.get("class") or "")]) == 10
