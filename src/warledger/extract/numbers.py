"""Numbers as news writes them: digits, number words, vague amounts, and their qualifiers."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import yaml
from spacy.tokens import Span

from warledger.extract.lexicon import DATA
from warledger.plausible import MAX_FIGURE, plausible_figure


@functools.lru_cache(maxsize=1)
def figure_rules() -> dict:
    return yaml.safe_load((DATA / "figures.yaml").read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def _vague_by_first() -> dict[str, list]:
    """Vague phrases indexed by their first word, longest first (looked up once per token)."""
    out: dict[str, list] = {}
    for phrase, spec in sorted(figure_rules()["vague"].items(), key=lambda kv: -len(kv[0])):
        words = phrase.split()
        out.setdefault(words[0], []).append((words, tuple(spec)))
    return out


@dataclass
class Amount:
    value: int | None
    qualifier: str | None
    start: int          # token index of the first token (qualifier included)
    end: int            # token index after the last token
    head: int           # token index of the number itself


# Above MAX_FIGURE a number is not a figure (a phone number, money, a typo): it is never read as one.
_MAX_DIGITS = len(str(MAX_FIGURE))


def _value(token_text: str) -> int | None:
    text = token_text.lower().replace(",", "")
    if re.fullmatch(r"\d+", text):
        # checked before int(): Python refuses to convert strings of over 4,300 digits
        return plausible_figure(int(text)) if len(text) <= _MAX_DIGITS else None
    return figure_rules()["numbers"].get(text)


def amounts(sent: Span, skip: set[int] = frozenset()) -> list[Amount]:
    """Every number in a sentence with its qualifier; dates, years, times and model names are left out."""
    rules = figure_rules()
    doc = sent.doc
    out: list[Amount] = []
    i = sent.start
    while i < sent.end:
        tok = doc[i]
        if i in skip or tok.ent_type_ in ("TIME", "PERCENT", "MONEY", "ORDINAL") or \
                tok.ent_type_ == "DATE" and _dated(tok):
            i += 1
            continue
        low = tok.lower_
        # vague multiword amounts first ("a number of", "a great number of")
        matched = None
        for words, (val, qual) in _vague_by_first().get(low, ()):
            if [t.lower_ for t in doc[i:i + len(words)]] == words:
                matched = Amount(val, qual, i, i + len(words), i + len(words) - 1)
                break
        if matched is None:
            value = None
            if tok.like_num or low in rules["numbers"]:
                value = _value(tok.text)
            if value is not None and low in ("a", "an"):
                value = None  # articles count only for materiel; see materiel.py
            if value is not None and not _is_date_like(tok):
                end = i + 1
                nxt = doc[end] if end < sent.end else None
                if nxt is not None and nxt.lower_ in rules["multipliers"]:
                    value *= rules["multipliers"][nxt.lower_]
                    end += 1
                if plausible_figure(value) is not None:  # "50 billion" people is not a figure
                    matched = Amount(value, "exact", i, end, i)
        if matched is not None:
            qual, start = _qualifier(doc, matched.start, sent.start)
            if qual:
                matched.qualifier, matched.start = qual, start
            out.append(matched)
            i = matched.end
            continue
        i += 1
    return out


def _qualifier(doc, index: int, floor: int) -> tuple[str | None, int]:
    rules = figure_rules()["qualifiers"]
    for qual, phrases in rules.items():
        for phrase in sorted(phrases, key=lambda p: -len(p)):
            words = phrase.split()
            start = index - len(words)
            if start >= floor and [t.lower_ for t in doc[start:index]] == words:
                return qual, start
    return None, index


def _dated(tok) -> bool:
    """Whether the tagger's DATE around `tok` is a date: it names a month, a day or a year ("June 5",
    "2023"); a bare number it calls a date ("kills 34") is a count."""
    ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
    if ent is None:
        return True
    return any(t.is_alpha or re.fullmatch(r"(1[89]|20)\d\d", t.text) for t in ent) or not tok.like_num


def _is_date_like(tok) -> bool:
    text = tok.text
    if re.fullmatch(r"(19|20)\d\d", text):
        return True
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    prev = tok.nbor(-1) if tok.i > 0 else None
    months = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
              "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
              "dec"}
    if nxt is not None and nxt.lower_.strip(".") in months:
        return True
    if prev is not None and prev.lower_.strip(".") in months:
        return True
    if nxt is not None and nxt.text in ("-", "%") or (nxt is not None and nxt.lower_ in ("percent", "km",
                                                                                          "kilometers", "km.")):
        return True
    if nxt is not None and nxt.lower_ in ("years", "year", "days", "day", "hours", "weeks", "week", "months",
                                          "month", "o'clock", "am", "pm", "a.m.", "p.m."):
        return True
    return False
