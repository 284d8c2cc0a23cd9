"""`fuse()`: reports across documents -> events with claims, figure ranges, contradictions and sources.

A thin model-level wrapper around the columnar core (`cluster.py`): it builds the columns, takes the
cluster labels, and assembles each cluster into an `Event`. Tallies become series (`tallies.py`),
statements are not fused, copies are detected on the documents' texts (`copies.py`).
"""
from __future__ import annotations

import datetime as dt
import logging
from collections import Counter, defaultdict

from pydantic import BaseModel, Field

from warledger.errors import FuseError
from warledger.models import (
    SUB_EVENT_TYPES,
    Claim,
    CopyGroup,
    Document,
    Event,
    Report,
    Source,
    TallySeries,
    stable_id,
)

from .ceasefire import flag_violations
from .columns import norm, place_keys, report_columns
from .contradictions import find_contradictions
from .copies import detect_copies
from .core import ClusterParams, cluster
from .figures import figure_range, superseded_ids
from .rules import load_rules
from .tallies import build_tallies

log = logging.getLogger(__name__)


class FusionResult(BaseModel):
    """What fusion derives; `Store.replace_fusion(events, assignments, tallies, copy_groups)` saves it."""

    events: list[Event] = Field(default_factory=list)
    assignments: dict[str, str] = Field(default_factory=dict,
                                        description="report_id -> event_id (tally reports -> ledger id)")
    tallies: list[TallySeries] = Field(default_factory=list)
    tally_ledgers: dict[str, str] = Field(default_factory=dict, description="series_id -> ledger id")
    copy_groups: list[CopyGroup] = Field(default_factory=list)
    reports_in: int = 0
    statements: int = 0
    multi_source_events: int = 0
    contested_events: int = 0
    ceasefire_violations: int = 0

    def summary(self) -> dict[str, int]:
        """Counts for a run summary line."""
        return {"reports": self.reports_in, "events": len(self.events),
                "multi_source_events": self.multi_source_events, "contested": self.contested_events,
                "ceasefire_violations": self.ceasefire_violations, "tally_series": len(self.tallies),
                "copy_groups": len(self.copy_groups), "statements_not_fused": self.statements}


def fuse(reports: list[Report], documents: list[Document], previous_events: list[Event] | None = None,
         window_days: int = 1, distance_km: float = 25.0, rules: dict | None = None) -> FusionResult:
    """Fuse reports across documents into events (see docs/readme/fusion.md for the rules).

    `previous_events` (from the store) keeps event ids stable: a new cluster takes the id of the previous
    event it shares most reports with. Fusing the same input again gives the same ids.
    """
    rules = rules or load_rules()
    reports = [r if r.report_id else r.model_copy(deep=True).with_id() for r in reports]
    reports = sorted(reports, key=lambda r: (r.report_id, r.doc_id, r.model_dump_json()))
    duplicated = len(reports) - len({r.report_id for r in reports})
    if duplicated:
        log.warning("%d reports share a report_id with another; their assignments collide", duplicated)
    docs = {d.doc_id: d for d in documents}
    try:
        copy_groups = detect_copies(list(docs.values()), rules)
    except Exception as exc:   # datasketch/numpy failures must not lose the events
        log.warning("copy detection failed, continuing without copies: %s", exc)
        copy_groups = []
    group_of = {d: g.group_id for g in copy_groups for d in g.doc_ids}
    events_in = [r for r in reports if r.kind == "event"]
    tallies_in = [r for r in reports if r.kind == "tally"]
    params = ClusterParams(window_days=window_days, distance_km=distance_km, weights=rules["score"])
    try:
        cols = report_columns(events_in, docs, rules, [True] * len(events_in))
        labels = cluster(cols, params) if events_in else []
    except Exception as exc:
        raise FuseError(f"event clustering failed on {len(events_in)} reports: {exc}") from exc
    clusters: dict[int, list[Report]] = defaultdict(list)
    for k, r in enumerate(events_in):
        clusters[int(labels[k]) if labels[k] >= 0 else -(k + 1)].append(r)
    groups = sorted(clusters.values(), key=lambda g: g[0].report_id)
    ids = assign_event_ids(groups, previous_events or [])
    events, reports_of = [], {}
    for event_id, members in zip(ids, groups):
        events.append(build_event(event_id, members, docs, group_of, rules))
        reports_of[event_id] = members
    flag_violations(events, reports_of, rules)
    events.sort(key=lambda e: (e.date or dt.date.min, e.event_id))
    assignments = {r.report_id: e.event_id for e in events for r in reports_of[e.event_id]}
    tallies, tally_assign, ledgers = build_tallies(tallies_in, docs, rules)
    assignments.update(tally_assign)
    return FusionResult(
        events=events, assignments=assignments, tallies=tallies, tally_ledgers=ledgers,
        copy_groups=copy_groups,
        reports_in=len(reports), statements=sum(r.kind == "statement" for r in reports),
        multi_source_events=sum(e.independent_sources > 1 for e in events),
        contested_events=sum(bool(e.contradictions) for e in events),
        ceasefire_violations=sum("alleged_ceasefire_violation" in e.flags for e in events))


def assign_event_ids(groups: list[list[Report]], previous: list[Event]) -> list[str]:
    """One id per group: the previous event sharing most reports keeps its id; else an id from the group."""
    before = {rid: e.event_id for e in previous for rid in e.report_ids}
    # on a split, the id stays with the part holding the event's anchor (its smallest report id)
    anchors = {min(e.report_ids) for e in previous if e.report_ids}
    options = []
    for k, members in enumerate(groups):
        shared = Counter(before[r.report_id] for r in members if r.report_id in before)
        has_anchor = {before[r.report_id] for r in members if r.report_id in anchors}
        options.extend((-count, old not in has_anchor, old, k) for old, count in shared.items())
    ids: list[str | None] = [None] * len(groups)
    taken = set()
    for _, _, old, k in sorted(options):
        if ids[k] is None and old not in taken:
            ids[k] = old
            taken.add(old)
    taken |= {e.event_id for e in previous}
    for k, members in enumerate(groups):
        if ids[k] is None:
            anchor = min(r.report_id for r in members)
            candidate, salt = stable_id("e", anchor), 0
            while candidate in taken:
                salt += 1
                candidate = stable_id("e", anchor, salt)
            ids[k] = candidate
            taken.add(candidate)
    return ids  # type: ignore[return-value]


def _most_common(values: list, default=None):
    """The most frequent value; ties go to the first seen (inputs are sorted by report id)."""
    values = [v for v in values if v is not None]
    if not values:
        return default
    counts = Counter(values)
    top = max(counts.values())
    return next(v for v in values if counts[v] == top)


def independent_key(doc_id: str, claims: list[Report], docs: dict[str, Document],
                    group_of: dict[str, str]) -> str:
    """One key per independent source: the copy group, else the outlet (the document's, or the outlet whose
    voice its claims are in: a site reposting "Trend reports" is Trend), else the document itself."""
    if doc_id in group_of:
        return f"group:{group_of[doc_id]}"
    doc = docs.get(doc_id)
    if doc is not None and doc.outlet:
        return f"outlet:{norm(doc.outlet)}"
    voices = sorted(norm(r.claimant.name) for r in claims if r.claimant.kind == "outlet")
    return f"outlet:{voices[0]}" if voices else f"doc:{doc_id}"


def count_independent(members: list[Report], docs: dict[str, Document], group_of: dict[str, str]) -> int:
    by_doc: dict[str, list[Report]] = defaultdict(list)
    for r in members:
        if r.stance == "asserted":
            by_doc[r.doc_id].append(r)
    return len({independent_key(d, claims, docs, group_of) for d, claims in by_doc.items()})


def build_event(event_id: str, members: list[Report], docs: dict[str, Document], group_of: dict[str, str],
                rules: dict) -> Event:
    asserted = [r for r in members if r.stance == "asserted"] or members
    sub = _most_common([r.sub_event_type for r in asserted])
    precise = [r.date for r in asserted if r.date and r.date_precision == "day"]
    date = min(precise, key=lambda d: (-precise.count(d), d)) if precise else _most_common(
        [r.date for r in asserted])
    placed = sorted((r for r in members if r.location is not None or r.location_text),
                    key=lambda r: (place_keys(r)[1], r.report_id))
    where = _most_common([place_keys(r)[0] for r in placed if place_keys(r)[1] == place_keys(placed[0])[1]]) \
        if placed else None
    place_report = next((r for r in placed if place_keys(r)[0] == where), None)
    side1 = _most_common([r.actor1.side for r in asserted if r.actor1 and r.actor1.side])
    side2 = _most_common([r.actor2.side for r in asserted if r.actor2 and r.actor2.side])
    actor1 = next((r.actor1 for r in asserted if r.actor1 and r.actor1.side == side1), None)
    actor2 = next((r.actor2 for r in asserted if r.actor2 and r.actor2.side == side2), None)
    superseded = superseded_ids(members, docs)
    claims = [Claim(report_id=r.report_id, doc_id=r.doc_id, claimant=r.claimant, stance=r.stance, date=r.date,
                    killed=r.killed, killed_qualifier=r.killed_qualifier, wounded=r.wounded,
                    wounded_qualifier=r.wounded_qualifier, actor1=r.actor1,
                    location_text=r.location_text or (r.location.name if r.location else None),
                    evidence=r.evidence, superseded=r.report_id in superseded) for r in members]
    doc_ids = sorted({r.doc_id for r in members})
    sources = [Source(doc_id=d, outlet=docs[d].outlet if d in docs else None,
                      url=docs[d].url if d in docs else None, copy_group=group_of.get(d)) for d in doc_ids]
    independent = count_independent(members, docs, group_of)
    confidence = max(r.confidence for r in members)
    confidence = min(0.99, confidence + 0.1 * max(0, independent - 1))
    return Event(
        event_id=event_id, kind="event", event_type=SUB_EVENT_TYPES.get(sub or ""), sub_event_type=sub,
        date=date, date_precision=("day" if precise else (asserted[0].date_precision)),
        location=place_report.location if place_report else None,
        location_text=place_report.location_text if place_report else None,
        actor1=actor1, actor2=actor2,
        killed=figure_range(members, "killed", superseded, rules),
        wounded=figure_range(members, "wounded", superseded, rules),
        claims=claims, contradictions=find_contradictions(members, superseded, rules), sources=sources,
        independent_sources=independent, report_ids=[r.report_id for r in members],
        confidence=round(confidence, 3))
