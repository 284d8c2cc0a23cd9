"""Throughput of the whole pipeline against a bare spaCy parse of the same texts, at 1 and N processes.

The corpus: the seed and dev articles (../shared/corpus/{seeds,dev}) repeated to at least `--docs` documents,
each copy made unique by a numbered last line (so the store does not fold copies together) and given its
original's manifest metadata. Every measurement runs in a fresh process, with the models (and the resolver)
loaded before the clock starts, and times the same texts:
  - bare `nlp.pipe` with the model as shipped (all its components, the lemmatizer included), 1 and N processes;
  - bare `nlp.pipe` with the components the extractor runs (the model without its lemmatizer), 1 and N;
  - the local pipeline, `warledger.run` into a new store (read, clean, store, parse with the pre-pass, extract,
    resolve, store the reports, fuse), at 1 and N workers;
  - the Ray engine at N workers (`run(engine="ray")` on a local Ray started, and its workers warmed by one
    small job, before the clock: a standing cluster; the actors load their model and resolver inside it).
Prints a table and the pre-pass's share of sentences skipped on seeds and dev, then these lines:
  ratio R      the local pipeline at N workers over bare `nlp.pipe` at N processes (model as shipped), docs/s
  ratio_1 R    the same at one process
  scaling R    the pipeline at N workers over the pipeline at 1
  ray_ratio R  the Ray engine over the local pipeline, both at N

usage: python benchmarks/throughput.py [--docs 400] [--workers N] [--no-ray]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
CORPORA = (SHARED / "seeds", SHARED / "dev")


def make_corpus(n: int, folder: Path) -> int:
    """Copies of the seed and dev articles (with their manifests' metadata) until there are `n`; words."""
    originals = []
    for corpus in CORPORA:
        manifest = {}
        if (corpus / "manifest.jsonl").exists():
            for line in (corpus / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
                if line.strip():
                    row = json.loads(line)
                    manifest[row.get("file")] = row
        for path in sorted(corpus.glob("*.txt")):
            originals.append((path, manifest.get(path.name, {})))
    lines, words = [], 0
    for i in range(n):
        path, meta = originals[i % len(originals)]
        text = path.read_text(encoding="utf-8").rstrip() + f"\n\nBenchmark copy {i}.\n"
        name = f"copy-{i:05d}.txt"
        (folder / name).write_text(text, encoding="utf-8")
        words += len(text.split())
        lines.append(json.dumps({**{k: v for k, v in meta.items() if k != "file"}, "file": name}))
    (folder / "manifest.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return words


def _texts(folder: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(folder.glob("copy-*.txt"))]


def measure(kind: str, folder: Path, workers: int, work: Path) -> dict:
    """One measurement, in this (fresh) process: seconds for the corpus in `folder`."""
    from warledger.settings import Settings

    settings = Settings(workers=workers, cache_dir=Settings().cache_dir)
    if kind in ("bare", "same"):
        from warledger.extract.nlp import load_model

        nlp = load_model(exclude=()) if kind == "bare" else load_model()
        texts = _texts(folder)
        start = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=settings.batch_size, n_process=workers):
            pass
        return {"seconds": time.perf_counter() - start}
    from warledger.extract.nlp import load_nlp
    from warledger.pipeline import load_resolver, run

    load_nlp(settings.prepass)
    from warledger.conflicts import active_registry

    load_resolver(Path(settings.cache_dir), active_registry().fingerprint)
    engine = "local"
    if kind == "ray":
        import ray

        engine = "ray"
        ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
        warm = work / "warm"
        warm.mkdir()
        (warm / "one.txt").write_text((folder / "copy-00000.txt").read_text(encoding="utf-8"), encoding="utf-8")
        run([warm], db=work / "warm.duckdb", settings=settings, engine="ray")
    db = work / f"{kind}-{workers}.duckdb"
    start = time.perf_counter()
    summary = run([folder], db=db, settings=settings, engine=engine)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "documents": summary.documents_extracted,
            "reports": sum(summary.reports_by_kind.values()), "events": summary.events}


def skipped_share(corpus: Path) -> tuple[int, int]:
    """(sentences skipped, sentences) by the pre-pass on a corpus, with the default window."""
    from warledger.clean import clean_text
    from warledger.extract.nlp import load_nlp
    from warledger.extract.prepass import mark, token_flags

    nlp = load_nlp(prepass=True)
    selective = nlp.get_pipe("wl_prepass")
    skipped = total = 0
    for path in sorted(corpus.glob("*.txt")):
        doc = nlp.make_doc(clean_text(path.read_text(encoding="utf-8")))
        flags = token_flags(doc)
        plan = mark(doc, selective.hits(doc, flags["lower"]), selective.window, flags)
        total += len(plan.starts)
        skipped += len(plan.starts) - plan.parsed_sentences
    return skipped, total


def _child(kind: str, folder: Path, workers: int, work: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--one", kind, "--folder", str(folder), "--workers",
                          str(workers), "--work", str(work)], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"{kind} at {workers} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=400)
    ap.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--no-ray", action="store_true", help="leave the Ray engine out")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    ap.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.folder, args.workers, args.work)))
        return 0
    work = Path(tempfile.mkdtemp(prefix="warledger-bench-"))
    folder = work / "corpus"
    folder.mkdir()
    words = make_corpus(args.docs, folder)
    n, workers = args.docs, args.workers
    plan = [("bare", 1), ("bare", workers), ("same", 1), ("same", workers), ("pipeline", 1), ("pipeline", workers)]
    if not args.no_ray:
        plan.append(("ray", workers))
    labels = {"bare": "bare nlp.pipe, model as shipped", "same": "bare nlp.pipe, components we run",
              "pipeline": "local pipeline (warledger.run)", "ray": "Ray engine (warledger.run, ray)"}
    results = {}
    print(f"{n} documents, {words} words, N = {workers}; started {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}")
    print(f"{'what':34} {'procs':>5} {'seconds':>8} {'docs/s':>8} {'words/s':>9}")
    for kind, procs in plan:
        sub = work / f"{kind}-{procs}"
        sub.mkdir()
        row = _child(kind, folder, procs, sub)
        results[(kind, procs)] = row
        extra = f"  ({row['reports']} reports, {row['events']} events)" if "reports" in row else ""
        print(f"{labels[kind]:34} {procs:>5} {row['seconds']:8.1f} {n / row['seconds']:8.2f} "
              f"{words / row['seconds']:9.0f}{extra}", flush=True)
    for corpus in CORPORA:
        skipped, total = skipped_share(corpus)
        print(f"pre-pass on {corpus.name}: {skipped} of {total} sentences skipped ({skipped / max(total, 1):.1%})")
    seconds = {key: row["seconds"] for key, row in results.items()}
    print(f"ratio {seconds[('bare', workers)] / seconds[('pipeline', workers)]:.3f}")
    print(f"ratio_1 {seconds[('bare', 1)] / seconds[('pipeline', 1)]:.3f}")
    print(f"scaling {seconds[('pipeline', 1)] / seconds[('pipeline', workers)]:.3f}")
    if ("ray", workers) in seconds:
        print(f"ray_ratio {seconds[('pipeline', workers)] / seconds[('ray', workers)]:.3f}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
