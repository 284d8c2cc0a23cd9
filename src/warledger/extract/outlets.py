"""Whose voice a document's own sentences are: the site, or the agency whose copy it reposts.

Manifests and news APIs name outlets the way aggregators credit them: "MENAFN (reposting Ukrinform)",
"Newser (summarizing AP)", "allAfrica (The New Times, Rwanda)", "A News (Turkey)". The contract: text a site
reposts from a named agency is that agency's voice, when the text names the agency; otherwise the site's.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from warledger.countries import country_record

# Words that introduce the source inside an outlet credit ("reposting X", "citing X", "X copy").
# A site citing X tells X's claims as X's ("X reported") and the rest in its own voice; a rewrite is its own text.
_OWN_TEXT_CUES = {"citing", "quoting", "rewrite of"}
_TRAILING_CUES = re.compile(r"\s+(?:copy|repost|rewrite)$", re.I)
# Credits that describe the page, not a source ("machine-translated", "English machine translation").
_DESCRIPTIONS = re.compile(r"machine|translat|aggregator|unattributed|english|summary", re.I)
# Short names agencies go by in credits and the long names texts use.
_AGENCY_NAMES = {"AP": ("AP", "Associated Press"), "AFP": ("AFP", "Agence France-Presse")}
_LONG_NAMES = {"AP": "Associated Press"}


@dataclass(frozen=True)
class Voice:
    name: str                   # the outlet whose voice unattributed sentences are
    country: str | None = None  # a home country the credit states ("A News (Turkey)"), as written


def _parts(credit: str) -> tuple[str, list[tuple[str, list[str]]]]:
    """("MENAFN", [("reposting", ["Ukrinform"])]) from "MENAFN (reposting Ukrinform)": each credit chunk (in
    brackets, or after a comma) with its cue word and the names it lists."""
    inner = re.findall(r"\(([^()]*)\)", credit)
    site = re.sub(r"\([^()]*\)", "", credit)
    tail = re.split(r",\s*", site)
    site, rest = tail[0].strip(), [t.strip() for t in tail[1:] if t.strip()]
    chunks = []
    for chunk in inner + rest:
        cue = re.match(r"^(reposting|summari[sz]ing|with|(?:unattributed )?copy of|via|from|citing|quoting|"
                       r"rewrite of)\s+", chunk, re.I)
        names = chunk[cue.end():] if cue else chunk
        chunks.append((cue.group(1).lower() if cue else "", [n.strip() for n in re.split(r",\s*|\s+/\s+", names)
                                                            if n.strip()]))
    return site, chunks


def _named_in(name: str, text: str) -> bool:
    forms = _AGENCY_NAMES.get(name, (name,))
    return any(re.search(r"(?<![\w-])" + re.escape(f) + r"(?![\w-])", text) for f in forms)


def document_voice(credit: str | None, text: str) -> Voice | None:
    """The voice of a document credited as `credit`: a source it reposts when the text names it, else the
    site, with the home country the credit states, if any. None when there is no credit."""
    if not credit or not credit.strip():
        return None
    site, chunks = _parts(credit.strip())
    country, sources = None, []
    for cue, names in chunks:
        if cue in _OWN_TEXT_CUES:
            continue
        here = next((n for n in names if not cue and _looks_like_country(n)), None)
        if here and len(names) == 1:
            country = here   # "A News (Turkey)": the site's home
        for name in names:
            if name != here and (cue or not _DESCRIPTIONS.search(name)):
                # "(The New Times, Rwanda)": the source's home
                sources.append((_TRAILING_CUES.sub("", name).strip(), here if len(names) > 1 else None))
    for name, home in sources:
        if name and _named_in(name, text):
            return Voice(_LONG_NAMES.get(name, name), home)   # the agency's voice
    return Voice(site or credit.strip(), country)


def _looks_like_country(name: str) -> bool:
    """"Turkey", "Pakistan": one or two capitalised words that are not an outlet's ("The New Times")."""
    return bool(re.fullmatch(r"[A-Z][a-z]+(?: [A-Z][a-z]+)?", name)) and country_record(name) is not None \
        or name in _OLD_COUNTRY_NAMES


# Names credits still use that ISO has renamed.
_OLD_COUNTRY_NAMES = {"Turkey", "Czech Republic", "Swaziland", "Burma", "Ivory Coast"}
