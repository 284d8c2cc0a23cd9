"""Writing reports from what the finders found, sentence by sentence.

For each sentence: 1. drop background (a year long before publication); 2. keep the triggers whose
conditions hold (a place, a materiel noun, an agreement verb, a role) and that are not calls or wishes;
3. group them by claimant and act (a strike and its losses are one act); 4. one event report per act and
named place; figures and materiel join the act nearest them; 5. figures that count since a start, or
that no act claims, become tallies; 6. statements. Merging of repeats is in `consolidate.py`.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from spacy.tokens import Span

from warledger.extract.attribution import Attribution, AttributionFinder
from warledger.extract.dates import find_dates
from warledger.extract.findings import (Figure, Knowledge, MaterielMention, PlaceMention, SentenceFindings,
                                        civilian_target, find_figures, find_fronts, find_materiel, find_places,
                                        first_side)
from warledger.extract.lexicon import Conflict, Lexicon, Trigger
from warledger.extract.nlp import _forms

ACT_CLASSES = {"strike": "strike", "loss": "clash", "clash": "clash", "shootdown": "shootdown",
               "territory": "territory", "agreement": "agreement", "dismissal": "dismissal", "arrest": "arrest",
               "abduction": "abduction", "looting": "looting", "protest": "protest",
               "civilian_attack": "civilian_attack"}


@dataclass
class Draft:
    """A report before resolution: mentions as written, sides where the text tells them."""

    kind: str
    sent: Span
    attribution: Attribution
    sub: str | None = None
    stype: str | None = None
    act: str | None = None
    token: int = 0
    place: PlaceMention | None = None
    front_text: str | None = None
    date: dt.date | None = None
    precision: str = "day"
    date_start: dt.date | None = None
    actor1: tuple[str | None, str | None] = (None, None)     # (name as written, side)
    actor2: tuple[str | None, str | None] = (None, None)
    civilians: bool = False
    figures: list[Figure] = field(default_factory=list)
    materiel: list[MaterielMention] = field(default_factory=list)
    headline: bool = False
    defence: bool = False      # "repelled an attack": the subject defended, the attacker acted
    confidence: float = 0.6
    extra_sents: list[Span] = field(default_factory=list)


@dataclass
class DocState:
    lex: Lexicon
    knowledge: Knowledge
    context: object
    ref: dt.date | None
    conflict: Conflict | None
    finder: AttributionFinder
    slip_places: re.Pattern | None
    agreement_forms: set[str] = field(default_factory=set)
    irrealis_forms: set[str] = field(default_factory=set)
    irrealis_past_forms: set[str] = field(default_factory=set)
    trigger_spans: dict[int, int] = field(default_factory=dict)   # live trigger start -> end (token index)


def sentence_drafts(sent: Span, state: DocState, headline: bool) -> list[Draft]:
    lex, knowledge = state.lex, state.knowledge
    if _is_background(sent, state):
        return []
    found = SentenceFindings()
    found.places = find_places(sent, knowledge, state.context, state.slip_places)
    found.fronts = find_fronts(sent)
    found.materiel = find_materiel(sent, lex, knowledge)
    found.figures = find_figures(sent, knowledge, set())
    dates = find_dates(sent.text, state.ref)
    doc = sent.doc
    triggers = _live_triggers(sent, found, state)
    drafts: list[Draft] = []
    used_attr: list[Attribution] = []
    groups = _group(triggers, sent, state)
    dead = {s for s, _e, _t in (doc._.wl_triggers or []) if sent.start <= s < sent.end} - {i for i, _ in triggers}
    owners = _place_owners(found.places, [(i, act[1]) for act, (_, items) in groups.items() for i, _ in items],
                           doc, dead, state.trigger_spans)
    for act, group in groups.items():
        attribution, items = group
        used_attr.append(attribution)
        first = min(i for i, _ in items)
        sub = _sub_type(items, sent, state)
        places = [p for p in found.places if owners.get(id(p)) in {i for i, _ in items}]
        places = _finest(places)
        if not places and all(t.needs_place for _, t in items) and not found.fronts:
            continue   # "said its forces hit only military targets": no place of its own, no act
        base = dict(kind="event", sent=sent, attribution=attribution, sub=sub, act=act[1], token=first,
                    headline=headline, defence=any(t.defence for _, t in items))
        for date, precision in _dates_for(first, act[1], sent, dates, state):
            if not places:
                drafts.append(Draft(front_text=_front_text(first, found), date=date, precision=precision, **base))
            for mention in places:
                drafts.append(Draft(place=mention, date=date, precision=precision, **base))
    _attach_findings(drafts, found, sent, state)
    drafts = [d for d in drafts if not _mere_reference(d, dates)]
    drafts = _war_to_date(drafts, sent, dates, state)
    drafts += _tallies(sent, found, state, dates, headline, bool(drafts))
    for d in drafts:
        _actors(d, state)
    drafts += statement_drafts(sent, state, dates, found, headline, used_attr)
    speaker = used_attr or [a for a in [state.finder.speaker(sent)] if a] or [state.finder.sentence_default(sent)]
    state.finder.remember(sent, speaker)
    return drafts


# -- triggers ----------------------------------------------------------------------------------
def _live_triggers(sent: Span, found: SentenceFindings, state: DocState) -> list[tuple[int, Trigger]]:
    doc = sent.doc
    lex = state.lex
    matches = [(s, e, t) for s, e, t in (doc._.wl_triggers or []) if sent.start <= s < sent.end]
    # overlapping matches: the longest wins
    matches.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    live, covered = [], set()
    words = {t.lower_ for t in sent}
    for start, end, trig in matches:
        if any(i in covered for i in range(start, end)):
            continue
        if trig.needs_place and not (found.places and any(not p.subject for p in found.places)) \
                and not found.fronts:
            continue
        if trig.needs_materiel and not found.materiel:
            continue
        if trig.no_materiel and found.materiel:
            continue
        if trig.needs_agreement_verb and not (words & state.agreement_forms):
            continue
        if trig.needs_role and not (words & state.lex.roles):
            continue
        if trig.cls == "loss" and doc[start].dep_ == "amod":
            continue   # "the destroyed buildings": a state, not an act
        if _irrealis(doc[start], state) or _inside_toll(doc[start]):
            continue
        covered.update(range(start, end))
        live.append((start, trig))
        state.trigger_spans[start] = end
    return live


def _inside_toll(token) -> bool:
    """"the toll of Armenian bombing raids": the act is what a running total counts, not a new event."""
    node = token
    for _ in range(6):
        if node.lower_ in ("toll", "tally", "number", "total") and node.i != token.i:
            return True
        if node.head.i == node.i:
            return False
        node = node.head
    return False


def _irrealis(token, state: DocState) -> bool:
    """A call, wish or plan ("calling for a truce", "to prevent escalation") is no act."""
    nouns = [token, token.head] if token.dep_ == "compound" else [token]
    if any(c.dep_ in ("relcl", "acl") and c.lower_ in state.agreement_forms for n in nouns for c in n.children) or \
            (token.head.lower_ in state.agreement_forms and token.dep_ in ("nsubjpass", "nsubj", "dobj")):
        return False   # "the ceasefire agreements that were reached on the 10th": an agreement that happened
    node, steps = token, 0
    while node.head.i != node.i and steps < 6:
        steps += 1
        if node.dep_ == "conj" and node.pos_ == "VERB" and any(c.dep_ == "nsubj" for c in node.children):
            break   # a conjoined clause with its own subject: "tried to attack, and forces repelled the attack"
        head = node.head
        if head.lower_ in state.irrealis_forms and head.pos_ in ("VERB", "AUX", "NOUN", "ADJ"):
            return True
        if head.lower_ in state.irrealis_past_forms and head.tag_ not in ("VBD", "VBN", "VBZ"):
            return True
        if any(c.lower_ in ("would", "could", "should", "will", "might") for c in node.children):
            return True
        if node.head.lower_ in state.finder.say or (node.dep_ == "conj" and node.pos_ == "VERB"):
            break
        node = node.head
    return False


def _group(triggers, sent: Span, state: DocState) -> dict:
    """One act per (claimant, kind of act): a strike and the losses it caused are one event."""
    groups: dict = {}
    doc = sent.doc
    clashes = {start for start, t in triggers if t.cls == "clash"}
    triggers = [(start, t) for start, t in triggers if not (t.weak and _absorbed(doc[start], clashes))]
    classes = {ACT_CLASSES.get(t.cls, t.cls) for _, t in triggers}
    for start, trig in triggers:
        act = ACT_CLASSES.get(trig.cls, trig.cls)
        if act == "clash" and trig.cls == "loss" and "strike" in classes:
            act = "strike"
        if trig.weak and any(c != act for c in classes if c in ("strike", "shootdown", "territory")):
            continue
        attribution = state.finder.for_token(doc[start], sent)
        key = (attribution.mention.lower(), act, attribution.denied)
        groups.setdefault(key, (attribution, []))[1].append((start, trig))
    return groups


def _absorbed(token, live: set[int]) -> bool:
    """"repelled the attack": an act named as the object of another act is part of it."""
    node = token
    for _ in range(3):
        if node.head.i == node.i:
            return False
        node = node.head
        if node.i in live and node.i != token.i:
            return True
        if node.pos_ == "VERB":
            return False
    return False


def _sub_type(items, sent: Span, state: DocState) -> str:
    sub = items[0][1].sub
    strike = [t for _, t in items if t.cls == "strike"]
    if strike:
        sub = strike[0].sub
        weapons = [w["sub"] for s, e, w in (sent.doc._.wl_weapons or []) if sent.start <= s < sent.end]
        for preferred in state.lex.weapon_precedence:
            if preferred in weapons:
                return preferred
    return sub


def _place_owners(places: list[PlaceMention], triggers: list[tuple[int, str]], doc,
                  dead: set[int], spans: dict[int, int]) -> dict[int, int]:
    """Each place belongs to the act whose trigger governs it in the parse; a place under a dropped act
    ("the response to the bombing of Ganja") belongs to none; any other goes to the act of its own clause,
    or to the only act of the sentence."""
    owners: dict[int, int] = {}
    if not triggers:
        return owners
    starts = {i for i, _ in triggers}
    span_of = {i: start for start in starts for i in range(start, spans.get(start, start + 1))}
    acts = {act for _, act in triggers}
    for p in places:
        if p.subject:
            continue
        node, owner, orphan = doc[p.start], None, False
        for _ in range(12):
            if node.i in span_of:
                owner = span_of[node.i]
                break
            if node.i in dead:
                orphan = True
                break
            if node.head.i == node.i:
                break
            node = node.head
        if owner is None and not orphan:
            clause = _clause_head(doc[p.start])
            same = [i for i in starts if _clause_head(doc[i]) == clause]
            if not same and len(acts) == 1:
                same = list(starts)
            owner = min(same, key=lambda i: abs(i - p.start)) if same else None
        if owner is not None:
            owners[id(p)] = owner
    return owners


def _clause_head(token):
    node = token
    for _ in range(10):
        if node.pos_ in ("VERB", "AUX") or node.head.i == node.i:
            return node.i
        node = node.head
    return node.i


def _finest(places: list[PlaceMention]) -> list[PlaceMention]:
    """"Fuzuli in the Karabakh region", "Ganja, in northeastern Azerbaijan": the town, not its container."""
    fine = [p for p in places if p.place is None or p.place.precision in ("place", "district")]
    return fine or places[:1]


def _front_text(first: int, found: SentenceFindings) -> str | None:
    if not found.fronts:
        return None
    start, end = min(found.fronts, key=lambda f: abs(f[0] - first))
    return (start, end)


def _dates_for(first: int, act: str, sent: Span, dates, state: DocState) -> list[tuple]:
    """The date of an act: the date mention nearest its trigger; an agreement "reached on the 10th and 17th"
    is two agreements. Future dates (a meeting "next Friday") are not when something happened."""
    past = [d for d in dates if state.ref is None or d.date <= state.ref + dt.timedelta(days=1)]
    past = [d for d in past if not re.match(r"since", sent.text[max(0, d.start - 6):d.start].strip(), re.I)]
    if not past:
        return [(state.ref, "day")]
    offset = sent.doc[first].idx - sent.start_char
    best = min(past, key=lambda d: (abs(d.start - offset), d.start))
    if act == "agreement":
        same = [d for d in past if d.start == best.start]
        if len(same) > 1:
            return [(d.date, d.precision) for d in same]
    return [(best.date, best.precision)]


def _is_background(sent: Span, state: DocState) -> bool:
    if state.ref is None:
        return False
    for m in re.finditer(r"\b(1[89]\d\d|20\d\d)\b", sent.text):
        if re.search(r"\bsince\b", sent.text[:m.start()], re.I):
            continue  # "since February 24, 2022": the start of a running total, not history
        if int(m.group(1)) <= state.ref.year - state.lex.background_years:
            return True
    return False


def _mere_reference(d: Draft, dates) -> bool:
    """"the response to the bombing of Ganja": a definite noun naming an event told elsewhere, with nothing
    new (no figure, materiel or date), is a reference, not a report. Denials keep theirs."""
    tok = d.sent.doc[d.token]
    if d.attribution.denied or tok.pos_ != "NOUN" or d.figures or d.materiel or dates:
        return False
    det = [c.lower_ for c in tok.children if c.dep_ in ("det", "poss")]
    if tok.i > 0 and tok.nbor(-1).pos_ in ("NOUN", "PROPN", "ADJ"):
        det += [c.lower_ for c in tok.nbor(-1).children if c.dep_ == "det"]
    return "the" in det and tok.dep_ in ("pobj", "dobj")


def _war_to_date(drafts: list[Draft], sent: Span, dates, state: DocState) -> list[Draft]:
    """Losses counted since a start ("seized seven villages since fighting began") or war-to-date sums with
    no place and no date ("destroyed 241 tanks") are tallies."""
    since = re.search(r"\bsince\b", sent.text, re.I) is not None
    for d in drafts:
        if d.kind != "event" or d.place is not None or d.act not in ("clash", "territory", "strike"):
            continue
        total = sum(m.item.count or 0 for m in d.materiel)
        counted_places = re.search(r"\b(\d+|two|three|four|five|six|seven|eight|nine|ten|dozens|several)\s+"
                                   r"(villages|towns|settlements|cities|positions|heights)\b", sent.text, re.I)
        if (since and (d.materiel or counted_places)) or (total >= 50 and not dates):
            d.kind = "tally"
            d.date_start = _since_date(sent, dates, state)
            d.confidence = 0.5
    return drafts


# -- figures, materiel, tallies -----------------------------------------------------------------
def _attach_findings(drafts: list[Draft], found: SentenceFindings, sent: Span, state: DocState) -> None:
    events = [d for d in drafts if d.kind == "event"]
    if not events:
        return
    for fig in found.figures:
        if fig.tally:
            continue
        target = min(events, key=lambda d: abs(d.token - fig.token))
        if all(f.what != fig.what for f in target.figures):
            target.figures.append(fig)
    for m in found.materiel:
        target = min(events, key=lambda d: abs(d.token - m.token))
        target.materiel.append(m)
    # "two drones ... shot down near X and Y": one each
    by_token: dict[int, list[Draft]] = {}
    for d in events:
        by_token.setdefault(d.token, []).append(d)
    for same in by_token.values():
        if len(same) > 1:
            for d in same:
                d.materiel = [MaterielMention(m.item.model_copy(update={"count": 1}) if m.item.count == len(same)
                                              else m.item.model_copy(), m.token, m.side_text) for m in d.materiel]
                d.figures = [] if len({f.token for f in d.figures}) and len(same) > 1 and \
                    d.act != "strike" else d.figures
    for d in events:
        d.civilians = civilian_target(sent)


def _tallies(sent: Span, found: SentenceFindings, state: DocState, dates, headline: bool,
             has_events: bool) -> list[Draft]:
    figs = [f for f in found.figures if f.tally or not has_events]
    if not figs or headline:
        return []
    start = _since_date(sent, dates, state)
    as_of = [d for d in dates if d.kind in ("weekday", "today", "month_day", "day_month") and d.date != start]
    date = as_of[-1].date if as_of else state.ref
    out: dict[tuple, Draft] = {}
    civilian_words = civilian_target(sent)
    for fig in figs:
        attribution = state.finder.for_token(sent.doc[fig.token], sent)
        group = "military" if fig.victims == "military" else "civilian"
        side = fig.victim_side or _sentence_victim_side(sent, state, fig)
        if side is None and not attribution.outlet_voice and group == "civilian":
            side = state.knowledge.side_of(attribution.mention)
        key = (attribution.mention.lower(), group, side)
        draft = out.get(key)
        if draft is None:
            civilians = group == "civilian" and (fig.victims == "civilian" or civilian_words)
            draft = Draft(kind="tally", sent=sent, attribution=attribution, token=fig.token, date=date,
                          date_start=start, headline=headline, civilians=civilians, confidence=0.55)
            if group == "civilian" and state.conflict and side:
                side = state.conflict.civilian_side.get(side, side)
            draft.actor2 = ("Civilians" if civilians else None, side)
            out[key] = draft
        if all(f.what != fig.what for f in draft.figures):
            draft.figures.append(fig)
    return list(out.values())


def _sentence_victim_side(sent: Span, state: DocState, fig: Figure) -> str | None:
    """"the toll ... on Azerbaijani residential areas": an adjective on the victims or their homes."""
    for t in sent:
        if t.i + 1 < sent.end and (t.ent_type_ == "NORP" or t.pos_ in ("ADJ", "PROPN") and t.is_title):
            nxt = {x.lower_ for x in sent.doc[t.i + 1:t.i + 3]}
            if nxt & {"civilians", "civilian", "residential", "regions", "cities", "villages", "people", "citizens",
                      "soldiers", "servicemen"}:
                side = state.knowledge.side_of(t.text)
                if side:
                    return side
    return None


def _since_date(sent: Span, dates, state: DocState):
    text = sent.text.lower()
    m = re.search(r"\bsince\b", text)
    if m:
        after = [d for d in dates if d.start > m.start()]
        if after and after[0].start - m.end() < 12:
            return after[0].date
    if state.conflict is not None:
        return state.conflict.start
    return None


# -- actors ------------------------------------------------------------------------------------
def _actors(d: Draft, state: DocState) -> None:
    """actor1 acted, actor2 was acted on: from the text first (agents, adjectives, subjects, objects), then
    from the claimant ("its forces"), then from the other camp of the war."""
    kn, doc = state.knowledge, d.sent.doc
    claimant_side = kn.side_of(d.attribution.mention) if not d.attribution.outlet_voice else None
    tok = doc[d.token]
    skip = set(range(d.place.start, d.place.end)) if d.place is not None else set()
    a1 = _perpetrator(d, tok, skip, claimant_side, state)
    a2 = d.actor2
    if d.defence and state.conflict is not None:
        defender = a1[0] or claimant_side
        a1, a2 = (state.conflict.opponent(defender), None), (a1[1], defender)
    mat_sides = [m.item.side for m in d.materiel if m.item.side]
    if a2[1] is None and mat_sides and d.act in ("shootdown", "clash", "strike"):
        a2 = (None, mat_sides[0])
    if a2[1] is None and d.kind == "event":
        objs = [c for c in tok.children if c.dep_ == "dobj" or (c.dep_ == "prep" and c.lower_ in (
            "on", "against", "of", "among"))]
        found = [first_side([t for t in c.subtree if t.i not in skip], kn, skip={a1[0]} if a1[0] else set())
                 for c in objs]
        found = [f for f in found if f[0]]
        if found:
            a2 = (found[0][1], found[0][0])
    civilians = d.civilians and (d.act in ("strike", "civilian_attack") or d.kind == "tally")
    if civilians and a2[1] is None:
        a2 = (a2[0], _civilian_side(d, state))
    conflict = state.conflict
    if a1[0] is None and d.act in ("clash", "territory", "shootdown") and claimant_side and a2[1] is None:
        # no side named: a party's own report of fighting is about its forces when it says "its/our"
        own = any(t.lower_ in ("its", "our", "their") for t in d.sent)
        a1 = (claimant_side if own else (conflict.opponent(claimant_side) if conflict else None), None)
    if a1[0] is None and a2[1] and conflict:
        a1 = (conflict.opponent(a2[1]), None)
    if a2[1] is None and a1[0] and conflict:
        a2 = (None, conflict.opponent(a1[0]))
    if d.act == "agreement" and conflict and (a1[0] is None or a2[1] is None or a1[0] == a2[1]):
        a1, a2 = (conflict.camps[0][0], None), (None, conflict.camps[1][0])
    d.actor1 = (a1[1], a1[0])
    d.actor2 = ("Civilians", a2[1]) if civilians else a2
    for m in d.materiel:
        if m.item.side is None:
            m.item.side = a2[1] if d.act in ("shootdown", "clash", "loss") or m.item.type != "building" else (
                _civilian_side(d, state) or a2[1])


def _perpetrator(d: Draft, tok, skip: set[int], claimant_side, state: DocState) -> tuple:
    """(side, text) of who acted as the text tells it: "by the Armenian army", "Armenian shelling",
    "Armenian Armed Forces launched", "its forces shot down" (the claimant's side)."""
    kn, sent = state.knowledge, d.sent
    if d.kind == "tally":   # who counts a toll is not who caused it: "the toll of Armenian bombing raids"
        for t in sent:
            if t.lower_ in ACT_NOUNS:
                found = first_side([c for c in t.children if c.dep_ in ("amod", "compound", "nmod")], kn)
                if found[0]:
                    return found
        return (None, None)
    clause = _clause_head(tok)
    agents = [c for c in sent if c.dep_ == "agent" and c.head.i in (clause, tok.i)]
    if agents:
        found = first_side(min(agents, key=lambda c: abs(c.i - tok.i)).subtree, kn)
        if found[0]:
            return found
    heads = [tok, tok.head] if tok.pos_ != "VERB" else [tok]
    mods = [c for h in heads for c in h.children if c.dep_ in ("amod", "compound", "poss", "nmod") and c.i not in skip]
    found = first_side(mods, kn)
    if found[0]:
        return found
    between = [c for c in tok.children if c.dep_ == "prep" and c.lower_ == "between"]
    if between and claimant_side and {t.lower_ for t in between[0].subtree} & {"its", "our", "their"}:
        return (claimant_side, None)   # "fighting between its forces and the army": the claimant's side first
    subj = _acting_subject(tok)
    if subj is not None:
        if {t.lower_ for t in subj.subtree} & {"its", "our", "his", "their", "her"} and claimant_side:
            return (claimant_side, subj.text)
        found = first_side(subj.subtree, kn)
        if found[0]:
            return found
    if d.act in ("territory", "shootdown") and claimant_side:
        return (claimant_side, None)
    return (None, None)


ACT_NOUNS = {"attacks", "attack", "bombing", "bombings", "shelling", "raids", "strikes", "aggression", "fire",
             "missile", "missiles", "army"}


def _de_facto_side(place, side: str, state: DocState) -> str:
    """A town inside a disputed region is held by its de facto side (Stepanakert: NK, not AZ)."""
    disputed = state.conflict.disputed if state.conflict else None
    if not disputed or place.lat is None or place.lon is None:
        return side
    region = state.knowledge.place(disputed["region"], None)
    if region is None or region.lat is None:
        return side
    import math
    dlat, dlon = math.radians(place.lat - region.lat), math.radians(place.lon - region.lon)
    a = math.sin(dlat / 2) ** 2 + math.cos(math.radians(place.lat)) * math.cos(math.radians(region.lat)) * \
        math.sin(dlon / 2) ** 2
    km = 6371 * 2 * math.asin(math.sqrt(a))
    return disputed["side"] if km <= disputed["radius_km"] else side


def _acting_subject(tok):
    """The subject of the verb an act hangs on, through "continue to attack", "launched an attack"."""
    node = tok
    for _ in range(5):
        if node.pos_ in ("VERB", "AUX"):
            subjects = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")]
            subj = next((c for c in subjects if c.pos_ in ("NOUN", "PROPN", "PRON")), None)
            if subj is not None and subj.dep_ == "nsubj":
                return subj
            if node.dep_ not in ("xcomp", "conj", "advcl"):
                return None
        if node.head.i == node.i:
            return None
        node = node.head
    return None


def _civilian_side(d: Draft, state: DocState) -> str | None:
    for fig in d.figures:
        if fig.victim_side:
            return fig.victim_side
    if d.place is not None and d.place.place is not None and d.place.place.country:
        country = d.place.place.country
        side = country if len(country) == 2 and country.isupper() else state.knowledge.side_of(country)
        if side:
            return _de_facto_side(d.place.place, side, state)
    return state.conflict.opponent(d.actor1[1]) if state.conflict and d.actor1[1] else None


# -- statements --------------------------------------------------------------------------------
def _parties(sent: Span, knowledge: Knowledge) -> list[tuple[str, str]]:
    """Sides named in a sentence, people and organisations first ("Turkey's Minister ... and Azerbaijan's
    Minister"; "Putin briefed his French counterpart Macron")."""
    chunks = list(sent.noun_chunks)
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
    matches = [(s, e, r) for s, e, r in (doc._.wl_statements or []) if sent.start <= s < sent.end]
    strong = [m for m in matches if not m[2].get("weak")]
    for start, end, rule in (strong or matches):
        stype = rule["type"]
        attribution = state.finder.for_token(doc[start], sent, include_self=True)
        if attribution.outlet_voice and stype in state.lex.need_speaker:
            # the verb itself may carry the speaker: "Turkey accused Armenia", "Erdogan renewed his call"
            verb = doc[start] if doc[start].pos_ == "VERB" else doc[start].head
            subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            if subj is None or not state.finder._agentive(subj):
                continue
            attribution = state.finder._mention(subj, verb)
        if stype == "meet" and not attribution.outlet_voice and state.finder.speaker(sent) is None:
            attribution = state.finder.sentence_default(sent)
        used_attr.append(attribution)
        speaker_side = state.knowledge.side_of(attribution.mention) if not attribution.outlet_voice else None
        target = first_side(doc[end:sent.end], state.knowledge, skip={speaker_side} if speaker_side else set())
        if target[0] is None:
            target = first_side(doc[sent.start:start], state.knowledge,
                                skip={speaker_side} if speaker_side else set())
        if stype in ("accuse", "threaten") and target[0] is None and state.conflict and speaker_side:
            target = (state.conflict.opponent(speaker_side), None)
        if stype == "accuse" and re.search(r"international community|those who (kept|remain) silent|some quarters",
                                           sent.text, re.I):
            target = ("XX", "International community")
        key = (attribution.mention.lower(), stype, target[0])
        if key in out:
            continue
        offset = doc[start].idx - sent.start_char
        date = min(dates, key=lambda d: abs(d.start - offset)).date if dates else state.ref
        place = next((p for p in found.places if not p.subject and p.place.precision == "place"), None)
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
    return list(out.values())
