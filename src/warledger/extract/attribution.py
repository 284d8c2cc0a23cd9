"""Who says it: the claimant of a clause, found from the verb of saying that governs it.

A trigger's claimant is the subject of the nearest verb of saying above it in the parse ("the ministry
said that its forces shot down ..."), the source after "according to", the source quoted by a
correspondent ("quoted Azeri military sources as saying"), or, for a sentence with none, the claimant of
an attributed sentence it carries on in the same paragraph; failing all, the outlet itself. Pronouns and
generic heads ("he", "the ministry") take the last named claimant of their kind.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span, Token

from warledger.extract.lexicon import Lexicon
from warledger.extract.nlp import forms_of

_CUT_DEPS = {"relcl", "acl", "advcl", "punct", "cc", "prep"}


@dataclass
class Attribution:
    mention: str            # the claimant as the document wrote it
    start: int              # character offsets of the mention
    end: int
    verb: int | None        # token index of the verb of saying (None: outlet voice or carried on)
    denied: bool = False
    is_person: bool = False
    outlet_voice: bool = False


class AttributionFinder:
    """Finds claimants clause by clause; remembers the last named ones for anaphora (one per document)."""

    def __init__(self, lexicon: Lexicon, outlet: str):
        self.lex = lexicon
        self.outlet = outlet
        self.say = forms_of(tuple(sorted(lexicon.say_verbs)))
        self.weak_say = forms_of(tuple(sorted(lexicon.weak_say_verbs)))
        self.deny = forms_of(tuple(sorted(lexicon.deny_verbs)))
        self.deny_objects = forms_of(tuple(sorted(lexicon.deny_objects)))
        self.quote = forms_of(("cite", "quote"))
        self.agent_nouns = set(lexicon.agent_nouns)
        self.person_anaphora = set(lexicon.anaphora["person"])
        self.org_anaphora = set(lexicon.anaphora["organisation"])
        self.media_words = set(lexicon.anaphora.get("media") or [])
        self.platforms = set(lexicon.platforms)
        self.titles = {w for words in lexicon.person_titles.values() for w in words}
        self.denial = re.compile(r"\b(" + "|".join(re.escape(p) for p in lexicon.denial_phrases) + r")\b", re.I) \
            if lexicon.denial_phrases else None
        self.last_person: Attribution | None = None
        self.last_org: Attribution | None = None
        self.orgs: list[Attribution] = []
        self.previous: Attribution | None = None     # claimant of the previous sentence
        self.previous_paragraph_end = -1

    # -- public --------------------------------------------------------------------------------
    def sentence_default(self, sent: Span) -> Attribution:
        """The claimant of unattributed clauses in `sent`: 'according to X', a carried-on claimant, or the outlet."""
        according = self._according_to(sent)
        if according:
            return according
        if self.previous and not self.previous.outlet_voice and self._continues(sent):
            return Attribution(self.previous.mention, self.previous.start, self.previous.end, None,
                               is_person=self.previous.is_person)
        return Attribution(self.outlet, -1, -1, None, outlet_voice=True)

    def for_token(self, token: Token, sent: Span, include_self: bool = False) -> Attribution:
        """The claimant of the clause holding `token` (with `include_self`, the token's own subject counts)."""
        node = token
        seen = 0
        while seen < 40:
            seen += 1
            if node.lower_ in self.say and node.pos_ in ("VERB", "AUX") and (node.i != token.i or include_self):
                found = self._subject_of(node)
                if found is not None:
                    found.denied = node.lower_ in self.deny and self._denies_event(node, token) or \
                        self.denial_before(token, sent) is not None
                    return found
            if node.head.i == node.i:
                break
            node = node.head
        found = self._trailing_speaker(sent, token) or self._speaker_before_colon(sent, token) or \
            self.sentence_default(sent)
        if self.denial_before(token, sent) is not None and not found.outlet_voice:
            found.denied = True
        return found

    def denial_before(self, token: Token, sent: Span, reach: int = 40) -> re.Match | None:
        """A denial phrase shortly before `token` in its sentence ("no connection to [the attack]")."""
        if self.denial is None:
            return None
        text = sent.text
        offset = token.idx - sent.start_char
        for m in self.denial.finditer(text):
            if m.end() <= offset <= m.end() + reach:
                return m
        return None

    def speaker(self, sent: Span) -> Attribution | None:
        """The named speaker of a sentence with no act in it (so the next sentence can carry it on)."""
        for tok in sent:
            if tok.lower_ in self.say and tok.pos_ in ("VERB", "AUX"):
                found = self._subject_of(tok)
                if found is not None:
                    return found
        return self._according_to(sent)

    def remember(self, sent: Span, used: list[Attribution]) -> None:
        """After a sentence: keep its named claimant for the next one."""
        named = [a for a in used if not a.outlet_voice]
        self.previous = named[-1] if named else None
        self.previous_sent_end = sent.end

    # -- internals -----------------------------------------------------------------------------
    def _continues(self, sent: Span) -> bool:
        """An unattributed sentence carries on the previous one when it sits in the same paragraph."""
        doc = sent.doc
        if sent.start == 0:
            return False
        gap = doc[sent.start - 1].whitespace_ + doc[sent.start - 1].text
        return "\n" not in gap

    def _subject_of(self, verb: Token) -> Attribution | None:
        subj = _nearest_subject(verb)
        if subj is not None and subj.lower_ in ("who", "which", "that") and verb.dep_ == "relcl":
            subj = verb.head   # "local emergency services, who told residents to leave"
        elif subj is None and verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.ent_type_ in ("PERSON", "ORG"):
            subj = verb.head   # "President Donald Trump urging Moscow to end the war"
        if subj is None and verb.dep_ in ("conj", "advcl", "xcomp") and verb.head.i != verb.i \
                and verb.head.lower_ in self.say:
            subj = _nearest_subject(verb.head)
        if subj is None or not self._agentive(subj):
            return None
        if _nobody(subj):
            return None   # "Neither Syria nor Russia commented": no claimant
        if verb.lower_ in self.quote:
            # "the correspondent quoted Azeri military sources as saying": the source quoted is the claimant
            obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
            if obj is not None:
                subj = obj
        return self._mention(subj, verb)

    def _agentive(self, subj: Token) -> bool:
        """Can this subject be a claimant? Names, organisations, officials and pronouns can; "preliminary
        information", "civilians" or "its forces" cannot."""
        low = subj.lower_
        if low in ("he", "she", "it", "they", "we", "i"):
            return True
        tokens = list(subj.subtree)
        if any(t.lower_ in ("its", "their", "our", "his", "her") for t in tokens if t.i < subj.i) and \
                subj.lower_ in ("forces", "troops", "army", "units", "defenses", "defences"):
            return False
        if any(t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or t.pos_ == "PROPN" for t in tokens):
            return True
        return low in self.agent_nouns

    def _mention(self, head: Token, verb: Token | None) -> Attribution:
        named = next((c for c in head.children if c.dep_ == "appos" and c.pos_ == "PROPN" and (
            c.ent_type_ == "PERSON" or head.lower_ in self.titles)), None)
        if named is not None and head.ent_type_ != "PERSON":
            head = named   # "Russia's Ambassador to the United Nations, Vasily Nebenzya, asserted": the person
        tokens = self._span_tokens(head)
        span = head.doc[tokens[0]:tokens[-1] + 1]
        text = span.text.strip(" ,.;:")
        low = text.lower()
        is_person = any(t.ent_type_ == "PERSON" for t in span) or low in ("he", "she")
        if low in ("we", "i") and self.previous is not None and not self.previous.outlet_voice:
            return self._copy(self.previous, verb)   # a quote goes on in the first person
        if low == "they":   # "They also reported ...": the speakers named just before, else the last body named
            before = self.previous if self.previous is not None and not self.previous.outlet_voice else self.last_org
            if before is not None:
                return self._copy(before, verb)
        if head.lower_ in ("source", "sources"):   # "sources from the group", "sources in the ministry"
            of = next((g for c in head.children if c.dep_ == "prep" and c.lower_ in ("from", "in", "within", "close")
                       for g in c.subtree if g.dep_ == "pobj"), None)
            if of is not None and of.lower_ not in ("sources",):
                return self._mention(of, verb)
        if head.lower_ in ("correspondent", "correspondents", "reporter", "reporters") and self._own(low):
            # "the correspondent of the Palestinian News and Information Agency (Wafa)": the outlet's own voice
            return Attribution(self.outlet, -1, -1, None, outlet_voice=True)
        if low in ("he", "she"):
            named = self._nearest_person(head, self.platforms)
            if named is not None:
                return self._mention(named, verb)
        generic = re.fullmatch(r"the(?: [a-z]+)? (ministry|army|office|agency|department|governor|mayor|"
                               r"prosecutor|spokesman|spokeswoman|service|command|staff|coalition|alliance|rebels|militia|group|movement|"
                               r"organization|organisation|outlet|channel|newspaper|broadcaster|website)", low)
        named = [o for o in self.orgs if generic and generic.group(1) in o.mention.lower()]
        if not named and generic and generic.group(1) in self.media_words:
            # "According to the outlet": the medium named last ("The Telegram channel Baza reported")
            named = [o for o in self.orgs if self.media_words & set(re.findall(r"[a-z]+", o.mention.lower()))]
        if named:
            return self._copy(named[-1], verb)   # "the Azerbaijani ministry": the ministry named before
        if generic:   # "the service": the "... Emergency Service" the text named before, as a claimant or not
            earlier = [e for e in head.doc.ents if e.label_ == "ORG" and e.end <= head.i
                       and e[-1].lower_ == generic.group(1) and len(e) > 1]
            if not earlier and generic.group(1) in ("group", "movement", "organization", "organisation"):
                # "the group": the organisation named last before it
                earlier = [e for e in head.doc.ents if e.label_ == "ORG" and e.end <= head.i
                           and e.start >= head.sent.start - 200]
            if earlier:
                e = earlier[-1]
                text = re.sub(r"^the ", "", e.text, flags=re.I)
                return Attribution(text, e.start_char, e.start_char + len(text), verb.i if verb else None)
        if low in self.person_anaphora and self.last_person:
            return self._copy(self.last_person, verb)
        if (low in self.org_anaphora or re.fullmatch(r"the (ministry|army|office|agency|department|statement)", low)) \
                and self.last_org:
            if low in ("it",) or self.last_org.mention.lower().find(low.split()[-1]) >= 0 or low in (
                    "the ministry", "the department", "the office", "the statement"):
                # "The department claims ...", "the statement said": the body named just before
                return self._copy(self.last_org, verb)
        found = Attribution(text, span.start_char, span.start_char + len(text), verb.i if verb else None,
                            is_person=is_person)
        if is_person:
            self.last_person = found
        else:
            self.last_org = found
            self.orgs.append(found)
        return found

    def _own(self, low: str) -> bool:
        """Whether a correspondent's description names this text's outlet, or no outlet at all ("our
        correspondent", "the correspondent at the scene")."""
        words = [w for w in re.findall(r"[a-z]{3,}", self.outlet.lower()) if w not in ("the", "news", "agency")]
        if any(re.search(rf"\b{re.escape(w)}\b", low) for w in words):
            return True
        return re.fullmatch(r"(the|our|a|an) (correspondents?|reporters?)( at the scene| on the ground)?", low) \
            is not None

    @staticmethod
    def _nearest_person(pronoun: Token, platforms: set[str]) -> Token | None:
        """"he" is the last person named before it, in its sentence or the one before ("Telegram", which the
        tagger can take for a person, is a platform; so is a "person" that follows "on" or "in": "the strike on
        Sumy")."""
        doc = pronoun.doc
        start = pronoun.sent.start
        if start > 0:
            start = doc[start - 1].sent.start
        people = [e for e in doc.ents if e.label_ == "PERSON" and start <= e.start and e.end <= pronoun.i
                  and e.text.lower() not in platforms and not (
                      e.root.dep_ == "pobj" and e.root.head.lower_ in ("in", "on", "at", "near", "into", "over"))]
        return people[-1].root if people else None

    @staticmethod
    def _copy(a: Attribution, verb: Token | None) -> Attribution:
        return Attribution(a.mention, a.start, a.end, verb.i if verb else None, is_person=a.is_person)

    @staticmethod
    def _span_tokens(head: Token) -> list[int]:
        keep = []
        for t in head.subtree:
            node, cut = t, False
            while node.i != head.i:
                if node.dep_ in _CUT_DEPS and not (node.dep_ == "prep" and node.lower_ in ("of", "for", "to", "in")) \
                        and node.text not in ("-", "'s", "’s", "'"):
                    cut = True
                    break
                node = node.head
            if not cut:
                keep.append(t.i)
        # keep a contiguous run around the head
        keep.sort()
        run = [head.i]
        for i in range(head.i - 1, keep[0] - 1, -1):
            if i in keep:
                run.insert(0, i)
            else:
                break
        for i in range(head.i + 1, keep[-1] + 1):
            if i in keep:
                run.append(i)
            else:
                break
        return run

    def _speaker_before_colon(self, sent: Span, token: Token) -> Attribution | None:
        """"Budanov emphasized the importance of accountability: "... no war criminal escapes retribution"": a
        verb of saying before a colon speaks for the quote after it, however the parser joined the two."""
        colon = next((t for t in sent if t.text == ":" and t.i < token.i), None)
        if colon is None:
            return None
        for verb in reversed([t for t in sent if t.i < colon.i]):
            if verb.lower_ in self.say and verb.pos_ in ("VERB", "AUX"):
                return self._subject_of(verb)
        return None

    def _trailing_speaker(self, sent: Span, token: Token) -> Attribution | None:
        """"..., regional governor Vyacheslav Gladkov has said.": a reporting clause closing the sentence after
        a comma speaks for what came before it, however the parser attached it."""
        for verb in reversed(list(sent)):
            if verb.i <= token.i or verb.lower_ not in self.say or verb.pos_ not in ("VERB", "AUX"):
                continue
            if any(c.dep_ in ("ccomp", "dobj", "xcomp") for c in verb.children):
                return None   # a clause of its own ("..., he said the army had withdrawn")
            rest = [t for t in sent if t.i > verb.i and not (t.is_punct or t.is_space)]
            if any(t.i not in {d.i for d in verb.subtree} for t in rest):
                return None
            subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            if subj is None or not any(t.text == "," for t in sent.doc[max(sent.start, subj.left_edge.i - 2):
                                                                          subj.left_edge.i]):
                return None
            return self._subject_of(verb)
        return None

    def _denies_event(self, verb: Token, token: Token) -> bool:
        obj = next((c for c in verb.children if c.dep_ in ("dobj", "ccomp", "xcomp")), None)
        if obj is None:
            return True
        # "denied responsibility for the bombing", "denied the claims", "denied that it shelled the town"
        return obj.lower_ in self.deny_objects or obj.is_ancestor(token) or obj.i == token.i

    def _according_to(self, sent: Span) -> Attribution | None:
        doc = sent.doc
        for tok in sent:
            if tok.lower_ == "according" and tok.i + 1 < sent.end and doc[tok.i + 1].lower_ == "to":
                pobj = next((c for c in doc[tok.i + 1].children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return self._mention(pobj, None)
            # "..., per the AP": "per" before a source that can speak
            if tok.lower_ == "per" and tok.dep_ == "prep":
                pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
                if pobj is not None and (pobj.ent_type_ in ("ORG", "PERSON") or pobj.lower_ in self.agent_nouns):
                    return self._mention(pobj, None)
            # "..., as reported by the Sudanese army": a passive reporting clause names the claimant
            if tok.lower_ == "as" and tok.i + 2 < sent.end and doc[tok.i + 1].lower_ in self.say \
                    and doc[tok.i + 1].tag_ == "VBN" and doc[tok.i + 2].lower_ == "by":
                pobj = next((c for c in doc[tok.i + 2].children if c.dep_ == "pobj"), None)
                if pobj is not None and self._agentive(pobj):
                    return self._mention(pobj, None)
        return None


# A subject that is the text's date line or dateline, not a speaker: "date 2023-12-31 Russia on Sunday said",
# "CAIRO (Reuters) – The U.S. and British militaries said" (the parser takes the town for a second subject).
# Narrower than the date-line words of `extract/__init__.py`: "May", "Sun" and "Mon" can be speakers' names.
_DATE_SUBJECT = re.compile(r"date|updated|published|(?:mon|tues|wednes|thurs|fri|satur|sun)day|"
                           r"jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec", re.I)


def _nearest_subject(verb: Token) -> Token | None:
    """The subject of a verb of saying: of two the parser gives it, the one nearer the verb; a date-line word
    gives way to the name in apposition to it."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if not subjects:
        return None
    before = [c for c in subjects if c.i < verb.i]
    subj = before[-1] if before else subjects[0]
    if _DATE_SUBJECT.fullmatch(subj.text) or subj.ent_type_ == "DATE":
        named = next((c for c in subj.children if c.dep_ == "appos" and c.ent_type_ != "DATE"), None)
        return named
    return subj


_DECLINE = forms_of(("decline", "refuse"))


def unsaid(verb: Token) -> bool:
    """A saying that says nothing: negated ("did not say", "declined to comment") or by nobody ("Neither Syria
    nor Russia commented on the airstrike")."""
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    if verb.dep_ == "xcomp" and verb.head.lower_ in _DECLINE:   # (the pipeline runs no lemmatizer)
        return True
    return any(c.dep_ == "nsubj" and _nobody(c) for c in verb.children)


def _nobody(subj: Token) -> bool:
    return subj.lower_ in ("nobody", "none", "neither") or any(
        d.lower_ in ("neither", "no") for d in subj.children if d.dep_ == "det")
