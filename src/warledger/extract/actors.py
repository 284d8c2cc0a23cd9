"""Who acted and who was acted on: sides from the text first, then the claimant, then the war's other camp."""
from __future__ import annotations

from warledger.countries import country_name, country_record
from warledger.extract.draft import DocState, Draft, clause_head
from warledger.extract.findings import PlaceMention, first_side
from warledger.extract.numbers import figure_rules
from warledger.geo import haversine_km


def assign_actors(d: Draft, state: DocState) -> None:
    """actor1 acted, actor2 was acted on: from the text first (agents, adjectives, subjects, objects), then
    from the claimant ("its forces"), then from the other camp of the war."""
    kn, doc = state.knowledge, d.sent.doc
    claimant = kn.claimant(d.attribution.mention) if not d.attribution.outlet_voice else None
    # a party's own voice tells its side; an activist, outlet or unknown voice ("XX") tells none
    claimant_side = claimant.side if claimant and claimant.kind in ("military", "government", "official") \
        and (claimant.side != "XX" or claimant.name != claimant.mention) else None
    tok = doc[d.token]
    skip = set(range(d.place.start, d.place.end)) if d.place is not None else set()
    if d.act in ("protest", "arrest") and _protest_actors(d, state):
        return
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
    fighters = _declared_target(d.sent, state) if claimant_side and claimant_side == a1[0] else None
    if fighters is not None and d.kind == "event":
        civilians = False   # the attacker's own word: "said it targeted Hamas militants there"
        a2 = fighters
    if civilians and a2[1] is None:
        a2 = (a2[0], _civilian_side(d, state))
    if a2[1] is None and a1[0] is None and d.act == "strike" and d.kind == "event":
        a2 = (None, _place_side(d, state))   # "shelling killed a man in Stepnohirsk": the town's side was hit
    if a1[0] is None and d.kind == "event" and d.act in ("strike", "civilian_attack", "abduction") and \
            state.last_attacker \
            and state.last_attacker != _place_side(d, state):
        # "16 civilians were killed in the airstrikes on the governorate": the story's attacker, told before
        # (not where the town is its own: who shells Belgorod after Russia struck Kharkiv is the other side; allies
        # are not ruled out, since who holds a town de facto is often not its state: Russia strikes rebel Idlib)
        name, side = state.last_actor
        a1 = (state.last_attacker, name if side == state.last_attacker else None)
    conflict = state.conflict
    if a1[0] is None and d.act in ("clash", "territory", "shootdown") and claimant_side and a2[1] is None:
        # no side named: a party's own report of fighting is about its forces when it says "its/our"
        own = _own_forces(d.sent)
        a1 = (claimant_side if own else (conflict.opponent(claimant_side) if conflict else None), None)
    if a1[0] is None and a2[1] and conflict:
        a1 = (conflict.opponent(a2[1]), None)
    if a2[1] is None and a1[0] and conflict and d.kind != "tally":   # a toll of "people" names no side
        a2 = (None, conflict.opponent(a1[0]))
        country = d.place.country if d.place is not None else None
        if country and conflict.camp_of(country) is not None and conflict.camp_of(country) == \
                conflict.camp_of(a2[1]):
            a2 = (None, country)   # a Houthi strike on a Saudi city hit Saudi Arabia, not Yemen
        elif country and a1[0] == "XX" and not d.context_place and (held := _place_side(d, state)) \
                and conflict.camp_of(held) is None:
            a2 = (None, held)   # an armed group's attack in Zahedan hit Iran, whichever war the story is of
    if d.act == "agreement" and conflict and (a1[0] is None or a2[1] is None or a1[0] == a2[1]):
        a1, a2 = (conflict.camps[0][0], None), (None, conflict.camps[1][0])
    d.actor1 = (a1[1], a1[0])
    _territory_taker(d, state)
    d.actor2 = ("Civilians", a2[1]) if civilians else a2
    for m in d.materiel:
        if m.item.side is None and d.defence:
            m.item.side = a1[0]   # the defenders destroyed the attackers' tanks
        if m.item.side is None:
            m.item.side = a2[1] if d.act in ("shootdown", "clash", "loss") or m.item.type != "building" else (
                _civilian_side(d, state) or a2[1])


TARGET_VERBS = {"targeted", "target", "targeting", "targets", "struck", "hit"}


def _declared_target(sent, state: DocState) -> tuple | None:
    """(name, side) of fighters an attacker says it aimed at ("it targeted Hamas militants operating within a
    command centre"), or None."""
    military = set(figure_rules()["victims"]["military"])
    for verb in sent:
        if verb.lower_ not in TARGET_VERBS or verb.pos_ != "VERB":
            continue
        for obj in (c for c in verb.children if c.dep_ == "dobj"):
            words = [t for t in obj.subtree if t.i <= obj.i]
            if obj.lower_ in military or obj.lower_ in state.lex.non_state_groups:
                side, text = first_side(words, state.knowledge)
                return (text or obj.text, side or "XX")
    return None


def _territory_taker(d: Draft, state: DocState) -> None:
    """ACLED: a state taking a town of its own territory regains it; a non-state group, or a foreign
    state's forces, taking a town "overtakes" it."""
    if d.sub != "Government regains territory":
        return
    if d.actor1[1] is None:
        # no taker named: "the groups seized the town"; states tell of their gains by name ("our forces"), so
        # in a war between a state and armed groups an unnamed taker is a group ("members entering the town")
        armed_groups = state.conflict is not None and any("XX" in camp for camp in state.conflict.camps[:2])
        if d.attribution.outlet_voice or d.defence or armed_groups:
            d.sub = "Non-state actor overtakes territory"
        return
    country = d.place.country if d.place is not None else None
    if d.actor1[1] == "XX" or (country and len(d.actor1[1]) == 2 and d.actor1[1] != country
                               and state.conflict is not None and state.conflict.camp_of(country) is not None
                               and state.conflict.camp_of(country) != state.conflict.camp_of(d.actor1[1])):
        d.sub = "Non-state actor overtakes territory"


def _perpetrator(d: Draft, tok, skip: set[int], claimant_side, state: DocState) -> tuple:
    """(side, text) of who acted as the text tells it: "by the Armenian army", "Armenian shelling",
    "Armenian Armed Forces launched", "its forces shot down" (the claimant's side)."""
    kn, sent = state.knowledge, d.sent
    if d.kind == "tally" and not d.materiel:   # who counts a toll is not who caused it: "the toll of
        # Armenian bombing raids" names who did
        for t in sent:
            if t.lower_ in ACT_NOUNS:
                found = first_side(_left_parts([c for c in t.children if c.dep_ in ("amod", "compound", "nmod")],
                                               set()), kn)
                if found[0]:
                    return found
        return (None, None)
    blamed = [c for t in sent if t.lower_ in ("blaming", "blamed", "blames", "blame") for c in t.children
              if c.dep_ == "dobj"]
    if blamed and d.kind == "event":   # "a rights group said, blaming the RSF": the one blamed acted
        found = first_side(blamed[0].subtree, kn)
        if found[0]:
            return found
    accused = _accused_of(tok)
    if accused is not None:   # "the army, which it accused of targeting civilians": the accused acted
        found = first_side(accused.subtree, kn)
        if found[0]:
            return found
    clause = clause_head(tok)
    agents = [c for c in sent if c.dep_ == "agent" and c.head.i in (clause, tok.i)]
    if agents:
        found = first_side(min(agents, key=lambda c: abs(c.i - tok.i)).subtree, kn)
        if found[0]:
            return found
    when = _when_clause_subject(tok)
    if when is not None:   # "312 students were abducted on Thursday when bandits invaded the school"
        found = first_side(when.subtree, kn)
        if found[0]:
            return found
        if when.lower_ in state.lex.non_state_groups:
            return ("XX", when.text)
    heads = [tok, tok.head] if tok.pos_ != "VERB" else [tok]
    mods = [c for h in heads for c in h.children if c.dep_ in ("amod", "compound", "poss", "nmod") and c.i not in skip]
    mods = _left_parts(mods, skip)
    found = first_side(mods, kn)
    if found[0]:
        return found
    army = next((c for c in mods if c.dep_ == "poss" and c.lower_ in state.lex.state_forces), None)
    if army is not None and (side := _place_side(d, state)):
        return (side, army.text)   # "the army's retaking of Khartoum": the state whose town it is
    between = [c for c in tok.children if c.dep_ == "prep" and c.lower_ == "between"]
    if between and claimant_side and _own_forces(between[0].subtree):
        return (claimant_side, None)   # "fighting between its forces and the army": the claimant's side first
    subj = _acting_subject(tok)
    if subj is not None and claimant_side and _own_forces(subj.subtree):
        return (claimant_side, subj.text)
    if subj is not None and subj.lower_ in ("they", "we", "it") and claimant_side:
        return (claimant_side, d.attribution.mention)   # "the rebels said they had launched drones"
    if subj is not None and subj.lower_ in ("they", "it") and state.last_actor[1]:
        name, side = state.last_actor
        return (side, name)   # "On January 27, they captured Goma": the actor the text last named acting
    if subj is not None:
        if {t.lower_ for t in subj.subtree} & {"its", "our", "his", "their", "her"} and claimant_side:
            return (claimant_side, subj.text)
        # "armed groups in Syria": where they are is not whose they are
        found = first_side([t for t in subj.subtree if not _where_they_are(t, subj)], kn)
        if found[0]:
            return found
        if subj.lower_ in state.lex.non_state_groups:
            return ("XX", subj.text)   # "the rebels", "gunmen", "anti-regime groups": no state behind them
        if subj.lower_ in state.lex.state_forces and all(c.dep_ in ("det", "punct") or c.lower_ in STATE_WORDS
                                                           for c in subj.children):
            side = _place_side(d, state)   # "the army retook the city": the state whose town it is
            if side:
                return (side, subj.text)
    if d.act == "territory":   # "the fall of Bukavu into the hands of the M23"
        hands = [t for t in sent if t.lower_ == "hands" and t.i + 1 < sent.end and sent.doc[t.i + 1].lower_ == "of"]
        if hands:
            found = first_side(list(sent.doc[hands[0].i + 1].subtree), kn)
            if found[0]:
                return found
    if d.act in ("territory", "shootdown") and claimant_side:
        return (claimant_side, None)
    return (None, None)


def _when_clause_subject(tok):
    """The subject of a "when"/"as" clause on a passive act that names no agent (who did it is said there)."""
    if tok.tag_ != "VBN" or not any(c.dep_ == "auxpass" for c in tok.children) or \
            any(c.dep_ == "agent" for c in tok.children):
        return None
    for clause in (c for c in tok.children if c.dep_ == "advcl"):
        if any(m.dep_ in ("mark", "advmod") and m.lower_ in ("when", "as", "after") for m in clause.children):
            return next((c for c in clause.children if c.dep_ == "nsubj"), None)
    return None


def _left_parts(mods: list, skip: set[int]) -> list:
    """Modifiers with their own left parts, in text order ("US-UK raids": "US" hangs on "UK"), so the first
    state named leads, as ACLED names a coalition by it."""
    return sorted({t.i: t for c in mods for t in c.subtree if t.i <= c.i and t.i not in skip}.values(),
                  key=lambda t: t.i)


STATE_WORDS = {"government", "security", "state", "national", "regular", "federal", "riot", "the"}
LOCATED_PREPS = {"in", "near", "from", "across", "inside", "at", "around"}
ACT_NOUNS = {"attacks", "attack", "bombing", "bombings", "shelling", "raids", "strikes", "aggression", "fire",
             "missile", "missiles"}
FORCES = {"forces", "troops", "army", "units", "soldiers", "defenses", "defences", "positions", "military",
          "fighters", "servicemen", "navy", "aircraft", "drones"}


def _place_side(d: Draft, state: DocState) -> str | None:
    """The side whose territory the act's place is in (de facto, for a disputed region)."""
    if d.place is None or not d.place.country:
        return None
    country = d.place.country
    side = country if len(country) == 2 and country.isupper() else state.knowledge.side_of(country)
    return _de_facto_side(d.place.place, side, state) if side and d.place.place is not None else side


def _protest_actors(d: Draft, state: DocState) -> bool:
    """Protesters are of the country they protest in; police act on them (ACLED: actor1 protesters, actor2
    the police that intervened; for arrests the police act). False when the place tells no country."""
    side = _place_side(d, state)
    if side is None:
        return False
    police = (f"Police Forces of {country_name(side)}" if country_record(side) else None, side)
    crowd = ("Rioters" if d.sub in ("Violent demonstration", "Mob violence") else "Protesters", side)
    if d.act == "arrest":
        d.actor1, d.actor2 = police, ("Protesters", side) if _mentions(d.sent, PROTEST_WORDS) else (None, None)
    else:
        d.actor1 = crowd
        d.actor2 = police if d.sub in ("Protest with intervention", "Excessive force against protesters",
                                       "Violent demonstration") else (None, None)
    return True


PROTEST_WORDS = {"protest", "protests", "protesters", "protestors", "demonstrators", "demonstration",
                 "demonstrations", "rally", "marchers", "participants"}


def _mentions(sent, words: set[str]) -> bool:
    return any(t.lower_ in words for t in sent)


def _accused_of(tok):
    """The one accused in "accused X of [act]" (through "which" to what it stands for); None otherwise."""
    prep = tok.head
    if prep.lower_ != "of" or prep.head.lower_ not in ("accused", "accuses", "accusing", "accuse", "blamed",
                                                        "blaming", "blames"):
        return None
    verb = prep.head
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is not None and obj.lower_ in ("which", "who", "that") and verb.dep_ == "relcl":
        obj = verb.head
    return obj


def _where_they_are(token, top) -> bool:
    """Whether `token` sits in a locative phrase of `top` ("groups [in Syria]")."""
    node = token
    while node.i != top.i and node.head.i != node.i:
        if node.dep_ == "prep" and node.lower_ in LOCATED_PREPS:
            return True
        node = node.head
    return False


def _own_forces(tokens) -> bool:
    """"its forces", "their positions", "his country's army": the claimant's own side acting."""
    tokens = list(tokens)
    for t in tokens:
        if t.lower_ in ("its", "our", "their", "his", "her") and t.head.lower_ in FORCES | {"country"}:
            if t.head.lower_ != "country" or t.head.head.lower_ in FORCES:
                return True
    return False


def _de_facto_side(place, side: str, state: DocState) -> str:
    """A town inside a disputed region is held by its de facto side (Stepanakert: NK, not AZ)."""
    disputed = state.conflict.disputed if state.conflict else None
    if not disputed or place.lat is None or place.lon is None:
        return side
    region = state.knowledge.place(disputed["region"], None)
    if region is None or region.lat is None:
        return side
    km = haversine_km(place.lat, place.lon, region.lat, region.lon)
    return disputed["side"] if km <= disputed["radius_km"] else side


def _acting_subject(tok):
    """The subject of the verb an act hangs on, through "continue to attack", "launched an attack"."""
    node = tok
    for _ in range(5):
        if node.pos_ in ("VERB", "AUX"):
            subjects = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")]
            subj = next((c for c in subjects if c.pos_ in ("NOUN", "PROPN", "PRON")), None)
            if subj is not None and subj.dep_ == "nsubj" and subj.i != tok.i and not subj.is_ancestor(tok):
                return subj
            if subj is not None and (subj.i == tok.i or subj.is_ancestor(tok)):
                return None   # "the missile strike on Sumy ... is a war crime": the act is the subject, no actor
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
    if d.place is not None and d.place.country:
        country = d.place.country
        side = country if len(country) == 2 and country.isupper() else state.knowledge.side_of(country)
        if side:
            return _de_facto_side(d.place.place, side, state)
    side = state.conflict.opponent(d.actor1[1]) if state.conflict and d.actor1[1] else None
    front = state.knowledge.place(state.conflict.front, None) if side is None and state.conflict else None
    if front is not None and front.country:   # "the toll rose to 57": civilians where the war is fought
        side = _place_side(Draft(kind=d.kind, sent=d.sent, attribution=d.attribution,
                                 place=PlaceMention(front.name, 0, 0, front)), state)
    return side
