"""warledger: turn raw conflict reporting into a sourced ledger of events."""
import logging

from warledger.models import (Actor, Claim, Claimant, Contradiction, CopyGroup, Document, Event, Evidence,
                              FigureRange, Materiel, Place, Report, Source, TallySeries)

__version__ = "0.1.0"

logging.getLogger("warledger").addHandler(logging.NullHandler())

__all__ = ["Actor", "Claim", "Claimant", "Contradiction", "CopyGroup", "Document", "Event", "Evidence",
           "FigureRange", "Materiel", "Place", "Report", "Source", "TallySeries", "run", "__version__"]


def run(sources, db="warledger.duckdb", **kwargs):
    """Run the whole pipeline on files, folders or feeds into the DuckDB store `db`; returns a RunSummary."""
    from warledger.pipeline import run as _run
    return _run(sources, db=db, **kwargs)
