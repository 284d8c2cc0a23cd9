"""Plain CSV of events: the flat event rows of `tables.py` (the Parquet export's columns), minus the JSON.

What the dashboard's "Download CSV" gives for the current view, and `warledger export --format csv`.
"""
from __future__ import annotations

import csv
import datetime as dt
from typing import IO

from warledger.export.tables import columns, event_row

EVENT_CSV_COLUMNS = [c for c in columns("events") if c != "json"]


def write_events_csv(events, out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=EVENT_CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for event in events:
        row = event_row(event)
        writer.writerow({k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in row.items()})
    return len(events)


def export_events_csv(store, out: IO[str]) -> int:
    """Write the store's events as flat CSV rows to the text stream `out`; returns the number of rows."""
    return write_events_csv(store.events(), out)
