"""The orchestrator: it only orchestrates.

`run(sources, db)`:
1. ingest: read files, folders and rows into Documents (bad inputs become logged skips);
2. clean: remove site furniture, fold white space (evidence offsets point into the cleaned text), and fit
   the budgets (long runs broken, long lines broken, long documents split into parts);
3. store documents: identical texts are stored once; non-English ones are stored and marked skipped;
4. extract + resolve: every document not yet extracted by this version gets its reports, which replace the
   old ones in one transaction (a run that dies resumes here); a document that fails is marked failed;
5. fuse: cluster all reports into events, tally series and copy groups, stored atomically.
Each stage hands over through the DuckDB store and the run returns a typed `RunSummary`. One input's failure
at any stage is recorded (skipped or failed, with stage and reason, traceback in the log) and the run goes on.
"""
from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from contextlib import nullcontext
from pathlib import Path

import duckdb
from pydantic import BaseModel, Field
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from warledger.clean import clean_document
from warledger.clean.budget import Limits, fit_document
from warledger.conflicts import active_registry
from warledger.engines import ENGINES, extract_each
from warledger.engines.raydata import ingest_on_ray
from warledger.engines.steps import (  # noqa: F401 - step 4 for one document, re-exported from here
    extract_one,
    finish_report,
    load_resolver,
    side_name,
)
from warledger.errors import CleanError, WarledgerError
from warledger.extract import EXTRACTOR_VERSION, published_for
from warledger.fuse import fuse
from warledger.ingest import Skipped, read_sources
from warledger.ingest.language import detect_language
from warledger.ingest.records import printable_name
from warledger.isolation import Failed, failed, one_line
from warledger.models import Document, Report
from warledger.settings import Settings, load_settings
from warledger.store import Store, store_failure

log = logging.getLogger("warledger.pipeline")


class SkippedInput(BaseModel):
    source: str
    reason: str
    stage: str = "reading"  # reading | cleaning | storing (where the input was given up)


class FailedDocument(BaseModel):
    """A stored document whose extraction failed; the next `run` tries it again."""

    doc_id: str
    source: str
    stage: str               # parsing | extracting | resolving | storing
    error: str               # "ErrorType: one-line message" (the traceback is in the log)


class RunSummary(BaseModel):
    """What one run did (the CLI prints it as a table)."""

    db: str
    documents_read: int = 0
    documents_stored: int = 0
    duplicates: int = 0
    documents_extracted: int = 0
    reports_by_kind: dict[str, int] = Field(default_factory=dict)
    events: int = 0
    tally_series: int = 0
    copy_groups: int = 0
    skipped: list[SkippedInput] = Field(default_factory=list)
    failed: list[FailedDocument] = Field(default_factory=list)
    warnings: list[SkippedInput] = Field(default_factory=list)  # inputs cut to fit a budget, and why
    fuse_error: str | None = None
    store_counts: dict[str, int] = Field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """False when nothing at all could be processed."""
        return self.documents_read > 0 or self.store_counts.get("documents", 0) > 0


def _progress(enabled: bool):
    if not enabled:
        return nullcontext(None)
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    transient=True)


def run(sources: Iterable[str | Path] | str | Path, db: str | Path = "warledger.duckdb",
        settings: Settings | None = None, progress: bool = False, fuse_events: bool = True,
        retry_failed: bool = True, engine: str | None = None, ray_address: str | None = None) -> RunSummary:
    """Run the whole pipeline on `sources` into the store `db`; safe to re-run and to resume.
    Documents that failed before are tried again unless `retry_failed` is False (`watch`). `engine`
    ("local" or "ray", default `settings.engine`) says where steps 1-4 run (`warledger.engines`)."""
    settings = settings or load_settings()
    if engine or ray_address:
        settings = settings.model_copy(update={"engine": engine or settings.engine,
                                               "ray_address": ray_address or settings.ray_address})
    if settings.engine not in ENGINES:
        raise WarledgerError(f"unknown engine {settings.engine!r}: use one of {', '.join(ENGINES)}.")
    if isinstance(sources, (str, Path)):
        sources = [sources]
    summary = RunSummary(db=str(db))
    with Store(db) as store, _progress(progress) as bar:
        try:
            if settings.engine == "ray":
                ingest_on_ray(store, list(sources), settings, summary, settings.ray_address, progress)
            else:
                ingest_into(store, list(sources), settings, summary, bar)
            extract_pending(store, settings, summary, bar, retry_failed=retry_failed)
            if fuse_events:
                fuse_store(store, settings, summary)
            summary.store_counts = store.counts()
        except duckdb.Error as exc:  # the store itself broke (disk full, file damaged): one clear sentence
            raise store_failure(str(db), exc) from exc
    return summary


def ingest_into(store: Store, sources: list, settings: Settings, summary: RunSummary, bar=None) -> None:
    """Steps 1-3: read, clean and store documents; skips are logged in the store and the summary."""
    task = bar.add_task("reading", total=None) if bar else None
    limits = settings.limits()
    waiting: list[Document] = []  # stored a batch at a time, in one transaction
    for item in read_sources(sources, max_bytes=settings.max_file_bytes):
        if bar:
            bar.advance(task)
        if isinstance(item, Skipped):
            _skip(store, summary, item.source, item.reason)
            continue
        summary.documents_read += 1
        source = item.source_path or item.doc_id
        log.debug("step 1: read %s from %s", item.doc_id, source)
        try:
            parts = _prepared(item, limits, summary)
        except CleanError as exc:
            _skip(store, summary, source, str(exc), "cleaning")
            continue
        except Exception as exc:  # noqa: BLE001 - one document's failure must not end the run
            record = failed(item, "cleaning", exc)
            _skip(store, summary, source, f"{item.doc_id}: {record.error}", "cleaning")
            continue
        waiting.extend(parts)
        if len(waiting) >= settings.batch_size:
            _store_documents(store, summary, waiting)
            waiting = []
    _store_documents(store, summary, waiting)


def _prepared(item, limits: Limits, summary: RunSummary) -> list:
    """Step 2: the cleaned document, split into parts that fit the budgets, with its date and language."""
    fitted = fit_document(clean_document(item), limits)
    for warning in fitted.warnings:
        log.warning("%s", warning)
        summary.warnings.append(SkippedInput(source=item.source_path or item.doc_id, reason=warning,
                                             stage="cleaning"))
    for doc in fitted.parts:
        published, inferred = published_for(doc)
        doc.published, doc.published_inferred = published, inferred
        doc.language = doc.language or detect_language(doc.text)
    return fitted.parts


def _store_documents(store: Store, summary: RunSummary, docs: list[Document]) -> None:
    """Step 3 for a batch, in one transaction; when DuckDB refuses it, each document on its own, so only
    the one it refuses is skipped (with the reason)."""
    if not docs:
        return
    try:
        outcomes = list(zip(docs, store.put_documents(docs)))
    except duckdb.Error:
        log.debug("batch of %d documents refused; storing them one by one", len(docs), exc_info=True)
        outcomes = []
        for doc in docs:
            try:
                outcomes.append((doc, store.put_document(doc)))
            except duckdb.Error as exc:
                record = failed(doc, "storing", exc)
                _skip(store, summary, doc.source_path or doc.doc_id, f"{doc.doc_id}: {record.error}", "storing")
    for doc, stored in outcomes:
        if not stored:
            summary.duplicates += 1
            continue
        summary.documents_stored += 1
        if doc.language and doc.language != "en":
            store.mark_skipped(doc.doc_id, f"language: {doc.language}")
            _skip(store, summary, doc.source_path or doc.doc_id,
                  f"{doc.doc_id}: stored but not extracted (language: {doc.language})")


def _skip(store: Store, summary: RunSummary, source: str, reason: str, stage: str = "reading") -> None:
    source, reason = printable_name(str(source)), printable_name(reason)  # odd bytes in names, escaped
    log.warning("skipped %s", reason)
    store.log_skip(str(source), reason, stage)
    summary.skipped.append(SkippedInput(source=str(source), reason=reason, stage=stage))


def extract_pending(store: Store, settings: Settings, summary: RunSummary, bar=None,
                    limit: int | None = None, retry_failed: bool = True) -> None:
    """Step 4: extract and resolve documents this version has not done yet, one transaction per batch
    (at most `limit` of them: the rest stay pending for the next run). A document that fails is marked
    failed and the others go on."""
    resolver = load_resolver(Path(settings.cache_dir), active_registry().fingerprint)
    version = f"{EXTRACTOR_VERSION}+{getattr(resolver, 'version', '0')}"
    pending = store.pending(version, retry_failed)[:limit]
    if not pending:
        return
    log.info("step 4: extracting %d document(s)", len(pending))
    task = bar.add_task("extracting", total=len(pending)) if bar else None
    kinds: Counter = Counter(summary.reports_by_kind)
    # spaCy in several processes pays for starting them: worth it for a real corpus, not for a handful
    n_process = settings.workers if len(pending) >= 4 * settings.batch_size else 1
    stream = (doc for start in range(0, len(pending), settings.batch_size)
              for doc in store.documents(pending[start:start + settings.batch_size]))
    batch: dict[str, list[Report]] = {}
    for outcome in extract_each(stream, resolver, settings, n_process, str(store.path)):
        document = outcome.document
        if isinstance(outcome, Failed):
            _record_failure(store, summary, outcome, version)
        else:
            batch[document.doc_id] = outcome.reports
            kinds.update(r.kind for r in outcome.reports)
        if bar:
            bar.advance(task)
        if len(batch) >= settings.batch_size:
            _store_reports(store, summary, batch, version)
            batch = {}
    _store_reports(store, summary, batch, version)
    summary.reports_by_kind = dict(kinds)


def _store_reports(store: Store, summary: RunSummary, batch: dict[str, list[Report]], version: str) -> None:
    """One transaction for the batch; when it fails, each document on its own, so only the one DuckDB
    refuses is marked failed."""
    if not batch:
        return
    try:
        store.replace_reports_many(batch, version)
        summary.documents_extracted += len(batch)
        log.debug("step 4: stored the reports of %d document(s)", len(batch))
        return
    except duckdb.Error:
        log.debug("batch of %d documents refused; storing them one by one", len(batch), exc_info=True)
    documents = {d.doc_id: d for d in store.documents(list(batch))}
    for doc_id, reports in batch.items():
        try:
            store.replace_reports_many({doc_id: reports}, version)
            summary.documents_extracted += 1
        except duckdb.Error as exc:
            _record_failure(store, summary, failed(documents[doc_id], "storing", exc), version)


def _record_failure(store: Store, summary: RunSummary, outcome: Failed, version: str) -> None:
    doc = outcome.document
    store.mark_failed(doc.doc_id, outcome.stage, outcome.error, version)
    summary.failed.append(FailedDocument(doc_id=doc.doc_id, source=doc.source_path or doc.doc_id,
                                         stage=outcome.stage, error=outcome.error))


def fuse_store(store: Store, settings: Settings, summary: RunSummary) -> None:
    """Step 5: fuse every stored report into events (incremental: existing event ids are kept). When fusion
    fails, the events of the last fusion stay as they were and the summary says why."""
    log.info("step 5: fusing")
    try:
        result = fuse(store.reports(), store.documents(), store.events(), window_days=settings.fuse_window_days,
                      distance_km=settings.fuse_distance_km)
    except Exception as exc:  # noqa: BLE001 - the extracted reports are stored; fusion can be run again
        log.debug("fusion failed", exc_info=exc)
        summary.fuse_error = f"{type(exc).__name__}: {one_line(exc)}"
        log.warning("fusion failed, the previous events are kept: %s", summary.fuse_error)
        return
    try:
        store.replace_fusion(result.events, result.assignments, result.tallies, result.copy_groups)
    except (duckdb.ConversionException, duckdb.ConstraintException, duckdb.InvalidInputException) as exc:
        log.debug("storing the fusion failed", exc_info=exc)
        summary.fuse_error = f"{type(exc).__name__}: {one_line(exc)}"
        log.warning("storing the fusion failed, the previous events are kept: %s", summary.fuse_error)
        return
    summary.events = len(result.events)
    summary.tally_series = len(result.tallies)
    summary.copy_groups = len(result.copy_groups)
