"""What the analyst's views compute over a `Ledger`: summary figures, disagreements, running-total charts
and outlet profiles (the API's `views.py` and the static report both call these)."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from warledger.serve.disagreements import _side_names as known_sides
from warledger.serve.disagreements import event_disagreements, side_name, side_names
from warledger.serve.filters import EventFilters
from warledger.serve.outlets import outlet_profiles as _profiles

__all__ = ["disagreements", "known_sides", "outlet_profiles", "running_totals", "side_names", "summary"]

MEASURES = ("killed", "wounded", "materiel")
_COUNTER = re.compile(r"^(?P<side>\S+) (?P<victims>\S+) (?P<what>\S+)(?: since (?P<start>\d{4}-\d\d-\d\d))?$")
MATERIEL_NAMES = {"armored_vehicle": "armoured vehicles", "air_defense": "air-defence systems",
                  "artillery": "artillery pieces", "other": "other materiel"}


def labels(ledger) -> dict:
    """Names for codes, the store's file name and warledger's version."""
    from warledger import __version__
    from warledger.models import SUB_EVENT_TYPES

    codes = [s["side"] for s in ledger.stats()["sides"]] + list(known_sides())
    return {"sides": side_names(codes), "sub_event_types": SUB_EVENT_TYPES,
            "store": Path(ledger.store_path).name if getattr(ledger, "store_path", None) else None,
            "version": __version__}


def static_views(ledger, event_ids: list[str]) -> dict:
    """What the static report adds to the snapshot: labels, the disagreements, running totals and outlets
    (the page filters them in the browser)."""
    from warledger.serve.outlets import outlet_list, outlet_page

    everything = EventFilters()
    events = _events_json(ledger, event_ids)
    docs = _documents(ledger, {c["doc_id"] for e in events for c in e.get("claims") or []})
    profiles = outlet_profiles(ledger)
    return {"labels": labels(ledger), "disagreements": [r for e in events for r in event_disagreements(e, docs)],
            "running_totals": running_totals(ledger, everything),
            "outlets": {"list": outlet_list(profiles), "pages": {name: outlet_page(profiles, name) for name in profiles}}}


def summary(ledger, filters: EventFilters) -> dict:
    """How many events match, and their killed and wounded summed (best, low, high)."""
    where, params = ledger._where(filters)
    row = ledger.index.cursor().execute(
        "SELECT count(*), count(lat), count(*) FILTER (WHERE contested),"
        " sum(killed_best), sum(coalesce(killed_low, killed_best)), sum(coalesce(killed_high, killed_best)),"
        " count(killed_best), sum(wounded_best), sum(coalesce(wounded_low, wounded_best)),"
        " sum(coalesce(wounded_high, wounded_best)), count(wounded_best)"
        f" FROM event_index{where}", params).fetchone()
    def figures(best, low, high, known):
        return {"best": int(best or 0), "low": int(low or 0), "high": int(high or 0), "events_with_figure": known}
    return {"events": row[0], "located": row[1], "contested": row[2],
            "killed": figures(*row[3:7]), "wounded": figures(*row[7:11])}


def _documents(ledger, doc_ids) -> dict[str, dict]:
    return ledger._documents_meta(sorted(doc_ids))


def disagreements(ledger, filters: EventFilters, kinds=(), limit: int = 100, offset: int = 0) -> dict:
    """The disagreements of the matching events, newest event first, one row each."""
    where, params = ledger._where(filters, "contested")
    ids = [r[0] for r in ledger.index.cursor().execute(
        f"SELECT event_id FROM event_index{where} ORDER BY rank_date_desc", params).fetchall()]
    events = _events_json(ledger, ids)
    docs = _documents(ledger, {c["doc_id"] for e in events for c in e.get("claims") or []})
    rows = [row for e in events for row in event_disagreements(e, docs) if not kinds or row["kind"] in kinds]
    limit, offset = max(0, min(int(limit), 500)), max(0, int(offset))
    return {"total": len(rows), "events": len(events), "limit": limit, "offset": offset,
            "items": rows[offset:offset + limit]}


def event_rows(ledger, event_id: str) -> list[dict]:
    """The disagreements of one event (none for an unknown id)."""
    events = _events_json(ledger, [event_id])
    docs = _documents(ledger, {c["doc_id"] for e in events for c in e.get("claims") or []})
    return [row for e in events for row in event_disagreements(e, docs)]


def _events_json(ledger, ids: list[str]) -> list[dict]:
    if not ids:
        return []
    rows = dict(ledger._store().execute("SELECT event_id, data FROM events WHERE event_id IN"
                                        " (SELECT unnest(?::VARCHAR[]))", [ids]).fetchall())
    return [json.loads(rows[i]) for i in ids if i in rows]


def _long_date(iso: str) -> str:
    day = dt.date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def counter_title(counter: str, measure: str, materiel: list[str] | None = None) -> str:
    """A tally counter in words: "AM military killed/wounded since 2020-09-27", killed ->
    "Military of Armenia killed since 27 September 2020"."""
    match = _COUNTER.match(counter)
    if not match:
        return f"{counter[:1].upper()}{counter[1:]} ({measure})"
    side, victims = match["side"], match["victims"]
    who = victims.capitalize() if side == "any" else f"{victims.capitalize()} of {side_name(side)}"
    if measure == "materiel":
        kinds = [MATERIEL_NAMES.get(m, m.replace("_", " ") + "s") for m in (materiel or [])]
        what = ("Materiel lost" if not kinds else " and ".join(kinds).capitalize() + " lost")
        title = what if side == "any" else f"{what} by {side_name(side)}"
    else:
        title = f"{who} {measure}"
    return title + (f" since {_long_date(match['start'])}" if match["start"] else "")


def _materiel_counts(ledger, report_ids: list[str]) -> dict[str, tuple[int, list[str]]]:
    """report_id -> (materiel items counted, their types) for the tally reports that count materiel."""
    if not report_ids:
        return {}
    rows = ledger._store().execute("SELECT report_id, data->'$.materiel' FROM reports WHERE report_id IN"
                                   " (SELECT unnest(?::VARCHAR[]))", [report_ids]).fetchall()
    out = {}
    for report_id, materiel in rows:
        items = json.loads(materiel or "[]")
        if items:
            out[report_id] = (sum(m.get("count") or 1 for m in items), sorted({m["type"] for m in items}))
    return out


def _series_kept(series: dict, filters: EventFilters) -> bool:
    who = series.get("claimant") or {}
    if filters.claimant and not any(c.lower() in (who.get("name") or "").lower() for c in filters.claimant):
        return False
    if filters.side:
        match = _COUNTER.match(series.get("counter") or "")
        sides = {who.get("side"), match["side"] if match else None}
        if not sides & {s.upper() for s in filters.side}:
            return False
    return True


def running_totals(ledger, filters: EventFilters) -> list[dict]:
    """Charts of claimed running totals: one per counter and measure, with a series per claimant whose
    points fall in the date range (a chart with no point left is dropped)."""
    series = [s for s in ledger.tallies() if _series_kept(s, filters)]
    materiel = _materiel_counts(ledger, [p["report_id"] for s in series for p in s["points"]])
    charts: dict[tuple[str, str], dict] = {}
    for s in series:
        who = s.get("claimant") or {}
        for measure in MEASURES:
            points = []
            for p in s["points"]:
                if not p.get("date") or (filters.date_from and p["date"] < filters.date_from.isoformat()) \
                        or (filters.date_to and p["date"] > filters.date_to.isoformat()):
                    continue
                if measure == "materiel":
                    value, qualifier = materiel.get(p["report_id"], (None, None))[0], None
                else:
                    value, qualifier = p.get(measure), p.get(f"{measure}_qualifier")
                if value is not None:
                    points.append({"date": p["date"], "value": value, "qualifier": qualifier,
                                   "doc_id": p["doc_id"], "report_id": p["report_id"]})
            if not points:
                continue
            key = (s["counter"], measure)
            kinds = sorted({t for p in points for t in materiel.get(p["report_id"], (0, []))[1]})
            chart = charts.setdefault(key, {"counter": s["counter"], "measure": measure, "series": [],
                                            "title": counter_title(s["counter"], measure, kinds)})
            chart["series"].append({"claimant": who.get("name") or "?", "side": who.get("side"),
                                    "side_name": side_name(who.get("side")), "points": points})
    return sorted(charts.values(), key=lambda c: (MEASURES.index(c["measure"]), -sum(
        len(s["points"]) for s in c["series"]), c["title"]))


def outlet_profiles(ledger) -> dict[str, dict]:
    """The outlet profiles of the ledger's store, computed once (the store is opened read-only)."""
    return ledger._once(("outlets",), lambda: _profiles(ledger._store()))
