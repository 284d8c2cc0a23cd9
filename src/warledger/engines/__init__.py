"""Engines: where the pipeline reads, cleans, parses, extracts and resolves (steps 1-4 of `pipeline.run`).

- `local`: this machine, in this process or in `workers` forked processes (`local.py`);
- `ray`: Ray Data, on this machine's cores or on the cluster at `ray_address` (`raydata.py`, the `ray` extra).
Both give the same documents, reports (same ids), skips and failures; the store and fusion stay in the driver.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from warledger.engines import local
from warledger.models import Document

ENGINES = ("local", "ray")


def extract_each(documents: Iterable[Document], resolver, settings, workers: int, store_path: str,
                 progress: bool = False) -> Iterator:
    """Each document's `Extracted` or `Failed`, from the engine `settings.engine` names."""
    if settings.engine == "ray":
        from warledger.engines import raydata

        yield from raydata.extract_each(list(documents), settings, store_path, progress)
        return
    yield from local.extract_each(documents, resolver, settings.batch_size, workers, settings.prepass)
