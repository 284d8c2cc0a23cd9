"""Walk files and folders, apply folder manifests, hand each file to the reader for its suffix."""
from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from warledger.errors import IngestError
from warledger.ingest.decode import decode_bytes
from warledger.ingest.readers import READERS
from warledger.ingest.records import Skipped, json_lines, pick_meta
from warledger.models import Document

log = logging.getLogger(__name__)

MANIFEST_NAME = "manifest.jsonl"
DEFAULT_MAX_BYTES = 20_000_000


def read_sources(paths: str | os.PathLike | Iterable[str | os.PathLike],
                 max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Document | Skipped]:
    """Documents from files and folders (folders recursively, in sorted order), and a `Skipped` for each
    input or row that gives none. Never raises for bad input.

    A folder's `manifest.jsonl` (one object a line: `file` plus url, outlet, published, title, language)
    gives metadata to the files in that folder. Files with suffixes no reader knows are passed over
    silently inside folders, and reported when named explicitly.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    manifests = _Manifests()
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if str(given).startswith(("http://", "https://")):
            yield Skipped(source=str(given), reason=f"{given}: URLs are not fetched (no network at run "
                                                    "time); save the page and pass the file")
            continue
        if not path.exists():
            yield Skipped(source=str(path), reason=f"{path}: no such file or folder")
            continue
        files = _folder_files(path) if path.is_dir() else [path]
        for file in files:
            key = file.resolve()
            if key in seen:
                continue
            seen.add(key)
            yield from manifests.problems(file.parent)
            if file.name == MANIFEST_NAME:
                if not path.is_dir():
                    yield Skipped(source=str(file), reason=f"{file}: a manifest (metadata for its folder), "
                                                           "not a document")
                continue
            reader = READERS.get(file.suffix.lower())
            if reader is None:
                known = ", ".join(sorted(READERS))
                yield Skipped(source=str(file), reason=f"{file.name}: unknown file type '{file.suffix}' "
                                                       f"(readers exist for {known})")
                continue
            yield from _read_one(reader, file, manifests.meta(file), max_bytes)


def _folder_files(folder: Path) -> list[Path]:
    """Files under `folder` that a reader knows (and manifests), sorted; hidden files and folders left out."""
    files = []
    for path in folder.rglob("*"):
        relative = path.relative_to(folder).parts
        if any(part.startswith(".") for part in relative) or not path.is_file():
            continue
        if path.suffix.lower() in READERS or path.name == MANIFEST_NAME:
            files.append(path)
    return sorted(files)


def _read_one(reader, file: Path, meta: Mapping[str, object], max_bytes: int) -> Iterator[Document | Skipped]:
    try:
        yield from reader(file, meta, max_bytes)
    except IngestError as exc:
        yield Skipped(source=str(file), reason=str(exc))
    except OSError as exc:
        yield Skipped(source=str(file), reason=f"{file.name}: cannot be read ({exc.strerror or exc})")
    except Exception as exc:  # a reader bug must not end the run; the traceback goes to the debug log
        log.debug("reader failed on %s", file, exc_info=True)
        yield Skipped(source=str(file), reason=f"{file.name}: unexpected {type(exc).__name__}: {exc}")


class _Manifests:
    """Manifests by folder, each read once; its problems are reported once, before the folder's files."""

    def __init__(self) -> None:
        self._entries: dict[Path, dict[str, dict[str, object]]] = {}
        self._problems: dict[Path, list[Skipped]] = {}

    def meta(self, file: Path) -> dict[str, object]:
        return self._load(file.parent).get(file.name, {})

    def problems(self, folder: Path) -> list[Skipped]:
        self._load(folder)
        return self._problems.pop(folder.resolve(), [])

    def _load(self, folder: Path) -> dict[str, dict[str, object]]:
        key = folder.resolve()
        if key not in self._entries:
            self._entries[key], self._problems[key] = load_manifest(folder)
        return self._entries[key]


def load_manifest(folder: str | os.PathLike) -> tuple[dict[str, dict[str, object]], list[Skipped]]:
    """The metadata `folder/manifest.jsonl` gives, by file name, and a `Skipped` for each unusable line."""
    path = Path(folder) / MANIFEST_NAME
    entries: dict[str, dict[str, object]] = {}
    problems: list[Skipped] = []
    if not path.is_file():
        return entries, problems
    try:
        text = decode_bytes(path.read_bytes(), str(path))
    except (IngestError, OSError) as exc:
        return entries, [Skipped(source=str(path), reason=f"{path}: manifest unreadable ({exc})")]
    for _number, where, row, problem in json_lines(text, str(path)):
        if problem:
            problems.append(Skipped(source=str(path), reason=problem))
            continue
        if not isinstance(row, dict) or not isinstance(row.get("file"), str) or not row["file"].strip():
            problems.append(Skipped(source=str(path), reason=f"{where}: needs an object with a 'file' name"))
            continue
        name = Path(row["file"].strip()).name
        entries[name] = pick_meta(row)
        if not (Path(folder) / name).exists():
            log.warning("%s names %s, which is not in the folder", where, name)
    return entries, problems
