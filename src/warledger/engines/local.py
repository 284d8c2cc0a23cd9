"""The local engine: parse, extract and resolve on this machine, in this process or in `workers` processes.

With one worker, documents go through spaCy here, batch by batch (`parse_each`), and each parsed one is
extracted and resolved here (`extract_one`). With more, each worker process (forked after the model and the
resolver are loaded, so it starts at once and shares their memory) takes whole batches and sends back only
the reports: parsing and extraction both run in parallel, and no spaCy Doc crosses a process boundary.
A batch lost with its worker (killed, out of memory) is done again here, one document at a time.
"""
from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice

from warledger.extract import Extracted, load_nlp
from warledger.isolation import Failed, parse_each
from warledger.models import Document

log = logging.getLogger("warledger.engines.local")

# What a worker process uses: set in the parent before forking (the pool's workers inherit it).
_WORKER: dict = {}


def extract_batch(documents: list[Document], nlp, resolver, batch_size: int) -> list[Extracted | Failed]:
    """Parse, extract and resolve `documents` here; each becomes its reports or its `Failed` record."""
    from warledger.engines.steps import extract_one

    out: list[Extracted | Failed] = []
    for document, parsed in parse_each(nlp, documents, batch_size=batch_size, n_process=1):
        out.append(parsed if isinstance(parsed, Failed) else extract_one(document, parsed, resolver))
    return out


def _work(documents: list[Document]) -> list[Extracted | Failed]:
    return extract_batch(documents, _WORKER["nlp"], _WORKER["resolver"], _WORKER["batch_size"])


def extract_each(documents: Iterable[Document], resolver, batch_size: int = 32, workers: int = 1,
                 prepass: bool = True) -> Iterator[Extracted | Failed]:
    """Each document's reports (or `Failed`), in order, parsed in `workers` processes."""
    nlp = load_nlp(prepass)
    if workers <= 1:
        stream = iter(documents)
        while batch := list(islice(stream, batch_size)):
            yield from extract_batch(batch, nlp, resolver, batch_size)
        return
    yield from _in_pool(documents, nlp, resolver, batch_size, workers)


def _in_pool(documents: Iterable[Document], nlp, resolver, batch_size: int,
             workers: int) -> Iterator[Extracted | Failed]:
    _WORKER.update(nlp=nlp, resolver=resolver, batch_size=batch_size)
    stream = iter(documents)
    in_flight: list[tuple[list[Document], Future]] = []
    broken = False
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        while True:
            while not broken and len(in_flight) < 2 * workers and (batch := list(islice(stream, batch_size))):
                try:
                    in_flight.append((batch, pool.submit(_work, batch)))
                except BrokenProcessPool:
                    in_flight.append((batch, None))
                    broken = True
            if not in_flight:
                break
            batch, future = in_flight.pop(0)
            try:
                if future is None:
                    raise BrokenProcessPool("pool already broken")
                yield from future.result()
            except BrokenProcessPool as exc:
                broken = True
                log.warning("a worker process died (%s); its batch is done again in this process", exc)
                yield from _alone(batch, nlp, resolver)
            if broken and not in_flight:
                for rest in iter(lambda: list(islice(stream, batch_size)), []):
                    yield from _alone(rest, nlp, resolver)
                break


def _alone(batch: list[Document], nlp, resolver) -> list[Extracted | Failed]:
    """A lost batch, here, one document at a time (a failing document costs only itself)."""
    return extract_batch(batch, nlp, resolver, 1)
