"""Exports of common news APIs (NewsAPI, Media Cloud, GDELT DOC) as JSON, JSONL or CSV, to documents.

The shape of a file is told by the field names of its first row (`newsapi.yaml`); each shape's fields are
mapped to a document's. A JSONL or CSV file of no known shape goes to the plain JSONL/CSV reader. Rows
without text (GDELT DOC gives only url and title) are skipped unless the caller allows fetching the page.
"""
from __future__ import annotations

import csv
import functools
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from importlib import resources
from pathlib import Path

import yaml

from warledger.clean.budget import DEFAULT_LIMITS
from warledger.errors import IngestError
from warledger.ingest.decode import decode_bytes
from warledger.ingest.feeds import fetch_page, with_headline
from warledger.ingest.readers import read_csv_file, read_jsonl_file, read_limited
from warledger.ingest.records import Skipped, guarded, json_lines, make_document
from warledger.models import Document, stable_id

_GDELT_SEENDATE = re.compile(r"^(\d{4})(\d{2})(\d{2})T\d{6}Z?$")


@functools.lru_cache(maxsize=1)
def _config() -> dict:
    text = resources.files("warledger.ingest").joinpath("newsapi.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _get(row: Mapping, key: str):
    """A row's value for `key`: the flat key itself ("source.name" in a CSV), else the nested path."""
    if key in row:
        return row[key]
    value: object = row
    for part in key.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def detect_shape(row: Mapping) -> str | None:
    """The news-API shape a row is in (`newsapi`, `mediacloud`, `gdelt_doc`), or None."""
    for name, shape in _config()["shapes"].items():
        if all(_get(row, key) is not None for key in shape["detect"]):
            return name
    return None


def _first(row: Mapping, keys: Iterable[str]) -> str | None:
    for key in keys:
        value = _get(row, key)
        if value not in (None, ""):
            return str(value).strip() or None
    return None


def _language_code(value: str | None) -> str | None:
    """ISO 639-1 from a code or a name ("en", "eng", "English"); None when unknown."""
    if not value:
        return None
    import pycountry

    value = value.strip()
    if len(value) == 2:  # lookup() would match "en" to the name of the En language, not to English
        found = pycountry.languages.get(alpha_2=value.lower())
        return found.alpha_2 if found else None
    try:
        language = pycountry.languages.lookup(value)
    except LookupError:
        return None
    return getattr(language, "alpha_2", None)


def _published(value: str | None) -> str | None:
    match = _GDELT_SEENDATE.match(value or "")
    return "-".join(match.groups()) if match else value


def map_row(row: Mapping, shape: str) -> dict:
    """A row's fields under a document's names: id, url, title, outlet, published, text, summary, language."""
    fields = _config()["shapes"][shape]["fields"]
    mapped = {name: _first(row, keys) for name, keys in fields.items()}
    mapped["published"] = _published(mapped["published"])
    mapped["language"] = _language_code(mapped["language"])
    text = mapped["text"] or ""
    truncated = re.search(_config()["truncation_marker"], text) is not None
    mapped["text"] = re.sub(_config()["truncation_marker"], "", text).strip() or None
    mapped["truncated"] = truncated
    return mapped


def row_document(row: Mapping, shape: str, where: str, source: Path | str,
                 meta: Mapping[str, object] | None = None, fetch: bool = False) -> Document | Skipped:
    """A document from one news-API row (a Skipped naming the row when it has no text)."""
    mapped = map_row(row, shape)
    merged = {**(meta or {}), **{k: v for k, v in mapped.items()
                                 if k in ("url", "title", "outlet", "published", "language") and v}}
    parts = [p for p in (mapped["summary"], mapped["text"]) if p]
    if len(parts) == 2 and parts[1].startswith(parts[0][:80]):
        parts = parts[1:]
    text = with_headline(mapped["title"], "\n\n".join(dict.fromkeys(parts)))
    if fetch and mapped["url"] and (not text or mapped["truncated"]):
        try:
            page = fetch_page(mapped["url"])
            text = page.text  # a page's text starts with its own headline
            merged.setdefault("published", page.published)
        except IngestError as exc:
            if not text:
                return Skipped(source=str(source), reason=f"{where}: no text, and its page: {exc}")
    if not text:
        hint = "" if fetch else " (pass --fetch to fetch the page at its url)"
        return Skipped(source=str(source), reason=f"{where}: {shape} row without text{hint}")
    doc_id = (f"{shape}-{mapped['id']}" if mapped["id"]
              else stable_id("url-", mapped["url"]) if mapped["url"] else stable_id("row-", where))
    return make_document(doc_id, text, merged, source)


def news_rows(rows: Iterable[Mapping], source: Path | str, label: str,
              meta: Mapping[str, object] | None = None,
              fetch: bool = False) -> Iterator[Document | Skipped]:
    """Documents from rows of one export; each row's shape is detected (rows of no shape are skipped)."""
    for number, row in enumerate(rows, start=1):
        where = f"{label} row {number}"
        if number > DEFAULT_LIMITS.max_rows:
            yield Skipped(source=str(source), reason=f"{label}: rows from row {number} on not read: over the "
                                                     f"limit of {DEFAULT_LIMITS.max_rows:,} rows (max_rows)")
            return
        shape = detect_shape(row) if isinstance(row, Mapping) else None
        if shape is None:
            yield Skipped(source=str(source), reason=f"{where}: not a row of a known news-API export")
            continue
        yield guarded(lambda: row_document(row, shape, where, source, meta, fetch), source, where)


def read_news_json(path: Path, meta: Mapping[str, object], max_bytes: int,
                   fetch: bool = False) -> Iterator[Document | Skipped]:
    """A .json file: an API response with an `articles` (NewsAPI, GDELT) or `results` list, or a bare list."""
    text = decode_bytes(read_limited(path, max_bytes), path.name)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise IngestError(f"{path.name}: malformed JSON ({exc.msg}, line {exc.lineno})") from exc
    except (RecursionError, ValueError) as exc:
        raise IngestError(f"{path.name}: unreadable JSON ({type(exc).__name__}: nested too deep, or a "
                          "number too long)") from exc
    if isinstance(data, Mapping):
        lists = (data[k] for k in ("articles", "results", "stories") if isinstance(data.get(k), list))
        rows = next(lists, None)
        if rows is None:
            raise IngestError(f"{path.name}: JSON object without an 'articles', 'results' or 'stories' list")
    elif isinstance(data, list):
        rows = data
    else:
        raise IngestError(f"{path.name}: JSON that is neither an object nor a list")
    yield from news_rows(rows, path, path.name, meta, fetch)


def read_news_jsonl(path: Path, meta: Mapping[str, object], max_bytes: int,
                    fetch: bool = False) -> Iterator[Document | Skipped]:
    """A .jsonl file: news-API rows when its first row has a known shape, else the plain JSONL reader."""
    text = decode_bytes(read_limited(path, max_bytes), path.name)
    lines = [line for line in text.splitlines() if line.strip()]
    try:
        first = json.loads(lines[0]) if lines else None
    except (ValueError, RecursionError):  # its problem is reported by the reader that reads it
        first = None
    if not isinstance(first, Mapping) or detect_shape(first) is None:
        yield from read_jsonl_file(path, meta, max_bytes)
        return
    for _number, where, row, problem in json_lines(text, path.name, unit="row"):
        if problem:
            yield Skipped(source=str(path), reason=problem)
            continue
        shape = detect_shape(row) if isinstance(row, Mapping) else None
        yield (guarded(lambda: row_document(row, shape, where, path, meta, fetch), path, where) if shape
               else Skipped(source=str(path), reason=f"{where}: not a row of a known news-API export"))


def read_news_csv(path: Path, meta: Mapping[str, object], max_bytes: int,
                  fetch: bool = False) -> Iterator[Document | Skipped]:
    """A .csv file: news-API rows when its header has a known shape, else the plain CSV reader."""
    text = decode_bytes(read_limited(path, max_bytes), path.name)
    csv.field_size_limit(max(max_bytes, csv.field_size_limit()))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = {name.strip(): "x" for name in reader.fieldnames or []}
    if detect_shape(header) is None:
        yield from read_csv_file(path, meta, max_bytes)
        return
    reader.fieldnames = list(header)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise IngestError(f"{path.name} line {reader.line_num}: malformed CSV ({exc})") from exc
    yield from news_rows(rows, path, path.name, meta, fetch)


NEWS_READERS = {".json": read_news_json, ".jsonl": read_news_jsonl, ".ndjson": read_news_jsonl,
                ".csv": read_news_csv}


def read_news_export(path: str | Path, fetch: bool = False, max_bytes: int = 20_000_000,
                     meta: Mapping[str, object] | None = None) -> Iterator[Document | Skipped]:
    """Documents from a news-API export file (.json, .jsonl or .csv); never raises for bad input.

    With `fetch=True` rows without text, or with NewsAPI's cut-off text, have their page fetched.
    """
    path = Path(path)
    reader = NEWS_READERS.get(path.suffix.lower())
    if reader is None:
        yield Skipped(source=str(path), reason=f"{path.name}: not a .json, .jsonl or .csv export")
        return
    try:
        yield from reader(path, meta or {}, max_bytes, fetch)
    except IngestError as exc:
        yield Skipped(source=str(path), reason=str(exc))
    except OSError as exc:
        yield Skipped(source=str(path), reason=f"{path.name}: cannot be read ({exc.strerror or exc})")
