"""The dashboard and the static report in headless Chromium.

Most tests run on the pipeline's store of the seed articles and an illustrative hostile document (what a
user sees). The gold store (the seeds' gold reports: what a perfect extractor gives) checks what the
pipeline may not produce on the seeds, such as copies and a claimant name full of markup, and keeps the
Ganja test meaningful whatever the extractor's quality of the day; the demo store gives the screenshot.
"""
from __future__ import annotations

import datetime as dt
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


def events_on_map(page) -> int:
    """Events the map shows: single markers plus the counts written on the cluster icons."""
    return page.evaluate("""() => {
        const pane = document.querySelector('#map .leaflet-marker-pane');
        let n = pane.querySelectorAll('.event-marker').length;
        pane.querySelectorAll('.marker-cluster').forEach(c => { n += parseInt(c.textContent, 10); });
        return n; }""")


def choose(page, name: str, value: str) -> None:
    """Tick one value of a multi-choice filter (opening its list first)."""
    page.locator(f"details[data-name={name}] summary").click()
    page.locator(f"input[name={name}][value='{value}']").check()


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
    assert (tab.page.locator("#timeline canvas").count() > 0) == bool(events)
    assert (tab.page.locator("#tallies canvas").count() > 0) == (kind != "empty")
    tab.page.wait_for_selector(".leaflet-outlines-pane path", state="attached")  # offline country outlines
    assert tab.console.errors == []
    # Fully offline: everything the page loads comes from the app itself (data: URIs aside).
    assert [u for u in requested if not u.startswith((base, "data:"))] == []
    assert any(u.endswith("/static/vendor/leaflet/leaflet.js") for u in requested)
    assert any(u.endswith("/static/vendor/markercluster/leaflet.markercluster.js") for u in requested)
    assert any(u.endswith("/static/vendor/uplot/uPlot.iife.min.js") for u in requested)


@pytest.mark.parametrize("kind", ["pipeline", "gold", "demo"])
def test_one_marker_per_located_event(tab, servers, store_events, kind):
    events = store_events(kind)
    tab.page.goto(servers.url(kind))
    tab.wait_loaded()
    assert located(events), "the store should locate some events"
    assert events_on_map(tab.page) == len(located(events))
    assert sorted(table_ids(tab.page)) == sorted(e.event_id for e in events)


def test_filtering_by_type_changes_table_and_map(tab, servers, store_events):
    events, page = store_events("pipeline"), tab.page
    page.goto(servers.url("pipeline"))
    tab.wait_loaded()
    before = tab.loads()
    choose(page, "event_type", "Battles")
    tab.wait_loaded(before + 1)
    battles = {e.event_id for e in events if e.event_type == "Battles"}
    assert 0 < len(battles) < len(events)
    assert set(table_ids(page)) == battles
    assert events_on_map(page) == len(battles & located(events))
    assert page.locator("#event-count").inner_text() == f"({len(battles)})"
    before = tab.loads()
    page.locator("input[name=event_type][value='Battles']").uncheck()
    tab.wait_loaded(before + 1)
    assert len(table_ids(page)) == len(events)
    assert tab.console.errors == []


def test_timeline_brush_selects_a_date_range(tab, servers, store_events):
    events, page = store_events("pipeline"), tab.page
    page.goto(servers.url("pipeline"))
    tab.wait_loaded()
    assert page.locator("#timeline").get_attribute("data-bin") == "day"  # three weeks of events: by day
    box = page.locator("#timeline .u-over").bounding_box()
    before = tab.loads()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.35, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.6, y, steps=5)
    page.mouse.up()
    tab.wait_loaded(before + 1)
    chosen_from = page.input_value("input[name=date_from]")
    chosen_to = page.input_value("input[name=date_to]")
    assert chosen_from and chosen_to and chosen_from < chosen_to
    assert f"date_from={chosen_from}" in page.url and f"date_to={chosen_to}" in page.url
    expected = {e.event_id for e in events if e.date and chosen_from <= str(e.date) <= chosen_to}
    assert expected and set(table_ids(page)) == expected
    # The timeline keeps the whole range in view (the choice is drawn over it), not only the chosen days.
    assert int(page.locator("#timeline").get_attribute("data-bins")) > (
        dt.date.fromisoformat(chosen_to) - dt.date.fromisoformat(chosen_from)).days + 1


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
    denial = page.locator('#event-page .contradiction[data-kind="responsibility_denied"]')
    assert denial.count() == 1 and "Armenia denies responsibility" in denial.inner_text()

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
        # a hash change re-renders after it returns: the last link's mark may still be on the page, so wait
        # (up to the timeout) for the new one before reading it
        page.wait_for_function("t => { const m = document.querySelector('mark.highlight'); "
                               "return m !== null && m.innerText === t; }", arg=ev["text"], timeout=5000)
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
    assert events_on_map(page) == len(located(events))
    page.wait_for_selector(".leaflet-outlines-pane path", state="attached")
    before = tab.loads()
    choose(page, "event_type", "Battles")
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
            choose(page, "side", value)
        else:
            page.fill(f"#filters input[name={name}]", value)
    tab.wait_loaded(before + 1)
    page.wait_for_function("n => document.querySelectorAll('#events tbody tr[data-event-id]').length === n",
                           arg=len(expected), timeout=5_000)
    assert set(table_ids(page)) == expected


def test_sorting_and_map_clicks_open_events(tab, servers, store_events):
    events, page = store_events("pipeline"), tab.page
    page.goto(servers.url("pipeline"))
    tab.wait_loaded()
    page.click("#events th[data-sort=killed] button")
    deadliest = max((e for e in events if e.killed.best is not None), key=lambda e: e.killed.best)
    page.wait_for_function("id => document.querySelector('#events tbody tr').dataset.eventId === id",
                           arg=deadliest.event_id, timeout=5_000)
    assert page.locator("#events th[aria-sort=descending]").inner_text() == "Killed"
    marker = page.locator("#map .event-marker").last
    marker.click()
    page.wait_for_selector("body[data-route=event]")
    shown = page.evaluate("() => decodeURIComponent(location.hash.split('/')[2])")
    assert shown in located(events)
    page.click("#event-page a.back")
    page.wait_for_selector("body[data-route=dashboard]")
    assert page.locator("#dashboard").is_visible()
