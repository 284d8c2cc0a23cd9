"""Step 4 for one document, shared by the engines: its parse to resolved reports (`extract_one`), and the
resolver each process loads once (`load_resolver`). Kept apart from `warledger.pipeline` so an engine's
workers (Ray actors) import the extractor and the resolver only, not the store, ingest and fusion.
"""
from __future__ import annotations

import functools
from pathlib import Path

from warledger.conflicts import active_registry
from warledger.countries import country_name, country_record
from warledger.extract import Extracted, extract_reports
from warledger.isolation import Failed, failed
from warledger.models import Actor, Report
from warledger.resolve import Resolver, resolve_reports


def extract_one(document, sdoc, resolver) -> Extracted | Failed:
    """One parsed document to its resolved reports, or the `Failed` that says at which stage and why (an
    engine that parses elsewhere calls this for each document it gets back)."""
    try:
        reports = extract_reports(document, sdoc, resolver)
    except Exception as exc:  # noqa: BLE001 - the document's own failure
        return failed(document, "extracting", exc)
    try:
        return Extracted(document, [finish_report(r) for r in resolve_reports(reports, document, resolver)])
    except Exception as exc:  # noqa: BLE001
        return failed(document, "resolving", exc)


@functools.lru_cache(maxsize=2)
def load_resolver(cache_dir: Path, packs: str = "") -> Resolver:
    """The resolver, loaded once per process (`watch` runs the pipeline again on every tick) and per set of
    conflict packs (`packs`: the registry's fingerprint, so an added pack is never served a stale resolver)."""
    return Resolver.load(cache_dir)


def finish_report(report: Report) -> Report:
    """Give unnamed actors a name from their side, ACLED-style ("Military Forces of Armenia")."""
    for field in ("actor1", "actor2"):
        actor: Actor | None = getattr(report, field)
        if actor is not None and not actor.name:
            actor.name = side_name(actor.side)
    return report


def side_name(side: str | None) -> str:
    if not side or side == "XX":
        return "Unidentified armed group"
    if side == "UN":
        return "United Nations"
    forces = active_registry().forces_name(side)   # a de facto side's forces are named in its conflict pack
    if forces:
        return forces
    return f"Military Forces of {country_name(side)}" if country_record(side) else side
