"""What a figure or a date may be: values outside these ranges are not figures or dates of news.

Used where numbers and dates are read (extract/numbers.py, extract/dates.py, ingest metadata) and again where
reports and events are stored, so an absurd value never becomes an integer that overflows a column.
"""
from __future__ import annotations

import datetime as dt

MAX_FIGURE = 10_000_000          # people killed or wounded, things destroyed: above this, not a count
FIRST_YEAR, LAST_YEAR = 1900, 2100


def plausible_figure(value: int | None) -> int | None:
    """`value` when it is a plausible count (0 to MAX_FIGURE), else None."""
    return value if isinstance(value, int) and 0 <= value <= MAX_FIGURE else None


def plausible_date(value: dt.date | None) -> dt.date | None:
    """`value` when its year is FIRST_YEAR to LAST_YEAR, else None."""
    return value if value is not None and FIRST_YEAR <= value.year <= LAST_YEAR else None
