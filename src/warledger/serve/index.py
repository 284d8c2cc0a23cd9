"""The dashboard's filter index: what the event filters need, copied once into an in-memory DuckDB.

The store keeps each event's sides, claimants and evidence inside its JSON `data`; parsing that JSON on
every request would not page 100,000 events fast. So at start-up one query (one JSON parse per event)
copies the events' scalar columns plus those fields into an in-memory database, with a precomputed rank
per sort order and a normalised search text. Text search then uses an inverted word index, built in a
background thread; until it is ready the same search runs as a scan, with the same results. The same
thread then builds `memory.MemoryIndex`, the answers kept in memory (table rows as JSON, events' and
reports' JSON, documents' metadata); until it is ready DuckDB answers those too, the same.

The store is opened read-only and DuckDB lets no other process write it meanwhile, so the copy stays true.
"""
from __future__ import annotations

import logging
import re
import threading
import time

import duckdb

from warledger.serve.memory import BuildStopped, MemoryIndex

log = logging.getLogger(__name__)

# The parts of an Event's JSON the filters read (json_transform parses each document once).
EVENT_SHAPE = ('{"location_text": "VARCHAR", "location": {"precision": "VARCHAR"},'
               ' "killed": {"low": "INTEGER", "high": "INTEGER"}, "wounded": {"low": "INTEGER", "high": "INTEGER"},'
               ' "actor1": {"name": "VARCHAR", "side": "VARCHAR"},'
               ' "actor2": {"name": "VARCHAR", "side": "VARCHAR"},'
               ' "claims": [{"location_text": "VARCHAR", "claimant": {"name": "VARCHAR"},'
               ' "evidence": [{"text": "VARCHAR"}]}]}')

FROM_STORE = f"""
WITH parsed AS (SELECT *, json_transform(data, '{EVENT_SHAPE}') AS j FROM events)
SELECT event_id, date, event_type, sub_event_type, place, country, lat, lon, killed_best, wounded_best,
       independent_sources, coalesce(contested, false) AS contested, j.location.precision AS place_precision,
       j.killed.low AS killed_low, j.killed.high AS killed_high, j.wounded.low AS wounded_low,
       j.wounded.high AS wounded_high,
       coalesce(len(j.claims), 0)::INTEGER AS n_claims,
       list_distinct(list_filter([j.actor1.side, j.actor2.side], lambda x: x IS NOT NULL)) AS sides,
       list_distinct(list_filter(list_transform(j.claims, lambda c: c.claimant.name),
                                 lambda x: x IS NOT NULL)) AS claimants,
       concat_ws(' ', place, j.location_text, event_type, sub_event_type, j.actor1.name, j.actor2.name,
                 array_to_string(list_transform(j.claims, lambda c: concat_ws(' ', c.claimant.name, c.location_text,
                     array_to_string(list_transform(c.evidence, lambda e: e.text), ' '))), ' ')) AS raw_text
FROM parsed
"""

# Sort keys the table may ask for, and their SQL (user text never reaches SQL but as a parameter).
SORTS = {
    "date": "date {dir} NULLS LAST, event_id",
    "killed": "killed_best {dir} NULLS LAST, date DESC, event_id",
    "place": "place {dir} NULLS LAST, date DESC, event_id",
    "type": "sub_event_type {dir} NULLS LAST, date DESC, event_id",
    "sources": "independent_sources {dir} NULLS LAST, date DESC, event_id",
}


def rank_column(sort: str, descending: bool) -> str:
    return f"rank_{sort}_{'desc' if descending else 'asc'}"


RANK_COLUMNS = [rank_column(key, descending) for key in SORTS for descending in (True, False)]
# The columns of an event summary (a row of the table), in the order the API gives them.
SUMMARY_COLUMNS = ["event_id", "date", "event_type", "sub_event_type", "place", "country", "lat", "lon",
                   "killed_best", "wounded_best", "independent_sources", "contested", "n_claims", "sides",
                   "claimants", "place_precision"]

RANKS = ",\n       ".join(
    f"row_number() OVER (ORDER BY {sql.format(dir=direction)}) AS {rank_column(key, direction == 'DESC')}"
    for key, sql in SORTS.items() for direction in ("DESC", "ASC"))

BUILD = f"""
CREATE TABLE event_index AS
SELECT * EXCLUDE (raw_text),
       ',' || array_to_string(sides, ',') || ',' AS sides_key,
       lower(array_to_string(claimants, chr(10))) AS claimants_key,
       lower(coalesce(place, '')) AS place_key,
       ' ' || trim(regexp_replace(lower(raw_text), '[^\\p{{L}}\\p{{N}}]+', ' ', 'g')) || ' ' AS search,
       {RANKS}
FROM incoming
ORDER BY rank_date_desc
"""

WORDS = """
CREATE TABLE event_words AS
SELECT DISTINCT word, rank_date_desc AS rid
FROM (SELECT rank_date_desc, unnest(string_split(trim(search), ' ')) AS word FROM event_index)
WHERE word <> ''
ORDER BY word, rid
"""

# Documents' metadata (no text) with their number of reports, ranked newest first, and a lower-case key for
# the documents list's search: the list and the sources of an event are then answered from memory.
DOCUMENTS_FROM_STORE = """
SELECT d.doc_id, d.title, d.outlet, d.url, d.published, d.language, d.copy_group, d.skipped_reason,
       coalesce(r.n, 0) AS n_reports
FROM documents d LEFT JOIN (SELECT doc_id, count(*) AS n FROM reports GROUP BY doc_id) r USING (doc_id)
"""

DOCUMENTS_BUILD = """
CREATE TABLE doc_index AS
SELECT *, lower(concat_ws(chr(10), title, outlet, doc_id)) AS doc_key,
       row_number() OVER (ORDER BY published DESC NULLS LAST, doc_id) AS doc_rank
FROM incoming_docs
ORDER BY doc_rank
"""

_NOT_WORD = re.compile(r"[\W_]+")


def search_words(text: str | None) -> list[str]:
    """The words of a search box, normalised as the index normalises text (lower case, letters and digits)."""
    return [w for w in _NOT_WORD.split((text or "").lower()) if w]


def prefix_range(word: str) -> tuple[str, str]:
    """[low, high) bounds of the strings starting with `word` (UTF-8 sorts by code point)."""
    return word, word[:-1] + chr(min(ord(word[-1]) + 1, 0x10FFFF))


class EventIndex:
    """The in-memory copy; `cursor()` gives each thread its own DuckDB cursor (cursors share the tables)."""

    def __init__(self, store_con: duckdb.DuckDBPyConnection, word_index: str = "background",
                 memory: str = "background"):
        for name, value in (("word_index", word_index), ("memory", memory)):
            if value not in ("background", "now", "off"):
                raise ValueError(f"{name} must be 'background', 'now' or 'off', not {value!r}")
        started = time.perf_counter()
        self.db = duckdb.connect(":memory:")
        self.db.execute("SET enable_progress_bar = false")
        incoming = store_con.sql(FROM_STORE).to_arrow_table()
        self.db.register("incoming", incoming)
        self.db.execute(BUILD)
        self.db.unregister("incoming")
        self.db.register("incoming_docs", store_con.sql(DOCUMENTS_FROM_STORE).to_arrow_table())
        self.db.execute(DOCUMENTS_BUILD)
        self.db.unregister("incoming_docs")
        self.build_seconds = time.perf_counter() - started
        self.words_ready = threading.Event()
        self.words_seconds: float | None = None
        self.memory = MemoryIndex()
        self._local = threading.local()
        self._closing = False
        self._cursors: list[duckdb.DuckDBPyConnection] = []
        self._cursors_lock = threading.Lock()
        self._builder = self.db.cursor()
        self._memory_cursors = (self.db.cursor(), store_con.cursor()) if memory != "off" else ()
        self._thread: threading.Thread | None = None
        if word_index == "now":
            self._build_words()
        elif word_index == "off":
            self.db.execute("SET threads = 1")
        later = [job for job, mode in ((self._build_words, word_index), (self._build_memory, memory))
                 if mode == "background"]
        if later:  # started first: the word index (DuckDB's work) is built while memory (Python's) is
            self._thread = threading.Thread(target=self._build_later, args=(later,), name="warledger-index",
                                            daemon=True)
            self._thread.start()
        if memory == "now":
            self._build_memory()

    @staticmethod
    def _build_later(jobs) -> None:
        for job in jobs:
            job()

    def _build_words(self) -> None:
        started = time.perf_counter()
        try:
            self._builder.execute(WORDS)
        except duckdb.Error as exc:  # the scan still answers searches; say why the index is missing
            if not self._closing:
                log.warning("text search index not built (searches will scan): %s", exc)
            return
        self.words_seconds = time.perf_counter() - started
        self.words_ready.set()
        self._builder.execute("SET threads = 1")  # then serve many small queries at once (see Ledger)

    def _build_memory(self) -> None:
        index_cur, store_cur = self._memory_cursors
        try:
            self.memory.build(index_cur, store_cur, SUMMARY_COLUMNS, RANK_COLUMNS)
        except (duckdb.Error, BuildStopped) as exc:  # then the store answers everything, as it did meanwhile
            if not self._closing:
                log.warning("in-memory answers not built (the store answers instead): %s", exc)
        finally:
            for cur in self._memory_cursors:
                cur.close()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._local.cursor = self.db.cursor()
            with self._cursors_lock:
                self._cursors.append(cur)
        return cur

    def close(self) -> None:
        self._closing = True
        self.memory.stopping = True
        if self._thread is not None and self._thread.is_alive():
            for cur in (self._builder, *self._memory_cursors):  # a close during a build must not wait for it
                try:
                    cur.interrupt()
                except duckdb.Error:  # closed already: that build is over
                    pass
            self._thread.join()
        self._builder.close()
        with self._cursors_lock:
            for cur in self._cursors:
                cur.close()
        self.db.close()
