"""Inputs and outputs at scale: language detection, feed parsing, every export format, and JSONL import.

usage: PYTHONPATH=src python benchmarks/interop.py [--events 2000] [--reports-per-doc 6]

The store is the ledger of tests/cases/interop/ledger copied `--events` times under new ids (three reports
per event, `--reports-per-doc` reports per document). Prints seconds and objects per second for each step.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from warledger.export import FORMATS, export, import_jsonl
from warledger.ingest.feeds import read_feed
from warledger.ingest.language import detect_language
from warledger.models import Event, Report
from warledger.store import Store

CASES = Path(__file__).resolve().parents[1] / "tests" / "cases" / "interop"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds"


def timed(label: str, count: int, unit: str, func):
    start = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - start
    print(f"{label:<34} {seconds:8.2f} s  {count / seconds:10.0f} {unit}/s")
    return result


def build_store(path: Path, n_events: int, per_doc: int) -> None:
    events = [Event.model_validate_json(line) for line in (CASES / "ledger/events.jsonl").open()]
    reports = [Report.model_validate_json(line) for line in (CASES / "ledger/reports.jsonl").open()]
    template = next(e for e in events if e.kind == "event" and e.location)
    claims = [r for r in reports if r.event_id == template.event_id]
    new_events, by_doc = [], {}
    for i in range(n_events):
        event = template.model_copy(deep=True)
        event.event_id = f"e{i}"
        event.report_ids = []
        for j, claim in enumerate(claims):
            report = claim.model_copy(deep=True)
            report.report_id, report.event_id = f"r{i}-{j}", event.event_id
            report.doc_id = f"d{(i * len(claims) + j) // per_doc}"
            event.report_ids.append(report.report_id)
            by_doc.setdefault(report.doc_id, []).append(report)
        new_events.append(event)
    with Store(path) as store:
        for doc_id, doc_reports in by_doc.items():
            store.replace_reports(doc_id, doc_reports, "bench")
        store.replace_fusion(new_events, {r.report_id: r.event_id for rs in by_doc.values() for r in rs})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--reports-per-doc", type=int, default=6)
    args = parser.parse_args()

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))] if SEEDS.is_dir() else []
    if texts:
        detect_language(texts[0])  # builds the detector once
        timed("language detection (seed articles)", 20 * len(texts), "docs",
              lambda: [detect_language(t) for _ in range(20) for t in texts])
    feed = CASES / "feeds" / "frontline-wire.rss"
    timed("RSS feed parsing", 200 * 3, "entries", lambda: [list(read_feed(feed)) for _ in range(200)])

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        n_reports = args.events * 3
        timed(f"store setup ({n_reports} reports)", n_reports, "reports",
              lambda: build_store(folder / "bench.duckdb", args.events, args.reports_per_doc))
        with Store(folder / "bench.duckdb", read_only=True) as store:
            for fmt in FORMATS:
                if fmt == "jsonl":
                    for what, count in (("reports", n_reports), ("events", args.events)):
                        timed(f"export jsonl --what {what}", count, what,
                              lambda what=what: export(store, "jsonl", folder / f"{what}.jsonl", what))
                elif fmt == "parquet":
                    timed("export parquet (3 tables)", n_reports, "reports",
                          lambda: export(store, "parquet", folder / "pq"))
                else:
                    timed(f"export {fmt}", args.events, "events",
                          lambda fmt=fmt: export(store, fmt, folder / f"out.{fmt}"))
        with Store(folder / "copy.duckdb") as copy:
            timed("import reports + events JSONL", n_reports, "reports",
                  lambda: import_jsonl(copy, folder / "reports.jsonl", folder / "events.jsonl"))


if __name__ == "__main__":
    main()
