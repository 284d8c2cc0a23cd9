"""Reading a store that another process writes: private snapshots, and writers that wait for the lock.

DuckDB lets one process write a database file, or several processes read it, never both at once: a
read-only open fails while a writer holds the file, and a writer's open fails while any reader holds it
(``IO Error: Could not set lock on file``; see https://duckdb.org/docs/current/connect/concurrency).

So a long-lived reader (the dashboard) never keeps the store open. `copy_for_reading` takes the shared lock
only for as long as a file copy takes (about 0.1 s per 100 MB), copies the store (and its WAL, if a
killed writer left one) to a private file, and lets go. The reader serves that copy and makes a new one
when `signature` says the store changed and no writer holds it. A writer that starts during the copy
waits for it (`connect_waiting`) instead of failing.
"""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import duckdb

from warledger.errors import StoreError

# How long a writer waits for a reader's snapshot copy to let go of the file before giving up.
WRITER_WAIT_S = 10.0
_LOCK_MESSAGE = "could not set lock"


class StoreLocked(StoreError):
    """Another process holds the store file in a conflicting mode (a writer, or readers for a writer)."""


def is_lock_conflict(exc: BaseException) -> bool:
    return isinstance(exc, duckdb.IOException) and _LOCK_MESSAGE in str(exc).lower()


def connect_waiting(path: str, read_only: bool = False, wait_s: float = WRITER_WAIT_S) -> duckdb.DuckDBPyConnection:
    """`duckdb.connect`, retried while another process holds a conflicting lock, for up to `wait_s` seconds.

    Readers copying a snapshot hold the file for a fraction of a second; a writer that holds it for a whole
    run is not waited out: after `wait_s` the lock error is raised as it is."""
    deadline = time.monotonic() + max(0.0, wait_s)
    delay = 0.05
    while True:
        try:
            return duckdb.connect(path, read_only=read_only)
        except duckdb.IOException as exc:
            if not is_lock_conflict(exc) or time.monotonic() >= deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.5)


def signature(path: str | Path) -> tuple:
    """What changes when a writer commits to the store: size and modification time of the file and WAL."""
    out = []
    for file in (Path(path), Path(f"{path}.wal")):
        try:
            stat = file.stat()
            out.append((stat.st_size, stat.st_mtime_ns))
        except FileNotFoundError:
            out.append(None)
    return tuple(out)


def copy_for_reading(path: str | Path, dest: str | Path) -> tuple:
    """Copy the store at `path` to `dest` while holding its read lock; returns the copy's `signature`.

    Raises `StoreLocked` at once when a writer holds the store (try again later), `StoreError` when there
    is no store."""
    path, dest = Path(path), Path(dest)
    if not path.exists():
        raise StoreError(f"no store at {path}: build one first (warledger run SOURCES --db {path}).")
    try:
        con = duckdb.connect(str(path), read_only=True)  # the shared lock: no writer can start meanwhile
    except duckdb.IOException as exc:
        if is_lock_conflict(exc):
            raise StoreLocked(f"{path} is being written by another process") from exc
        raise StoreError(f"cannot open the store {path}: {exc}") from exc
    try:
        version = signature(path)
        partial = dest.with_name(dest.name + ".part")
        shutil.copyfile(path, partial)
        wal = Path(f"{path}.wal")
        dest_wal = Path(f"{dest}.wal")
        if wal.exists():  # left by a writer that was killed: the copy replays it when opened
            shutil.copyfile(wal, dest_wal)
        else:
            dest_wal.unlink(missing_ok=True)
        os.replace(partial, dest)
    finally:
        con.close()
    return version


def remove_copy(dest: str | Path) -> None:
    """Delete a snapshot and its WAL (readers that still have it open keep reading it until they close)."""
    for file in (Path(dest), Path(f"{dest}.wal"), Path(f"{dest}.part")):
        file.unlink(missing_ok=True)
