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

from spacy.tokens import Span

from warledger.extract.act_checks import (
    AIR,
    causes_figure,
    compared,
    describes_people,
    from_the_air,
    held,
    habitual,
    inside_toll,
    irrealis,
    protesters_fight,
    takes_no_ground,
)
from warledger.extract.actors import assign_actors
from warledger.extract.attribution import Attribution, unsaid
from warledger.extract.dates import find_dates
from warledger.extract.draft import DocState, Draft, clause_head, text_of
from warledger.extract.figures import find_figures, names_period
from warledger.extract.findings import (
    PlaceMention,
    SentenceFindings,
    find_fronts,
    find_places,
)
from warledger.extract.lexicon import Trigger
from warledger.extract.materiel import find_materiel
from warledger.extract.nlp import forms_of, matches_in
from warledger.extract.nlp import matches as rule_matches
from warledger.extract.statements import statement_drafts
from warledger.extract.tolls import (
    CARRY_REACH,
    STRIKE_SUBS,
    attach_findings,
    carry_on,
    figure_events,
    finest,
    follow_on,
    same_place,
    tallies,
    war_to_date,
)

ACT_CLASSES = {"strike": "strike", "loss": "clash", "clash": "clash", "shootdown": "shootdown",
               "territory": "territory", "agreement": "agreement", "dismissal": "dismissal", "arrest": "arrest",
               "abduction": "abduction", "looting": "looting", "protest": "protest",
               "civilian_attack": "civilian_attack"}


def sentence_drafts(sent: Span, state: DocState, headline: bool) -> list[Draft]:
    lex, knowledge = state.lex, state.knowledge
    if _is_background(sent, state):
        return []
    found = SentenceFindings()
    found.places = find_places(sent, knowledge, state.context, state.slip_places)
    found.fronts = find_fronts(sent)
    found.materiel = find_materiel(sent, lex, knowledge)
    found.figures = find_figures(sent, knowledge, set())
    dates = _future_weekdays(find_dates(text_of(sent), state.ref), sent, state)
    doc = sent.doc
    triggers = _live_triggers(sent, found, state)
    drafts: list[Draft] = []
    used_attr: list[Attribution] = []
    state.absorbed_words = set()
    groups = _group(triggers, sent, state)
    dead = {s for s in state.references if sent.start <= s < sent.end}
    owners = _place_owners(found.places, [(i, act[1]) for act, (_, items) in groups.items() for i, _ in items],
                           doc, dead, state.trigger_spans, state.absorbed_words)
    for act, group in groups.items():
        attribution, items = group
        used_attr.append(attribution)
        first = min(i for i, _ in items)
        sub = _sub_type(items, sent, state)
        if act[1] == "clash" and found.materiel and all(m.item.outcome == "shot_down" for m in found.materiel):
            sub, act = "Disrupted weapons use", (act[0], "shootdown", act[2])   # "destroyed 31 of 40 drones"
        places = [p for p in found.places if owners.get(id(p)) in {i for i, _ in items}]
        if act[1] == "strike":   # "fired a missile on the Golan Heights from Southern Lebanon": where it came from
            places = [p for p in places if not _launched_from(p, doc)] or places
        places = finest(places)
        context = _context_place(items, act[1], places, found, sent, state)
        story_town = any(t.context_place for _, t in items) and _story_place(act[1], found, sent, state) is not None
        # "43 people were detained", paragraphs after the protest's town
        placeless = not places and all(t.needs_place for _, t in items) and not found.fronts and context is None \
            and not story_town and not any(causes_figure(doc[i], found.figures) for i, _ in items)
        # the act just told, named again by a new claimant at no other place ("the group claimed responsibility
        # for the attack in Zahedan")
        again = _restated(first, act[1], sent, attribution, state)
        if again is not None and (not places or again.place is not None and any(
                same_place(p, again.place) for p in places)):
            drafts.append(again)
            continue
        if placeless:
            continue   # "said its forces hit only military targets": no place of its own, no act
        base = dict(kind="event", sent=sent, attribution=attribution, sub=sub, act=act[1], token=first,
                    headline=headline, defence=any(t.defence for _, t in items),
                    generic=sub is None)
        for date, precision in _dates_for(first, act[1], sent, dates, state):
            if not places and context is not None:
                drafts.append(Draft(place=context, context_place=True, date=date, precision=precision,
                                    confidence=0.55, **base))
            elif not places and (main := _story_place(act[1], found, sent, state)) is not None:
                drafts.append(Draft(place=main, context_place=True, date=date, precision=precision,
                                    confidence=0.5, **base))
            elif not places:
                drafts.append(Draft(front_text=_front_text(first, found), date=date, precision=precision, **base))
            for mention in places:
                drafts.append(Draft(place=mention, date=date, precision=precision, **base))
    # "The incident comes a week after a bomb blast in Mastung killed eight": an earlier act, named to set this
    # one in its series, is no place or act the story goes on about
    earlier = any(d.kind == "span_before" and d.text.lower().rstrip().endswith("after") for d in dates)
    if not earlier:   # (the lead's town, like the headline's, is the story's until another is named)
        _remember_place(found, state, headline or not state.lead_told)
    state.lead_told = state.lead_told or not headline
    attach_findings(drafts, found, sent, state)
    drafts += _protest_casualties(drafts, sent, state)
    drafts = [d for d in drafts if not _mere_reference(d, dates, state)]
    drafts = war_to_date(drafts, sent, dates, state)
    # "more than 10,000 civilians have been killed in Ukraine": the verb of a running total is no act
    tally_words = {f.word for f in found.figures if f.tally}
    drafts = [d for d in drafts if not (d.kind == "event" and not d.figures and d.token in tally_words)]
    if not drafts and not headline:
        drafts = follow_on(sent, found, state) or _agent_toll(sent, found, state)
    drafts += tallies(sent, found, state, dates, headline, bool(drafts))
    for d in drafts:
        if not d.carried:
            told = d.actor1
            assign_actors(d, state)
            if d.restated and d.actor1[1] is None:
                d.actor1 = told   # the act's perpetrator as told before, where this sentence names none
        if d.kind == "event" and d.actor1[1]:
            state.last_actor = d.actor1
            if d.act in ("strike", "civilian_attack", "abduction"):
                state.last_attacker = d.actor1[1]
    for d in drafts:
        if d.kind == "event" and d.act in ("clash", "territory") and protesters_fight(d, state):
            d.sub, d.act = "Violent demonstration", "protest"
        if from_the_air(d, state):
            d.sub = AIR   # "Israeli forces launched three missiles at the school"
    events = [d for d in drafts if d.kind == "event" and not d.headline]
    if events and not earlier:
        state.last_event = events[-1]
    statements = statement_drafts(sent, state, dates, found, headline, used_attr)
    for s in statements:
        if s.place is None:   # words about the act just told ("Hezbollah is responsible for the attack")
            s.place = _statement_place(state)
            s.context_place = s.place is not None
    if any(d.kind == "event" for d in drafts):
        for s in statements:   # words said in a sentence that reports an act are often the act's colour
            s.confidence -= 0.1
    drafts += statements
    speaker = used_attr or [a for a in [state.finder.speaker(sent)] if a] or [state.finder.sentence_default(sent)]
    state.finder.remember(sent, speaker)
    return drafts


# -- triggers ----------------------------------------------------------------------------------
def _live_triggers(sent: Span, found: SentenceFindings, state: DocState) -> list[tuple[int, Trigger]]:
    doc = sent.doc
    matches = list(matches_in(doc, "triggers", sent.start, sent.end))
    # overlapping matches: the longest wins
    matches.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    live, covered = [], set()
    words = {t.lower_ for t in sent}
    for start, end, trig in matches:
        if any(i in covered for i in range(start, end)):
            continue
        if trig.needs_place and not (found.places and any(not p.subject for p in found.places)) \
                and not found.fronts and not _names_last_act(doc[start], state) \
                and not causes_figure(doc[start], found.figures) \
                and not (state.place_context is not None and (
                    trig.context_place or _names_place_again([(start, trig)], sent))):
            continue
        if trig.cls == "territory" and (takes_no_ground(doc[start], found.places, state) or held(doc[start])):
            continue
        if trig.needs_materiel and not found.materiel:
            continue
        if trig.no_materiel and found.materiel:
            continue
        if trig.needs_agreement_verb and not (words & state.agreement_forms):
            continue
        if trig.needs_role and (not (words & state.lex.roles) or start + 1 < sent.end
                                and doc[start + 1].lower_ in ("at", "on", "upon")):
            continue   # "fired the director" dismisses; "fired at the town" shoots
        if trig.cls == "loss" and doc[start].dep_ == "amod":
            continue   # "the destroyed buildings": a state, not an act
        if (irrealis(doc[start], state) and not trig.defence) or inside_toll(doc[start]) or \
                compared(doc[start]) or describes_people(doc[start]) or (trig.cls == "strike" and habitual(doc[start], state.lex.habitual_words)):
            state.references.add(start)   # its places belong to no act
            continue
        covered.update(range(start, end))
        live.append((start, trig))
        state.trigger_spans[start] = end
    return live


def _group(triggers, sent: Span, state: DocState) -> dict:
    """One act per (claimant, kind of act): a strike and the losses it caused are one event."""
    groups: dict = {}
    doc = sent.doc
    clashes = {start for start, t in triggers if t.cls == "clash"}
    absorbed = {start for start, t in triggers if t.weak and _absorbed(doc[start], clashes)}
    state.absorbed_words.update(doc[i].lower_ for i in absorbed)   # "repelled the attack" names an attack
    triggers = [(start, t) for start, t in triggers if start not in absorbed]
    classes = {ACT_CLASSES.get(t.cls, t.cls) for _, t in triggers}
    for start, trig in triggers:
        act = ACT_CLASSES.get(trig.cls, trig.cls)
        if act == "clash" and trig.cls == "loss" and "strike" in classes:
            act = "strike"
        if trig.weak and any(c != act for c in classes if c in ("strike", "shootdown", "territory", "clash")):
            continue
        if trig.weak and trig.cls == "civilian_attack" and any(c != act for c in classes):
            continue   # "killed 150 soldiers and destroyed 12 tanks": the killing is the other act's toll
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


def _sub_type(items, sent: Span, state: DocState) -> str | None:
    """The act's sub-event type; None for an act named without its means ("an attack", "killed"), which
    `_generic_sub` types once its victims are known."""
    sub = items[0][1].sub
    protests = [t.sub for _, t in items if t.cls == "protest"]
    if protests:
        return min(protests, key=lambda x: state.lex.protest_precedence.index(x)
                   if x in state.lex.protest_precedence else 99)
    strike = [t for _, t in items if t.cls == "strike" and not t.generic] or \
        [t for _, t in items if t.cls == "strike"]
    generic = all(t.generic for _, t in items)
    if strike or generic:
        sub = strike[0].sub if strike else sub
        # the means named in the act's own clause ("launched drones ..., while ... intercepted missiles")
        clauses = {clause_head(sent.doc[i]) for i, _ in items}
        weapons = [w["sub"] for s, e, w in matches_in(sent.doc, "weapons", sent.start, sent.end)
                   if clause_head(sent.doc[s]) in clauses | {i for i, _ in items}]
        for preferred in state.lex.weapon_precedence:
            if preferred in weapons:
                return preferred
        if generic:
            return None
        if all(t.default_means for t in strike) and state.doc_means:
            return state.doc_means   # "the strike on the school": the means the story names
    return sub


def document_means(doc, lex) -> tuple[str | None, int]:
    """The means of attack a document names most (weapon words and strike words that say their means), and
    in how many sentences, so a strike told without its means ("the strike killed 20") takes the story's; (None, 0)
    when it names none."""
    counts: dict[str, int] = {}
    sentences: dict[str, set[int]] = {}   # "heavy shelling" is a weapon word and a strike word: told once
    downed = {clause_head(doc[s]) for s, _e, t in rule_matches(doc, "triggers") if t.cls == "shootdown"}
    for s, _e, w in rule_matches(doc, "weapons"):
        if clause_head(doc[s]) not in downed:   # drones shot down are the other side's, not a strike's means
            counts[w["sub"]] = counts.get(w["sub"], 0) + 1
            sentences.setdefault(w["sub"], set()).add(doc[s].sent.start)
    for s, _e, t in rule_matches(doc, "triggers"):
        if t.cls == "strike" and not t.generic and not t.default_means and t.sub in STRIKE_SUBS:
            counts[t.sub] = counts.get(t.sub, 0) + 1
            sentences.setdefault(t.sub, set()).add(doc[s].sent.start)
    if not counts:
        return None, 0
    means = max(counts, key=lambda k: (counts[k], -lex.weapon_precedence.index(k)
                                       if k in lex.weapon_precedence else -99))
    return means, len(sentences[means])


# How far (tokens) a town named in the body stays the place of acts that name none; the headline's or
# dateline's stays until the text names another.
CONTEXT_REACH = 60
CARRY_OUT = {"launched", "launch", "launches", "carried", "carrying", "carry", "conducted", "conduct", "staged", "mounted",
             "claimed"}
PLACE_WORDS = {"city", "town", "village", "camp", "area", "district", "province", "region", "capital", "base",
               "airport", "headquarters"}
NO_CONTEXT_PLACE = {"shootdown", "agreement", "dismissal"}


def _context_place(items, act: str, places: list[PlaceMention], found: SentenceFindings, sent: Span,
                   state: DocState) -> PlaceMention | None:
    """Where an act whose sentence names no place happened: the place the text is about (the last place an
    act was told at, else the headline's or dateline's). Only for acts that need a place when their trigger
    says so (`context_place`); shoot-downs, agreements and dismissals keep their own rules."""
    if places or act in NO_CONTEXT_PLACE or state.place_context is None or found.fronts:
        return None
    if all(t.needs_materiel for _, t in items):
        return None   # "destroyed an S-300 system": claims of losses seldom happen where the text last was
    if all(sent.doc[i].tag_ == "NNS" for i, _ in items):
        return None   # "the attacks took place in urban areas": many acts are not at the one town named last
    if not state.place_context_lasting and sent.start - state.place_context_at > CONTEXT_REACH:
        return None   # a town named paragraphs ago is not where this act happened
    if all(t.needs_place for _, t in items) and not any(t.context_place for _, t in items) and \
            not _names_place_again(items, sent):
        return None
    return state.place_context


def _story_place(act: str, found: SentenceFindings, sent: Span, state: DocState) -> PlaceMention | None:
    """The story's main town for an act whose sentence names no place, no front and nothing country-wide."""
    if act in NO_CONTEXT_PLACE or found.fronts or found.places or NATIONWIDE.search(text_of(sent)):
        return None
    return _main_place(state)


NATIONWIDE = re.compile(r"\b(countrywide|nationwide|across the country|across [A-Z]\w+|in several|in many|"
                        r"multiple cities|several cities|other cities|regions)\b", re.I)


def _agent_toll(sent: Span, found: SentenceFindings, state: DocState) -> list[Draft]:
    """"the bandits killed one of the vigilantes": a killing with its killer named and no place, period or
    running total is an act at the story's town (else where the text last was), not a tally."""
    figures = [f for f in found.figures if not f.tally]
    if not figures or len(figures) < len(found.figures) or names_period(text_of(sent)):
        return []
    verb = sent.doc[figures[0].word]
    if verb.pos_ != "VERB" or not any(c.dep_ == "nsubj" and c.pos_ in ("NOUN", "PROPN") for c in verb.children):
        return []
    if found.places or found.fronts:
        return []   # a place of its own that no act owns: `follow_on` has judged it
    main = _story_place("civilian_attack", found, sent, state) or state.place_context
    drafts = figure_events(sent, figures, [main] if main else [], state.finder.for_token(verb, sent), state)
    for d in drafts:
        d.context_place = True
    return drafts


def _protest_casualties(drafts: list[Draft], sent: Span, state: DocState) -> list[Draft]:
    """"43 people were detained, and dozens of participants were injured": an arrest hurts nobody, so the
    injured carry on the protest's dispersal told before."""
    last = state.last_event
    if last is None or last.act != "protest":
        return []
    out = []
    for d in drafts:
        if d.act == "arrest" and d.figures:
            out.append(carry_on(last, sent, d.attribution, figures=d.figures))
            d.figures = []
    return out


def _names_place_again(items, sent: Span) -> bool:
    """"entered it", "took control of the city", "withdrew from the town": the act's place is the one just
    named, referred to again."""
    for start, _ in items:
        tok = sent.doc[start]
        near = list(tok.children) + [g for c in tok.children if c.dep_ == "prep" for g in c.children] + \
            [g for c in tok.head.children if c.dep_ == "prep" for g in c.children] + \
            [g for c in tok.children if c.dep_ == "nsubjpass" for p in c.children if p.dep_ == "prep"
             for g in p.children]   # "a market in the city was hit"
        for c in near:
            if c.dep_ in ("dobj", "pobj") and (c.lower_ == "it" or c.lower_ in PLACE_WORDS and any(
                    d.lower_ == "the" for d in c.children)):
                return True
    return False


def _names_last_act(tok, state: DocState) -> bool:
    """"the attack", "the strike": a definite act noun that may name the act told just before."""
    # (the tagger now and then calls an act noun after "the" an adjective: "the airstrike targeted")
    if state.last_event is None or tok.pos_ not in ("NOUN", "ADJ") or not any(
            c.lower_ in ("the", "this", "that") for c in tok.children):
        return False
    # only where the sentence says something of that act: who carried it out, who claims it
    carried = tok.dep_ in ("nsubjpass", "dobj") and tok.head.lower_ in CARRY_OUT
    claimed = tok.dep_ == "pobj" and tok.head.lower_ == "for" and tok.head.head.lower_ == "responsibility"
    described = tok.dep_ == "nsubj" and tok.head.pos_ == "VERB" and \
        tok.head.lower_ in forms_of(state.lex.act_claim_verbs)
    return carried or claimed or described


def _restated(first: int, act: str, sent: Span, attribution: Attribution, state: DocState) -> Draft | None:
    """"According to the IDF, the attack was carried out by Hezbollah": the act told just before, named again
    ("the attack", "the strike") by a claimant of its own, is that claimant's report of it."""
    last = state.last_event
    tok = sent.doc[first]
    if last is None or last.sent.doc is not sent.doc or last.sent.end < sent.start - CARRY_REACH:
        return None
    if not _names_last_act(tok, state):
        return None
    if act not in (last.act, "strike", "civilian_attack") or attribution.outlet_voice and not attribution.denied:
        return None
    again = carry_on(last, sent, attribution, figures=[])
    again.token, again.carried, again.restated = first, False, True
    return again


def _remember_place(found: SentenceFindings, state: DocState, headline: bool) -> None:
    """The place the text is about from here on: the first town or district this sentence names."""
    main = getattr(state.context, "main_countries", None)
    countries = main() if main else None
    if countries is not None and state.conflict is not None:   # the war's own parties count, however rarely named
        countries = countries | {side for camp in state.conflict.camps[:2] for side in camp} | state.conflict.lands
    fine = [p for p in found.places if not p.subject and p.precision in ("place", "district")
            and (not countries or p.country in countries)]   # "talks in Geneva" are not where the war is
    if fine:
        state.place_context, state.place_context_at = fine[0], fine[0].end
        state.place_context_lasting = headline
    for p in fine:
        key = p.place.geonameid or p.place.name if p.place is not None else p.text.lower()
        state.place_counts.setdefault(key, [0, p])[0] += 1


def _statement_place(state: DocState) -> PlaceMention | None:
    """Where words said in a sentence that names no town belong: the town of the act told last, else the
    story's main town."""
    last = state.last_event
    if last is not None and last.place is not None and last.place.place is not None \
            and last.place.precision in ("place", "district"):
        return last.place
    return _main_place(state)


def _main_place(state: DocState) -> PlaceMention | None:
    """The town the story is about: named at least twice, and more often than any other. Acts told with no
    place of their own, after the text has moved on, happened there rather than somewhere in the war's region
    (the region is the last resort, when the document names no finer place)."""
    ranked = sorted(state.place_counts.values(), key=lambda v: -v[0])
    if not ranked or ranked[0][0] < 2 or (len(ranked) > 1 and ranked[1][0] == ranked[0][0]):
        return None
    return ranked[0][1]


def _place_owners(places: list[PlaceMention], triggers: list[tuple[int, str]], doc,
                  dead: set[int], spans: dict[int, int], absorbed_words: set[str]) -> dict[int, int]:
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
                # "tried to attack Gabriel ... forces repelled the attack": the attack repelled was that one
                orphan = doc[node.i].lower_ not in absorbed_words
                break
            if node.head.i == node.i:
                break
            node = node.head
        if owner is None and not orphan:
            clause = clause_head(doc[p.start])
            same = [i for i in starts if clause_head(doc[i]) == clause]
            if not same and len(acts) == 1:
                same = list(starts)
            owner = min(same, key=lambda i: abs(i - p.start)) if same else None
        if owner is not None:
            owners[id(p)] = owner
    return owners


def _front_text(first: int, found: SentenceFindings) -> tuple[int, int] | None:
    """The vague front nearest the act ("on several axes"), as token offsets."""
    return min(found.fronts, key=lambda f: abs(f[0] - first)) if found.fronts else None


def _dates_for(first: int, act: str, sent: Span, dates, state: DocState) -> list[tuple]:
    """The date of an act: the date mention nearest its trigger; an agreement "reached on the 10th and 17th"
    is two agreements. Future dates (a meeting "next Friday") are not when something happened."""
    past = [d for d in dates if state.ref is None or d.date <= state.ref + dt.timedelta(days=1)]
    begun = [d for d in past if re.match(r"since", text_of(sent)[max(0, d.start - 6):d.start].strip(), re.I)]
    past = [d for d in past if d not in begun]
    if not past and begun and act != "agreement":
        return [(begun[0].date, begun[0].precision)]   # "an attack on the base since July 12": it began then
    if not past:
        told = state.last_dated
        # only a day carries on: "in January" dates the campaign's past, not what the story tells next
        if told is not None and sent.start - told[2] <= CONTEXT_REACH and act not in ("agreement",) and \
                told[1] == "day":
            return [(told[0], told[1])]   # the story goes on about the act it dated ("on Sunday"): that day
        return [(state.ref, "day")]
    offset = sent.doc[first].idx - sent.start_char
    best = min(past, key=lambda d: (abs(d.start - offset), d.start))
    state.last_dated = (best.date, best.precision, sent.end)
    if act == "agreement":
        same = [d for d in past if d.start == best.start]
        if len(same) > 1:
            return [(d.date, d.precision) for d in same]
    return [(best.date, best.precision)]


def _is_background(sent: Span, state: DocState) -> bool:
    if state.ref is None:
        return False
    for m in re.finditer(r"\b(1[89]\d\d|20\d\d)\b", text_of(sent)):
        if re.search(r"\bsince\b", text_of(sent)[:m.start()], re.I):
            continue  # "since February 24, 2022": the start of a running total, not history
        if int(m.group(1)) <= state.ref.year - state.lex.background_years:
            return True
    return False


def _launched_from(place: PlaceMention, doc) -> bool:
    return place.start > 0 and doc[place.start - 1].lower_ == "from"


def _mere_reference(d: Draft, dates, state: DocState) -> bool:
    """"the response to the bombing of Ganja": a definite noun naming an event told elsewhere, with nothing
    new (no figure, materiel or date), is a reference, not a report. Denials keep theirs."""
    tok = d.sent.doc[d.token]
    if d.attribution.denied or d.restated or tok.pos_ != "NOUN" or d.figures or d.materiel:
        return False
    if dates:
        return False   # ("following the army's retaking of Khartoum last month": an earlier act, dated, is one)
    if tok.left_edge.i > 0 and tok.doc[tok.left_edge.i - 1].lower_ in ("after", "since", "following", "before") \
            and any(c.dep_ in ("det", "poss") for c in tok.children):
        return True   # "in the hours after the attack on Belgorod": the act told, named as a time
    if tok.dep_ == "pobj" and tok.head.head.lower_ in state.finder.say and unsaid(tok.head.head):
        return True   # "Neither Syria nor Russia commented on the airstrike": nobody's word on it
    if not d.attribution.outlet_voice and _names_last_act(tok, state):
        return False   # "the group claimed responsibility for the attack in Zahedan": its own word on the act
    if d.defence and d.place is not None and not d.context_place:
        return False   # "informed ... about the suppression of an attempt to attack ... in Tovuz": the act itself
    det = [c.lower_ for c in tok.children if c.dep_ in ("det", "poss")]
    if tok.i > 0 and tok.nbor(-1).pos_ in ("NOUN", "PROPN", "ADJ"):
        det += [c.lower_ for c in tok.nbor(-1).children if c.dep_ == "det"]
    if "the" not in det:
        return False
    if tok.dep_ == "pobj" and tok.head.head.lower_ in state.finder.say and not unsaid(tok.head.head):
        return False   # "reported on the renewed fighting": what was reported, not a reference to it
    if tok.dep_ == "dobj" and tok.head.lower_ in CARRY_OUT and d.place is not None and not d.context_place:
        return False   # "said Moscow launched the strike on the town": a claim about the act, with its place
    if tok.dep_ == "dobj" and tok.head.lower_ in state.finder.say and d.place is not None and not d.context_place \
            and not unsaid(tok.head) and tok.head.lower_ not in state.finder.weak_say:
        return False   # "confirmed the attack on the Zamzam camp": the speaker's own report of it, at its place
    # "the interception caused no casualties": no place of its own either; "The attack came two days after
    # ...": the act just told, as the subject of what the text says about it
    return tok.dep_ in ("pobj", "dobj") or (d.place is None and not d.front_text) or (
        tok.dep_ == "nsubj" and d.context_place and state.last_event is not None)


def _future_weekdays(dates, sent: Span, state: DocState):
    """"agreed to meet in Moscow on Friday": a weekday in a clause about what is to come is the next one."""
    for d in dates:
        if d.kind != "weekday" or state.ref is None or d.date > state.ref:
            continue
        span = sent.char_span(d.start, d.end, alignment_mode="expand")
        node = span.root if span is not None else None
        for _ in range(4):
            if node is None or node.head.i == node.i:
                break
            node = node.head
            if any(c.lower_ in ("to", "will", "shall") and c.dep_ == "aux" for c in node.children):
                d.date = d.date + dt.timedelta(days=7)
                break
    return dates


# -- figures, materiel, tallies -----------------------------------------------------------------


