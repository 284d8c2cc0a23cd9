"""Finding casualty figures in a sentence: killed and wounded, their qualifiers, whose they were, and whether
a figure is a running total (a tally) rather than one act's toll. Finding only: the report builder attaches them."""
from __future__ import annotations

import functools
import re

from spacy.tokens import Span, Token

from warledger.extract.findings import Figure, Knowledge, text_of
from warledger.extract.numbers import Amount, amounts, figure_rules


# -- figures -----------------------------------------------------------------------------------
def find_figures(sent: Span, knowledge: Knowledge, taken: set[int]) -> list[Figure]:
    """Killed and wounded figures with their qualifiers, victims and whether they are a running total."""
    rules = figure_rules()
    killed = set(rules["killed_words"])
    wounded = set(rules["wounded_words"])
    if not any(t.lower_ in killed or t.lower_ in wounded for t in sent):
        return []
    civilians = set(rules["victims"]["civilian"])
    military = set(rules["victims"]["military"])
    nums = [a for a in amounts(sent, taken) if a.value is not None or a.qualifier is None]
    doc = sent.doc
    out: list[Figure] = []
    used: set[int] = set()
    for tok in sent:
        what = "killed" if tok.lower_ in killed else "wounded" if tok.lower_ in wounded else None
        if what is None or _among(tok):
            continue
        amount = _amount_for(tok, nums, used, sent) or _one_victim(tok, sent, rules)
        if amount is None or _joint_count(amount, doc, killed, wounded):
            continue
        used.add(amount.head)
        group = [amount] + _coordinated(amount, nums, used, doc)
        for a in group:
            used.add(a.head)
            victims, side = _victims(doc, a, tok, civilians, military, knowledge, sent)
            out.append(Figure(what, a, victims, side, a.head, tok.i))
    elliptical = _elliptical(out, nums, used, sent)
    out += [fig for fig, _lead in elliptical]
    # "60 dead and 270 injured", "18 killed and 90 wounded": a bare number before a casualty word
    for fig in out:
        fig.tally = _is_tally_figure(doc, fig, sent)
    for fig, lead in elliptical:   # "10,000 killed in Ukraine and nearly 60 inside Russia": one count
        fig.tally = fig.tally or lead.tally
    # "put the death toll at 57, with 32 killed in El-Fasher and 25 in Zamzam": a toll told with its parts
    # sums several acts
    toll = set(figure_rules()["toll_words"])
    for fig in out:
        parts = [f for f in out if f is not fig and f.what == fig.what and f.amount.start > fig.amount.start]
        lead = {t.lower_ for t in doc[max(sent.start, fig.amount.start - 4):fig.amount.start] if not t.like_num}
        if any(t.like_num for t in doc[max(sent.start, fig.amount.start - 4):fig.amount.start]):
            continue   # a toll word before another number governs that one
        if len(parts) >= 1 and lead & toll and sum(p.amount.value or 0 for p in parts) <= (fig.amount.value or 0):
            fig.tally = True
    # a qualifier governs a coordinated figure: "At least 18 civilians have been killed and 90 wounded"
    for a, b in zip(out, out[1:]):
        if a.amount.qualifier == "at_least" and b.amount.qualifier == "exact" and b.amount.start > a.amount.end \
                and "and" in [t.lower_ for t in doc[a.amount.end:b.amount.start]] \
                and b.amount.start - a.amount.end <= 8 and a.what != b.what and b.word > b.amount.head:
            b.amount.qualifier = "at_least"
    return out


def _joint_count(amount: Amount, doc, killed: set[str], wounded: set[str]) -> bool:
    """"the death toll has risen to more than 44 martyrs and wounded", "55 dead and injured": one number for
    both, neither's figure."""
    after = [t.lower_ for t in doc[amount.end:amount.end + 3]]
    return len(after) == 3 and after[1] == "and" and (
        after[0] in killed and after[2] in wounded or after[0] in wounded and after[2] in killed)


def _among(tok: Token) -> bool:
    """"among the dead were nine aid workers": a part of a toll told elsewhere, no toll of its own."""
    return tok.i >= 2 and tok.doc[tok.i - 1].lower_ == "the" and tok.doc[tok.i - 2].lower_ == "among"


def _one_victim(tok: Token, sent: Span, rules: dict) -> Amount | None:
    """"A man died", "killing a child", "a 9-year-old was killed": one person, counted as one."""
    singular = set(rules.get("singular_victims", ()))
    heads = [tok] if tok.pos_ in ("VERB", "AUX") else [tok.head] if tok.head.pos_ in ("VERB", "AUX") else []
    for verb in heads:
        for c in verb.children:
            if c.dep_ not in ("nsubj", "nsubjpass", "dobj") or not (c.tag_ == "NN" or c.lower_ == "old"):
                continue   # ("a 9-year-old was killed": the tagger calls "old" an adjective)
            word = c.lower_.split("-")[-1]
            det = [d for d in c.children if d.dep_ == "det" and d.lower_ in ("a", "an")]
            if det and (word in singular or c.lower_ in singular):
                return Amount(1, "exact", det[0].i, det[0].i + 1, det[0].i)
    return None


def _elliptical(figures: list[Figure], nums: list[Amount], used: set[int], sent: Span) -> list[tuple[Figure, Figure]]:
    """"32 civilians killed in El-Fasher and 25 in Zamzam", "10,000 civilians killed in Ukraine and nearly 60
    people inside Russia": a number after "and" (with its victims or none), placed by "in", counts what the
    figure before it counts. Each comes paired with the figure it follows."""
    doc = sent.doc
    out = []
    placing = ("in", "at", "from", "inside")
    for a in nums:
        if a.head in used or a.start < 1 or a.end >= sent.end:
            continue
        prev, nxt = doc[a.start - 1].lower_, doc[a.end].lower_
        if a.end + 1 < sent.end and doc[a.head].dep_ == "nummod" and doc[a.head].head.i == a.end:
            nxt = doc[a.end + 1].lower_   # "60 people inside Russia": the victims, then the place
        before = [f for f in figures if f.word < a.start and a.start - f.word <= 12]
        if prev in ("and", ",") and nxt in placing and before:
            f = before[-1]
            used.add(a.head)
            out.append((Figure(f.what, a, f.victims, f.victim_side, a.head, a.head), f))
    return out


def _coordinated(amount: Amount, nums: list[Amount], used: set[int], doc) -> list[Amount]:
    """"710 Armenian soldiers and 36 civilians were killed": figures joined by "and" share the verb."""
    out = []
    for other in nums:
        if other.head in used or other.head == amount.head or other.end > amount.start:
            continue
        between = [t.lower_ for t in doc[other.end:amount.start]]
        if 0 < len(between) <= 4 and between[-1] == "and" and not any(t.like_num for t in doc[other.end:amount.start]):
            out.append(other)
    return out


def _amount_for(tok: Token, nums: list[Amount], used: set[int], sent: Span) -> Amount | None:
    doc = sent.doc
    free = [a for a in nums if a.head not in used]
    passive_or_adj = tok.tag_ in ("VBN", "JJ") and not any(c.dep_ == "dobj" for c in tok.children) or \
        tok.lower_ in ("dead", "died", "die", "dies", "perished", "injured", "hurt", "casualties") or \
        tok.tag_ in ("NNS", "NN")
    after = [a for a in free if 0 < a.start - tok.i <= 4 and not _clause_break(doc, tok.i, a.start)]
    before = [a for a in free if 0 < tok.i - a.end + 1 <= 7 and not _clause_break(doc, a.end, tok.i)]
    # "at least two civilians, including one child, were killed": the part named inside is not the count
    if before and all(_part(a, doc) for a in before):
        wider = [a for a in free if 0 < tok.i - a.end + 1 <= 12 and not _part(a, doc)
                 and not _clause_break(doc, a.end, tok.i, hard=True)]
        before = wider[-1:] or before
    if tok.tag_ in ("NN", "NNS"):   # "the toll ... to 60", "deaths rose to 31"
        counted = [a for a in before if a.end == tok.i or a.end == tok.i - 1 and doc[a.end].pos_ == "ADJ"]
        if counted:
            return counted[-1]   # "two martyrs and 10 wounded", "16 Yemeni martyrs": the number that counts them
    if tok.tag_ in ("NN", "NNS") or not before and not after:
        reached = _toll_reached(tok, free)
        if reached is not None:
            return reached
    if tok.tag_ in ("NN", "NNS"):
        after = [a for a in free if 0 < a.start - tok.i <= 14 and not _clause_break(doc, tok.i, a.start, hard=True)]
    if tok.lower_ in ("died", "die", "dies", "perished") and tok.dep_ != "relcl":   # "the number who died rose to 31"
        return before[-1] if before else None   # "a man died and four others were hurt": the four are not dead
    if passive_or_adj and tok.tag_ not in ("NN", "NNS"):
        # "Five people including a medical officer have been shot dead": the number of the verb's subject
        verb = tok if tok.pos_ in ("VERB", "AUX") else tok.head
        subjects = {c.i for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")}
        counting = [a for a in free if a.head < tok.i and doc[a.head].head.i in subjects]
        if counting and not before:
            return counting[-1]
        return before[-1] if before else (after[0] if after else None)
    return after[0] if after else (before[-1] if before else None)


def _part(amount: Amount, doc) -> bool:
    return amount.start > 0 and doc[amount.start - 1].lower_ == "including"


def _toll_reached(tok: Token, free: list[Amount]) -> Amount | None:
    """"the death toll from Saturday's attack on the city had risen to 24", "the number of people wounded during
    shelling has increased to 23": the number the toll's verb reaches, however long the toll's own phrase (read
    from the parse, not from the distance)."""
    toll = tok
    for _ in range(4):   # "the death toll", "the number of people wounded during shelling"
        if toll.lower_ in ("toll", "tally", "number", "total") or toll.head.i == toll.i:
            break
        toll = toll.head
    if toll.lower_ not in ("toll", "tally", "number", "total") or toll.dep_ not in ("nsubj", "nsubjpass"):
        return None
    verb = toll.head
    ends = {c.i for c in verb.children if c.dep_ == "dobj"}
    ends |= {g.i for c in verb.children if c.dep_ == "prep" and c.lower_ in ("to", "at") for g in c.children
             if g.dep_ == "pobj"}
    ends |= {n.i for e in list(ends) for n in tok.doc[e].children if n.dep_ == "nummod"}   # "to 23 people"
    return next((a for a in free if a.head in ends), None)


def _clause_break(doc, start: int, end: int, hard: bool = False) -> bool:
    words = {t.lower_ for t in doc[start:end]}
    if words & {";", "while", "whereas", "but", "although"}:
        return True
    if hard:
        return False
    return ("," in words and "and" in words) or bool(words & {"and"}) and end - start > 5


def _victims(doc, amount: Amount, tok: Token, civilians, military, knowledge, sent) -> tuple[str, str | None]:
    window = doc[max(sent.start, amount.start - 3):min(sent.end, amount.end + 6)]
    victims, side = "unknown", None
    # the noun right after the figure says who first: "36 civilians", "710 Armenian soldiers"
    after = [t for t in doc[amount.end:min(sent.end, amount.end + 3)] if t.pos_ in ("NOUN", "PROPN", "ADJ")]
    window = [*after, *window]
    for t in window:
        if t.lower_ in military:
            victims = "military"
            break
        if t.lower_ in civilians:
            victims = "civilian" if t.lower_ not in ("others", "other", "people", "persons") else "people"
            break
    # whose they were: an adjective on the counted noun ("36 Azerbaijani civilians") or in its "of" phrase
    # ("150 members of the Azerbaijani army"); not any nationality nearby ("in Russian shelling")
    noun = next((t for t in doc[amount.end:min(sent.end, amount.end + 3)] if t.pos_ == "NOUN"), None)
    if noun is None and amount.head < len(doc) and doc[amount.head].head.pos_ == "NOUN":
        noun = doc[amount.head].head
    if noun is not None:
        near = [t for t in doc[amount.end:noun.i]] + [c for c in noun.children if c.dep_ in ("amod", "compound")]
        near += [t for c in noun.children if c.dep_ == "prep" and c.lower_ == "of" for t in c.subtree]
        for t in near:
            if t.ent_type_ == "NORP" or (t.is_title and t.pos_ in ("ADJ", "PROPN")):
                side = knowledge.side_of(t.text)
                if side:
                    break
    return victims, side


def _is_tally_figure(doc, fig: Figure, sent: Span) -> bool:
    toll = set(figure_rules()["toll_words"])
    if fig.amount.value is not None and fig.amount.value >= figure_rules()["tally_at_least"]:
        return True   # "more than 10,000 civilians have been killed": no one act kills thousands
    words = [t.lower_ for t in sent]
    text = text_of(sent).lower()
    start = fig.amount.start
    lead = [t.lower_ for t in doc[max(sent.start, start - 12):start]]
    if any(w in ("toll", "tally") for w in lead) or "toll" in words and "to" in lead[-3:] or \
            "toll" in words and any(w in toll for w in lead):
        return _counts_many(text, fig)   # "the death toll from the strike rose to 35": the strike's figure
    if "number" in lead and any(w in lead for w in ("increased", "risen", "rose", "reached", "climbed")):
        return True
    following = [t.lower_ for t in doc[start:min(sent.end, start + 16)]]
    if "since" in following and not {"while", "whereas", ";", "but"} & set(following[:following.index("since")]):
        return True
    if any(p in text for p in ("since the start", "since the beginning")):
        return True
    if _over_a_province(text_of(sent)):
        return True
    if _period_pattern(tuple(figure_rules()["period_spans"])).search(text):
        return True   # "over the past two days": a count over a stretch of time
    # "so far, there are more than 93 martyrs": one strike's rising toll, unless it counts many acts or a period
    return any(p in text for p in ("so far", "to date", "in total")) and names_period(text)


def _over_a_province(text: str) -> bool:
    """"in US-UK raids on the Hodeidah Governorate", "as a result of the airstrikes on the governorate"."""
    return _province_pattern(tuple(figure_rules()["plural_acts"]), tuple(figure_rules()["region_words"])).search(
        text) is not None


@functools.lru_cache(maxsize=4)
def _province_pattern(acts: tuple[str, ...], regions: tuple[str, ...]) -> re.Pattern:
    act = "|".join(re.escape(a) for a in sorted(acts, key=len, reverse=True))
    region = "|".join(re.escape(r) for r in regions)
    return re.compile(rf"\b(?:{act})\s+(?:on|against|across|in|throughout)\s+(?:the\s+)?"
                      rf"(?:[A-Z][\w'’-]*\s+){{0,3}}(?:{region})\b", re.I)


def _counts_many(text: str, fig: Figure) -> bool:
    """Whether a toll counts over a period or over many acts (a tally), not one act's dead."""
    rules = figure_rules()
    if fig.amount.value is not None and fig.amount.value >= rules["tally_at_least"]:
        return True
    return names_period(text)


def names_period(text: str) -> bool:
    """Whether a sentence counts over a period or many acts ("since", "over the past week", "the fighting")."""
    return _period_pattern(tuple(figure_rules()["period_words"])).search(text) is not None


@functools.lru_cache(maxsize=4)
def _period_pattern(words: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b", re.I)
