"""Ingest: files and folders (text, HTML, JSONL, CSV) to `Document`s, with a `Skipped` for each bad input."""
from warledger.ingest.readers import READERS, read_limited
from warledger.ingest.records import Skipped, content_hash, make_document, parse_published
from warledger.ingest.sources import DEFAULT_MAX_BYTES, load_manifest, read_sources

__all__ = ["DEFAULT_MAX_BYTES", "READERS", "Skipped", "content_hash", "load_manifest", "make_document",
           "parse_published", "read_limited", "read_sources"]
