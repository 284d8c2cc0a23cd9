"""Answers kept until the store changes: an ASGI middleware in front of the endpoints.

What the dashboard reads only changes when a new snapshot of the store is swapped in (`Ledger.version`),
so an answer is a function of (version, path, query string). The page asks the same few things on every
load (the page and its scripts, `/api/config`, `/api/stats`, the unfiltered map, timeline and first page),
and people share filtered views: those answers are sent from memory. The cache is bounded in bytes (least recently used out first),
keeps only whole 200 answers, and never keeps an answer that was computed while the version changed.
"""
from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict

MAX_BYTES = 64 * 1024 * 1024
MAX_ENTRY_BYTES = 4 * 1024 * 1024


class ResponseCache:
    """ASGI middleware caching GET answers under `prefix`, keyed by `version()`, path and query string."""

    def __init__(self, app, version, prefix: str = "/", exclude: tuple[str, ...] = ("/api/docs",),
                 max_bytes: int = MAX_BYTES):
        self.app = app
        self.version = version
        self.prefix = prefix
        self.exclude = exclude
        self.max_bytes = max_bytes
        self.entries: OrderedDict[tuple, tuple[int, list, bytes]] = OrderedDict()
        self.size = 0
        self.hits = self.misses = 0
        self._kept_version = None
        self.computing: dict[tuple, asyncio.Future] = {}  # keys being answered now (one event loop)
        self._lock = threading.Lock()

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if (scope["type"] != "http" or scope.get("method") != "GET" or not path.startswith(self.prefix)
                or path.startswith(self.exclude)):
            return await self.app(scope, receive, send)
        version = self.version()
        key = (version, path, scope.get("query_string", b""))
        entry = self._get(key)
        if entry is None and key in self.computing:  # the same question is being answered: wait for it
            await asyncio.shield(self.computing[key])
            entry = self._get(key)
        if entry is not None:
            status, headers, body = entry
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        self.misses += 1
        computed = self.computing.setdefault(key, asyncio.get_running_loop().create_future())
        try:
            await self._answer(key, version, scope, receive, send)
        finally:
            if self.computing.get(key) is computed:
                del self.computing[key]
                computed.set_result(None)

    def _get(self, key):
        with self._lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
                self.hits += 1
        return entry

    async def _answer(self, key, version, scope, receive, send):
        started: dict = {}
        chunks: list[bytes] = []

        async def recording_send(message):
            if message["type"] == "http.response.start":
                started.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body") and started.get("status") == 200 and version == self.version():
                    self._keep(key, started["status"], list(started.get("headers", [])), b"".join(chunks))
            await send(message)

        await self.app(scope, receive, recording_send)

    def _keep(self, key, status: int, headers: list, body: bytes) -> None:
        if len(body) > MAX_ENTRY_BYTES:
            return
        with self._lock:
            if key in self.entries:
                return
            if key[0] != self._kept_version:  # answers of older versions are never asked again
                self.entries.clear()
                self.size, self._kept_version = 0, key[0]
            self.entries[key] = (status, headers, body)
            self.size += len(body)
            while self.size > self.max_bytes and self.entries:
                _, (_, _, dropped) = self.entries.popitem(last=False)
                self.size -= len(dropped)
