"""Incremental ingestion: watch folders, files and feeds, and run the pipeline on what is new.

Each tick lists the inputs, keeps the files that are new or changed since they were last processed (by size
and modification time, recorded in the store's `meta` table only after the pipeline has finished with them),
and runs `warledger.pipeline.run` on those. Feed URLs (with `fetch=True`) are read each tick; their new
entries are written to a spool file next to the store, which is then processed like any file.

Stopping at any moment is safe: the pipeline commits per document and skips texts already stored, and a
file is marked done only after its batch finished, so a restart redoes at most the interrupted batch,
without losing or duplicating anything.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from warledger.errors import WarledgerError
from warledger.ingest import READERS
from warledger.ingest.feeds import is_url, read_feed
from warledger.ingest.sources import MANIFEST_NAME
from warledger.models import Document, stable_id
from warledger.store import Store

log = logging.getLogger(__name__)

META_PREFIX = "watch:"
# A file modified more recently than this is probably still being written: it waits for the next tick.
SETTLE_S = 1.0


@dataclass
class Tick:
    """What one pass of the watch loop did."""

    number: int
    new_inputs: list[str] = field(default_factory=list)
    summary: object = None
    error: str | None = None

    @property
    def failed(self) -> bool:
        """The pass failed: it raised, nothing could be processed, or a document failed."""
        if self.error:
            return True
        return self.summary is not None and (not self.summary.ok or bool(self.summary.failed))


def _signature(path: Path) -> str:
    stat = path.stat()
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def list_files(inputs: Iterable[str | os.PathLike]) -> list[Path]:
    """The readable files under the given folders (hidden ones and manifests left out) and files, sorted."""
    files: list[Path] = []
    for given in inputs:
        path = Path(given)
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            for file in sorted(path.rglob("*")):
                parts = file.relative_to(path).parts
                if file.is_file() and not any(p.startswith(".") for p in parts) \
                        and file.suffix.lower() in READERS and file.name != MANIFEST_NAME:
                    files.append(file)
    return files


def new_files(inputs: Iterable[str | os.PathLike], store: Store, settle_s: float = SETTLE_S) -> list[Path]:
    """Files not yet processed, or changed since; files still being written wait for a later tick."""
    now = time.time()
    out = []
    for file in list_files(inputs):
        try:
            if now - file.stat().st_mtime < settle_s:
                continue
            signature = _signature(file)
        except OSError:  # removed between listing and looking
            continue
        if store.get_meta(META_PREFIX + str(file.resolve())) != signature:
            out.append(file)
    return out


def mark_done(files: Iterable[Path], store: Store, signatures: dict[Path, str]) -> None:
    for file in files:
        store.set_meta(META_PREFIX + str(file.resolve()), signatures[file])


class _StoredIds:
    """`doc_id in ids` asks the store, so a pass does not load every stored document."""

    def __init__(self, store: Store):
        self.store = store

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and bool(self.store.documents([doc_id]))


def spool_feed(url: str, store: Store, spool_dir: Path, fetch: bool) -> Path | None:
    """Write the feed's entries not yet stored to a new JSONL file in `spool_dir`; None when none is new."""
    fresh: list[Document] = []
    for item in read_feed(url, fetch=fetch, known_ids=_StoredIds(store)):  # no page fetched again
        if isinstance(item, Document):
            if not store.has_hash(item.content_hash):
                fresh.append(item)
        else:
            log.warning("%s", item)
    if not fresh:
        return None
    spool_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    target = spool_dir / f"{stable_id('feed-', url, length=10)}-{stamp}.jsonl"
    partial = target.with_suffix(".part")
    with partial.open("w", encoding="utf-8") as out:
        for doc in fresh:
            out.write(json.dumps({"id": doc.doc_id, "text": doc.text, "url": doc.url, "outlet": doc.outlet,
                                  "published": doc.published.isoformat() if doc.published else None,
                                  "title": doc.title, "language": doc.language}, ensure_ascii=False) + "\n")
    partial.replace(target)  # appears whole, so a crash never leaves half a spool file to process
    return target


def tick(inputs: list[str], db: str | Path, number: int = 1, fetch: bool = False, settings=None,
         spool_dir: Path | None = None) -> Tick:
    """One pass: spool new feed entries, find new files, run the pipeline on them, mark them done."""
    from warledger.pipeline import run as pipeline_run

    spool_dir = spool_dir or Path(f"{db}.feeds")
    urls = [i for i in inputs if is_url(i)]
    with Store(db) as store:
        for url in urls:
            spool_feed(url, store, spool_dir, fetch)
        batch = new_files([i for i in inputs if not is_url(i)], store)
        if urls:  # spool files appear whole (renamed into place): no need to let them settle
            batch += new_files([spool_dir], store, settle_s=0.0)
        signatures = {f: _signature(f) for f in batch}
    result = Tick(number=number, new_inputs=[str(f) for f in batch])
    if not batch:
        return result
    log.info("tick %d: %d new input(s)", number, len(batch))
    # a document that failed is not tried again on every pass (a plain `warledger run` retries it)
    kwargs = {"db": db, "progress": False, "retry_failed": False}
    if settings is not None:
        kwargs["settings"] = settings
    result.summary = pipeline_run([str(f) for f in batch], **kwargs)
    with Store(db) as store:
        mark_done(batch, store, signatures)
    return result


def watch(paths_or_feeds: Iterable[str | os.PathLike], db: str | Path = "warledger.duckdb",
          interval: float = 60, fetch: bool = False, stop_after: int | None = None, settings=None,
          on_tick: Callable[[Tick], None] | None = None) -> list[Tick]:
    """Process new inputs every `interval` seconds until interrupted, or for `stop_after` ticks.

    `paths_or_feeds` are folders, files (feeds included) and, with `fetch=True`, feed URLs. Returns the
    ticks done (for a notebook); `on_tick` is called after each, for progress output.
    """
    inputs = [str(p) for p in paths_or_feeds]
    if not interval >= 0 or interval > 7 * 24 * 3600:  # also refuses NaN
        raise WarledgerError(f"--interval {interval:g}: give a number of seconds from 0 to 604800 (a week).")
    if not inputs:
        raise WarledgerError("watch needs at least one folder, file or feed URL.")
    if any(is_url(i) for i in inputs) and not fetch:
        raise WarledgerError("watching a feed URL needs network access: pass --fetch (fetch=True).")
    from warledger.settings import load_settings
    settings = settings or load_settings()  # out-of-range settings are refused once, before the first pass
    ticks: list[Tick] = []
    number = 0
    try:
        while True:
            number += 1
            try:
                done = tick(inputs, db, number, fetch, settings)
            except WarledgerError as exc:  # e.g. the store is locked by another writer: try next tick
                log.error("tick %d: %s", number, exc)
                done = Tick(number=number, error=str(exc))
            except Exception as exc:  # noqa: BLE001 - a long-running watch outlives one bad batch
                log.exception("tick %d failed; its inputs are tried again next tick", number)
                done = Tick(number=number, error=f"{type(exc).__name__}: {exc}")
            ticks.append(done)
            if on_tick:
                on_tick(done)
            if stop_after is not None and number >= stop_after:
                break
            time.sleep(interval)
    except KeyboardInterrupt:
        log.info("watch stopped after %d tick(s)", number)
    return ticks
