"""Read-only queries behind the dashboard's JSON API and the static report.

All SQL of the dashboard lives here and in `index.py`. Lists, counts, maps and timelines of events are
answered from the in-memory filter index (`EventIndex`); one event, documents, reports and tallies are read
from the store itself. Each thread uses its own DuckDB cursors, so requests run in parallel.

Once the index's `MemoryIndex` is built, the answers new nearly every time (a page of the unfiltered table
or of the contradictions, one event, an event's reports, one document) are look-ups in memory, never a
query: the `*_in_memory` methods give them, or `NOT_IN_MEMORY` when that answer needs the store (the app
then asks the ordinary method in a worker thread). Both ways give the same answers.
"""
from __future__ import annotations

import json
import threading
from pathlib import Path

import orjson

from warledger.errors import StoreError
from warledger.serve.filters import EventFilters
from warledger.serve.index import SORTS, SUMMARY_COLUMNS, EventIndex, rank_column
from warledger.serve.memory import DOCUMENT_COLUMNS
from warledger.store import Store

MAX_PAGE = 500
NOT_IN_MEMORY = object()  # what a `*_in_memory` method gives when the answer must be read from the store
__all__ = ["MAX_PAGE", "NOT_IN_MEMORY", "SORTS", "SUMMARY_COLUMNS", "EventFilters", "Ledger"]


def _like(text: str) -> str:
    """Escape LIKE wildcards so a user's `%` or `_` matches itself (DuckDB's default escape is `\\`)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _in(column: str, values: list) -> tuple[str, list]:
    """`column IN (...)`: a parameter list for up to 256 values (the primary-key index answers it, in time
    growing with the list), an unnested list for more (one hash join over the table, ~100 ms per 100k rows)."""
    if not values:
        return "FALSE", []   # `IN ()` is a syntax error in DuckDB 1.x
    if len(values) <= 256:
        return f"{column} IN ({','.join('?' * len(values))})", list(values)
    return f"{column} IN (SELECT unnest(?::VARCHAR[]))", [list(values)]


def _rows(cursor) -> list[dict]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


class Ledger:
    """The dashboard's read-only view of a store. Build with `Ledger.open(path)` or `Ledger(store)`.

    `word_index`: "background" (default) builds the text-search index in a thread, "now" before returning,
    "off" never (searches scan; same results). `memory`: the same for the answers kept in memory
    (`memory.MemoryIndex`; "off": every answer is read from DuckDB, the same).
    """

    def __init__(self, store: Store, word_index: str = "background", memory: str = "background"):
        self.store = store
        self._local = threading.local()
        self._cache: dict = {}
        self.version = 1  # what the store holds; a `LiveLedger` counts it up when it takes a new snapshot
        self._closed = False
        self.index = self._index_of(store, word_index, memory)

    @property
    def store_path(self) -> str:
        """The store's file as the user named it (what a page or report should call it)."""
        return self.store.path

    @staticmethod
    def _index_of(store: Store, word_index: str, memory: str = "background") -> EventIndex:
        """Check that `store` is a warledger store and build its filter index."""
        tables = {r[0] for r in store.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        missing = {"documents", "reports", "events", "tally_series", "copy_groups"} - tables
        if missing:
            raise StoreError(f"{store.path} is not a warledger store (no table {', '.join(sorted(missing))}): "
                             "build it with `warledger run`.")
        store.con.execute("SET enable_progress_bar = false")  # a server's console is no place for it
        index = EventIndex(store.con, word_index=word_index, memory=memory)
        # Many small queries at once (a server's load) go fastest with one thread each: DuckDB's parallel
        # operators cost more to start than they save on 100,000 rows, and requests run side by side anyway.
        store.con.execute("SET threads = 1")
        return index

    @classmethod
    def open(cls, path: str | Path, word_index: str = "background", memory: str = "background") -> Ledger:
        path = Path(path)
        if not path.exists():
            raise StoreError(f"no store at {path}: build one first (warledger run SOURCES --db {path}).")
        return cls(Store(path, read_only=True), word_index=word_index, memory=memory)

    @classmethod
    def of(cls, db: str | Path | Store | Ledger) -> tuple[Ledger, bool]:
        """A ledger over `db` (a path, an open `Store`, or a `Ledger`), and whether the caller opened it (and
        so must close it)."""
        if isinstance(db, Ledger):
            return db, False
        if isinstance(db, Store):
            return cls(db), False
        return cls.open(db), True

    def close(self) -> None:
        """Close the index and the store (again: nothing happens)."""
        if not self._closed:
            self._closed = True
            self.index.close()
            self.store.close()

    # One cursor per thread on each database: DuckDB cursors may run in parallel, a connection may not.
    def _store(self):
        cur = getattr(self._local, "store", None)
        if cur is None:
            cur = self._local.store = self.store.con.cursor()
        return cur

    def _query(self, sql: str, params: list | None = None) -> list[dict]:
        return _rows(self._store().execute(sql, params or []))

    def _json(self, sql: str, params: list) -> dict | None:
        row = self._store().execute(sql, params).fetchone()
        return json.loads(row[0]) if row and row[0] is not None else None

    def _indexed(self, sql: str, params: list | None = None) -> list[dict]:
        return _rows(self.index.cursor().execute(sql, params or []))

    def _where(self, filters: EventFilters | None, extra: str = "") -> tuple[str, list]:
        where, params = (filters or EventFilters()).where(word_index=self.index.words_ready.is_set())
        if extra:
            where = (where + " AND " if where else " WHERE ") + extra
        return where, params

    # -- events -------------------------------------------------------------------------------
    def events(self, filters: EventFilters | None = None, limit: int = 50, offset: int = 0,
               sort: str = "date", descending: bool = True) -> dict:
        """One page of event summaries matching `filters`, with the total count."""
        where, params = self._where(filters)
        rank = rank_column(sort if sort in SORTS else "date", descending)
        limit, offset = max(0, min(int(limit), MAX_PAGE)), max(0, int(offset))
        cur = self.index.cursor()
        columns = ", ".join(SUMMARY_COLUMNS)
        if not where:
            # Unfiltered, the ranks of a page are offset+1 .. offset+limit (each rank column is a row_number):
            # a range scan over one integer column, no sort.
            total = self.stats()["counts"]["events"]
            items = _rows(cur.execute(f"SELECT {columns} FROM event_index WHERE {rank} > ? AND {rank} <= ?"
                                      f" ORDER BY {rank}", [offset, offset + limit])) if limit else []
            return {"total": total, "limit": limit, "offset": offset, "items": items}
        # Page over the rank alone (a deep OFFSET then skips integers, not wide rows), counting the matches in
        # the same pass (a window over what the filter kept) instead of filtering twice.
        ranks = cur.execute(f"SELECT {rank} AS r, count(*) OVER () FROM event_index{where}"
                            " ORDER BY r LIMIT ? OFFSET ?", params + [limit, offset]).fetchall()
        total = ranks[0][1] if ranks else cur.execute(f"SELECT count(*) FROM event_index{where}",
                                                      params).fetchone()[0]
        wanted = [r[0] for r in ranks]
        items = []
        if wanted:
            # A join on an unnested list: DuckDB evaluates `IN (?, ?, ...)` with 50 parameters far slower.
            items = _rows(cur.execute(f"SELECT {columns} FROM event_index"
                                      f" JOIN (SELECT unnest(?::BIGINT[]) AS wanted) ON {rank} = wanted"
                                      " ORDER BY wanted", [wanted]))
        return {"total": total, "limit": limit, "offset": offset, "items": items}

    def events_page_in_memory(self, filters: EventFilters | None = None, limit: int = 50, offset: int = 0,
                              sort: str = "date", descending: bool = True) -> bytes | object:
        """`events()` as the API sends it (orjson), from memory: an unfiltered page; else `NOT_IN_MEMORY`."""
        memory = self.index.memory
        if not memory.ready.is_set() or self._where(filters)[0]:
            return NOT_IN_MEMORY
        limit, offset = max(0, min(int(limit), MAX_PAGE)), max(0, int(offset))
        return memory.page(rank_column(sort if sort in SORTS else "date", descending), limit, offset)

    def events_json(self, filters: EventFilters | None = None, limit: int = 50, offset: int = 0,
                    sort: str = "date", descending: bool = True) -> bytes:
        """`events()` as the API sends it (orjson). A filtered page reads only the matches' positions from
        DuckDB and their rows from memory (turning rows into Python objects costs more than the query)."""
        page = self.events_page_in_memory(filters, limit, offset, sort, descending)
        if page is not NOT_IN_MEMORY:
            return page
        index = self.index
        if not index.memory.ready.is_set():
            return orjson.dumps(self.events(filters, limit, offset, sort, descending), option=orjson.OPT_NON_STR_KEYS)
        where, params = self._where(filters)
        rank = rank_column(sort if sort in SORTS else "date", descending)
        limit, offset = max(0, min(int(limit), MAX_PAGE)), max(0, int(offset))
        cur = index.cursor()
        rows = cur.execute(f"SELECT rank_date_desc, count(*) OVER () FROM event_index{where}"
                           f" ORDER BY {rank} LIMIT ? OFFSET ?", params + [limit, offset]).fetchall()
        total = rows[0][1] if rows else cur.execute(f"SELECT count(*) FROM event_index{where}",
                                                    params).fetchone()[0]
        return index.memory.render_page(total, limit, offset, [r[0] - 1 for r in rows])

    def all_event_summaries(self, limit: int | None = None) -> list[dict]:
        """Event summaries, newest first, with their search text (what the static report filters)."""
        return self._indexed(f"SELECT {', '.join(SUMMARY_COLUMNS)}, search FROM event_index"
                             " ORDER BY rank_date_desc LIMIT ?", [limit if limit is not None else 2**62])

    def map_points(self, filters: EventFilters | None = None, limit: int = 5_000) -> dict:
        """Located events as compact rows [id, lat, lon, killed_best, event_type, place, date,
        place_precision], the deadliest first."""
        if not filters or filters == EventFilters():  # what every page load asks: computed once
            return self._once(("map", limit), lambda: self._map_points(None, limit))
        return self._map_points(filters, limit)

    def warm(self) -> None:
        """Compute what every page load asks (stats, the unfiltered map and timeline) ahead of the first
        request: a dashboard just started, or just given a new snapshot, answers those from memory."""
        self.stats()
        self.map_points()
        self.timeline()

    def _once(self, key, compute):
        # What the ledger reads never changes under it (a new snapshot comes with a new cache), so an
        # unfiltered answer is computed once. The dict is taken first: an answer computed while a new
        # snapshot is swapped in lands in the old cache, never in the new one.
        cache = self._cache
        if key not in cache:
            cache[key] = compute()
        return cache[key]

    def _map_points(self, filters: EventFilters | None, limit: int) -> dict:
        where, params = self._where(filters, "lat IS NOT NULL AND lon IS NOT NULL")
        cur = self.index.cursor()
        total = cur.execute(f"SELECT count(*) FROM event_index{where}", params).fetchone()[0]
        rows = cur.execute(f"SELECT event_id, round(lat, 5), round(lon, 5), killed_best, event_type, place, date,"
                           f" place_precision"
                           f" FROM event_index{where} ORDER BY rank_killed_desc LIMIT ?",
                           params + [max(0, int(limit))]).fetchall()
        return {"total": total, "points": [list(r) for r in rows]}

    def timeline(self, filters: EventFilters | None = None) -> list[dict]:
        """Number of events per day and event type."""
        if not filters or filters == EventFilters():
            return self._once(("timeline",), lambda: self._timeline(None))
        return self._timeline(filters)

    def _timeline(self, filters: EventFilters | None) -> list[dict]:
        where, params = self._where(filters, "date IS NOT NULL")
        return self._indexed(f"SELECT date, coalesce(event_type, 'Unknown') AS event_type, count(*) AS n"
                             f" FROM event_index{where} GROUP BY ALL ORDER BY date, event_type", params)

    def event(self, event_id: str) -> dict | None:
        """One event as stored (claims, contradictions, sources), with each source's title and outlet."""
        found = self.event_in_memory(event_id)
        if found is not NOT_IN_MEMORY:
            return found
        event = self._json("SELECT data FROM events WHERE event_id = ?", [event_id])
        if event is None:
            return None
        event["documents"] = self._documents_meta(_doc_ids([event]))
        return event

    def _texts_in_memory(self):
        """The snapshot's in-memory copy when it is built and holds the texts, else None (ask DuckDB)."""
        memory = self.index.memory
        return memory if memory.ready.is_set() and memory.texts_kept else None

    def event_in_memory(self, event_id: str) -> dict | None | object:
        """`event()` from memory (no query), or `NOT_IN_MEMORY`."""
        memory = self._texts_in_memory()
        if memory is None:
            return NOT_IN_MEMORY
        text = memory.event_text(event_id)
        if text is None:
            return None
        event = json.loads(text)
        event["documents"] = memory.documents_meta(_doc_ids([event]))
        return event

    def _documents_meta(self, doc_ids: list[str]) -> dict[str, dict]:
        """The metadata of these documents, newest first (as the documents list orders them)."""
        if not doc_ids:
            return {}
        memory = self.index.memory
        if memory.ready.is_set():
            return memory.documents_meta(doc_ids)
        where, params = _in("doc_id", doc_ids)
        rows = self._indexed(f"SELECT doc_id, title, outlet, url, published, copy_group FROM doc_index WHERE {where}"
                             " ORDER BY doc_rank", params)
        return {r["doc_id"]: r for r in rows}

    # -- reports and documents ----------------------------------------------------------------
    def reports(self, doc_id: str | None = None, event_id: str | None = None, kind: str | None = None,
                limit: int = 100, offset: int = 0) -> dict:
        """Reports as stored, optionally of one document, one event or one kind."""
        found = self.reports_in_memory(doc_id, event_id, kind, limit, offset)
        if found is not NOT_IN_MEMORY:
            return found
        clauses, params = [], []
        for column, value in (("doc_id", doc_id), ("event_id", event_id), ("kind", kind)):
            if value:
                clauses.append(f"{column} = ?")
                params.append(value)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        limit, offset = max(0, min(int(limit), MAX_PAGE)), max(0, int(offset))
        cur = self._store()
        if where:  # one pass: the page and, as a window over what the filter kept, the count
            rows = cur.execute(f"SELECT data, event_id, count(*) OVER () FROM reports{where}"
                               " ORDER BY doc_id, report_id LIMIT ? OFFSET ?", params + [limit, offset]).fetchall()
            total = rows[0][2] if rows else cur.execute(f"SELECT count(*) FROM reports{where}",
                                                        params).fetchone()[0]
        else:  # sort the keys alone, then read the page's JSON (sorting every row's JSON costs 1.5x more)
            total = self.stats()["counts"]["reports"]
            rows = cur.execute("SELECT data, event_id, NULL FROM reports WHERE report_id IN (SELECT report_id"
                               " FROM reports ORDER BY doc_id, report_id LIMIT ? OFFSET ?)"
                               " ORDER BY doc_id, report_id", [limit, offset]).fetchall()
        items = []
        for data, event, _ in rows:
            report = json.loads(data)
            report["event_id"] = event
            items.append(report)
        return {"total": total, "limit": limit, "offset": offset, "items": items}

    def reports_in_memory(self, doc_id: str | None = None, event_id: str | None = None, kind: str | None = None,
                          limit: int = 100, offset: int = 0) -> dict | object:
        """`reports()` of one event (and nothing else asked) from memory, or `NOT_IN_MEMORY`."""
        memory = self.index.memory
        if doc_id or kind or not event_id or not memory.ready.is_set() or not memory.texts_kept:
            return NOT_IN_MEMORY
        limit, offset = max(0, min(int(limit), MAX_PAGE)), max(0, int(offset))
        total, texts = memory.event_reports(event_id, limit, offset)
        items = []
        for text in texts:
            report = json.loads(text)
            report["event_id"] = event_id
            items.append(report)
        return {"total": total, "limit": limit, "offset": offset, "items": items}

    def documents(self, limit: int = 100, offset: int = 0, q: str | None = None) -> dict:
        """Documents' metadata with their number of reports, newest first; `q`: part of the title, outlet or id
        (any case). Answered from the filter index's copy of the metadata."""
        limit, offset = max(0, min(int(limit), MAX_PAGE)), max(0, int(offset))
        columns = "doc_id, title, outlet, url, published, language, copy_group, skipped_reason, n_reports"
        cur = self.index.cursor()
        if not q:
            total = self.stats()["counts"]["documents"]
            items = _rows(cur.execute(f"SELECT {columns} FROM doc_index WHERE doc_rank > ? AND doc_rank <= ?"
                                      " ORDER BY doc_rank", [offset, offset + limit])) if limit else []
            return {"total": total, "limit": limit, "offset": offset, "items": items}
        rows = _rows(cur.execute(f"SELECT {columns}, count(*) OVER () AS _total FROM doc_index"
                                 " WHERE contains(doc_key, ?) ORDER BY doc_rank LIMIT ? OFFSET ?",
                                 [q.lower(), limit, offset]))
        total = rows[0]["_total"] if rows else cur.execute(
            "SELECT count(*) FROM doc_index WHERE contains(doc_key, ?)", [q.lower()]).fetchone()[0]
        for row in rows:
            del row["_total"]
        return {"total": total, "limit": limit, "offset": offset, "items": rows}

    def document(self, doc_id: str) -> dict | None:
        """A document's cleaned text, its reports (with evidence offsets into that text) and its copies."""
        found = self.document_in_memory(doc_id)
        if found is not NOT_IN_MEMORY:
            return found
        return self.documents_full([doc_id]).get(doc_id)

    def document_in_memory(self, doc_id: str) -> dict | None | object:
        """`document()` from memory (no query), or `NOT_IN_MEMORY`."""
        memory = self._texts_in_memory()
        if memory is None:
            return NOT_IN_MEMORY
        doc = memory.document(doc_id)
        if doc is None:
            return None
        groups = memory.copy_groups
        return self._assemble_documents({doc_id: doc}, memory.document_reports(doc_id),
                                        lambda wanted: [(g, groups[g]) for g in wanted if g in groups])[doc_id]

    def documents_full(self, doc_ids: list[str]) -> dict[str, dict]:
        """Several documents as `document()` gives them, in a few queries (what the static report needs)."""
        where, params = _in("doc_id", doc_ids)
        docs = {r["doc_id"]: r for r in self._query(
            f"SELECT {', '.join(DOCUMENT_COLUMNS)} FROM documents WHERE {where} ORDER BY doc_id", params)}
        reports = self._store().execute(f"SELECT data, event_id FROM reports WHERE {where} ORDER BY doc_id, report_id",
                                        params).fetchall()

        def copy_groups(groups: list[str]) -> list[tuple]:
            in_groups, group_params = _in("group_id", groups)
            return self._store().execute(f"SELECT group_id, data FROM copy_groups WHERE {in_groups}",
                                         group_params).fetchall()

        return self._assemble_documents(docs, reports, copy_groups)

    def _assemble_documents(self, docs: dict[str, dict], reports: list[tuple], copy_groups) -> dict[str, dict]:
        """Documents' rows with their reports ((JSON, event_id) by doc_id, report_id) and copies
        (`copy_groups(group ids)`: their (group_id, JSON))."""
        for doc in docs.values():
            doc["reports"], doc["copies"] = [], []
        for data, event_id in reports:
            report = json.loads(data)
            report["event_id"] = event_id
            docs[report["doc_id"]]["reports"].append(report)
        groups = sorted({d["copy_group"] for d in docs.values() if d["copy_group"]})
        if groups:
            members = {g: json.loads(data) for g, data in copy_groups(groups)}
            meta = self._documents_meta(sorted({d for g in members.values() for d in g.get("doc_ids", [])}))
            for doc in docs.values():
                group = members.get(doc["copy_group"])
                if group:
                    doc["copies"] = [meta.get(d, {"doc_id": d}) for d in group.get("doc_ids", []) if d != doc["doc_id"]]
                    doc["copy_similarity"] = group.get("similarity")
        return docs

    # -- tallies, contradictions, stats ---------------------------------------------------------
    def tallies(self) -> list[dict]:
        """Every tally series (claimed running totals by one claimant)."""
        return [json.loads(r[0]) for r in
                self._store().execute("SELECT data FROM tally_series ORDER BY series_id").fetchall()]

    def contradictions(self, limit: int = 100, offset: int = 0) -> dict:
        """Contested events with their contradictions, newest first."""
        found = self.contradictions_in_memory(limit, offset)
        if found is not NOT_IN_MEMORY:
            return found
        limit, offset = max(0, min(int(limit), MAX_PAGE)), max(0, int(offset))
        cur = self.index.cursor()
        total = cur.execute("SELECT count(*) FROM event_index WHERE contested").fetchone()[0]
        page = cur.execute("SELECT event_id FROM event_index WHERE contested ORDER BY rank_date_desc"
                           " LIMIT ? OFFSET ?", [limit, offset]).fetchall()
        ids = [r[0] for r in page]
        found = {}
        if ids:
            where, params = _in("event_id", ids)
            rows = self._store().execute(
                "SELECT event_id, date, sub_event_type, place, data->'$.contradictions' FROM events"
                f" WHERE {where}", params).fetchall()
            found = {r[0]: {"event_id": r[0], "date": r[1], "sub_event_type": r[2], "place": r[3],
                            "contradictions": json.loads(r[4]) if r[4] else []} for r in rows}
        return {"total": total, "limit": limit, "offset": offset, "items": [found[i] for i in ids if i in found]}

    def contradictions_in_memory(self, limit: int = 100, offset: int = 0) -> dict | object:
        """`contradictions()` from memory (no query), or `NOT_IN_MEMORY`."""
        memory = self.index.memory
        if not memory.ready.is_set():
            return NOT_IN_MEMORY
        limit, offset = max(0, min(int(limit), MAX_PAGE)), max(0, int(offset))
        items = []
        for event_id, date, sub_event_type, place in memory.contested[offset:offset + limit]:
            text = memory.contradictions.get(event_id)
            items.append({"event_id": event_id, "date": date, "sub_event_type": sub_event_type, "place": place,
                          "contradictions": json.loads(text) if text else []})
        return {"total": len(memory.contested), "limit": limit, "offset": offset, "items": items}

    def stats(self) -> dict:
        """Counts, the date range and the values the filters offer (computed once per store version)."""
        return self._once(("stats",), self._compute_stats)

    def computed_stats(self) -> dict | None:
        """The stats if this version's are computed already, else None (never queries)."""
        return self._cache.get(("stats",))

    def _compute_stats(self) -> dict:
        counts = {table: self._store().execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                  for table in ("documents", "reports", "events", "tally_series", "copy_groups")}
        cur = self.index.cursor()
        first, last, located, contested = cur.execute(
            "SELECT min(date), max(date), count(lat), count(*) FILTER (WHERE contested) FROM event_index").fetchone()
        by_type = cur.execute("SELECT coalesce(event_type, 'Unknown'), count(*) FROM event_index"
                              " GROUP BY ALL ORDER BY 2 DESC, 1").fetchall()
        sub_types = cur.execute("SELECT DISTINCT sub_event_type FROM event_index"
                                " WHERE sub_event_type IS NOT NULL ORDER BY 1").fetchall()
        sides = cur.execute("SELECT side, count(*) FROM (SELECT unnest(sides) AS side FROM event_index)"
                            " GROUP BY ALL ORDER BY 2 DESC, 1").fetchall()
        return {"counts": counts, "date_min": first, "date_max": last, "events_located": located,
                "events_contested": contested, "by_type": [{"event_type": t, "n": n} for t, n in by_type],
                "sub_event_types": [r[0] for r in sub_types],
                "sides": [{"side": s, "n": n} for s, n in sides]}

    def snapshot(self, max_events: int | None = None) -> dict:
        """Everything the static report shows: summaries, full events, documents, tallies, stats."""
        summaries = self.all_event_summaries(max_events)
        ids = [s["event_id"] for s in summaries]
        where, params = _in("event_id", ids)
        rows = self._store().execute(f"SELECT data FROM events WHERE {where}", params).fetchall()
        events = {e["event_id"]: e for e in (json.loads(r[0]) for r in rows)}
        doc_ids = _doc_ids(events.values())
        meta = self._documents_meta(doc_ids)
        for event in events.values():
            event["documents"] = {d: meta[d] for d in _doc_ids([event]) if d in meta}
        return {"summaries": summaries, "events": events, "documents": self.documents_full(doc_ids),
                "tallies": self.tallies(), "stats": self.stats()}


def _doc_ids(events) -> list[str]:
    """The documents an event rests on: its sources and its claims' documents."""
    return sorted({s["doc_id"] for e in events for s in e.get("sources", [])} |
                  {c["doc_id"] for e in events for c in e.get("claims", [])})
