"""Figures per event: each claimant's latest figure, then UCDP-style best, low and high.

The rule (also in docs/readme/fusion.md):
- a claimant's later figure supersedes its earlier one ("toll rises to 21" replaces its "19"); later means a
  later report date, then a later publication date of the document;
- only asserted, non-superseded claims with an extractor confidence of at least `reliable_min_confidence`
  set the range ("reliable" claims); every claim stays listed on the event all the same;
- low is the lowest and high the highest of those figures ("at least 40" counts as 40: a lower bound);
- best is the median of the figures of neutral claimants (no party to the conflict: sides XX and UN, or
  international bodies); with no neutral figure, the median of all claimants' figures. An even count takes
  the lower median (the conservative choice, as UCDP's best estimate is).
"""
from __future__ import annotations

import datetime as dt

from warledger.models import Document, FigureRange, Report

from .columns import norm


def claimant_key(report: Report) -> str:
    return norm(report.claimant.name) or (report.claimant.side or "?")


def _when(report: Report, documents: dict[str, Document]) -> tuple:
    doc = documents.get(report.doc_id)
    published = doc.published if doc and doc.published else dt.date.min
    return (report.date or dt.date.min, published, report.doc_id)


def superseded_ids(reports: list[Report], documents: dict[str, Document]) -> set[str]:
    """Report ids whose figures a later report of the same claimant and stance replaces."""
    latest: dict[tuple, Report] = {}
    for r in reports:
        if r.killed is None and r.wounded is None:
            continue
        key = (claimant_key(r), r.stance)
        if key not in latest or _when(r, documents) > _when(latest[key], documents):
            latest[key] = r
    keep = {r.report_id for r in latest.values()}
    return {r.report_id for r in reports if (r.killed is not None or r.wounded is not None)
            and r.report_id not in keep}


def is_neutral(report: Report, rules: dict) -> bool:
    return (report.claimant.side in rules["neutral_sides"]
            or report.claimant.kind in rules["neutral_claimant_kinds"])


def reliable_figures(reports: list[Report], field: str, superseded: set[str], rules: dict) -> list[Report]:
    """Asserted, current, confident reports that give `field` (killed or wounded)."""
    floor = rules["reliable_min_confidence"]
    return [r for r in reports if getattr(r, field) is not None and r.stance == "asserted"
            and r.report_id not in superseded and r.confidence >= floor]


def lower_median(values: list[int]) -> int:
    values = sorted(values)
    return values[(len(values) - 1) // 2]


def figure_range(reports: list[Report], field: str, superseded: set[str], rules: dict) -> FigureRange:
    """best, low and high of `field` over the event's reports (see the module docstring)."""
    claims = reliable_figures(reports, field, superseded, rules)
    if not claims:
        return FigureRange()
    values = [getattr(r, field) for r in claims]
    neutral = [getattr(r, field) for r in claims if is_neutral(r, rules)]
    return FigureRange(best=lower_median(neutral or values), low=min(values), high=max(values))


def interval(value: int, qualifier: str | None, rules: dict) -> tuple[float, float]:
    """What a figure allows: exact -> itself; at least -> up to infinity; about -> +- the tolerance."""
    if qualifier == "at_least":
        return float(value), float("inf")
    if qualifier == "approx":
        tol = rules["approx_tolerance"] * value
        return value - tol, value + tol
    return float(value), float(value)


def figures_disagree(a: Report, b: Report, field: str, rules: dict) -> bool:
    """Whether two figures cannot both be true, given their qualifiers."""
    va, vb = getattr(a, field), getattr(b, field)
    if va is None or vb is None:
        return False
    lo_a, hi_a = interval(va, getattr(a, f"{field}_qualifier"), rules)
    lo_b, hi_b = interval(vb, getattr(b, f"{field}_qualifier"), rules)
    return hi_a < lo_b or hi_b < lo_a
