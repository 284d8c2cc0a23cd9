"""Tally series: claimed running totals ("60 civilians killed since 27 September") per counter and claimant.

A counter is what is counted: the class of victims (civilians, military, all) and their side, the measure
(casualties, a kind of materiel, territory) and the start of the count. A series is one claimant's points
for one counter over time, flagged `decreasing` where a later figure falls below an earlier one.
The ledger id groups every claimant's series of the same victims and measure (start left out, since
extractors miss it more often than claimants differ on it); tally reports get it as their event_id.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from warledger.models import Document, Report, TallyPoint, TallySeries, stable_id

from .columns import norm
from .figures import claimant_key, interval


def victim_class(report: Report, rules: dict) -> str:
    name = norm(report.actor2.name if report.actor2 else "")
    tokens = set(name.split())
    for cls, words in rules["victim_classes"].items():
        if tokens & set(words):
            return cls
    return "all" if not name else "other"


def measure(report: Report) -> str:
    if report.killed is not None or report.wounded is not None:
        return "casualties"
    if report.materiel:
        return "materiel:" + ",".join(sorted({m.type for m in report.materiel}))
    return f"events:{report.sub_event_type or 'any'}"


def counter_key(report: Report, rules: dict) -> tuple[str, str, str]:
    side = report.actor2.side if report.actor2 and report.actor2.side else None
    if side is None and report.location is not None and report.location.country:
        # "60 killed in Azerbaijan since ...", "7 bodies in the southern Gaza Strip": the country's count (so
        # counts of unnamed victims in two wars are two counters, not one)
        side = report.location.country
    side = side or "any"
    return victim_class(report, rules), side, measure(report)


def counter_label(key: tuple[str, str, str], start: dt.date | None) -> str:
    cls, side, what = key
    victims = {"all": "people", "other": "others"}.get(cls, cls)
    label = f"{side} {victims} {what.replace('casualties', 'killed/wounded')}"
    return f"{label} since {start}" if start else label


def ledger_id(report: Report, rules: dict) -> str:
    return stable_id("t", *counter_key(report, rules))


def build_tallies(reports: list[Report], documents: dict[str, Document],
                  rules: dict) -> tuple[list[TallySeries], dict[str, str], dict[str, str]]:
    """(series, report_id -> ledger id, series_id -> ledger id) for the tally reports."""
    series: dict[tuple, list[Report]] = defaultdict(list)
    for r in reports:
        series[(counter_key(r, rules), r.date_start, claimant_key(r))].append(r)
    out, assignments, ledgers = [], {}, {}
    for (key, start, who), members in series.items():
        members.sort(key=lambda r: (r.date or dt.date.min, _published(r, documents), r.report_id))
        sid = stable_id("s", *key, start, who)
        points = [TallyPoint(date=r.date, killed=r.killed, wounded=r.wounded,
                             killed_qualifier=r.killed_qualifier, wounded_qualifier=r.wounded_qualifier,
                             report_id=r.report_id, doc_id=r.doc_id)
                  for r in members]
        out.append(TallySeries(series_id=sid, counter=counter_label(key, start), claimant=members[0].claimant,
                               date_start=start, points=points, decreasing=_decreasing(members, rules)))
        ledgers[sid] = stable_id("t", *key)
        for r in members:
            assignments[r.report_id] = ledgers[sid]
    return sorted(out, key=lambda s: s.series_id), assignments, ledgers


def _published(r: Report, documents: dict[str, Document]) -> dt.date:
    doc = documents.get(r.doc_id)
    return doc.published if doc and doc.published else dt.date.min


def _decreasing(members: list[Report], rules: dict) -> bool:
    """A later figure below an earlier one (an "at least" earlier figure binds as a floor too)."""
    for field in ("killed", "wounded"):
        floor = None
        for r in members:
            value = getattr(r, field)
            if value is None:
                continue
            low, high = interval(value, getattr(r, f"{field}_qualifier"), rules)
            if floor is not None and high < floor:
                return True
            floor = low if floor is None else max(floor, low)
    return False
