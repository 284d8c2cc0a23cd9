"""Figures and tallies: casualty figures and materiel joined to the act nearest them, figures that carry on
the act told before, tolls at a town with no act named, and running totals (tallies). The report builder
(`build.py`) calls these after it has found a sentence's acts."""
from __future__ import annotations

import re

from spacy.tokens import Span

from warledger.countries import country_name
from warledger.extract.attribution import Attribution
from warledger.extract.dates import find_dates
from warledger.extract.draft import DocState, Draft, text_of
from warledger.extract.figures import names_period
from warledger.extract.findings import (
    Figure,
    MaterielMention,
    PlaceMention,
    SentenceFindings,
    civilian_target,
)

STRIKE_SUBS = {"Air/drone strike", "Shelling/artillery/missile attack", "Suicide bomb", "Grenade",
               "Remote explosive/landmine/IED", "Chemical weapon"}


def _generic_sub(d: Draft, state: DocState) -> None:
    """An act named without its means: the means of the strike told just before at the same place; else
    killings of fighters or an attack on an armed target are a clash; else a strike takes the story's means;
    else an attack on anyone else is an attack on civilians (ACLED: no means, no remote violence)."""
    last = state.last_event
    if last is not None and last.sub in STRIKE_SUBS | PROTEST_SUBS and last.act in ("strike", "protest") and (
            d.place is None or last.place is None or same_place(d.place, last.place)):
        d.sub, d.act = last.sub, last.act   # "ten were shot dead" at the protest, "20 killed" in the strike
        return
    if any(f.victims == "military" for f in d.figures) or _armed_target(d, state):
        d.sub, d.act = "Armed clash", "clash"
        return
    civilians = d.civilians or any(f.victims in ("civilian", "people") for f in d.figures)
    # an armed group's attack on civilians takes the story's means only when the story tells them more than
    # once ("a militia attack on the camp"; the shelling told once was that one act's)
    groups = any(t.lower_ in state.lex.non_state_groups for t in d.sent)
    if state.doc_means and d.act == "strike" and (state.doc_means_told >= 2 or not civilians or not groups):
        d.sub = state.doc_means
        return
    if civilians or d.act == "civilian_attack":
        d.sub, d.act = "Attack", "civilian_attack"
    else:
        d.sub = "Shelling/artillery/missile attack" if d.act == "strike" else "Armed clash"


TARGET_PREPS = {"on", "against", "at", "upon"}


def _armed_target(d: Draft, state: DocState) -> bool:
    """The act hit fighters, posts or police ("attacked an army post", "attacks on police stations"): the
    target's head noun, or one listed with it, is an armed one ("military facilities" are a strike's)."""
    trigger = d.sent.doc[d.token]
    heads = [c for c in trigger.children if c.dep_ in ("dobj", "obj")]
    heads += [g for c in trigger.children if c.dep_ == "prep" and c.lower_ in TARGET_PREPS
              for g in c.children if g.dep_ == "pobj"]
    heads += [c for h in heads for c in h.conjuncts]
    words = state.lex.military_targets
    return any(h.lower_ in words or (h.lower_ in ("station", "stations") and
                                     any(c.lower_ in words for c in h.children if c.dep_ == "compound"))
               for h in heads)


def same_place(a: PlaceMention, b: PlaceMention) -> bool:
    if a.place is not None and b.place is not None:
        return a.place.name == b.place.name
    return a.text.lower() == b.text.lower()


# How far (tokens) figures with no act of their own may carry on the last act told: a story of one strike
# gives its toll a few paragraphs on ("Twelve children and teenagers were killed.").
CARRY_REACH = 250


DENIED_ACTS = {"attack", "strike", "bombing", "shelling", "killing", "killings", "massacre", "it", "this", "incident",
               "explosion", "blast", "raid", "assault", "attacks", "strikes"}


PROTEST_SUBS = {"Violent demonstration", "Mob violence", "Excessive force against protesters",
                "Protest with intervention", "Peaceful protest"}


def finest(places: list[PlaceMention]) -> list[PlaceMention]:
    """"Fuzuli in the Karabakh region", "Ganja, in northeastern Azerbaijan": the town, not its container."""
    fine = [p for p in places if p.place is None or p.precision in ("place", "district")]
    # "over the Moscow, Bryansk and Kursk regions": regions listed together are one act each
    return fine or [p for p in places if p.precision == "region"] or places[:1]


def follow_on(sent: Span, found: SentenceFindings, state: DocState) -> list[Draft]:
    """A sentence with no act of its own that carries on the last one: "Two civilians were killed, the
    ministry said" gives that event its figures; "Armenia denied the claim" is a denial of it."""
    last = state.last_event
    if last is None or last.sent.doc is not sent.doc:
        figures = [f for f in found.figures if not f.tally]
        places = finest([p for p in found.places if not p.subject])
        if figures and not any(f.tally for f in found.figures) and places and places[0].precision == "place":
            attribution = state.finder.for_token(sent.doc[figures[0].token], sent)
            return figure_events(sent, figures, places, attribution, state)
        return []
    doc = sent.doc
    denier = next((t for t in sent if t.lower_ in state.finder.deny and t.pos_ == "VERB"
                   and any(c.dep_ == "dobj" and c.lower_ in state.finder.deny_objects for c in t.children)), None)
    if denier is None:   # "the organization is not responsible for the attack"
        denier = next((t for t in sent if t.lower_ in DENIED_ACTS and state.finder.denial_before(t, sent)), None)
    if denier is not None:
        attribution = state.finder.for_token(denier, sent, include_self=True)
        if attribution.outlet_voice:
            return []
        attribution.denied = True
        return [carry_on(last, sent, attribution, figures=[])]
    figures = [f for f in found.figures if not f.tally]
    if not figures or any(f.tally for f in found.figures):
        return []
    attribution = state.finder.for_token(doc[figures[0].token], sent)
    if attribution.outlet_voice and not last.attribution.outlet_voice and last.sent.end >= sent.start - 80:
        attribution = last.attribution   # unattributed, it carries on the claimant before it
    places = finest([p for p in found.places if not p.subject])
    if places and not same_place(places[0], last.place or places[0]) and places[0].precision == "place":
        return figure_events(sent, figures, places, attribution, state)   # "25 were killed in Zamzam"
    if places and places[0].precision in ("country", "region") and last.place is None:
        return []
    # figures with no act of their own carry on the act told just before; another claimant's only when they
    # count no period ("710 soldiers were killed in the fighting" is a tally)
    if last.sent.end < sent.start - CARRY_REACH:
        return []
    same = state.knowledge.claimant(attribution.mention).name == state.knowledge.claimant(
        last.attribution.mention).name
    civilian = civilian_target(sent, state.lex.civilian_targets)
    # ("Hezbollah ... confirmed the deaths of four of its members": a side counting its own fighters' dead
    # carries on the strike told before, though it names no place)
    own_dead = not attribution.outlet_voice and any(f.victims == "military" for f in figures) and \
        any(t.lower_ in ("its", "their", "our") for t in sent)
    if not same and (names_period(_main_clauses(sent)) or not civilian and not found.places and not own_dead):
        return []
    carried = carry_on(last, sent, attribution, figures=figures)
    # "... 108 wounded and that 37 apartment buildings had been damaged": what the act destroyed, told with it
    carried.materiel = [m for m in found.materiel if m.item.type in ("building", "vehicle")]
    for m in carried.materiel:
        if m.item.side is None:
            m.item.side = last.actor2[1]
    # "31 people were killed, including 2 children": the victims of a strike told as people are civilians
    if any(f.victims == "civilian" for f in figures) or civilian and last.act in ("strike", "civilian_attack"):
        side = next((f.victim_side for f in figures if f.victim_side), None) or last.actor2[1]
        carried.actor2, carried.civilians = ("Civilians", side), True
    return [carried]


def figure_events(sent: Span, figures: list[Figure], places: list[PlaceMention], attribution: Attribution,
                   state: DocState) -> list[Draft]:
    """Figures at a town with no act named ("with 32 civilians killed in El-Fasher"): that town's act, typed
    from the strike told before there, else from its victims."""
    dates = [d for d in find_dates(text_of(sent), state.ref) if state.ref is None or d.date <= state.ref]
    last = state.last_event
    date, precision = (dates[0].date, dates[0].precision) if dates else (
        (last.date, last.precision) if last is not None else (state.ref, "day"))
    draft = Draft(kind="event", sent=sent, attribution=attribution, sub=None, act="civilian_attack",
                  token=figures[0].word, place=places[0] if places else None, date=date, precision=precision, figures=figures,
                  civilians=civilian_target(sent, state.lex.civilian_targets)
                  or any(f.victims == "civilian" for f in figures),
                  generic=True, confidence=0.5)
    _generic_sub(draft, state)
    return [draft]


def _main_clauses(sent: Span) -> str:
    """The sentence without its relative clauses: "Hezbollah, which has exchanged fire since the war erupted,
    confirmed the deaths of four of its members" counts no period."""
    inside = {w.i for rel in sent if rel.dep_ == "relcl" for w in rel.subtree}
    return " ".join(t.text for t in sent if t.i not in inside)


def carry_on(last: Draft, sent: Span, attribution: Attribution, figures: list) -> Draft:
    return Draft(kind="event", sent=sent, attribution=attribution, sub=last.sub, act=last.act,
                 token=sent.start, place=last.place, front_text=None, date=last.date, precision=last.precision,
                 actor1=last.actor1, actor2=last.actor2, civilians=last.civilians, figures=figures,
                 confidence=last.confidence - 0.05, carried=True)


def war_to_date(drafts: list[Draft], sent: Span, dates, state: DocState) -> list[Draft]:
    """Losses counted since a start ("seized seven villages since fighting began") or war-to-date sums with
    no place and no date ("destroyed 241 tanks") are tallies."""
    since = re.search(r"\bsince\b", text_of(sent), re.I) is not None
    for d in drafts:
        if d.kind != "event" or (d.place is not None and not d.context_place) or \
                d.act not in ("clash", "territory", "strike"):
            continue
        total = sum(m.item.count or 0 for m in d.materiel)
        counted_places = re.search(r"\b(\d+|two|three|four|five|six|seven|eight|nine|ten|dozens|several)\s+"
                                   r"(villages|towns|settlements|cities|positions|heights)\b", text_of(sent), re.I)
        if (since and (d.materiel or counted_places)) or (total >= 50 and not dates):
            d.kind = "tally"
            d.place = None if d.context_place else d.place
            d.date_start = _since_date(sent, dates, state)
            d.confidence = 0.5
    for d in drafts:
        # "two were killed in US-UK raids on the Hodeidah Governorate": the dead of several acts over a region
        # are a count of them, not one act's toll (several strikes on one town stay that town's attack)
        if d.kind == "event" and d.figures and d.act == "strike" and sent.doc[d.token].tag_ == "NNS" and \
                not d.restated and d.place is not None and d.place.precision in ("region", "country") and \
                not d.context_place:
            d.kind = "tally"
            d.date_start = _since_date(sent, dates, state)
            d.confidence = 0.5
    return drafts


def attach_findings(drafts: list[Draft], found: SentenceFindings, sent: Span, state: DocState) -> None:
    events = [d for d in drafts if d.kind == "event"]
    if not events:
        return
    for fig in found.figures:
        if fig.tally:
            continue
        target = min(events, key=lambda d: abs(d.token - fig.token))
        twins = [d for d in events if d.token == target.token]
        if len(twins) > 1 or all(f.what != fig.what or f.word == fig.word for f in target.figures):
            # one act at several places: `_figures_by_place` shares them out; figures of one casualty word
            # ("three civilians and two soldiers were killed") are parts of one toll
            target.figures.append(fig)
    for m in found.materiel:
        target = min(events, key=lambda d: abs(d.token - m.token))
        twins = [d for d in events if d.token == target.token]
        if len(twins) == 1:
            target.materiel.append(m)
            continue
        # one act at several places: "two drones ... shot down near X and Y" is one each; "10 drones shot down
        # across three regions" is some in each, how many the text does not say
        share = 1 if m.item.count == len(twins) else None
        for d in twins:
            d.materiel.append(MaterielMention(m.item.model_copy(update={"count": share}), m.token, m.side_text))
    by_token: dict[int, list[Draft]] = {}
    for d in events:
        by_token.setdefault(d.token, []).append(d)
    for same in by_token.values():
        if len(same) > 1:
            _figures_by_place(same)
            whole = _countrywide(same, sent, state)
            drafts += whole
            events += whole
    for d in events:
        d.civilians = civilian_target(sent, state.lex.civilian_targets)
        if d.generic:
            _generic_sub(d, state)


def _figures_by_place(same: list[Draft], reach: int = 8) -> None:
    """One act told at several places ("32 civilians killed in El-Fasher and 25 in Zamzam"): each figure
    goes to the place named next to it; one that is next to none stays only with a strike's first place."""
    figures = [f for d in same for f in d.figures]
    for d in same:
        d.figures = []
    for fig in figures:
        near = [d for d in same if d.place is not None and not d.context_place
                and min(abs(fig.token - d.place.start), abs(fig.word - d.place.start)) <= reach]
        if near:
            best = min(near, key=lambda d: min(abs(fig.token - d.place.start), abs(fig.word - d.place.start)))
        elif same[0].act == "strike":
            best = same[0]
        else:
            continue
        if all(f.what != fig.what for f in best.figures):
            best.figures.append(fig)


COUNTRYWIDE = re.compile(r"\b(countrywide|nationwide|across the country|across (?:all of )?[A-Z][a-z]+|in total|"
                         r"in all)\b")


def _countrywide(same: list[Draft], sent: Span, state: DocState) -> list[Draft]:
    """"an attack on Kyiv, Odesa, Kharkiv and Lviv, killing over 40 people countrywide": the figures of an act
    at several towns, said to count them all, are the country's report, not the last town's."""
    doc = sent.doc
    counted = [f for d in same for f in d.figures
               if COUNTRYWIDE.search(doc[f.word:min(sent.end, f.word + 10)].text)]
    country = same[0].place.country if same[0].place is not None else None
    if not counted or country is None or any(d.place is None or d.place.country != country for d in same):
        return []
    place = state.knowledge.place(country_name(country) or country, state.context)
    if place is None:
        return []
    for d in same:
        d.figures = [f for f in d.figures if f not in counted]
    whole = carry_on(same[0], sent, same[0].attribution, figures=counted)
    whole.place = PlaceMention(place.name, sent.start, sent.start, place)
    whole.carried = False   # an act of this sentence: its actors are assigned like its towns'
    whole.confidence, whole.token = same[0].confidence, same[0].token
    return [whole]


def tallies(sent: Span, found: SentenceFindings, state: DocState, dates, headline: bool,
             has_events: bool) -> list[Draft]:
    figs = [f for f in found.figures if f.tally or not has_events]
    if not figs or headline:
        return []
    start = _since_date(sent, dates, state)
    as_of = [d for d in dates if d.kind in ("weekday", "today", "month_day", "day_month") and d.date != start]
    date = as_of[-1].date if as_of else state.ref
    out: dict[tuple, Draft] = {}
    civilian_words = civilian_target(sent, state.lex.civilian_targets)
    for fig in figs:
        attribution = state.finder.for_token(sent.doc[fig.token], sent)
        group = "military" if fig.victims == "military" else "civilian"
        where = _tally_place(fig, figs, found)
        side = fig.victim_side or _sentence_victim_side(sent, state, fig)
        if side is None and where is not None and where.country and where.precision == "country":
            side = state.knowledge.side_of(where.country) or where.country   # "10,000 civilians ... in Ukraine"
        civilian_words = civilian_words or (side is not None and fig.victim_side is None)
        if side is None and not attribution.outlet_voice and group == "civilian" and state.conflict:
            own = state.knowledge.side_of(attribution.mention)   # a party counts its own civilians
            side = own if state.conflict.camp_of(own) is not None and own != "XX" else None
        key = (attribution.mention.lower(), group, side, where.text if where is not None else None)
        draft = out.get(key)
        if draft is None:
            civilians = group == "civilian" and (fig.victims == "civilian" or civilian_words) and (
                fig.victims != "people" or side is not None)
            draft = Draft(kind="tally", sent=sent, attribution=attribution, token=fig.token, date=date,
                          date_start=start, headline=headline, civilians=civilians, confidence=0.55,
                          place=where)
            if group == "civilian" and state.conflict and side:
                side = state.conflict.civilian_side.get(side, side)
            draft.actor2 = ("Civilians" if civilians else None, side)
            out[key] = draft
        if all(f.what != fig.what for f in draft.figures):
            draft.figures.append(fig)
    return list(out.values())


def _tally_place(fig: Figure, figs: list[Figure], found: SentenceFindings) -> PlaceMention | None:
    """The place a count is of, named after it and before the next count: "more than 10,000 civilians
    have been killed in Ukraine and nearly 60 people inside Russia", "16 martyrs in Hodeidah Governorate in
    Yemen" (the finest named there); "16 killed and 35 wounded in raids on the Hodeidah Governorate"."""
    # (a later count ends it, an act's too, but not the other kind's count joined to it: "16 killed and 35
    # wounded in X" are both X's)
    later = [f.token for f in (*figs, *found.figures) if f.token > fig.token and not (
        f.what != fig.what and 0 < f.amount.start - fig.word <= 3)]
    until = min(later, default=fig.token + 10_000)
    after = sorted((p for p in found.places if not p.subject and p.place is not None and fig.token < p.start < until),
                   key=lambda p: p.start)
    # the first place named after it, with those that locate it ("in Hodeidah Governorate in western Yemen");
    # not every place further on ("... in raids on the Hodeidah Governorate, including the capital, Sanaa")
    run = after[:1]
    for p in after[1:]:
        if p.start - run[-1].end > 4:
            break
        run.append(p)
    return finest(run)[0] if run else None


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
    text = text_of(sent).lower()
    m = re.search(r"\bsince\b", text)
    if m:
        after = [d for d in dates if d.start > m.start()]
        if after and after[0].start - m.end() < 12:
            return after[0].date
    if state.conflict is not None:
        return state.conflict.start
    return None
