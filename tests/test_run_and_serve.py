"""`warledger serve` and `warledger run` / `watch` on one store at the same time, as separate processes.

DuckDB lets one process write a file or several read it, never both: the dashboard reads private snapshots
(`warledger.store.snapshot`), so a run started while it serves works, and the API shows the run's data once
it is done, without a restart. The articles are the seed corpus, read from ../shared (copied only to tmp).
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from shared_paths import SEEDS, need_seeds

from warledger.store import Store

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _warledger(*args: str, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "warledger", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, **kwargs)


def _finish(process: subprocess.Popen, timeout: float = 600) -> str:
    output, _ = process.communicate(timeout=timeout)
    assert process.returncode == 0, output
    return output


def _store_counts(db: Path) -> dict:
    with Store(db, read_only=True) as store:
        return store.counts()


def _wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


def test_run_and_watch_write_a_store_that_serve_is_showing(tmp_path):
    need_seeds()
    articles = sorted(SEEDS.glob("*.txt"))
    assert len(articles) >= 5
    db = tmp_path / "ledger.duckdb"
    _finish(_warledger("run", *map(str, articles[:2]), "--db", str(db)))
    first = _store_counts(db)

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _warledger("serve", "--db", str(db), "--port", str(port))
    try:
        def stats():
            try:
                answer = httpx.get(base + "/api/stats", timeout=5)
                return answer.json() if answer.status_code == 200 else None
            except httpx.TransportError:
                assert server.poll() is None, server.stdout.read()
                return None

        shown = _wait_for(stats, 120, "the dashboard to answer")
        assert shown["counts"] == first

        # a run while serving: it gets the store (before, it failed on DuckDB's lock) ...
        run = _warledger("run", *map(str, articles[2:4]), "--db", str(db))
        answers_during_run = []
        while run.poll() is None:  # ... and the dashboard goes on answering, with the data it had
            answers_during_run.append(httpx.get(base + "/api/events", timeout=30).status_code)
            time.sleep(0.2)
        _finish(run)
        assert answers_during_run and set(answers_during_run) == {200}
        after_run = _store_counts(db)
        assert after_run["documents"] > first["documents"]
        shown = _wait_for(lambda: (s := stats()) and s["counts"] == after_run and s, 60,
                          f"the dashboard to show the run's counts {after_run}")
        assert shown["store_version"] >= 2
        events = httpx.get(base + "/api/events", params={"limit": 500}).json()
        assert events["total"] == after_run["events"] == len(events["items"])
        with Store(db, read_only=True) as store:
            assert {e["event_id"] for e in events["items"]} == {e.event_id for e in store.events()}
            stored = {d.doc_id for d in store.documents()}
        for doc_id in stored:
            assert httpx.get(f"{base}/api/documents/{doc_id}").status_code == 200

        # one pass of watch on a folder with the last article: also written while serving, also shown
        inbox = tmp_path / "inbox"
        inbox.mkdir()
        shutil.copy(articles[4], inbox / articles[4].name)
        os.utime(inbox / articles[4].name, (time.time() - 10, time.time() - 10))  # settled, not being written
        _finish(_warledger("watch", str(inbox), "--db", str(db), "--once"))
        after_watch = _store_counts(db)
        assert after_watch["documents"] == after_run["documents"] + 1
        _wait_for(lambda: (s := stats()) and s["counts"] == after_watch, 60,
                  f"the dashboard to show the watch pass's counts {after_watch}")
        assert server.poll() is None  # the dashboard never stopped
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in output
    assert "Traceback" not in output


def test_a_dashboard_started_while_a_writer_holds_the_store_waits_for_it(tmp_path):
    from warledger.serve.live import LiveLedger

    db = tmp_path / "held.duckdb"
    Store(db).close()
    writer = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\n"
        "from warledger.models import Document\n"
        "from warledger.store import Store\n"
        f"with Store({str(db)!r}) as store:\n"
        "    print('holding', flush=True)\n"
        "    time.sleep(3)\n"
        "    store.put_document(Document(doc_id='late', text='Stored by the writer.', content_hash='h-late'))\n")],
        stdout=subprocess.PIPE, text=True)
    assert writer.stdout.readline().strip() == "holding"
    started = time.monotonic()
    ledger = LiveLedger(db, refresh_s=0, first_wait_s=60)  # waits for the writer instead of failing
    try:
        assert time.monotonic() - started > 1
        assert ledger.stats()["counts"]["documents"] == 1
        assert ledger.document("late")["text"] == "Stored by the writer."
    finally:
        ledger.close()
        writer.wait(timeout=30)
    assert writer.returncode == 0
