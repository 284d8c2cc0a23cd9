"""The dashboard: a FastAPI app serving a read-only JSON API and a single-page front end.

`create_app(db)` reads the store through private snapshots (`serve/live.py`: `warledger run` and `watch`
can write the store meanwhile, and the app shows their data once they let go of it) and serves:
``/api/...`` (JSON, described at ``/openapi.json``), ``/static/...`` (the page's own JS/CSS and the vendored
Leaflet) and ``/`` (the page). Every request passes `serve/guard.py` first (Host check, read-only methods,
bounded parameters, security headers); API answers are cached per store version (`serve/cache.py`). The
page's Content-Security-Policy allows scripts and styles from the app only, so even if article text reached
the DOM as markup it could not run script.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import anyio.to_thread
import orjson
from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response

from warledger.serve.assets import load_assets
from warledger.serve.cache import ResponseCache
from warledger.serve.guard import (
    LOOPBACK_NAMES,
    MAX_PAGING,
    Guard,
    bound_names,
    is_loopback,
    security_headers,
)
from warledger.serve.live import LiveLedger
from warledger.serve.queries import NOT_IN_MEMORY, EventFilters, Ledger
from warledger.serve.views import Filters
from warledger.serve.views import router as views_router
from warledger.store import Store

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
OUTLINES = STATIC / "world-110m.geojson"
SortKey = Literal["date", "killed", "place", "type", "sources"]
WORKER_THREADS = 6
DEFAULT_ATTRIBUTION = "Outlines: Natural Earth (public domain)"
# FastAPI's interactive docs load Swagger UI from a CDN with an inline script: they get their own policy.
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
            "style-src 'self' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com")


class FastJSON(JSONResponse):
    """JSON straight from the query results (dates as ISO strings) through orjson, skipping FastAPI's
    per-field encoder, which costs more than the query itself on a 20,000-point map."""

    def render(self, content) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)


class JSONBytes(Response):
    """JSON already rendered (the same bytes FastJSON would send)."""

    media_type = "application/json"


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
               tile_attribution: str | None = None, allowed_hosts: Iterable[str] | None = LOOPBACK_NAMES,
               refresh_s: float = 1.0) -> FastAPI:
    """Build the dashboard app over a store (a path, an open `Store`, or a `Ledger`); nothing is written.

    A path is read through snapshots renewed when the store changes (checked every `refresh_s` seconds),
    so `warledger run` can write it meanwhile; a store or ledger given open is read as it is. A store the
    app opened itself is closed when the app shuts down. `allowed_hosts`: the `Host` names answered
    (`guard.bound_names`; None: any)."""
    csp = content_security_policy(tile_url)  # a bad tile URL fails before anything is opened
    if isinstance(db, (str, Path)):
        ledger, owned = LiveLedger(db, refresh_s=refresh_s), True
    else:
        ledger, owned = Ledger.of(db)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        # Endpoints run in anyio's worker threads (40 by default). On 2 cores, 40 threads taking turns at the
        # GIL slow every request down, the event loop's cached answers included; a few suffice, as DuckDB
        # releases the GIL while it works.
        anyio.to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
        yield
        if owned:
            ledger.close()

    app = FastAPI(title="warledger", version="1", docs_url="/api/docs", redoc_url=None,
                  default_response_class=FastJSON, lifespan=lifespan,
                  description="Read-only API over a warledger store: events fused from sourced reports, "
                              "their claims, contradictions, sources and documents.")
    app.state.ledger = ledger
    ledger.warm()  # the stats are then in memory: `/api/stats` answers on the event loop
    headers, docs_headers = security_headers(csp), security_headers(DOCS_CSP)
    app.add_middleware(ResponseCache, version=lambda: ledger.version, prefix="/")
    app.add_middleware(Guard, allowed_hosts=allowed_hosts,
                       headers=lambda path: docs_headers if path == "/api/docs" else headers)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        # A bug or a broken store, never the client's fault: logged with its traceback, answered as JSON.
        log.exception("%s %s failed", request.method, request.url.path)
        return JSONResponse({"detail": f"internal error ({type(exc).__name__}); see the server's log"}, 500)

    # first: "/api/events/{id}/disagreements" must not be read as an event id with a slash
    app.include_router(views_router)  # summaries, disagreements, running totals, outlets, exports

    @app.get("/api/config", tags=["meta"])
    async def config() -> FastJSON:
        """What the page needs to draw the map: the tile URL (None: offline outlines only)."""
        return FastJSON({"tile_url": tile_url, "tile_attribution": tile_attribution or DEFAULT_ATTRIBUTION,
                         "outlines_url": "static/world-110m.geojson", "mode": "server"})

    @app.get("/api/stats", tags=["meta"])
    async def stats() -> FastJSON:
        """Counts, date range, events per type and side (the values the filters offer), and `store_version`,
        counted up each time a new snapshot of the store is taken (the page can poll it to reload)."""
        # computed with each snapshot; only an answer not ready yet is worth a worker thread
        found = ledger.computed_stats() or await anyio.to_thread.run_sync(ledger.stats)
        return FastJSON({**found, "store_version": ledger.version})

    # A page of the unfiltered table or of the contradictions, one event, an event's reports and one document
    # are new nearly every time, so rarely cached: once the ledger keeps them in memory (`memory.py`) they are answered here on
    # the event loop like cached answers (in arrival order), not queued behind the worker threads' queries.
    @app.get("/api/events", tags=["events"])
    async def events(filters: EventFilters = Filters, sort: SortKey = "date",
                     order: Literal["asc", "desc"] = "desc", limit: int = Query(50, ge=0, le=500),
                     offset: int = Query(0, ge=0, le=MAX_PAGING)) -> JSONBytes:
        """A page of event summaries matching the filters, and how many match in all."""
        page = ledger.events_page_in_memory(filters, limit, offset, sort, order == "desc")
        if page is NOT_IN_MEMORY:
            page = await anyio.to_thread.run_sync(ledger.events_json, filters, limit, offset, sort, order == "desc")
        return JSONBytes(page)

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

    @app.get("/api/events/{event_id:path}", tags=["events"])
    async def event(event_id: str) -> FastJSON:
        """One event with its claims, contradictions and sources (each source's title and outlet)."""
        found = ledger.event_in_memory(event_id)
        if found is NOT_IN_MEMORY:
            found = await anyio.to_thread.run_sync(ledger.event, event_id)
        if found is None:
            raise HTTPException(404, f"no event {event_id}")
        return FastJSON(found)

    @app.get("/api/reports", tags=["reports"])
    async def reports(doc_id: str | None = None, event_id: str | None = None,
                      kind: Literal["event", "tally", "statement"] | None = None,
                      limit: int = Query(100, ge=0, le=500),
                      offset: int = Query(0, ge=0, le=MAX_PAGING)) -> FastJSON:
        """Reports (one claim in one document), optionally of one document or one event."""
        found = ledger.reports_in_memory(doc_id, event_id, kind, limit, offset)
        if found is NOT_IN_MEMORY:
            found = await anyio.to_thread.run_sync(ledger.reports, doc_id, event_id, kind, limit, offset)
        return FastJSON(found)

    @app.get("/api/documents", tags=["documents"])
    def documents(q: str | None = Query(None, description="part of the title, outlet or id"),
                  limit: int = Query(100, ge=0, le=500), offset: int = Query(0, ge=0, le=MAX_PAGING)) -> FastJSON:
        """Documents (metadata only) with their number of reports."""
        return FastJSON(ledger.documents(limit=limit, offset=offset, q=q))

    @app.get("/api/documents/{doc_id:path}", tags=["documents"])
    async def document(doc_id: str) -> FastJSON:
        """A document's cleaned text, its reports with evidence offsets into that text, and its copies."""
        found = ledger.document_in_memory(doc_id)
        if found is NOT_IN_MEMORY:
            found = await anyio.to_thread.run_sync(ledger.document, doc_id)
        if found is None:
            raise HTTPException(404, f"no document {doc_id}")
        return FastJSON(found)

    @app.get("/api/tallies", tags=["tallies"])
    def tallies() -> FastJSON:
        """Claimed running totals, one series per counter and claimant."""
        return FastJSON(ledger.tallies())

    @app.get("/api/contradictions", tags=["events"])
    async def contradictions(limit: int = Query(100, ge=0, le=500),
                             offset: int = Query(0, ge=0, le=MAX_PAGING)) -> FastJSON:
        """Contested events and what their sources disagree on."""
        found = ledger.contradictions_in_memory(limit, offset)
        if found is NOT_IN_MEMORY:
            found = await anyio.to_thread.run_sync(ledger.contradictions, limit, offset)
        return FastJSON(found)


    assets = load_assets(STATIC)

    @app.get("/", include_in_schema=False)
    async def index() -> Response:
        return Response(assets["index.html"].body, media_type=assets["index.html"].media_type)

    @app.get("/static/{path:path}", include_in_schema=False)
    async def static(path: str) -> Response:
        asset = assets.get(path)
        if asset is None:
            raise HTTPException(404, "no such file")
        return Response(asset.body, media_type=asset.media_type)

    return app


def check_port(port: int) -> int:
    if not 1 <= int(port) <= 65535:
        raise ValueError(f"port {port} is out of range: give a TCP port from 1 to 65535 (e.g. --port 8000)")
    return int(port)


def run_app(app: FastAPI, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run a dashboard app with Uvicorn until interrupted (the app closes a store it opened)."""
    import uvicorn

    check_port(port)
    if not is_loopback(host):
        log.warning("serving on %s: the dashboard is reachable from other machines (it has no login)", host)
    # uvicorn picks uvloop and httptools when installed (both are dependencies): several times h11's speed
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)


def serve(db: str | Path = "warledger.duckdb", host: str = "127.0.0.1", port: int = 8000,
          tile_url: str | None = None, tile_attribution: str | None = None,
          allow_hosts: Iterable[str] = ()) -> None:
    """Serve the dashboard of a store at http://host:port/ (loopback only unless `host` says otherwise).

    Requests must name the server as it is bound (`Host` header): loopback names, `host`, and `allow_hosts`."""
    check_port(port)
    app = create_app(db, tile_url=tile_url, tile_attribution=tile_attribution,
                     allowed_hosts=bound_names(host, allow_hosts))
    run_app(app, host, port)
