"""The Ray engine: clean, parse, extract and resolve on Ray Data, on this machine or on a cluster.

`ingest_on_ray` and `extract_on_ray` replace the local steps 1-4 of `pipeline.run`; the store stays with the
driver (one DuckDB file), so storing and fusing are the local engine's own steps:
1. start Ray on this machine's cores, or join the cluster at `address` (once per process);
2. read on the driver (only it sees its paths): files, folders, JSONL/CSV/news-API exports as the local
   engine reads them; Parquet datasets of documents (a `.parquet` file or a folder of them, any filesystem
   pyarrow knows) are read by Ray Data itself;
3. clean on Ray (tasks): furniture, budgets, dates, language, exactly as the local engine cleans (what the
   driver read, when it is at most `DRIVER_CLEAN_MAX` documents, is cleaned by the driver: cheaper than
   starting cleaning workers);
4. store the documents on the driver (identical texts once, other languages marked skipped);
5. extract and resolve the pending documents on Ray: an actor pool, one loaded spaCy model and resolver per
   actor, batches of at most `batch_size` documents; a batch whose actor dies is given to a restarted actor
   (Ray Data's `max_restarts`/`max_task_retries`); one row per document, its reports or its failure, streamed
   back to the driver as each batch is done (or, with `ray_output`, written there as a Parquet dataset);
6. store the rows, batch by batch, each document once, failures marked as the local engine marks them
   (while the actors parse the next batches). Fusion then runs in the driver on the store.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

from warledger.errors import WarledgerError
from warledger.isolation import Failed
from warledger.models import Document, Report

log = logging.getLogger("warledger.engines.ray")

# Inputs the driver reads (files, folders, JSONL/CSV exports) of at most this many documents are cleaned on
# the driver, by the same `_clean_rows` the Ray tasks run: a new cleaning worker spends about 3 s of CPU
# starting and importing the cleaner, in which the driver cleans some 3,000 documents (about 1 ms each).
DRIVER_CLEAN_MAX = 5_000
CLEAN_LIMITS = ("max_document_chars", "max_parts", "max_sentences", "max_line_chars", "max_token_chars")


def _ray():
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError as exc:
        raise WarledgerError('the Ray engine needs Ray: pip install "warledger[ray]" (or pip install '
                             '"ray[data]"), then run again with --engine ray.') from exc
    return ray


def start(address: str | None, progress: bool = False):
    """Step 1: Ray, started on this machine's cores or joined at `address` ("auto", "ray://host:10001")."""
    ray = _ray()
    if not ray.is_initialized():
        try:
            ray.init(address=address, include_dashboard=False, log_to_driver=False,
                     configure_logging=False)
        except (ConnectionError, ValueError, RuntimeError) as exc:
            raise WarledgerError(f"cannot reach the Ray cluster at {address!r}: {exc}. Check the address "
                                 "(`ray status` on the head node prints it), or leave --ray-address out to "
                                 "run Ray on this machine.") from exc
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = progress
    return ray


# -- steps 2-4: read, clean on Ray, store -------------------------------------------------------------
def is_parquet_dataset(source) -> bool:
    text = str(source)
    if text.endswith(".parquet") or "://" in text:
        return True
    path = Path(text)
    return path.is_dir() and any(path.glob("*.parquet")) and not any(
        p.suffix != ".parquet" and p.is_file() for p in path.iterdir())


def _document_rows(ray, sources: list, settings, store, summary) -> tuple[list, list]:
    """Step 2: Ray datasets of raw documents (one per Parquet source, one for what the driver read when it is
    more than `DRIVER_CLEAN_MAX` documents), and the rows the driver read and cleans itself (the fewer)."""
    from warledger.ingest import Skipped, read_sources
    from warledger.pipeline import _skip

    parquet = [s for s in sources if is_parquet_dataset(s)]
    others = [s for s in sources if not is_parquet_dataset(s)]
    datasets = []
    rows = []
    for item in read_sources(others, max_bytes=settings.max_file_bytes) if others else ():
        if isinstance(item, Skipped):
            _skip(store, summary, item.source, item.reason)
            continue
        rows.append({"document": item.model_dump_json()})
    if len(rows) > DRIVER_CLEAN_MAX:   # a few large blocks: each cleaning worker imports the cleaner once
        blocks = max(1, min(len(rows), 2 * settings.workers))
        datasets.append(ray.data.from_items(rows, override_num_blocks=blocks))
        rows = []
    for source in parquet:
        try:
            ds = ray.data.read_parquet(str(source))
        except Exception as exc:  # noqa: BLE001 - an unreadable dataset is one skipped input
            _skip(store, summary, str(source), f"{source}: not a readable Parquet dataset "
                                               f"({type(exc).__name__}: {exc})")
            continue
        missing = {"text"} - set(ds.schema().names)
        if missing:
            _skip(store, summary, str(source), f"{source}: a Parquet dataset of documents needs a 'text' column")
            continue
        datasets.append(ds.map_batches(_parquet_documents, batch_format="pyarrow", fn_kwargs={"source": str(source)}))
    return datasets, rows


def _parquet_documents(table, source: str) -> dict:
    """Rows of a Parquet dataset as documents, made as the JSONL/CSV readers make theirs (doc_id defaults to
    the dataset name and row number); a row with no text is a skip."""
    from warledger.ingest.records import META_KEYS, make_document

    names = set(table.column_names)
    columns = {c: table.column(c).to_pylist() for c in ("doc_id", "text", *META_KEYS) if c in names}
    out = []
    stem = Path(source.rstrip("/")).stem or "parquet"
    for i in range(table.num_rows):
        row = {c: values[i] for c, values in columns.items()}
        doc_id = str(row.get("doc_id") or f"{stem}-{i}")
        text = row.get("text")
        if not isinstance(text, str) or not text.strip():
            out.append(json.dumps({"skip": f"{source}: row {doc_id}: no text", "source": source}))
            continue
        try:
            out.append(make_document(doc_id, text, {k: row.get(k) for k in META_KEYS}, source).model_dump_json())
        except Exception as exc:  # noqa: BLE001 - a bad row is one skipped input
            out.append(json.dumps({"skip": f"{source}: row {doc_id}: {type(exc).__name__}: {exc}",
                                   "source": source}))
    return {"document": out}


def _clean_rows(batch: dict, max_document_chars: int, max_parts: int, max_sentences: int,
                max_line_chars: int, max_token_chars: int) -> dict:
    """Step 3 on a Ray worker: each raw document cleaned, fitted to the budgets, dated, its language told."""
    from warledger.clean.budget import Limits
    from warledger.errors import CleanError
    from warledger.isolation import failed
    from warledger.pipeline import RunSummary, _prepared

    limits = Limits(max_document_chars=max_document_chars, max_parts=max_parts, max_sentences=max_sentences,
                    max_line_chars=max_line_chars, max_token_chars=max_token_chars)
    out = []
    for raw in batch["document"]:
        data = json.loads(raw)
        if "skip" in data:
            out.append(json.dumps({"skipped": data["skip"], "source": data["source"], "stage": "reading"}))
            continue
        item = Document.model_validate(data)
        source = item.source_path or item.doc_id
        scratch = RunSummary(db="")
        try:
            parts = _prepared(item, limits, scratch)
        except CleanError as exc:
            out.append(json.dumps({"skipped": str(exc), "source": source, "stage": "cleaning"}))
            continue
        except Exception as exc:  # noqa: BLE001 - as the local engine: one document's failure
            out.append(json.dumps({"skipped": f"{item.doc_id}: {failed(item, 'cleaning', exc).error}",
                                   "source": source, "stage": "cleaning"}))
            continue
        out.append(json.dumps({"parts": [p.model_dump(mode="json") for p in parts],
                               "warnings": [w.model_dump() for w in scratch.warnings]}))
    return {"cleaned": out}


def ingest_on_ray(store, sources: list, settings, summary, address: str | None = None,
                  progress: bool = False) -> None:
    """Steps 1-4: read, clean on Ray, store on the driver (skips and warnings as the local engine has them)."""
    from warledger.pipeline import SkippedInput, _skip, _store_documents

    ray = start(address, progress)
    limits = {k: getattr(settings.limits(), k) for k in CLEAN_LIMITS}
    datasets, here = _document_rows(ray, sources, settings, store, summary)
    size = settings.batch_size
    batches = [(_clean_rows({"document": [r["document"] for r in here[start:start + size]]}, **limits)
                for start in range(0, len(here), size))]
    for ds in datasets:
        cleaned = ds.map_batches(_clean_rows, batch_size=size, batch_format="numpy", fn_kwargs=limits)
        batches.append(cleaned.iter_batches(batch_size=size, batch_format="numpy"))
    for batch in (batch for source in batches for batch in source):
        waiting: list[Document] = []   # stored a batch at a time, as the local engine stores them
        for raw in batch["cleaned"]:
            row = json.loads(raw)
            if "skipped" in row:
                if row["stage"] == "reading":
                    _skip(store, summary, row["source"], row["skipped"], "reading")
                else:
                    summary.documents_read += 1
                    _skip(store, summary, row["source"], row["skipped"], row["stage"])
                continue
            summary.documents_read += 1
            summary.warnings.extend(SkippedInput(**w) for w in row["warnings"])
            waiting.extend(Document.model_validate(part) for part in row["parts"])
        _store_documents(store, summary, waiting)


# -- steps 5-6: extract on Ray, load -------------------------------------------------------------------
class ExtractWorker:
    """A Ray actor: one spaCy model and one resolver, loaded once, for every batch it is given."""

    def __init__(self, cache_dir: str, prepass: bool, batch_size: int, max_length: int, conflict_packs: str):
        from warledger.conflicts import active_registry
        from warledger.conflicts.registry import ENV_VAR
        from warledger.engines.steps import load_resolver
        from warledger.extract import load_nlp

        if conflict_packs:   # the driver's user packs (--conflict-pack), as its own worker processes get them
            os.environ[ENV_VAR] = conflict_packs
        self.nlp = load_nlp(prepass)
        self.nlp.max_length = max_length   # the driver's limit, so a document fails here as it would there
        self.resolver = load_resolver(Path(cache_dir), active_registry().fingerprint)
        self.batch_size = batch_size

    def __call__(self, batch: dict) -> dict:
        from warledger.engines.local import extract_batch

        documents = [Document.model_validate_json(raw) for raw in batch["document"]]
        rows: dict[str, list] = {"doc_id": [], "source": [], "failed_stage": [], "error": [], "reports": []}
        for outcome in extract_batch(documents, self.nlp, self.resolver, self.batch_size):
            document = outcome.document
            rows["doc_id"].append(document.doc_id)
            rows["source"].append(document.source_path or document.doc_id)
            if isinstance(outcome, Failed):
                rows["failed_stage"].append(outcome.stage)
                rows["error"].append(outcome.error)
                rows["reports"].append("[]")
            else:
                rows["failed_stage"].append("")
                rows["error"].append("")
                rows["reports"].append(json.dumps([r.model_dump(mode="json") for r in outcome.reports]))
        return rows


def extraction(documents: list[Document], settings, progress: bool = False, address: str | None = None):
    """Step 5 as a Ray dataset (lazy): one row per document, its reports or its failure, from an actor pool."""
    import math

    from warledger.conflicts.registry import ENV_VAR
    from warledger.extract import load_nlp

    ray = start(address, progress)
    # batches small enough that every actor gets several (a short run is not one batch on one actor), and
    # blocks of one batch each (a block of 33 rows in batches of 32 would be a batch of 32, then one of 1)
    batch_size = max(1, min(settings.batch_size, len(documents) // (4 * settings.workers)))
    ds = ray.data.from_items([{"document": d.model_dump_json()} for d in documents],
                             override_num_blocks=max(1, min(math.ceil(len(documents) / batch_size), 200)))
    # Ray Data restarts a dead actor and retries its batch (max_restarts=-1, max_task_retries=-1 are its
    # defaults for actor pools); a batch's output is kept only once the batch is done, so none is doubled
    return ds.map_batches(
        ExtractWorker, batch_size=batch_size, batch_format="numpy",
        compute=ray.data.ActorPoolStrategy(size=settings.workers), num_cpus=1,
        fn_constructor_kwargs={"cache_dir": str(settings.cache_dir), "prepass": settings.prepass,
                               "batch_size": batch_size, "max_length": load_nlp(settings.prepass).max_length,
                               "conflict_packs": os.environ.get(ENV_VAR, "")})


def extract_on_ray(documents: list[Document], settings, output: str, progress: bool = False,
                   address: str | None = None) -> str:
    """Step 5: the documents' reports (or failures) as a Parquet dataset under `output`; returns its path."""
    path = f"{output.rstrip('/')}/run-{uuid.uuid4().hex[:12]}"
    extraction(documents, settings, progress, address).write_parquet(path)
    return path


def extract_each(documents: list[Document], settings, store_path: str, progress: bool = False) -> Iterator:
    """Steps 5-6 for `pipeline.extract_pending`: each document's `Extracted` or `Failed`, from Ray. With
    `settings.ray_output` the rows are written there as a Parquet dataset, then loaded; without, they stream
    to the driver as the actors finish their batches (stored while the others are still parsed)."""
    from warledger.extract import Extracted

    if not documents:
        return
    if settings.ray_output:
        outcomes = load_results(extract_on_ray(documents, settings, settings.ray_output, progress,
                                               settings.ray_address), settings.batch_size)
    else:
        ds = extraction(documents, settings, progress, settings.ray_address)
        outcomes = _outcomes(table.to_pydict() for table in ds.iter_batches(batch_size=None,
                                                                            batch_format="pyarrow"))
    for doc_id, source, outcome in outcomes:
        yield outcome if isinstance(outcome, Failed) else Extracted(
            Document(doc_id=doc_id, text="", source_path=source), outcome)


def load_results(path: str, batch_size: int) -> Iterator[tuple[str, str, list[Report] | Failed]]:
    """Step 6: (doc_id, source, reports or Failed) from the dataset, each document once."""
    import pyarrow.dataset as pads

    return _outcomes(record_batch.to_pydict()
                     for record_batch in pads.dataset(path, format="parquet").to_batches(batch_size=batch_size))


def _outcomes(batches) -> Iterator[tuple[str, str, list[Report] | Failed]]:
    """(doc_id, source, reports or Failed) from batches of rows (dicts of columns), each document once."""
    seen: set[str] = set()
    for columns in batches:
        for doc_id, source, stage, error, reports in zip(columns["doc_id"], columns["source"],
                                                         columns["failed_stage"], columns["error"],
                                                         columns["reports"]):
            if doc_id in seen:   # a retried batch written twice: the document counts once
                continue
            seen.add(doc_id)
            if stage:
                kind, _, reason = error.partition(": ")
                yield doc_id, source, Failed(Document(doc_id=doc_id, text="", source_path=source), stage,
                                             kind, reason)
            else:
                yield doc_id, source, [Report.model_validate(r) for r in json.loads(reports)]


def remove_dataset(path: str) -> None:
    if "://" not in path:
        shutil.rmtree(path, ignore_errors=True)
