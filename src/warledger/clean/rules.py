"""Furniture rules, read from `furniture.yaml` (or a file of the same shape) and compiled once."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from warledger.errors import CleanError

DEFAULT_RULES = Path(__file__).with_name("furniture.yaml")
_TRAILING = " :.›»→>…|-–—"


def line_key(line: str) -> str:
    """A line as rules compare it: white space (no-break spaces too) folded, case folded, trailing
    colon, dot or arrow dropped."""
    return " ".join(line.split()).casefold().rstrip(_TRAILING)


def _alternation(items: list[str], stems: bool = False) -> str:
    """A regex alternation of `items` as whole words (an item ending in '*' matches words it begins)."""
    parts = []
    for item in sorted({line_key(i) if not i.endswith("*") else line_key(i[:-1]) + "*" for i in items},
                       key=len, reverse=True):
        if stems and item.endswith("*"):
            parts.append(re.escape(item[:-1]) + r"\w*")
        else:
            parts.append(re.escape(item))
    return "(?<!\\w)(?:" + "|".join(parts) + ")(?!\\w)" if parts else "(?!)"


@dataclass(frozen=True)
class FurnitureRules:
    exact: frozenset[str]
    teaser_markers: frozenset[str]
    teaser_max_words: int
    regexes: tuple[re.Pattern, ...]
    prefixes: re.Pattern
    prefix_max_chars: int
    social_networks: re.Pattern
    social_cues: re.Pattern
    social_max_words: int
    breadcrumb: re.Pattern

    def is_furniture(self, line: str) -> bool:
        """True when the whole (trimmed) line is site furniture."""
        key = line_key(line)
        if not key:
            return False
        if key in self.exact or any(rx.fullmatch(key) for rx in self.regexes):
            return True
        if len(line) <= self.prefix_max_chars and self.prefixes.match(key):
            return True
        return self.is_social_footer(key)

    def is_social_footer(self, key: str) -> bool:
        """A short line that names a social network with a call to follow it, or only names networks."""
        if len(key.split()) > self.social_max_words or not self.social_networks.search(key):
            return False
        if self.social_cues.search(key):
            return True
        return not re.sub(r"[\W_]+", "", self.social_networks.sub("", key))  # a bare row of share buttons

    def is_teaser_marker(self, line: str) -> bool:
        return line_key(line) in self.teaser_markers

    def split_breadcrumb(self, line: str) -> tuple[str, str] | None:
        """(trail, rest) when `line` starts with a breadcrumb trail ("Home / news / "), else None."""
        match = self.breadcrumb.match(line)
        if not match:
            return None
        return line[:match.end()], line[match.end():].strip()


def load_rules(path: str | os.PathLike | None = None) -> FurnitureRules:
    """The furniture rules in `path` (default: the packaged furniture.yaml); CleanError if unusable."""
    return _load(str(Path(path) if path else DEFAULT_RULES))


@lru_cache(maxsize=8)
def _load(path: str) -> FurnitureRules:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        separators = "|".join(re.escape(s) for s in data.get("breadcrumb_separators", ["/"]))
        crumb = int(data.get("breadcrumb_crumb_chars", 40))
        roots = _alternation(data.get("breadcrumb_roots", []))
        return FurnitureRules(
            exact=frozenset(line_key(x) for x in data.get("exact", [])),
            teaser_markers=frozenset(line_key(x) for x in data.get("teaser_markers", [])),
            teaser_max_words=int(data.get("teaser_max_words", 20)),
            regexes=tuple(re.compile(rx, re.IGNORECASE) for rx in data.get("regexes", [])),
            prefixes=re.compile(_alternation(data.get("prefixes", []))),
            prefix_max_chars=int(data.get("prefix_max_chars", 120)),
            social_networks=re.compile(_alternation(data.get("social_networks", []))),
            social_cues=re.compile(_alternation(data.get("social_cues", []), stems=True)),
            social_max_words=int(data.get("social_max_words", 12)),
            # root, separator, then any number of short crumbs each closed by a separator
            breadcrumb=re.compile(rf"{roots}\s*(?:{separators})\s*(?:(?:(?!{separators}).){{1,{crumb}}}?\s*"
                                  rf"(?:{separators})\s*)*", re.IGNORECASE),
        )
    except (OSError, yaml.YAMLError, re.error, TypeError, ValueError) as exc:
        raise CleanError(f"furniture rules {path} cannot be used: {exc}") from exc
