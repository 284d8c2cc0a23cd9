"""Parquet: reports, events and documents as flat tables (the rows of `tables.py`), one file each."""
from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from warledger.errors import ExportError
from warledger.export.files import replacing
from warledger.export.tables import TABLE_WHATS, column_types, columns, rows

ARROW_TYPES = {"date": pa.date32(), "float": pa.float64(), "int": pa.int64(), "bool": pa.bool_()}


def arrow_table(store, what: str) -> pa.Table:
    """One flat table (`reports`, `events` or `documents`) as an Arrow table with typed columns."""
    types = column_types(what)
    schema = pa.schema([(c, ARROW_TYPES[types[c]] if c in types else pa.string()) for c in columns(what)])
    return pa.Table.from_pylist(rows(store, what), schema=schema)


def write_parquet(store, out: str | Path, what: str) -> int:
    """Write one table to the Parquet file `out`; returns its number of rows."""
    data = arrow_table(store, what)
    with replacing(out) as partial:
        try:
            pq.write_table(data, str(partial))
        except (OSError, pa.ArrowException) as exc:
            raise ExportError(f"cannot write {out}: {exc}") from exc
    return data.num_rows


def export_parquet(store, out_dir: str | Path) -> dict[str, int]:
    """Write reports.parquet, events.parquet and documents.parquet into the folder `out_dir`."""
    folder = Path(out_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create the folder {folder}: {exc.strerror or exc}") from exc
    return {what: write_parquet(store, folder / f"{what}.parquet", what) for what in TABLE_WHATS}
