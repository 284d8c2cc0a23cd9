"""The Python API for notebooks: `warledger.open(db)` gives a `Ledger` to read a store.

    >>> import warledger
    >>> with warledger.open("warledger.duckdb") as ledger:
    ...     events = ledger.events()                  # list of Event models
    ...     frame = ledger.events_frame()             # pandas DataFrame, one row per event
    ...     contested = frame[frame.contested]
    ...     reports = ledger.reports_frame("polars")  # polars, when installed

Frames have the flat columns of the Parquet export (`warledger.export.tables`), plus `json` holding the
whole object. pandas and polars are optional extras (`pip install warledger[frames]`).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from warledger.errors import StoreError
from warledger.export import export, import_jsonl
from warledger.export.tables import column_types, columns, rows
from warledger.models import CopyGroup, Document, Event, Report, TallySeries
from warledger.store import Store

FRAME_ENGINES = ("pandas", "polars")


class Ledger:
    """A store opened for reading (and importing): lists of models, and data frames of them."""

    def __init__(self, store: Store):
        self.store = store

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        counts = ", ".join(f"{k}={v}" for k, v in self.counts().items())
        return f"<Ledger {self.store.path}: {counts}>"

    def close(self) -> None:
        self.store.close()

    def counts(self) -> dict[str, int]:
        return self.store.counts()

    # -- lists of models ------------------------------------------------------------------------
    def events(self, kind: str | None = None, since: dt.date | str | None = None,
               until: dt.date | str | None = None, contested: bool | None = None) -> list[Event]:
        """Fused events, by date; optionally only of one `kind` (event, tally, statement), in a date range,
        or only those whose sources disagree (`contested=True`)."""
        start, end = _as_date(since), _as_date(until)
        return [e for e in self.store.events()
                if (kind is None or e.kind == kind)
                and (start is None or (e.date is not None and e.date >= start))
                and (end is None or (e.date is not None and e.date <= end))
                and (contested is None or bool(e.contradictions) == contested)]

    def reports(self, doc_id: str | None = None) -> list[Report]:
        """Reports (one claim in one document), of one document when `doc_id` is given."""
        return self.store.reports(doc_id)

    def documents(self) -> list[Document]:
        return self.store.documents()

    def tallies(self) -> list[TallySeries]:
        return self.store.tally_series()

    def copy_groups(self) -> list[CopyGroup]:
        return self.store.copy_groups()

    def event(self, event_id: str) -> Event | None:
        return next((e for e in self.store.events() if e.event_id == event_id), None)

    # -- data frames ----------------------------------------------------------------------------
    def frame(self, what: str, engine: str = "pandas"):
        """`reports`, `events` or `documents` as a pandas (default) or polars data frame."""
        return to_frame(rows(self.store, what), what, engine)

    def events_frame(self, engine: str = "pandas"):
        return self.frame("events", engine)

    def reports_frame(self, engine: str = "pandas"):
        return self.frame("reports", engine)

    def documents_frame(self, engine: str = "pandas"):
        return self.frame("documents", engine)

    # -- in and out -----------------------------------------------------------------------------
    def export(self, fmt: str, out: str | Path | None = None, what: str | None = None):
        """Same as `warledger export`: see `warledger.export.export`."""
        return export(self.store, fmt, out, what)

    def import_jsonl(self, *paths: str | Path) -> dict[str, int]:
        """Same as `warledger import`: see `warledger.export.import_jsonl`."""
        return import_jsonl(self.store, *paths)


def open(db: str | Path = "warledger.duckdb", read_only: bool = True) -> Ledger:
    """Open the DuckDB store `db` (read-only by default, so a running `watch` or `serve` is not disturbed)."""
    path = Path(db)
    if read_only and not path.exists():
        raise StoreError(f"no store at {path}: run `warledger run SOURCES --db {path}` first, "
                         "or open with read_only=False to create one.")
    return Ledger(Store(path, read_only=read_only))


def _as_date(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def to_frame(data: list[dict], what: str, engine: str = "pandas"):
    """Rows as a data frame with the table's column types (also for no rows)."""
    if engine not in FRAME_ENGINES:
        raise ValueError(f"engine must be one of {', '.join(FRAME_ENGINES)}, not {engine!r}")
    names, types = columns(what), column_types(what)
    if engine == "polars":
        try:
            import polars as pl
        except ImportError as exc:
            raise ImportError("polars is not installed: pip install polars (or warledger[frames])") from exc
        polars_types = {"date": pl.Date, "float": pl.Float64, "int": pl.Int64, "bool": pl.Boolean}
        schema = {c: polars_types[types[c]] if c in types else pl.String for c in names}
        return pl.DataFrame(data, schema=schema)
    try:
        import pandas as pd
    except ImportError as exc:
        raise ImportError("pandas is not installed: pip install pandas (or warledger[frames])") from exc
    pandas_types = {"float": "float64", "int": "Int64", "bool": "boolean"}
    frame = pd.DataFrame(data, columns=names)
    for column, kind in types.items():
        if kind == "date":
            frame[column] = pd.to_datetime(frame[column])
        else:
            frame[column] = frame[column].astype(pandas_types[kind])
    return frame
