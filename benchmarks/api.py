"""Latency of the dashboard's API, its throughput under concurrent load, and the page's load time.

    PYTHONPATH=src python benchmarks/api.py [--events 100000] [--requests 200] [--no-browser]
    PYTHONPATH=src python benchmarks/api.py --concurrent 200 --seconds 60 [--db store.duckdb]

Builds a store of N synthetic events (with claims, evidence, documents and reports) in a temporary folder.
By default it serves it with Uvicorn on loopback, times the main API calls one at a time over HTTP
(p50/p95/max, target p95 < 100 ms), then the dashboard's load in headless Chromium (until table, map and
timeline are drawn).

`--concurrent N` instead starts `warledger serve` on the store in its own process and lets N clients (one
asyncio task each, keep-alive connections) ask for a mix of every endpoint with random parameters for
`--seconds` seconds (events opened and pages read among the `--opened` newest, 1,000 by default; 0: any,
uniformly), then prints requests/s, p50/p95/p99 and errors, overall and per endpoint (target:
zero errors, >= 300 requests/s, p95 < 500 ms at 200 clients on 100,000 events). The load goes to
127.0.0.1 only, and is bounded (at most 1,000 clients, 600 s). Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import httptools
import httpx
import pyarrow as pa
import uvicorn

from warledger.models import SUB_EVENT_TYPES, stable_id
from warledger.serve import create_app
from warledger.store import Store

CLAIMANTS = [("Ministry of Defense of Azerbaijan", "AZ", "military"), ("Ministry of Defense of Armenia", "AM", "military"),
             ("Al Jazeera", "XX", "outlet"), ("Trend News Agency", "AZ", "outlet"), ("Armenpress", "AM", "outlet"),
             ("Artsakh Defense Army", "NK", "military"), ("United Nations", "UN", "international"),
             ("Hikmat Hajiyev", "AZ", "official"), ("Reuters", "XX", "outlet")]
PLACES = [("Ganja", 40.68, 46.36), ("Tartar", 40.34, 46.93), ("Barda", 40.37, 47.13), ("Stepanakert", 39.82, 46.75),
          ("Fuzuli", 39.60, 47.14), ("Jabrayil", 39.40, 47.03), ("Tovuz", 40.99, 45.63), ("Martuni", 39.79, 47.11),
          ("Shusha", 39.76, 46.75), ("Hadrut", 39.52, 47.03), ("Mingachevir", 40.76, 47.06), ("Zangilan", 39.09, 46.65)]
WORDS = ["strike", "shelling", "drone", "artillery", "civilians", "soldiers", "positions", "village", "town", "front", "attack", "missile"]


def synthetic_tables(n_events: int, seed: int = 7) -> tuple[pa.Table, pa.Table, pa.Table]:
    """Events, documents and reports as Arrow tables shaped like the store's (JSON `data` included)."""
    rng = random.Random(seed)
    subs = list(SUB_EVENT_TYPES)
    start = date(2020, 1, 1)
    n_docs = max(1, n_events // 5)
    doc_ids = [f"doc{i:07d}" for i in range(n_docs)]
    docs = {"doc_id": doc_ids, "content_hash": [stable_id("h", d) for d in doc_ids],
            "outlet": [rng.choice(CLAIMANTS)[0] for _ in doc_ids],
            "published": [start + timedelta(days=rng.randrange(730)) for _ in doc_ids],
            "title": [f"Synthetic article {i}" for i in range(n_docs)],
            "text": [" ".join(rng.choice(WORDS) for _ in range(300)) for _ in doc_ids]}
    events = {k: [] for k in ("event_id", "kind", "event_type", "sub_event_type", "date", "country", "place", "lat",
                              "lon", "killed_best", "wounded_best", "independent_sources", "contested", "data")}
    reports = {k: [] for k in ("report_id", "doc_id", "kind", "sub_event_type", "date", "stance", "claimant_side",
                               "confidence", "event_id", "data")}
    for i in range(n_events):
        event_id = f"e{i:08d}"
        sub = rng.choice(subs)
        day = start + timedelta(days=rng.randrange(730))
        place, lat, lon = rng.choice(PLACES)
        lat, lon = lat + rng.uniform(-0.3, 0.3), lon + rng.uniform(-0.3, 0.3)
        killed = rng.choice([None, None, 0, 1, 2, 3, 5, 8, 13, 20, 40])
        claims, contradictions = [], []
        for j in range(rng.randint(1, 4)):
            name, side, kind = rng.choice(CLAIMANTS)
            stance = "denied" if j and rng.random() < 0.1 else "asserted"
            sentence = f"{name} said {' '.join(rng.choice(WORDS) for _ in range(12))} in {place}."
            report_id, doc_id = f"r{i:08d}{j}", rng.choice(doc_ids)
            claim = {"report_id": report_id, "doc_id": doc_id, "stance": stance, "date": str(day),
                     "claimant": {"name": name, "side": side, "kind": kind},
                     "killed": killed, "evidence": [{"start": 0, "end": len(sentence), "text": sentence}]}
            claims.append(claim)
            reports["report_id"].append(report_id)
            reports["doc_id"].append(doc_id)
            reports["kind"].append("event")
            reports["sub_event_type"].append(sub)
            reports["date"].append(day)
            reports["stance"].append(stance)
            reports["claimant_side"].append(side)
            reports["confidence"].append(0.7)
            reports["event_id"].append(event_id)
            reports["data"].append(json.dumps({"doc_id": doc_id, "report_id": report_id, "kind": "event",
                                               "sub_event_type": sub, "event_type": SUB_EVENT_TYPES[sub],
                                               "date": str(day), "location_text": place, "claimant": claim["claimant"],
                                               "stance": stance, "killed": killed, "evidence": claim["evidence"]}))
            if stance == "denied":
                contradictions.append({"kind": "responsibility_denied", "claim_a": claims[0]["report_id"],
                                       "claim_b": report_id, "claimant_a": claims[0]["claimant"]["name"],
                                       "claimant_b": name, "detail": "denied"})
        a1, a2 = rng.sample(["AZ", "AM", "NK", "TR"], 2)
        data = {"event_id": event_id, "kind": "event", "event_type": SUB_EVENT_TYPES[sub], "sub_event_type": sub,
                "date": str(day), "location": {"name": place, "lat": lat, "lon": lon, "country": "AZ"},
                "actor1": {"name": a1, "side": a1}, "actor2": {"name": a2, "side": a2},
                "killed": {"best": killed, "low": killed, "high": killed}, "wounded": {},
                "claims": claims, "contradictions": contradictions,
                "sources": [{"doc_id": c["doc_id"]} for c in claims], "independent_sources": len(claims),
                "report_ids": [c["report_id"] for c in claims]}
        for key, value in (("event_id", event_id), ("kind", "event"), ("event_type", SUB_EVENT_TYPES[sub]),
                           ("sub_event_type", sub), ("date", day), ("country", "AZ"), ("place", place),
                           ("lat", lat), ("lon", lon), ("killed_best", killed), ("wounded_best", None),
                           ("independent_sources", len(claims)), ("contested", bool(contradictions)),
                           ("data", json.dumps(data))):
            events[key].append(value)
    return pa.table(events), pa.table(docs), pa.table(reports)


def build_store(path: Path, n_events: int) -> Path:
    events, docs, reports = synthetic_tables(n_events)
    with Store(path) as store:
        for name, table in (("events", events), ("documents", docs), ("reports", reports)):
            store.con.register("incoming", table)
            store.con.execute(f"INSERT INTO {name} ({', '.join(table.column_names)}) SELECT * FROM incoming")
            store.con.unregister("incoming")
        store.con.execute("INSERT INTO tally_series VALUES ('t1', ?)", [json.dumps({
            "series_id": "t1", "counter": "AZ civilians killed",
            "claimant": {"name": "Prosecutor General's Office of Azerbaijan", "side": "AZ", "kind": "government"},
            "points": [{"date": f"2020-10-{d:02d}", "killed": 20 + 4 * d, "report_id": "r", "doc_id": "doc0000000"}
                       for d in range(1, 28, 3)]})])
    return path


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="requests per API call measured")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--db", type=Path, help="reuse (or keep) the synthetic store at this path")
    parser.add_argument("--concurrent", type=int, metavar="N", help="N concurrent clients against `warledger serve`")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the concurrent load runs")
    parser.add_argument("--opened", type=int, default=1000, metavar="N",
                        help="concurrent mode: events opened and pages read are among the N newest (the table's "
                             "first pages); 0: any event and any page, uniformly (the worst case)")
    args = parser.parse_args()
    if args.concurrent is not None and not (1 <= args.concurrent <= MAX_CLIENTS and 0 < args.seconds <= MAX_SECONDS):
        parser.error(f"--concurrent must be 1 to {MAX_CLIENTS} and --seconds at most {MAX_SECONDS}")

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bench.duckdb"
        if not db.exists():
            t0 = time.perf_counter()
            build_store(db, args.events)
            print(f"store: {args.events:,} synthetic events built in {time.perf_counter() - t0:.1f} s")
        with Store(db, read_only=True) as store:
            args.events = store.counts()["events"]
        print(f"store: {args.events:,} events, {db.stat().st_size / 1e6:.0f} MB")
        if args.concurrent:
            return concurrent_load(db, args.events, args.concurrent, args.seconds, max(0, args.opened))
        t0 = time.perf_counter()
        app = create_app(db)
        index = app.state.ledger.index
        print(f"app start (opens the store, copies the filter index): {(time.perf_counter() - t0) * 1000:.0f} ms")
        index.words_ready.wait()
        print(f"text-search word index, built in the background: {index.words_seconds * 1000:.0f} ms")
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        port = server.servers[0].sockets[0].getsockname()[1]
        base = f"http://127.0.0.1:{port}"
        rng = random.Random(1)
        with httpx.Client(base_url=base, timeout=30) as client:
            doc_ids = [d["doc_id"] for d in client.get("/api/documents", params={"limit": 500}).json()["items"]]
            calls = {
                "stats": lambda: "/api/stats",
                "events, first page": lambda: "/api/events",
                "events, deep page": lambda: f"/api/events?offset={rng.randrange(args.events - 50)}",
                "events, type+side": lambda: "/api/events?event_type=Battles&side=AM",
                "events, date range": lambda: "/api/events?date_from=2020-10-01&date_to=2020-10-31",
                "events, claimant+contested": lambda: "/api/events?claimant=ministry&contested=true",
                "events, text search": lambda: f"/api/events?q={rng.choice(WORDS)}+{rng.choice(PLACES)[0]}",
                "events, sort by killed": lambda: "/api/events?sort=killed",
                "one event": lambda: f"/api/events/e{rng.randrange(args.events):08d}",
                "one document": lambda: f"/api/documents/{rng.choice(doc_ids)}",
                "timeline": lambda: "/api/timeline",
                "timeline, filtered": lambda: "/api/timeline?side=NK",
                "map (5k points)": lambda: "/api/map",
                "contradictions": lambda: "/api/contradictions",
            }
            print(f"\n{'API call':32} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  (n={args.requests} each, HTTP)")
            for name, url in calls.items():
                client.get(url())  # warm
                times = []
                for _ in range(args.requests):
                    t = time.perf_counter()
                    response = client.get(url())
                    times.append((time.perf_counter() - t) * 1000)
                    response.raise_for_status()
                flag = "" if percentile(times, 0.95) < 100 else "  <- over the 100 ms target"
                print(f"{name:32} {statistics.median(times):8.1f} {percentile(times, 0.95):8.1f} "
                      f"{max(times):8.1f}{flag}")
        if not args.no_browser:
            page_load(base)
        server.should_exit = True
        thread.join(timeout=5)
        app.state.ledger.close()


MAX_CLIENTS, MAX_SECONDS = 1000, 600


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request_mix(n_events: int, doc_ids: list[str], rng: random.Random,
                event_ids: list[str] | None = None) -> list[tuple[str, object]]:
    """Every endpoint, with random parameters where a user would vary them (pages, ids, searches).

    `event_ids`: the events people open (e.g. those of the table's first pages); None: any event, uniformly,
    and any page of the table (the worst case: almost every such answer is new)."""
    def word():
        return rng.choice(WORDS)

    def event_id():
        return rng.choice(event_ids) if event_ids else f"e{rng.randrange(n_events):08d}"

    def offset():
        return rng.randrange(0, len(event_ids), 50) if event_ids else rng.randrange(max(1, n_events - 50))

    return [
        ("/api/config", lambda: "/api/config"),
        ("/api/stats", lambda: "/api/stats"),
        ("/api/events", lambda: "/api/events"),
        ("/api/events page", lambda: f"/api/events?offset={offset()}"),
        ("/api/events filtered", lambda: f"/api/events?event_type=Battles&side={rng.choice(['AM', 'AZ', 'NK'])}"
                                         f"&offset={rng.randrange(0, 500, 50)}"),
        ("/api/events date range", lambda: f"/api/events?date_from=2020-{rng.randint(1, 12):02d}-01"
                                           f"&date_to=2020-{rng.randint(1, 12):02d}-28&sort=killed"),
        ("/api/events search", lambda: f"/api/events?q={word()}+{rng.choice(PLACES)[0]}&contested=true"),
        ("/api/events/{id}", lambda: f"/api/events/{event_id()}"),
        ("/api/map", lambda: "/api/map"),
        ("/api/map filtered", lambda: f"/api/map?place={rng.choice(PLACES)[0]}&limit=1000"),
        ("/api/timeline", lambda: "/api/timeline"),
        ("/api/timeline filtered", lambda: f"/api/timeline?side={rng.choice(['AM', 'AZ', 'NK', 'TR'])}"),
        ("/api/reports", lambda: f"/api/reports?event_id={event_id()}"),
        ("/api/documents", lambda: f"/api/documents?q=article+{rng.randrange(100)}&limit=20"),
        ("/api/documents/{id}", lambda: f"/api/documents/{rng.choice(doc_ids)}"),
        ("/api/tallies", lambda: "/api/tallies"),
        ("/api/contradictions", lambda: f"/api/contradictions?limit=20&offset={rng.randrange(0, 2000, 20)}"),
        ("/ (page)", lambda: "/"),
        ("/static/app.js", lambda: "/static/app.js"),
    ]


def concurrent_load(db: Path, n_events: int, clients: int, seconds: float, opened: int = 0) -> None:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    t0 = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "warledger", "serve", "--db", str(db), "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"  # loopback only, whatever the arguments
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                if httpx.get(base + "/api/stats", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("warledger serve did not start")
            time.sleep(0.25)
        print(f"warledger serve up in {time.perf_counter() - t0:.1f} s (pid {server.pid})")
        doc_ids = [d["doc_id"] for d in httpx.get(base + "/api/documents?limit=500").json()["items"]]
        event_ids = [e["event_id"] for start in range(0, opened, 500)
                     for e in httpx.get(base + f"/api/events?limit=500&offset={start}").json()["items"]]
        mix = request_mix(n_events, doc_ids, random.Random(2), event_ids or None)
        cpu_before, own_before = _cpu_seconds(server.pid), time.process_time()
        print(f"event ids and pages: {f'the {len(event_ids):,} newest events' if event_ids else 'any, uniformly'}")
        results = asyncio.run(_load(port, mix, clients, seconds))
        results["server_cpu"] = _cpu_seconds(server.pid) - cpu_before
        results["client_cpu"] = time.process_time() - own_before
    finally:
        server.terminate()
        server.wait(timeout=30)
    _print_load(results, clients, seconds)


class KeepAliveClient:
    """One HTTP/1.1 keep-alive connection to 127.0.0.1, responses parsed by httptools (C): the load
    generator shares the 2 cores with the server, so it must cost far less per request than httpx does."""

    def __init__(self, port: int):
        self.port = port
        self.reader = self.writer = None

    async def get(self, path: str) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n\r\n".encode("latin-1"))
        done = asyncio.get_running_loop().create_future()

        class Parsed:
            def on_message_complete(self):
                done.set_result(True)

        parser = httptools.HttpResponseParser(Parsed())
        while not done.done():
            data = await self.reader.read(1 << 16)
            if not data:
                raise ConnectionError("the server closed the connection")
            parser.feed_data(data)
        return parser.get_status_code()

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = self.reader = None


async def _load(port: int, mix, clients: int, seconds: float) -> dict:
    times: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    stop = time.monotonic() + seconds

    async def one_client(start: int) -> None:
        client, i = KeepAliveClient(port), start
        while time.monotonic() < stop:
            name, url = mix[i % len(mix)]
            i += 1
            t = time.perf_counter()
            try:
                ok = await asyncio.wait_for(client.get(url()), timeout=30) == 200
            except (TimeoutError, OSError, httptools.HttpParserError):
                client.close()
                ok = False
            times[name].append((time.perf_counter() - t) * 1000)
            if not ok:
                errors[name] += 1
        client.close()

    started = time.perf_counter()
    await asyncio.gather(*(one_client(k) for k in range(clients)))
    return {"times": times, "errors": errors, "elapsed": time.perf_counter() - started}


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc), all its threads."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _print_load(results: dict, clients: int, seconds: float) -> None:
    times, errors, elapsed = results["times"], results["errors"], results["elapsed"]
    every = [t for ts in times.values() for t in ts]
    print(f"\n{clients} concurrent clients for {seconds:.0f} s ({elapsed:.1f} s with the last answers), "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores:")
    print(f"{len(every):,} requests, {sum(errors.values())} errors, {len(every) / elapsed:.0f} requests/s, "
          f"p50 {percentile(every, 0.5):.0f} ms, p95 {percentile(every, 0.95):.0f} ms, "
          f"p99 {percentile(every, 0.99):.0f} ms")
    n = max(1, len(every))
    print(f"CPU per request: server {results['server_cpu'] / n * 1000:.2f} ms "
          f"({results['server_cpu'] / elapsed:.2f} cores busy), load generator {results['client_cpu'] / n * 1000:.2f} ms")
    print(f"\n{'endpoint':28} {'n':>7} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for name, ts in times.items():
        print(f"{name:28} {len(ts):7,} {errors.get(name, 0):6} {percentile(ts, 0.5):8.0f} "
              f"{percentile(ts, 0.95):8.0f} {percentile(ts, 0.99):8.0f}")


def page_load(base: str) -> None:
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        print("\npage load: skipped (no /usr/bin/chromium)")
        return
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=args)
        times = []
        for _ in range(5):
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            t = time.perf_counter()
            page.goto(base + "/")
            page.wait_for_function("() => Number(document.body.dataset.loads || 0) >= 1", timeout=120_000)
            times.append((time.perf_counter() - t) * 1000)
            markers = page.evaluate("document.getElementById('map-note').textContent")
            page.close()
        browser.close()
    print(f"\npage load to table+map+timeline drawn: median {statistics.median(times):.0f} ms, "
          f"max {max(times):.0f} ms (5 loads); {markers}")


if __name__ == "__main__":
    sys.exit(main())
