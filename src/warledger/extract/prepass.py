"""Parse only what can yield a report: a cheap pass marks sentences, the model parses only those.

For each batch of tokenized documents, the `wl_prepass` component:
1. finds rule hits with the tokenizer's output alone: trigger, weapon and statement phrases (any part of
   speech), casualty words, materiel nouns, verbs of saying or denying, "according to" and its kin;
2. splits the text into rough sentences (end punctuation, line breaks) and marks those holding a hit;
3. widens the marks (`Window`): the first paragraphs and sentences (headline, dateline, lead), and the
   sentences before and after each marked one, then whole sentences until `margin` tokens more on each
   side (the tagger reads four tokens either way and the parser three ahead, so a marked sentence is parsed
   as it would be in the whole text);
4. runs the model's components (tok2vec, tagger, parser, NER) on each kept run of tokens as its own Doc,
   all runs of the batch together, and copies their annotations back into the whole Doc. Skipped tokens keep
   their rough sentence starts and no tags.

Why the reports do not change: a sentence with no hit gives the extractor no trigger, figure, materiel,
statement or speaker, so it yields no draft, and what it leaves for the next sentence (the previous claimant,
carried on within a paragraph) does not depend on its parse. tests/test_prepass.py compares the reports with
and without the pre-pass on the seeds and dev articles; `Settings.prepass` (WARLEDGER_PREPASS=0) turns it off.
Anything new in the extractor that reads the parse of sentences away from a hit must widen `Window`.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass

import numpy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from warledger.extract.lexicon import load_lexicon
from warledger.extract.nlp import RAW_MATCHES, build_matchers, forms_of, word_forms
from warledger.extract.numbers import figure_rules

# Annotations copied from a parsed run back into the whole document.
COPIED = ["TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE", "ENT_KB_ID", "ENT_ID"]
SENTENCE_END = {".", "!", "?", "…", "...", "!!", "?!"}
CLOSERS = {'"', "'", "”", "’", ")", "]", "»"}


@dataclass(frozen=True)
class Window:
    """What is parsed besides the marked sentences (generous: extra parsing costs time, never reports)."""

    lead_paragraphs: int = 3    # headline, dateline and lead: the extractor reads them for every sentence
    lead_sentences: int = 6     # at least this many first sentences (headline repeats are looked for there)
    before: int = 2             # sentences before a marked one (carried-on places, claimants, "he")
    after: int = 1              # sentences after one (the parser looks ahead across the boundary)
    margin: int = 8             # then whole sentences until this many more tokens on each side


@dataclass
class Marks:
    """One document's rough sentences and which runs of tokens are parsed."""

    starts: list[int]              # token index of each rough sentence start
    marked: list[bool]             # the sentence holds a rule hit
    runs: list[tuple[int, int]]    # token ranges parsed, in order, not overlapping

    @property
    def parsed_sentences(self) -> int:
        ends = self.starts[1:] + [None]
        return sum(1 for s, e in zip(self.starts, ends) if any(a <= s < b for a, b in self.runs))


class CueWords:
    """Single words whose presence makes a sentence worth parsing (lower-cased surface forms)."""

    def __init__(self) -> None:
        lex = load_lexicon()
        figures = figure_rules()
        casualty = figures["killed_words"] + figures["wounded_words"]
        speech = sorted(lex.say_verbs | lex.deny_verbs | {"cite", "quote"})
        materiel = set()
        for name in lex.materiel_types:
            first = name.split()[0]
            materiel.update({first, first + "s", first + "es", first[:-1] + "ies" if first.endswith("y") else first})
        self.words = set(forms_of(tuple(speech))) | {w.split()[0] for w in casualty} | materiel
        self.words |= {f for w in casualty for f in (word_forms(w) if " " not in w else [])}
        # "according to", "citing", "as reported by": the first word of each phrase is enough to mark
        self.words |= {p.split()[0].lower() for p in lex.according_to if p.split()[0].lower() not in ("as",)}
        self.words |= {p.split()[1].lower() for p in lex.according_to if p.split()[0].lower() == "as"}


def _ids(vocab, words: Iterable[str]) -> numpy.ndarray:
    return numpy.array(sorted(vocab.strings.add(w) for w in words), dtype=numpy.uint64)


def token_flags(doc: Doc) -> dict[str, numpy.ndarray]:
    """Per-token flags for the rough sentence split, read in one pass (no Python loop over tokens)."""
    orth, punct, space, spacy_ws, lower = doc.to_array(["ORTH", "IS_PUNCT", "IS_SPACE", "SPACY", "LOWER"]).T
    newline = numpy.zeros(len(doc), dtype=bool)
    for i in numpy.flatnonzero(space):
        newline[i] = "\n" in doc[int(i)].text
    vocab = doc.vocab
    return {"newline": newline, "punct": punct.astype(bool), "space_after": spacy_ws.astype(bool),
            "end": numpy.isin(orth, _ids(vocab, SENTENCE_END)), "closer": numpy.isin(orth, _ids(vocab, CLOSERS)),
            "opener": numpy.isin(orth, _ids(vocab, ('"', "“", "(", "«"))), "lower": lower}


def rough_sentence_starts(doc: Doc, flags: dict[str, numpy.ndarray] | None = None) -> list[int]:
    """Sentence starts from punctuation and line breaks only (the parser is not run yet)."""
    n = len(doc)
    if n == 0:
        return []
    f = flags or token_flags(doc)
    # the last token before i that is not a closing quote or bracket ends a sentence ('killed."  Then')
    idx = numpy.arange(n)
    last_open = numpy.maximum.accumulate(numpy.where(~f["closer"], idx, -1))
    candidate = numpy.zeros(n, dtype=bool)
    prev = idx[1:] - 1
    ender = last_open[prev]
    candidate[1:] = (ender >= 0) & f["end"][numpy.maximum(ender, 0)] & f["space_after"][prev] \
        & ~f["closer"][1:] & (~f["punct"][1:] | f["opener"][1:])
    candidate[1:] |= f["newline"][prev]
    candidate[0] = True
    return numpy.flatnonzero(candidate).tolist()


def mark(doc: Doc, hits: Iterable[int], window: Window, flags: dict[str, numpy.ndarray] | None = None) -> Marks:
    """Which rough sentences hold a hit, and the token runs to parse around them."""
    n = len(doc)
    f = flags or token_flags(doc)
    starts = rough_sentence_starts(doc, f)
    count = len(starts)
    ends = starts[1:] + [n]
    sentence_of = numpy.searchsorted(numpy.array(starts), numpy.arange(n), side="right") - 1
    marked = [False] * count
    for k in {int(sentence_of[i]) for i in hits if 0 <= i < n}:
        marked[k] = True
    paragraph_of = numpy.cumsum(numpy.concatenate([[0], f["newline"][:-1]])) if n else numpy.zeros(0)
    keep = [k < window.lead_sentences or paragraph_of[s] < window.lead_paragraphs for k, s in enumerate(starts)]
    for k, hit in enumerate(marked):
        if hit:
            for j in range(max(0, k - window.before), min(count, k + window.after + 1)):
                keep[j] = True
    # widen every kept run by whole sentences until `margin` tokens of context on each side
    widened = list(keep)
    for k in range(count):
        if not keep[k]:
            continue
        if k > 0 and not keep[k - 1]:
            j, tokens = k - 1, 0
            while j >= 0 and tokens < window.margin:
                widened[j] = True
                tokens += ends[j] - starts[j]
                j -= 1
        if k < count - 1 and not keep[k + 1]:
            j, tokens = k + 1, 0
            while j < count and tokens < window.margin:
                widened[j] = True
                tokens += ends[j] - starts[j]
                j += 1
    runs: list[tuple[int, int]] = []
    for k, kept in enumerate(widened):
        if not kept:
            continue
        if runs and runs[-1][1] == starts[k]:
            runs[-1] = (runs[-1][0], ends[k])
        else:
            runs.append((starts[k], ends[k]))
    return Marks(starts=starts, marked=marked, runs=runs)


class SelectiveParser:
    """The model's statistical components, run only on the runs of tokens the pre-pass keeps."""

    def __init__(self, nlp: Language, components: list[tuple[str, object]], window: Window):
        self.components = components
        self.window = window
        self.matchers = build_matchers(nlp.vocab)
        self.cues = CueWords().words
        self._cue_ids: numpy.ndarray | None = None
        self.skipped = 0       # sentences not parsed, and all sentences, in this process (for the benchmark)
        self.sentences = 0

    def hits(self, doc: Doc, lower: numpy.ndarray) -> list[int]:
        raw = {kind: matcher.find(doc) for kind, matcher in self.matchers.items()}
        doc.user_data[RAW_MATCHES] = raw   # wl_matches filters these by part of speech, not matching again
        found = [start for matches in raw.values() for _, start, _ in matches]
        if self._cue_ids is None:
            self._cue_ids = _ids(doc.vocab, self.cues)
        found.extend(numpy.flatnonzero(numpy.isin(lower, self._cue_ids)).tolist())
        return found

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        for batch in minibatch(docs, size=batch_size):
            yield from self._parse_batch(list(batch), batch_size)

    def _parse_batch(self, docs: list[Doc], batch_size: int) -> list[Doc]:
        plans = []
        for doc in docs:
            flags = token_flags(doc)
            plans.append(mark(doc, self.hits(doc, flags["lower"]), self.window, flags))
        # a document parsed whole is parsed as itself (nothing to copy back)
        pieces = [doc if plan.runs == [(0, len(doc))] else doc[a:b].as_doc()
                  for doc, plan in zip(docs, plans) for a, b in plan.runs]
        for _, proc in self.components:
            if hasattr(proc, "pipe"):
                pieces = list(proc.pipe(pieces, batch_size=batch_size))
            else:
                pieces = [proc(p) for p in pieces]
        at = 0
        for doc, plan in zip(docs, plans):
            self._copy_back(doc, plan, pieces[at:at + len(plan.runs)])
            at += len(plan.runs)
            self.sentences += len(plan.starts)
            self.skipped += len(plan.starts) - plan.parsed_sentences
        return docs

    @staticmethod
    def _copy_back(doc: Doc, plan: Marks, pieces: list[Doc]) -> None:
        n = len(doc)
        if n == 0 or (len(pieces) == 1 and pieces[0] is doc):
            return
        values = numpy.zeros((n, len(COPIED)), dtype=numpy.uint64)
        sent_start = numpy.full(n, -1, dtype=numpy.int64)
        sent_start[plan.starts] = 1
        for (a, b), piece in zip(plan.runs, pieces):
            values[a:b] = piece.to_array(COPIED)
            sent_start[a:b] = piece.to_array(["SENT_START"]).astype(numpy.int64).reshape(-1)
        doc.from_array(COPIED, values)
        # after the heads are set (which resets sentence starts), the parser's starts and the rough ones
        doc.from_array(["SENT_START"], sent_start.astype(numpy.uint64).reshape(-1, 1))


@Language.factory("wl_prepass", default_config={"lead_paragraphs": 3, "lead_sentences": 6, "before": 2,
                                                 "after": 1, "margin": 8})
def make_prepass(nlp: Language, name: str, lead_paragraphs: int, lead_sentences: int, before: int, after: int,
                 margin: int) -> SelectiveParser:
    """Placeholder components: `install` moves the model's own ones inside."""
    return SelectiveParser(nlp, [], Window(lead_paragraphs, lead_sentences, before, after, margin))


def install(nlp: Language, window: Window | None = None) -> SelectiveParser:
    """Move every component before `wl_matches` into one `wl_prepass` component (in the same order)."""
    window = window or Window()
    moved = []
    for name in list(nlp.pipe_names):
        if name == "wl_matches":
            break
        moved.append((name, nlp.get_pipe(name)))
    for name, _ in moved:
        nlp.remove_pipe(name)
    nlp.add_pipe("wl_prepass", first=True, config=asdict(window))
    selective = nlp.get_pipe("wl_prepass")
    selective.components = moved
    return selective
