"""Untrusted text stays text: hostile article text, titles, outlets, URLs and names, in the dashboard and the
static report, in Chromium.

The store is written here (payloads written for these tests): every text field an article can fill holds
markup that would set `window.__pwned` if the page ever inserted it as HTML or followed it as a link:
`<script>`, event handlers, SVG, `javascript:` URLs, an iframe, and template-looking text. The browser
context bypasses the Content-Security-Policy, so these tests check the escaping itself, not only the CSP
that would stop most of it anyway.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import quote

import pytest

from warledger.models import (
    Actor,
    Claim,
    Claimant,
    Contradiction,
    Document,
    Event,
    Evidence,
    FigureRange,
    Place,
    Report,
    Source,
    TallyPoint,
    TallySeries,
)
from warledger.store import Store

pytestmark = pytest.mark.browser

SCRIPT = "<script>window.__pwned = 'script'</script>"
IMG = "<img src=x onerror=\"window.__pwned = 'img'\">"
SVG = "<svg onload=\"window.__pwned = 'svg'\"><script>window.__pwned = 'svg script'</script></svg>"
LINK = "<a href=\"javascript:window.__pwned = 'link'\">read more</a>"
FRAME = "\"><iframe srcdoc=\"<script>parent.__pwned = 'iframe'</script>\"></iframe>"
TEMPLATES = "{{7*7}} ${7*7} <%= 7*7 %> #{7*7} {{constructor.constructor('window.__pwned=1')()}}"
JS_URL = "javascript:window.__pwned = 'url'"
PAYLOADS = [SCRIPT, IMG, SVG, LINK, FRAME, TEMPLATES]
DOC_ID = "hostile/site/index.html"
EVENT_ID = "e_hostile"

# Elements and attributes only an injection could have put in the page.
INJECTED = """() => {
  const handlers = [...document.querySelectorAll('*')].filter(
      n => [...n.attributes].some(a => a.name.toLowerCase().startsWith('on')));
  const links = [...document.querySelectorAll('a[href], area[href]')].filter(
      a => a.getAttribute('href').trim().toLowerCase().startsWith('javascript:'));
  const frames = document.querySelectorAll('iframe, object, embed, frame');
  const scripts = [...document.querySelectorAll('script')].filter(
      s => s.type !== 'application/json' && s.textContent.includes('__pwned'));
  return handlers.length + links.length + frames.length + scripts.length;
}"""


def hostile_text() -> str:
    sentence = "Officials said two drones were shot down near Tovuz on 18 October 2020."
    return "\n\n".join([f"{p} Illustrative hostile paragraph." for p in PAYLOADS] + [sentence])


def build_hostile_store(path: Path) -> Path:
    text = hostile_text()
    sentence = text.split("\n\n")[-1]
    start = text.index(sentence)
    doc = Document(doc_id=DOC_ID, text=text, content_hash="h-hostile", url=JS_URL, outlet=f"Outlet {IMG}",
                   published=dt.date(2020, 10, 18), title=f"{SCRIPT} {TEMPLATES}")
    asserting = Claimant(name=f"Claimant {SVG}", kind="outlet", side="XX")
    denying = Claimant(name=f"Ministry {LINK}", kind="military", side="AM")
    evidence = [Evidence(start=start, end=start + len(sentence), text=sentence)]
    reports = [Report(doc_id=DOC_ID, kind="event", event_type="Strategic developments",
                      sub_event_type="Disrupted weapons use", date=dt.date(2020, 10, 18), claimant=claimant,
                      stance=stance, location_text=f"Tovuz {FRAME}", killed=killed, evidence=evidence,
                      actor1=Actor(name=f"Actor {IMG}", side="AZ")).with_id()
               for claimant, stance, killed in ((asserting, "asserted", 2), (denying, "denied", 5))]
    claims = [Claim(report_id=r.report_id, doc_id=DOC_ID, claimant=r.claimant, stance=r.stance, date=r.date,
                    killed=r.killed, location_text=r.location_text, evidence=r.evidence, actor1=r.actor1)
              for r in reports]
    event = Event(event_id=EVENT_ID, event_type="Strategic developments", sub_event_type="Disrupted weapons use",
                  date=dt.date(2020, 10, 18), location_text=f"Tovuz {FRAME}",
                  location=Place(name=f"Tovuz {SVG}", lat=40.99, lon=45.63, country="AZ"),
                  actor1=Actor(name=f"Actor {IMG}", side="AZ"), actor2=Actor(name=f"Other {SCRIPT}", side="AM"),
                  killed=FigureRange(best=2, low=2, high=5), claims=claims,
                  contradictions=[Contradiction(kind="responsibility_denied", claim_a=reports[0].report_id,
                                                claim_b=reports[1].report_id, claimant_a=asserting.name,
                                                claimant_b=denying.name, detail=f"denied {TEMPLATES} {IMG}")],
                  sources=[Source(doc_id=DOC_ID, outlet=doc.outlet)], independent_sources=1,
                  report_ids=[r.report_id for r in reports])
    tally = TallySeries(series_id="t_hostile", counter=f"civilians killed {SCRIPT}", claimant=asserting,
                        points=[TallyPoint(date=dt.date(2020, 10, d), killed=10 * d, report_id=reports[0].report_id,
                                           doc_id=DOC_ID) for d in (10, 14, 18)])
    with Store(path) as store:
        store.put_document(doc)
        store.replace_reports(DOC_ID, reports, version="test")
        store.replace_fusion([event], {r.report_id: EVENT_ID for r in reports}, [tally])
    return path


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    return build_hostile_store(tmp_path_factory.mktemp("hostile") / "hostile.duckdb")


@pytest.fixture(scope="module")
def hostile_url(hostile_db):
    from serve_fixtures import LiveServer

    from warledger.serve import create_app

    live = LiveServer(create_app(hostile_db, refresh_s=0))
    yield live.url
    live.stop()
    live.app.state.ledger.close()


@pytest.fixture()
def page(chromium):
    context = chromium.new_context(viewport={"width": 1400, "height": 1000}, bypass_csp=True)
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    yield page
    context.close()


def assert_inert(page) -> None:
    assert page.evaluate("() => window.__pwned") is None
    assert page.evaluate(INJECTED) == 0
    assert page.dialogs == []


def hover_everything(page) -> None:
    """Hover markers and links, so tooltips built from the data get drawn too."""
    for selector in (".leaflet-interactive", ".leaflet-marker-icon", "#events tbody tr", "a"):
        items = page.locator(selector)
        for i in range(min(items.count(), 5)):
            for event in ("mouseover", "mouseenter", "focus"):  # hidden or covered ones too
                items.nth(i).dispatch_event(event)


def visit(page, url: str, route: str) -> str:
    """Open one view, hover over everything on it, check nothing ran; the text it shows."""
    page.goto(url)
    page.wait_for_selector(f"body[data-route={route}]")
    page.wait_for_timeout(300)
    hover_everything(page)
    assert_inert(page)
    return page.locator("body").inner_text()


def open_views(page, base: str) -> None:
    """Every view that shows article text: the overview, the event, the document, the other pages."""
    page.goto(base)
    page.wait_for_function("() => Number(document.body.dataset.loads || 0) >= 1", timeout=30_000)
    hover_everything(page)
    assert_inert(page)
    body = page.locator("body").inner_text()
    assert "Tovuz <svg onload=" in body or "Claimant <svg" in body, "the hostile event is listed"

    text = visit(page, base + "#/event/" + quote(EVENT_ID, safe=""), "event")
    for shown in (f"Claimant {SVG}", f"Ministry {LINK}", SCRIPT):
        assert shown in text, shown
    assert TEMPLATES in text  # template-looking text (the source's title) shows as typed, not evaluated
    links = page.locator("a").evaluate_all("as => as.map(a => a.getAttribute('href') || '')")
    assert not [h for h in links if h.strip().lower().startswith("javascript:")]
    for href in sorted({h for h in links if h.startswith("#/doc/")})[:3]:  # the evidence links, highlighted
        page.goto(base + href)
        page.wait_for_selector("body[data-route=doc]")
        assert_inert(page)

    text = visit(page, base + "#/doc/" + quote(DOC_ID, safe=""), "doc")
    for payload in PAYLOADS:  # the article's text, every payload shown as the characters it is
        assert f"{payload} Illustrative hostile paragraph." in text, payload
    assert f"{SCRIPT} {TEMPLATES}" in text  # the title
    assert f"Outlet {IMG}" in text and JS_URL in text
    for route in ("#/disagreements", "#/outlets", "#/outlet/" + quote(f"Outlet {IMG}", safe="")):
        page.goto(base + route)
        page.wait_for_timeout(500)
        hover_everything(page)
        assert_inert(page)


def test_hostile_text_renders_inert_in_the_dashboard(page, hostile_url):
    open_views(page, hostile_url)


def test_hostile_text_renders_inert_in_the_static_report(page, hostile_db, tmp_path):
    from warledger.serve import write_report

    report = write_report(hostile_db, tmp_path / "report.html")
    page.route("**/*", lambda route: route.abort() if not route.request.url.startswith(("file:", "data:"))
               else route.continue_())
    open_views(page, report.as_uri())
