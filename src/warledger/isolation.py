"""One input's failure stays its own: it becomes a `Failed` record (stage, error type, one-line reason),
its traceback goes to the log, and the run goes on.

- `failed(document, stage, exc)` makes the record and logs the traceback;
- `parse_each(nlp, documents, ...)` runs spaCy over a stream of documents and yields, in order, each
  document with its spaCy Doc or its `Failed`: a component that raises drops only its document (spaCy's
  error handler), a batch lost in a worker process is parsed again one document at a time, in process;
- `die_with_parent()` makes a worker process end when the process that started it dies, however it dies
  (kill -9 included): spaCy's worker processes call it as they start, so no worker is left an orphan.
"""
from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from warledger.models import Document

log = logging.getLogger("warledger.isolation")

PR_SET_PDEATHSIG = 1  # linux/prctl.h


@dataclass
class Failed:
    """A document that could not be processed at `stage`; `reason` is one line."""

    document: Document
    stage: str          # parsing | extracting | resolving | storing
    error_type: str
    reason: str

    @property
    def error(self) -> str:
        return f"{self.error_type}: {self.reason}"


def one_line(exc: BaseException, limit: int = 300) -> str:
    """The exception's message on one line, cut to `limit` characters."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= limit else text[:limit - 1] + "…"


def failed(document: Document, stage: str, exc: BaseException) -> Failed:
    """The record of `document` failing at `stage`; the traceback goes to the log (never the console)."""
    log.debug("document %s failed while %s", document.doc_id, stage, exc_info=exc)
    log.warning("document %s failed while %s: %s: %s", document.doc_id, stage, type(exc).__name__, one_line(exc))
    return Failed(document, stage, type(exc).__name__, one_line(exc))


# -- spaCy, one document at a time even in batches --------------------------------------------------
# In this process: position of a document in the stream (-1: the one `nlp(text)` is parsing) -> what a
# component raised on it.
_ERRORS: dict[int, BaseException] = {}
_ALONE = -1


def keep_going(proc_name, proc, docs, exc) -> None:
    """spaCy error handler: a component that raises drops its document instead of ending the batch."""
    for doc in docs or ():
        position = getattr(doc, "_context", None)
        _ERRORS[position if isinstance(position, int) else _ALONE] = exc
    log.debug("spaCy component %s failed", proc_name, exc_info=exc)


def parse_each(nlp, documents: Iterable[Document], batch_size: int = 32,
               n_process: int = 1) -> Iterator[tuple[Document, object]]:
    """(document, spaCy Doc or Failed) for each document, in order, whatever spaCy raises."""
    _set_error_handler(nlp)
    _ERRORS.clear()
    queue: dict[int, Document] = {}

    def numbered() -> Iterator[tuple[str, int]]:
        for position, document in enumerate(documents):
            queue[position] = document
            yield document.text, position

    stream = numbered()
    try:
        for sdoc, position in nlp.pipe(stream, as_tuples=True, batch_size=batch_size, n_process=n_process):
            yield from _retry_dropped(nlp, queue, position)
            yield queue.pop(position), sdoc
    except Exception as exc:  # noqa: BLE001 - a worker died or spaCy itself failed: go on without it
        log.warning("spaCy batch failed (%s: %s); the rest is parsed one document at a time",
                    type(exc).__name__, one_line(exc))
        log.debug("spaCy batch failure", exc_info=exc)
        yield from _retry_dropped(nlp, queue, None)
        for _text, position in stream:  # the documents not yet handed to spaCy
            document = queue.pop(position)
            yield document, _parse_alone(nlp, document, position)
    yield from _retry_dropped(nlp, queue, None)


def _set_error_handler(nlp) -> None:
    """`keep_going` for the pipeline and each component that takes one (spaCy's parser and NER, compiled,
    refuse it: what they raise ends their batch, which is then parsed again one document at a time)."""
    nlp.default_error_handler = keep_going
    for _name, pipe in nlp.pipeline:
        try:
            pipe.set_error_handler(keep_going)
        except AttributeError:
            continue


def _retry_dropped(nlp, queue: dict[int, Document], before: int | None) -> Iterator[tuple[Document, object]]:
    for position in sorted(p for p in queue if before is None or p < before):
        document = queue.pop(position)
        yield document, _parse_alone(nlp, document, position)


def _parse_alone(nlp, document: Document, position: int) -> object:
    """One document through spaCy in this process: its Doc, or the Failed that says why not."""
    error = _ERRORS.pop(position, None)
    if error is None:
        _ERRORS.pop(_ALONE, None)
        try:
            sdoc = nlp(document.text)
        except Exception as exc:  # noqa: BLE001 - the document's own failure, recorded below
            sdoc, error = None, exc
        error = error or _ERRORS.pop(_ALONE, None)  # a component raised: keep_going saw it
        if error is None:
            return sdoc
    return failed(document, "parsing", error)


# -- no orphans -----------------------------------------------------------------------------------
def die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies (prctl PR_SET_PDEATHSIG); exit at once when the
    parent is already gone. Does nothing where prctl is missing."""
    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


# A forked child (spaCy's workers under the fork start method) dies with us; so does a spawned worker,
# which imports this module when it unpickles `keep_going`, spaCy's error handler for its pipes.
os.register_at_fork(after_in_child=die_with_parent)
if multiprocessing.parent_process() is not None:  # a spawned worker importing this module (spaCy's pipes)
    die_with_parent()
