"""Time the whole pipeline on generated worst cases, beside an ordinary article: seconds per MB of input.

Each case is generated at two sizes; the last column is the time per MB at the larger size over the time
per MB at the smaller one, which stays near 1 when time grows linearly with the input (a quadratic path
would double it). Run: `python benchmarks/hostile.py [--scale 1.0]`.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ARTICLE = ("KHARKIV, Ukraine, March 3 (illustrative wire) - Two people were killed and five wounded when a "
           "Russian drone struck a residential building in Kharkiv on Monday, regional governor Oleh Syniehubov "
           "said on Telegram. The Ukrainian air force said it shot down 14 of 18 drones overnight.\n\n"
           "Russia's defence ministry said its forces had hit military targets. The text is illustrative, "
           "written for this benchmark.\n\n")


def ordinary(size: int) -> tuple[str, str]:
    return "article.txt", (ARTICLE * (size // len(ARTICLE) + 1))[:size]


def one_long_line(size: int) -> tuple[str, str]:
    words = "drone strike killed people near the town said officials and "
    return "line.txt", (words * (size // len(words) + 1))[:size]


def short_sentences(size: int) -> tuple[str, str]:
    unit = "Two men died in the attack. "
    return "sentences.txt", (unit * (size // len(unit) + 1))[:size]


def repeated_numbers(size: int) -> tuple[str, str]:
    unit = "5 people were killed and 12 wounded. "
    return "numbers.txt", (unit * (size // len(unit) + 1))[:size]


def punctuation_run(size: int) -> tuple[str, str]:
    return "punctuation.txt", "Killed: " + "!?.,;" * (size // 5)


def entity_flood(size: int) -> tuple[str, str]:
    body = "&amp;" * (size // 5)
    return "entities.html", f"<html><body><article><p>Two people were killed. {body}</p></article></body></html>"


def deep_nesting(size: int) -> tuple[str, str]:
    depth = size // 11
    return "nested.html", ("<html><body>" + "<div>" * depth + "<p>Two people were killed in Kharkiv.</p>"
                           + "</div>" * depth + "</body></html>")


def many_rows(size: int) -> tuple[str, str]:
    rows = max(1, size // 60)
    lines = (json.dumps({"id": f"r{i}", "text": f"Row {i}: two people were killed in Kharkiv."})
             for i in range(rows))
    return "rows.jsonl", "\n".join(lines) + "\n"


CASES = {"ordinary article": ordinary, "one long line": one_long_line, "many short sentences": short_sentences,
         "repeated numbers": repeated_numbers, "punctuation run": punctuation_run, "entity flood": entity_flood,
         "deep nesting": deep_nesting, "10,000 rows": many_rows}


def time_case(make, size: int, folder: Path) -> tuple[float, int, str]:
    from warledger.pipeline import run
    name, text = make(size)
    case_dir = folder / f"{name}-{size}"
    case_dir.mkdir()
    path = case_dir / name
    path.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    summary = run([path], db=case_dir / "s.duckdb", fuse_events=True)
    elapsed = time.perf_counter() - start
    outcome = (f"{summary.documents_stored} docs, {sum(summary.reports_by_kind.values())} reports, "
               f"{len(summary.skipped)} skipped, {len(summary.failed)} failed")
    return elapsed, path.stat().st_size, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the input sizes (default 1)")
    args = parser.parse_args()
    small, large = int(100_000 * args.scale), int(400_000 * args.scale)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        time_case(ordinary, 2_000, folder)  # warm up: model, gazetteer index
        print(f"{'case':22} {'size':>10} {'s':>7} {'s/MB':>8}  {'size':>10} {'s':>7} {'s/MB':>8}  ratio  outcome")
        for label, make in CASES.items():
            if label == "10,000 rows":
                sizes = (60 * 2_500, 60 * 10_000)
            else:
                sizes = (small, large)
            (t1, b1, _), (t2, b2, outcome) = (time_case(make, s, folder) for s in sizes)
            per1, per2 = t1 / (b1 / 1e6), t2 / (b2 / 1e6)
            print(f"{label:22} {b1:>10,} {t1:>7.2f} {per1:>8.2f}  {b2:>10,} {t2:>7.2f} {per2:>8.2f}  "
                  f"{per2 / per1:5.2f}  {outcome}")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
