"""The page's own files (HTML, scripts, styles, vendored libraries, outlines), read into memory once.

They are a few hundred kB and never change while the app runs, so `/` and `/static/...` are answered from a
dict, on the event loop: no file system access per request, no worker thread (a page load never waits
behind slow queries), and no path ever reaches the file system, so `..` or an encoded slash can only miss.
"""
from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path

TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".html": "text/html; charset=utf-8", ".geojson": "application/geo+json", ".json": "application/json",
         ".txt": "text/plain; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png"}
MAX_ASSET_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class Asset:
    body: bytes
    media_type: str


def load_assets(folder: Path) -> dict[str, Asset]:
    """Every file under `folder` by its relative POSIX path (hidden files and folders left out)."""
    assets = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if not path.is_file() or path.is_symlink() or any(p.startswith(".") for p in relative.parts):
            continue
        if path.stat().st_size > MAX_ASSET_BYTES:
            raise ValueError(f"{path} is over {MAX_ASSET_BYTES} bytes: not a file the page should load")
        media_type = TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        assets[relative.as_posix()] = Asset(path.read_bytes(), media_type)
    return assets
