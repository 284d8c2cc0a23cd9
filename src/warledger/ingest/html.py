"""Main text, title and date of an HTML page, through trafilatura (which uses htmldate for dates)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from warledger.clean.budget import DEFAULT_LIMITS, Limits
from warledger.errors import IngestError

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^<>]*?(/?)>")
# Elements that never hold others, or that the next one of their kind closes (<p>, <li> without </p>).
_NOT_NESTING = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "!doctype"}


@dataclass(frozen=True)
class PageText:
    text: str                 # paragraphs separated by one blank line
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD as htmldate found it


def extract_page(html: str, name: str, url: str | None = None) -> PageText:
    """The article in `html` (from `name`, for messages); raises IngestError when the page has no text, or
    is nested deeper or holds more character references than the limits."""
    import trafilatura  # slow import: only when HTML is read

    check_html_budget(html, name)

    page = None
    for recall in (False, True):  # a short page may fall below trafilatura's precision threshold
        try:
            page = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                               include_tables=True, favor_recall=recall)
        except Exception as exc:  # trafilatura raises assorted lxml errors on broken markup
            raise IngestError(f"{name}: HTML could not be parsed ({type(exc).__name__}: {exc})") from exc
        if page is not None and (page.text or "").strip():
            break
    if page is None or not (page.text or "").strip():
        raise IngestError(f"{name}: no article text found in the HTML")
    # trafilatura puts one paragraph a line; the contract wants paragraphs apart by a blank line.
    paragraphs = [line.strip() for line in page.text.splitlines() if line.strip()]
    return PageText(text="\n\n".join(paragraphs), title=(page.title or None), published=(page.date or None))


def check_html_budget(html: str, name: str, limits: Limits = DEFAULT_LIMITS) -> None:
    """IngestError when `html` nests elements deeper than `max_html_depth` or holds more than
    `max_html_entities` character references ("&..."); one linear pass, before any parser sees it."""
    entities = html.count("&")
    if entities > limits.max_html_entities:
        raise IngestError(f"{name}: {entities:,} character references (&...), over the limit of "
                          f"{limits.max_html_entities:,} (max_html_entities)")
    depth = deepest = 0
    for match in _TAG.finditer(html):
        closing, tag, self_closing = match.groups()
        if self_closing or tag.lower() in _NOT_NESTING:
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        if depth > deepest:
            deepest = depth
            if deepest > limits.max_html_depth:
                raise IngestError(f"{name}: HTML nested over {limits.max_html_depth} elements deep "
                                  "(max_html_depth)")
