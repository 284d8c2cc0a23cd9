"""The DuckDB store: documents, reports, events and what fusion derives, with a schema version.

Stages hand over through this store: a document is stored cleaned, then its reports replace the old ones
in one transaction, so a run that dies part-way keeps everything stored before and resumes on the rest.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb

from warledger.errors import StoreError
from warledger.ingest.records import utf8_safe
from warledger.models import CopyGroup, Document, Event, Report, TallySeries, stable_id
from warledger.plausible import plausible_date, plausible_figure
from warledger.store.schema import MIGRATIONS, SCHEMA_VERSION
from warledger.store.snapshot import WRITER_WAIT_S, connect_waiting

__all__ = ["Store", "SCHEMA_VERSION", "damaged", "store_failure", "utf8_safe"]

REPORT_COLUMNS = ["report_id", "doc_id", "kind", "sub_event_type", "statement_type", "date", "stance",
                  "claimant_side", "confidence", "event_id", "data"]
DOCUMENT_COLUMNS = ["doc_id", "content_hash", "url", "outlet", "published", "published_inferred", "title",
                    "language", "source_path", "copy_group", "text", "raw_text"]
EVENT_COLUMNS = ["event_id", "kind", "event_type", "sub_event_type", "date", "country", "place", "lat", "lon",
                 "killed_best", "wounded_best", "independent_sources", "contested", "data"]


class Store:
    """A DuckDB file holding the ledger. Use as a context manager or call `close()`."""

    def __init__(self, path: str | Path = "warledger.duckdb", read_only: bool = False):
        self.path = str(path)
        try:
            # a writer waits out a dashboard's snapshot copy (a fraction of a second), see store/snapshot.py
            self.con = connect_waiting(self.path, read_only=read_only, wait_s=0 if read_only else WRITER_WAIT_S)
        except duckdb.Error as exc:
            raise open_error(self.path, exc) from exc
        try:
            self.check_is_store(read_only)
            if not read_only:
                self.migrate()
        except duckdb.Error as exc:
            self.con.close()
            raise damaged(self.path, exc) from exc
        except StoreError:
            self.con.close()
            raise

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    # -- schema -------------------------------------------------------------------------------
    def schema_version(self) -> int:
        exists = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'").fetchone()[0]
        if not exists:
            return 0
        row = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    def check_is_store(self, read_only: bool) -> None:
        """StoreError for a DuckDB file that holds other tables but no warledger schema (never write into it)."""
        tables = {r[0] for r in self.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if tables and "meta" not in tables:
            raise StoreError(f"{self.path} is a DuckDB database but not a warledger store (it has other tables "
                             "and no warledger schema): give another --db, or start a new store in a new file.")
        if read_only and not tables:
            raise StoreError(f"{self.path} is an empty DuckDB file, not a warledger store yet: run "
                             f"`warledger run PATH --db {self.path}` first.")

    def migrate(self) -> None:
        current = self.schema_version()
        if current > SCHEMA_VERSION:
            raise StoreError(f"{self.path} has schema version {current}, newer than this warledger "
                             f"({SCHEMA_VERSION}): upgrade warledger.")
        for version in range(current + 1, SCHEMA_VERSION + 1):
            self.con.execute("BEGIN")
            for statement in MIGRATIONS[version]:
                self.con.execute(statement)
            self.con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(version)])
            self.con.execute("COMMIT")

    # -- documents ----------------------------------------------------------------------------
    def has_hash(self, content_hash: str) -> str | None:
        row = self.con.execute("SELECT doc_id FROM documents WHERE content_hash = ?", [content_hash]).fetchone()
        return row[0] if row else None

    def put_document(self, doc: Document, keep_id: bool = False) -> bool:
        """Store a document; False when the same text is already stored (under any id). See put_documents."""
        return self.put_documents([doc], keep_id)[0]

    def put_documents(self, docs: list[Document], keep_id: bool = False) -> list[bool]:
        """Store documents in one transaction; for each, False when the same text is already stored (under
        any id) or comes earlier in `docs`.

        Ids are unique per source path: when `doc.doc_id` is already taken by a document from another file
        (two `index.html` in two folders), the new one becomes `<id>-<8 hex of its source path>`, the same
        on every rerun; `doc.doc_id` is updated to the id it is stored under (with `keep_id`, for import,
        the id is kept as given). The same id from the same source with another text is an edited
        document: it replaces the stored one and its reports. Strings DuckDB cannot encode (lone
        surrogates) are made safe first."""
        for doc in docs:
            for field in ("doc_id", "text", "raw_text", "url", "outlet", "title", "language", "source_path"):
                value = getattr(doc, field)
                if isinstance(value, str):
                    setattr(doc, field, utf8_safe(value))
        known = set(self._column_in("content_hash", "content_hash", [d.content_hash for d in docs]))
        holders = dict(self.con.execute(*self._in_query("doc_id, source_path", "doc_id",
                                                        [d.doc_id for d in docs])).fetchall())
        fresh: dict[str, Document] = {}
        stored = []
        for doc in docs:
            if doc.content_hash in known:
                stored.append(False)
                continue
            known.add(doc.content_hash)
            if not keep_id:
                doc.doc_id = _free_id(doc.doc_id, doc.source_path, holders)
            holders[doc.doc_id] = doc.source_path
            fresh[doc.doc_id] = doc
            stored.append(True)
        if fresh:
            self._insert_documents(list(fresh.values()))
        return stored

    def _in_query(self, columns: str, key: str, values: list) -> tuple[str, list]:
        return (f"SELECT {columns} FROM documents WHERE {key} IN ({','.join('?' * len(values))})", values)

    def _column_in(self, column: str, key: str, values: list) -> list:
        if not values:
            return []
        return [r[0] for r in self.con.execute(*self._in_query(column, key, values)).fetchall()]

    def _insert_documents(self, docs: list[Document]) -> None:
        ids = [d.doc_id for d in docs]
        marks = ",".join("?" * len(ids))
        rows = [[d.doc_id, d.content_hash, d.url, d.outlet, d.published, d.published_inferred, d.title,
                 d.language, d.source_path, d.copy_group, d.text, d.raw_text] for d in docs]
        self.con.execute("BEGIN")
        try:
            self.con.execute(f"DELETE FROM reports WHERE doc_id IN ({marks})", ids)
            self.con.execute(f"DELETE FROM documents WHERE doc_id IN ({marks})", ids)
            self._insert_rows("documents", DOCUMENT_COLUMNS, rows)
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise

    def free_id(self, doc_id: str, source_path: str | None) -> str:
        """`doc_id`, or `doc_id-<hash of source_path>` when another source already holds `doc_id`."""
        row = self.con.execute("SELECT source_path FROM documents WHERE doc_id = ?", [doc_id]).fetchone()
        return _free_id(doc_id, source_path, {doc_id: row[0]} if row else {})

    def documents(self, doc_ids: Iterable[str] | None = None) -> list[Document]:
        sql = ("SELECT doc_id, content_hash, url, outlet, published, published_inferred, title, language,"
               " source_path, copy_group, text, raw_text FROM documents")
        params: list = []
        if doc_ids is not None:
            ids = list(doc_ids)
            if not ids:
                return []
            sql += f" WHERE doc_id IN ({','.join('?' * len(ids))})"
            params = ids
        rows = self.con.execute(sql + " ORDER BY doc_id", params).fetchall()
        names = ["doc_id", "content_hash", "url", "outlet", "published", "published_inferred", "title",
                 "language", "source_path", "copy_group", "text", "raw_text"]
        return [Document(**dict(zip(names, row))) for row in rows]

    def pending(self, version: str, retry_failed: bool = True) -> list[str]:
        """Ids of documents not yet extracted by this extractor version (what a resumed run still has to do).
        Documents that failed with this version are retried only with `retry_failed` (`run` retries them,
        `watch` does not, so a poison document is not tried again on every pass)."""
        rows = self.con.execute(
            "SELECT doc_id FROM documents WHERE extracted_version IS DISTINCT FROM ? AND skipped_reason IS NULL"
            " AND (? OR failed_version IS DISTINCT FROM ?) ORDER BY doc_id",
            [version, retry_failed, version]).fetchall()
        return [r[0] for r in rows]

    def mark_failed(self, doc_id: str, stage: str, error: str, version: str) -> None:
        """Record that extracting (or resolving, storing) this document failed with `error` ("Type: message");
        its reports from an earlier version, if any, are kept until an extraction succeeds."""
        self.con.execute("UPDATE documents SET failed_stage = ?, failed_error = ?, failed_version = ?"
                         " WHERE doc_id = ?", [stage, error, version, doc_id])

    def failed(self) -> list[dict[str, str]]:
        """The documents marked failed: doc_id, source_path, stage, error."""
        if self.schema_version() < 2:  # a store not yet migrated (opened read-only) has none
            return []
        rows = self.con.execute("SELECT doc_id, source_path, failed_stage, failed_error FROM documents"
                                " WHERE failed_stage IS NOT NULL ORDER BY doc_id").fetchall()
        return [dict(zip(("doc_id", "source_path", "stage", "error"), row)) for row in rows]

    def mark_skipped(self, doc_id: str, reason: str) -> None:
        self.con.execute("UPDATE documents SET skipped_reason = ? WHERE doc_id = ?", [reason, doc_id])

    def set_published(self, doc_id: str, published, inferred: bool) -> None:
        self.con.execute("UPDATE documents SET published = ?, published_inferred = ? WHERE doc_id = ?",
                         [published, inferred, doc_id])

    def _insert_rows(self, table: str, columns: list[str], rows: list[list], replace: bool = False) -> None:
        """Insert many rows at once through an Arrow table (DuckDB's executemany goes row by row)."""
        import pyarrow as pa
        data = pa.table({c: [row[i] for row in rows] for i, c in enumerate(columns)})
        self.con.register("_rows", data)
        try:
            verb = "INSERT OR REPLACE" if replace else "INSERT"
            self.con.execute(f"{verb} INTO {table} ({', '.join(columns)}) SELECT {', '.join(columns)} FROM _rows")
        finally:
            self.con.unregister("_rows")

    def _update_from(self, table: str, key: str, column: str, values: dict[str, str]) -> None:
        """`UPDATE table SET column = value WHERE key = k` for every (k, value), in one statement joined to an
        Arrow table (DuckDB's executemany runs one UPDATE per row: seconds for a few thousand reports)."""
        import pyarrow as pa
        data = pa.table({"k": pa.array(list(values), type=pa.string()),
                         "v": pa.array(list(values.values()), type=pa.string())})
        self.con.register("_pairs", data)
        try:
            self.con.execute(f"UPDATE {table} SET {column} = _pairs.v FROM _pairs WHERE {table}.{key} = _pairs.k")
        finally:
            self.con.unregister("_pairs")

    # -- reports ------------------------------------------------------------------------------
    def replace_reports(self, doc_id: str, reports: list[Report], version: str) -> None:
        """Swap a document's reports for new ones and mark it extracted, in one transaction."""
        self.replace_reports_many({doc_id: reports}, version)

    def replace_reports_many(self, batch: dict[str, list[Report]], version: str) -> None:
        """Swap the reports of several documents and mark them extracted, in one transaction (a run that
        dies keeps every batch committed before)."""
        if not batch:
            return
        ids = list(batch)
        marks = ",".join("?" * len(ids))
        for reports in batch.values():
            for report in reports:
                plausible_report(report)
        rows = [[r.report_id, r.doc_id, r.kind, r.sub_event_type, r.statement_type, r.date, r.stance,
                 r.claimant.side, r.confidence, r.event_id, r.model_dump_json()]
                for reports in batch.values() for r in reports]
        self.con.execute("BEGIN")
        try:
            self.con.execute(f"DELETE FROM reports WHERE doc_id IN ({marks})", ids)
            if rows:
                self._insert_rows("reports", REPORT_COLUMNS, rows, replace=True)
            self.con.execute("UPDATE documents SET extracted_version = ?, failed_stage = NULL, failed_error = NULL,"
                             f" failed_version = NULL WHERE doc_id IN ({marks})", [version, *ids])
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise

    def reports(self, doc_id: str | None = None) -> list[Report]:
        sql, params = "SELECT data, event_id FROM reports", []
        if doc_id is not None:
            sql, params = sql + " WHERE doc_id = ?", [doc_id]
        rows = self.con.execute(sql + " ORDER BY doc_id, report_id", params).fetchall()
        out = []
        for data, event_id in rows:
            report = Report.model_validate_json(data)
            report.event_id = event_id
            out.append(report)
        return out

    # -- fusion results -----------------------------------------------------------------------
    def replace_fusion(self, events: list[Event], assignments: dict[str, str],
                       tallies: list[TallySeries] = (), copy_groups: list[CopyGroup] = ()) -> None:
        """Store what fusion derived (events, report->event links, tally series, copy groups) atomically."""
        self.con.execute("BEGIN")
        try:
            for table in ("events", "tally_series", "copy_groups"):
                self.con.execute(f"DELETE FROM {table}")
            self.con.execute("UPDATE reports SET event_id = NULL")
            if events:
                self._insert_rows("events", EVENT_COLUMNS,
                                  [[e.event_id, e.kind, e.event_type, e.sub_event_type, e.date,
                                    e.location.country if e.location else None,
                                    e.location.name if e.location else None,
                                    e.location.lat if e.location else None, e.location.lon if e.location else None,
                                    plausible_figure(e.killed.best), plausible_figure(e.wounded.best),
                                    e.independent_sources, bool(e.contradictions),
                                    e.model_dump_json()] for e in events])
            if assignments:
                self._update_from("reports", "report_id", "event_id", assignments)
            if tallies:
                self._insert_rows("tally_series", ["series_id", "data"],
                                  [[t.series_id, t.model_dump_json()] for t in tallies])
            if copy_groups:
                self._insert_rows("copy_groups", ["group_id", "data"],
                                  [[g.group_id, g.model_dump_json()] for g in copy_groups])
                self.con.execute("UPDATE documents SET copy_group = NULL")
                # a document in two groups keeps the last, as one UPDATE per document left it
                self._update_from("documents", "doc_id", "copy_group",
                                  {d: g.group_id for g in copy_groups for d in g.doc_ids})
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise

    def events(self) -> list[Event]:
        rows = self.con.execute("SELECT data FROM events ORDER BY date, event_id").fetchall()
        return [Event.model_validate_json(r[0]) for r in rows]

    def tally_series(self) -> list[TallySeries]:
        rows = self.con.execute("SELECT data FROM tally_series ORDER BY series_id").fetchall()
        return [TallySeries.model_validate_json(r[0]) for r in rows]

    def copy_groups(self) -> list[CopyGroup]:
        rows = self.con.execute("SELECT data FROM copy_groups ORDER BY group_id").fetchall()
        return [CopyGroup.model_validate_json(r[0]) for r in rows]

    # -- bookkeeping --------------------------------------------------------------------------
    def log_skip(self, source: str, reason: str, stage: str = "reading") -> None:
        self.con.execute("INSERT INTO skipped_inputs (source, reason, stage) VALUES (?, ?, ?)",
                         [utf8_safe(source), utf8_safe(reason), stage])

    def counts(self) -> dict[str, int]:
        out = {}
        for table in ("documents", "reports", "events", "tally_series", "copy_groups"):
            out[table] = self.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        return out

    def get_meta(self, key: str) -> str | None:
        row = self.con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])



def _free_id(doc_id: str, source_path: str | None, holders: dict[str, str | None]) -> str:
    if doc_id not in holders or holders[doc_id] == source_path or source_path is None:
        return doc_id
    return f"{doc_id}-{stable_id('', source_path, length=8)}"


def open_error(path: str, exc: Exception) -> StoreError:
    """One sentence for a store DuckDB cannot open: held by another program, damaged, or not a database."""
    message = str(exc)
    if "lock" in message.lower():
        return StoreError(f"cannot open the store {path}: another program holds it (DuckDB allows one writer); "
                          "close it, or give another --db.")
    if isinstance(exc, duckdb.IOException) and not Path(path).exists():
        return StoreError(f"cannot open the store {path}: {message.splitlines()[0]}. Check the path.")
    return damaged(path, exc)


def store_failure(path: str, exc: Exception) -> StoreError:
    """A DuckDB error that ended a run: the file is damaged (I/O, corrupt blocks) or a write was refused."""
    if isinstance(exc, (duckdb.IOException, duckdb.FatalException, duckdb.InternalException,
                        duckdb.SerializationException)):
        return damaged(path, exc, "write to")
    first = (str(exc).splitlines() or [type(exc).__name__])[0][:200]
    return StoreError(f"the store {path} refused a write ({type(exc).__name__}: {first}); what was stored "
                      "before is kept. Run again; if it happens again, report it with the log (--log FILE).")


def damaged(path: str, exc: Exception, doing: str = "open") -> StoreError:
    """The one sentence for a damaged store file: which file, and what to do."""
    first = (str(exc).splitlines() or [type(exc).__name__])[0][:200]
    return StoreError(f"cannot {doing} the store {path}: it is damaged or not a warledger store ({first}). "
                      "Restore it from a backup or an export (`warledger import`), or start a new store "
                      "with another --db.")



def plausible_report(report: Report) -> Report:
    """The report with figures outside 0..MAX_FIGURE and dates outside 1900..2100 dropped (set to None), so
    nothing absurd is stored, whatever produced the report (extractor, import)."""
    for field in ("killed", "wounded"):
        if getattr(report, field) is not None and plausible_figure(getattr(report, field)) is None:
            setattr(report, field, None)
            setattr(report, f"{field}_qualifier", None)
    for item in report.materiel:
        if item.count is not None and plausible_figure(item.count) is None:
            item.count = None
    for field in ("date", "date_start"):
        if getattr(report, field, None) is not None and plausible_date(getattr(report, field)) is None:
            setattr(report, field, None)
    return report
