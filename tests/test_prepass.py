"""The pre-pass parses only sentences that can yield a report (and their neighbours), and changes no report."""
from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from shared_paths import SEEDS, SHARED, need_seeds

from warledger.clean import clean_document
from warledger.conflicts import active_registry
from warledger.extract import extract_documents, load_nlp, published_for
from warledger.extract.prepass import Window, mark, rough_sentence_starts, token_flags
from warledger.ingest import Skipped, read_sources
from warledger.pipeline import load_resolver
from warledger.settings import Settings

DEV = SHARED / "corpus" / "dev"

TEXT = ("Shelling hits Kharkiv\n\n"
        "KHARKIV, May 3 (Reuters) - Russian shelling killed two people in Kharkiv on Friday, the governor said.\n\n"
        "The city lies thirty kilometres from the border. Its metro was built in the 1970s. "
        "Many students live there. The weather was mild. Trams ran as usual. Cafes were open.\n\n"
        "Ukraine's air force said it shot down 14 drones overnight.")


def _sentences(doc, starts):
    ends = starts[1:] + [len(doc)]
    return [doc[s:e].text.strip() for s, e in zip(starts, ends)]


def test_rough_sentences_split_at_end_punctuation_and_line_breaks():
    doc = spacy.blank("en")('He said: "We hit it." Then it fell.\n\nA new paragraph Mr. Smith wrote')
    assert _sentences(doc, rough_sentence_starts(doc)) == ['He said: "We hit it."', "Then it fell.",
                                                           "A new paragraph Mr. Smith wrote"]


def test_sentences_without_a_rule_hit_away_from_the_lead_are_not_parsed():
    nlp = load_nlp(prepass=True)
    selective = nlp.get_pipe("wl_prepass")
    doc = nlp.make_doc(TEXT)
    flags = token_flags(doc)
    plan = mark(doc, selective.hits(doc, flags["lower"]), Window(lead_paragraphs=2, lead_sentences=2, before=1,
                                                                 after=1, margin=0), flags)
    sentences = _sentences(doc, plan.starts)
    parsed = {s for (a, b) in plan.runs for s, start in zip(sentences, plan.starts) if a <= start < b}
    assert "Russian shelling killed two people in Kharkiv on Friday, the governor said." in sentences[1]
    assert "Ukraine's air force said it shot down 14 drones overnight." in parsed
    assert "Cafes were open." in parsed            # the sentence before a marked one
    assert "Many students live there." not in parsed and "The weather was mild." not in parsed
    assert plan.parsed_sentences < len(plan.starts)


def test_skipped_sentences_keep_their_tokens_and_sentence_starts_without_tags():
    nlp = load_nlp(prepass=True)
    sdoc = nlp(TEXT)
    assert sdoc.text == TEXT
    drones = next(s for s in sdoc.sents if "drones" in s.text)
    assert any(t.pos_ == "VERB" for t in drones) and any(e.label_ in ("GPE", "NORP") for e in drones.ents)
    full = load_nlp(prepass=False)(TEXT)
    assert [t.text for t in sdoc] == [t.text for t in full]


def test_the_setting_switches_it_off():
    assert "wl_prepass" in load_nlp(Settings().prepass).pipe_names
    assert "wl_prepass" not in load_nlp(Settings(prepass=False).prepass).pipe_names
    assert "parser" in load_nlp(prepass=False).pipe_names


def _documents(folder: Path):
    docs = []
    for item in read_sources([folder]):
        if isinstance(item, Skipped):
            continue
        doc = clean_document(item)
        doc.published, doc.published_inferred = published_for(doc)
        docs.append(doc)
    return docs


# The default window, and the narrowest that still reads what the extractor reads (one sentence either side,
# the first paragraph): it skips sentences on these corpora, so the comparison is not of two full parses.
NARROW = Window(lead_paragraphs=1, lead_sentences=1, before=1, after=1, margin=0)


@pytest.mark.slow
@pytest.mark.parametrize("window", [Window(), NARROW], ids=["default", "narrow"])
@pytest.mark.parametrize("corpus", [SEEDS, DEV], ids=["seeds", "dev"])
def test_reports_are_identical_with_and_without_the_prepass(corpus, window):
    need_seeds()
    if not corpus.is_dir():
        pytest.skip(f"{corpus} not found")
    documents = _documents(corpus)
    resolver = load_resolver(Path(Settings().cache_dir), active_registry().fingerprint)
    full = {x.document.doc_id: [r.model_dump(mode="json") for r in x.reports]
            for x in extract_documents(documents, resolver, nlp=load_nlp(prepass=False))}
    nlp = load_nlp(prepass=True, window=window)
    selective = nlp.get_pipe("wl_prepass")
    skipped_before = selective.skipped
    selective_run = {x.document.doc_id: [r.model_dump(mode="json") for r in x.reports]
                     for x in extract_documents(documents, resolver, nlp=nlp)}
    assert sum(len(v) for v in full.values()) > 0
    if window == NARROW and corpus == DEV:
        assert selective.skipped > skipped_before, "the narrow window skips sentences on dev"
    for doc_id, reports in full.items():
        assert selective_run[doc_id] == reports, doc_id
