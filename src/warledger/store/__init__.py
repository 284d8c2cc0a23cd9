"""The DuckDB store: documents, reports, events and what fusion derives, with a schema version.

Stages hand over through this store: a document is stored cleaned, then its reports replace the old ones
in one transaction, so a run that dies part-way keeps everything stored before and resumes on the rest.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb

from warledger.errors import StoreError
from warledger.models import CopyGroup, Document, Event, Report, TallySeries
from warledger.store.schema import MIGRATIONS, SCHEMA_VERSION
from warledger.store.snapshot import WRITER_WAIT_S, connect_waiting

__all__ = ["Store", "SCHEMA_VERSION"]

REPORT_COLUMNS = ["report_id", "doc_id", "kind", "sub_event_type", "statement_type", "date", "stance",
                  "claimant_side", "confidence", "event_id", "data"]
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
            raise StoreError(f"cannot open the store {self.path}: {exc}. Check the path, or close the "
                             "other program that holds it (DuckDB allows one writer).") from exc
        if not read_only:
            self.migrate()

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

    def put_document(self, doc: Document) -> bool:
        """Store a document; False when the same text is already stored (under any id)."""
        existing = self.has_hash(doc.content_hash)
        if existing:
            return False
        # the same doc_id with another text: the document was edited; its old reports go with it
        self.con.execute("BEGIN")
        self.con.execute("DELETE FROM reports WHERE doc_id = ?", [doc.doc_id])
        self.con.execute("DELETE FROM documents WHERE doc_id = ?", [doc.doc_id])
        self.con.execute(
            "INSERT INTO documents (doc_id, content_hash, url, outlet, published, published_inferred,"
            " title, language, source_path, copy_group, text, raw_text, extracted_version)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
            [doc.doc_id, doc.content_hash, doc.url, doc.outlet, doc.published, doc.published_inferred,
             doc.title, doc.language, doc.source_path, doc.copy_group, doc.text, doc.raw_text])
        self.con.execute("COMMIT")
        return True

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

    def pending(self, version: str) -> list[str]:
        """Ids of documents not yet extracted by this extractor version (what a resumed run still has to do)."""
        rows = self.con.execute(
            "SELECT doc_id FROM documents WHERE extracted_version IS DISTINCT FROM ? AND skipped_reason IS NULL"
            " ORDER BY doc_id", [version]).fetchall()
        return [r[0] for r in rows]

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
        rows = [[r.report_id, r.doc_id, r.kind, r.sub_event_type, r.statement_type, r.date, r.stance,
                 r.claimant.side, r.confidence, r.event_id, r.model_dump_json()]
                for reports in batch.values() for r in reports]
        self.con.execute("BEGIN")
        try:
            self.con.execute(f"DELETE FROM reports WHERE doc_id IN ({marks})", ids)
            if rows:
                self._insert_rows("reports", REPORT_COLUMNS, rows, replace=True)
            self.con.execute(f"UPDATE documents SET extracted_version = ? WHERE doc_id IN ({marks})",
                             [version, *ids])
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
                                    e.killed.best, e.wounded.best, e.independent_sources, bool(e.contradictions),
                                    e.model_dump_json()] for e in events])
            if assignments:
                self.con.execute("CREATE TEMP TABLE IF NOT EXISTS _assign (report_id VARCHAR, event_id VARCHAR)")
                self.con.execute("DELETE FROM _assign")
                self.con.executemany("INSERT INTO _assign VALUES (?, ?)", list(assignments.items()))
                self.con.execute("UPDATE reports SET event_id = a.event_id FROM _assign a"
                                 " WHERE reports.report_id = a.report_id")
            if tallies:
                self.con.executemany("INSERT INTO tally_series (series_id, data) VALUES (?, ?)",
                                     [[t.series_id, t.model_dump_json()] for t in tallies])
            if copy_groups:
                self.con.executemany("INSERT INTO copy_groups (group_id, data) VALUES (?, ?)",
                                     [[g.group_id, g.model_dump_json()] for g in copy_groups])
                self.con.execute("UPDATE documents SET copy_group = NULL")
                self.con.executemany("UPDATE documents SET copy_group = ? WHERE doc_id = ?",
                                     [[g.group_id, d] for g in copy_groups for d in g.doc_ids])
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
    def log_skip(self, source: str, reason: str) -> None:
        self.con.execute("INSERT INTO skipped_inputs (source, reason) VALUES (?, ?)", [source, reason])

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

