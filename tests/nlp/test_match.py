"""The compiled matcher: spaCy Matcher semantics on per-token key sets, anchors, names."""

from __future__ import annotations

import pytest
from spacy.matcher import Matcher
from spacy.tokens import Token

from auditor.nlp import lexicon
from auditor.nlp.evaluate import load_part
from auditor.nlp.match import PatternSet
from auditor.nlp.patterns import candidate_patterns, trigger_patterns
from auditor.nlp.pipeline import doc_info


def _spacy_tokens(pattern: lexicon.CompiledPattern) -> list[dict]:
    """The same pattern for spaCy's Matcher (match keys as a token extension)."""
    out: list[dict] = []
    for k, spec in enumerate(pattern.specs):
        if spec.gap:
            tok: dict = {"IS_PUNCT": False, "OP": f"{{0,{spec.gap}}}"}
        elif spec.keys is None:
            tok = {}
        else:
            tok = {"_": {"test_mkeys": {"INTERSECTS": sorted(spec.keys)}}}
            if spec.optional:
                tok["OP"] = "?"
        if k:
            tok["IS_SENT_START"] = False
        out.append(tok)
    return out


@pytest.fixture(scope="module")
def spacy_matchers(nlp):
    if not Token.has_extension("test_mkeys"):
        Token.set_extension("test_mkeys", getter=lambda t: sorted(doc_info(t.doc).toks[t.i].mkeys))
    out = []
    for ps in (candidate_patterns(), trigger_patterns()):
        m = Matcher(nlp.vocab)
        for e in ps.entries:
            tokens = _spacy_tokens(lexicon.CompiledPattern(e.specs))
            if e.sent_start:
                tokens[0] = {**tokens[0], "IS_SENT_START": True}
            m.add(str(e.index), [tokens])
        out.append((ps, m))
    return out


def test_same_matches_as_spacy_matcher(nlp, spacy_matchers):
    texts = [i.text for i in load_part("all")]
    texts += [t.replace("B ", "Anna ") for t in texts[:200]]
    for doc in nlp.pipe(texts):
        info = doc_info(doc)
        for ps, m in spacy_matchers:
            ours = {(e.index, s, end) for e, s, end in ps.find(info)}
            theirs = {(int(nlp.vocab.strings[mid]), s, e) for mid, s, e in m(doc)}
            assert ours == theirs, doc.text


def test_gap_optional_and_sentence_bound(nlp):
    ps = PatternSet()
    ps.add(lexicon.compile_pattern("tacka ~2 nej"), "a")
    ps.add(lexicon.compile_pattern("ingen personal? kunde"), "b")
    doc = nlp("B tackade då inte nej. Nej. Ingen kunde, ingen personal kunde.")
    found = {(e.payload, doc[s:end].text) for e, s, end in ps.find(doc_info(doc))}
    assert ("a", "tackade då inte nej") in found
    assert ("b", "Ingen kunde") in found and ("b", "ingen personal kunde") in found
    doc = nlp("B tackade.\nNej tack.")
    assert not ps.find(doc_info(doc))  # never across a sentence


def test_equals_form_accepts_each_alternative(nlp):
    pattern = lexicon.compile_pattern("=ville|=vill inte")
    assert pattern.specs[0].keys == frozenset({"=ville", "=vill"})
    assert lexicon.compile_pattern("=ville|vill inte").specs[0].keys == pattern.specs[0].keys


def test_pattern_must_start_with_a_word():
    with pytest.raises(ValueError):
        lexicon.compile_pattern("~2 nej")


def test_names_read_as_the_individual(nlp):
    doc = nlp("Ringde Anna. Pratade med dottern Eva Ek. Promenad till Nordstan.")
    keys = {t.text: t._.keys for t in doc}
    assert "b" in keys["Anna"]
    assert "b" not in keys["Eva"] and "b" not in keys["Ek"]
    assert "b" not in keys["Nordstan"] and "b" not in keys["Promenad"]
