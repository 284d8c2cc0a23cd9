"""Fusion at scale: synthetic reports with a realistic spread, fused by the columnar core.

usage: PYTHONPATH=src python benchmarks/fusion.py [--sizes 10000 100000 1000000] [--seed 1] [--models 20000]

Each size runs in a fresh process, so its peak memory (ru_maxrss) is its own. Prints reports/s, seconds,
peak memory, events found, and how well the clusters recover the generated events (B-cubed F1 over a
sample), then a linearity ratio: time per report at the largest size over time per report at the smallest.

The synthetic world: places clustered in 200 conflict zones with Zipf popularity (a few towns are shelled
daily), 50,000 places, five years of days at 1M reports (smaller runs cover fewer days at the same density, as
a growing corpus covers more time and ground; so the linearity ratio compares like with like), events of the
usual type mix, each reported by 1-12 documents (mostly 1-3); documents carry several reports of one day about
different places; 15% of dates are a day off, 5% dated to the week, 1% to the month; 10% of reports only name
a region or the country; 10% name another perpetrator and 10% another figure.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

import numpy as np

from warledger.fuse.core import (
    COUNTRY,
    DISTRICT,
    PLACE,
    REGION,
    ClusterParams,
    ReportColumns,
    cluster,
    event_figures,
)
from warledger.fuse.rules import load_rules

FAMILIES = {"remote": 0.40, "ground": 0.33, "civilians": 0.10, "disrupted": 0.08, "agreement": 0.01,
            "demonstrations": 0.04, "arrests": 0.02, "change": 0.02}


def synthetic(n: int, seed: int = 1) -> tuple[ReportColumns, np.ndarray]:
    """n synthetic report rows and, for scoring, the generated event of each."""
    rng = np.random.default_rng(seed)
    rules = load_rules()
    names = rules["family_names"]
    n_places = 50_000
    fronts = rng.uniform([-35, -20], [60, 130], size=(200, 2))     # conflict zones over the world
    front_of = rng.integers(0, len(fronts), n_places)
    place_lat = fronts[front_of, 0] + rng.normal(0, 0.5, n_places)
    place_lon = fronts[front_of, 1] + rng.normal(0, 0.5, n_places)
    place_area = front_of * 4 + rng.integers(0, 4, n_places)        # admin1 regions
    place_country = front_of // 4                                   # fifty countries
    popularity = 1.0 / np.arange(1, n_places + 1) ** 0.9            # Zipf: a few towns are hit daily
    popularity /= popularity.sum()
    sizes = np.minimum(1 + rng.geometric(0.45, size=n), 12)        # documents per event
    n_events = int(np.searchsorted(np.cumsum(sizes), n)) + 1
    sizes = sizes[:n_events]
    sizes[-1] -= sizes.sum() - n
    ev_place = rng.choice(n_places, n_events, p=popularity)
    n_days = max(30, 5 * 365 * n // 1_000_000)   # 1M reports: five years; smaller runs: the same density
    ev_day = rng.integers(0, n_days, n_events)
    ev_family = rng.choice([names.index(f) for f in FAMILIES], n_events, p=list(FAMILIES.values()))
    ev_actor1 = rng.integers(0, 6, n_events)
    ev_actor2 = (ev_actor1 + rng.integers(1, 6, n_events)) % 6
    ev_killed = np.where(rng.random(n_events) < 0.5, rng.geometric(0.15, n_events), -1)
    event = np.repeat(np.arange(n_events), sizes)
    place = ev_place[event]
    day = ev_day[event] + np.where(rng.random(n) < 0.15, rng.choice([-1, 1], n), 0)
    u = rng.random(n)
    slack = np.where(u < 0.05, 2, np.where(u < 0.06, 15, 0))   # week, month (rules.yaml)
    u = rng.random(n)
    level = np.where(u < 0.08, REGION, np.where(u < 0.10, COUNTRY, np.where(u < 0.15, DISTRICT, PLACE)))
    lat = np.where(level <= DISTRICT, place_lat[place], np.nan)
    lon = np.where(level <= DISTRICT, place_lon[place], np.nan)
    area_code = 10_000_000 + place_area[place]
    country_code = 20_000_000 + place_country[place]
    place_code = np.where(level == REGION, area_code, np.where(level == COUNTRY, country_code, place))
    actor1 = np.where(rng.random(n) < 0.2, -1, np.where(rng.random(n) < 0.1, rng.integers(0, 6, n),
                                                        ev_actor1[event]))
    actor2 = np.where(rng.random(n) < 0.3, -1, ev_actor2[event])
    killed = np.where(rng.random(n) < 0.1, rng.geometric(0.15, n), ev_killed[event])
    family = ev_family[event]
    by_parties = family == names.index("agreement")
    pair_code = np.minimum(ev_actor1, ev_actor2) * 8 + np.maximum(ev_actor1, ev_actor2)
    parties = np.where(by_parties, pair_code[event], -1)
    # documents: the reports of one day are dealt into documents of 1-4 reports; a document reports an
    # event once (reports are dealt by their rank within the event, and a second one moves to a new document)
    rank = np.arange(n) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    order = np.lexsort((rng.random(n), rank, day))
    doc = np.empty(n, np.int64)
    doc[order] = np.cumsum(rng.random(n) < 0.45)
    pairs = np.lexsort((event, doc))
    again = np.zeros(n, bool)
    again[pairs[1:]] = (doc[pairs[1:]] == doc[pairs[:-1]]) & (event[pairs[1:]] == event[pairs[:-1]])
    doc[again] = doc.max() + 1 + np.arange(again.sum())   # a second report of one event: another document
    cols = ReportColumns(
        doc=doc, claimant=rng.integers(0, 3000, n), family=family.astype(np.int64), day=day.astype(np.int64),
        slack=slack.astype(np.int64), level=level.astype(np.int64), place=place_code.astype(np.int64),
        lat=lat, lon=lon, area1=np.where(level <= DISTRICT, area_code, -1).astype(np.int64),
        area2=np.where(level <= REGION, country_code, -1).astype(np.int64), parties=parties.astype(np.int64),
        actor1=actor1.astype(np.int64), actor2=actor2.astype(np.int64), killed=killed.astype(np.int64),
        by_parties=by_parties)
    return cols, event


def bcubed_sample(labels: np.ndarray, truth: np.ndarray, sample: int = 20000, seed: int = 2) -> float:
    """B-cubed F1 of labels against the generated events, averaged over a sample of reports."""
    rng = np.random.default_rng(seed)
    picks = rng.choice(len(labels), min(sample, len(labels)), replace=False)
    order_l, order_t = np.argsort(labels, kind="stable"), np.argsort(truth, kind="stable")
    sorted_l, sorted_t = labels[order_l], truth[order_t]
    lo_l = np.searchsorted(sorted_l, labels[picks])
    hi_l = np.searchsorted(sorted_l, labels[picks], side="right")
    lo_t = np.searchsorted(sorted_t, truth[picks])
    hi_t = np.searchsorted(sorted_t, truth[picks], side="right")
    prec = rec = 0.0
    for k, pick in enumerate(picks):
        prec += np.mean(truth[order_l[lo_l[k]:hi_l[k]]] == truth[pick])
        rec += np.mean(labels[order_t[lo_t[k]:hi_t[k]]] == labels[pick])
    p, r = prec / len(picks), rec / len(picks)
    return 2 * p * r / (p + r)


def run_one(n: int, seed: int) -> dict:
    cols, truth = synthetic(n, seed)
    params = ClusterParams(weights=load_rules()["score"])
    start, cpu_start = time.perf_counter(), time.process_time()
    labels = cluster(cols, params)
    figures = event_figures(labels, cols.claimant, cols.day, cols.killed)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"reports": n, "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
            "reports_per_s": int(n / seconds),
            "peak_mb": round(peak_mb), "events": int(len(np.unique(labels))),
            "true_events": int(truth.max() + 1),
            "events_with_figures": int(len(figures[0])), "bcubed_f1": round(bcubed_sample(labels, truth), 3)}


def run_models(n: int, seed: int) -> dict:
    """The model-level `fuse()` on n Report objects (building events, claims, figures, contradictions)."""
    import datetime as dt

    from warledger.fuse import fuse
    from warledger.models import SUB_EVENT_TYPES, Actor, Claimant, Document, Place, Report

    cols, _ = synthetic(n, seed)
    rules = load_rules()
    first_sub = {fam: subs[0] for fam, subs in rules["families"].items()}
    sides = ["AZ", "AM", "NK", "RU", "TR", "XX"]
    epoch = dt.date(2019, 1, 1)
    reports = []
    for k in range(n):
        sub = first_sub[rules["family_names"][cols.family[k]]]
        level = int(cols.level[k])
        place = (Place(name=f"place {cols.place[k]}", geonameid=int(cols.place[k]) + 1,
                       lat=float(cols.lat[k]), lon=float(cols.lon[k]), admin1=str(cols.area1[k]),
                       country="ZZ")
                 if level <= 1 else Place(name=f"region {cols.place[k]}", precision="region"))
        reports.append(Report(
            doc_id=f"d{cols.doc[k]}", kind="event", sub_event_type=sub, event_type=SUB_EVENT_TYPES[sub],
            date=epoch + dt.timedelta(days=int(cols.day[k])),
            date_precision="week" if cols.slack[k] else "day", location=place,
            actor1=Actor(name="a", side=sides[cols.actor1[k]]) if cols.actor1[k] >= 0 else None,
            killed=int(cols.killed[k]) if cols.killed[k] >= 0 else None,
            claimant=Claimant(name=f"claimant {cols.claimant[k]}"), confidence=0.7).with_id())
    docs = [Document(doc_id=d, text="") for d in sorted({r.doc_id for r in reports})]
    before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    result = fuse(reports, docs)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"reports": n, "seconds": round(seconds, 2), "reports_per_s": int(n / seconds),
            "events": len(result.events), "peak_mb": round(peak_mb), "reports_mb": round(before_mb)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)   # child process: run one size
    ap.add_argument("--one-models", type=int, help=argparse.SUPPRESS)   # child process: the model-level run
    ap.add_argument("--models", type=int, default=20_000,
                    help="also time the model-level fuse() on this many Report objects (0: skip)")
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.seed)))
        return 0
    if args.one_models:
        print(json.dumps(run_models(args.one_models, args.seed)))
        return 0
    rows = []
    for n in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n), "--seed", str(args.seed)],
                             capture_output=True, text=True, check=True)
        row = json.loads(out.stdout.strip().splitlines()[-1])
        rows.append(row)
        print(f"{row['reports']:>9,} reports  {row['seconds']:7.2f} s (cpu {row['cpu_seconds']:.2f} s)  "
              f"{row['reports_per_s']:>9,} reports/s  "
              f"peak {row['peak_mb']:>5} MB  events {row['events']:,} (generated {row['true_events']:,})  "
              f"B-cubed F1 {row['bcubed_f1']}")
    if args.models:   # in a fresh process too, so its peak memory is its own
        out = subprocess.run([sys.executable, __file__, "--one-models", str(args.models), "--seed",
                              str(args.seed)], capture_output=True, text=True, check=True)
        row = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"model-level fuse(): {row['reports']:,} Report objects in {row['seconds']:.2f} s "
              f"({row['reports_per_s']:,} reports/s), {row['events']:,} events; peak {row['peak_mb']} MB "
              f"({row['reports_mb']} MB with the Report objects built, before fusing)")
    for small, large in zip(rows, rows[1:]):
        ratio = (large["seconds"] / large["reports"]) / (small["seconds"] / small["reports"])
        cpu = (large["cpu_seconds"] / large["reports"]) / (small["cpu_seconds"] / small["reports"])
        print(f"linearity: time per report at {large['reports']:,} / at {small['reports']:,} = {ratio:.2f} "
              f"wall, {cpu:.2f} cpu (1.0 is linear)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
