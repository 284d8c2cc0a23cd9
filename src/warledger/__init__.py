"""warledger: turn raw conflict reporting into a sourced ledger of events."""
import logging

from warledger.models import (
    Actor,
    Claim,
    Claimant,
    Contradiction,
    CopyGroup,
    Document,
    Event,
    Evidence,
    FigureRange,
    Materiel,
    Place,
    Report,
    Source,
    TallySeries,
)

__version__ = "0.1.0"

logging.getLogger("warledger").addHandler(logging.NullHandler())

__all__ = ["Actor", "Claim", "Claimant", "Contradiction", "CopyGroup", "Document", "Event", "Evidence",
           "FigureRange", "Materiel", "Place", "Report", "Source", "TallySeries", "open", "run", "__version__"]


def run(sources, db="warledger.duckdb", **kwargs):
    """Run the whole pipeline on files, folders or feeds into the DuckDB store `db`; returns a RunSummary."""
    from warledger.pipeline import run as _run
    return _run(sources, db=db, **kwargs)


def open(db="warledger.duckdb", read_only: bool = True):  # noqa: A001 - the documented entry point
    """Open a store for reading: `.events()`, `.reports()`, `.documents()` as lists, `*_frame()` as data frames."""
    from warledger.api import open as _open
    return _open(db, read_only=read_only)
