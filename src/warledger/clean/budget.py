"""Budgets: every document handed to spaCy fits known limits, so time grows linearly with its length.

`fit_document(doc, limits)` works on the cleaned text, in one pass each:
1. a run of more than `max_token_chars` characters without a space (punctuation, a 5,000-digit number, an
   entity flood) gets a space every `max_token_chars` characters: spaCy's tokenizer is quadratic in the
   length of a space-less run, and no word is that long;
2. a line over `max_line_chars` is broken at its last sentence end (else its last space) before the limit:
   a line break starts a sentence, so no sentence holds more than `max_line_chars` characters;
3. a text over `max_document_chars` characters or `max_sentences` sentences is split into parts at
   paragraph (else line, else sentence) boundaries: `<doc_id>`, `<doc_id>-part2`, ...; parts past
   `max_parts` are dropped. spaCy's own `max_length` (1,000,000) is never reached.
Each change is one warning naming the document. Only white space is inserted, so evidence quotes the text
as stored.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from warledger.models import Document

SPACY_MAX_LENGTH = 1_000_000  # spaCy refuses longer texts (E088)


@dataclass(frozen=True)
class Limits:
    """The limits of one document (see README "Bad input"); `Settings.limits()` gives the configured ones."""

    max_document_chars: int = 100_000
    max_parts: int = 50
    max_sentences: int = 2_000
    max_line_chars: int = 3_000
    max_token_chars: int = 100
    max_html_depth: int = 400
    max_html_entities: int = 100_000
    max_rows: int = 100_000


DEFAULT_LIMITS = Limits()
_SENTENCE_MARKS = (". ", "! ", "? ", "\n")


@dataclass
class Fitted:
    parts: list[Document]
    warnings: list[str] = field(default_factory=list)


def fit_document(doc: Document, limits: Limits = DEFAULT_LIMITS) -> Fitted:
    """`doc` (cleaned) as one or more documents within `limits`, and a warning for each change made."""
    warnings: list[str] = []
    text, runs = break_runs(doc.text, limits.max_token_chars)
    if runs:
        warnings.append(f"{doc.doc_id}: {runs:,} run(s) of over {limits.max_token_chars} characters without "
                        "a space broken with spaces (max_token_chars)")
    text, lines = break_lines(text, limits.max_line_chars)
    if lines:
        warnings.append(f"{doc.doc_id}: {lines:,} line(s) over {limits.max_line_chars:,} characters broken "
                        "at sentence ends (max_line_chars)")
    pieces = split_text(text, limits.max_document_chars, limits.max_sentences)
    if len(pieces) > 1:
        warnings.append(f"{doc.doc_id}: {len(text):,} characters / about {sentence_count(text):,} sentences, "
                        f"over the limit of {limits.max_document_chars:,} characters or "
                        f"{limits.max_sentences:,} sentences per document: split into {len(pieces)} parts "
                        "at paragraph boundaries (max_document_chars, max_sentences)")
    if len(pieces) > limits.max_parts:
        dropped = sum(len(p) for p in pieces[limits.max_parts:])
        warnings.append(f"{doc.doc_id}: only the first {limits.max_parts} parts are kept; the last {dropped:,} "
                        "characters are not read (max_parts)")
        pieces = pieces[:limits.max_parts]
    if len(pieces) == 1:
        return Fitted([doc.model_copy(update={"text": text})], warnings)
    from warledger.ingest.records import content_hash  # (ingest imports the limits from here)

    parts = []
    for number, piece in enumerate(pieces, start=1):
        part_id = doc.doc_id if number == 1 else f"{doc.doc_id}-part{number}"
        # each part is its own document: its own text, hash and raw text (the whole raw text is not copied)
        parts.append(doc.model_copy(update={"doc_id": part_id, "text": piece, "raw_text": piece,
                                            "content_hash": content_hash(piece)}))
    return Fitted(parts, warnings)


_LONG_RUN_CACHE: dict[int, re.Pattern] = {}


def break_runs(text: str, max_chars: int) -> tuple[str, int]:
    """`text` with a space inserted every `max_chars` characters of a run without white space."""
    pattern = _LONG_RUN_CACHE.setdefault(max_chars, re.compile(r"\S{%d,}" % (max_chars + 1)))
    count = 0

    def spaced(match: re.Match) -> str:
        nonlocal count
        count += 1
        run = match.group(0)
        return " ".join(run[i:i + max_chars] for i in range(0, len(run), max_chars))

    return pattern.sub(spaced, text), count


def break_lines(text: str, max_chars: int) -> tuple[str, int]:
    """Lines over `max_chars` broken at the last sentence end before the limit (else the last space)."""
    if len(text) <= max_chars:
        return text, 0
    out, count = [], 0
    for line in text.split("\n"):
        start = 0
        while len(line) - start > max_chars:  # walk an index: slicing the rest each time would be quadratic
            cut = start + _cut_point(line[start:start + max_chars], max_chars)
            out.append(line[start:cut].rstrip())
            start = cut
            while start < len(line) and line[start] == " ":
                start += 1
            count += 1
        out.append(line[start:])
    return "\n".join(out), count


def _cut_point(window: str, limit: int) -> int:
    """Where to cut `window` (the first `limit` characters of a line)."""
    sentence = max(window.rfind(". "), window.rfind("! "), window.rfind("? "))
    if sentence > limit // 2:
        return sentence + 1
    space = window.rfind(" ")
    return space if space > 0 else limit


def sentence_count(text: str) -> int:
    """About how many sentences `text` holds (sentence ends and line breaks), without parsing it (str.count
    runs at C speed: a regular expression would cost a pass in Python per character)."""
    return sum(text.count(mark) for mark in _SENTENCE_MARKS) + 1


def split_text(text: str, max_chars: int, max_sentences: int) -> list[str]:
    """`text` in pieces of at most `max_chars` characters and about `max_sentences` sentences, cut at
    paragraph, line or sentence boundaries."""
    if len(text) <= max_chars and sentence_count(text) <= max_sentences:
        return [text]
    pieces, start = [], 0
    while start < len(text):
        limit = min(len(text), start + max_chars)
        # a window with too many sentences is halved until it fits: O(n log n) at worst, counted at C speed
        while limit - start > 200 and sentence_count(text[start:limit]) > max_sentences:
            limit = start + (limit - start) // 2
        if limit >= len(text):
            pieces.append(text[start:])
            break
        cut = _boundary(text, start, limit)
        pieces.append(text[start:cut].strip())
        start = cut
    return [p for p in pieces if p.strip()]


def _boundary(text: str, start: int, limit: int) -> int:
    """The last paragraph break, else line break, else sentence end, else space in text[start:limit]."""
    floor = start + (limit - start) // 2
    for mark, after in (("\n\n", 2), ("\n", 1), (". ", 1), (" ", 1)):
        found = text.rfind(mark, floor, limit)
        if found >= 0:
            return found + after
    return limit
