"""Extraction: a cleaned Document and its spaCy Doc in, contract Reports out.

Steps for one document:
1. fix the reference date (publication, or one inferred from the text) and the conflict it is about;
2. name the outlet (metadata, or the outlet whose correspondent or photo credit the text cites);
3. read each sentence for acts, figures, materiel, tallies and statements (`build.py`);
4. write reports with evidence offsets into the cleaned text, with confidence;
5. merge repeats: one report per claimant per thing per document (`consolidate.py`).
Places and sides are asked of a `Knowledge` object (the resolver, passed in by the pipeline).
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.tokens import Doc

from warledger.conflicts import Conflict, detect_conflict
from warledger.countries import country_name, country_record
from warledger.extract.attribution import AttributionFinder
from warledger.extract.build import document_means, sentence_drafts
from warledger.extract.consolidate import consolidate
from warledger.extract.dates import infer_published
from warledger.extract.draft import DocState, Draft, text_of
from warledger.extract.findings import Knowledge, PlaceMention, find_dateline
from warledger.extract.lexicon import load_lexicon
from warledger.extract.nlp import forms_of, load_nlp
from warledger.extract.outlets import Voice, document_voice
from warledger.extract.people import Role, person_roles
from warledger.models import SUB_EVENT_TYPES, Actor, Document, Evidence, Materiel, Place, Report

__all__ = ["EXTRACTOR_VERSION", "Extracted", "extract_documents", "extract_reports", "load_nlp", "Knowledge"]

EXTRACTOR_VERSION = "0.3"
UNKNOWN_OUTLET = "unknown outlet"


@dataclass
class Extracted:
    document: Document
    reports: list[Report]


def extract_documents(documents: Iterable[Document], knowledge: Knowledge, batch_size: int = 16,
                      nlp=None, n_process: int = 1) -> Iterator[Extracted]:
    """Run spaCy over documents (a stream is fine) in batches, in `n_process` processes, and yield each
    document's reports as soon as it is done."""
    nlp = nlp or load_nlp()
    pairs = ((d.text, d) for d in documents)
    for sdoc, document in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size, n_process=n_process):
        yield Extracted(document, extract_reports(document, sdoc, knowledge))


def extract_reports(document: Document, sdoc: Doc, knowledge: Knowledge) -> list[Report]:
    lex = load_lexicon()
    text = document.text
    ref = document.published or infer_published(text)
    conflict = detect_conflict(text, lex.conflicts, ref)
    voice = document_voice(document.outlet, text) or Voice(infer_outlet(text) or UNKNOWN_OUTLET)
    outlet = voice.name
    state = DocState(lex=lex, knowledge=knowledge, context=knowledge.context(text), ref=ref, conflict=conflict,
                     finder=AttributionFinder(lex, outlet), slip_places=lex.slip_pattern("place", conflict),
                     agreement_forms=forms_of(tuple(sorted(lex.agreement_verbs))),
                     irrealis_forms=forms_of(tuple(sorted(lex.irrealis))),
                     irrealis_past_forms=forms_of(tuple(sorted(lex.irrealis_unless_past))))
    state.doc_means, state.doc_means_told = document_means(sdoc, lex)
    roles = person_roles(sdoc, knowledge, lex.person_titles)
    dateline = find_dateline(text, knowledge, state.context)
    if dateline is not None:   # the place the text is about until a sentence names another
        state.place_context = PlaceMention(dateline.name, 0, 0, dateline)
        state.place_context_lasting = True
    paragraphs = _paragraph_index(sdoc)
    first_para_is_headline = _headline_paragraphs(sdoc, paragraphs, document.title)
    title_lines = _title_lines(sdoc)
    reports, headline_ids, lead_ids = [], set(), set()
    for sent in sdoc.sents:
        para = paragraphs[sent.start]
        headline = para in first_para_is_headline or sent.start in title_lines
        for draft in sentence_drafts(sent, state, headline):
            report = _to_report(draft, document, voice, knowledge, conflict, roles)
            if report is None:
                continue
            reports.append(report)
            if headline:
                headline_ids.add(id(report))
            elif para <= max(first_para_is_headline, default=-1) + 2 and (
                    report.kind != "event" or draft.attribution.outlet_voice):
                lead_ids.add(id(report))   # (a newspaper the lead quotes is a claimant, not the text's voice)
    return [_one_count_per_item(r).with_id() for r in _violent_days(consolidate(reports, headline_ids, lead_ids))]


FORCE_ON_PROTESTS = {"Protest with intervention", "Excessive force against protesters"}


def _violent_days(reports: list[Report]) -> list[Report]:
    """ACLED codes a demonstration by its demonstrators: where the text tells them violent ("stormed
    parliament"), the police's firing on them at that place that day is the violent demonstration's, not
    force against peaceful protesters (a peaceful rally told apart stays peaceful)."""
    violent = {(r.location.name, r.date) for r in reports if r.kind == "event" and r.location is not None
               and r.sub_event_type == "Violent demonstration"}
    for r in reports:
        if r.kind == "event" and r.sub_event_type in FORCE_ON_PROTESTS and r.location is not None \
                and (r.location.name, r.date) in violent:
            r.sub_event_type = "Violent demonstration"
            r.event_type = SUB_EVENT_TYPES[r.sub_event_type]
    return reports


def _one_count_per_item(report: Report) -> Report:
    """An item lost with a count and again without one ("drones were downed", "114 of them") is one loss; so is
    an uncounted one told in two sentences of the report."""
    counted = {(m.type, m.outcome) for m in report.materiel if m.count is not None}
    kept, uncounted = [], set()
    for m in report.materiel:
        key = (m.type, m.outcome, m.side)
        if m.count is None and ((m.type, m.outcome) in counted or key in uncounted):
            continue   # (told again without a count, in another sentence of the report: the same loss)
        if m.count is None:
            uncounted.add(key)
        kept.append(m)
    report.materiel = kept
    return report


# -- the document's frame ----------------------------------------------------------------------
_OUTLET_CUES = [
    r"\b(?P<o>[A-Z][\w.-]*(?:[ -][A-Z][\w.-]*){0,2})(?:'s)? correspondent\b",
    r"\bexclusive interview with (?P<o>[A-Z][\w-]*(?: [A-Z][\w-]*){0,2})",
    r"\((?P<o>[A-Z][\w-]*(?:[ -][A-Z][\w-]*){0,2})\)\s*$",
]


def infer_outlet(text: str) -> str | None:
    """The outlet a text names as its own: "Al-Jazeera correspondent reported", a photo credit "(Reuters)"."""
    for cue in _OUTLET_CUES:
        m = re.search(cue, text, re.MULTILINE)
        if m:
            name = m.group("o").strip()
            if name.lower() not in ("the", "a", "our", "his", "her"):
                return re.sub(r"^The ", "", name)
    return None


def _paragraph_index(sdoc: Doc) -> dict[int, int]:
    index, para = {}, 0
    for sent in sdoc.sents:
        if sent.start > 0 and "\n\n" in (sdoc[sent.start - 1].whitespace_ + sdoc[sent.start - 1].text + "\n"
                                         if "\n" in sdoc[sent.start - 1].text else sdoc[sent.start - 1].whitespace_):
            para += 1
        elif sent.start > 0 and "\n" in sdoc[sent.start - 1].text:
            para += 1
        index[sent.start] = para
    return index


def _headline_paragraphs(sdoc: Doc, paragraphs: dict[int, int], title: str | None) -> set[int]:
    """The first paragraph is a headline when it is one short sentence; so is any repeat of it or the title."""
    sents = list(sdoc.sents)
    if not sents:
        return set()
    heads = set()
    top = 0   # lines of a date or a section name ("date 2025-04-12 WORLD", "Sat 22-June-2024") sit above it
    while top < 3 and all(_date_line(s.text) for s in sents if paragraphs[s.start] == top) and \
            any(paragraphs[s.start] == top for s in sents):
        top += 1
    first = [s for s in sents if paragraphs[s.start] == top]
    known = {_headline_key(title)} if title else set()
    # (one sentence; or a short line the parser cut in two, "16 | Yemeni martyrs, dozens wounded", with no stop)
    broken = len(first) == 2 and sum(len(x) for x in first) <= 30 and first[-1].text.rstrip()[-1:] not in ".!?"
    lead = len(first) == 1 and _lead_sentence(first[0])
    if (len(first) == 1 and len(first[0]) <= 45 and not lead or broken) and len(set(paragraphs.values())) > 2 + top:
        heads.add(top)
        known.add(_headline_key(" ".join(x.text for x in first)))
    # a repeat near the top, as pages print it again ("Ukraines Sumy" for "Ukraine's Sumy"), or anywhere
    for i, s in enumerate(sents):
        key = _headline_key(s.text)
        if key and (key in known or i < 6 and len(key) >= 20 and any(
                k and (key.endswith(k) or k.endswith(key)) for k in known)):
            heads.add(paragraphs[s.start])
    return heads


def _title_lines(sdoc: Doc, within: int = 6, longest: int = 15) -> set[int]:
    """Starts of short lines near the top that stand alone, with no full stop, between line breaks, though no
    blank line sets them apart ("...page you were looking for doesn't exist.\nRSF attack kills over 32 civilians
    in El Fasher, Sudan\n(MENAFN) Over 32 civilians ..."): a title the page printed inside its first paragraph."""
    out = set()
    text = sdoc.text
    for sent in list(sdoc.sents)[:within]:
        before = text[:sent.start_char].rstrip(" \t")
        after = text[sent.end_char:sent.end_char + 2]
        words = [t for t in sent if not (t.is_punct or t.is_space)]
        if (not before or before.endswith("\n")) and "\n" in after[:1] + text[sent.end_char - 1:sent.end_char] \
                and 3 <= len(words) <= longest and sent.text.rstrip()[-1:] not in ".!?:\"”" and \
                sent.root.tag_ in ("VBZ", "VBP"):
            out.add(sent.start)
    return out


LEAD_WORDS = 20   # words (not counting figures) beyond which a first sentence with a full stop is a lead

DATE_WORDS = re.compile(r"\b(date|mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|"
                        r"sunday|jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|"
                        r"june|july|august|september|october|november|december|updated|published)\b|\d+", re.I)


def _lead_sentence(sent) -> bool:
    """A long first sentence, closed by a full stop, told in the past ("Russia said Tuesday it had ...",
    "Rebels have captured Hama"): the lead, not a headline, which is short or in the present ("RSF attack
    kills 32", "Azerbaijan vows revenge ...")."""
    words = sum(1 for t in sent if not (t.like_num or t.is_punct or t.lower_ == "date"))
    if words <= LEAD_WORDS or sent.text.rstrip()[-1:] != ".":
        return False
    root = sent.root
    return root.tag_ == "VBD" or root.tag_ == "VBN" and any(
        c.dep_ in ("aux", "auxpass") and c.lower_ in PAST_AUX for c in root.children)


PAST_AUX = {"have", "has", "had", "was", "were", "been"}


def _date_line(text: str) -> bool:
    """A line that holds only a date and at most one other word (a section name)."""
    rest = re.findall(r"[^\W\d_]+", DATE_WORDS.sub(" ", text))
    return len(rest) <= 1 and len(text) < 60


def _headline_key(text: str) -> str:
    """A headline as letters and digits only: repeats that lost an apostrophe or a dash still match."""
    return re.sub(r"[\W_]+", "", text.lower())


# -- drafts to reports -------------------------------------------------------------------------
def _to_report(d: Draft, document: Document, voice: Voice, knowledge: Knowledge,
               conflict: Conflict | None, roles: dict[str, Role]) -> Report | None:
    outlet = voice.name
    claimant = _with_role(knowledge.claimant(d.attribution.mention, outlet=outlet), d.attribution.mention, roles)
    if d.attribution.outlet_voice:
        claimant = knowledge.claimant(outlet, outlet=outlet)
        if claimant.kind != "outlet":
            claimant = claimant.model_copy(update={"kind": "outlet"})
        if claimant.side in (None, "XX") and voice.country and conflict is not None:
            home = knowledge.side_of(voice.country)   # "A News (Turkey)" in a war Turkey is party to
            if home and conflict.camp_of(home) is not None:
                claimant = claimant.model_copy(update={"side": home})
    claimant = _local_official(claimant, d)
    sent = d.sent
    text = text_of(sent).rstrip()
    evidence = [Evidence(start=sent.start_char, end=sent.start_char + len(text), text=text)]
    location, location_text = None, None
    if d.place is not None:
        location, location_text = d.place.place, d.place.text
        if location is None:   # unknown to the gazetteer: kept by name, in the war's country, with no point
            region = knowledge.place(conflict.front, None) if conflict is not None else None
            location = Place(name=d.place.text, precision="place", country=region.country if region else None)
    elif d.kind in ("event", "tally") and conflict is not None and not (d.act == "shootdown" and d.kind == "event"):
        # (a shoot-down with no place is left for the resolver: over the interceptor's own territory)
        location = knowledge.place(_default_region(d, conflict, knowledge), None)
        if d.front_text:
            start, end = d.front_text
            location_text = sent.doc[start:end].text
    killed, wounded = _toll(d, "killed"), _toll(d, "wounded")
    report = Report(
        doc_id=document.doc_id, kind=d.kind, statement_type=d.stype,
        sub_event_type=d.sub if d.kind != "statement" else None,
        event_type=SUB_EVENT_TYPES.get(d.sub) if d.sub and d.kind != "statement" else None,
        date=d.date, date_start=d.date_start if d.kind == "tally" else None, date_precision=d.precision,
        location=location, location_text=location_text,
        actor1=_actor(d.actor1), actor2=_actor(d.actor2),
        killed=killed[0], killed_qualifier=killed[1], wounded=wounded[0], wounded_qualifier=wounded[1],
        materiel=[Materiel(**m.item.model_dump()) for m in d.materiel],
        claimant=claimant, stance="denied" if d.attribution.denied else "asserted",
        evidence=evidence, confidence=_confidence(d, location))
    if d.kind == "statement" and (report.actor1 is None or not report.actor1.side) and \
            not d.attribution.outlet_voice and claimant.kind != "outlet":
        report.actor1 = Actor(name=claimant.name, side=claimant.side, mention=claimant.mention)   # who said it
    if d.kind == "tally" and report.actor1 is None and conflict and report.actor2 and report.actor2.side:
        report.actor1 = Actor(name="", side=conflict.opponent(report.actor2.side))
    return report


def _with_role(claimant, mention: str | None, roles: dict[str, Role]):
    """A quoted person the resolver does not know takes the kind and side of the title the text gave them."""
    if claimant.kind not in ("other",) or not mention:
        return claimant
    words = mention.strip().split()
    role = roles.get(mention.strip().lower()) or (roles.get(words[-1].lower()) if words else None)
    if role is None:
        return claimant
    update = {"kind": role.kind}
    if claimant.side in (None, "XX") and role.side:
        update["side"] = role.side
    return claimant.model_copy(update=update)


LOCAL_OFFICES = re.compile(r"\b(governor|mayor|regional|local|municipal|city council|emergency service|"
                           r"rescuers|police|prosecutor's office|health ministry|hospital|"
                           r"official (?:data|figures|statistics))\b", re.I)   # (the state where it happened)


def _local_official(claimant, d: Draft):
    """"the regional governor" of a town is on the side of the country the town is in."""
    country = d.place.country if d.place is not None else None
    if claimant.side not in (None, "XX") or claimant.kind == "outlet" or not country:
        return claimant
    if LOCAL_OFFICES.search(d.attribution.mention or ""):
        return claimant.model_copy(update={"side": country})
    return claimant


def _toll(d: Draft, what: str) -> tuple[int | None, str | None]:
    """An act's figure for `what` (the last told), as (value, qualifier). Figures that share one casualty word
    ("one civilian and one rebel fighter were killed") add up to one act's toll; a tally keeps each victim
    group's count (it is split by side elsewhere)."""
    figures = [f for f in d.figures if f.what == what]
    if not figures:
        return None, None
    last = figures[-1]
    if last.amount.value is None:
        return None, None
    shared = [f for f in figures if f.word == last.word and f.amount.value is not None]
    if d.kind != "event" or len(shared) < 2:
        return last.amount.value, last.amount.qualifier
    qualifiers = {f.amount.qualifier for f in shared}
    qualifier = "at_least" if "at_least" in qualifiers else "approx" if "approx" in qualifiers else "exact"
    return sum(f.amount.value for f in shared), qualifier


def _default_region(d: Draft, conflict: Conflict, knowledge: Knowledge) -> str:
    """Where an act with no named place happened: the war's front; a civilian toll: the victims' country."""
    if d.kind == "tally" and d.civilians and d.actor2[1]:
        victims = d.actor2[1]
        if conflict.camp_of(victims) is not None and victims == conflict.camps[0][0]:
            return country_name(victims) if country_record(victims) else conflict.front
    return conflict.front


def _actor(pair) -> Actor | None:
    name, side = pair
    if name is None and side is None:
        return None
    return Actor(name=name or "", side=side, mention=name)


def _confidence(d: Draft, location: Place | None) -> float:
    """The extractor's own estimate; calibrated on the dev gold so that reports at 0.8 or more are right at
    least nine times in ten (see README, "Quality")."""
    score = d.confidence
    if not d.attribution.outlet_voice:
        score += 0.1
    if d.place is not None and d.place.precision in ("place", "district"):
        score += 0.1
    if d.kind == "event" and location is not None and location.precision in ("country", "region"):
        score -= 0.1   # an act placed only in a country or region is the shakiest kind of event
    if d.carried or d.restated or d.context_place:
        score -= 0.05
    if d.figures or d.materiel:
        score += 0.05
    if d.headline:
        score -= 0.2
    if d.kind == "event" and d.place is None and not d.front_text:
        score -= 0.15
    return round(max(0.05, min(0.95, score)), 2)


def published_for(document: Document) -> tuple[dt.date | None, bool]:
    """The document's publication date, and whether it had to be inferred from the text."""
    if document.published:
        return document.published, False
    inferred = infer_published(document.text)
    return inferred, inferred is not None
