"""Whether a trigger names an act that happened, and what kind: a comparison ("the deadliest attack since"), a
running toll's act, a call or plan, acts in general, the agent of a casualty figure, demonstrators fighting.
Each check reads the parse around one trigger token; `build` decides with them."""
from __future__ import annotations

import functools
import re

from warledger.extract.draft import DocState, Draft
from warledger.extract.nlp import forms_of

SAYING = forms_of(("say", "claim", "insist", "maintain"))


@functools.lru_cache(maxsize=8)
def _any_of(words: tuple[str, ...]) -> re.Pattern:
    """One pattern for a data list of words and phrases (built once per list, not per sentence)."""
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b")


def protesters_fight(d: Draft, state: DocState) -> bool:
    """"protesters clashed with police", "a fierce clash between police and protesters", "protesters entered
    the Senate chamber": demonstrators as a side of a battle make it a violent demonstration."""
    words = state.lex.protester_words
    named = (d.actor1[0] or "").lower().split()
    if named and named[-1] in words:
        return True
    tok = d.sent.doc[d.token]
    subjects = [c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass")] if tok.dep_ != "ROOT" else []
    near = [*tok.subtree, *(t for s in subjects for t in s.subtree),
            *(t for c in tok.children if c.dep_ == "nsubj" for t in c.subtree)]
    return any(t.lower_ in words for t in near)


def causes_figure(token, figures) -> bool:
    """"clashes left dozens dead", "fighting killed 12": an act that is the agent of a casualty figure happened,
    even where the text names no place for it ("12 were killed in the fighting" is often a running total)."""
    for f in figures:
        if f.tally:
            continue
        word = token.doc[f.word]
        verbs = {word.i, word.head.i}
        if token.dep_ == "nsubj" and token.head.i in verbs:
            return True
    return False


def compared(token) -> bool:
    """"It is the second Russian attack ... this month", "the deadliest attack since 2022": an act named to rank
    it among others is a comparison, not a report (the act it ranks is told in its own words)."""
    if token.pos_ != "NOUN":
        return False
    ranked = [c for c in token.children if c.dep_ == "amod" and (
        c.tag_ == "JJS" or c.ent_type_ == "ORDINAL" and c.lower_ not in ("first", "1st"))]
    if not ranked:
        return False
    after = {t.lower_ for t in token.doc[token.i + 1:min(token.i + 7, token.sent.end)]}
    return token.dep_ == "attr" or bool(after & {"since", "this", "in", "of"})


def inside_toll(token) -> bool:
    """"the toll of Armenian bombing raids": the act is what a running total counts, not a new event. The toll
    of one act ("the death toll from Saturday's attack has risen to 24", "the toll from the strike") is that
    act's own figure."""
    if _one_act(token):
        return False
    node = token
    for _ in range(6):
        if node.lower_ in ("toll", "tally", "number", "total") and node.i != token.i:
            # ("a total of 13 strikes ... including six on Sanaa": a count of the acts told, not a toll)
            return not (node.lower_ == "total" and any(c.lower_ == "a" for c in node.children)
                        and any(c.dep_ == "nummod" for c in token.children))
        if node.head.i == node.i:
            return False
        node = node.head
    return False


SHELLING, AIR = "Shelling/artillery/missile attack", "Air/drone strike"


def from_the_air(d: Draft, state: DocState) -> bool:
    """A strike by a side whose pack says its strikes come from the air (`strikes_from: air`), coded as
    shelling or missiles only for want of a better word: its sentence names no ground weapon."""
    conflict = state.conflict
    if d.kind != "event" or d.sub != SHELLING or conflict is None or d.actor1[1] not in conflict.air_strikers:
        return False
    text = " ".join(t.lower_ for t in d.sent)
    return not state.lex.ground_weapons or _any_of(state.lex.ground_weapons).search(text) is None


def held(token) -> bool:
    """"areas controlled by the group", "the Houthi-held port": who holds a place, no taking of it."""
    return token.tag_ == "VBN" and token.dep_ in ("acl", "amod") and \
        token.lower_.split("-")[-1] in ("controlled", "held", "occupied", "run")


def describes_people(token) -> bool:
    """"those who launched missiles", "anyone who attacks civilians": an act that only says who people are."""
    return token.pos_ == "VERB" and token.dep_ in ("relcl", "acl") and \
        token.head.lower_ in ("those", "anyone", "anybody", "whoever", "everyone", "all")


def _one_act(token) -> bool:
    """A single act named as such: a singular noun that a day owns ("Saturday's attack") or "the", "this" or
    "that" picks out ("the strike")."""
    if token.dep_ == "compound":   # "Saturday's rocket attack": the act is the noun "rocket" modifies
        token = token.head
    if token.tag_ != "NN":
        return False
    return any(c.dep_ == "poss" and c.ent_type_ in ("DATE", "TIME") or
               c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in token.children)


def irrealis(token, state: DocState) -> bool:
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


def habitual(token, words: tuple[str, ...] = ()) -> bool:
    """"Damascus says strikes in the province target armed groups": acts in general, told in the present, are
    no report of one that happened; nor are acts told as a pattern ("has suffered shelling and drone attacks
    all year": `habitual_words`)."""
    noun = token.head if token.dep_ in ("compound", "amod", "conj") and token.head.tag_ == "NNS" else token
    if noun.tag_ == "NNS" and words and noun.head.i != noun.i:
        if _any_of(words).search(" ".join(t.lower_ for t in noun.head.subtree)):
            return True
    if token.tag_ == "NNS" and token.dep_ == "dobj" and token.head.tag_ in ("VBP", "VBZ") and \
            token.head.lower_ in SAYING and not any(c.dep_ in ("det", "nummod", "poss") for c in token.children):
        return True   # "Damascus says strikes in the province target armed groups", parsed as what is said
    if token.tag_ != "NNS" or token.dep_ != "nsubj":
        return False
    verb = token.head
    return verb.tag_ in ("VBP", "VBZ") and not any(c.dep_ == "aux" for c in verb.children) and \
        not any(t.like_num for t in verb.subtree)   # "strikes leave two dead": a headline's present


def takes_no_ground(token, places, state: DocState) -> bool:
    """"entered into a deadlock", "seized the initiative", "captured 20 soldiers": a taking whose object is a
    common noun that names no ground (`territory_objects`) and no place the sentence names."""
    objects = [c for c in token.children if c.dep_ == "dobj"] + [
        g for c in token.children if c.dep_ == "prep" and c.lower_ == "into" for g in c.children if g.dep_ == "pobj"]
    if not objects:
        return False
    obj = objects[0]
    if obj.pos_ not in ("NOUN", "PRON") or any(p.start <= obj.i < p.end for p in places):
        return False
    return obj.lower_ not in state.lex.territory_objects and obj.lemma_.lower() not in state.lex.territory_objects
