"""ACLED-style CSV: one row per fused event, in ACLED's current column set.

Codes that ACLED derives (inter codes, disorder type, region, precisions) are coded by the rules in
`acled.yaml`. Fatalities follow ACLED's conservative rule: the lowest reliable figure, 0 when unknown.
"""
from __future__ import annotations

import csv
import functools
import re
import time
from importlib import resources
from typing import IO

import yaml

from warledger.countries import country_name, country_record
from warledger.export.tables import outlets
from warledger.models import Actor, Claim, Event

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude",
    "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]

# pandas dtypes of the columns that are not text, for readers: pd.read_csv(f, dtype=ACLED_DTYPES).
ACLED_DTYPES = {"year": "int64", "time_precision": "int64", "inter1": "int64", "inter2": "int64",
                "interaction": "int64", "iso": "int64", "latitude": "float64", "longitude": "float64",
                "geo_precision": "int64", "fatalities": "int64", "timestamp": "int64"}


@functools.lru_cache(maxsize=1)
def rules() -> dict:
    text = resources.files("warledger.export").joinpath("acled.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    data["region_of"] = {code: region for region, codes in data["regions"].items() for code in codes}
    return data


def _words(name: str) -> str:
    return " " + re.sub(r"[^a-z0-9]+", " ", name.lower()).strip() + " "


def inter_code(actor: Actor | None) -> int:
    """ACLED's inter code of an actor (0 when there is no actor), by the first matching rule."""
    if actor is None:
        return 0
    words, side = _words(actor.name), (actor.side or "").upper()
    for rule in rules()["inter_rules"]:
        if any(f" {n} " in words for n in rule.get("names", ())):
            return rule["code"]
        if side and side in rule.get("sides", ()):
            return rule["code"]
        if rule.get("state_side") and len(side) == 2 and country_record(side) is not None:
            return rule["code"]
    return rules()["default_inter"]


def interaction_code(inter1: int, inter2: int) -> int:
    """ACLED's interaction: the two inter codes, lower first; a lone actor's code followed by 0."""
    if not inter1 or not inter2:
        return (inter1 or inter2) * 10
    low, high = sorted((inter1, inter2))
    return low * 10 + high


def disorder_type(event: Event) -> str:
    data = rules()
    return (data["disorder_by_sub_event"].get(event.sub_event_type or "")
            or data["disorder_by_event_type"].get(event.event_type or "", ""))


def fatalities(event: Event) -> int:
    """ACLED's conservative rule: the lowest reliable figure; 0 when no figure is known."""
    for value in (event.killed.low, event.killed.best):
        if value is not None:
            return value
    return 0


def _figure(value: int | None, qualifier: str | None, noun: str) -> str | None:
    if value is None:
        return None
    prefix = {"at_least": "at least ", "approx": "about "}.get(qualifier or "", "")
    return f"{prefix}{value} {noun}"


def _claim_text(claim: Claim) -> str:
    figures = [f for f in (_figure(claim.killed, claim.killed_qualifier, "killed"),
                           _figure(claim.wounded, claim.wounded_qualifier, "wounded")) if f]
    who = claim.claimant.name + (f" ({claim.claimant.side})" if claim.claimant.side else "")
    if claim.stance == "denied":
        return f"{who} denied it"
    return f"{who}: {', '.join(figures)}" if figures else f"{who} reported it"


def notes(event: Event) -> str:
    """One paragraph: what happened where and when, each claim, and what the sources disagree on."""
    what = (event.sub_event_type or event.event_type or "event").lower()
    place = event.location.name if event.location else (event.location_text or "an unknown place")
    when = f"On {event.date.day} {event.date:%B %Y}, " if event.date else ""
    by = f" by {event.actor1.name}" if event.actor1 else ""
    on = f" against {event.actor2.name}" if event.actor2 else ""
    parts = [f"{when}{what}{by}{on} in {place}."]
    current = [c for c in event.claims if not c.superseded]
    if current:
        parts.append("Claims: " + "; ".join(_claim_text(c) for c in current) + ".")
    if event.contradictions:
        parts.append("Disputed: " + "; ".join(
            c.detail or f"{c.kind.replace('_', ' ')} ({c.claimant_a} vs {c.claimant_b})"
            for c in event.contradictions) + ".")
    if event.killed.low is not None and event.killed.high not in (None, event.killed.low):
        parts.append(f"Fatalities range {event.killed.low}-{event.killed.high}; the lowest is coded.")
    return " ".join(parts)


def source_scale(event: Event, country: str | None) -> str:
    """National when the claimants are of the event's country, International when from elsewhere."""
    sides = {c.claimant.side for c in event.claims if c.claimant.side}
    home = {s for s in sides if country and s == country}
    abroad = sides - home
    if home and abroad:
        return "National-International"
    return "National" if home else ("International" if abroad else "")


def acled_row(event: Event, timestamp: int) -> dict:
    loc = event.location
    record = country_record(loc.country if loc else None)
    alpha2 = record.alpha_2 if record else None
    inter1, inter2 = inter_code(event.actor1), inter_code(event.actor2)
    data = rules()
    civilians = event.actor2 is not None and event.actor2.name.strip().lower() == "civilians"
    return {
        "event_id_cnty": f"{record.alpha_3 if record else 'XXX'}{event.event_id}",
        "event_date": event.date.isoformat() if event.date else "",
        "year": event.date.year if event.date else 0,
        "time_precision": data["time_precision"].get(event.date_precision, 3),
        "disorder_type": disorder_type(event),
        "event_type": event.event_type or "",
        "sub_event_type": event.sub_event_type or "",
        "actor1": event.actor1.name if event.actor1 else "",
        "assoc_actor_1": "",
        "inter1": inter1,
        "actor2": event.actor2.name if event.actor2 else "",
        "assoc_actor_2": "",
        "inter2": inter2,
        "interaction": interaction_code(inter1, inter2),
        "civilian_targeting": "Civilian targeting" if civilians else "",
        "iso": int(record.numeric) if record else 0,
        "region": data["region_of"].get(alpha2, "") if alpha2 else "",
        "country": (country_name(loc.country) or "") if loc else "",
        "admin1": (loc.admin1 or "") if loc else "",
        "admin2": "",
        "admin3": "",
        "location": (loc.name if loc else event.location_text) or "",
        "latitude": loc.lat if loc else None,
        "longitude": loc.lon if loc else None,
        "geo_precision": data["geo_precision"].get(loc.precision, 3) if loc else 3,
        "source": "; ".join(outlets(event)),
        "source_scale": source_scale(event, alpha2),
        "notes": notes(event),
        "fatalities": fatalities(event),
        "tags": "; ".join(event.flags),
        "timestamp": timestamp,
    }


def acled_rows(events: list[Event], timestamp: int | None = None) -> list[dict]:
    """The ACLED rows of the events that are things that happened (tallies and statements are not)."""
    stamp = int(time.time()) if timestamp is None else timestamp
    return [acled_row(e, stamp) for e in events if e.kind == "event"]


def write_acled_csv(events: list[Event], out: IO[str], timestamp: int | None = None) -> int:
    writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    rows = acled_rows(events, timestamp)
    writer.writerows(rows)
    return len(rows)


def export_acled_csv(store, out: IO[str], timestamp: int | None = None) -> int:
    """Write the store's events as ACLED CSV to the text stream `out`; returns the number of rows.

    `timestamp` (Unix seconds, ACLED's last-modified column) defaults to now.
    """
    return write_acled_csv(store.events(), out, timestamp)
