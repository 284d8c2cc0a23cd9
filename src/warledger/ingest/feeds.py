"""RSS and Atom feeds (feedparser): one document per entry, from its full content or its summary.

The network is used only when the caller allows it (`fetch=True`, the CLI's `--fetch`): then a feed may
be given as a URL, and an entry that carries only a summary has its linked page fetched, with a timeout,
a size limit and a user agent that names warledger.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
import urllib.error
import urllib.request
from collections.abc import Container, Iterator, Mapping
from pathlib import Path

from warledger.clean.budget import DEFAULT_LIMITS
from warledger.errors import IngestError
from warledger.ingest.language import detect_language
from warledger.ingest.readers import read_limited
from warledger.ingest.records import Skipped, guarded, make_document
from warledger.models import Document, stable_id

log = logging.getLogger(__name__)

USER_AGENT = "warledger/0.1 (+conflict-event research)"
FETCH_TIMEOUT_S = 20.0
FETCH_MAX_BYTES = 5_000_000
FEED_SUFFIXES = (".rss", ".atom", ".xml")
# An entry whose text is shorter than this is taken for a teaser: with fetch allowed, its page is fetched.
FULL_TEXT_MIN_CHARS = 600
_BLOCK_TAGS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section",
               "article", "header", "footer", "pre", "figure", "figcaption")


def is_url(source: str | Path) -> bool:
    return str(source).startswith(("http://", "https://"))


def fetch_url(url: str, timeout: float = FETCH_TIMEOUT_S, max_bytes: int = FETCH_MAX_BYTES) -> bytes:
    """The body at `url`; IngestError (naming the URL) on a network error, a bad status or too many bytes."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(max_bytes + 1)
    except urllib.error.HTTPError as exc:
        raise IngestError(f"{url}: HTTP {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise IngestError(f"{url}: cannot fetch ({reason})") from exc
    if len(body) > max_bytes:
        raise IngestError(f"{url}: larger than the limit of {max_bytes:,} bytes")
    return body


def html_fragment_text(html: str) -> str:
    """Plain text of a feed's HTML fragment: tags dropped, blocks as paragraphs apart by a blank line."""
    if "<" not in html:
        return "\n\n".join(p.strip() for p in re.split(r"\n\s*\n", html) if p.strip())
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (lxml.etree.LxmlError, ValueError):  # markup lxml cannot parse: keep the text without tags
        return re.sub(r"<[^>]+>", " ", html).strip()
    for bad in root.xpath(".//script|.//style"):
        bad.drop_tree()
    for element in root.iter(*_BLOCK_TAGS):
        element.tail = "\n\n" + (element.tail or "")
        if element.tag != "br":
            element.text = "\n\n" + (element.text or "")
    text = root.text_content()
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n", text))
    return "\n\n".join(p for p in paragraphs if p)


def with_headline(title: str | None, text: str) -> str:
    """The text led by its headline as the first paragraph, as in a saved page (headlines carry claims)."""
    if not title or not text or text.startswith(title):
        return text
    return f"{title}\n\n{text}"


def _entry_date(entry) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
            except (ValueError, TypeError, AttributeError):
                continue
    return None


def _entry_text(entry) -> tuple[str, bool]:
    """The entry's text and whether it is the full content (else a summary)."""
    for content in entry.get("content") or []:
        text = html_fragment_text(content.get("value") or "")
        if text:
            return text, True
    return html_fragment_text(entry.get("summary") or entry.get("description") or ""), False


def _language(value: str | None) -> str | None:
    return value.split("-")[0].lower() if value else None


def entry_id(entry, feed_source: str) -> str:
    """A stable id: the same entry read again, from the same or another copy of the feed, gets the same id."""
    key = entry.get("id") or entry.get("link") or f"{feed_source}|{entry.get('title')}|{_entry_date(entry)}"
    return stable_id("feed-", key)


def parse_feed(data: bytes, name: str):
    """feedparser's result for the bytes of a feed; IngestError when they hold no feed."""
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries and (parsed.bozo or not parsed.feed):
        problem = getattr(parsed, "bozo_exception", None)
        raise IngestError(f"{name}: not an RSS or Atom feed" + (f" ({problem})" if problem else ""))
    return parsed


def feed_documents(parsed, source: str, meta: Mapping[str, object] | None = None, fetch: bool = False,
                   timeout: float = FETCH_TIMEOUT_S, max_bytes: int = FETCH_MAX_BYTES,
                   known_ids: Container[str] = ()) -> Iterator[Document | Skipped]:
    """One document per entry of a parsed feed (a Skipped for an entry with no text); entries whose id is
    in `known_ids` are passed over before anything is fetched for them."""
    meta = dict(meta or {})
    outlet = meta.get("outlet") or parsed.feed.get("title")
    feed_language = meta.get("language") or _language(parsed.feed.get("language"))
    for number, entry in enumerate(parsed.entries, start=1):
        if number > DEFAULT_LIMITS.max_rows:
            yield Skipped(source=source, reason=f"{source}: entries from entry {number} on not read: over the "
                                                f"limit of {DEFAULT_LIMITS.max_rows:,} (max_rows)")
            return
        item = guarded(lambda: _entry_document(entry, number, source, meta, outlet, feed_language, fetch,
                                               timeout, max_bytes, known_ids),
                       source, f"{source} entry {number}")
        if item is not None:
            yield item
    if not parsed.entries:
        yield Skipped(source=source, reason=f"{source}: a feed with no entries")


def _entry_document(entry, number: int, source: str, meta: Mapping[str, object], outlet, feed_language,
                    fetch: bool, timeout: float, max_bytes: int,
                    known_ids: Container[str]) -> Document | Skipped | None:
    """The document of one feed entry (None when it is already stored)."""
    doc_id = entry_id(entry, source)
    if doc_id in known_ids:
        return None
    where = f"{source} entry {number}"
    body, full = _entry_text(entry)
    link = entry.get("link")
    entry_meta = {"url": link, "outlet": outlet, "published": _entry_date(entry),
                  "title": html_fragment_text(entry.get("title") or "") or None,
                  "language": _language(entry.get("language")) or feed_language}
    text = with_headline(entry_meta["title"], body)
    if fetch and link and not (full and len(body) >= FULL_TEXT_MIN_CHARS):
        try:
            page = fetch_page(link, timeout, max_bytes)
            text = page.text  # a page's text starts with its own headline
            entry_meta["published"] = entry_meta["published"] or page.published
        except IngestError as exc:
            log.warning("%s: page not fetched, keeping the feed's text (%s)", where, exc)
    if not text.strip():
        return Skipped(source=source, reason=f"{where}: no text in the entry"
                                             + ("" if fetch else " (pass --fetch to fetch its page)"))
    # A feed's declared language is often the site's default: the text's own language wins.
    entry_meta["language"] = detect_language(text) or entry_meta["language"]
    return make_document(doc_id, text, entry_meta, source)


def fetch_page(url: str, timeout: float = FETCH_TIMEOUT_S, max_bytes: int = FETCH_MAX_BYTES):
    """The article text, title and date of the page at `url` (a PageText); IngestError when it fails."""
    from warledger.ingest.decode import decode_bytes
    from warledger.ingest.html import extract_page

    html = decode_bytes(fetch_url(url, timeout, max_bytes), url, html=True)
    return extract_page(html, url, url=url)


def read_feed(url_or_path: str | Path, fetch: bool = False, max_bytes: int = FETCH_MAX_BYTES,
              timeout: float = FETCH_TIMEOUT_S, meta: Mapping[str, object] | None = None,
              known_ids: Container[str] = ()) -> Iterator[Document | Skipped]:
    """Documents from an RSS/Atom feed, a file or (with `fetch=True`) a URL; never raises for bad input.

    With `fetch=True` an entry that gives only a summary has its linked page fetched and extracted.
    Entries whose document id is in `known_ids` (already stored) are passed over, and nothing is fetched
    for them.
    """
    source = str(url_or_path)
    try:
        if is_url(source):
            if not fetch:
                yield Skipped(source=source,
                              reason=f"{source}: a feed URL needs network access (pass --fetch)")
                return
            data = fetch_url(source, timeout, max_bytes)
        else:
            data = read_limited(Path(source), max_bytes)
        parsed = parse_feed(data, source)
    except IngestError as exc:
        yield Skipped(source=source, reason=str(exc))
        return
    except OSError as exc:
        yield Skipped(source=source, reason=f"{source}: cannot be read ({exc.strerror or exc})")
        return
    yield from feed_documents(parsed, source, meta, fetch=fetch, timeout=timeout, max_bytes=max_bytes,
                              known_ids=known_ids)


def read_feed_file(path: Path, meta: Mapping[str, object], max_bytes: int) -> Iterator[Document | Skipped]:
    """The READERS entry for .rss/.atom/.xml files (no network: entries give their own text)."""
    parsed = parse_feed(read_limited(path, max_bytes), path.name)
    yield from feed_documents(parsed, str(path), meta)
