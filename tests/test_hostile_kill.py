"""Kill -9 at any moment: `warledger run` killed while reading, in the middle of extraction (spaCy in two
worker processes) and while fusing, then run again, gives the same documents, reports, events and tallies
as a run that was never interrupted, and leaves no process behind."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from warledger.pipeline import run
from warledger.settings import Settings
from warledger.store import Store

PLACES = ["Kharkiv", "Odesa", "Zaporizhzhia", "Kherson", "Sumy", "Dnipro", "Mykolaiv", "Chernihiv", "Poltava",
          "Lviv", "Izium", "Kupiansk"]
# Batches of two and two workers: extraction commits in many steps, with spaCy in worker processes.
ENV = {"WARLEDGER_BATCH_SIZE": "2", "WARLEDGER_WORKERS": "2"}


def _corpus(folder: Path) -> Path:
    folder.mkdir()
    for i, place in enumerate(PLACES):
        text = "\n\n".join(
            f"Regional officials said on Monday that {i + j + 2} people were killed and {i + 2 * j + 5} wounded "
            f"when a Russian drone struck a residential building in {place}, Ukraine. The Ukrainian air force "
            f"said it shot down {10 + j} of {14 + j} drones overnight." for j in range(6))
        (folder / f"article-{i:02d}.txt").write_text(text + "\n\nThe text is illustrative.", encoding="utf-8")
    return folder


def _content(db: Path):
    with Store(db, read_only=True) as store:
        return (sorted((d.doc_id, d.content_hash) for d in store.documents()),
                sorted(r.report_id for r in store.reports()),
                sorted((e.event_id, tuple(sorted(e.report_ids))) for e in store.events()),
                sorted(t.series_id for t in store.tally_series()),
                {k: v for k, v in store.counts().items()})


def _processes_naming(marker: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                if marker.encode() in handle.read():
                    found.append(int(entry))
        except OSError:
            continue
    return found


def _run_and_kill(folder: Path, db: Path, log: Path, marker: str, count: int = 1) -> bool:
    """Start `warledger run` and kill -9 it when `marker` has appeared `count` times in its log; False when
    the run ended before."""
    env = {**os.environ, **ENV}
    process = subprocess.Popen([sys.executable, "-m", "warledger", "run", str(folder), "--db", str(db),
                                "--log", str(log), "-q"], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline and process.poll() is None:
            if log.exists() and log.read_text(encoding="utf-8", errors="replace").count(marker) >= count:
                process.send_signal(signal.SIGKILL)
                process.wait()
                return True
            time.sleep(0.01)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return False


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    base = tmp_path_factory.mktemp("kill")
    folder = _corpus(base / "in")
    db = base / "whole.duckdb"
    run([folder], db=db, settings=Settings(batch_size=2, workers=2))
    return folder, _content(db)


@pytest.mark.parametrize("moment, marker, count", [
    ("while reading", "step 1: read", 3),
    ("in the middle of extraction", "step 4: stored the reports of", 2),
    ("while fusing", "step 5: fusing", 1),
])
def test_kill_minus_nine_then_rerun_gives_the_same_store(uninterrupted, tmp_path, moment, marker, count):
    folder, whole = uninterrupted
    db, log = tmp_path / f"killed-{count}.duckdb", tmp_path / "run.log"
    assert _run_and_kill(folder, db, log, marker, count), f"the run ended before it could be killed {moment}"
    deadline = time.monotonic() + 10
    while _processes_naming(str(db)) and time.monotonic() < deadline:  # workers die with their parent
        time.sleep(0.1)
    assert _processes_naming(str(db)) == [], f"processes left behind after a kill {moment}"
    again = run([folder], db=db, settings=Settings(batch_size=2, workers=2))
    assert again.ok and not again.failed
    assert _content(db) == whole
