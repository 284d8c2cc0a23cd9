"""A dashboard ledger that follows a store another process writes (`warledger run`, `watch`).

DuckDB lets no process read a file while another writes it, so the dashboard never keeps the store open.
It reads a private snapshot (`warledger.store.snapshot.copy_for_reading`: the store copied while holding
the read lock for a fraction of a second) and polls the store's size and modification time. When they
change and no writer holds the file, a new snapshot is copied, its filter index built, and both swapped in
at once; requests then get the new data (and the response cache, keyed by `version`, starts afresh). While
a writer holds the store the dashboard goes on showing the last snapshot.

Steps of a refresh (`refresh()`):
1. compare the store's signature with the snapshot's; equal: nothing to do;
2. copy the store to a new snapshot file (skipped, for the next poll, while a writer holds it);
3. open the snapshot read-only and build its filter index (its in-memory answers follow in a thread);
4. swap store, index and caches in, count `version` up;
5. close the previous snapshot after a grace period (requests still reading it finish first) and delete it;
6. compute what every page load asks (`Ledger.warm`), so the first visitors after a change wait for nothing.
"""
from __future__ import annotations

import logging
import shutil
import tempfile
import threading
import time
from pathlib import Path

from warledger.errors import StoreError
from warledger.serve.index import EventIndex
from warledger.serve.queries import Ledger
from warledger.store import Store
from warledger.store.snapshot import StoreLocked, copy_for_reading, remove_copy, signature

log = logging.getLogger(__name__)

# How long an old snapshot stays open after a new one is swapped in: longer than any request takes.
GRACE_S = 30.0


class LiveLedger(Ledger):
    """A `Ledger` over private snapshots of the store at `path`, renewed when the store changes.

    `refresh_s`: how often the store is checked (0: never by itself; call `refresh()`).
    `first_wait_s`: how long the first snapshot waits for a writer to let go of the store.
    `memory`: "now" (default): a snapshot is served once its in-memory answers are built (`memory.py`; a
    few seconds per 100,000 events), so no visitor of a new snapshot meets the slower way meanwhile.
    """

    def __init__(self, path: str | Path, refresh_s: float = 1.0, word_index: str = "background",
                 first_wait_s: float = 600.0, memory: str = "now"):
        self.source = Path(path)
        if not self.source.exists():
            raise StoreError(f"no store at {self.source}: build one first (warledger run SOURCES --db {path}).")
        self._word_index, self._memory = word_index, memory
        self._folder = Path(tempfile.mkdtemp(prefix="warledger-serve-"))
        self._serial = 0
        self._retired: list[tuple[float, Store, EventIndex, Path]] = []
        self._refresh_lock = threading.Lock()
        self._stop = threading.Event()
        self.refreshed_at: float | None = None
        self._failed_signature: tuple | None = None
        deadline = time.monotonic() + first_wait_s
        while True:
            try:
                snapshot, self.snapshot_signature = self._copy()
                break
            except StoreLocked:
                if self._serial == 1:
                    log.warning("%s is being written (warledger run or watch): the dashboard starts when the "
                                "writer lets go of it", self.source)
                if time.monotonic() >= deadline:
                    shutil.rmtree(self._folder, ignore_errors=True)
                    raise StoreError(f"{self.source} is held by a writer (warledger run or watch) and stayed "
                                     f"so for {first_wait_s:.0f} s: start the dashboard when it is done.")
                time.sleep(0.5)
        self.snapshot_path = snapshot
        try:
            super().__init__(Store(snapshot, read_only=True), word_index=word_index, memory=memory)
        except BaseException:
            shutil.rmtree(self._folder, ignore_errors=True)
            raise
        self.refreshed_at = time.time()
        self.warm()
        self._thread: threading.Thread | None = None
        if refresh_s > 0:
            self._thread = threading.Thread(target=self._poll, args=(refresh_s,), name="warledger-refresh",
                                            daemon=True)
            self._thread.start()

    @property
    def store_path(self) -> str:
        return str(self.source)  # not the snapshot's name

    def _copy(self) -> tuple[Path, tuple]:
        self._serial += 1
        dest = self._folder / f"snapshot-{self._serial}.duckdb"
        return dest, copy_for_reading(self.source, dest)

    def changed(self) -> bool:
        return signature(self.source) != self.snapshot_signature

    def refresh(self) -> bool:
        """Take a new snapshot if the store changed and no writer holds it; True when one was swapped in."""
        with self._refresh_lock:
            current = signature(self.source)
            if self._closed or current in (self.snapshot_signature, self._failed_signature):   # step 1
                return False
            try:
                snapshot, version = self._copy()                          # step 2
            except StoreLocked:
                return False
            except (OSError, StoreError):  # gone, unreadable, disk full: keep the last snapshot, say so once
                self._failed_signature = current
                log.warning("dashboard: cannot copy %s; still showing the data of %s", self.source,
                            time.strftime("%H:%M:%S", time.localtime(self.refreshed_at)), exc_info=True)
                return False
            store = None
            try:
                store = Store(snapshot, read_only=True)                   # step 3
                index = self._index_of(store, self._word_index, self._memory)
            except Exception:
                self._failed_signature = current  # tried again when the store changes again
                if store is not None:
                    store.close()
                remove_copy(snapshot)
                raise
            old = (self.store, self.index, self.snapshot_path)
            self.store, self.index, self.snapshot_path = store, index, snapshot   # step 4
            self._local = threading.local()
            self._cache = {}
            self.snapshot_signature = version
            self.version += 1
            self.refreshed_at = time.time()
            self._retired.append((time.monotonic() + GRACE_S, *old))      # step 5
            log.info("dashboard: new snapshot of %s (version %d)", self.source, self.version)
        self.warm()                                                       # step 6
        return True

    def _close_retired(self, everything: bool = False) -> None:
        now = time.monotonic()
        keep = []
        for item in self._retired:
            due, store, index, path = item
            if everything or due <= now:
                index.close()
                store.close()
                remove_copy(path)
            else:
                keep.append(item)
        self._retired = keep

    def _poll(self, every: float) -> None:
        while not self._stop.wait(every):
            try:
                self.refresh()
                self._close_retired()
            except Exception:  # a bad snapshot must not stop the dashboard; the next poll retries
                log.exception("dashboard: could not take a new snapshot of %s", self.source)

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=30)
        with self._refresh_lock:
            if not self._closed:
                super().close()
                self._close_retired(everything=True)
                shutil.rmtree(self._folder, ignore_errors=True)
