"""The static report: one self-contained HTML file with the dashboard's map, timeline, table and event pages.

It is the served page with every stylesheet and script inlined, plus a snapshot of the store as inline JSON
(the page's script filters it in the browser), so it opens from disk with no server and no network.
Its own Content-Security-Policy admits only the exact inline scripts and styles written here (by hash) and
no network at all (except map tiles when a tile URL is given).
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
from pathlib import Path

from warledger.errors import ExportError
from warledger.serve.analysis import static_views
from warledger.serve.app import DEFAULT_ATTRIBUTION, OUTLINES, STATIC, tile_origin
from warledger.serve.queries import Ledger
from warledger.store import Store

_STYLESHEET = re.compile(r'<link rel="stylesheet" href="static/([^"]+)">')
_SCRIPT = re.compile(r'<script src="static/([^"]+)"></script>')


def inline_json(obj) -> str:
    """JSON safe inside <script type="application/json">: no `</script>` or `<!--` can close or bend it."""
    text = json.dumps(obj, ensure_ascii=False, default=str, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _safe_inline(code: str, tag: str) -> str:
    # Our own assets never contain a closing tag, but a vendored update could: neutralise it rather than break.
    return re.sub(rf"</(?={tag})", r"<\\/", code, flags=re.IGNORECASE)


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def render_report(snapshot: dict, tile_url: str | None = None, tile_attribution: str | None = None) -> str:
    """The report's HTML for a `Ledger.snapshot()` (pure function: no store, no files written)."""
    template = (STATIC / "index.html").read_text(encoding="utf-8")
    styles, scripts = [], []

    def style(match: re.Match) -> str:
        css = _safe_inline((STATIC / match.group(1)).read_text(encoding="utf-8"), "style")
        styles.append(css)
        return f"<style>{css}</style>"

    def script(match: re.Match) -> str:
        code = _safe_inline((STATIC / match.group(1)).read_text(encoding="utf-8"), "script")
        scripts.append(code)
        return f"<script>{code}</script>"

    snapshot = dict(snapshot)
    snapshot["outlines"] = json.loads(OUTLINES.read_text(encoding="utf-8"))
    snapshot["config"] = {"tile_url": tile_url, "tile_attribution": tile_attribution or DEFAULT_ATTRIBUTION,
                          "mode": "static", "generated": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")}
    data = f'<script type="application/json" id="warledger-data">{inline_json(snapshot)}</script>\n'
    html = _STYLESHEET.sub(style, template)
    # The data block must come before the page's script, which reads it at start.
    html = html.replace('<script src="static/app.js"></script>', data + '<script src="static/app.js"></script>')
    html = _SCRIPT.sub(script, html)
    images = " ".join(filter(None, ["data:", tile_origin(tile_url)]))
    csp = (f"default-src 'none'; script-src {' '.join(_sha256(s) for s in scripts)}; "
           f"style-src {' '.join(_sha256(s) for s in styles)}; img-src {images}; "
           "base-uri 'none'; form-action 'none'")
    head = f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
    html = html.replace('<meta charset="utf-8">\n', '<meta charset="utf-8">\n' + head, 1)
    return html.replace("<title>warledger</title>", "<title>warledger report</title>", 1)


def write_report(store_or_path: Store | Ledger | str | Path, out_path: str | Path = "report.html",
                 tile_url: str | None = None, tile_attribution: str | None = None,
                 max_events: int | None = None) -> Path:
    """Write the static HTML report of a store; returns the file's path.

    `store_or_path`: an open `Store` (or `Ledger`), or the path of a store file (opened read-only).
    `max_events`: keep only the newest N events (the file holds every event's claims and documents).
    """
    ledger, owned = Ledger.of(store_or_path)
    try:
        snapshot = ledger.snapshot(max_events=max_events)
        snapshot.update(static_views(ledger, [s["event_id"] for s in snapshot["summaries"]]))
        html = render_report(snapshot, tile_url, tile_attribution)
    finally:
        if owned:
            ledger.close()
    out = Path(out_path)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise ExportError(f"cannot write the report to {out}: {exc}") from exc
    return out
