"""What every request to the dashboard passes first: a pure ASGI middleware (no per-request task or copy).

- **Host check** (DNS rebinding): a page on another site whose name is made to resolve to 127.0.0.1 would
  send its own name as `Host`; only the names the server is bound to (and loopback names) are answered.
- **Read only**: methods other than GET and HEAD get 405.
- **Bounded parameters**, for every endpoint, present and future: the query string (at most
  `MAX_QUERY_BYTES`), the number of parameters, each value's length, and every paging parameter
  (`limit`, `offset`, ...: whole numbers from 0 to `MAX_PAGING`). A search (`q`) has at most
  `MAX_SEARCH_WORDS` words. Past a bound the answer is a 4xx with a JSON error, before any query runs.
- **Security headers** on every answer (the Content-Security-Policy given by the app).
"""
from __future__ import annotations

import ipaddress
import json
import re
import socket
from collections.abc import Iterable
from urllib.parse import parse_qsl

MAX_QUERY_BYTES = 4096
MAX_PARAMS = 64
MAX_VALUE_CHARS = 500
MAX_SEARCH_WORDS = 32
MAX_PAGING = 1_000_000_000
PAGING = frozenset({"limit", "offset", "page", "per_page", "max_events"})
SEARCH = frozenset({"q"})
READ_METHODS = frozenset({"GET", "HEAD"})
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
_WORD = re.compile(r"[^\W_]+")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bound_names(host: str, extra: Iterable[str] = ()) -> set[str]:
    """The `Host` names a server bound to `host` answers: loopback names, `host` itself, and for a wildcard
    address (0.0.0.0, ::) this machine's name and addresses; plus `extra` (e.g. a reverse proxy's name)."""
    names = set(LOOPBACK_NAMES) | {host.strip("[]").lower()} | {n.strip().lower() for n in extra if n.strip()}
    if host in ("0.0.0.0", "::", ""):
        names.add(socket.gethostname().lower())
        names.add(socket.getfqdn().lower())
        try:
            names.update(info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None))
        except OSError:
            pass
    return names


def host_name(header: str) -> str:
    """The name part of a Host header: `[::1]:8000` -> `::1`, `Example.org:80` -> `example.org`."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else header
    if header.count(":") == 1:
        return header.split(":", 1)[0]
    return header


def parameter_problem(query: bytes) -> tuple[int, str] | None:
    """Why a query string is refused (status, sentence), or None when it is within bounds."""
    if len(query) > MAX_QUERY_BYTES:
        return 414, f"the query string is {len(query):,} bytes; at most {MAX_QUERY_BYTES:,} are accepted"
    try:
        pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True, encoding="utf-8", errors="strict")
    except (UnicodeDecodeError, ValueError):
        return 400, "the query string is not valid percent-encoded UTF-8"
    if len(pairs) > MAX_PARAMS:
        return 400, f"{len(pairs)} query parameters; at most {MAX_PARAMS} are accepted"
    for name, value in pairs:
        if name in SEARCH and len(_WORD.findall(value)) > MAX_SEARCH_WORDS:
            return 422, f"{name}: at most {MAX_SEARCH_WORDS} words are searched for"
        if len(value) > MAX_VALUE_CHARS:
            return 422, f"{name}: {len(value):,} characters; at most {MAX_VALUE_CHARS} are accepted"
        if "\x00" in value:
            return 422, f"{name}: contains a NUL character"
        if name in PAGING and value != "" and (not value.isascii() or not value.isdigit()
                                               or int(value) > MAX_PAGING):
            return 422, f"{name}: must be a whole number from 0 to {MAX_PAGING:,}, not {value[:40]!r}"
    return None


class Guard:
    """ASGI middleware: Host check, read-only methods, parameter bounds and security headers.

    `allowed_hosts`: the names answered (see `bound_names`); None answers any Host (only for an app behind
    a proxy that checks it). `headers(path)` gives the security headers for a path."""

    def __init__(self, app, allowed_hosts: Iterable[str] | None, headers):
        self.app = app
        self.allowed = None if allowed_hosts is None else {h.lower() for h in allowed_hosts}
        self.headers = headers

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        extra = self.headers(scope.get("path", ""))
        problem = self._problem(scope)
        if problem:
            status, message = problem
            body = json.dumps({"detail": message}).encode("utf-8")
            await send({"type": "http.response.start", "status": status,
                        "headers": [(b"content-type", b"application/json"),
                                    (b"content-length", str(len(body)).encode())] + extra})
            await send({"type": "http.response.body", "body": body})
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _problem(self, scope) -> tuple[int, str] | None:
        if self.allowed is not None:
            host = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"host"), "")
            if host_name(host) not in self.allowed:
                return 421, (f"this server does not answer for the host {host[:80]!r}: open it by the address it "
                             "is bound to (e.g. http://127.0.0.1:PORT/), or start it with --allow-host NAME")
        if scope.get("method", "GET") not in READ_METHODS:
            return 405, "the dashboard is read-only: only GET and HEAD are answered"
        return parameter_problem(scope.get("query_string", b""))


def security_headers(csp: str) -> list[tuple[bytes, bytes]]:
    return [(b"content-security-policy", csp.encode("latin-1")), (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"), (b"referrer-policy", b"no-referrer"),
            (b"cross-origin-opener-policy", b"same-origin"), (b"cross-origin-resource-policy", b"same-origin")]
