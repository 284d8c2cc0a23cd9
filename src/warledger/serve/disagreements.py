"""Disagreements for people: one row per thing the sources disagree on, in words, copies counted once.

Fusion records a contradiction per pair of claims (`Event.contradictions`): a denial facing three asserting
claims is three pairs, and a republished article repeats its claimant's claim. Here the pairs of one event
are grouped into disagreements (a denial with everyone it answers; a figure, a place or a date with every
value claimed), and the claims of one claimant in copies of the same text count once ("and 1 copy").
Side codes are named (AZ: Azerbaijan) as the resolver and the conflict packs name them.
"""
from __future__ import annotations

import functools
from importlib import resources

import yaml

from warledger.countries import country_name

KIND_LABELS = {"responsibility_denied": "Responsibility denied", "perpetrator": "Perpetrator",
               "figures": "Figures", "place": "Place", "date": "Date"}
FIELD_LABELS = {"killed": "killed", "wounded": "wounded"}
QUALIFIERS = {"at_least": "at least ", "approx": "about "}


@functools.lru_cache(maxsize=1)
def _side_names() -> dict[str, str]:
    text = resources.files("warledger.resolve").joinpath("data/sides.yaml").read_text(encoding="utf-8")
    return dict(yaml.safe_load(text).get("side_names") or {})


def side_name(code: str | None) -> str | None:
    """A side code in words: AZ -> Azerbaijan, NK -> Nagorno-Karabakh (its conflict pack), XX -> unknown."""
    if not code:
        return None
    from warledger.conflicts.registry import active_registry

    return active_registry().side_name(code) or _side_names().get(code) or country_name(code) or code


def side_names(codes) -> dict[str, str]:
    """{code: name} for the given codes (what the page shows beside each code)."""
    from warledger.conflicts.registry import active_registry

    return {c: side_name(c) for c in [*codes, *active_registry().side_parties] if c}


def figure_text(value: int | None, qualifier: str | None) -> str | None:
    """A figure as claimed: "at least 40", "about 12", "14"."""
    if value is None:
        return None
    return f"{QUALIFIERS.get(qualifier or '', '')}{value:,}"


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _position_value(kind: str, field: str | None, claim: dict) -> str:
    """What one claim says on the disputed point, in words."""
    if kind == "figures":
        return figure_text(claim.get(field), claim.get(f"{field}_qualifier")) or "no figure"
    if kind == "date":
        return claim.get("date") or "no date"
    if kind == "place":
        return claim.get("location_text") or "no place"
    if kind == "perpetrator":
        actor = claim.get("actor1") or {}
        name = side_name(actor.get("side"))
        return f"{name} did it" if name else (actor.get("name") or "someone else did it")
    return "denies it" if claim.get("stance") == "denied" else "reports it"


def _claim_view(claim: dict, docs: dict[str, dict]) -> dict:
    who = claim.get("claimant") or {}
    doc = docs.get(claim["doc_id"], {})
    evidence = (claim.get("evidence") or [None])[0]
    return {"report_id": claim["report_id"], "doc_id": claim["doc_id"], "claimant": who.get("name") or "?",
            "side": who.get("side"), "side_name": side_name(who.get("side")), "outlet": doc.get("outlet"),
            "title": doc.get("title"), "evidence": evidence, "copies": 0}


def distinct_claims(claims: list[dict], docs: dict[str, dict]) -> list[dict]:
    """The claims with copies folded: one per claimant, stance and text (a copy group counts once); each
    kept claim's `copies` says how many more documents repeat it."""
    kept: dict[tuple, dict] = {}
    for claim in claims:
        doc = docs.get(claim["doc_id"], {})
        key = ((claim.get("claimant") or {}).get("name"), claim.get("stance"), doc.get("copy_group") or claim["doc_id"])
        if key in kept:
            if claim["doc_id"] != kept[key]["doc_id"]:
                kept[key]["copies"] += 1
        else:
            kept[key] = _claim_view(claim, docs)
    return list(kept.values())


def _summary(kind: str, field: str | None, positions: list[dict]) -> str:
    def names(position):
        return _join([c["claimant"] for c in position["claims"]])
    if kind == "responsibility_denied":
        deniers = [p for p in positions if p["value"] == "denies it"]
        others = [p for p in positions if p["value"] != "denies it"]
        text = f"{names(deniers[0]) if deniers else '?'} denies responsibility"
        return text + (f"; {_join([names(p) for p in others])} report it" if others else "")
    parts = [f"{p['value']} according to {names(p)}" for p in positions]
    what = {"figures": f"{FIELD_LABELS.get(field or '', field or 'figures').capitalize()}",
            "date": "Date", "place": "Place", "perpetrator": "Perpetrator"}.get(kind, kind)
    return f"{what}: " + "; ".join(parts)


def event_disagreements(event: dict, docs: dict[str, dict]) -> list[dict]:
    """The disagreements of one event (its JSON as stored), one row each, in words."""
    claims = {c["report_id"]: c for c in event.get("claims") or []}
    groups: dict[tuple, list[dict]] = {}
    for c in event.get("contradictions") or []:
        # A denial is one disagreement with everyone it answers (its copies in other documents too); any
        # other kind, one per disputed field.
        denier = claims.get(c["claim_b"], {}).get("claimant", {}).get("name") or c.get("claimant_b")
        key = (c["kind"], c.get("field"), denier if c["kind"] == "responsibility_denied" else None)
        groups.setdefault(key, []).append(c)
    rows = []
    for (kind, field, _), pairs in groups.items():
        involved = list(dict.fromkeys(r for c in pairs for r in (c["claim_b"], c["claim_a"]) if r in claims))
        by_value: dict[str, list[dict]] = {}
        for report_id in involved:
            by_value.setdefault(_position_value(kind, field, claims[report_id]), []).append(claims[report_id])
        positions = [{"value": value, "claims": distinct_claims(group, docs)} for value, group in by_value.items()]
        if len(positions) < 2 and kind != "responsibility_denied":
            continue  # the pairs were copies of one claim: no disagreement left once copies count once
        location = event.get("location") or {}
        rows.append({"event_id": event["event_id"], "date": event.get("date"),
                     "place": location.get("name") or event.get("location_text"),
                     "sub_event_type": event.get("sub_event_type"), "event_type": event.get("event_type"),
                     "kind": kind, "kind_label": KIND_LABELS.get(kind, kind), "field": field,
                     "summary": _summary(kind, field, positions), "positions": positions})
    return rows
