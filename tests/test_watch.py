"""`watch`: what counts as new, feed spooling, and the real command stopped mid-batch and restarted."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from warledger.errors import WarledgerError
from warledger.ingest.feeds import read_feed
from warledger.models import Document
from warledger.store import Store
from warledger.watch import list_files, mark_done, new_files, spool_feed

CASES = Path(__file__).resolve().parent / "cases" / "interop"
REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "corpus" / "seeds"


def _age(path: Path, seconds: float = 10.0) -> None:
    """Make a file look written `seconds` ago (watch lets files still being written settle)."""
    past = time.time() - seconds
    os.utime(path, (past, past))


def test_new_files_are_those_not_yet_done_or_changed_since(tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    shutil.copy(CASES / "feeds" / "frontline-wire.rss", inbox / "a.rss")
    shutil.copy(CASES / "site" / "news/2020/10/barda-rocket.html", inbox / "sub" / "b.html")
    (inbox / "sub" / "manifest.jsonl").write_text('{"file": "b.html", "outlet": "Regional Herald"}\n')
    (inbox / ".hidden.txt").write_text("a hidden file is not an input")
    (inbox / "c.txt.part").write_text("a half-copied file has no reader")
    for path in inbox.rglob("*"):
        _age(path)
    with Store(tmp_path / "w.duckdb") as store:
        found = new_files([inbox], store)
        assert [p.name for p in found] == ["a.rss", "b.html"]
        mark_done(found, store, {p: f"{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in found})
        assert new_files([inbox], store) == []
        (inbox / "a.rss").write_text((inbox / "a.rss").read_text() + "\n")  # a feed file that grew
        assert new_files([inbox], store) == []  # still being written: it waits for a later pass
        _age(inbox / "a.rss")
        assert [p.name for p in new_files([inbox], store)] == ["a.rss"]


def test_list_files_takes_named_files_as_they_are(tmp_path):
    named = tmp_path / "one.atom"
    shutil.copy(CASES / "feeds" / "caucasus-monitor.atom", named)
    assert list_files([named, tmp_path / "missing"]) == [named]


def test_spool_feed_writes_only_entries_not_yet_stored(tmp_path):
    feed = CASES / "feeds" / "caucasus-monitor.atom"
    spool = tmp_path / "spool"
    with Store(tmp_path / "w.duckdb") as store:
        first = spool_feed(str(feed), store, spool, fetch=False)
        assert first is not None and len(first.read_text().splitlines()) == 2
        stored = [d for d in read_feed(feed) if isinstance(d, Document)]
        store.put_document(stored[0])
        second = spool_feed(str(feed), store, spool, fetch=False)
        assert second is not None and len(second.read_text().splitlines()) == 1
        store.put_document(stored[1])
        assert spool_feed(str(feed), store, spool, fetch=False) is None
    assert not list(spool.glob("*.part"))


def _pipeline_or_skip() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"the shared seed corpus is not at {SEEDS} (the repo's sibling ../shared)")
    try:
        import warledger.pipeline  # noqa: F401
    except ImportError as exc:
        pytest.skip(f"the pipeline cannot be imported yet ({exc})")


class _Watcher:
    """`python -m warledger watch` in a subprocess, its standard error collected line by line."""

    def __init__(self, *args: str):
        env = {**os.environ, "PYTHONPATH": str(REPO / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
        self.proc = subprocess.Popen([sys.executable, "-m", "warledger", "watch", *args], cwd=REPO, env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stderr:
            self.lines.append(line.rstrip())

    def wait_for(self, pattern: str, timeout: float = 300.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            exited = self.proc.poll() is not None
            found = next((line for line in list(self.lines) if re.search(pattern, line)), None)
            if found or exited:
                break
            time.sleep(0.1)
        if found:
            return found
        self.proc.kill()
        raise AssertionError(f"no line matching {pattern!r}; stderr:\n" + "\n".join(self.lines[-30:]))


def _fused(store: Store) -> set[str]:
    return {r.report_id for r in store.reports() if r.event_id}


def _grouping(store: Store) -> list[list[str]]:
    """The events as sets of report ids (event ids may differ between stores)."""
    return sorted(sorted(e.report_ids) for e in store.events())


@pytest.mark.slow
def test_watch_killed_mid_batch_and_restarted_loses_and_duplicates_nothing(tmp_path):
    _pipeline_or_skip()
    seeds = sorted(SEEDS.glob("*.txt"))
    inbox, db = tmp_path / "inbox", tmp_path / "watch.duckdb"
    inbox.mkdir()

    def arrive(name, paths):  # a folder written elsewhere and moved in at once, as a sync tool delivers it
        staged = tmp_path / name
        staged.mkdir()
        for path in paths:
            shutil.copy(path, staged / path.name)
        names = {p.name for p in paths}
        manifest = [line for line in (SEEDS / "manifest.jsonl").read_text().splitlines()
                    if line.strip() and json.loads(line)["file"] in names]
        (staged / "manifest.jsonl").write_text("\n".join(manifest) + "\n")
        for path in staged.iterdir():
            _age(path)
        os.replace(staged, inbox / name)

    watcher = _Watcher(str(inbox), "--db", str(db), "--interval", "0.2")
    try:
        arrive("first", seeds[:2])
        watcher.wait_for(r"pass \d+: 2 new input")
        arrive("second", seeds[2:])
        watcher.wait_for(r"tick \d+: 3 new input")
        time.sleep(1.0)  # into the batch: reading, extracting or fusing
    finally:
        watcher.proc.kill()
        watcher.proc.wait()

    again = _Watcher(str(inbox), "--db", str(db), "--once")
    assert again.proc.wait(timeout=600) == 0, "\n".join(again.lines[-30:])

    from warledger.pipeline import run
    reference = tmp_path / "reference.duckdb"
    run([inbox], db=reference)
    with Store(db, read_only=True) as watched, Store(reference, read_only=True) as whole:
        assert [d.doc_id for d in watched.documents()] == sorted(p.stem for p in seeds)
        assert watched.counts() == whole.counts()
        ids = [r.report_id for r in watched.reports()]
        assert len(ids) == len(set(ids))
        assert set(ids) == {r.report_id for r in whole.reports()}
        assert _fused(watched) == _fused(whole)
        assert _grouping(watched) == _grouping(whole)


@pytest.mark.slow
def test_watching_a_feed_url_processes_only_new_entries(tmp_path):
    _pipeline_or_skip()
    import http.server
    import threading as th

    from warledger.watch import watch

    served: dict[str, bytes] = {}
    fetched: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            fetched.append(self.path)
            body = served.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "application/atom+xml")
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    th.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    atom = (CASES / "feeds" / "caucasus-monitor.atom").read_text()
    atom = atom.replace("https://caucasus-monitor.example", base)
    served["/feed.atom"] = atom.encode()
    url, db = f"{base}/feed.atom", tmp_path / "feed.duckdb"
    try:
        with pytest.raises(WarledgerError, match="needs network access"):
            watch([url], db=db)
        ticks = watch([url], db=db, interval=0, fetch=True, stop_after=2)
        assert [len(t.new_inputs) for t in ticks] == [1, 0]  # one spool file, then nothing new
        new_entry = atom.split("<entry>")[1].replace("2020-10-13-talks", "2020-10-14-talks").replace(
            "on Friday to discuss", "on Saturday to discuss")
        served["/feed.atom"] = atom.replace("</feed>", f"<entry>{new_entry}</feed>").encode()
        fetched.clear()
        ticks = watch([url], db=db, interval=0, fetch=True, stop_after=1)
        assert len(ticks[0].new_inputs) == 1
        assert fetched == ["/feed.atom", "/2020/10/13/talks"]  # the page of the new entry only
    finally:
        httpd.shutdown()
        httpd.server_close()
    spooled = sorted((tmp_path / "feed.duckdb.feeds").glob("*.jsonl"))
    assert [len(p.read_text().splitlines()) for p in spooled] == [2, 1]
    with Store(db, read_only=True) as store:
        docs = store.documents()
        assert len(docs) == 3 and len({d.content_hash for d in docs}) == 3
        status = dict(store.con.execute("SELECT doc_id, skipped_reason FROM documents").fetchall())
        assert sorted(map(str, status.values())) == ["None", "None", "language: ru"]
