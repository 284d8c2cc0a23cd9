"""The pipeline's faster stand-ins give the results of what they replace: the array attribute ruler sets what
the model's attribute ruler sets, token for token; `ascii_text` is unidecode; the term matchers' first-word
index finds what trying every phrase length at every word finds; paragraph starts found from the text's line
breaks are those of the token-by-token rule."""
from __future__ import annotations

import pytest
from shared_paths import SHARED

from warledger.clean import clean_text
from warledger.extract.nlp import ArrayAttributeRuler, load_model, load_nlp

CORPORA = [SHARED / "corpus" / "seeds", SHARED / "corpus" / "dev"]
COLUMNS = ["TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD", "SENT_START", "ENT_IOB", "ENT_TYPE", "ORTH", "NORM"]
# The ruler's own corner cases: 'ai n't', "nothin'", "y'all", 'but' as an adverb, determiners as pronouns,
# auxiliaries, white space tokens, and its last token (a two-token pattern cannot start there).
TRICKY = ["", " ", "\n\n", "We ai n't seen nothin' yet, y'all.  But then  \n  that which could, did.",
          "Those who would go. This is what those are. All but one left; but he'd stayed.\t\tx",
          "I can't and won't; they'd've gone.  \n\nNobody, anybody, something, everything: ya'll", "y'"]


@pytest.fixture(scope="module")
def model():
    return load_model()


def _texts() -> list[str]:
    texts = list(TRICKY)
    for corpus in CORPORA:
        for path in sorted(corpus.glob("*.txt")):
            raw = path.read_text(encoding="utf-8")
            texts += [raw, clean_text(raw)]
    return texts


def _state(doc) -> tuple:
    return (doc.to_array(COLUMNS).tolist(), [str(t.morph) for t in doc], [t.lemma_ for t in doc],
            doc.to_bytes(exclude=["user_data"]))


def test_the_array_ruler_sets_what_spacys_ruler_sets(model):
    ruler = model.get_pipe("attribute_ruler")
    fast = ArrayAttributeRuler(ruler)
    assert fast.supported, "the model's ruler holds a pattern the array ruler cannot reproduce"
    texts = _texts()
    compared = 0
    # tagged and parsed once, then each ruler on its own copy, as in the pipeline (after the parser)
    for text, mine in zip(texts, model.pipe(texts, disable=["attribute_ruler", "ner"])):
        spacys = mine.copy()
        assert _state(fast(mine)) == _state(ruler(spacys)), text[:80]
        compared += len(mine)
    assert compared > 1_000 or not SHARED.is_dir()


def test_a_pattern_it_does_not_know_leaves_the_work_to_spacy():
    nlp = load_model()
    ruler = nlp.get_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "drone", "OP": "+"}]], {"POS": "PROPN"})
    fast = ArrayAttributeRuler(ruler)
    assert not fast.supported
    text = "Two drone drone strikes hit the town."
    mine = fast(nlp(text, disable=["attribute_ruler"]))
    assert _state(mine) == _state(nlp(text))
    assert [t.pos_ for t in mine][1:3] == ["PROPN", "PROPN"]


def test_the_pipeline_runs_the_array_ruler_in_place_of_spacys():
    for prepass in (True, False):
        nlp = load_nlp(prepass)
        names = [name for name, _ in (nlp.get_pipe("wl_prepass").components if prepass else nlp.pipeline)]
        assert "attribute_ruler" not in names
        assert names.index("parser") < names.index("wl_attribute_ruler") < names.index("ner")


def test_ascii_text_is_unidecode():
    import random

    from unidecode import unidecode

    from warledger.resolve.text import ascii_text

    rng = random.Random(7)
    samples = _texts() + ["Xankəndi", "Cəbrayıl “quoted” — ok…", "Київ, Харків", "北京", "\u00a0\u2009x\ufeff"]
    for _ in range(500):
        samples.append("".join(chr(rng.choice([rng.randint(0, 0x7F), rng.randint(0x80, 0x2FFF),
                                               rng.randint(0x3000, 0xD7FF), rng.randint(0xE000, 0x10FFFF)]))
                               for _ in range(rng.randint(0, 30))))
    for text in samples:
        assert ascii_text(text) == unidecode(text), repr(text[:60])


def _find_every_length(matcher, text):
    """TermMatcher.find as it was: every phrase length tried at every word."""
    from warledger.resolve.terms import Hit
    from warledger.resolve.text import fold

    words = fold(text).split()
    hits, i = [], 0
    while i < len(words):
        for n in range(min(matcher.max_words, len(words) - i), 0, -1):
            payload = matcher.phrases.get(tuple(words[i:i + n]))
            if payload is not None:
                hits.append(Hit(i, i + n, " ".join(words[i:i + n]), payload, False))
                i += n
                break
        else:
            i += 1
    hits += matcher.acronym_hits(text, len(words))   # acronyms are not what the fast path changed
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    return hits


@pytest.mark.slow
def test_the_term_matchers_find_what_trying_every_length_finds():
    from pathlib import Path

    from warledger.conflicts import active_registry
    from warledger.pipeline import load_resolver
    from warledger.settings import Settings

    resolver = load_resolver(Path(Settings().cache_dir), active_registry().fingerprint)
    matchers = [resolver.region_terms, resolver.state_terms, resolver.actors.side_terms,
                resolver.actors.actor_terms, resolver.actors.outlet_terms]
    texts = _texts()[:40] + ["the Armed Forces of Ukraine said", "Nagorno Karabakh", "U.S. and UN", "of of of"]
    for matcher in matchers:
        for text in texts:
            assert matcher.find(text) == _find_every_length(matcher, text)


def test_paragraph_starts_are_those_of_the_token_by_token_rule(model):
    from warledger.extract.nlp import paragraphs

    def token_by_token(doc):
        for token in doc[1:]:
            if "\n" in doc[token.i - 1].text or "\n" in doc[token.i - 1].whitespace_:
                token.is_sent_start = True
        return doc

    for text in _texts() + ["\n", "a\n", "\na", "a \n b", "a\n\n\nb\r\nc", "x.\n", "  \n  \n", "one two\nthree"]:
        ours, theirs = paragraphs(model.make_doc(text)), token_by_token(model.make_doc(text))
        assert [t.is_sent_start for t in ours] == [t.is_sent_start for t in theirs], repr(text[:60])
