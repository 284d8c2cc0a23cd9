"""The dashboard and the static report in headless Chromium.

Most tests run on the pipeline's store of the seed articles and an illustrative hostile document (what a
user sees). The gold store (the seeds' gold reports: what a perfect extractor gives) checks what the
pipeline may not produce on the seeds, such as copies and a claimant name full of markup, and keeps the
Ganja test meaningful whatever the extractor's quality of the day; the demo store gives the screenshot.
"""
from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest
from serve_fixtures import XSS_CLAIMANT, XSS_DOC_ID

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]


def located(events) -> set[str]:
    return {e.event_id for e in events if e.location and e.location.lat is not None and e.location.lon is not None}


def table_ids(page) -> list[str]:
    return page.locator("#events tbody tr[data-event-id]").evaluate_all("rows => rows.map(r => r.dataset.eventId)")


def ganja_strike(events):
    return next(e for e in events if e.location and e.location.name == "Ganja" and str(e.date) == "2020-10-17"
                and e.sub_event_type == "Shelling/artillery/missile attack")


@pytest.mark.parametrize("kind", ["pipeline", "gold", "demo", "empty"])
def test_dashboard_loads_without_console_errors(tab, servers, store_events, kind):
    events, base = store_events(kind), servers.url(kind)
    requested = []
    tab.page.on("request", lambda request: requested.append(request.url))
    tab.page.goto(base)
    tab.wait_loaded()
    assert tab.page.locator("#stats").inner_text().startswith(f"{len(events)} events")
    assert (tab.page.locator("#timeline rect.bar").count() > 0) == bool(events)
    assert (tab.page.locator("#tallies svg").count() > 0) == (kind != "empty")
    tab.page.wait_for_selector(".leaflet-outlines-pane path", state="attached")  # offline country outlines
    assert tab.console.errors == []
    # Fully offline: everything the page loads comes from the app itself (data: URIs aside).
    assert [u for u in requested if not u.startswith((base, "data:"))] == []
    assert any(u.endswith("/static/vendor/leaflet/leaflet.js") for u in requested)


@pytest.mark.parametrize("kind", ["pipeline", "gold", "demo"])
def test_one_marker_per_located_event(tab, servers, store_events, kind):
    events = store_events(kind)
    tab.page.goto(servers.url(kind))
    tab.wait_loaded()
    assert located(events), "the store should locate some events"
    assert tab.page.locator("path.event-marker").count() == len(located(events))
    assert sorted(table_ids(tab.page)) == sorted(e.event_id for e in events)


def test_filtering_by_type_changes_table_and_map(tab, servers, store_events):
    events, page = store_events("pipeline"), tab.page
    page.goto(servers.url("pipeline"))
    tab.wait_loaded()
    before = tab.loads()
    page.select_option("select[name=event_type]", "Battles")
    tab.wait_loaded(before + 1)
    battles = {e.event_id for e in events if e.event_type == "Battles"}
    assert 0 < len(battles) < len(events)
    assert set(table_ids(page)) == battles
    assert page.locator("path.event-marker").count() == len(battles & located(events))
    assert page.locator("#event-count").inner_text() == f"({len(battles)})"
    before = tab.loads()
    page.select_option("select[name=event_type]", "")
    tab.wait_loaded(before + 1)
    assert len(table_ids(page)) == len(events)
    assert tab.console.errors == []


def test_timeline_bar_filters_to_its_day(tab, servers, store_events):
    events, page = store_events("pipeline"), tab.page
    page.goto(servers.url("pipeline"))
    tab.wait_loaded()
    before = tab.loads()
    page.locator('#timeline rect.bar[data-date="2020-10-08"]').first.click()
    tab.wait_loaded(before + 1)
    expected = {e.event_id for e in events if str(e.date) == "2020-10-08"}
    assert expected and set(table_ids(page)) == expected


@pytest.mark.parametrize("kind", ["gold", "pipeline"])
def test_ganja_strike_shows_both_claims_and_opens_the_evidence(tab, servers, store_events, kind):
    events, page = store_events(kind), tab.page
    page.goto(servers.url(kind))
    tab.wait_loaded()
    strike = ganja_strike(events)
    page.locator(f'#events tbody tr[data-event-id="{strike.event_id}"] td').first.click()
    page.wait_for_selector("body[data-route=event]")
    assert not page.locator("#dashboard").is_visible()
    assert page.locator("#event-page .claim").count() == len(strike.claims)
    assert "Al Jazeera" in page.locator('#event-page .claim[data-stance="asserted"] h4').all_inner_texts()
    denied = page.locator('#event-page .claim[data-stance="denied"]')
    assert denied.count() >= 1, "the denial should be one of the strike's claims"
    assert denied.locator("h4").first.inner_text() == "Armenia"
    assert "in-contradiction" in denied.first.get_attribute("class")
    assert "responsibility denied" in page.locator("#event-page .contradiction").first.inner_text()

    evidence = next(c for c in strike.claims if c.stance == "denied").evidence[0]
    denied.locator("a.evidence-link").first.click()
    page.wait_for_selector("body[data-route=doc] mark.highlight")
    mark = page.locator("mark.highlight")
    assert mark.inner_text() == evidence.text
    assert page.locator("#doc-page").is_visible()
    assert not page.locator("#event-page").is_visible() and not page.locator("#dashboard").is_visible()
    box, height = mark.bounding_box(), page.viewport_size["height"]
    assert 0 <= box["y"] and box["y"] + box["height"] <= height  # scrolled into view
    assert tab.console.errors == []


def test_document_page_lists_reports_and_copies(tab, servers):
    page = tab.page
    page.goto(servers.url("gold") + "#/doc/000_d3cd856a60491968")
    page.wait_for_selector("body[data-route=doc]")
    assert page.locator("#doc-page table.reports tbody tr").count() >= 10
    copy = page.locator("#doc-page .copies a")
    assert copy.count() == 1
    copy.click()
    page.wait_for_function("() => location.hash === '#/doc/001_6731bb37b37029d6'")
    page.wait_for_selector("#doc-page h2:has-text('Turkish Defense Minister')")


def test_evidence_links_of_every_report_highlight_their_sentence(tab, servers):
    page = tab.page
    base = servers.url("pipeline")
    document = httpx.get(base + "api/documents/000_d3cd856a60491968").json()
    evidence = [ev for r in document["reports"] for ev in r["evidence"]]
    assert len(evidence) >= 5
    for ev in evidence[:8]:
        page.goto(base + f"#/doc/000_d3cd856a60491968/{ev['start']}/{ev['end']}")
        page.wait_for_selector("body[data-route=doc] mark.highlight")
        assert page.locator("mark.highlight").inner_text() == ev["text"]


def test_hostile_document_renders_as_text(tab, servers):
    """The illustrative hostile document went through the pipeline: its markup must show as characters."""
    page, base = tab.page, servers.url("pipeline")
    page.goto(base + f"#/doc/{XSS_DOC_ID}")
    page.wait_for_selector("body[data-route=doc]")
    text = page.locator("#doc-text").inner_text()
    assert "<script>window.__xss = 1; alert('xss')</script>" in text
    assert '<img src=x onerror="window.__xss = 2">' in text
    assert page.locator("#doc-page script, #doc-page img").count() == 0
    reports = httpx.get(base + "api/reports", params={"doc_id": XSS_DOC_ID}).json()["items"]
    linked = [r for r in reports if r["event_id"] and r["evidence"]]
    assert linked, "the pipeline should extract the hostile document's shoot-down"
    page.goto(base + f"#/event/{linked[0]['event_id']}")
    page.wait_for_selector("body[data-route=event]")
    hostile = page.locator("#event-page a.evidence-link", has_text="<img src=x onerror")
    assert hostile.count() == 1
    hostile.click()
    page.wait_for_selector("mark.highlight")
    assert page.locator("mark.highlight").inner_text().startswith("Officials said <img src=x")
    assert page.evaluate("window.__xss") is None
    assert tab.console.dialogs == [] and tab.console.errors == []


def test_hostile_names_render_as_text(tab, servers):
    page = tab.page
    page.goto(servers.url("gold"))
    tab.wait_loaded()
    assert XSS_CLAIMANT in page.locator("#events tbody").inner_text()
    assert page.locator("#events tbody b").count() == 0
    page.locator("#events tbody tr:has-text('Example <b') td").first.click()
    page.wait_for_selector("body[data-route=event]")
    assert page.locator("#event-page .claim h4").inner_text() == XSS_CLAIMANT
    page.goto(servers.url("gold") + f"#/doc/{XSS_DOC_ID}")
    page.wait_for_selector("body[data-route=doc]")
    assert page.locator("#doc-page h2").inner_text() == "<script>alert('title')</script> hostile title"
    assert page.locator("#doc-page b, #doc-page i, #doc-page script").count() == 0
    assert page.evaluate("window.__xss") is None and tab.console.dialogs == []


def test_static_report_opens_from_disk_with_the_same_events(tab, reports, store_events):
    events, page, report = store_events("pipeline"), tab.page, reports("pipeline")
    page.route("**/*", lambda route: route.abort() if not route.request.url.startswith(("file:", "data:"))
               else route.continue_())  # offline: any network request fails
    page.goto(report.as_uri())
    tab.wait_loaded()
    assert sorted(table_ids(page)) == sorted(e.event_id for e in events)
    assert page.locator("path.event-marker").count() == len(located(events))
    page.wait_for_selector(".leaflet-outlines-pane path", state="attached")
    before = tab.loads()
    page.select_option("select[name=event_type]", "Battles")
    tab.wait_loaded(before + 1)
    assert set(table_ids(page)) == {e.event_id for e in events if e.event_type == "Battles"}
    strike = ganja_strike(events)
    page.goto(report.as_uri() + f"#/event/{strike.event_id}")
    page.wait_for_selector("body[data-route=event]")
    assert page.locator("#event-page .claim").count() == len(strike.claims)
    page.locator("#event-page a.evidence-link").first.click()
    page.wait_for_selector("mark.highlight")
    assert page.locator("mark.highlight").inner_text() == strike.claims[0].evidence[0].text
    page.goto(report.as_uri() + f"#/doc/{XSS_DOC_ID}")
    page.wait_for_selector("body[data-route=doc]")
    assert "<script>window.__xss" in page.locator("#doc-text").inner_text()
    assert page.evaluate("window.__xss") is None
    assert tab.console.errors == [] and tab.console.dialogs == []


@pytest.mark.parametrize("fill", [{"q": "ganja civilians"}, {"q": "Al-Jazeera"}, {"claimant": "armenia"},
                                  {"place": "nagorno"}, {"side": "AM"}])
def test_report_filters_like_the_api(tab, reports, servers, fill):
    """The static report filters in the browser; it must find what the API finds."""
    base = servers.url("pipeline")
    expected = {e["event_id"] for e in httpx.get(base + "api/events", params={**fill, "limit": 500}).json()["items"]}
    assert expected
    page = tab.page
    page.goto(reports("pipeline").as_uri())
    tab.wait_loaded()
    before = tab.loads()
    for name, value in fill.items():
        if name == "side":
            page.select_option("select[name=side]", value)
        else:
            page.fill(f"#filters input[name={name}]", value)
    tab.wait_loaded(before + 1)
    page.wait_for_function("n => document.querySelectorAll('#events tbody tr[data-event-id]').length === n",
                           arg=len(expected), timeout=5_000)
    assert set(table_ids(page)) == expected


def test_screenshot_of_the_dashboard(tab, servers, tmp_path):
    """Pictures the dashboard on the demo data; writes docs/screenshot.png when WARLEDGER_UPDATE_SCREENSHOT=1."""
    page = tab.page
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(servers.url("demo"))
    tab.wait_loaded()
    page.wait_for_selector(".leaflet-outlines-pane path", state="attached")
    page.wait_for_timeout(400)  # let Leaflet finish its zoom animation before the picture
    target = REPO / "docs" / "screenshot.png" if os.environ.get("WARLEDGER_UPDATE_SCREENSHOT") else tmp_path / "s.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target))
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and target.stat().st_size > 20_000
    assert tab.console.errors == []


def test_sorting_and_map_clicks_open_events(tab, servers, store_events):
    events, page = store_events("pipeline"), tab.page
    page.goto(servers.url("pipeline"))
    tab.wait_loaded()
    page.click("#events th button[data-sort=killed]")
    deadliest = max((e for e in events if e.killed.best is not None), key=lambda e: e.killed.best)
    page.wait_for_function("id => document.querySelector('#events tbody tr').dataset.eventId === id",
                           arg=deadliest.event_id, timeout=5_000)
    assert page.locator("#events th button.sorted").inner_text() == "Killed"
    marker = page.locator("path.event-marker").last  # drawn last: on top of any marker it overlaps
    marker.click()
    page.wait_for_selector("body[data-route=event]")
    shown = page.evaluate("() => decodeURIComponent(location.hash.split('/')[2])")
    assert shown in located(events)
    page.click("#event-page a.back")
    page.wait_for_selector("body[data-route=dashboard]")
    assert page.locator("#dashboard").is_visible()
