"""Place mentions to gazetteer entries, disambiguated by what the document is about.

Order of matching for one mention: vague words (no place) -> translation slips -> conflict regions ->
countries -> cities (skeleton key: accents, case and transliteration folded) -> ISO subdivisions ->
extra villages -> fuzzy match inside the document's countries. Among several candidates the score adds a
population prior, the document's countries and regions (bounding boxes), and closeness to the other places
the document names.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from warledger.conflicts import ConflictPack, PackPlace, Registry
from warledger.geo import haversine_km
from warledger.models import Place
from warledger.resolve.gazetteer import GazetteerIndex, Subdivision
from warledger.resolve.text import fold, load_yaml, skeleton

_POSSESSIVE = re.compile(r"^(.+?)['’]s\s+(.+)$")
# Fuzzy thresholds by key length: short names collide too easily, so they get none.
FUZZY_MIN_LEN = 7
FUZZY_CUTOFF = {7: 90.0, 9: 85.0, 11: 84.0}
# A place outside the countries a document is about must be notable to be meant: Geneva, not Christmas (US).
FOREIGN_MIN_POPULATION = 15_000


@dataclass
class Region:
    name: str
    precision: str
    countries: list[str]
    lat: float | None
    lon: float | None
    bbox: tuple[float, float, float, float] | None
    geonameid: int | None = None

    def contains(self, lat: float, lon: float) -> bool:
        if not self.bbox:
            return False
        w, s, e, n = self.bbox
        return w <= lon <= e and s <= lat <= n

    def to_place(self) -> Place:
        return Place(name=self.name, geonameid=self.geonameid, lat=self.lat, lon=self.lon,
                     country=self.countries[0] if len(self.countries) == 1 else None, precision=self.precision)


@dataclass
class PackPlaceRef:
    """A conflict pack's place: a region, or a town (itself, a gazetteer entry, or a part of another town)."""

    region: Region | None = None
    place: Place | None = None
    row: int | None = None       # the gazetteer row it names
    within: str | None = None


@dataclass
class PlaceContext:
    """What a document is about, for disambiguation: countries and regions it names (with counts) and
    the places it names that resolved without doubt."""

    countries: Counter = field(default_factory=Counter)
    regions: Counter = field(default_factory=Counter)
    places: list[Place] = field(default_factory=list)
    region_countries: set[str] = field(default_factory=set)  # countries the named regions lie in
    admin1: Counter = field(default_factory=Counter)  # (country, GeoNames admin1 code) of states it names
    memo: dict = field(default_factory=dict, repr=False, compare=False)  # mention -> Place, per document

    def country_set(self) -> set[str]:
        return set(self.countries) | self.region_countries

    def main_countries(self) -> set[str]:
        """The countries the text is mostly about: "the Minsk Group" does not make a story Belarusian."""
        top = max(self.countries.values(), default=0)
        return {c for c, n in self.countries.items() if n >= max(2, 0.2 * top)} | self.region_countries

    def share(self, country: str) -> float:
        """How much of the text's country mentions go to `country` relative to the most named (0..1)."""
        top = max(self.countries.values(), default=0)
        if country in self.region_countries:
            return 1.0
        return self.countries.get(country, 0) / top if top else 0.0


def _phrase_re(words: list[str], at_start: bool) -> re.Pattern:
    alts = "|".join(re.escape(fold(w)) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"^(?:{alts})\s+" if at_start else rf"\s+(?:{alts})$")


class PlaceMatcher:
    def __init__(self, index: GazetteerIndex, registry: Registry | None = None):
        self.index = index
        self._coords = None  # numpy views of the index, only while pack places are read
        self.regions: list[Region] = []
        self.region_keys: dict[str, Region] = {}
        self.region_aliases: list[tuple[str, Region]] = []
        for item in load_yaml("regions.yaml") or []:
            self._add_region(*self._region(item))
        self.country_keys: dict[str, str] = {}
        for iso, info in index.countries.items():
            for key in info["keys"]:  # names longer than 3 letters: ISO3 codes like "AZE" are too easily words
                self.country_keys.setdefault(key, iso)
        self.subdivision_keys: dict[str, list[Subdivision]] = {}
        for sub in index.subdivisions:
            self.subdivision_keys.setdefault(sub.key, []).append(sub)
        self.extras: dict[str, PackPlaceRef] = {}
        self.extra_by_country: dict[str, list[str]] = {}
        self.held: list[tuple[Region, str]] = []   # pack regions held de facto by a side (the Golan Heights: IL)
        self.slips: dict[str, tuple[PackPlaceRef, frozenset[str]]] = {}
        for loaded in (registry.packs if registry is not None else []):
            self._add_pack_places(loaded.pack)
        self._coords = None
        phrases = load_yaml("place_phrases.yaml")
        self.prefixes = [(prec, _phrase_re(words, True)) for prec, words in phrases["prefixes"].items()]
        self.suffixes = [(prec, _phrase_re(words, False)) for prec, words in phrases["suffixes"].items()]
        self._pools: dict[tuple, dict[str, tuple[str, str]]] = {}
        self._initials: dict[str, dict[str, list[str]]] = {}
        self.vague = {fold(w) for w in phrases["vague_words"]}
        self.not_places = {fold(w) for w in phrases.get("not_places") or []}
        self.ambiguous_states = {fold(w) for w in phrases.get("ambiguous_state_names") or []}

    # ----- helpers -----
    def _region(self, item: dict) -> tuple[Region, list[str]]:
        """A regions.yaml entry: coordinates given, or taken from its seat town (bbox = seat +- radius_km)."""
        countries = list(item.get("countries") or [])
        lat, lon = (item.get("centroid") or [None, None])[:2]
        bbox = tuple(item["bbox"]) if item.get("bbox") else None
        if lat is None and item.get("seat"):
            rows = [r for r in self.index.rows(skeleton(item["seat"])) if self.index.cc(r) in countries]
            if rows:
                seat = max(rows, key=lambda r: self.index.pop[r])
                lat, lon = self.index.lat[seat], self.index.lon[seat]
        if bbox is None and lat is not None:
            dlat = float(item.get("radius_km", 100)) / 111.0
            dlon = dlat / max(math.cos(math.radians(lat)), 0.2)
            bbox = (lon - dlon, lat - dlat, lon + dlon, lat + dlat)
        aliases = [item["name"], *(item.get("aliases") or [])]
        aliases += [f"{base} {word}" for base in item.get("base") or [] for word in item.get("suffixes") or []]
        region = Region(name=item["name"], precision=item.get("precision", "region"), countries=countries,
                        lat=lat, lon=lon, bbox=bbox, geonameid=item.get("geonameid"))
        return region, aliases

    def _add_region(self, region: Region, aliases: list[str]) -> None:
        self.regions.append(region)
        for alias in aliases:
            self.region_aliases.append((alias, region))
            self.region_keys.setdefault(skeleton(alias), region)

    def _add_pack_places(self, pack: ConflictPack) -> None:
        """A pack's places, kept here in memory (the cached gazetteer index never holds them): regions and
        districts beside the other named regions; towns, villages and slips before the gazetteer in a document
        about the war (its countries), after it elsewhere."""
        countries = frozenset(pack.markers) | {pl.country for pl in pack.places if pl.country}
        for pl in pack.places:
            names = [pl.name, *pl.aliases]
            if pl.precision in ("region", "district"):
                region = self._pack_region(pl)
                self._add_region(region, names)
                if pl.side:
                    self.held.append((region, pl.side))
                ref = PackPlaceRef(region=region)
            else:
                row = self.row_of(pl.geonameid) if pl.geonameid else None
                ref = PackPlaceRef(place=self._pack_place(pl) if row is None else None, row=row, within=pl.within)
                for alias in names:
                    key = skeleton(alias)
                    self.extras.setdefault(key, ref)
                    if pl.country:
                        self.extra_by_country.setdefault(pl.country, []).append(key)
                    # in a document about this war the pack's town beats a namesake the gazetteer prefers
                    self.slips.setdefault(fold(alias), (ref, countries))
            for slip in pl.slips:
                self.slips.setdefault(fold(slip), (ref, countries))

    def _pack_region(self, pl: PackPlace) -> Region:
        bbox = tuple(pl.bbox) if pl.bbox else None
        if bbox is None:
            dlat = float(pl.radius_km or (100 if pl.precision == "region" else 25)) / 111.0
            dlon = dlat / max(math.cos(math.radians(pl.lat)), 0.2)
            bbox = (pl.lon - dlon, pl.lat - dlat, pl.lon + dlon, pl.lat + dlat)
        return Region(name=pl.name, precision=pl.precision, countries=[pl.country] if pl.country else [],
                      lat=pl.lat, lon=pl.lon, bbox=bbox, geonameid=pl.geonameid)

    def _pack_place(self, pl: PackPlace) -> Place:
        """A pack's town or village; its first-level area is that of the nearest gazetteer town of its country."""
        return Place(name=pl.name, lat=pl.lat, lon=pl.lon, country=pl.country, precision="place",
                     admin1=self._nearest_admin1(pl.lat, pl.lon, pl.country) if pl.country else None)

    def _nearest_admin1(self, lat: float, lon: float, country: str) -> str | None:
        import numpy as np

        if self._coords is None:
            ix = self.index
            self._coords = (np.frombuffer(ix.lat, dtype=np.float64), np.frombuffer(ix.lon, dtype=np.float64),
                            np.frombuffer(ix._cc.encode("ascii"), dtype="S2"))
        lats, lons, ccs = self._coords
        mask = ccs == country.encode("ascii")
        if not mask.any():
            return None
        rows = np.flatnonzero(mask)
        d = (lats[rows] - lat) ** 2 + ((lons[rows] - lon) * math.cos(math.radians(lat))) ** 2
        return self.index.admin1(int(rows[int(d.argmin())])) or None

    def resolve_ref(self, ref: PackPlaceRef, ctx: PlaceContext | None, depth: int) -> Place | None:
        """What a pack place stands for: its region, the gazetteer town it names, the town it lies within
        (a neighbourhood or landmark is coded to its town), else itself."""
        if ref.region is not None:
            return ref.region.to_place()
        if ref.row is not None:
            return self.city_place(ref.row)
        if ref.within and depth < 3:
            town = self.match(ref.within, ctx, depth + 1)
            if town is not None:
                return town
        return ref.place

    def row_of(self, geonameid: int) -> int | None:
        try:
            return self.index.gid.index(geonameid)  # a few calls at load: a scan beats building a dict
        except ValueError:
            return None

    def city_place(self, row: int, precision: str = "place") -> Place:
        ix = self.index
        return Place(name=ix.name(row), geonameid=ix.gid[row], lat=ix.lat[row], lon=ix.lon[row],
                     admin1=ix.admin1(row) or None, country=ix.cc(row), precision=precision)

    def country_place(self, iso: str) -> Place:
        info = self.index.countries[iso]
        return Place(name=info["name"], geonameid=info["geonameid"], lat=info["lat"], lon=info["lon"],
                     country=iso, precision="country")

    def subdivision_place(self, sub: Subdivision) -> Place:
        label = {"rayon": "District", "raion": "District"}.get(sub.type.lower(), sub.type.title())
        name = fold(sub.name).title()
        if label and not name.lower().endswith(label.lower()):
            name = f"{name} {label}"
        lat = lon = None
        rows = [r for r in self.index.rows(skeleton(sub.name)) if self.index.cc(r) == sub.country]
        if rows:  # the namesake town (often the seat) stands in for the centroid
            best = max(rows, key=lambda r: self.index.pop[r])
            lat, lon = self.index.lat[best], self.index.lon[best]
        return Place(name=name, lat=lat, lon=lon, country=sub.country, precision=sub.precision)

    def strip_phrases(self, mention: str) -> tuple[str, str | None]:
        """Remove "the city of", "province" and the like; return the name and the precision they imply."""
        text, hint = fold(mention), None
        changed = True
        while changed:
            changed = False
            for prec, pattern in self.prefixes:
                new = pattern.sub("", text)
                if new != text and new:
                    text, changed = new, True
                    hint = hint if prec == "place" and hint else (prec if prec != "place" else hint or None)
            for prec, pattern in self.suffixes:
                new = pattern.sub("", text)
                if new != text and new:
                    text, changed = new, True
                    hint = prec if prec != "place" else (hint or "place")
        return text, hint

    def is_vague(self, folded: str) -> bool:
        words = folded.split()
        return not words or all(w in self.vague for w in words)

    # ----- scoring -----
    def score(self, row: int, query_fold: str, ctx: PlaceContext | None) -> float:
        ix = self.index
        s = math.log10(ix.pop[row] + 10)
        if skeleton(ix.name(row)) == skeleton(query_fold):  # the name itself, not only some odd alias
            s += 2.0
        if ix.name(row) == ix.countries.get(ix.cc(row), {}).get("capital"):
            s += 1.5
        if ctx is None:
            return s
        s += 4.0 * ctx.share(ix.cc(row))
        if ctx.admin1 and (ix.cc(row), ix.admin1(row)) in ctx.admin1:
            s += 4.0
        for region_name in ctx.regions:
            region = self.region_by_name(region_name)
            if region and region.contains(ix.lat[row], ix.lon[row]):
                s += 4.0
                break
        # closeness to the other places the text names; capitals are left out ("officials in the capital" is a metonym)
        near = [haversine_km(ix.lat[row], ix.lon[row], p.lat, p.lon) for p in ctx.places
                if p.lat is not None and p.geonameid != ix.gid[row]
                and p.name != ix.countries.get(p.country or "", {}).get("capital")]
        if near:
            d = min(near)
            s += 2.0 if d < 150 else 1.0 if d < 500 else 0.5 if d < 1500 else 0.0
        return s

    def region_by_name(self, name: str) -> Region | None:
        return self.region_keys.get(skeleton(name))

    def best_city(self, rows: tuple[int, ...], query_fold: str, ctx: PlaceContext | None) -> int | None:
        if ctx is not None and (ctx.countries or ctx.regions):
            main = ctx.main_countries() or ctx.country_set()
            # a big city abroad only as itself ("Geneva"), not as a look-alike spelling ("Kuriga" is no Khouribga)
            rows = tuple(r for r in rows if self.index.cc(r) in main
                         or fold(self.index.name(r)) == query_fold and (
                             self.index.pop[r] >= FOREIGN_MIN_POPULATION
                             or self.index.name(r) == self.index.countries.get(self.index.cc(r), {}).get("capital")
                             or self._held_by(r, main)))
        if not rows:
            return None
        return max(rows, key=lambda r: (self.score(r, query_fold, ctx), self.index.pop[r]))

    def _held_by(self, row: int, sides: set[str]) -> bool:
        """A town of a region that one of the document's countries holds de facto ("Majdal Shams" in a story
        told from Israel: the Golan Heights, Syrian by law)."""
        lat, lon = self.index.lat[row], self.index.lon[row]
        return any(side in sides and region.contains(lat, lon) for region, side in self.held)

    # ----- matching -----
    def match(self, mention: str, ctx: PlaceContext | None = None, _depth: int = 0) -> Place | None:
        if not mention or not mention.strip():
            return None
        possessive = _POSSESSIVE.match(mention.strip())
        if possessive and _depth == 0:  # "Lima's Miraflores district": the inner place, else the outer one
            return (self.match(possessive.group(2), ctx, _depth + 1)
                    or self.match(possessive.group(1), ctx, _depth + 1))
        full = fold(mention)
        name, hint = self.strip_phrases(mention)
        if self.is_vague(name) or full in self.not_places or name in self.not_places:
            return None
        core = re.sub(r"^the ", "", full)
        trimmed = core
        for _, pattern in self.suffixes:  # "North Holland province": suffix off, direction word kept
            trimmed = pattern.sub("", trimmed) or trimmed
        for text in dict.fromkeys([full, core, trimmed, name]):  # as written first: "Mexico City" is not "Mexico"
            slip = self.slips.get(text)
            if slip and _depth == 0 and self._slip_applies(slip[1], ctx):
                place = self.resolve_ref(slip[0], ctx, _depth)
                if place is not None:
                    return self._with_hint(place, hint)
            key = skeleton(text)
            if key in self.region_keys:
                return self.region_keys[key].to_place()
            if key in self.country_keys and text == name:
                return self.country_place(self.country_keys[key])
            if text != name:
                row = self.best_city(self.index.rows(key), text, ctx)
                if row is not None:
                    return self.city_place(row)
                subs = self._subdivisions(key, ctx)  # "North Holland" is a province, not Holland
                if subs:
                    return self.subdivision_place(subs[0])
        key = skeleton(name)
        rows = self.index.rows(key)
        if hint in ("district", "region"):
            subs = self._subdivisions(key, ctx)
            if subs and not rows:
                return self.subdivision_place(subs[0])
        row = self.best_city(rows, name, ctx)
        if row is not None:
            precision = "place"
            if hint in ("district", "region"):
                subs = [s for s in self._subdivisions(key, ctx) if s.country == self.index.cc(row)]
                precision = subs[0].precision if subs else hint
            return self.city_place(row, precision)
        if key in self.extras:
            return self.resolve_ref(self.extras[key], ctx, _depth)
        subs = self._subdivisions(key, ctx)
        if subs:
            return self.subdivision_place(subs[0])
        return self._fuzzy(key, name, hint, ctx)

    def _with_hint(self, place: Place, hint: str | None) -> Place:
        if hint in ("district", "region") and place.precision == "place" and place.geonameid:
            subs = [s for s in self.subdivision_keys.get(skeleton(place.name), []) if s.country == place.country]
            return place.model_copy(update={"precision": subs[0].precision if subs else hint})
        return place

    def _slip_applies(self, wanted: frozenset[str], ctx: PlaceContext | None) -> bool:
        if not wanted or ctx is None or not (ctx.countries or ctx.regions):
            return True
        return bool(wanted & ctx.country_set())

    def _subdivisions(self, key: str, ctx: PlaceContext | None) -> list[Subdivision]:
        subs = self.subdivision_keys.get(key, [])
        if ctx is not None and len(subs) > 1:
            wanted = ctx.country_set()
            subs = sorted(subs, key=lambda s: (s.country not in wanted))
        return subs

    def _fuzzy(self, key: str, name: str, hint: str | None, ctx: PlaceContext | None) -> Place | None:
        """Close misspellings, only among places of the countries the document is about."""
        if len(key) < FUZZY_MIN_LEN or ctx is None:
            return None
        cutoff = FUZZY_CUTOFF[max(k for k in FUZZY_CUTOFF if len(key) >= k)]
        countries = ctx.main_countries()
        # misspellings and transliterations keep the first letter ("Gabriel" for Jabrayil is a slip, listed)
        pool = self._fuzzy_pool(frozenset(countries), key[:1])
        if not pool:
            return None
        hits = process.extract(key, list(pool), scorer=fuzz.ratio, score_cutoff=cutoff, limit=5)
        if not hits:
            return None
        best_score = hits[0][1]
        tied = [h[0] for h in hits if h[1] >= best_score - 0.01]
        kinds = {pool[k][0] for k in tied}
        if "region" in kinds:
            return self.region_keys[next(k for k in tied if pool[k][0] == "region")].to_place()
        if "extra" in kinds:
            return self.resolve_ref(self.extras[next(k for k in tied if pool[k][0] == "extra")], ctx, 0)
        rows = tuple(r for k in tied for r in self.index.rows(k) if self.index.cc(r) in countries)
        row = self.best_city(rows, name, ctx)
        if row is None:
            return None
        return self.city_place(row, hint if hint in ("district", "region") else "place")

    def _fuzzy_pool(self, countries: frozenset[str], initial: str) -> dict[str, tuple[str, str]]:
        """Keys of the places, extra villages and regions of some countries that start with `initial`."""
        cache_key = (countries, initial)
        pool = self._pools.get(cache_key)
        if pool is None:
            pool = {}
            for cc in sorted(countries):
                for k in self._keys_by_initial(cc).get(initial, ()):
                    pool[k] = ("city", k)
                for k in self.extra_by_country.get(cc, ()):
                    if k[:1] == initial:
                        pool[k] = ("extra", k)
            for k, region in self.region_keys.items():
                if k[:1] == initial and set(region.countries) & countries:
                    pool[k] = ("region", k)
            if len(self._pools) > 512:
                self._pools.clear()
            self._pools[cache_key] = pool
        return pool

    def _keys_by_initial(self, country: str) -> dict[str, list[str]]:
        """A country's place keys (in the index's order) by their first letter, read from the index once."""
        by_initial = self._initials.get(country)
        if by_initial is None:
            by_initial = self._initials[country] = {}
            for k in self.index.keys_in(country):
                by_initial.setdefault(k[:1], []).append(k)
        return by_initial

    # ----- document context -----
    def containing_region(self, ctx: PlaceContext | None) -> Place | None:
        """The region the document is most about, else its most named country."""
        if ctx is None:
            return None
        if ctx.regions:
            name = ctx.regions.most_common(1)[0][0]
            region = self.region_by_name(name)
            if region is not None:
                return region.to_place()
        if ctx.countries:
            iso = ctx.countries.most_common(1)[0][0]
            if iso in self.index.countries:
                return self.country_place(iso)
        return None
