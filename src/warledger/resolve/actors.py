"""Actors, claimants and outlets to canonical names and sides.

Data: the conflict packs (each war's parties, forces, groups, officials, outlets and side words: which outlets
are partisan in which war), and, for what belongs to no one war, ``actors.yaml`` (international bodies, NGOs),
``outlets.yaml`` (international outlets), ``institutions.yaml`` (ministries and forces named by their country)
and ``sides.yaml`` (nationality adjectives). Country names and capitals come from the gazetteer. Every result
keeps the mention as written.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from warledger.conflicts import Registry
from warledger.countries import country_record
from warledger.models import Actor, Claimant
from warledger.resolve.places import PlaceContext
from warledger.resolve.terms import Hit, TermMatcher
from warledger.resolve.text import fold, load_yaml, skeleton

PERSON_FUZZY_CUTOFF = 88.0
PERSON_FUZZY_MIN_LEN = 6
# Words of a title, never of a misspelt name: a run holding one is not matched fuzzily against listed people.
TITLE_WORDS = {"prime", "minister", "president", "general", "governor", "mayor", "chief", "commander", "spokesman",
               "spokeswoman", "lieutenant", "colonel", "major", "captain", "deputy", "secretary", "king", "queen",
               "prince", "sheikh", "emir", "ambassador", "envoy", "head", "leader", "director", "foreign", "defence",
               "defense", "interior", "army", "ministry", "minister's"}
CIVILIAN_RE = re.compile(r"\b(civilians?|residents?|inhabitants|population|people|children|women|villagers|"
                         r"citizens|refugees|displaced|passers by)\b")
_NAME_WORDS = re.compile(r"[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+)*")


@dataclass
class Entry:
    name: str
    side: str
    kind: str
    role: str | None = None
    outlet: bool = False
    home: str | None = None
    aliases: list[str] = field(default_factory=list)

    @property
    def person(self) -> bool:
        return self.role is not None


@dataclass
class Institution:
    name: str
    kind: str
    patterns: list[re.Pattern]


@dataclass
class War:
    """A conflict pack as the resolver sees it: its parties, and what points a document to it."""

    name: str
    parties: set[str]
    markers: set[str]
    context: TermMatcher[Entry] | None = None   # actors named so only in a document about this war


class ActorMatcher:
    def __init__(self, countries: dict[str, dict], registry: Registry | None = None):
        sides = load_yaml("sides.yaml")
        packs = registry.packs if registry is not None else []
        self.side_names: dict[str, str] = {iso: info["name"] for iso, info in countries.items()}
        self.side_names.update(sides.get("side_names") or {})
        self.not_ownership = {fold(w) for w in sides.get("not_ownership") or []}
        self.prefer: dict[str, set[str]] = {}
        pairs: list[tuple[str, str]] = []
        for code, words in (sides.get("terms") or {}).items():
            pairs += [(w, code) for w in words]
        self.conditional: list[tuple[str, str, str]] = []   # (folded words, side, war)
        for loaded in packs:
            for party in loaded.pack.parties:
                if party.name:
                    self.side_names.setdefault(party.side, party.name)
                if party.refines:
                    self.prefer.setdefault(party.side, set()).update(party.refines)
                pairs += [(w, party.side) for w in party.terms]
                self.conditional += [(fold(w), party.side, loaded.pack.name) for w in party.context_terms]
        capitals = {}
        for iso, info in countries.items():
            pairs += [(n, iso) for n in info["names"] if len(n) > 3]
            if info.get("capital"):
                pairs.append((info["capital"], iso))
                capitals[fold(info["capital"])] = iso
        for loaded in packs:   # "Kiev said": a pack's other spellings of a capital speak for its state too
            for place in loaded.pack.places:
                iso = capitals.get(fold(place.name))
                if iso and place.precision == "place":
                    pairs += [(w, iso) for w in [*place.slips, *place.aliases] if len(w) > 3]
        self.side_terms: TermMatcher[str] = TermMatcher(pairs)

        self.entries: list[Entry] = []
        for item in load_yaml("actors.yaml") or []:
            self.entries.append(Entry(name=item["name"], side=item["side"], kind=item.get("kind", "other"),
                                      role=item.get("role"), aliases=list(item.get("aliases") or [])))
        outlets = [dict(item) for item in load_yaml("outlets.yaml") or []]
        self.wars: list[War] = []
        for loaded in packs:
            in_context: list[tuple[str, Entry]] = []
            for party in loaded.pack.parties:
                for actor in party.actors:
                    entry = Entry(name=actor.name, side=party.side, kind=actor.kind, role=actor.role,
                                  aliases=list(actor.aliases))
                    self.entries.append(entry)
                    in_context += [(a, entry) for a in actor.context_aliases]
            outlets += [{"name": o.name, "home": o.home, "side": o.side or o.home or "XX", "aliases": o.aliases}
                        for o in loaded.pack.outlets]
            self.wars.append(War(loaded.pack.name, registry.parties(loaded), registry.markers(loaded),
                                 TermMatcher(in_context) if in_context else None))
        for item in outlets:
            self.entries.append(Entry(name=item["name"], side=item["side"], kind="outlet", outlet=True,
                                      home=item.get("home"), aliases=list(item.get("aliases") or [])))
        self.actor_terms: TermMatcher[Entry] = TermMatcher(
            [(a, e) for e in self.entries if not e.outlet for a in [e.name, *e.aliases]])
        self.outlet_terms: TermMatcher[Entry] = TermMatcher(
            [(a, e) for e in self.entries if e.outlet for a in [e.name, *e.aliases]])
        self.person_keys: dict[str, Entry] = {}
        for e in self.entries:
            if e.person:
                for alias in [e.name, *e.aliases]:
                    key = skeleton(alias)
                    if len(key) >= PERSON_FUZZY_MIN_LEN:
                        self.person_keys.setdefault(key, e)
        self.institutions = [Institution(i["name"], i["kind"], [re.compile(p) for p in i["patterns"]])
                             for i in load_yaml("institutions.yaml") or []]

    # ----- sides -----
    def side_hits(self, text: str, regions: set[str] | None = None, prefer: bool = True) -> list[tuple[int, str]]:
        """(position, side) of every side word in `text`, leaving out "Chinese-made" and the like; with
        `prefer`, a more specific side drops the one it refines (for short mentions, not whole documents)."""
        folded = fold(text)
        words = folded.split()
        out: list[tuple[int, str]] = []
        for hit in self.side_terms.find(text, folded):
            if not hit.acronym and hit.end < len(words) and words[hit.end] in self.not_ownership:
                continue
            out.append((hit.start, hit.payload))
        for phrase, side, war in self.conditional:
            if regions and war in regions:
                m = re.search(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", folded)
                if m:
                    out.append((len(folded[:m.start()].split()), side))
        if not prefer:
            return sorted(out)
        found = {side for _, side in out}
        beaten = {weaker for side, weaker_set in self.prefer.items() if side in found for weaker in weaker_set}
        return sorted(hit for hit in out if hit[1] not in beaten)

    def side_of(self, text: str, regions: set[str] | None = None) -> str | None:
        """The side a short text names: a known actor's, else the first nationality/country word's."""
        if not text or not text.strip():
            return None
        entity = self.actor_terms.longest(text)
        war = self.war_in(regions)
        in_context = war.context.longest(text) if war is not None and war.context is not None else None
        if in_context is not None and (entity is None or len(in_context.alias) > len(entity.alias)):
            entity = in_context
        if entity is not None:
            return entity.payload.side
        hits = self.side_hits(text, regions)
        if hits:
            return hits[0][1]
        outlet = self.outlet_terms.longest(text)
        return outlet.payload.side if outlet is not None else None

    def side_name(self, code: str) -> str:
        return self.side_names.get(code, code)

    # ----- people and named bodies -----
    def known(self, mention: str) -> Entry | None:
        """The listed person, body or outlet a mention names, if any."""
        entry = self._entity(mention)
        if entry is None:
            hit = self.outlet_terms.longest(mention)
            entry = hit.payload if hit is not None else None
        return entry

    def _entity(self, mention: str, outlets: bool = False, regions: set[str] | None = None) -> Entry | None:
        """The listed person (first), else the listed body whose name ends last in the mention (English puts
        the head last: "the rebel-run Radio Liberty" is the outlet); `outlets` lets outlets compete too. In a
        document about a war (its name among `regions`), the names that war's pack gives in context count."""
        hits: list[Hit[Entry]] = self.actor_terms.find(mention)
        war = self.war_in(regions)
        if war is not None and war.context is not None:
            hits = sorted([*hits, *war.context.find(mention)], key=lambda h: (h.start, -(h.end - h.start)))
        people = [h for h in hits if h.payload.person]
        if people:
            return people[0].payload
        if outlets:
            hits += self.outlet_terms.find(mention)
        if not hits:
            return self._fuzzy_person(mention)
        return max(hits, key=lambda h: (h.end, len(h.alias))).payload

    def _fuzzy_person(self, mention: str) -> Entry | None:
        """A misspelt person's name ("Mnatsakyanian"): capitalised word runs against known people."""
        candidates = []
        for run in _NAME_WORDS.findall(mention):
            words = run.split()
            candidates += [" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, min(len(words), i + 3) + 1)]
        best: tuple[float, Entry] | None = None
        for cand in candidates:
            key = skeleton(cand)
            if len(key) < PERSON_FUZZY_MIN_LEN or set(cand.lower().split()) & TITLE_WORDS:
                continue   # ("the Prime Minister" is nobody's misspelt name: "Prime Minister Abiy" is listed)
            hit = process.extractOne(key, self.person_keys.keys(), scorer=fuzz.ratio,
                                     score_cutoff=PERSON_FUZZY_CUTOFF)
            if hit and (best is None or hit[1] > best[0]):
                best = (hit[1], self.person_keys[hit[0]])
        return best[1] if best else None

    def _institution(self, mention: str, regions: set[str] | None) -> tuple[Institution, str | None] | None:
        folded = fold(mention)
        hits = self.side_hits(mention, regions)
        side = hits[0][1] if hits else None
        for inst in self.institutions:
            if any(p.search(folded) for p in inst.patterns):
                return inst, side
        return None

    def _country_only(self, mention: str) -> str | None:
        """The side when the mention is just a country, capital or people ("Bolivia", "La Paz", "the Bolivians")."""
        folded = re.sub(r"^(the|official)\s+", "", fold(mention))
        folded = re.sub(r"\s+(side|says|said)$", "", folded)
        hits = self.side_terms.find(mention)
        for hit in hits:
            if hit.acronym and hit.alias.replace(".", "").lower() == folded.replace(" ", ""):
                return hit.payload
            if not hit.acronym and hit.alias == folded:
                return hit.payload
        return None

    # ----- public -----
    def actor(self, mention: str, context_text: str | None = None, regions: set[str] | None = None) -> Actor | None:
        if not mention or not mention.strip():
            return None
        folded = fold(mention)
        if CIVILIAN_RE.search(folded) and not self.actor_terms.find(mention):
            side = self.side_of(mention, regions)
            if side is None and context_text:
                sides = {s for _, s in self.side_hits(context_text, regions)}
                side = sides.pop() if len(sides) == 1 else None
            return Actor(name="Civilians", side=side, mention=mention)
        entry = self._entity(mention, regions=regions)
        if entry is not None:
            return Actor(name=entry.name, side=entry.side, mention=mention)
        found = self._institution(mention, regions)
        if found and found[1]:
            inst, side = found
            return Actor(name=inst.name.format(country=self.side_name(side)), side=side, mention=mention)
        side = self._country_only(mention)
        if side:
            return Actor(name=self.side_name(side), side=side, mention=mention)
        side = self.side_of(mention, regions)
        if side:
            return Actor(name=mention.strip(), side=side, mention=mention)
        return None

    def claimant(self, mention: str | None, outlet: str | None = None, ctx: PlaceContext | None = None,
                 regions: set[str] | None = None) -> Claimant:
        regions = regions if regions is not None else (set(ctx.regions) if ctx else None)
        if not mention or not mention.strip():
            return self.outlet(outlet, ctx) or Claimant(name=outlet or "unknown outlet", side="XX", kind="outlet",
                                                        mention=mention)
        entry = self._entity(mention, outlets=True, regions=regions)
        if entry is not None and entry.outlet:
            return self.outlet(entry.name, ctx).model_copy(update={"mention": mention})
        if entry is not None:
            return Claimant(name=entry.name, side=entry.side, kind=entry.kind, mention=mention)
        side = self._country_only(mention)
        if side:
            kind = "international" if side == "UN" else "government"
            return Claimant(name=self.side_name(side), side=side, kind=kind, mention=mention)
        found = self._institution(mention, regions)
        if found and found[1]:
            inst, side = found
            return Claimant(name=inst.name.format(country=self.side_name(side)), side=side, kind=inst.kind,
                            mention=mention)
        outlet_claimant = self.outlet(mention, ctx)
        if outlet_claimant is not None:
            return outlet_claimant
        if found and not found[0].name.startswith("Government of"):  # "the Defense Ministry": no country named
            inst, _ = found
            name = re.sub(r"\s*(of|in)?\s*\{country\}\s*", " ", inst.name).strip()
            if " " not in name:  # "official", not worth more than the words the text used
                name = re.sub(r"^(the|a|an)\s+", "", mention.strip(), flags=re.IGNORECASE)
            return Claimant(name=name, side="XX", kind=inst.kind, mention=mention)
        side = self.side_of(mention, regions)
        return Claimant(name=mention.strip(), side=side or "XX", kind="other", mention=mention)

    def outlet(self, name: str | None, ctx: PlaceContext | None = None) -> Claimant | None:
        if not name or not name.strip():
            return None
        hit = self.outlet_terms.longest(name)
        if hit is None:
            return None
        entry = hit.payload
        credited = re.search(r"\(([^()]+)\)", name)
        record = country_record(credited.group(1).strip()) if credited and entry.home else None
        if record is not None and record.alpha_2 != entry.home:
            return None   # "The Nation (Thailand)" is not Kenya's Nation: the credit names another country
        side = entry.side
        parties = self.parties(ctx)
        if parties is not None and entry.home:
            side = entry.home if entry.home in parties else "XX"
        return Claimant(name=entry.name, side=side, kind="outlet", mention=name)

    def parties(self, ctx: PlaceContext | None) -> set[str] | None:
        """The sides of the war the document is most about (None when no pack's war matches)."""
        war = self.war_of(ctx)
        return war.parties if war is not None else None

    def war_of(self, ctx: PlaceContext | None) -> War | None:
        """The war (conflict pack) a document is most about, by the countries and regions it names."""
        if ctx is None:
            return None
        if "_war" not in ctx.memo:
            weights: Counter = Counter()
            for war in self.wars:
                weights[war.name] = (sum(ctx.countries.get(m, 0) for m in war.markers)
                                     + sum(2 * ctx.regions.get(m, 0) for m in war.markers))
            top = weights.most_common(1)[0] if weights else (None, 0)
            ctx.memo["_war"] = next((w for w in self.wars if w.name == top[0]), None) if top[1] else None
        return ctx.memo["_war"]

    def war_in(self, regions: set[str] | None) -> War | None:
        """The war named among a document's markers (see Resolver.markers)."""
        if not regions:
            return None
        return next((w for w in self.wars if w.name in regions), None)


class UnpackedActors:
    """Actors of a document about no war of the packs (sides.yaml): the forces and people of its country, and
    named groups the packs do not list, kept by name with side XX."""

    def __init__(self, actors: ActorMatcher):
        sides = load_yaml("sides.yaml")
        self.side_name = actors.side_name
        self.forces = [(name, re.compile(r"(?<![a-z0-9])(?:%s)(?![a-z0-9])" % "|".join(
            re.escape(fold(w)) for w in sorted(words, key=len, reverse=True))))
            for name, words in (sides.get("home_forces") or {}).items()]
        self.people = re.compile(r"(?<![a-z0-9])(?:%s)(?![a-z0-9])" % "|".join(
            re.escape(fold(w)) for w in sides.get("home_people") or ["-"]))
        self.group_words = {fold(w) for w in sides.get("named_group_words") or []}
        self.local_office = re.compile(r"(?<![a-z0-9])(?:%s)(?![a-z0-9])" % "|".join(
            re.escape(fold(w)) for w in sides.get("local_offices") or ["-"]))

    def actor(self, mention: str, country: str | None, groups: bool = True) -> Actor | None:
        folded = fold(mention)
        if not folded:
            return None
        if country:
            for name, pattern in self.forces:
                if pattern.search(folded):
                    return Actor(name=name.format(country=self.side_name(country)), side=country, mention=mention)
            if self.people.search(folded):
                return Actor(name=_bare(mention).capitalize(), side=country, mention=mention)
        if groups and self._named_group(mention):
            return Actor(name=_bare(mention), side="XX", mention=mention)
        return None

    def _named_group(self, mention: str) -> bool:
        """A proper name ("the Zaporozhian Liberation Front", "the ZLF"): capitalised words with a group
        word, or an acronym standing alone."""
        words = _bare(mention).split()
        if len(words) == 1 and re.fullmatch(r"[A-Z][A-Z0-9&-]{1,7}", words[0]):
            return True
        capitalised = [w for w in words if w[:1].isupper()]
        return len(capitalised) >= 2 and any(fold(w) in self.group_words for w in words)


def _bare(mention: str) -> str:
    return re.sub(r"^(the|a|an)\s+", "", mention.strip(), flags=re.IGNORECASE)
