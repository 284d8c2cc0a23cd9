"""Finding materiel lost in a sentence: type, count, outcome and whose it was ("destroyed 10 tanks", "two drones
were shot down", "a missile struck a residential building"). Finding only: the report builder attaches them."""
from __future__ import annotations

import functools

from spacy.tokens import Span, Token

from warledger.extract.findings import AIR_DEFENCE, Knowledge, MaterielMention, text_of
from warledger.extract.lexicon import Lexicon
from warledger.extract.nlp import word_forms
from warledger.extract.numbers import figure_rules
from warledger.models import Materiel


# -- materiel ----------------------------------------------------------------------------------
def find_materiel(sent: Span, lex: Lexicon, knowledge: Knowledge) -> list[MaterielMention]:
    """Materiel lost: type, count, outcome and (where the text says) whose it was."""
    doc = sent.doc
    out: list[MaterielMention] = []
    types = lex.materiel_types
    i = sent.start
    last_type = None
    first_words = _materiel_first_words(lex)
    while i < sent.end:
        tok = doc[i]
        mtype, width = None, 1
        if tok.lower_ not in first_words and tok.lower_ != "others":
            i += 1
            continue
        for n in (3, 2, 1):
            words = [t.lower_ for t in doc[i:i + n]] if i + n <= sent.end else None
            if not words:
                continue
            key = " ".join(words)
            for cand in (key, key[:-1] if key.endswith("s") else None, key[:-2] if key.endswith("es") else None,
                         key[:-3] + "y" if key.endswith("ies") else None):
                if cand and cand in types:
                    mtype, width = types[cand], n
                    break
            if mtype:
                break
        if mtype is None and tok.lower_ == "others" and last_type:
            mtype = last_type
        if mtype is None or (tok.lower_ in ("march", "marchers", "marcher") and not _after_outcome(doc, i, lex)):
            i += 1
            continue
        head = doc[i + width - 1]
        if head.dep_ == "nsubj":   # "its air defenses intercepted": the subject did it, it was not lost
            i += width
            continue
        outcome = _outcome(doc, i, i + width, sent, lex)
        for joined in (c for c in head.children if c.dep_ == "conj" and outcome is None):
            outcome = _outcome(doc, joined.i, joined.i + 1, sent, lex)   # "missiles and drones ... downed"
        if outcome is None and mtype == "building":
            outcome = _struck(doc, i, sent, lex)
        if outcome is None:
            i += width
            continue
        if mtype in lex.airborne and outcome != "shot_down" and _instrument(head) and \
                not _after_outcome(doc, i, lex, shoot_only=True):
            i += width   # "struck by two ballistic missiles", "hit the centre with two missiles": the means
            continue
        if mtype in lex.airborne and outcome == "destroyed" and (
                _after_outcome(doc, i, lex, shoot_only=True) or AIR_DEFENCE.search(text_of(sent))):
            outcome = "shot_down"   # drones "destroyed" by the air force or air defences were shot down
        count = _partitive_count(head)
        count = _count(doc, i, head, sent) if count is None else count
        side_text = _owner_text(doc, i, i + width, sent)
        side = knowledge.side_of(side_text) if side_text else None
        out.append(MaterielMention(Materiel(type=mtype, count=count, outcome=outcome, side=side), i, side_text))
        last_type = mtype
        i += width
    return _merge_same(_mixed(out, doc))


def _instrument(head: Token) -> bool:
    """A missile or drone an act was done with, not one lost: the object of "with", "using" or a passive's
    "by", or of "launched" and "fired"."""
    if head.dep_ == "conj":
        head = head.head
    if head.dep_ == "pobj":
        return head.head.lower_ in ("with", "using") or head.head.dep_ == "agent"
    return head.dep_ == "dobj" and head.head.lower_ in ("launched", "fired", "launching", "firing", "used", "using")


def _partitive_count(head: Token) -> int | None:
    """"Of the 158 missiles and drones launched, air defence downed 114": the count is the verb's own figure."""
    if head.dep_ == "conj":
        head = head.head
    prep = head.head
    if head.dep_ != "pobj" or prep.lower_ != "of" or prep.head.pos_ != "VERB":
        return None
    figures = [c for c in prep.head.children if c.dep_ in ("dobj", "npadvmod") and c.like_num]
    text = figures[0].text.replace(",", "") if figures else ""
    return int(text) if text.isdigit() else None


def _mixed(items: list[MaterielMention], doc) -> list[MaterielMention]:
    """"114 of 158 missiles and drones were downed": kinds joined under one count are one item of mixed
    kind (`other`); without a count each kind stays its own item."""
    out: list[MaterielMention] = []
    for m in items:
        prev = out[-1] if out else None
        joined = prev is not None and prev.item.count is not None and prev.item.type != m.item.type and \
            prev.item.outcome == m.item.outcome and m.token - prev.token <= 3 and \
            doc[m.token - 1].lower_ in ("and", "or") and m.item.count in (None, prev.item.count)
        if joined:
            prev.item = prev.item.model_copy(update={"type": "other", "side": prev.item.side or m.item.side})
            continue
        out.append(m)
    return out


_FIRST_WORDS: dict[int, set[str]] = {}


def _materiel_first_words(lex: Lexicon) -> set[str]:
    """First words of materiel names, in their plural forms too (a quick filter before the full match)."""
    key = id(lex)
    if key not in _FIRST_WORDS:
        words = set()
        for name in lex.materiel_types:
            first = name.split()[0]
            words.update({first, first + "s", first + "es", first[:-1] + "ies" if first.endswith("y") else first})
        _FIRST_WORDS[key] = words
    return _FIRST_WORDS[key]


def _after_outcome(doc, i: int, lex: Lexicon, shoot_only: bool = False) -> bool:
    window = " ".join(t.lower_ for t in doc[max(0, i - 4):i])
    keys = ["shot down", "shooting down", "down", "drop", "dropped", "drops", "intercept"]
    if not shoot_only:
        keys += ["destroy", "destroyed", "the"]
    return any(k in window.split() or k in window for k in keys)


@functools.lru_cache(maxsize=4)
def _outcome_forms(items: tuple) -> dict[str, str]:
    outcomes = {}
    for key, value in items:
        first, _, rest = key.partition(" ")
        for form in word_forms(first):
            outcomes[f"{form} {rest}".strip()] = value   # "shoot down" -> "shot down", "shooting down"
    return outcomes


def _outcome(doc, start: int, end: int, sent: Span, lex: Lexicon) -> str | None:
    outcomes = _outcome_forms(tuple(lex.outcomes.items()))
    # before the noun: "destroyed 10 tanks", "the destruction of 10 tanks", "shooting down of an Armenian drone"
    for j in range(start - 1, max(sent.start, start - 9) - 1, -1):
        low = doc[j].lower_
        pair = f"{low} {doc[j + 1].lower_}" if j + 1 < len(doc) else low
        if pair in outcomes:
            return outcomes[pair]
        if low in outcomes:
            return outcomes[low]
        if low in (";",) or (low == "," and j < start - 6):
            break
    # after: "two drones ... were shot down", "vehicles were heavily damaged"
    for j in range(end, min(sent.end, end + 10)):
        low = doc[j].lower_
        pair = f"{low} {doc[j + 1].lower_}" if j + 1 < len(doc) else low
        if pair in outcomes:
            return outcomes[pair]
        if low in outcomes and doc[j].tag_ in ("VBN", "VBD"):
            return outcomes[low]
        if low in (";", "while"):
            break
    return None


def _struck(doc, start: int, sent: Span, lex: Lexicon) -> str | None:
    """"a missile struck a residential building", "bombed a pharmaceutical factory": the building an act hit."""
    forms = _outcome_forms(tuple(lex.building_outcomes.items()))
    for j in range(start - 1, max(sent.start, start - 5) - 1, -1):
        if doc[j].lower_ in forms and doc[j].pos_ == "VERB":
            return forms[doc[j].lower_]
        if doc[j].is_punct:
            break
    return None


def _count(doc, start: int, head: Token, sent: Span) -> int | None:
    rules = figure_rules()
    for j in range(start - 1, max(sent.start, start - 5) - 1, -1):
        low = doc[j].lower_.replace(",", "")
        if low.isdigit():
            # "shot down 21 of 33 missiles": the count is the first figure
            if j - 2 >= sent.start and doc[j - 1].lower_ == "of" and doc[j - 2].like_num:
                return _count(doc, j - 1, head, sent)
            return int(low)
        if low in rules["numbers"]:
            return rules["numbers"][low]
        if low in rules["vague"]:
            return rules["vague"][low][0]
        if low in ("of",) and j > sent.start and doc[j - 1].lower_ in ("number", "quantities", "lot"):
            return None
        if low in ("the", "this", "that", "its") and head.tag_ != "NNS":
            return 1
        if doc[j].pos_ in ("VERB", "ADP") and low not in ("of",):
            break
    return None if head.tag_ == "NNS" or head.lower_.endswith("s") else 1


def _owner_text(doc, start: int, end: int, sent: Span) -> str | None:
    for j in range(start - 1, max(sent.start, start - 4) - 1, -1):
        t = doc[j]
        if t.ent_type_ == "NORP" or (t.is_title and t.pos_ in ("ADJ", "PROPN")):
            return t.text
        if t.pos_ in ("VERB", "ADP"):
            break
    tail = doc[end:min(sent.end, end + 8)]
    words = [t.lower_ for t in tail]
    for marker in ("belonging", "of"):
        if marker in words[:3]:
            k = words.index(marker)
            for t in tail[k + 1:]:
                if t.is_title:
                    return t.text
            break
    return None


def _merge_same(items: list[MaterielMention]) -> list[MaterielMention]:
    out: list[MaterielMention] = []
    for m in items:
        same = next((o for o in out if o.item.type == m.item.type and o.item.outcome == m.item.outcome
                     and o.item.side == m.item.side and m.token - o.token <= 4), None)
        if same is not None:
            if m.token - same.token <= 1:      # "Su-25 warplane": one noun phrase, one item
                continue
            if same.item.count is not None and m.item.count is not None:
                same.item.count += m.item.count
            else:
                same.item.count = None
            continue
        out.append(m)
    return out
