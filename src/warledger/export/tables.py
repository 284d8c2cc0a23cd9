"""Flat rows of reports, events and documents: one dict per object, scalar columns only.

Parquet, GeoJSON properties and the Python API's data frames are all built from these rows, so a column
has the same name and meaning everywhere. The full object stays available as JSON in the `json` column.
"""
from __future__ import annotations

import json
from urllib.parse import urlsplit

from warledger.errors import ExportError
from warledger.models import Claimant, Document, Event, Report


def outlets(event: Event) -> list[str]:
    """The outlets of an event's sources, each once, in order (a source without one: its web site)."""
    names = (s.outlet or (urlsplit(s.url).hostname if s.url else None) for s in event.sources)
    return list(dict.fromkeys(n for n in names if n))


def _where_and_who(item: Event | Report) -> dict:
    """The place and actor columns events and reports share."""
    loc, a1, a2 = item.location, item.actor1, item.actor2
    return {
        "place": loc.name if loc else None,
        "location_text": item.location_text,
        "geonameid": loc.geonameid if loc else None,
        "lat": loc.lat if loc else None,
        "lon": loc.lon if loc else None,
        "admin1": loc.admin1 if loc else None,
        "country": loc.country if loc else None,
        "place_precision": loc.precision if loc else None,
        "actor1": a1.name if a1 else None,
        "actor1_side": a1.side if a1 else None,
        "actor2": a2.name if a2 else None,
        "actor2_side": a2.side if a2 else None,
    }


def event_row(event: Event) -> dict:
    return {
        "event_id": event.event_id,
        "kind": event.kind,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "date": event.date,
        "date_precision": event.date_precision,
        **_where_and_who(event),
        "killed_best": event.killed.best,
        "killed_low": event.killed.low,
        "killed_high": event.killed.high,
        "wounded_best": event.wounded.best,
        "wounded_low": event.wounded.low,
        "wounded_high": event.wounded.high,
        "claims": len(event.claims),
        "contradictions": len(event.contradictions),
        "contested": bool(event.contradictions),
        "sources": len(event.sources),
        "independent_sources": event.independent_sources,
        "outlets": "; ".join(outlets(event)) or None,
        "flags": "; ".join(event.flags) or None,
        "confidence": event.confidence,
        "json": event.model_dump_json(),
    }


def report_row(report: Report) -> dict:
    return {
        "report_id": report.report_id,
        "doc_id": report.doc_id,
        "event_id": report.event_id,
        "kind": report.kind,
        "event_type": report.event_type,
        "sub_event_type": report.sub_event_type,
        "statement_type": report.statement_type,
        "date": report.date,
        "date_start": report.date_start,
        "date_precision": report.date_precision,
        **_where_and_who(report),
        "killed": report.killed,
        "killed_qualifier": report.killed_qualifier,
        "wounded": report.wounded,
        "wounded_qualifier": report.wounded_qualifier,
        "materiel": len(report.materiel),
        "claimant": report.claimant.name,
        "claimant_side": report.claimant.side,
        "claimant_kind": report.claimant.kind,
        "stance": report.stance,
        "quote": report.evidence[0].text if report.evidence else None,
        "confidence": report.confidence,
        "json": json.dumps(report.contract(), ensure_ascii=False),
    }


def document_row(doc: Document) -> dict:
    row = doc.model_dump()
    row["chars"] = len(doc.text)
    return row


# Column types for Arrow/Parquet, so an empty table still has the right schema.
EVENT_TYPES = {"date": "date", "lat": "float", "lon": "float", "geonameid": "int", "killed_best": "int",
               "killed_low": "int", "killed_high": "int", "wounded_best": "int", "wounded_low": "int",
               "wounded_high": "int", "claims": "int", "contradictions": "int", "contested": "bool",
               "sources": "int", "independent_sources": "int", "confidence": "float"}
REPORT_TYPES = {"date": "date", "date_start": "date", "lat": "float", "lon": "float", "geonameid": "int",
                "killed": "int", "wounded": "int", "materiel": "int", "confidence": "float"}
DOCUMENT_TYPES = {"published": "date", "published_inferred": "bool", "chars": "int"}


TABLE_WHATS = ("reports", "events", "documents")
_ROW = {"reports": report_row, "events": event_row, "documents": document_row}
_TYPES = {"reports": REPORT_TYPES, "events": EVENT_TYPES, "documents": DOCUMENT_TYPES}
_BLANK = {"reports": lambda: Report(doc_id="", kind="event", claimant=Claimant(name="")),
          "events": lambda: Event(event_id=""), "documents": lambda: Document(doc_id="", text="")}


def _check(what: str) -> None:
    if what not in _ROW:
        raise ExportError(f"no table of {what!r}: choose one of {', '.join(TABLE_WHATS)}.")


def rows(store, what: str) -> list[dict]:
    """The flat rows of the store's reports, events or documents."""
    _check(what)
    objects = {"reports": store.reports, "events": store.events, "documents": store.documents}[what]()
    return [_ROW[what](o) for o in objects]


def columns(what: str) -> list[str]:
    """The column names of a table, also when the store holds no rows of it."""
    _check(what)
    return list(_ROW[what](_BLANK[what]()))


def column_types(what: str) -> dict[str, str]:
    """Columns that are not text: name -> date, float, int or bool."""
    _check(what)
    return _TYPES[what]
