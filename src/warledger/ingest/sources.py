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
        if path.is_dir():
            files, problems = folder_files(path)
            yield from problems
        else:
            files = [path]
        for file in files:
            try:
                key = file.resolve()
            except (OSError, RuntimeError) as exc:  # a symbolic link loop
                yield Skipped(source=str(file), reason=f"{file}: cannot be resolved ({exc})")
                continue
            if key in seen:
                continue
            seen.add(key)
            try:
                yield from _file_items(file, path, manifests, max_bytes)
            except Exception as exc:  # noqa: BLE001 - whatever one file does, the others are read
                log.debug("reading %s failed", file, exc_info=True)
                yield Skipped(source=str(file), reason=f"{file.name}: unexpected {type(exc).__name__}: {exc}")


def _file_items(file: Path, given: Path, manifests: _Manifests, max_bytes: int) -> Iterator[Document | Skipped]:
    yield from manifests.problems(file.parent)
    if file.name == MANIFEST_NAME:
        if not given.is_dir():
            yield Skipped(source=str(file), reason=f"{file}: a manifest (metadata for its folder), "
                                                   "not a document")
        return
    reader = READERS.get(file.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(READERS))
        yield Skipped(source=str(file), reason=f"{file.name}: unknown file type '{file.suffix}' "
                                               f"(readers exist for {known})")
        return
    yield from _read_one(reader, file, manifests.meta(file), max_bytes)


def folder_files(folder: Path) -> tuple[list[Path], list[Skipped]]:
    """Files under `folder` that a reader knows (and manifests), sorted, and a Skipped for each folder that
    cannot be listed and each symbolic link that leads out of `folder` (never followed). Hidden files and
    folders are left out; links to folders are not descended into (no loops)."""
    root = folder.resolve()
    files: list[Path] = []
    problems: list[Skipped] = []

    def unlisted(exc: OSError) -> None:
        name = exc.filename or folder
        problems.append(Skipped(source=str(name), reason=f"{name}: folder cannot be listed "
                                                          f"({exc.strerror or exc})"))

    for here, dirs, names in os.walk(folder, onerror=unlisted):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            path = Path(here) / name
            if name.startswith(".") or (path.suffix.lower() not in READERS and name != MANIFEST_NAME):
                continue
            if path.is_symlink() and not _inside(path, root):
                problems.append(Skipped(source=str(path), reason=f"{path}: a symbolic link to "
                                                                 f"{os.path.realpath(path)}, outside {folder}: "
                                                                 "not followed"))
                continue
            if path.is_file():
                files.append(path)
            elif path.is_symlink() or path.exists():  # a dangling link, a FIFO, a socket: nothing to read
                problems.append(Skipped(source=str(path), reason=f"{path}: not a regular file (a dangling link, "
                                                                 "a pipe or a device): not read"))
        for name in dirs:
            path = Path(here) / name
            if path.is_symlink() and not _inside(path, root):
                problems.append(Skipped(source=str(path), reason=f"{path}: a symbolic link to a folder outside "
                                                                 f"{folder}: not followed"))
    return sorted(files), problems


def _inside(path: Path, root: Path) -> bool:
    try:
        Path(os.path.realpath(path)).relative_to(root)
        return True
    except ValueError:
        return False


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
