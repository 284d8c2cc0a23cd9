"""Copy detection on the seed texts: near-duplicates and shared passages; a copy group counts once."""
from __future__ import annotations

import re

import pytest
from test_fuse_gold import gold_reports, seed_documents

from warledger.fuse import detect_copies, fuse
from warledger.models import Document


@pytest.fixture(scope="module")
def seeds():
    return {d.doc_id[:3]: d for d in seed_documents()}


def _republished(doc: Document, doc_id: str) -> Document:
    """The same story as another site would republish it: other furniture, a few words changed."""
    body = doc.text.replace("Home / news / ", "").replace("Tuesday", "Tue.").replace("Al Jazeera", "AJ")
    text = f"World | Caucasus\nShare on Facebook\n\n{body}\n\nRelated posts\nLeave a Reply"
    return Document(doc_id=doc_id, text=text, outlet="Aggregator", published=doc.published)


def _sentences(text: str, min_words: int = 12) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+|\n+", text) if len(s.split()) >= min_words]


def test_seed_articles_are_not_copies_of_each_other(seeds):
    # 000 and 001 tell the same Akar-Hasanov call and Ganja strike, in their own words
    assert detect_copies(list(seeds.values())) == []


def test_republished_text_is_grouped_with_its_original(seeds):
    copy = _republished(seeds["003"], "900_republished")
    groups = detect_copies(list(seeds.values()) + [copy])
    assert len(groups) == 1
    assert groups[0].doc_ids == ["003_f29a8041dc07d8d1", "900_republished"]
    assert groups[0].similarity >= 0.8


def test_three_shared_passages_make_a_copy(seeds):
    passages = _sentences(seeds["004"].text)[:3]
    own = [f"This commentary paragraph number {k} is written by the blog itself and discusses the "
           f"regional economy, energy pipelines and the weather over the mountains in general terms."
           for k in range(12)]
    mixed = Document(doc_id="901_quotes_004", text=" ".join(own + passages))
    groups = detect_copies([seeds["002"], seeds["004"], mixed])
    assert [g.doc_ids for g in groups] == [["004_5d385f9b28c48f61", "901_quotes_004"]]
    two = Document(doc_id="902_two_passages", text=" ".join(own + passages[:2]))
    assert detect_copies([seeds["004"], two]) == []   # two sentences quoted are not a copied story


def test_copy_group_id_is_stable_when_documents_are_added(seeds):
    copy = _republished(seeds["003"], "900_republished")
    first = detect_copies([seeds["003"], copy])
    later = detect_copies(list(seeds.values()) + [copy, _republished(seeds["004"], "903_republished")])
    assert first[0].group_id in {g.group_id for g in later}
    assert len(later) == 2


def test_a_copy_group_counts_once_among_independent_sources(seeds):
    reports, keys = gold_reports()
    docs = list(seeds.values())
    copy = _republished(seeds["001"], "904_trend_copy")
    # the republished Trend story yields the same reports under the copy's doc_id
    copied = []
    for r in reports:
        if r.doc_id == "001_6731bb37b37029d6":
            c = r.model_copy(deep=True, update={"doc_id": copy.doc_id})
            c.report_id = ""
            copied.append(c.with_id())
    result = fuse(reports + copied, docs + [copy])
    assert [g.doc_ids for g in result.copy_groups] == [["001_6731bb37b37029d6", "904_trend_copy"]]
    ganja = next(e for e in result.events if e.event_id == result.assignments[
        next(rid for rid, key in keys.items() if key == "ganja-missile-2020-10-17")])
    assert {s.doc_id for s in ganja.sources} == {"000_d3cd856a60491968", "001_6731bb37b37029d6",
                                                 "904_trend_copy"}
    assert ganja.independent_sources == 2   # Al Jazeera, and Trend with its copy
    assert {s.copy_group for s in ganja.sources if s.doc_id != "000_d3cd856a60491968"} == {
        result.copy_groups[0].group_id}
