"""From Report models to the columns the clustering core works on."""
from __future__ import annotations

import datetime as dt
import re
import zlib

import numpy as np

from warledger.fuse.core import COUNTRY, DISTRICT, NOWHERE, PLACE, REGION, ReportColumns
from warledger.fuse.rules import camp, load_rules
from warledger.models import Document, Report
from warledger.resolve.text import ascii_text

LEVELS = {"place": PLACE, "district": DISTRICT, "region": REGION, "country": COUNTRY}
NAME_CODE_BASE = 10_000_000_000   # name codes sit above every GeoNames id
SIGNATURE_SIZE = 16
_PRIME = (1 << 61) - 1
_rng = np.random.default_rng(20201017)   # fixed seed: the same input always gives the same signatures
_PERM_A = _rng.integers(1, _PRIME, SIGNATURE_SIZE, dtype=np.uint64)
_PERM_B = _rng.integers(0, _PRIME, SIGNATURE_SIZE, dtype=np.uint64)
_WORD = re.compile(r"[a-z0-9]{4,}")


def norm(text: str | None) -> str:
    """Lower-case ASCII words joined by single spaces (for comparing names)."""
    text = ascii_text(str(text or "")).lower()
    text = re.sub(r"^the\s+", "", text.strip())
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def day_number(date: dt.date) -> int:
    return date.toordinal() - dt.date(1970, 1, 1).toordinal()


class Interner:
    """Dense integer codes for strings (deterministic for the same input order)."""

    def __init__(self, base: int = 0):
        self.codes: dict[str, int] = {}
        self.base = base

    def __call__(self, key: str | None) -> int:
        if key is None:
            return -1
        return self.codes.setdefault(key, self.base + len(self.codes))


def place_name_key(name: str | None, rules: dict | None = None) -> str:
    """A place name as compared: normalised, filler words dropped, aliases applied (rules.yaml)."""
    rules = rules or load_rules()
    drop = set(rules.get("place_name_drop_words", []))
    key = " ".join(w for w in norm(name).split() if w not in drop)
    return rules.get("place_aliases", {}).get(key, key)


def place_keys(report: Report) -> tuple[str | None, int, str | None, str | None]:
    """(place key, level, admin1 area key, country area key) of a report's place."""
    loc = report.location
    if loc is None:
        if report.location_text and place_name_key(report.location_text):
            return f"name:{place_name_key(report.location_text)}", PLACE, None, None
        return None, NOWHERE, None, None
    level = LEVELS.get(loc.precision, PLACE)
    country = f"country:{loc.country}" if loc.country else None
    admin1 = f"area:{loc.country}:{loc.admin1}" if loc.country and loc.admin1 else None
    if level == COUNTRY:
        key = country or f"name:{place_name_key(loc.name)}"
    elif level == REGION and admin1 and not loc.geonameid:
        key = admin1
    elif loc.geonameid:
        key = f"geo:{loc.geonameid}"
    else:
        key = f"name:{place_name_key(loc.name)}"
    return key, level, admin1, country


def evidence_signature(report: Report) -> np.ndarray:
    """A small MinHash of the evidence words (stable across processes: crc32, fixed permutations)."""
    words = {w for e in report.evidence for w in _WORD.findall(ascii_text(e.text).lower())}
    if not words:
        return np.arange(SIGNATURE_SIZE, dtype=np.uint64) + np.uint64(1 << 62)   # matches nothing real
    hashes = np.array([zlib.crc32(w.encode()) for w in sorted(words)], dtype=np.uint64)
    with np.errstate(over="ignore"):
        mixed = (hashes[:, None] * _PERM_A[None, :] + _PERM_B[None, :]) % np.uint64(_PRIME)
    return mixed.min(axis=0)


def report_columns(reports: list[Report], documents: dict[str, Document], rules: dict,
                   clustered: list[bool]) -> ReportColumns:
    """Columns for `reports`; rows where `clustered` is False get family -1 (left out of clustering)."""
    docs, claimants, places, camps, parties_codes = (Interner(), Interner(), Interner(NAME_CODE_BASE),
                                                     Interner(), Interner())
    family_code = {name: k for k, name in enumerate(rules["family_names"])}
    slack_days = rules["date_slack_days"]
    by_parties_families = set(rules.get("match_by_parties", []))
    n = len(reports)
    out = {name: np.full(n, -1, dtype=np.int64) for name in
           ("doc", "claimant", "family", "day", "slack", "level", "place", "area1", "area2", "parties",
            "actor1", "actor2", "killed")}
    lat, lon = np.full(n, np.nan), np.full(n, np.nan)
    by_parties = np.zeros(n, bool)
    signature = np.zeros((n, SIGNATURE_SIZE), dtype=np.uint64)
    for k, r in enumerate(reports):
        doc = documents.get(r.doc_id)
        out["doc"][k] = docs(r.doc_id)
        out["claimant"][k] = claimants(f"{norm(r.claimant.name)}|{r.stance}")
        family = rules["family_of"].get(r.sub_event_type or "")
        date, slack = r.date, slack_days.get(r.date_precision, 0)
        if date is None and doc is not None and doc.published:
            date, slack = doc.published, slack_days.get("week", 3)   # undated: around publication
        if clustered[k] and family is not None and date is not None:
            out["family"][k] = family_code[family]
            by_parties[k] = family in by_parties_families
        out["day"][k] = day_number(date) if date else 0
        out["slack"][k] = slack
        key, level, admin1, country = place_keys(r)
        if key and key.startswith("geo:"):
            out["place"][k] = int(key[4:])
        else:
            out["place"][k] = places(key)
        out["level"][k] = level
        out["area1"][k] = places(admin1) if level <= DISTRICT else -1
        out["area2"][k] = places(country) if level <= REGION else -1
        if r.location is not None and r.location.lat is not None and r.location.lon is not None:
            lat[k], lon[k] = r.location.lat, r.location.lon
        c1 = camp(r.actor1.side if r.actor1 else None, rules)
        c2 = camp(r.actor2.side if r.actor2 else None, rules)
        out["actor1"][k], out["actor2"][k] = camps(c1), camps(c2)
        if c1 and c2 and c1 != c2:
            out["parties"][k] = parties_codes("|".join(sorted((c1, c2))))
        out["killed"][k] = r.killed if r.killed is not None else -1
        signature[k] = evidence_signature(r)
    return ReportColumns(lat=lat, lon=lon, by_parties=by_parties, signature=signature, **out)
