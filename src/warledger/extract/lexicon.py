"""The extractor's rules, read once from the YAML files in `extract/data/` (rules are data)."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from warledger.conflicts import Conflict, active_registry

DATA = Path(__file__).with_name("data")


def _load(name: str) -> dict:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Trigger:
    lemmas: tuple[str, ...]
    sub: str
    cls: str
    pos: tuple[str, ...] = ()
    needs_place: bool = False
    needs_materiel: bool = False
    needs_agreement_verb: bool = False
    needs_role: bool = False
    no_materiel: bool = False
    weak: bool = False
    defence: bool = False
    context_place: bool = False   # with no place of its own, the place the text is about
    generic: bool = False         # named without its means: the type comes from the clause, context or victims
    default_means: bool = False   # a strike named without its means: the document's means, else `sub`


@dataclass
class Lexicon:
    triggers: list[Trigger]
    agreement_verbs: set[str]
    irrealis: set[str]
    irrealis_unless_past: set[str]
    roles: set[str]
    background_years: int
    weapons: list[dict]
    weapon_precedence: list[str]
    materiel_types: dict[str, str]
    outcomes: dict[str, str]
    building_outcomes: dict[str, str]
    airborne: set[str]
    slips: list[dict]
    say_verbs: set[str]
    weak_say_verbs: set[str]
    according_to: list[str]
    deny_verbs: set[str]
    deny_objects: set[str]
    anaphora: dict[str, list[str]]
    statements: list[dict]
    need_speaker: set[str]
    agent_nouns: set[str]
    slip_materiel: dict[str, str] = field(default_factory=dict)
    protest_precedence: list[str] = field(default_factory=list)
    protester_words: set[str] = field(default_factory=set)
    territory_objects: set[str] = field(default_factory=set)
    non_state_groups: set[str] = field(default_factory=set)
    state_forces: set[str] = field(default_factory=set)
    military_targets: set[str] = field(default_factory=set)
    civilian_targets: set[str] = field(default_factory=set)
    person_titles: dict[str, list[str]] = field(default_factory=dict)
    denial_phrases: list[str] = field(default_factory=list)
    act_claim_verbs: tuple[str, ...] = ()
    press_words: set[str] = field(default_factory=set)
    platforms: set[str] = field(default_factory=set)
    habitual_words: tuple[str, ...] = ()
    ground_weapons: tuple[str, ...] = ()

    @property
    def conflicts(self) -> list[Conflict]:
        """The wars of the conflict packs in force (read from the registry each time: packs can be added)."""
        return active_registry().extractor_conflicts

    def slip_pattern(self, kind: str, conflict: Conflict | None = None) -> re.Pattern | None:
        words = [s["words"] for s in self.slips if s["as"] == kind]
        if kind == "place" and conflict is not None:   # in a document about a war, its pack's place slips
            words += active_registry().place_slips(conflict.name)
        if not words:
            return None
        return re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b",
                          re.IGNORECASE)


@functools.lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    trig = _load("triggers.yaml")
    weapons = _load("weapons.yaml")
    materiel = _load("materiel.yaml")
    slips = _load("mt_slips.yaml")["slips"]
    speech = _load("speech.yaml")
    statements = _load("statements.yaml")
    for name, rules in (("triggers.yaml", trig["triggers"]), ("statements.yaml", statements["statements"]),
                        ("weapons.yaml", weapons["weapons"])):
        for rule in rules:
            if not all(isinstance(w, str) for w in rule["lemmas"]):
                # YAML reads a bare on/off/yes/no as true/false: the word must be quoted
                raise ValueError(f"extract/data/{name}: lemmas {rule['lemmas']!r} hold a non-word; quote on, off, "
                                 f"yes and no (\"on\")")
    triggers = [Trigger(lemmas=tuple(t["lemmas"]), sub=t["sub"], cls=t["class"], pos=tuple(t.get("pos", ())),
                        needs_place=t.get("needs_place", False), needs_materiel=t.get("needs_materiel", False),
                        needs_agreement_verb=t.get("needs_agreement_verb", False),
                        needs_role=t.get("needs_role", False), no_materiel=t.get("no_materiel", False),
                        weak=t.get("weak", False), defence=t.get("defence", False),
                        context_place=t.get("context_place", False), generic=t.get("generic", False),
                        default_means=t.get("default_means", False))
                for t in trig["triggers"]]
    slip_materiel = {s["words"]: s["means"] for s in slips if s["as"] == "materiel"}
    return Lexicon(
        triggers=triggers, agreement_verbs=set(trig["agreement_verbs"]), irrealis=set(trig["irrealis"]),
        irrealis_unless_past=set(trig["irrealis_unless_past"]),
        roles=set(trig["roles"]), background_years=int(trig["background_years_before"]),
        weapons=weapons["weapons"], weapon_precedence=weapons["precedence"],
        materiel_types={k.lower(): v for k, v in materiel["types"].items()},
        outcomes={k.lower(): v for k, v in materiel["outcomes"].items()}, airborne=set(materiel["airborne"]),
        building_outcomes={k.lower(): v for k, v in materiel.get("building_outcomes", {}).items()},
        slips=slips, say_verbs=set(speech["say_verbs"]),
        weak_say_verbs=set(speech["weak_say_verbs"]), according_to=speech["according_to"],
        deny_verbs=set(speech["deny_verbs"]), deny_objects=set(speech["deny_objects"]),
        anaphora=speech["anaphora"], statements=statements["statements"],
        need_speaker=set(statements["need_speaker"]), press_words=set(statements.get("press_words") or []),
        agent_nouns=set(speech["agent_nouns"]),
        slip_materiel=slip_materiel, protest_precedence=list(trig.get("protest_precedence", [])),
        protester_words=set(trig.get("protester_words", [])),
        territory_objects=set(trig.get("territory_objects", [])),
        non_state_groups=set(trig.get("non_state_groups", [])), state_forces=set(trig.get("state_forces", [])),
        military_targets=set(trig.get("military_targets", [])),
        civilian_targets=set(trig.get("civilian_targets", [])),
        person_titles=speech.get("person_titles") or {}, denial_phrases=list(speech.get("denial_phrases") or []),
        act_claim_verbs=tuple(sorted(speech.get("act_claim_verbs") or [])),
        platforms=set(speech.get("platforms") or []),
        habitual_words=tuple(trig.get("habitual_words") or []),
        ground_weapons=tuple(weapons.get("ground_weapons") or []))
