"""Exports of the store: JSONL (re-importable), ACLED CSV, UCDP GED CSV, plain event CSV, GeoJSON, Parquet.

`FORMATS` maps a format name to its function `f(store, out)`; `export()` is the one call behind
`warledger export` and the dashboard's download, opening the output file, checking which objects a format
can hold and keeping only the events that match the filters (`warledger.serve.filters.EventFilters`).
"""
from __future__ import annotations

import sys
from pathlib import Path

from warledger.errors import ExportError
from warledger.export.acled import ACLED_COLUMNS, ACLED_DTYPES, export_acled_csv
from warledger.export.events_csv import EVENT_CSV_COLUMNS, export_events_csv
from warledger.export.geojson import export_geojson
from warledger.export.jsonl import (
    JSONL_WHATS,
    export_documents_jsonl,
    export_events_jsonl,
    export_jsonl,
    export_reports_jsonl,
    import_jsonl,
)
from warledger.export.files import replacing
from warledger.export.parquet import export_parquet, write_parquet
from warledger.export.tables import TABLE_WHATS
from warledger.export.ucdp import UCDP_COLUMNS, export_ucdp_csv

__all__ = [
    "ACLED_COLUMNS",
    "ACLED_DTYPES",
    "EVENT_CSV_COLUMNS",
    "FORMATS",
    "UCDP_COLUMNS",
    "FilteredStore",
    "export",
    "export_acled_csv",
    "export_documents_jsonl",
    "export_events_jsonl",
    "export_geojson",
    "export_jsonl",
    "export_parquet",
    "export_reports_jsonl",
    "export_ucdp_csv",
    "import_jsonl",
]

FORMATS = {
    "jsonl": export_reports_jsonl,
    "acled-csv": export_acled_csv,
    "ucdp-csv": export_ucdp_csv,
    "csv": export_events_csv,
    "geojson": export_geojson,
    "parquet": export_parquet,
}

# What each format can hold, the first being its default.
WHATS = {"jsonl": JSONL_WHATS, "acled-csv": ("events",), "ucdp-csv": ("events",), "csv": ("events",),
         "geojson": ("events",), "parquet": (None, *TABLE_WHATS)}


class FilteredStore:
    """A store whose `events()` are only those matching the filters (everything else as the store's)."""

    def __init__(self, store, filters, index=None):
        self._store, self._filters, self._index = store, filters, index

    def events(self):
        from warledger.serve.filters import filtered_events
        return filtered_events(self._store, self._filters, self._index)

    def __getattr__(self, name):
        return getattr(self._store, name)


def export(store, fmt: str, out: str | Path | None = None, what: str | None = None, filters=None):
    """Export `what` from `store` in format `fmt` to the file `out` (standard output when None).

    `filters` (an `EventFilters`) keeps only the matching events, in the store's order; they apply to
    event exports only. Returns the number of objects written (for Parquet without `what`: a dict per
    table, and `out` is a folder). Raises ExportError naming the problem for a format/what pair that does
    not fit.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}.")
    allowed = WHATS[fmt]
    what = what or allowed[0]
    if what not in allowed:
        raise ExportError(f"--format {fmt} holds {' or '.join(w for w in allowed if w)}, not {what}.")
    if filters is not None and not filters.is_empty():
        if what != "events":
            raise ExportError(f"filters select events: use --what events (or --format csv, acled-csv, "
                              f"ucdp-csv or geojson), not {what}.")
        store = store if isinstance(store, FilteredStore) else FilteredStore(store, filters)
    if fmt == "parquet":
        if out is None:
            raise ExportError("Parquet is binary: give an output with -o (a folder, or a file with --what).")
        return export_parquet(store, out) if what is None else write_parquet(store, out, what)
    if out is None:
        return _write_text(store, fmt, what, sys.stdout)
    with replacing(out) as partial:
        try:
            handle = partial.open("w", encoding="utf-8", newline="")
        except OSError as exc:
            raise ExportError(f"cannot write {out}: {exc.strerror or exc}") from exc
        with handle:
            return _write_text(store, fmt, what, handle)


def _write_text(store, fmt: str, what: str, handle) -> int:
    if fmt == "jsonl":
        return export_jsonl(store, handle, what)
    return FORMATS[fmt](store, handle)
