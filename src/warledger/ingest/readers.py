"""One reader per file format, registered in `READERS` by file suffix.

A reader is called as `reader(path, meta, max_bytes)`: `meta` is what the folder's manifest says about the
file (url, outlet, published, title, language). It yields `Document`s and, for rows it cannot use, `Skipped`s;
it raises `IngestError` (one line naming the file) when the whole file is unusable. Other modules add
readers by adding to `READERS` (feeds, WARC).
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from warledger.clean.budget import DEFAULT_LIMITS
from warledger.errors import IngestError
from warledger.ingest.decode import decode_bytes
from warledger.ingest.html import extract_page
from warledger.ingest.records import META_KEYS, Skipped, guarded, json_lines, make_document, pick_meta
from warledger.models import Document

Reader = Callable[[Path, Mapping[str, object], int], Iterator[Document | Skipped]]
_HTML_START = re.compile(r"\s*(<!doctype html|<html[\s>])", re.IGNORECASE)
_ROW_KEYS = {"id", "text", "html", *META_KEYS}


def read_limited(path: Path, max_bytes: int) -> bytes:
    """The bytes of `path`; IngestError when it is larger than `max_bytes` or empty."""
    size = path.stat().st_size
    if size > max_bytes:
        raise IngestError(f"{path.name}: {size:,} bytes, over the limit of {max_bytes:,} (max_bytes)")
    if size == 0:
        raise IngestError(f"{path.name}: empty file")
    return path.read_bytes()


def read_text_file(path: Path, meta: Mapping[str, object], max_bytes: int) -> Iterator[Document | Skipped]:
    """One document; a page saved as .txt that is really HTML is read as HTML."""
    text = decode_bytes(read_limited(path, max_bytes), path.name)
    if not text.strip():
        raise IngestError(f"{path.name}: no text (only white space)")
    if _HTML_START.match(text):
        page = extract_page(text, path.name, url=_str_or_none(meta.get("url")))
        yield make_document(path.stem, page.text, _with_page_meta(meta, page), path)
        return
    yield make_document(path.stem, text, meta, path)


def read_html_file(path: Path, meta: Mapping[str, object], max_bytes: int) -> Iterator[Document | Skipped]:
    html = decode_bytes(read_limited(path, max_bytes), path.name, html=True)
    page = extract_page(html, path.name, url=_str_or_none(meta.get("url")))
    yield make_document(path.stem, page.text, _with_page_meta(meta, page), path)


def read_jsonl_file(path: Path, meta: Mapping[str, object], max_bytes: int) -> Iterator[Document | Skipped]:
    """One document per line: an object with `text` or `html`, and optional id, url, outlet, published,
    title, language."""
    text = decode_bytes(read_limited(path, max_bytes), path.name)
    for number, where, row, problem in json_lines(text, path.name):
        if problem:
            yield Skipped(source=str(path), reason=problem)
            continue
        if not isinstance(row, dict):
            yield Skipped(source=str(path), reason=f"{where}: not a JSON object")
            continue
        yield guarded(lambda: _row_document(row, f"{path.stem}-{number}", where, meta, path), path, where)


def read_csv_file(path: Path, meta: Mapping[str, object], max_bytes: int) -> Iterator[Document | Skipped]:
    """One document per row; the header must name a `text` or an `html` column."""
    text = decode_bytes(read_limited(path, max_bytes), path.name)
    csv.field_size_limit(max(max_bytes, csv.field_size_limit()))  # article texts exceed the 128 KiB default
    reader = csv.DictReader(io.StringIO(text, newline=""))
    # "Text" or " title " name the same columns as "text" and "title"
    columns = [name.strip().lower() if name.strip().lower() in _ROW_KEYS else name.strip()
               for name in reader.fieldnames or []]
    if "text" not in columns and "html" not in columns:
        found = ", ".join(columns) or "none"
        raise IngestError(f"{path.name}: CSV has no 'text' or 'html' column (columns: {found})")
    reader.fieldnames = columns
    number = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Skipped(source=str(path), reason=f"{path.name} line {reader.line_num}: malformed CSV "
                                                   f"({exc}); rest of the file skipped")
            return
        number += 1
        if number > DEFAULT_LIMITS.max_rows:
            yield Skipped(source=str(path), reason=f"{path.name}: rows from row {number} on not read: over the "
                                                   f"limit of {DEFAULT_LIMITS.max_rows:,} rows per file (max_rows)")
            return
        where = f"{path.name} row {number}"
        yield guarded(lambda: _row_document(row, f"{path.stem}-{number}", where, meta, path), path, where)


def _row_document(row: Mapping[str, object], default_id: str, where: str, meta: Mapping[str, object],
                  path: Path) -> Document | Skipped:
    """A document from one JSONL/CSV row; the row's metadata wins over the manifest's."""
    doc_id = _str_or_none(row.get("id")) or default_id
    merged = {**meta, **pick_meta(row)}
    text = row.get("text")
    if isinstance(text, str) and text.strip():
        return make_document(doc_id, text, merged, path)
    html = row.get("html")
    if isinstance(html, str) and html.strip():
        try:
            page = extract_page(html, where, url=_str_or_none(merged.get("url")))
        except IngestError as exc:
            return Skipped(source=str(path), reason=str(exc))
        return make_document(doc_id, page.text, _with_page_meta(merged, page), path)
    return Skipped(source=str(path), reason=f"{where}: no 'text' or 'html' with content")


def _with_page_meta(meta: Mapping[str, object], page) -> dict[str, object]:
    """Title and date found in the page fill what the manifest or row leaves empty."""
    found = {"title": page.title, "published": page.published}
    return {**{k: v for k, v in found.items() if v}, **pick_meta(meta)}


def _str_or_none(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


READERS: dict[str, Reader] = {
    ".txt": read_text_file,
    ".html": read_html_file,
    ".htm": read_html_file,
    ".jsonl": read_jsonl_file,
    ".ndjson": read_jsonl_file,
    ".csv": read_csv_file,
}

# Readers of feeds, news-API exports and web archives (ingest/feeds.py, newsapi.py, warc.py); imported
# last because they build on the readers above. JSONL/CSV files of no news-API shape still go to those.
from warledger.ingest.feeds import read_feed_file  # noqa: E402
from warledger.ingest.newsapi import read_news_csv, read_news_json, read_news_jsonl  # noqa: E402
from warledger.ingest.warc import read_warc  # noqa: E402

READERS.update({".rss": read_feed_file, ".atom": read_feed_file, ".xml": read_feed_file,
                ".json": read_news_json, ".jsonl": read_news_jsonl, ".ndjson": read_news_jsonl,
                ".csv": read_news_csv, ".warc": read_warc, ".gz": read_warc})
