"""What the API answers from memory: the questions whose answer is new nearly every time.

A page of the unfiltered table or of the contradictions, one event, an event's reports and one document are
asked with a different page or id almost every time, so the response cache rarely has them; each was a DuckDB query of 1 to 9 ms
of CPU (about 1 ms for any point query, 4 ms to turn a page's 16 columns into Python objects), run in a
worker thread. Under load those answers queued behind each other while cached answers passed them on the
event loop.

So, once per snapshot, `MemoryIndex.build` keeps:
- every event summary (the table's row) as JSON bytes, in date order, and for each other sort order the
  positions in that order: a page of the table is a slice and a join of bytes;
- the events', reports' and documents' texts as Arrow arrays (one buffer each, no Python object per
  text), with each event's reports and each document's reports in the order the API gives them;
- documents' metadata (what an event lists of its sources) and copy groups;
- the contested events in date order with their contradictions' JSON (the contradictions list).

Those answers are then look-ups of 0.05 to 0.7 ms, answered on the event loop like cached ones. The texts
are kept only while they are at most `MAX_TEXT_BYTES` in all (322 MB for 100,000 synthetic events with
250,000 reports and 20,000 documents: about 600 MB more RSS with what DuckDB keeps of the blocks it read);
past that, events, reports and documents are read from the store as before. Until the build is done
(`ready`), everything is read from DuckDB, with the same answers.
"""
from __future__ import annotations

import logging
import threading
import time
from array import array

import duckdb
import orjson
import pyarrow as pa

log = logging.getLogger(__name__)

MAX_TEXT_BYTES = 512 * 1024 * 1024
BATCH = 4096
DOC_META_COLUMNS = ["doc_id", "title", "outlet", "url", "published", "copy_group"]
DOCUMENT_COLUMNS = ["doc_id", "title", "outlet", "url", "published", "published_inferred", "language", "source_path",
                    "copy_group", "skipped_reason", "text"]


class BuildStopped(Exception):
    """The index was closed while its memory copy was being built."""


class MemoryIndex:
    """The in-memory answers of one snapshot (see the module's docstring); read them once `ready` is set."""

    def __init__(self) -> None:
        self.ready = threading.Event()
        self.seconds: float | None = None
        self.summaries: list[bytes] = []           # by rank_date_desc - 1
        self.orders: dict[str, pa.Array] = {}      # rank column -> positions into `summaries`, in that order
        self.doc_meta: dict[str, tuple[int, dict]] = {}        # doc_id -> (doc_rank, metadata)
        self.contested: list[tuple] = []                       # (event_id, date, sub_event_type, place), newest first
        self.contradictions: dict[str, str | None] = {}        # event_id -> its contradictions' JSON
        self.texts_kept = False                                # all that follows kept?
        self.event_ids: dict[str, int] = {}                    # event_id -> its place in `event_texts`
        self.event_texts: pa.Array | None = None               # events' stored JSON
        self.report_texts: pa.Array | None = None              # reports' JSON, in the table's order
        self.report_event_ids: pa.Array | None = None          # and their event_id column
        self.reports_by_event: Spans = Spans()                 # reports by event_id, then doc_id, report_id
        self.reports_by_doc: Spans = Spans()                   # reports by doc_id, then report_id
        self.documents: pa.Table | None = None                 # documents as `Ledger.document` gives them
        self.doc_rows: dict[str, int] = {}                     # doc_id -> its row in `documents`
        self.copy_groups: dict[str, str] = {}                  # group_id -> its stored JSON
        self.stopping = False

    def build(self, index_cur: duckdb.DuckDBPyConnection, store_cur: duckdb.DuckDBPyConnection,
              summary_columns: list[str], rank_columns: list[str]) -> None:
        """Read everything from the filter index (`index_cur`) and the store (`store_cur`), then set `ready`."""
        started = time.perf_counter()
        summaries = self._summaries(index_cur, summary_columns)
        orders = {rank: _one_array(index_cur.sql(f"SELECT rank_date_desc - 1 FROM event_index ORDER BY {rank}")
                                   .to_arrow_table().column(0))
                  for rank in rank_columns if rank != "rank_date_desc"}  # that order is `summaries`' own
        self._check()
        contested = index_cur.execute("SELECT event_id, date, sub_event_type, place FROM event_index"
                                      " WHERE contested ORDER BY rank_date_desc").fetchall()
        contradictions = dict(store_cur.execute("SELECT event_id, data->'$.contradictions' FROM events"
                                                " WHERE coalesce(contested, false)").fetchall())
        doc_meta = {row[1]: (row[0], dict(zip(DOC_META_COLUMNS, row[1:]))) for row in index_cur.execute(
            f"SELECT doc_rank, {', '.join(DOC_META_COLUMNS)} FROM doc_index").fetchall()}
        self._check()
        size = store_cur.execute("SELECT (SELECT coalesce(sum(strlen(data)), 0) FROM events)"
                                 " + (SELECT coalesce(sum(strlen(data)), 0) FROM reports)"
                                 " + (SELECT coalesce(sum(strlen(text)), 0) FROM documents)").fetchall()[0][0]
        if size <= MAX_TEXT_BYTES:
            self._texts(store_cur)
        else:
            log.info("events', reports' and documents' texts (%.0f MB) kept in the store, not in memory",
                     size / 1e6)
        self.summaries, self.orders, self.doc_meta = summaries, orders, doc_meta
        self.contested, self.contradictions = contested, contradictions
        self.texts_kept = size <= MAX_TEXT_BYTES
        self.seconds = time.perf_counter() - started
        self.ready.set()

    def _summaries(self, index_cur, columns: list[str]) -> list[bytes]:
        # Read in the table's order, not sorted (DuckDB sorting 16 columns would hold most of a GB for a
        # while), and in batches (16 Python objects a row add up).
        summaries = [b""] * index_cur.execute("SELECT count(*) FROM event_index").fetchall()[0][0]
        index_cur.execute(f"SELECT rank_date_desc - 1, {', '.join(columns)} FROM event_index")
        dumps = orjson.dumps
        while rows := index_cur.fetchmany(BATCH):
            self._check()
            for row in rows:
                # copied to a bytes object of its own size: orjson's output keeps its larger buffer, which
                # for 100,000 rows kept would hold 800 MB
                summaries[row[0]] = memoryview(dumps(dict(zip(columns, row[1:])))).tobytes()
        return summaries

    def _texts(self, store_cur) -> None:
        # Arrow keeps the texts as one buffer (no Python object per text); a look-up makes one string.
        ids, event_texts = _column_pair(store_cur.sql("SELECT event_id, data FROM events WHERE data IS NOT NULL"))
        event_ids = {event_id: i for i, event_id in enumerate(ids)}
        del ids
        self._check()
        # Reports as the table holds them, and their orders as `/api/reports` and `/api/documents/{id}`
        # give them (only the keys sorted: DuckDB sorting the texts too would hold hundreds of MB more).
        reports = store_cur.sql("SELECT rowid, event_id, data FROM reports").to_arrow_table().combine_chunks()
        place = {rowid: i for i, rowid in enumerate(reports.column(0).to_pylist())}
        self._check()
        by_event = _spans(place, store_cur.sql("SELECT rowid, event_id FROM reports WHERE event_id IS NOT NULL"
                                                " ORDER BY event_id, doc_id, report_id"))
        self._check()
        by_doc = _spans(place, store_cur.sql("SELECT rowid, doc_id FROM reports WHERE doc_id IS NOT NULL"
                                              " ORDER BY doc_id, report_id"))
        del place
        self._check()
        documents = store_cur.sql(f"SELECT {', '.join(DOCUMENT_COLUMNS)} FROM documents").to_arrow_table()
        doc_rows = {doc_id: i for i, doc_id in enumerate(documents.column(0).to_pylist())}
        copy_groups = dict(store_cur.execute("SELECT group_id, data FROM copy_groups").fetchall())
        self.event_ids, self.event_texts = event_ids, event_texts
        self.report_event_ids, self.report_texts = _one_array(reports.column(1)), _one_array(reports.column(2))
        self.reports_by_event, self.reports_by_doc = by_event, by_doc
        self.documents, self.doc_rows, self.copy_groups = documents.combine_chunks(), doc_rows, copy_groups

    def _check(self) -> None:
        if self.stopping:
            raise BuildStopped

    # -- answers (only once `ready` is set) -----------------------------------------------------
    def page(self, rank: str, limit: int, offset: int) -> bytes:
        """A page of the unfiltered table as `Ledger.events` renders it (orjson), in `rank` order."""
        total = len(self.summaries)
        if rank == "rank_date_desc":
            positions = range(offset, min(offset + limit, total))
        else:
            positions = self.orders[rank].slice(offset, limit).to_pylist()
        return self.render_page(total, limit, offset, positions)

    def render_page(self, total: int, limit: int, offset: int, positions) -> bytes:
        summaries = self.summaries
        items = b",".join([summaries[p] for p in positions])
        return b'{"total":%d,"limit":%d,"offset":%d,"items":[%s]}' % (total, limit, offset, items)

    def event_text(self, event_id: str) -> str | None:
        """The event's stored JSON, None when there is no such event (or it has no data)."""
        i = self.event_ids.get(event_id)
        return None if i is None else self.event_texts[i].as_py()

    def event_reports(self, event_id: str, limit: int, offset: int) -> tuple[int, list]:
        """How many reports the event has, and the JSON of those from `offset` (at most `limit`)."""
        total, rows = self.reports_by_event.get(event_id, limit, offset)
        return total, [self.report_texts[i].as_py() for i in rows]

    def document(self, doc_id: str) -> dict | None:
        """The document's row (the columns `Ledger.document` reads), None when there is none."""
        i = self.doc_rows.get(doc_id)
        return None if i is None else self.documents.slice(i, 1).to_pylist()[0]

    def document_reports(self, doc_id: str) -> list[tuple[str, str | None]]:
        """(JSON, event_id) of the document's reports, by report_id."""
        _, rows = self.reports_by_doc.get(doc_id)
        return [(self.report_texts[i].as_py(), self.report_event_ids[i].as_py()) for i in rows]

    def documents_meta(self, doc_ids) -> dict[str, dict]:
        """The metadata of the documents among `doc_ids`, newest first (the documents list's order)."""
        meta = self.doc_meta
        found = sorted((meta[d] for d in doc_ids if d in meta), key=lambda m: m[0])
        return {m["doc_id"]: dict(m) for _, m in found}


def _column_pair(relation) -> tuple[list[str], pa.Array]:
    """The first column of a two-column query as Python strings, the second as one Arrow array."""
    table = relation.to_arrow_table()
    return table.column(0).to_pylist(), _one_array(table.column(1))


class Spans:
    """Rows grouped by a key: `order` lists row numbers key by key, `spans` each key's slice of it."""

    def __init__(self, order: array | None = None, spans: dict | None = None):
        self.order = order if order is not None else array("q")
        self.spans = spans or {}

    def get(self, key, limit: int | None = None, offset: int = 0) -> tuple[int, array]:
        """How many rows the key has, and those from `offset` (at most `limit`)."""
        start, end = self.spans.get(key, (0, 0))
        first = min(start + offset, end)
        return end - start, self.order[first:end if limit is None else min(first + limit, end)]


def _spans(place: dict, keyed) -> Spans:
    """`Spans` of a (rowid, key) query's rows in its order; `place`: rowid -> row number."""
    table = keyed.to_arrow_table()
    order = array("q", [place[rowid] for rowid in table.column(0).to_pylist()])
    spans, start, previous = {}, 0, None
    for i, key in enumerate(table.column(1).to_pylist()):
        if key != previous:
            if i:
                spans[previous] = (start, i)
            start, previous = i, key
    if len(order):
        spans[previous] = (start, len(order))
    return Spans(order, spans)


def _one_array(column) -> pa.Array:
    chunks = column.chunks
    if len(chunks) == 1:
        return chunks[0]
    return pa.concat_arrays(chunks) if chunks else pa.array([], column.type)
