"""Inputs we made (tests/cases/interop): RSS and Atom feeds, news-API exports of each shape, a saved site
folder, a WARC archive; fetching from a local server only; language detection."""
from __future__ import annotations

import datetime as dt
import http.server
import json
import threading
from pathlib import Path

import pytest
from shared_paths import SEEDS

from warledger.ingest import READERS, Skipped, read_sources
from warledger.ingest.feeds import USER_AGENT, read_feed
from warledger.ingest.language import detect_language, is_english
from warledger.ingest.newsapi import detect_shape, map_row, read_news_export
from warledger.models import Document

CASES = Path(__file__).resolve().parent / "cases" / "interop"
FEEDS, NEWSAPI, SITE = CASES / "feeds", CASES / "newsapi", CASES / "site"


def split(items):
    items = list(items)
    return [i for i in items if isinstance(i, Document)], [i for i in items if isinstance(i, Skipped)]


# -- a local web server (tests never use the network) -------------------------------------------------
class _Handler(http.server.BaseHTTPRequestHandler):
    pages: dict[str, tuple[str, bytes]] = {}
    agents: list[str] = []

    def do_GET(self):
        self.agents.append(self.headers.get("User-Agent", ""))
        content_type, body = self.pages.get(self.path, ("text/plain", b""))
        self.send_response(200 if self.path in self.pages else 404)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    _Handler.pages, _Handler.agents = {}, []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", _Handler
    httpd.shutdown()
    httpd.server_close()


# -- feeds ----------------------------------------------------------------------------------------
def test_rss_entries_give_documents_from_full_content_or_summary():
    docs, skipped = split(read_feed(FEEDS / "frontline-wire.rss"))
    assert [d.title for d in docs] == ["Shelling hits market in Tartar, two civilians killed",
                                       "Drone shot down over Tovuz, ministry says"]
    market = docs[0]
    paragraphs = market.text.split("\n\n")
    assert paragraphs[0] == market.title  # the headline leads, as in a saved page
    assert paragraphs[2] == ("Two civilians were killed and at least five were wounded, "
                             "the ministry said in a statement.")
    assert "trackVisit" not in market.text  # scripts in the content are not text
    assert (market.outlet, market.published, market.language) == ("Frontline Wire", dt.date(2020, 10, 12),
                                                                   "en")
    assert market.url == "https://frontline-wire.example/news/tartar-market-shelling"
    assert docs[1].text == ("Drone shot down over Tovuz, ministry says\n\nAir defence units shot down a "
                            "drone over the Tovuz district on Monday morning, the ministry said.")
    assert len(skipped) == 1 and "entry 3: no text" in skipped[0].reason and "--fetch" in skipped[0].reason


def test_atom_entries_and_their_language_are_read():
    docs, skipped = split(read_feed(FEEDS / "caucasus-monitor.atom"))
    assert not skipped
    assert [(d.outlet, d.published, d.language) for d in docs] == [
        ("Caucasus Monitor", dt.date(2020, 10, 13), "en"), ("Caucasus Monitor", dt.date(2020, 10, 13), "ru")]
    assert docs[0].text.endswith("The talks will be mediated by the co-chairs of the Minsk Group.")


def test_feed_entry_ids_are_stable_across_reads_and_copies(tmp_path):
    first = [d.doc_id for d in split(read_feed(FEEDS / "frontline-wire.rss"))[0]]
    copy = tmp_path / "again.rss"
    copy.write_bytes((FEEDS / "frontline-wire.rss").read_bytes())
    assert [d.doc_id for d in split(read_feed(copy))[0]] == first
    assert len(set(first)) == len(first)


def test_feeds_are_read_through_the_folder_readers():
    assert {".rss", ".atom", ".xml", ".json", ".warc", ".gz"} <= set(READERS)
    docs, skipped = split(read_sources([FEEDS]))
    assert len(docs) == 4 and len(skipped) == 1


def test_feed_url_needs_fetch_and_bad_feed_is_a_named_skip(tmp_path):
    _, skipped = split(read_feed("https://feeds.example/rss"))
    assert "needs network access (pass --fetch)" in skipped[0].reason
    not_feed = tmp_path / "notes.xml"
    not_feed.write_text("<html><body><p>not a feed</p>")
    _, skipped = split(read_feed(not_feed))
    assert skipped[0].reason.startswith(f"{not_feed}: not an RSS or Atom feed")


def test_fetch_reads_a_feed_url_and_fetches_pages_of_summary_entries(server):
    base, handler = server
    feed = (FEEDS / "frontline-wire.rss").read_text().replace("https://frontline-wire.example", base)
    handler.pages["/feed.rss"] = ("application/rss+xml", feed.encode())
    page = (SITE / "news/2020/10/tovuz-drone.html").read_bytes()
    handler.pages["/news/tovuz-drone"] = ("text/html; charset=utf-8", page)
    docs, skipped = split(read_feed(f"{base}/feed.rss", fetch=True))
    drone = next(d for d in docs if d.url.endswith("/news/tovuz-drone"))
    assert "crossed the state border from the north-west" in drone.text  # the page, not the summary
    market = next(d for d in docs if "tartar" in d.url)
    assert "Two civilians were killed" in market.text  # a 404 on its page keeps the feed's text
    assert "entry 3: no text" in skipped[0].reason  # the gallery page does not exist on the server
    assert set(handler.agents) == {USER_AGENT}


def test_fetch_refuses_a_body_over_the_size_limit(server):
    base, handler = server
    handler.pages["/big.rss"] = ("application/rss+xml", b"<rss>" + b" " * 5000 + b"</rss>")
    _, skipped = split(read_feed(f"{base}/big.rss", fetch=True, max_bytes=1000))
    assert skipped[0].reason == f"{base}/big.rss: larger than the limit of 1,000 bytes"


# -- news-API exports -------------------------------------------------------------------------------
def test_each_news_api_shape_is_told_by_its_fields():
    newsapi_row = json.loads((NEWSAPI / "newsapi-everything.json").read_text())["articles"][0]
    gdelt_row = json.loads((NEWSAPI / "gdelt-doc-artlist.jsonl").read_text().splitlines()[0])
    assert detect_shape(newsapi_row) == "newsapi"
    assert detect_shape(gdelt_row) == "gdelt_doc"
    mediacloud_row = {"id": 1, "url": "u", "publish_date": "2020-10-15", "media_name": "m"}
    assert detect_shape(mediacloud_row) == "mediacloud"
    assert detect_shape({"text": "plain row", "url": "u"}) is None
    mapped = map_row(gdelt_row, "gdelt_doc")
    assert (mapped["published"], mapped["language"], mapped["outlet"]) == ("2020-10-16", "en",
                                                                         "news-portal.example")


def test_newsapi_json_maps_fields_and_drops_the_truncation_marker():
    docs, skipped = split(read_news_export(NEWSAPI / "newsapi-everything.json"))
    fuzuli = docs[0]
    assert (fuzuli.outlet, fuzuli.published, fuzuli.title) == ("Example Daily", dt.date(2020, 10, 13),
                                                               "Artillery strikes reported near Fuzuli")
    assert fuzuli.text.endswith("fighting that lasted until the evening")
    assert "chars]" not in fuzuli.text
    assert docs[1].text == ("Ceasefire holds in the morning\n\n"
                            "Residents of Barda said the night had been quiet for the first time in a week.")
    assert len(skipped) == 1 and "row 3: newsapi row without text" in skipped[0].reason


def test_mediacloud_csv_maps_fields_and_keeps_languages():
    docs, skipped = split(read_sources([NEWSAPI / "mediacloud-stories.csv"]))
    assert [(d.doc_id, d.outlet, d.language, d.published) for d in docs] == [
        ("mediacloud-mc-7001", "Regional Herald", "en", dt.date(2020, 10, 15)),
        ("mediacloud-mc-7003", "Vestnik Example", "ru", dt.date(2020, 10, 15))]
    assert "row 2: mediacloud row without text" in skipped[0].reason


def test_gdelt_rows_without_text_are_skipped_unless_fetch_is_allowed(server, tmp_path):
    _, skipped = split(read_sources([NEWSAPI / "gdelt-doc-artlist.jsonl"]))
    assert len(skipped) == 2 and all("--fetch" in s.reason for s in skipped)
    base, handler = server
    handler.pages["/barda"] = ("text/html", (SITE / "news/2020/10/barda-rocket.html").read_bytes())
    local = tmp_path / "gdelt-local.jsonl"
    row = json.loads((NEWSAPI / "gdelt-doc-artlist.jsonl").read_text().splitlines()[0])
    local.write_text(json.dumps({**row, "url": f"{base}/barda"}) + "\n")
    docs, _ = split(read_news_export(local, fetch=True))
    assert len(docs) == 1
    assert docs[0].text.split("\n\n")[1].startswith("A rocket hit a residential street in the town of Barda")
    assert (docs[0].outlet, docs[0].published) == ("news-portal.example", dt.date(2020, 10, 16))


def test_plain_jsonl_rows_still_go_to_the_plain_reader(tmp_path):
    plain = tmp_path / "plain.jsonl"
    plain.write_text(json.dumps({"id": "p1", "text": "Shelling was reported near Barda on Friday.",
                                 "outlet": "Own Notes"}) + "\n")
    docs, _ = split(read_sources([plain]))
    assert [(d.doc_id, d.outlet) for d in docs] == [("p1", "Own Notes")]


# -- saved pages and web archives ----------------------------------------------------------------------
def test_saved_site_folder_gives_its_articles_without_furniture():
    docs, skipped = split(read_sources([SITE]))
    assert sorted(d.doc_id for d in docs) == ["barda-rocket", "tovuz-drone"]
    assert not skipped  # stylesheets and scripts are passed over
    barda = next(d for d in docs if d.doc_id == "barda-rocket")
    assert barda.outlet == "Regional Herald" and barda.published == dt.date(2020, 10, 15)
    assert "killing one person and wounding four others" in barda.text
    for furniture in ("Share on Facebook", "Leave a Reply", "All rights reserved", "Home /"):
        assert furniture not in barda.text


def test_warc_gives_one_document_per_archived_article():
    docs, skipped = split(read_sources([CASES / "regional-herald.warc.gz"]))
    assert not skipped  # requests, the image, the 404 page and the redirect are not documents
    assert [(d.url, d.published, d.language) for d in docs] == [
        ("https://regional-herald.example/news/2020/10/barda-rocket.html", dt.date(2020, 10, 15), "en"),
        ("https://regional-herald.example/news/2020/10/tovuz-drone.html", dt.date(2020, 10, 12), "en")]
    saved = {d.doc_id: d for d in split(read_sources([SITE]))[0]}
    assert docs[0].content_hash == saved["barda-rocket"].content_hash  # the same page, archived or saved


def test_a_gz_file_that_is_not_a_warc_is_a_named_skip(tmp_path):
    import gzip
    other = tmp_path / "notes.txt.gz"
    other.write_bytes(gzip.compress(b"hello"))
    _, skipped = split(read_sources([other]))
    assert skipped[0].reason == "notes.txt.gz: a compressed file that is not a WARC (.warc.gz)"


# -- language ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "code"), [
    ("The defence ministry said two civilians were killed when shells hit the market overnight.", "en"),
    ("Министерство обороны сообщило, что ночью при обстреле рынка погибли двое мирных жителей.", "ru"),
    ("Le ministère de la Défense a indiqué que deux civils avaient été tués lors du bombardement.", "fr"),
    ("Müdafiə Nazirliyi bildirib ki, gecə bazarın atəşə tutulması nəticəsində iki mülki həlak olub.", "az"),
    ("Ok, thanks.", None), ("", None),
])
def test_detect_language(text, code):
    assert detect_language(text) == code


def test_seed_articles_are_english():
    if not SEEDS.is_dir():
        pytest.skip(f"the shared seed corpus is not at {SEEDS} (the repo's sibling ../shared)")
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    assert texts and all(is_english(t) for t in texts)
    assert not is_english("Утром в четверг ракета попала в жилой квартал Барды, погиб один человек.")
