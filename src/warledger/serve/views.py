"""The analyst's views of the API: summaries, disagreements, running totals, outlets and exports.

Every endpoint here that lists events takes the same filter parameters as `/api/events` (`event_filters`,
a name repeated for several values), so the page's URL, the API and `warledger export` agree.
`create_app` includes `router`; the answers are computed by `analysis` functions that the static report
calls too.
"""
from __future__ import annotations

import datetime as dt
import io
from typing import Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response

from warledger.serve import analysis
from warledger.serve.filters import EventFilters
from warledger.serve.outlets import outlet_list, outlet_page

router = APIRouter()
EXPORTS = {"csv": ("text/csv; charset=utf-8", "csv"), "acled-csv": ("text/csv; charset=utf-8", "csv"),
           "geojson": ("application/geo+json", "geojson")}


async def event_filters(date_from: dt.date | None = None, date_to: dt.date | None = None,
                  event_type: list[str] = Query([], description="ACLED event type (repeat for several)"),
                  sub_event_type: list[str] = Query([], description="ACLED sub-event type (repeat for several)"),
                  side: list[str] = Query([], description="a side of actor 1 or actor 2 (AZ, AM, NK, XX, ...)"),
                  place: list[str] = Query([], description="part of the place name"),
                  claimant: list[str] = Query([], description="part of a claimant's name"),
                  contested: bool = Query(False, description="only events with contradictions"),
                  q: str | None = Query(None, description="words that must all occur in the event's text"),
                  ) -> EventFilters:
    """The filter parameters every event endpoint takes (one FastAPI dependency, declared once; async, so
    reading them takes no trip through a worker thread)."""
    return EventFilters(date_from=date_from, date_to=date_to, event_type=event_type,
                        sub_event_type=sub_event_type, side=side, place=place, claimant=claimant,
                        contested=contested, q=q)


Filters = Depends(event_filters)


def _ledger(request: Request):
    return request.app.state.ledger


def _json(request: Request, content) -> Response:
    return request.app.router.default_response_class(content)


@router.get("/api/labels", tags=["meta"])
def labels(request: Request):
    """Names for codes (each side code's name, the event type of each sub-event type), the store's file
    name and warledger's version (the page's footer)."""
    return _json(request, analysis.labels(_ledger(request)))


@router.get("/api/summary", tags=["events"])
def summary(request: Request, filters: EventFilters = Filters):
    """Figures of the matching events: how many, located, contested; killed and wounded (best, low, high)."""
    return _json(request, analysis.summary(_ledger(request), filters))


@router.get("/api/disagreements", tags=["events"])
def disagreements(request: Request, filters: EventFilters = Filters,
                  kind: list[Literal["responsibility_denied", "perpetrator", "figures", "place", "date"]] =
                  Query([], description="only these kinds"),
                  limit: int = Query(100, ge=0, le=500), offset: int = Query(0, ge=0)):
    """What the sources disagree on, one row per disagreement (not per pair of claims), copies counted
    once, in words, with the claims on each side and their evidence."""
    return _json(request, analysis.disagreements(_ledger(request), filters, kind, limit, offset))


@router.get("/api/events/{event_id}/disagreements", tags=["events"])
def event_disagreements(request: Request, event_id: str):
    """The disagreements of one event, as `/api/disagreements` words them."""
    ledger = _ledger(request)
    return _json(request, {"items": analysis.event_rows(ledger, event_id)})


@router.get("/api/running-totals", tags=["tallies"])
def running_totals(request: Request, filters: EventFilters = Filters):
    """Claimed running totals as charts: one per counter and measure (killed, wounded, materiel), one
    series per claimant. Of the filters, the dates, sides (the claimant's or the victims') and claimants
    apply."""
    return _json(request, analysis.running_totals(_ledger(request), filters))


@router.get("/api/outlets", tags=["documents"])
def outlets(request: Request):
    """Every outlet: documents, claims carried, events, how often its claims are contested, loaded terms."""
    return _json(request, outlet_list(analysis.outlet_profiles(_ledger(request))))


@router.get("/api/outlets/{outlet:path}", tags=["documents"])
def outlet(request: Request, outlet: str):
    """One outlet: its claims, whose figures it repeats, how often contested, its loaded terms."""
    found = outlet_page(analysis.outlet_profiles(_ledger(request)), outlet)
    if found is None:
        raise HTTPException(404, f"no outlet {outlet!r} in this store")
    return _json(request, found)


@router.get("/api/export", tags=["events"])
def export_events(request: Request, filters: EventFilters = Filters,
                  format: Literal["csv", "geojson", "acled-csv"] = "csv"):
    """The matching events as a file: flat CSV, GeoJSON or ACLED CSV (what `warledger export --format ...`
    writes for the same filters)."""
    from warledger.export import FORMATS, FilteredStore

    ledger = _ledger(request)
    buffer = io.StringIO()
    FORMATS[format](FilteredStore(ledger.store, filters, ledger.index), buffer)
    media, ext = EXPORTS[format]
    name = f"warledger-events.{ext}" if format != "acled-csv" else "warledger-events-acled.csv"
    return Response(buffer.getvalue(), media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
