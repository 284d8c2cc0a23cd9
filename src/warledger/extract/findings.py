"""Finding what a sentence says (no writing of results here): places, figures, materiel, actors' sides.

Every finder takes a sentence (a spaCy Span) and returns plain records with token positions, so the
report builder can attach each finding to the nearest act in the clause.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Protocol

import yaml
from spacy.tokens import Span, Token

from warledger.extract.lexicon import DATA
from warledger.extract.nlp import covered, matches_in, word_forms
from warledger.extract.numbers import Amount
from warledger.models import Materiel, Place

AIR_DEFENCE = re.compile(r"\b(air (force|defen[cs]es?)|intercept\w*|shot down|downed|anti-aircraft)\b", re.I)
PLACE_NOUNS = {"city", "town", "village", "province", "district", "region", "settlement", "area", "oblast",
               "governorate", "state", "county", "municipality", "neighbourhood", "neighborhood", "camp", "port",
               "villages", "towns", "cities", "settlements", "camps", "districts", "neighbourhoods", "neighborhoods",
               "capital"}
# Nouns after a name that make it a settlement's name ("Nuseirat camp", "Hama city").
SETTLEMENT_AFTER = {"camp", "village", "town", "city"}
LOCATIVE = {"in", "near", "at", "on", "over", "around", "outside", "inside", "into", "across", "toward", "towards",
            "to", "of", "from", "within", "along", "south", "north", "east", "west", "direction"}
FRONT_WORDS = {"axis", "axes", "front", "frontline", "front-line", "fronts", "direction", "north", "south",
               "southern", "northern", "eastern", "western"}


class Knowledge(Protocol):
    """What the extractor asks of the resolver (passed in by the pipeline, never imported)."""

    def place(self, mention: str, context=None) -> Place | None: ...
    def side_of(self, text: str) -> str | None: ...
    def context(self, text: str): ...
    def capital_of(self, side: str | None) -> Place | None: ...


@dataclass
class PlaceMention:
    text: str
    start: int          # token indices
    end: int
    place: Place | None     # None: a place the gazetteer does not know (kept as written)
    subject: bool = False   # the mention acts (a metonym for a state), so it is not where something happened

    # Read these, not `place.x`: a name the gazetteer does not know has no place, and must not crash a reader.
    @property
    def precision(self) -> str | None:
        return self.place.precision if self.place is not None else None

    @property
    def country(self) -> str | None:
        return self.place.country if self.place is not None else None


@dataclass
class Figure:
    what: str            # killed | wounded
    amount: Amount
    victims: str         # civilian | military | unknown
    victim_side: str | None
    token: int
    word: int            # token index of the casualty word ("killed", "wounded")
    tally: bool = False


@dataclass
class MaterielMention:
    item: Materiel
    token: int
    side_text: str | None = None


@dataclass
class SentenceFindings:
    places: list[PlaceMention] = field(default_factory=list)
    fronts: list[tuple[int, int]] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    materiel: list[MaterielMention] = field(default_factory=list)


# -- places ------------------------------------------------------------------------------------
def find_places(sent: Span, knowledge: Knowledge, context, slip_places: re.Pattern | None) -> list[PlaceMention]:
    """Proper-noun runs that the gazetteer knows and the text uses as a place (not as an actor)."""
    doc = sent.doc
    out: list[PlaceMention] = []
    rejected: list[Span] = []
    i = sent.start
    while i < sent.end:
        tok = doc[i]
        if not _proper(tok):
            i += 1
            continue
        j = i
        while j < sent.end and (_proper(doc[j]) or (doc[j].text in ("-",) and j + 1 < sent.end and _proper(doc[j + 1]))
                                or _name_particle(doc, j, sent)):
            j += 1
        # "Sistan and Baluchestan", "Trinidad and Tobago": a name with "and" inside, when the gazetteer knows it
        if j + 1 < sent.end and doc[j].lower_ == "and" and _proper(doc[j + 1]):
            k = j + 1
            while k < sent.end and _proper(doc[k]):
                k += 1
            whole = knowledge.place(doc[i:k].text, context)
            if whole is not None and whole.precision in ("region", "country", "district"):
                j = k
        # "Tufuz province", "Absheron district", "Karabakh region": the noun belongs to the name
        if j < sent.end and doc[j].lower_ in ("province", "district", "region", "oblast", "governorate"):
            j += 1
        start = i
        if i - 2 >= sent.start and doc[i - 1].text == "-" and doc[i - 2].lower_ in NAME_PARTICLES and \
                not doc[i - 2].whitespace_ and not doc[i - 1].whitespace_:
            start = i - 2   # "al-Wahshiyya": the article belongs to the name as written
        span = doc[start:j]
        mention = _place_mention(span, knowledge, context)
        if mention is not None:
            out.append(mention)
        else:
            rejected.append(span)
        i = j
    out = _as_listed_regions(out, rejected, sent, knowledge, context)
    rejected = [s for s in rejected if not any(m.start <= s.start < m.end for m in out)]
    # "Ganja, Mingachevir, Khizi as well as Absheron district": names listed with a place are places too
    for _ in range(3):
        listed = [s for s in rejected if _listed_with(s, out)]
        for span in listed:
            mention = _place_mention(span, knowledge, context, listed=True)
            rejected.remove(span)
            if mention is not None:
                out.append(mention)
    if slip_places is not None:
        for m in slip_places.finditer(text_of(sent)):
            span = sent.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is not None and not any(p.start <= span.start < p.end for p in out):
                place = knowledge.place(span.text, context)
                if place is not None:   # "Kiev said": a spelling the pack knows still speaks for its state
                    speaking = place.precision in ("place", "district") and _speaks(span.root)
                    out.append(PlaceMention(span.text, span.start, span.end, place, subject=speaking))
    out += _regional_capitals(sent, knowledge, context, out)
    out += _the_region(sent, knowledge, context, out)
    return _without_locators(sorted(out, key=lambda p: p.start), doc)


REGION_WORDS = ("region", "oblast", "province", "governorate", "state")


def _regional_capitals(sent: Span, knowledge: Knowledge, context, found: list[PlaceMention]) -> list[PlaceMention]:
    """"the governor of the Belgorod region ... the attack on the regional capital": the town that shares its
    name with the region the text named last before it (how news names a province's main city)."""
    doc, out = sent.doc, []
    for tok in sent:
        if tok.lower_ != "capital" or tok.i < 1 or any(p.start <= tok.i < p.end for p in found):
            continue
        prev = doc[tok.i - 1]
        if not (prev.lower_ in ("regional", "provincial") or
                prev.text in ("'s", "’s") and tok.i > 1 and doc[tok.i - 2].lower_ in REGION_WORDS):
            continue
        town = _capital_named_before(doc, tok.i, knowledge, context)
        if town is not None:
            start = tok.i - 2 if prev.text in ("'s", "’s") else tok.i - 1
            out.append(PlaceMention(doc[start:tok.i + 1].text, start, tok.i + 1, town))
    return out


def _the_region(sent: Span, knowledge: Knowledge, context, found: list[PlaceMention]) -> list[PlaceMention]:
    """"the airstrikes on the governorate": the region of that kind the text named last before it."""
    doc, out = sent.doc, []
    for tok in sent:
        if tok.lower_ not in REGION_WORDS or tok.lower_ == "state" or tok.i < 1 or doc[tok.i - 1].lower_ != "the" \
                or any(p.start <= tok.i < p.end for p in found) or (tok.i + 1 < len(doc) and doc[tok.i + 1].lower_
                                                                     in ("of", "'s", "’s")):
            continue
        named = next(_regions_named_before(doc, tok.i, knowledge, context, kind=tok.lower_), None)
        if named is not None:
            out.append(PlaceMention(doc[tok.i - 1:tok.i + 1].text, tok.i - 1, tok.i + 1, named[0]))
    return out


def _capital_named_before(doc, before: int, knowledge: Knowledge, context) -> Place | None:
    for region, name in _regions_named_before(doc, before, knowledge, context):
        town = knowledge.place(name, context)
        if town is not None and town.precision == "place" and town.country == region.country:
            return town
    return None


def _regions_named_before(doc, before: int, knowledge: Knowledge, context, kind: str | None = None,
                          reach: int = 400):
    """(region, its name without the region word) for each "<Name> region" (oblast, governorate ...) named
    before token `before`, nearest first."""
    for i in range(before - 1, max(0, before - reach), -1):
        if doc[i].lower_ not in REGION_WORDS or (kind and doc[i].lower_ != kind) or i == 0 or \
                not _proper(doc[i - 1]):
            continue
        start = i - 1
        while start > 0 and _proper(doc[start - 1]):
            start -= 1
        name = doc[start:i].text
        region = knowledge.place(f"{name} {doc[i].text}", context)
        if region is not None and region.precision in ("region", "district"):
            yield region, name


def _without_locators(places: list[PlaceMention], doc) -> list[PlaceMention]:
    """"the Zamzam displacement camp near El Fasher", "Stepnohirsk, a town in Ukraine's Zaporizhzhia region": a
    place named to locate a place just named is no place of an act of its own."""
    out = []
    for m in places:
        prep = doc[m.start - 1] if m.start > 0 else None
        if prep is not None and prep.lower_ in ("near", "outside") and any(
                o is not m and o.end <= prep.i and (o.start <= prep.head.i < o.end or
                                                   any(c.i in range(o.start, o.end) for c in prep.head.children))
                for o in places):
            continue
        if _locates_apposition(m, places, doc):
            continue
        out.append(m)
    return out


def _locates_apposition(m: PlaceMention, places: list[PlaceMention], doc) -> bool:
    """`m` sits in "<place>, a town in <m>": the apposition of another named place says where that one is."""
    prep = doc[m.start:m.end].root.head
    noun = prep.head
    if prep.dep_ != "prep" or prep.lower_ not in ("in", "of", "near") or noun.lower_ not in PLACE_NOUNS \
            or noun.dep_ != "appos":
        return False
    return any(o is not m and o.start <= noun.head.i < o.end for o in places)


# "KHARTOUM, Apr 13 (SUNA) -", "LVIV, Ukraine (Reuters) -": a dateline opens a line with a town in capitals.
DATELINE = re.compile(r"(?m)(?:^|\)\s*)([A-Z][A-Z'\-]{2,}(?: [A-Z][A-Z'\-]{2,}){0,2}),\s+(?=[A-Z(]|\d)")


def find_dateline(text: str, knowledge: Knowledge, context, window: int = 1500) -> Place | None:
    """The town of the dateline near the top of a text, if the gazetteer knows it as a town."""
    m = DATELINE.search(text[:window])
    if m is None:
        return None
    place = knowledge.place(m.group(1).title(), context)
    return place if place is not None and place.precision in ("place", "district") else None


# Lower-case parts of place names ("Jisr al-Shughur", "Deir ez-Zor", "Bani Walid"): inside a name only.
NAME_PARTICLES = {"al", "el", "ad", "ash", "as", "an", "ar", "az", "at", "ez", "es", "ul", "e", "de", "du", "di",
                  "la", "le", "bin", "ibn", "bani", "beni", "sur", "am"}


def _name_particle(doc, j: int, sent: Span) -> bool:
    """A particle that joins two parts of one name: "al" in "Jisr al-Shughur" (needs a name on both sides)."""
    tok = doc[j]
    if tok.lower_ not in NAME_PARTICLES or j == sent.start or not _proper(doc[j - 1]) and doc[j - 1].text != "-":
        return False
    k = j + 1
    if k < sent.end and doc[k].text == "-":
        k += 1
    return k < sent.end and _proper(doc[k])


def _listed_before_regions(tok: Token) -> bool:
    """"the Kherson, Khmelnytskyi, and Mykolaiv regions": a name in a list that ends in a region noun."""
    doc = tok.doc
    for k in range(tok.i + 1, min(tok.i + 12, tok.sent.end)):
        word = doc[k]
        if word.lower_ in ADMIN_PLURALS:
            return True
        if not (word.text in (",", "-") or word.lower_ == "and" or word.is_title):
            return False
    return False


def _proper(tok: Token) -> bool:
    nxt = tok.doc[tok.i + 1].lower_ if tok.i + 1 < len(tok.doc) else ""
    prev = tok.doc[tok.i - 1].lower_ if tok.i > 0 else ""
    # a nationality word is no place, but the tagger also calls towns NORP: "in Omdurman" is one
    norp_ok = tok.ent_type_ != "NORP" or nxt in ("province", "district", "region", "oblast", "governorate") \
        or (tok.pos_ == "PROPN" and prev in ("in", "near", "of", "at")) or _listed_before_regions(tok) \
        or (tok.tag_ == "NNP" and tok.dep_ == "dobj")   # "captured Kidal": one name as an act's object
    return tok.is_title and tok.is_alpha and tok.pos_ in ("PROPN", "NOUN", "ADJ", "VERB") and norp_ok \
        and not (tok.i == tok.sent.start and tok.pos_ != "PROPN")


AGENT_HEADS = {"ministry", "army", "forces", "government", "president", "minister", "prosecutor", "office",
               "council", "authorities", "military", "command", "embassy", "parliament", "agency", "service",
               "officials", "official", "spokesman", "spokeswoman", "spokesperson", "governor", "mayor", "police",
               "media", "envoy", "ambassador", "delegation", "troops"}


def _names_an_agent(head: Token) -> bool:
    """"the Ministry of Defense in Azerbaijan": a place inside an institution's name is no location."""
    node = head
    for _ in range(4):
        if node.head.i == node.i or node.pos_ == "VERB" or node.lower_ in WHERE_WORDS:
            return False   # "the regime forces west of Hama city center": where they were, not whose they are
        node = node.head
        if node.lower_ in AGENT_HEADS:
            return True
    return False


WHERE_WORDS = {"west", "east", "north", "south", "northwest", "northeast", "southwest", "southeast", "outskirts",
               "center", "centre", "near", "outside", "inside", "around"}


def _listed_with(span: Span, places: list[PlaceMention]) -> bool:
    root = span.root
    near = [p for p in places if abs(p.start - span.end) <= 4 or abs(span.start - p.end) <= 4]
    linked = root.dep_ in ("conj", "appos") or any(c.dep_ in ("conj", "appos") for c in root.children)
    return bool(near) and linked


def _place_mention(span: Span, knowledge: Knowledge, context, listed: bool = False) -> PlaceMention | None:
    doc = span.doc
    before = doc[span.start - 1] if span.start > 0 else None
    # "the capital, Sanaa", "the ... Secondary School, Kuriga in Chikun": the town named after a place or site
    named_after = before is not None and before.text == "," and span.start > 1 and (
        doc[span.start - 2].lower_ in PLACE_NOUNS or doc[span.start - 2].lower_ in _place_words()["site_nouns"])
    located = before is not None and before.lower_ in ("in", "near", "at", "on", "of", "outside", "over") \
        or named_after
    if any(t.ent_type_ in ("PERSON",) for t in span) and len(span) > 1 and span[-1].lower_ not in PLACE_NOUNS \
            and not located:
        return None
    if listed:
        place = knowledge.place(span.text, context)
        if place is None and _in_named_list(span):
            return PlaceMention(span.text, span.start, span.end, None)   # "the villages of Erze, Kafrtun and ..."
        return PlaceMention(span.text, span.start, span.end, place) if place is not None else None
    after = [t.lower_ for t in doc[span.end:min(span.end + 2, span.sent.end)]]
    # (the tagger takes "the Nuseirat camp" for an organisation: a name before a place noun is a place)
    if any(t.ent_type_ == "ORG" for t in span) and not any(t.ent_type_ in ("GPE", "LOC") for t in span) \
            and not located and span[-1].lower_ not in ("region", "province", "district", "oblast", "governorate") \
            and not (after and after[0] in SETTLEMENT_AFTER) and not _object_of_act(span):
        return None   # ("struck Belgorod", tagged an organisation, is the act's place)
    cue = (before is not None and (before.lower_ in LOCATIVE or before.lower_ in PLACE_NOUNS)) or named_after or \
        bool(set(after) & SETTLEMENT_AFTER) or \
        any(t.ent_type_ in ("GPE", "LOC", "FAC") for t in span) or span[-1].lower_ in PLACE_NOUNS or \
        span[-1].lower_ in _place_words()["site_nouns"] or \
        span.root.dep_ == "nsubjpass" or _listed_with_place(span) or _object_of_act(span) or \
        (before is not None and before.dep_ == "case" and before.head.ent_type_ == "GPE")   # "Ukraine's Sumy"
    if not cue:
        return None
    place = knowledge.place(span.text, context) or _town_of_site(span, knowledge, context)
    if place is None:
        # "the village of Tap Karaghoyonlu": a place the gazetteer does not know keeps its name as written
        two_before = doc[span.start - 2].lower_ if span.start > 1 else ""
        if before is not None and before.lower_ == "of" and two_before in PLACE_NOUNS:
            return PlaceMention(span.text, span.start, span.end, None)
        if before is not None and before.lower_ in ("near", "in") and span.root.ent_type_ in ("GPE", "LOC"):
            return PlaceMention(span.text, span.start, span.end, None)
        return None
    head = span.root
    if head.dep_ == "conj":   # "between Armenia and Azerbaijan": the second conjunct acts as the first does
        head = head.head
    if _names_an_agent(head):
        return PlaceMention(span.text, span.start, span.end, place, subject=True)
    acting = head.dep_ in ("nsubj", "nsubjpass", "poss", "agent") or (
        head.dep_ == "pobj" and head.head.lower_ in ("by", "from", "with", "against", "between")
        and not _target_of_act(head))
    if place.precision in ("place", "district") and (head.dep_ == "poss" and head.head.lower_ not in PLACE_NOUNS
                                                      or _speaks(head) or _government_of(head, place, knowledge)):
        return PlaceMention(span.text, span.start, span.end, place, subject=True)   # "Moscow's war", "Kyiv said"
    part_of = before is not None and before.lower_ == "of" and span.start > 1 and \
        doc[span.start - 2].lower_ in ("areas", "parts", "part", "regions", "provinces", "north", "south", "east",
                                       "west", "northwest", "northeast", "southwest", "southeast", "centre", "center")
    if place.precision == "country" and not part_of and (before is None or before.lower_ not in (
            "in", "inside", "across", "over", "into", "throughout", "near")):
        acting = True   # a country is where something happened only when the text says "in" ("areas of Yemen")
    if place.precision in ("country",) and acting:
        return PlaceMention(span.text, span.start, span.end, place, subject=True)
    if head.dep_ in ("nsubj", "poss") and place.precision == "country":
        return PlaceMention(span.text, span.start, span.end, place, subject=True)
    return PlaceMention(span.text, span.start, span.end, place)


def _town_of_site(span: Span, knowledge: Knowledge, context) -> Place | None:
    """"a Quetta Bus Station", "the Kidal Central Market": a site the gazetteer does not know, named with the
    town it stands in (the longest leading part that is a town of a country the text is about)."""
    if len(span) < 2 or span[-1].lower_ not in _place_words()["site_nouns"]:
        return None
    named = getattr(context, "countries", None) or {}
    main = getattr(context, "main_countries", None)
    countries = set(named) | (main() if main else set())
    for k in range(len(span) - 1, 0, -1):
        town = knowledge.place(span[:k].text, context)
        if town is not None and town.precision in ("place", "district") and town.country in countries:
            return town
    return None


SPEECH_HEADS = {"said", "says", "say", "announced", "claimed", "denied", "accused", "blamed", "comment", "comments",
                "responded", "warned", "reported", "insisted", "stated", "added", "told", "confirmed"}


ACTING_VERBS = {"launch", "launched", "launches", "fire", "fired", "fires", "carried", "carries", "conducted",
                "attacked", "struck", "shelled", "bombed", "targeted", "sent", "deployed", "ordered", "hit"}


# "urging Moscow to end the war", "called on Kyiv to": a capital asked to do something is its government
ADDRESSED_VERBS = {"urge", "urged", "urges", "urging", "ask", "asked", "asking", "press", "pressed", "pressing",
                   "warn", "warned", "warning", "tell", "told", "telling", "accuse", "accused", "accusing",
                   "blame", "blamed", "blaming", "condemn", "condemned", "condemning"}


def _speaks(head: Token) -> bool:
    """"Kyiv said", "Moscow launched the strike", "no comment from Moscow", "urging Moscow to end the war":
    a capital named for its government."""
    if head.dep_ == "nsubj" and (head.head.lower_ in SPEECH_HEADS or head.head.lower_ in ACTING_VERBS):
        return True
    if head.dep_ == "dobj" and head.head.lower_ in ADDRESSED_VERBS:
        return True
    if head.dep_ == "pobj" and head.head.lower_ == "on" and head.head.head.lower_ in word_forms("call"):
        return True
    return head.dep_ == "pobj" and head.head.lower_ in ("from", "by") and head.head.head.lower_ in SPEECH_HEADS


@functools.lru_cache(maxsize=1)
def _place_words() -> dict[str, frozenset[str]]:
    """The word lists of `data/places.yaml`, read once."""
    data = yaml.safe_load((DATA / "places.yaml").read_text(encoding="utf-8"))
    return {name: frozenset(words) for name, words in data.items()}


def _government_of(head: Token, place: Place, knowledge: Knowledge) -> bool:
    """"the godlessness of Moscow", "anger at Moscow": a capital after an abstract noun is its government;
    after a part of a city, its people or an act it is a place ("the centre of Kyiv", "the shelling of Kyiv")."""
    if head.dep_ != "pobj" or head.head.lower_ not in ("of", "at"):
        return False
    noun = head.head.head
    if noun.pos_ != "NOUN" or noun.lower_ in _place_words()["of_place_nouns"] or noun.lower_ in PLACE_NOUNS or \
            matches_in(head.doc, "triggers", noun.i, noun.i + 1) or matches_in(head.doc, "weapons", noun.i, noun.i + 1):
        return False
    capital = knowledge.capital_of(place.country) if place.country else None
    return capital is not None and capital.geonameid == place.geonameid


ADMIN_PLURALS = {"regions": "region", "provinces": "province", "oblasts": "oblast", "districts": "district",
                 "governorates": "governorate", "states": "state"}


def _as_listed_regions(found: list[PlaceMention], rejected: list[Span], sent: Span, knowledge: Knowledge,
                       context) -> list[PlaceMention]:
    """"over the Moscow, Bryansk, Oryol and Kursk regions": each name listed before a plural region noun is
    that region, not the town of the same name."""
    doc = sent.doc
    ends = [t.i for t in sent if t.lower_ in ADMIN_PLURALS and t.i > sent.start]
    if not ends:
        return found
    out = list(found)
    for end in ends:
        singular = ADMIN_PLURALS[doc[end].lower_]
        start = end
        while start > sent.start and (doc[start - 1].lower_ in (",", "and", "-") or doc[start - 1].is_title):
            start -= 1
        names = [m for m in out if start <= m.start < end] + [PlaceMention(s.text, s.start, s.end, None)
                                                             for s in rejected if start <= s.start < end]
        for mention in names:
            region = knowledge.place(f"{mention.text} {singular}", context)
            if region is not None and region.precision in ("region", "district"):
                out = [m for m in out if m is not mention]
                out.append(PlaceMention(f"{mention.text} {singular}", mention.start, mention.end, region))
    return sorted(out, key=lambda p: p.start)


def _target_of_act(head: Token) -> bool:
    """"drone strikes against Ukraine": the country an act is aimed at is where it happened."""
    prep = head.head
    return prep.lower_ == "against" and prep.head.i in covered(head.doc, "triggers")


def _in_named_list(span: Span) -> bool:
    """A name listed after "the villages of" ("the villages of Erze, al-Wahshiyya and Kafrtun")."""
    node = span.root
    for _ in range(6):
        if node.dep_ not in ("conj", "appos", "pobj") or node.head.i == node.i:
            return False
        node = node.head
        if node.lower_ == "of" and node.head.lower_ in PLACE_NOUNS:
            return True
    return False


def _object_of_act(span: Span) -> bool:
    """"captured Bukavu", "shelled Aygepar", "captured much of central Aleppo": the object of an act's verb
    (or the place a part of it names) is where it happened."""
    root = span.root
    if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.dep_ == "dobj":
        root = root.head.head   # "much of", "parts of", "most of"
    if root.dep_ != "dobj":
        return False
    return root.head.i in covered(span.doc, "triggers")


def _listed_with_place(span: Span) -> bool:
    """"Ganja, Mingachevir, Khizi as well as Absheron district": a name in a list of places."""
    root = span.root
    return root.dep_ in ("conj", "appos") and root.head.ent_type_ in ("GPE", "LOC") or \
        any(c.dep_ == "conj" and c.ent_type_ in ("GPE", "LOC") for c in root.children)


def find_fronts(sent: Span) -> list[tuple[int, int]]:
    """Vague fronts ("on several axes", "the front line", "advance north"): a region, not a town."""
    out = []
    for tok in sent:
        if tok.lower_ in FRONT_WORDS:
            if tok.lower_ in ("north", "south") and tok.head.lower_ not in word_forms("advance") + ["in", "the"] \
                    and tok.dep_ not in ("pobj", "advmod"):
                continue
            if tok.lower_ in ("southern", "northern", "eastern", "western") and tok.head.lower_ not in (
                    "axis", "axes", "front", "direction", "fronts"):
                continue
            if tok.lower_ == "direction" and not any(c.lower_ == "of" for c in tok.children):
                continue
            left = min(c.i for c in tok.subtree)
            out.append((left, tok.i + 1))
    return out






def text_of(span: Span) -> str:
    """A span's text, sliced from the document's text built once (Span.text and Doc.text rebuild it token
    by token on every call)."""
    text = span.doc.user_data.get("wl_text")
    if text is None:
        text = span.doc.user_data["wl_text"] = span.doc.text
    return text[span.start_char:span.end_char]


def civilian_target(sent: Span, words: set[str]) -> bool:
    """Whether the sentence names civilians or a civilian place as what an act hit (`civilian_targets`)."""
    return any(t.lower_ in words for t in sent)


def first_side(tokens, knowledge: Knowledge, skip: set[str] = frozenset()) -> tuple[str | None, str | None]:
    """The first side-bearing word or name among `tokens` (adjective, country, army): (side, text).
    A short phrase is tried whole first, so multiword names ("Rapid Support Forces") are found."""
    tokens = list(tokens)
    if 1 < len(tokens) <= 6 and any(t.pos_ == "PROPN" for t in tokens):
        text = tokens[0].doc[tokens[0].i:tokens[-1].i + 1].text
        side = knowledge.side_of(text)
        if side and side not in skip:
            return side, text
    for t in tokens:
        if t.is_title or t.ent_type_ in ("NORP", "GPE", "ORG"):
            side = knowledge.side_of(t.text)
            if side and side not in skip:
                return side, t.text
    return None, None
