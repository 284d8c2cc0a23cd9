"""Main text, title and date of an HTML page, through trafilatura (which uses htmldate for dates)."""
from __future__ import annotations

from dataclasses import dataclass

from warledger.errors import IngestError


@dataclass(frozen=True)
class PageText:
    text: str                 # paragraphs separated by one blank line
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD as htmldate found it


def extract_page(html: str, name: str, url: str | None = None) -> PageText:
    """The article in `html` (from `name`, for messages); raises IngestError when the page has no text."""
    import trafilatura  # slow import: only when HTML is read

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
