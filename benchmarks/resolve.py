"""Resolver figures: index build and cached load times, lookups per second.

    PYTHONPATH=src python benchmarks/resolve.py            # uses a fresh temp dir for the build
    PYTHONPATH=src python benchmarks/resolve.py --no-build # only load from the usual cache dir

Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "cases" / "resolve"
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"


def timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-build", action="store_true", help="skip the from-scratch index build")
    parser.add_argument("--rounds", type=int, default=20, help="passes over the case mentions")
    args = parser.parse_args()
    from warledger.resolve import Resolver
    from warledger.resolve.gazetteer import load_index

    if not args.no_build:
        with tempfile.TemporaryDirectory() as tmp:
            cpu = time.process_time()
            index, seconds = timed(load_index, Path(tmp))
            cpu = time.process_time() - cpu
            print(f"index build (cities500 + countries + subdivisions): {seconds:.1f} s wall, {cpu:.1f} s CPU "
                  f"({len(index):,} places, {index.key_count:,} name keys)")
            loads = [timed(Resolver.load, Path(tmp))[1] for _ in range(3)]
            print(f"cached load (Resolver.load, index + data files): median {statistics.median(loads):.2f} s")
    resolver, seconds = timed(Resolver.load)
    print(f"Resolver.load() from the default cache dir: {seconds:.2f} s")

    cases = yaml.safe_load((CASES / "toponyms.yaml").read_text(encoding="utf-8"))
    contexts = {k: resolver.context(v) for k, v in cases["contexts"].items()}
    mentions = [(c["mention"], contexts.get(c.get("context"))) for c in cases["toponyms"]]
    actors = yaml.safe_load((CASES / "actors.yaml").read_text(encoding="utf-8"))
    claimants = [c["mention"] for c in actors["claimants"]]

    secs = 0.0
    for _ in range(args.rounds):
        fresh = [(m, dataclasses.replace(c, memo={}) if c else None) for m, c in mentions]  # no memo hits
        start = time.perf_counter()
        for mention, ctx in fresh:
            resolver.place(mention, ctx)
        secs += time.perf_counter() - start
    print(f"place() with document context, first lookup of each mention: "
          f"{len(mentions) * args.rounds / secs:,.0f} lookups/s")
    bare = [m for m, _ in mentions]
    _, secs = timed(lambda: [[resolver.place(m) for m in bare] for _ in range(args.rounds)])
    print(f"place() without context (memoised): {len(bare) * args.rounds / secs:,.0f} lookups/s")
    _, secs = timed(lambda: [[resolver.claimant(m) for m in claimants] for _ in range(args.rounds)])
    print(f"claimant(): {len(claimants) * args.rounds / secs:,.0f} lookups/s")
    sides = [c["text"] for c in actors["sides"]]
    _, secs = timed(lambda: [[resolver.side_of(t) for t in sides] for _ in range(args.rounds)])
    print(f"side_of(): {len(sides) * args.rounds / secs:,.0f} lookups/s")
    if SEEDS.is_dir():
        texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
        _, secs = timed(lambda: [resolver.context(t) for t in texts])
        print(f"context() on the seed articles: {1000 * secs / len(texts):.1f} ms per document "
              f"({sum(map(len, texts)) / len(texts):,.0f} characters each)")


if __name__ == "__main__":
    sys.exit(main())
