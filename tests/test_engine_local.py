"""The local engine: several worker processes give the reports one process gives; a worker that dies costs
nothing (its batch is done again in the parent)."""
from __future__ import annotations

import os
import signal
import threading
import time

import pytest
from shared_paths import SHARED, need_seeds

from warledger.pipeline import run
from warledger.settings import Settings
from warledger.store import Store

DEV = SHARED / "corpus" / "dev"
pytestmark = pytest.mark.slow


def _report_ids(db):
    with Store(db, read_only=True) as store:
        return sorted(r.report_id for r in store.reports())


@pytest.fixture(scope="module")
def dev_one_process(tmp_path_factory):
    need_seeds()
    if not DEV.is_dir():
        pytest.skip(f"{DEV} not found")
    db = tmp_path_factory.mktemp("one") / "dev.duckdb"
    run([DEV], db=db, settings=Settings(workers=1))
    return _report_ids(db)


def _children() -> list[int]:
    me, out = os.getpid(), []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat", encoding="utf-8") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == me:
            out.append(int(pid))
    return out


def test_two_workers_give_the_reports_of_one(dev_one_process, tmp_path):
    db = tmp_path / "two.duckdb"
    summary = run([DEV], db=db, settings=Settings(workers=2, batch_size=4))
    assert not summary.failed
    assert _report_ids(db) == dev_one_process


def test_a_worker_process_killed_mid_run_loses_and_doubles_nothing(dev_one_process, tmp_path):
    killed: list[int] = []
    stop = threading.Event()

    def kill_a_worker():
        while not stop.is_set() and not killed:
            workers = _children()
            if workers:
                time.sleep(1.0)   # let it take a batch
                os.kill(workers[0], signal.SIGKILL)
                killed.append(workers[0])
            time.sleep(0.05)

    killer = threading.Thread(target=kill_a_worker, daemon=True)
    killer.start()
    try:
        summary = run([DEV], db=tmp_path / "killed.duckdb", settings=Settings(workers=2, batch_size=4))
    finally:
        stop.set()
        killer.join(5)
    assert killed
    assert summary.documents_extracted == 42 and not summary.failed
    ids = _report_ids(tmp_path / "killed.duckdb")
    assert ids == dev_one_process and len(ids) == len(set(ids))
