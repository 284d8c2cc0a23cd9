"""GeoJSON: events with coordinates as Point features; properties are the event's flat row."""
from __future__ import annotations

import datetime as dt
import json
import logging
from typing import IO

from warledger.export.tables import event_row
from warledger.models import Event

log = logging.getLogger(__name__)


def event_feature(event: Event) -> dict | None:
    """One Feature, or None when the event has no coordinates."""
    loc = event.location
    if loc is None or loc.lat is None or loc.lon is None:
        return None
    props = {k: (v.isoformat() if isinstance(v, dt.date) else v)
             for k, v in event_row(event).items() if k != "json"}
    props["claims_list"] = [c.model_dump(mode="json", include={"report_id", "doc_id", "claimant", "stance",
                                                               "killed", "wounded"}) for c in event.claims]
    return {"type": "Feature", "id": event.event_id,
            "geometry": {"type": "Point", "coordinates": [loc.lon, loc.lat]}, "properties": props}


def feature_collection(events: list[Event]) -> dict:
    features = [f for f in map(event_feature, events) if f is not None]
    if len(features) < len(events):
        log.info("GeoJSON: %d of %d events have no coordinates and are left out",
                 len(events) - len(features), len(events))
    return {"type": "FeatureCollection", "features": features}


def export_geojson(store, out: IO[str]) -> int:
    """Write the store's located events as a GeoJSON FeatureCollection; returns the number of features."""
    collection = feature_collection(store.events())
    json.dump(collection, out, ensure_ascii=False)
    out.write("\n")
    return len(collection["features"])
