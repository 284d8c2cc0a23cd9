"""UCDP GED-style CSV: violent events with best/low/high fatalities and UCDP's precision codes.

Columns are UCDP GED's (version 23/24 order). UCDP's own ids (conflict, dyad, Gleditsch-Ward country
codes) are not known here and stay empty; figures the sources leave unknown stay empty, not 0.
"""
from __future__ import annotations

import csv
from typing import IO

from warledger.countries import country_name
from warledger.export.acled import inter_code
from warledger.export.tables import outlets
from warledger.models import Event

UCDP_COLUMNS = [
    "id", "relid", "year", "active_year", "code_status", "type_of_violence", "conflict_dset_id",
    "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id", "dyad_name", "side_a_dset_id",
    "side_a_new_id", "side_a", "side_b_dset_id", "side_b_new_id", "side_b", "number_of_sources",
    "source_article", "source_office", "source_date", "source_headline", "source_original", "where_prec",
    "where_coordinates", "where_description", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt",
    "priogrid_gid", "country", "country_id", "region", "event_clarity", "date_prec", "date_start", "date_end",
    "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high", "low", "gwnoa", "gwnob",
]

# UCDP covers organised violence: these event types; the rest (protests, strategic developments) are left out.
VIOLENT_EVENT_TYPES = {"Battles", "Explosions/Remote violence", "Violence against civilians"}
# where_prec: 1 exact place, 3 second-order division, 4 first-order division, 6 country.
WHERE_PREC = {"place": 1, "district": 3, "region": 4, "country": 6}
# date_prec: 1 the day, 3 within a week, 4 within a month.
DATE_PREC = {"day": 1, "week": 3, "month": 4}
STATE, CIVILIANS = 1, 7


def type_of_violence(event: Event) -> int:
    """1 state-based, 2 non-state, 3 one-sided (an organised actor against civilians)."""
    inter1, inter2 = inter_code(event.actor1), inter_code(event.actor2)
    if event.event_type == "Violence against civilians" or inter2 == CIVILIANS:
        return 3
    if STATE in (inter1, inter2) or not (inter1 and inter2):
        return 1
    return 2


def ucdp_row(event: Event) -> dict:
    loc = event.location
    one_sided = type_of_violence(event) == 3
    claimants = list(dict.fromkeys(c.claimant.name for c in event.claims))
    side_a = event.actor1.name if event.actor1 else ""
    side_b = event.actor2.name if event.actor2 else ""
    best = event.killed.best
    date = event.date.isoformat() if event.date else ""
    has_point = loc is not None and loc.lat is not None and loc.lon is not None
    return {
        "id": event.event_id, "relid": event.event_id,
        "year": event.date.year if event.date else "", "active_year": "", "code_status": "warledger",
        "type_of_violence": type_of_violence(event),
        "conflict_dset_id": "", "conflict_new_id": "", "conflict_name": "",
        "dyad_dset_id": "", "dyad_new_id": "",
        "dyad_name": f"{side_a} - {side_b}" if side_a and side_b else "",
        "side_a_dset_id": "", "side_a_new_id": "", "side_a": side_a,
        "side_b_dset_id": "", "side_b_new_id": "", "side_b": side_b,
        "number_of_sources": len(event.sources),
        "source_article": "; ".join(outlets(event)), "source_office": "", "source_date": "",
        "source_headline": "",
        "source_original": "; ".join(claimants),
        "where_prec": WHERE_PREC.get(loc.precision, 6) if loc else 6,
        "where_coordinates": loc.name if loc else "",
        "where_description": event.location_text or "",
        "adm_1": (loc.admin1 or "") if loc else "", "adm_2": "",
        "latitude": loc.lat if has_point else None, "longitude": loc.lon if has_point else None,
        "geom_wkt": f"POINT ({loc.lon} {loc.lat})" if has_point else "",
        "priogrid_gid": "",
        "country": (country_name(loc.country) or "") if loc else "", "country_id": "", "region": "",
        "event_clarity": 2 if event.contradictions else 1,
        "date_prec": DATE_PREC.get(event.date_precision, 4),
        "date_start": date, "date_end": date,
        "deaths_a": None, "deaths_b": None,
        "deaths_civilians": best if one_sided else None,
        "deaths_unknown": None if one_sided else best,
        "best": best, "high": event.killed.high, "low": event.killed.low,
        "gwnoa": "", "gwnob": "",
    }


def write_ucdp_csv(events: list[Event], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=UCDP_COLUMNS, lineterminator="\n")
    writer.writeheader()
    rows = [ucdp_row(e) for e in events if e.kind == "event" and e.event_type in VIOLENT_EVENT_TYPES]
    writer.writerows(rows)
    return len(rows)


def export_ucdp_csv(store, out: IO[str]) -> int:
    """Write the store's violent events as UCDP GED CSV to the text stream `out`; returns the row count."""
    return write_ucdp_csv(store.events(), out)
