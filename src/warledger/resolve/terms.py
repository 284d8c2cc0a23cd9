"""Finding listed names (aliases, demonyms, country names) inside a text, leftmost-longest.

Names are compared folded (accents, case, punctuation), word by word, except acronyms ("UN", "U.S.", "WHO",
"IS"), which must appear in capitals as written, so that "us" and "who" stay words. Lookups walk the
text's words and try the longest listed phrase first: no big regular expression to compile at load.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Generic, TypeVar

from warledger.resolve.text import fold

T = TypeVar("T")
_WORD = re.compile(r"[a-z0-9]+")
# acronyms may hold digits ("G7", "P5") and join others with a slash ("AFC/X23")
_RAW_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9.&/]*[A-Za-z0-9.]|[A-Za-z]")


def is_acronym(alias: str) -> bool:
    letters = [c for c in alias if c.isalpha()]
    return bool(letters) and len(letters) <= 5 and all(c.isupper() for c in letters) and " " not in alias.strip()


@dataclass
class Hit(Generic[T]):
    start: int          # word position in the text (acronyms: their position among raw tokens, scaled)
    end: int
    alias: str          # the folded phrase (or the acronym as written)
    payload: T
    acronym: bool


class TermMatcher(Generic[T]):
    """Leftmost-longest matching of many names at once."""

    def __init__(self, pairs: list[tuple[str, T]]):
        self.phrases: dict[tuple[str, ...], T] = {}
        self.acronyms: dict[str, T] = {}
        for alias, payload in pairs:
            if not alias:
                continue
            if is_acronym(alias):
                self.acronyms.setdefault(alias.rstrip("."), payload)
            else:
                words = tuple(fold(alias).split())
                if words:
                    self.phrases.setdefault(words, payload)
        self.max_words = max((len(w) for w in self.phrases), default=0)
        # the longest phrase that starts with each first word: most words start none, and are passed at once
        self.longest_from: dict[str, int] = {}
        for words in self.phrases:
            self.longest_from[words[0]] = max(self.longest_from.get(words[0], 0), len(words))

    def find(self, text: str, folded_text: str | None = None) -> list[Hit[T]]:
        """All non-overlapping hits, ordered by position."""
        words = (folded_text if folded_text is not None else fold(text)).split()
        hits: list[Hit[T]] = []
        longest_from, count = self.longest_from, len(words)
        i = 0
        while i < count:
            longest = longest_from.get(words[i])
            if longest is None:   # no listed phrase starts with this word
                i += 1
                continue
            for n in range(min(longest, count - i), 0, -1):
                payload = self.phrases.get(tuple(words[i:i + n]))
                if payload is not None:
                    hits.append(Hit(i, i + n, " ".join(words[i:i + n]), payload, False))
                    i += n
                    break
            else:
                i += 1
        hits += self.acronym_hits(text, len(words))
        hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
        return hits

    def acronym_hits(self, text: str, word_count: int) -> list[Hit[T]]:
        """Acronyms as written ("UN", "NATO"), at their position among raw tokens scaled to the word count."""
        if not self.acronyms or not text:
            return []
        tokens = _RAW_TOKEN.findall(text)
        scale = word_count / max(len(tokens), 1)
        return [Hit(int(j * scale), int(j * scale) + 1, token, payload, True) for j, token in enumerate(tokens)
                if (payload := self.acronyms.get(token.rstrip("."))) is not None]

    def longest(self, text: str) -> Hit[T] | None:
        hits = self.find(text)
        return max(hits, key=lambda h: (len(h.alias), -h.start)) if hits else None
