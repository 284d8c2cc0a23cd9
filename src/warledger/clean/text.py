"""Clean a document's text: drop site furniture line by line, keep one copy of a repeated headline,
fold white space. Only whole lines (or a breadcrumb prefix) go; words are never rewritten, so evidence
offsets into the cleaned text quote the document as written."""
from __future__ import annotations

import re
from dataclasses import dataclass

from warledger.clean.rules import FurnitureRules, line_key, load_rules
from warledger.errors import CleanError
from warledger.models import Document

_SPACES = re.compile(r"[ \t]+")
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"  # byte-order mark and zero-width characters at line ends
_SENTENCE_END = re.compile(r"[.!?…:;\"'”’»)\]]$")
_HEADLINE_REPEAT_WINDOW = 3  # a repeated headline is looked for in this many lines after it
_MIN_HEADLINE_WORDS = 4      # what a breadcrumb leaves is a headline from this many words on


@dataclass
class _Line:
    text: str
    after_blank: bool  # a blank line (or a removed line) came before it: it starts a paragraph


@dataclass(frozen=True)
class CleanResult:
    text: str
    removed: tuple[str, ...]  # the lines (and breadcrumb trails) taken out, in order


def clean_document(doc: Document, rules: FurnitureRules | None = None) -> Document:
    """A copy of `doc` whose `text` is cleaned from its `raw_text` (which is kept); CleanError when
    nothing is left. Cleaning from `raw_text` makes it safe to run twice."""
    source = doc.raw_text if doc.raw_text is not None else doc.text
    cleaned = clean_text(source, title=doc.title, rules=rules)
    if not cleaned:
        where = f" ({doc.source_path})" if doc.source_path else ""
        raise CleanError(f"document {doc.doc_id}{where}: no text left after removing site furniture")
    return doc.model_copy(update={"text": cleaned, "raw_text": source})


def clean_text(text: str, title: str | None = None, rules: FurnitureRules | None = None) -> str:
    """`text` without site furniture, paragraphs apart by one blank line, spaces folded."""
    return clean_with_removed(text, title, rules).text


def clean_with_removed(text: str, title: str | None = None,
                       rules: FurnitureRules | None = None) -> CleanResult:
    """Like `clean_text`, and also lists what was removed (to audit the rules)."""
    rules = rules or load_rules()
    lines = _split_lines(text)
    removed: list[str] = []
    kept: list[_Line] = []
    drop_teaser = False
    headline_from_crumb = False
    for index, line in enumerate(lines):
        if line is None:
            continue
        crumb = rules.split_breadcrumb(line.text)
        if crumb:
            trail, rest = crumb
            if not rest or not _is_headline_text(rest, title, _next_text(lines, index)):
                removed.append(line.text)
                continue
            removed.append(trail.strip())
            headline_from_crumb = headline_from_crumb or not kept
            line = _Line(rest, line.after_blank)
        if drop_teaser and _is_teaser(line.text, rules):
            removed.append(line.text)
            drop_teaser = False
            continue
        drop_teaser = rules.is_teaser_marker(line.text)
        if rules.is_furniture(line.text):
            removed.append(line.text)
            _mark_paragraph_start(lines, index)
            continue
        kept.append(line)
    kept = _drop_repeated_headline(kept, title, headline_from_crumb, removed)
    return CleanResult(_join(kept), tuple(removed))


def _split_lines(text: str) -> list[_Line | None]:
    """Trimmed, space-folded lines; None for blank ones."""
    out: list[_Line | None] = []
    after_blank = True
    for raw in text.splitlines():
        line = _SPACES.sub(" ", raw).strip().strip(_INVISIBLE).strip()
        if not line:
            out.append(None)
            after_blank = True
            continue
        out.append(_Line(line, after_blank))
        after_blank = False
    return out


def _next_text(lines: list[_Line | None], index: int) -> str | None:
    return next((line.text for line in lines[index + 1:] if line is not None), None)


def _mark_paragraph_start(lines: list[_Line | None], index: int) -> None:
    """The line after a removed one starts a paragraph (furniture never sat inside a sentence)."""
    following = next((line for line in lines[index + 1:] if line is not None), None)
    if following is not None:
        following.after_blank = True


def _same(a: str | None, b: str | None) -> bool:
    return bool(a and b) and line_key(a) == line_key(b)


def _matches_title(line: str, title: str | None) -> bool:
    """The line is the title, or the title is the line plus the site's name ("Headline | Outlet")."""
    if not title:
        return False
    return _same(line, title) or any(_same(line, part) for part in re.split(r"\s+[|–—-]\s+", title)[:1])


def _is_headline_text(rest: str, title: str | None, next_line: str | None) -> bool:
    """What a breadcrumb trail leaves is the headline (kept) rather than a section name (removed)."""
    return _matches_title(rest, title) or _same(rest, next_line) or len(rest.split()) >= _MIN_HEADLINE_WORDS


def _is_teaser(line: str, rules: FurnitureRules) -> bool:
    """A link to another article after "READ MORE": headline-like, no final full stop."""
    return not line.endswith((".", "!", "?")) and len(line.split()) <= rules.teaser_max_words


def _drop_repeated_headline(kept: list[_Line], title: str | None, from_crumb: bool,
                            removed: list[str]) -> list[_Line]:
    """Keep one copy of the headline when the body repeats it among its first lines."""
    if not kept:
        return kept
    first = kept[0].text
    is_headline = from_crumb or _matches_title(first, title) or not first.endswith(".")
    if not is_headline:
        return kept
    out = [kept[0]]
    for position, line in enumerate(kept[1:], start=1):
        if position <= _HEADLINE_REPEAT_WINDOW and _same(line.text, first):
            removed.append(line.text)
            if position < len(kept) - 1:
                kept[position + 1].after_blank = True
            continue
        out.append(line)
    return out


def _join(lines: list[_Line]) -> str:
    """Paragraphs apart by one blank line. A line break inside a paragraph stays a line break only where
    it wraps a sentence (no end punctuation before, a lower-case letter after); else it parts paragraphs."""
    parts: list[str] = []
    for line in lines:
        if parts:
            wraps = (not line.after_blank and not _SENTENCE_END.search(parts[-1][-1:] or "")
                     and line.text[:1].islower())
            parts.append("\n" if wraps else "\n\n")
        parts.append(line.text)
    return "".join(parts)
