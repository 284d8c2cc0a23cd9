"""WARC files (web archives, read with warcio): one document per archived HTML page.

Only successful (HTTP 2xx) `response` records and `resource` records holding HTML or plain text are read;
the rest (requests, metadata, images, scripts, redirects) are passed over. The size limit applies to each
record, not the file: archives are large by nature.
"""
from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from pathlib import Path

from warledger.errors import IngestError
from warledger.ingest.decode import decode_bytes
from warledger.ingest.html import extract_page
from warledger.ingest.language import detect_language
from warledger.ingest.records import Skipped, guarded, make_document
from warledger.models import Document, stable_id

log = logging.getLogger(__name__)

WARC_SUFFIXES = (".warc", ".warc.gz")


def is_warc(path: Path) -> bool:
    return path.name.lower().endswith(WARC_SUFFIXES)


def _page_record(record) -> tuple[str, str] | None:
    """(uri, content type) of a record that holds a page, or None for anything else."""
    if record.rec_type not in ("response", "resource"):
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    if record.rec_type == "response":
        if record.http_headers is None:
            return None
        status = record.http_headers.get_statuscode() or ""
        if not status.startswith("2"):
            return None
        content_type = record.http_headers.get_header("Content-Type") or ""
    else:
        content_type = record.rec_headers.get_header("Content-Type") or ""
    content_type = content_type.split(";")[0].strip().lower()
    if content_type not in ("text/html", "application/xhtml+xml", "text/plain"):
        return None
    return uri, content_type


def read_warc(path: Path, meta: Mapping[str, object], max_bytes: int) -> Iterator[Document | Skipped]:
    """The READERS entry for .warc and .warc.gz files: a document per page, a Skipped per unusable page."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    if not is_warc(path):
        raise IngestError(f"{path.name}: a compressed file that is not a WARC (.warc.gz)")
    pages = 0
    try:
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                page = _page_record(record)
                if page is None:
                    continue
                uri, content_type = page
                where = f"{path.name} {uri or 'record'}"
                body = record.content_stream().read(max_bytes + 1)
                if len(body) > max_bytes:
                    yield Skipped(source=str(path), reason=f"{where}: over the limit of {max_bytes:,} bytes")
                    continue
                pages += 1
                yield guarded(lambda: _page_document(body, content_type, uri, where, meta, path), path, where)
    except ArchiveLoadFailed as exc:
        raise IngestError(f"{path.name}: not a readable WARC file ({exc})") from exc
    except (OSError, EOFError, ValueError) as exc:  # truncated gzip, a cut record: the pages read are kept
        yield Skipped(source=str(path), reason=f"{path.name}: archive cut short after {pages} page(s) "
                                               f"({type(exc).__name__}: {exc})")
        return
    if not pages:
        yield Skipped(source=str(path), reason=f"{path.name}: no HTML or text pages in the archive")


def _page_document(body: bytes, content_type: str, uri: str, where: str, meta: Mapping[str, object],
                   path: Path) -> Document | Skipped:
    try:
        if content_type == "text/plain":
            text, found = decode_bytes(body, where), {}
        else:
            page = extract_page(decode_bytes(body, where, html=True), where, url=uri or None)
            text, found = page.text, {"title": page.title, "published": page.published}
    except IngestError as exc:
        return Skipped(source=str(path), reason=str(exc))
    # The archive's own date is when the page was crawled, not published: only the page's date is used.
    # A manifest line describes the whole archive: only its outlet applies to each page.
    page_meta = {**{k: v for k, v in found.items() if v}, "outlet": meta.get("outlet"), "url": uri or None,
                 "language": detect_language(text) or meta.get("language")}
    return make_document(stable_id("warc-", uri or where), text, page_meta, path)
