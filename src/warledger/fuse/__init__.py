"""Fusion: reports across documents -> events, figure ranges, contradictions, copies, tally series.

`fuse(reports, documents, previous_events=None)` is the entry point; `cluster()` on `ReportColumns` is the
columnar core that scales to millions of reports; `detect_copies(documents)` finds syndicated texts.
"""
from warledger.fuse.copies import detect_copies
from warledger.fuse.core import ClusterParams, ReportColumns, cluster, event_figures
from warledger.fuse.fusion import FusionResult, assign_event_ids, build_event, fuse
from warledger.fuse.rules import load_rules
from warledger.fuse.tallies import build_tallies

__all__ = ["ClusterParams", "FusionResult", "ReportColumns", "assign_event_ids", "build_event",
           "build_tallies", "cluster", "detect_copies", "event_figures", "fuse", "load_rules"]
