"""The records the sentence readers share: a draft report and the document's state."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from spacy.tokens import Span

from warledger.extract.attribution import Attribution, AttributionFinder
from warledger.extract.findings import Figure, Knowledge, MaterielMention, PlaceMention, text_of  # noqa: F401
from warledger.extract.lexicon import Conflict, Lexicon


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
    front_text: tuple[int, int] | None = None   # token offsets of a vague front ("the southern axis")
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
    carried: bool = False      # the act of an earlier sentence, carried on (figures, a denial)
    restated: bool = False     # the last act named again by a claimant of its own ("the attack was ...")
    context_place: bool = False   # the place is the one the text is about, not named in this sentence
    generic: bool = False      # named without its means: typed once its victims are known (`_generic_sub`)
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
    references: set[int] = field(default_factory=set)   # triggers that name a call, plan or total, not an act
    last_event: Draft | None = None   # the last act told, for sentences that carry it on
    last_actor: tuple = (None, None)  # (name, side) of the last act's named actor1, for "they" and "it"
    last_attacker: str | None = None   # the side of the last strike or attack told ("condemned the attacks")
    last_dated: tuple | None = None   # (date, precision, token) of the last act the text gave a date
    doc_means: str | None = None   # the means of attack the document names most (`document_means`)
    doc_means_told: int = 0        # how many times it names them
    place_context: PlaceMention | None = None   # the place the text is about so far (the last town named)
    place_context_at: int = 0                   # token where it was named
    place_context_lasting: bool = False         # named in the headline, dateline or lead: it holds until replaced
    lead_told: bool = False                     # the first sentence after the headline has been read
    place_counts: dict = field(default_factory=dict)   # town key -> [times named, mention]: the story's main town
    absorbed_words: set[str] = field(default_factory=set)   # acts named as another act's object (sentence)


def clause_head(token):
    node = token
    for _ in range(10):
        if node.pos_ in ("VERB", "AUX") or node.head.i == node.i:
            return node.i
        node = node.head
    return node.i
