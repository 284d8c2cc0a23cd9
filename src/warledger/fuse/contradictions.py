"""Contradictions within one event, each with both sides' claims and claimants.

Kinds: responsibility denied; different perpetrators named (different camps, so Armenia and the
Karabakh forces are not a dispute); figures that cannot both be true given their qualifiers; two places
(fine-grained, different) or two exact dates for the same event.
"""
from __future__ import annotations

from itertools import combinations

from warledger.models import Contradiction, Report

from .columns import place_keys
from .figures import claimant_key, figures_disagree
from .rules import camp


def _record(kind: str, a: Report, b: Report, field: str | None, detail: str) -> Contradiction:
    return Contradiction(kind=kind, field=field, claim_a=a.report_id, claim_b=b.report_id,
                         claimant_a=a.claimant.name, claimant_b=b.claimant.name, detail=detail)


def _one_per_claimant(reports: list[Report]) -> list[Report]:
    """The first report of each claimant (reports sorted by id): no claimant contradicts itself twice."""
    seen, out = set(), []
    for r in reports:
        key = claimant_key(r)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def find_contradictions(reports: list[Report], superseded: set[str], rules: dict) -> list[Contradiction]:
    """All contradictions among an event's reports, in a stable order."""
    reports = sorted(reports, key=lambda r: r.report_id)
    asserted = [r for r in reports if r.stance == "asserted"]
    denied = [r for r in reports if r.stance == "denied"]
    out: list[Contradiction] = []
    for d in denied:
        denier = camp(d.claimant.side, rules) or camp(d.actor1.side if d.actor1 else None, rules)
        accusing = [a for a in asserted if denier and a.actor1 and camp(a.actor1.side, rules) == denier]
        for a in _one_per_claimant(accusing or asserted[:1]):
            out.append(_record("responsibility_denied", a, d, "actor1",
                               f"{d.claimant.name} denies what {a.claimant.name} asserts"))
    current = _one_per_claimant([r for r in asserted if r.report_id not in superseded])
    for a, b in combinations(current, 2):
        ca = camp(a.actor1.side if a.actor1 else None, rules)
        cb = camp(b.actor1.side if b.actor1 else None, rules)
        if ca and cb and ca != cb:
            out.append(_record("perpetrator", a, b, "actor1", f"{a.claimant.name} names {a.actor1.side}, "
                               f"{b.claimant.name} names {b.actor1.side}"))
        for field in ("killed", "wounded"):
            if figures_disagree(a, b, field, rules):
                out.append(_record("figures", a, b, field, f"{field}: {getattr(a, field)} "
                                   f"({getattr(a, field + '_qualifier') or 'exact'}) vs {getattr(b, field)} "
                                   f"({getattr(b, field + '_qualifier') or 'exact'})"))
        key_a, level_a, _, _ = place_keys(a)
        key_b, level_b, _, _ = place_keys(b)
        if key_a and key_b and key_a != key_b and level_a <= 1 and level_b <= 1:
            out.append(_record("place", a, b, "location", f"{_place(a)} vs {_place(b)}"))
        if (a.date and b.date and a.date != b.date and a.date_precision == "day"
                and b.date_precision == "day"):
            out.append(_record("date", a, b, "date", f"{a.date} vs {b.date}"))
    return out


def _place(r: Report) -> str:
    return r.location.name if r.location else (r.location_text or "?")
