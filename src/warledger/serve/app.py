"""The dashboard: a FastAPI app serving a read-only JSON API and a single-page front end.

`create_app(db)` opens the store read-only (no endpoint writes anything) and serves:
``/api/...`` (JSON, described at ``/openapi.json``), ``/static/...`` (the page's own JS/CSS and the vendored
Leaflet) and ``/`` (the page). Every response carries security headers; the page's Content-Security-Policy
allows scripts and styles from the app only, so even if article text reached the DOM as markup it could not
run script.
"""
from __future__ import annotations

import datetime as dt
import ipaddress
import json
import logging
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from warledger.serve.queries import EventFilters, Ledger
from warledger.serve.views import Filters
from warledger.serve.views import router as views_router
from warledger.store import Store

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
OUTLINES = STATIC / "world-110m.geojson"
SortKey = Literal["date", "killed", "place", "type", "sources"]
DEFAULT_ATTRIBUTION = "Outlines: Natural Earth (public domain)"
# FastAPI's interactive docs load Swagger UI from a CDN with an inline script: they get their own policy.
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
            "style-src 'self' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com")


class FastJSON(JSONResponse):
    """JSON straight from the query results (dates as ISO strings), skipping FastAPI's per-field encoder,
    which costs more than the query itself on a 20,000-point map."""

    def render(self, content) -> bytes:
        return json.dumps(content, ensure_ascii=False, separators=(",", ":"), default=_iso).encode("utf-8")


def _iso(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def tile_origin(tile_url: str | None) -> str | None:
    """The origin (scheme://host[:port]) of a tile URL template, for the CSP's img-src."""
    if not tile_url:
        return None
    parts = urlsplit(tile_url.replace("{s}", "a"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"tile URL must be an http(s) URL template like "
                         f"https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png, not {tile_url!r}")
    host = parts.netloc.replace("a.", "*.", 1) if "{s}" in tile_url else parts.netloc
    return f"{parts.scheme}://{host}"


def content_security_policy(tile_url: str | None = None) -> str:
    images = " ".join(filter(None, ["'self'", "data:", tile_origin(tile_url)]))
    return ("default-src 'self'; script-src 'self'; style-src 'self'; "
            f"img-src {images}; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            "form-action 'none'; frame-ancestors 'none'")


def create_app(db: str | Path | Store | Ledger = "warledger.duckdb", tile_url: str | None = None,
               tile_attribution: str | None = None) -> FastAPI:
    """Build the dashboard app over a store (a path, an open `Store`, or a `Ledger`); nothing is written.

    A store the app opened itself (from a path) is closed when the app shuts down."""
    csp = content_security_policy(tile_url)  # a bad tile URL fails before anything is opened
    ledger, owned = Ledger.of(db)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        if owned:
            ledger.close()

    app = FastAPI(title="warledger", version="1", docs_url="/api/docs", redoc_url=None,
                  default_response_class=FastJSON, lifespan=lifespan,
                  description="Read-only API over a warledger store: events fused from sourced reports, "
                              "their claims, contradictions, sources and documents.")
    app.state.ledger = ledger

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        docs = request.url.path == "/api/docs"
        response.headers["Content-Security-Policy"] = DOCS_CSP if docs else csp
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
        return response

    @app.get("/api/config", tags=["meta"])
    def config() -> FastJSON:
        """What the page needs to draw the map: the tile URL (None: offline outlines only)."""
        return FastJSON({"tile_url": tile_url, "tile_attribution": tile_attribution or DEFAULT_ATTRIBUTION,
                         "outlines_url": "static/world-110m.geojson", "mode": "server"})

    @app.get("/api/stats", tags=["meta"])
    def stats() -> FastJSON:
        """Counts, date range, events per type and side (the values the filters offer)."""
        return FastJSON(ledger.stats())

    @app.get("/api/events", tags=["events"])
    def events(filters: EventFilters = Filters, sort: SortKey = "date", order: Literal["asc", "desc"] = "desc",
               limit: int = Query(50, ge=0, le=500), offset: int = Query(0, ge=0)) -> FastJSON:
        """A page of event summaries matching the filters, and how many match in all."""
        return FastJSON(ledger.events(filters, limit=limit, offset=offset, sort=sort, descending=order == "desc"))

    @app.get("/api/map", tags=["events"])
    def map_points(filters: EventFilters = Filters,
                   limit: int = Query(5_000, ge=0, le=200_000)) -> FastJSON:
        """Located events as rows [event_id, lat, lon, killed_best, event_type, place, date, place_precision],
        the deadliest first."""
        return FastJSON(ledger.map_points(filters, limit=limit))

    @app.get("/api/timeline", tags=["events"])
    def timeline(filters: EventFilters = Filters) -> FastJSON:
        """Events per day and event type."""
        return FastJSON(ledger.timeline(filters))

    @app.get("/api/events/{event_id}", tags=["events"])
    def event(event_id: str) -> FastJSON:
        """One event with its claims, contradictions and sources (each source's title and outlet)."""
        found = ledger.event(event_id)
        if found is None:
            raise HTTPException(404, f"no event {event_id}")
        return FastJSON(found)

    @app.get("/api/reports", tags=["reports"])
    def reports(doc_id: str | None = None, event_id: str | None = None,
                kind: Literal["event", "tally", "statement"] | None = None,
                limit: int = Query(100, ge=0, le=500), offset: int = Query(0, ge=0)) -> FastJSON:
        """Reports (one claim in one document), optionally of one document or one event."""
        return FastJSON(ledger.reports(doc_id=doc_id, event_id=event_id, kind=kind, limit=limit, offset=offset))

    @app.get("/api/documents", tags=["documents"])
    def documents(q: str | None = Query(None, description="part of the title, outlet or id"),
                  limit: int = Query(100, ge=0, le=500), offset: int = Query(0, ge=0)) -> FastJSON:
        """Documents (metadata only) with their number of reports."""
        return FastJSON(ledger.documents(limit=limit, offset=offset, q=q))

    @app.get("/api/documents/{doc_id}", tags=["documents"])
    def document(doc_id: str) -> FastJSON:
        """A document's cleaned text, its reports with evidence offsets into that text, and its copies."""
        found = ledger.document(doc_id)
        if found is None:
            raise HTTPException(404, f"no document {doc_id}")
        return FastJSON(found)

    @app.get("/api/tallies", tags=["tallies"])
    def tallies() -> FastJSON:
        """Claimed running totals, one series per counter and claimant."""
        return FastJSON(ledger.tallies())

    @app.get("/api/contradictions", tags=["events"])
    def contradictions(limit: int = Query(100, ge=0, le=500), offset: int = Query(0, ge=0)) -> FastJSON:
        """Contested events and what their sources disagree on."""
        return FastJSON(ledger.contradictions(limit=limit, offset=offset))

    app.include_router(views_router)  # summaries, disagreements, running totals, outlets, exports

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run_app(app: FastAPI, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run a dashboard app with Uvicorn until interrupted (the app closes a store it opened)."""
    import uvicorn

    if not is_loopback(host):
        log.warning("serving on %s: the dashboard is reachable from other machines (it has no login)", host)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def serve(db: str | Path = "warledger.duckdb", host: str = "127.0.0.1", port: int = 8000,
          tile_url: str | None = None, tile_attribution: str | None = None) -> None:
    """Serve the dashboard of a store at http://host:port/ (loopback only unless `host` says otherwise)."""
    run_app(create_app(db, tile_url=tile_url, tile_attribution=tile_attribution), host, port)
