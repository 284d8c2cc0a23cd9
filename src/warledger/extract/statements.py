"""Statements: accusations, condemnations, threats, appeals, meetings, with speaker and target."""
from __future__ import annotations

import re

from spacy.tokens import Span

from warledger.countries import country_name
from warledger.extract.attribution import Attribution, unsaid
from warledger.extract.draft import DocState, Draft, text_of
from warledger.extract.findings import Knowledge, SentenceFindings, first_side
from warledger.extract.nlp import matches_in


def _parties(sent: Span, knowledge: Knowledge) -> list[tuple[str, str]]:
    """Sides named in a sentence: those "between" whom it was, in order; else people and organisations first
    ("Putin briefed his French counterpart Macron")."""
    chunks = list(sent.noun_chunks)
    between = next((t for t in sent if t.lower_ == "between"), None)
    if between is not None:
        after = [c for c in chunks if c.start > between.i]
        named = [(knowledge.side_of(c.text), c.text) for c in after]
        named = [n for n in named if n[0]]
        if len({s for s, _ in named}) >= 2:
            return named
    ranked = [c for c in chunks if any(t.ent_type_ in ("PERSON", "ORG") for t in c)] + \
        [c for c in chunks if not any(t.ent_type_ in ("PERSON", "ORG") for t in c)]
    out = []
    for chunk in ranked:
        side = knowledge.side_of(chunk.text)
        if side and side not in [s for s, _ in out]:
            out.append((side, chunk.text))
    return out

def statement_drafts(sent: Span, state: DocState, dates, found: SentenceFindings, headline: bool,
                     used_attr: list) -> list[Draft]:
    if headline:
        return []
    doc = sent.doc
    out: dict[tuple, Draft] = {}
    matches = list(matches_in(doc, "statements", sent.start, sent.end))
    words = {t.lower_ for t in sent}
    matches = [m for m in matches if set(m[2].get("requires", ())) <= words]
    strong = [m for m in matches if not m[2].get("weak")]
    for start, end, rule in (strong or matches):
        stype = rule["type"]
        token = doc[start]
        if token.pos_ == "VERB" and token.dep_ in ("acl", "relcl") and token.head.lower_ in ("those", "who", "all"):
            continue   # "those calling for a truce": somebody else's call, told by the speaker
        if token.pos_ == "NOUN" and token.dep_ == "pobj" and token.head.lower_ in ("despite", "amid", "ignoring"):
            continue   # "despite international calls for calm": others' words named in passing
        if stype == "meet" and _interview_or_target(doc[start:end], doc[end:min(end + 4, sent.end)], state):
            continue
        if rule.get("irrealis_only") and token.tag_ in ("VBD", "VBN"):
            continue   # "claimed to have retaliated" is an act (coded as an event), not a threat
        attribution = state.finder.for_token(token, sent, include_self=True)
        if attribution.outlet_voice and stype in state.lex.need_speaker:
            # the verb itself may carry the speaker: "Turkey accused Armenia", "Erdogan renewed his call"
            verb = doc[start] if doc[start].pos_ == "VERB" else doc[start].head
            for _ in range(2):   # "contacted Azerbaijan with a proposal to stop hostilities": the verb it goes with
                if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
                    break
                verb = verb.head
            subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            if subj is None and verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.ent_type_ in ("PERSON", "ORG"):
                subj = verb.head   # "President Donald Trump urging Moscow to end the war"
            if stype == "accuse" and _each_other(sent) and state.conflict is not None:
                for side in _both_sides(state):
                    _mutual(out, side, sent, start, dates, state, used_attr)
                continue
            if subj is None or not state.finder._agentive(subj):
                continue
            attribution = state.finder._mention(subj, verb)
        if attribution.verb is not None and unsaid(doc[attribution.verb]):
            continue   # "Moscow ... did not say who it saw as responsible": no accusation made
        if stype == "meet" and not attribution.outlet_voice and state.finder.speaker(sent) is None:
            attribution = state.finder.sentence_default(sent)
        used_attr.append(attribution)
        members = _named_members(attribution, sent, state.knowledge)
        for member in members or [attribution]:
            _one_statement(out, member, stype, start, end, sent, state, dates, found, headline,
                           skip={state.knowledge.side_of(m.mention) for m in members})
    return list(out.values())


def _interview_or_target(match: Span, after: Span, state: DocState) -> bool:
    """"Speaking to Geo News, he said", "told reporters": an interview, not a meeting; "hit the site of a
    meeting of commanders": what an act hit, not a meeting held; "asserting their control via a phone call":
    the way words reached the press; "after visiting the site": a visit to a place, not to a party."""
    if any(t.lower_ in state.lex.press_words for t in after):
        return True
    root = match.root
    if root.pos_ == "NOUN" and root.dep_ == "pobj" and root.head.lower_ in ("of", "via", "by", "over"):
        return True
    if root.pos_ == "VERB" and root.lower_.startswith("visit"):
        objects = [c for c in root.children if c.dep_ == "dobj"]
        return not any(t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") for o in objects for t in o.subtree)
    return False


def _named_members(attribution: Attribution, sent: Span, knowledge: Knowledge) -> list[Attribution]:
    """"council members, including the United States, France, and Britain, condemned": the named parties a
    speaking group is made of, one claimant each (ACLED codes each named actor); [] when it names fewer than
    two sides."""
    if attribution.outlet_voice or attribution.start < 0:
        return []
    span = sent.doc.char_span(attribution.start, attribution.end, alignment_mode="expand")
    if span is None:
        return []
    heads = [c for t in span for c in t.children if c.dep_ == "prep" and c.lower_ in ("including", "like")]
    named = [g for h in heads for g in h.children if g.dep_ == "pobj"]
    named += [c for g in named for c in g.conjuncts]
    members = []
    for head in sorted({t.i: t for t in named}.values(), key=lambda t: t.i):
        words = [t for t in head.subtree if t.dep_ not in ("conj", "cc", "punct") and
                 not any(a.dep_ == "conj" and a.i != head.i and t in a.subtree for a in head.children)]
        text = sent.doc[words[0].i:words[-1].i + 1].text if words else head.text
        if knowledge.side_of(text):
            start = sent.doc[words[0].i].idx if words else head.idx
            members.append(Attribution(text, start, start + len(text), attribution.verb))
    return members if len({knowledge.side_of(m.mention) for m in members}) >= 2 else []


def _one_statement(out: dict, attribution: Attribution, stype: str, start: int, end: int, sent: Span,
                   state: DocState, dates, found: SentenceFindings, headline: bool, skip: set) -> None:
    """The statement of one claimant, with its target (never one of `skip`, the sides that spoke), into `out`
    (one per claimant, type and target)."""
    doc = sent.doc
    speaker_side = state.knowledge.side_of(attribution.mention) if not attribution.outlet_voice else None
    skip = (skip | {speaker_side}) - {None}
    target = first_side(doc[end:sent.end], state.knowledge, skip=skip)
    if target[0] is None:
        target = first_side(doc[sent.start:start], state.knowledge, skip=skip)
    if stype in ("accuse", "threaten") and target[0] is None and state.conflict and speaker_side:
        target = (state.conflict.opponent(speaker_side), None)
    if stype == "condemn" and target[0] is None and state.last_attacker not in (None, speaker_side):
        target = (state.last_attacker, None)   # "condemnation for the attacks": of those who made them
    if stype == "accuse" and re.search(r"international community|those who (kept|remain) silent|some quarters",
                                       text_of(sent), re.I):
        target = ("XX", "International community")
    key = (attribution.mention.lower(), stype, target[0])
    if key in out:
        return
    offset = doc[start].idx - sent.start_char
    date = min(dates, key=lambda d: abs(d.start - offset)).date if dates else state.ref
    place = next((p for p in found.places if not p.subject and p.precision == "place"), None)
    draft = Draft(kind="statement", sent=sent, attribution=attribution, stype=stype, token=start, date=date,
                  place=place, headline=headline, confidence=0.5)
    a1 = speaker_side
    if attribution.outlet_voice:
        parties = _parties(sent, state.knowledge)
        a1 = parties[0][0] if parties else None
        target = next(((side, text) for side, text in parties if side != a1), (None, None))
    draft.actor1 = (None, a1)
    draft.actor2 = (target[1], target[0])
    out[key] = draft


def _each_other(sent: Span) -> bool:
    """"Both sides blamed each other": an accusation made by each party against the other."""
    text = text_of(sent).lower()
    return "each other" in text and re.search(r"\b(both|the two) (sides|countries|parties)\b", text) is not None


def _both_sides(state: DocState) -> list[str]:
    camps = state.conflict.camps[:2]
    return [camp[0] for camp in camps if camp] if len(camps) == 2 else []


def _mutual(out: dict, side: str, sent: Span, start: int, dates, state: DocState, used_attr: list) -> None:
    """One accusation by `side` (its government speaks) against the war's other side."""
    name = country_name(side) or side
    attribution = Attribution(name, -1, -1, None)
    used_attr.append(attribution)
    other = state.conflict.opponent(side)
    key = (name.lower(), "accuse", other)
    if key in out:
        return
    offset = sent.doc[start].idx - sent.start_char
    date = min(dates, key=lambda d: abs(d.start - offset)).date if dates else state.ref
    draft = Draft(kind="statement", sent=sent, attribution=attribution, stype="accuse", token=start, date=date,
                  place=None, headline=False, confidence=0.5)
    draft.actor1, draft.actor2 = (None, side), (None, other)
    out[key] = draft
