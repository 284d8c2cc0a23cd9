"""Folding names so that spellings from different writers and transliteration systems meet.

`fold` is accent- and case-folding (what a reader would call the same letters); `skeleton` goes further
and merges transliteration variants (kh/x/h, dzh/j, ou/u, -yan/-ian ...) by the rules in
``data/transliteration.yaml``. Both sides of every comparison go through the same function.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml
from unidecode import unidecode

DATA_DIR = Path(__file__).parent / "data"
_TRANSLIT_PATH = DATA_DIR / "transliteration.yaml"


def load_yaml(name: str) -> dict | list:
    """Read one of the data files next to this module (clear error naming the file on failure)."""
    from warledger.errors import ResolveError

    path = DATA_DIR / name
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError) as exc:
        raise ResolveError(f"cannot read resolver data file {path}: {exc}") from exc


def _rules() -> tuple[dict[int, str], re.Pattern, list[tuple[str, str]]]:
    data = load_yaml(_TRANSLIT_PATH.name)
    table = {ord(k): v for k, v in (data.get("characters") or {}).items()}
    articles = data.get("article_prefixes") or []
    article_re = re.compile(r"^(?:%s) " % "|".join(map(re.escape, articles))) if articles else re.compile(r"^$x")
    rules = [(str(a), str(b)) for a, b in data.get("rules") or []]
    return table, article_re, rules


_CHAR_TABLE, _ARTICLE_RE, _RULES = _rules()
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_DOUBLE = re.compile(r"([a-z])\1+")


class _Transliterations(dict):
    """Each character's `unidecode` replacement, looked up once (a table for `str.translate`)."""

    def __missing__(self, codepoint: int) -> str:
        self[codepoint] = out = unidecode(chr(codepoint))
        return out


_TRANSLITERATED = _Transliterations()


def ascii_text(text: str) -> str:
    """`unidecode(text)`, which replaces each character on its own, by `str.translate` over the replacements
    of the characters met before (unidecode walks a long non-ASCII text one character at a time in Python)."""
    return text if text.isascii() else text.translate(_TRANSLITERATED)


def rules_hash() -> str:
    """A short hash of the folding rules: the gazetteer cache is keyed on it."""
    return hashlib.sha1(_TRANSLIT_PATH.read_bytes()).hexdigest()[:10]


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Accent- and case-folded ASCII words separated by single spaces ("Xankəndi" -> "xankandi")."""
    text = str(text or "")
    if text.isascii():  # most names: no accents to fold
        return _NON_ALNUM.sub(" ", text.lower().replace("'", "").replace("`", "")).strip()
    text = unicodedata.normalize("NFC", text).translate(_CHAR_TABLE)
    text = ascii_text(text).lower()
    return _NON_ALNUM.sub(" ", text.replace("'", "")).strip()


@lru_cache(maxsize=200_000)
def skeleton(text: str) -> str:
    """The transliteration-free key of a name, without spaces ("Dzhebrail" and "Jebrail" -> "jebrail")."""
    folded = _ARTICLE_RE.sub("", fold(text)).replace(" ", "")
    for old, new in _RULES:
        folded = folded.replace(old, new)
    return _DOUBLE.sub(r"\1", folded)


def is_latin_like(text: str) -> bool:
    """True when every letter is Latin, Cyrillic, Greek, Armenian or Georgian: scripts whose romanisation
    keeps vowels, so their names are worth indexing (Arabic or Chinese romanised by unidecode are not)."""
    return _OTHER_SCRIPT.search(text) is None


# Latin (with extensions), modifiers and combining marks, Greek, Cyrillic, Armenian, Georgian, punctuation.
_OTHER_SCRIPT = re.compile("[^\u0000-\u058f\u10a0-\u10ff\u1e00-\u1fff\u2000-\u206f]")
