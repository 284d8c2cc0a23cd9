"""Ceasefires: an Agreement whose evidence speaks of a ceasefire or truce opens a window; later violent
events between the same two camps inside it are flagged as alleged violations, with who alleges them.

The window runs from the day after the agreement for `ceasefire_horizon_days`, and closes early when a
later ceasefire between the same camps opens its own window (violations are then charged to that one).
"""
from __future__ import annotations

import datetime as dt

from warledger.models import Event, Report

from .rules import camp

FLAG = "alleged_ceasefire_violation"


def parties(event: Event, rules: dict) -> frozenset[str] | None:
    sides = {camp(a.side, rules) for a in (event.actor1, event.actor2) if a is not None}
    sides.discard(None)
    return frozenset(sides) if len(sides) == 2 else None


def is_ceasefire(event: Event, reports: list[Report], rules: dict) -> bool:
    if event.sub_event_type != "Agreement" or event.date is None:
        return False
    words = [w.lower() for w in rules["ceasefire_words"]]
    text = " ".join(e.text.lower() for r in reports for e in r.evidence)
    return any(w in text for w in words)


def flag_violations(events: list[Event], reports_of: dict[str, list[Report]], rules: dict) -> None:
    """Add FLAG and `alleged_by` to the violent events that follow a ceasefire between their camps."""
    violent = set(rules["violent"])
    family_of = rules["family_of"]
    windows: dict[frozenset, list[dt.date]] = {}
    for e in events:
        key = parties(e, rules)
        if key and is_ceasefire(e, reports_of[e.event_id], rules):
            windows.setdefault(key, []).append(e.date)
    horizon = dt.timedelta(days=rules["ceasefire_horizon_days"])
    for e in events:
        key = parties(e, rules)
        if not key or key not in windows or e.date is None:
            continue
        if family_of.get(e.sub_event_type or "") not in violent:
            continue
        starts = sorted(windows[key])
        before = [s for s in starts if s < e.date]
        if not before or e.date - before[-1] > horizon:
            continue
        alleging = sorted({r.claimant.name for r in reports_of[e.event_id] if r.stance == "asserted"})
        if FLAG not in e.flags:
            e.flags.append(FLAG)
        e.alleged_by = alleging
