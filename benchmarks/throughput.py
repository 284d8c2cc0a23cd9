"""Throughput of the whole pipeline against bare `nlp.pipe` on the same texts with the same spaCy model.

Runs the seed articles (../shared/corpus/seeds) repeated to about 200 documents (each copy made unique by a
numbered first line, so the store does not fold them together) and prints documents/s and words/s for:
  - bare `nlp.pipe` with the extractor's spaCy model as shipped (all its components; the extractor
    leaves out the lemmatizer, which it does not use),
  - extraction (spaCy + our components and rules) on the same texts,
  - the whole pipeline (ingest, clean, extract, resolve, store; fusion timed apart).
Extraction runs spaCy in `WARLEDGER_WORKERS` processes (default: 2 where there are 2 cores); bare
`nlp.pipe` runs in one, as a user calling it plainly would.
The last line is `ratio R`: pipeline documents/s divided by bare `nlp.pipe` documents/s (the model as
shipped); the line before gives the same ratio against the model with only the components we run.

usage: python benchmarks/throughput.py [--docs 200] [--seeds DIR]
"""
from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from warledger.extract import extract_documents
from warledger.extract.nlp import load_model, load_nlp
from warledger.pipeline import RunSummary, extract_pending, fuse_store, ingest_into
from warledger.resolve import Resolver
from warledger.settings import Settings
from warledger.store import Store

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "seeds"


def make_corpus(seeds: Path, n: int, folder: Path) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]
    out = []
    for i in range(n):
        text = f"Copy {i} of a seed article for the benchmark\n\n" + texts[i % len(texts)]
        (folder / f"bench_{i:04d}.txt").write_text(text, encoding="utf-8")
        out.append(text)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--seeds", type=Path, default=SEEDS)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="warledger-bench-"))
    corpus = work / "corpus"
    corpus.mkdir()
    texts = make_corpus(args.seeds, args.docs, corpus)
    words = sum(len(t.split()) for t in texts)
    settings = Settings(cache_dir=Settings().cache_dir)
    resolver = Resolver.load(settings.cache_dir)   # built once, outside the timings

    bare = load_model(exclude=())   # the model as shipped
    same = load_model()              # the same components the extractor runs (no lemmatizer)
    load_nlp()
    t0 = time.perf_counter()
    for _ in bare.pipe(texts, batch_size=settings.batch_size):
        pass
    bare_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in same.pipe(texts, batch_size=settings.batch_size):
        pass
    same_s = time.perf_counter() - t0

    from warledger.clean import clean_text
    from warledger.models import Document
    docs = [Document(doc_id=f"b{i}", text=clean_text(t)) for i, t in enumerate(texts)]
    t0 = time.perf_counter()
    n_reports = sum(len(x.reports) for x in extract_documents(docs, resolver, batch_size=settings.batch_size,
                                                              n_process=settings.workers))
    extract_s = time.perf_counter() - t0

    db = work / "bench.duckdb"
    summary = RunSummary(db=str(db))
    t0 = time.perf_counter()
    with Store(db) as store:
        ingest_into(store, [corpus], settings, summary)
        extract_pending(store, settings, summary)
        pipeline_s = time.perf_counter() - t0
        t1 = time.perf_counter()
        fuse_store(store, settings, summary)
        fuse_s = time.perf_counter() - t1
    shutil.rmtree(work, ignore_errors=True)

    n = len(texts)
    print(f"documents {n}, words {words}, reports {n_reports}, events {summary.events}")
    print(f"bare nlp.pipe      {n / bare_s:8.1f} docs/s  {words / bare_s:9.0f} words/s  ({bare_s:.2f} s)")
    print(f"bare, same parts   {n / same_s:8.1f} docs/s  {words / same_s:9.0f} words/s  ({same_s:.2f} s)")
    print(f"extraction         {n / extract_s:8.1f} docs/s  {words / extract_s:9.0f} words/s  ({extract_s:.2f} s)")
    print(f"pipeline (no fuse) {n / pipeline_s:8.1f} docs/s  {words / pipeline_s:9.0f} words/s  ({pipeline_s:.2f} s)")
    print(f"fusion             {fuse_s:.2f} s for {summary.events} events")
    print(f"extraction ratio {bare_s / extract_s:.3f}")
    print(f"ratio against the same components {same_s / pipeline_s:.3f}")
    print(f"ratio {bare_s / pipeline_s:.3f}")


if __name__ == "__main__":
    main()
