"""Outlet pages: per outlet, the claims it carried, whose figures it repeats, how often its claims are
contested, and the loaded terms in its texts (counted from `data/framing.yaml`).

Everything is read from the store in three queries and computed once per store (it is opened read-only).
"""
from __future__ import annotations

import functools
import json
import re
from collections import Counter, defaultdict
from importlib import resources

import yaml

from warledger.serve.disagreements import side_name

UNKNOWN_OUTLET = "outlet unknown"


@functools.lru_cache(maxsize=1)
def framing_terms() -> list[dict]:
    """The framing words of `data/framing.yaml`: [{term, forms, pattern}]."""
    text = resources.files("warledger.serve").joinpath("data/framing.yaml").read_text(encoding="utf-8")
    terms = []
    for entry in yaml.safe_load(text)["terms"]:
        forms = sorted(entry["forms"], key=len, reverse=True)
        alternatives = "|".join(re.escape(f).replace(r"\ ", r"\s+").replace(r"\-", r"[-\s]") for f in forms)
        terms.append({"term": entry["term"], "forms": forms,
                      "pattern": re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)})
    return terms


def count_terms(text: str) -> Counter:
    """How often each framing term occurs in a text (whole words, any case)."""
    return Counter({t["term"]: n for t in framing_terms() if (n := len(t["pattern"].findall(text or "")))})


def outlet_profiles(store_cursor) -> dict[str, dict]:
    """{outlet: profile} for every outlet of the store's documents (see `outlet_list`, `outlet_page`)."""
    docs = {doc_id: {"outlet": outlet or UNKNOWN_OUTLET, "title": title, "published": published}
            for doc_id, outlet, title, published in store_cursor.execute(
                "SELECT doc_id, outlet, title, published FROM documents").fetchall()}
    profiles: dict[str, dict] = defaultdict(lambda: {"documents": 0, "terms": Counter(), "claims": [],
                                                     "repeats": Counter(), "sides": {}})
    for doc_id, text in store_cursor.execute("SELECT doc_id, text FROM documents").fetchall():
        profile = profiles[docs[doc_id]["outlet"]]
        profile["documents"] += 1
        profile["terms"].update(count_terms(text))
    rows = store_cursor.execute("SELECT event_id, date, place, sub_event_type, data->'$.claims',"
                                " data->'$.contradictions' FROM events").fetchall()
    for event_id, date, place, sub_type, claims_json, contradictions_json in rows:
        disputed = {r for c in json.loads(contradictions_json or "[]") for r in (c["claim_a"], c["claim_b"])}
        for claim in json.loads(claims_json or "[]"):
            doc = docs.get(claim["doc_id"])
            if doc is None:
                continue
            profile = profiles[doc["outlet"]]
            who = claim.get("claimant") or {}
            has_figures = claim.get("killed") is not None or claim.get("wounded") is not None
            profile["claims"].append({
                "event_id": event_id, "date": date, "place": place, "sub_event_type": sub_type,
                "report_id": claim["report_id"], "doc_id": claim["doc_id"], "claimant": who.get("name"),
                "side": who.get("side"), "stance": claim.get("stance"), "killed": claim.get("killed"),
                "killed_qualifier": claim.get("killed_qualifier"), "wounded": claim.get("wounded"),
                "wounded_qualifier": claim.get("wounded_qualifier"), "contested": claim["report_id"] in disputed})
            if has_figures and who.get("name"):
                profile["repeats"][who["name"]] += 1
                profile["sides"][who["name"]] = who.get("side")
    return dict(profiles)


def _counts(profile: dict) -> dict:
    claims = profile["claims"]
    contested = sum(1 for c in claims if c["contested"])
    return {"documents": profile["documents"], "claims": len(claims),
            "events": len({c["event_id"] for c in claims}), "contested_claims": contested,
            "contested_share": round(contested / len(claims), 3) if claims else 0.0,
            "loaded_terms": sum(profile["terms"].values())}


def outlet_list(profiles: dict[str, dict]) -> list[dict]:
    """One row per outlet, the most claims first."""
    rows = [{"outlet": name, **_counts(p)} for name, p in profiles.items()]
    return sorted(rows, key=lambda r: (-r["claims"], -r["documents"], r["outlet"].lower()))


def outlet_page(profiles: dict[str, dict], outlet: str) -> dict | None:
    """One outlet: its counts, the claims it carried, whose figures it repeats and its loaded terms."""
    profile = profiles.get(outlet)
    if profile is None:
        return None
    claims = sorted(profile["claims"], key=lambda c: (str(c["date"] or ""), c["event_id"]), reverse=True)
    return {"outlet": outlet, **_counts(profile), "claims_list": claims,
            "repeats": [{"claimant": name, "side": profile["sides"].get(name),
                         "side_name": side_name(profile["sides"].get(name)), "claims_with_figures": n}
                        for name, n in profile["repeats"].most_common()],
            "terms": [{"term": t["term"], "n": profile["terms"].get(t["term"], 0)} for t in framing_terms()]}
