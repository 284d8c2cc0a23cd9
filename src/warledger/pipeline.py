"""The orchestrator: it only orchestrates.

`run(sources, db)`:
1. ingest: read files, folders and rows into Documents (bad inputs become logged skips);
2. clean: remove site furniture, fold white space (evidence offsets point into the cleaned text);
3. store documents: identical texts are stored once; non-English ones are stored and marked skipped;
4. extract + resolve: every document not yet extracted by this version gets its reports, which replace the
   old ones in one transaction (a run that dies resumes here);
5. fuse: cluster all reports into events, tally series and copy groups, stored atomically.
Each stage hands over through the DuckDB store and the run returns a typed `RunSummary`.
"""
from __future__ import annotations

import functools
import logging
from collections import Counter
from collections.abc import Iterable
from contextlib import nullcontext
from pathlib import Path

from pydantic import BaseModel, Field
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from warledger.clean import clean_document
from warledger.conflicts import active_registry
from warledger.countries import country_name, country_record
from warledger.errors import CleanError
from warledger.extract import EXTRACTOR_VERSION, extract_documents, published_for
from warledger.fuse import fuse
from warledger.ingest import Skipped, read_sources
from warledger.ingest.language import detect_language
from warledger.models import Actor, Report
from warledger.resolve import Resolver, resolve_reports
from warledger.settings import Settings
from warledger.store import Store

log = logging.getLogger("warledger.pipeline")


class SkippedInput(BaseModel):
    source: str
    reason: str


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
        settings: Settings | None = None, progress: bool = False, fuse_events: bool = True) -> RunSummary:
    """Run the whole pipeline on `sources` into the store `db`; safe to re-run and to resume."""
    settings = settings or Settings()
    if isinstance(sources, (str, Path)):
        sources = [sources]
    summary = RunSummary(db=str(db))
    with Store(db) as store, _progress(progress) as bar:
        ingest_into(store, list(sources), settings, summary, bar)
        extract_pending(store, settings, summary, bar)
        if fuse_events:
            fuse_store(store, settings, summary)
        summary.store_counts = store.counts()
    return summary


def ingest_into(store: Store, sources: list, settings: Settings, summary: RunSummary, bar=None) -> None:
    """Steps 1-3: read, clean and store documents; skips are logged in the store and the summary."""
    task = bar.add_task("reading", total=None) if bar else None
    for item in read_sources(sources, max_bytes=settings.max_file_bytes):
        if bar:
            bar.advance(task)
        if isinstance(item, Skipped):
            _skip(store, summary, item.source, item.reason)
            continue
        summary.documents_read += 1
        try:
            doc = clean_document(item)
        except CleanError as exc:
            _skip(store, summary, item.source_path or item.doc_id, str(exc))
            continue
        published, inferred = published_for(doc)
        doc.published, doc.published_inferred = published, inferred
        language = doc.language or detect_language(doc.text)
        doc.language = language
        if store.put_document(doc):
            summary.documents_stored += 1
            if language and language != "en":
                store.mark_skipped(doc.doc_id, f"language: {language}")
                _skip(store, summary, doc.source_path or doc.doc_id,
                      f"{doc.doc_id}: stored but not extracted (language: {language})")
        else:
            summary.duplicates += 1


def _skip(store: Store, summary: RunSummary, source: str, reason: str) -> None:
    log.warning("skipped %s", reason)
    store.log_skip(str(source), reason)
    summary.skipped.append(SkippedInput(source=str(source), reason=reason))


def extract_pending(store: Store, settings: Settings, summary: RunSummary, bar=None,
                    limit: int | None = None) -> None:
    """Step 4: extract and resolve documents this version has not done yet, one transaction per batch
    (at most `limit` of them: the rest stay pending for the next run)."""
    resolver = load_resolver(Path(settings.cache_dir), active_registry().fingerprint)
    version = f"{EXTRACTOR_VERSION}+{getattr(resolver, 'version', '0')}"
    pending = store.pending(version)[:limit]
    if not pending:
        return
    task = bar.add_task("extracting", total=len(pending)) if bar else None
    kinds: Counter = Counter(summary.reports_by_kind)
    # spaCy in several processes pays for starting them: worth it for a real corpus, not for a handful
    n_process = settings.workers if len(pending) >= 4 * settings.batch_size else 1
    stream = (doc for start in range(0, len(pending), settings.batch_size)
              for doc in store.documents(pending[start:start + settings.batch_size]))
    batch: dict[str, list[Report]] = {}
    for done in extract_documents(stream, resolver, batch_size=settings.batch_size, n_process=n_process):
        reports = [finish_report(r) for r in resolve_reports(done.reports, done.document, resolver)]
        batch[done.document.doc_id] = reports
        kinds.update(r.kind for r in reports)
        if bar:
            bar.advance(task)
        if len(batch) >= settings.batch_size:
            store.replace_reports_many(batch, version)   # one transaction per batch of documents
            summary.documents_extracted += len(batch)
            batch = {}
    store.replace_reports_many(batch, version)
    summary.documents_extracted += len(batch)
    summary.reports_by_kind = dict(kinds)


@functools.lru_cache(maxsize=2)
def load_resolver(cache_dir: Path, packs: str = "") -> Resolver:
    """The resolver, loaded once per process (`watch` runs the pipeline again on every tick) and per set of
    conflict packs (`packs`: the registry's fingerprint, so an added pack is never served a stale resolver)."""
    return Resolver.load(cache_dir)


def finish_report(report: Report) -> Report:
    """Give unnamed actors a name from their side, ACLED-style ("Military Forces of Armenia")."""
    for field in ("actor1", "actor2"):
        actor: Actor | None = getattr(report, field)
        if actor is not None and not actor.name:
            actor.name = side_name(actor.side)
    return report


def side_name(side: str | None) -> str:
    if not side or side == "XX":
        return "Unidentified armed group"
    if side == "UN":
        return "United Nations"
    forces = active_registry().forces_name(side)   # a de facto side's forces are named in its conflict pack
    if forces:
        return forces
    return f"Military Forces of {country_name(side)}" if country_record(side) else side


def fuse_store(store: Store, settings: Settings, summary: RunSummary) -> None:
    """Step 5: fuse every stored report into events (incremental: existing event ids are kept)."""
    result = fuse(store.reports(), store.documents(), store.events(), window_days=settings.fuse_window_days,
                  distance_km=settings.fuse_distance_km)
    store.replace_fusion(result.events, result.assignments, result.tallies, result.copy_groups)
    summary.events = len(result.events)
    summary.tally_series = len(result.tallies)
    summary.copy_groups = len(result.copy_groups)
