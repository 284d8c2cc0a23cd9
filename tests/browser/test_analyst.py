"""The analyst's dashboard in headless Chromium: shareable views, export, the map's frame, stale answers,
disagreements, phone width, axe-core and the keyboard; and the README's screenshots of each view.

axe-core is vendored from npm under tests/browser/vendor/axe-core (with its licence) and loaded by these
tests only, into a context that bypasses the page's CSP (which would refuse an injected script).
"""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from test_dashboard import REPO, choose, events_on_map, ganja_strike, located, table_ids
from typer.testing import CliRunner

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
VIEWS = {"dashboard": "", "event": None, "disagreements": "#/disagreements", "outlets": "#/outlets"}


def api_ids(base: str, params: list[tuple[str, str]]) -> list[str]:
    page = httpx.get(base + "api/events", params=params + [("limit", "50")]).json()
    return [e["event_id"] for e in page["items"]]


def test_a_filtered_url_reloaded_shows_the_rows_the_api_gives(tab, servers):
    base, page = servers.url("pipeline"), tab.page
    params = [("event_type", "Battles"), ("event_type", "Explosions/Remote violence"), ("side", "AM"),
              ("date_from", "2020-10-01"), ("sort", "killed"), ("order", "desc")]
    expected = api_ids(base, params)
    assert 1 < len(expected) < len(httpx.get(base + "api/events", params={"limit": 500}).json()["items"])
    page.goto(base + "?" + urlencode(params))
    tab.wait_loaded()
    assert table_ids(page) == expected
    assert page.locator("input[name=event_type][value='Battles']").is_checked()
    assert page.locator("input[name=event_type][value='Explosions/Remote violence']").is_checked()
    assert page.input_value("input[name=date_from]") == "2020-10-01"
    assert page.locator('#events th[data-sort="killed"]').get_attribute("aria-sort") == "descending"
    page.reload()
    tab.wait_loaded()
    assert table_ids(page) == expected
    # Changing a filter writes it into the URL (repeatable names), so the link shares the view.
    before = tab.loads()
    choose(page, "event_type", "Strategic developments")
    tab.wait_loaded(before + 1)
    assert page.url.count("event_type=") == 3
    assert table_ids(page) == api_ids(base, params + [("event_type", "Strategic developments")])


def outline_cover(page) -> dict:
    """The map's frame and the box the country outlines cover, in page pixels."""
    return page.evaluate("""() => {
        const frame = document.getElementById('map').getBoundingClientRect();
        const paths = Array.from(document.querySelectorAll('#map .leaflet-outlines-pane path'));
        const boxes = paths.map(p => p.getBoundingClientRect());
        return { frame: [frame.left, frame.top, frame.right, frame.bottom],
                 cover: [Math.min(...boxes.map(b => b.left)), Math.min(...boxes.map(b => b.top)),
                         Math.max(...boxes.map(b => b.right)), Math.max(...boxes.map(b => b.bottom))] }; }""")


def assert_covered(page) -> None:
    box = outline_cover(page)
    (fl, ft, fr, fb), (cl, ct, cr, cb) = box["frame"], box["cover"]
    height = fb - ft
    # The outlines reach 83°N to Antarctica; the frame may show a sliver of polar sea, never an empty band.
    assert cl <= fl + 1 and cr >= fr - 1, box
    assert ct <= ft + 0.03 * height and cb >= fb - 0.03 * height, box


def test_the_map_fills_its_frame_and_refits_after_filtering(tab, servers, store_events):
    events, page = store_events("pipeline"), tab.page
    page.goto(servers.url("pipeline"))
    tab.wait_loaded()
    page.wait_for_selector(".leaflet-outlines-pane path", state="attached")
    assert_covered(page)
    frame = page.locator("#map").bounding_box()
    assert frame["height"] >= 300 and frame["height"] <= 700  # its own height, not the charts column's
    zoom_out = page.locator(".leaflet-control-zoom-out")
    for _ in range(12):  # zoom all the way out (the button is disabled there): the world still covers the frame
        if "leaflet-disabled" in zoom_out.get_attribute("class"):
            break
        zoom_out.click()
        page.wait_for_timeout(300)
    assert "leaflet-disabled" in zoom_out.get_attribute("class")
    assert_covered(page)
    world_zoom = float(page.locator("#map").get_attribute("data-zoom"))
    before = tab.loads()
    page.fill("input[name=place]", "ganja")
    tab.wait_loaded(before + 1)
    page.wait_for_timeout(300)
    ganja = {e.event_id for e in events if e.location and "ganja" in e.location.name.lower()} & located(events)
    assert events_on_map(page) == len(ganja) > 1
    assert float(page.locator("#map").get_attribute("data-zoom")) > world_zoom + 3  # fitted to Ganja
    lat, lon = map(float, page.locator("#map").get_attribute("data-center").split(","))
    assert abs(lat - 40.68) < 0.5 and abs(lon - 46.36) < 0.5
    assert_covered(page)


def test_markers_are_named_buttons_with_tooltips_and_centroids_drawn_apart(tab, servers):
    page = tab.page
    page.goto(servers.url("gold") + "?place=nagorno&place=ganja")
    tab.wait_loaded()
    page.wait_for_timeout(300)
    # Ten events on the Nagorno-Karabakh centroid and four in Ganja: two clusters, opened by keyboard (they
    # spread their markers, the points being the same).
    clusters = page.locator("#map .marker-cluster")
    assert clusters.count() == 2
    sizes = sorted(int(t) for t in clusters.all_inner_texts())
    biggest = clusters.nth([int(t) for t in clusters.all_inner_texts()].index(sizes[-1]))
    assert biggest.get_attribute("role") == "button" and "events here" in biggest.get_attribute("aria-label")
    biggest.focus()
    page.keyboard.press("Enter")
    page.locator("#map .event-marker.centroid").first.wait_for()
    marker = page.locator("#map .event-marker.centroid").first
    assert marker.get_attribute("role") == "button"
    assert "Nagorno-Karabakh" in marker.get_attribute("aria-label")
    smallest = page.locator("#map .marker-cluster", has_text=str(sizes[0]))
    smallest.focus()
    page.keyboard.press("Enter")
    exact = page.locator("#map .event-marker.exact").first
    exact.wait_for()
    assert "Ganja" in exact.get_attribute("aria-label")
    exact.hover()
    tooltip = page.locator(".leaflet-tooltip").first
    tooltip.wait_for()
    text = tooltip.inner_text()
    assert "Ganja" in text and "2020" in text and "killed" in text
    legend = page.locator("#map-legend").inner_text()
    assert "exact place" in legend and "centre of a district, region or country" in legend


def test_a_delayed_stale_answer_is_not_drawn(tab, servers):
    base, page = servers.url("pipeline"), tab.page
    page.goto(base)
    tab.wait_loaded()
    held = []

    def hold(route):
        held.append(route)  # answered only after the newer search has been drawn

    page.route(lambda url: "api/events?" in url and "q=ga&" in url + "&", hold)
    before = tab.loads()
    page.fill("input[name=q]", "ga")
    page.wait_for_function("() => document.getElementById('status').textContent !== ''")
    page.wait_for_timeout(400)
    assert held, "the first search should be waiting"
    page.fill("input[name=q]", "ganja strike zzz")
    tab.wait_loaded(before + 1)
    assert httpx.get(base + "api/events", params={"q": "ganja strike zzz"}).json()["total"] == 0
    assert table_ids(page) == []
    from playwright.sync_api import Error as PlaywrightError

    for route in held:
        try:
            route.continue_()
        except PlaywrightError:  # the page aborted it: the stale answer can never arrive
            continue
    page.wait_for_timeout(800)
    assert table_ids(page) == [] and page.locator("#events tbody").inner_text().startswith("No events match")
    assert tab.loads() == before + 1
    assert page.input_value("input[name=q]") == "ganja strike zzz" and "q=ganja+strike+zzz" in page.url


def test_the_csv_download_equals_warledger_export_with_the_same_filters(tab, servers, tmp_path):
    import serve_fixtures

    from warledger.cli import app

    page = tab.page
    page.goto(servers.url("pipeline") + "?event_type=Explosions/Remote+violence&side=AZ&side=NK&date_to=2020-10-17")
    tab.wait_loaded()
    with page.expect_download() as download:
        page.click("#download-csv")
    shown = Path(download.value.path()).read_text(encoding="utf-8")
    out = tmp_path / "cli.csv"
    result = CliRunner().invoke(app, ["export", "--db", str(serve_fixtures.store_path("pipeline")), "--format", "csv",
                                      "--event-type", "Explosions/Remote violence", "--side", "AZ", "--side", "NK",
                                      "--date-to", "2020-10-17", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert shown == out.read_text(encoding="utf-8")
    rows = shown.strip().splitlines()
    assert len(rows) - 1 == int(page.locator("#event-count").inner_text().strip("()")) > 1


@pytest.mark.parametrize("kind", ["gold", "pipeline"])
def test_the_disagreements_view_lists_the_ganja_denial_once(tab, servers, store_events, kind):
    events, page = store_events(kind), tab.page
    strike = ganja_strike(events)
    page.goto(servers.url(kind) + "#/disagreements")
    page.wait_for_selector("body[data-route=disagreements]")
    denial = page.locator(f'#disagreements-page tr[data-event-id="{strike.event_id}"][data-kind="responsibility_denied"]')
    assert denial.count() == 1
    text = denial.inner_text()
    assert "Armenia denies responsibility" in text
    assert "actor1" not in text and "(exact)" not in text and "XX" not in text
    answered = {c.claimant_a for c in strike.contradictions if c.kind == "responsibility_denied"}
    assert answered and all(name in text for name in answered)
    assert page.title().startswith("Disagreements")
    denial.locator("a.evidence-link").first.click()
    page.wait_for_selector("body[data-route=doc] mark.highlight")
    page.go_back()
    page.wait_for_selector("body[data-route=disagreements]")
    page.locator(f'#disagreements-page tr[data-event-id="{strike.event_id}"] td a').first.click()
    page.wait_for_selector("body[data-route=event]")


@pytest.mark.parametrize("width", [390, 640])  # a phone; 1280 px at 200% zoom
def test_no_horizontal_scroll_at_phone_width_or_200_percent_zoom(chromium, servers, store_events, width):
    base, strike = servers.url("gold"), ganja_strike(store_events("gold"))
    context = chromium.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        for hash_ in ("", f"#/event/{strike.event_id}", "#/disagreements", "#/outlets",
                      "#/doc/000_d3cd856a60491968"):
            page.goto(base + hash_)
            page.wait_for_selector(f"body[data-route={(hash_.split('/') + ['', 'dashboard'])[1] or 'dashboard'}]")
            page.wait_for_timeout(200)
            scroll = page.evaluate("() => document.documentElement.scrollWidth")
            assert scroll <= width, f"{hash_ or 'dashboard'} is {scroll} px wide at {width} px"
    finally:
        context.close()


def axe_serious(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""() => axe.run(document, { resultTypes: ['violations'] }).then(r => r.violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => v.id + ': ' + v.help + ' — ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')))""")
    return found


def test_axe_finds_no_serious_issues(chromium, servers, store_events):
    base, strike = servers.url("gold"), ganja_strike(store_events("gold"))
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    try:
        for hash_, route in (("", "dashboard"), (f"#/event/{strike.event_id}", "event"),
                             ("#/disagreements", "disagreements"), ("#/outlets", "outlets"),
                             ("#/outlet/Trend", "outlet"), ("#/doc/000_d3cd856a60491968", "doc"),
                             ("#/event/nope", "event")):
            page.goto(base + hash_)
            page.wait_for_selector(f"body[data-route={route}]")
            page.wait_for_function("() => Number(document.body.dataset.loads || 0) >= 1")
            assert axe_serious(page) == [], hash_ or "dashboard"
    finally:
        context.close()


def test_keyboard_alone_opens_an_event_and_moves_focus(tab, servers):
    page = tab.page
    page.goto(servers.url("pipeline"))
    tab.wait_loaded()
    for _ in range(120):
        page.keyboard.press("Tab")
        if page.evaluate("() => !!document.activeElement.closest('#map .event-marker, #events tbody a')"):
            break
    else:
        pytest.fail("Tab never reached a marker or an event link")
    page.keyboard.press("Enter")
    page.wait_for_selector("body[data-route=event]")
    assert page.evaluate("() => document.activeElement.classList.contains('page-title')")
    assert page.title() == page.locator("#event-page h2").inner_text() + " · warledger"
    # The skip link reaches the table from the top; a table link opens its event.
    page.goto(servers.url("pipeline"))
    tab.wait_loaded()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('skip')")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # past the sort buttons of the first column
    for _ in range(12):
        if page.evaluate("() => !!document.activeElement.closest('#events tbody a')"):
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("body[data-route=event]")


def test_errors_read_as_sentences_with_a_way_back(tab, servers):
    page = tab.page
    page.goto(servers.url("pipeline") + "#/event/nope")
    page.wait_for_selector("body[data-route=event]")
    text = page.locator("#event-page").inner_text()
    assert "The event “nope” was not found" in text and "404" not in text and "api/" not in text
    page.click("#event-page a[href='#/']")
    page.wait_for_selector("body[data-route=dashboard]")


def test_event_page_shows_qualifiers_as_claimed_and_names_sides(tab, servers, store_events):
    events, page = store_events("gold"), tab.page
    strike = ganja_strike(events)
    page.goto(servers.url("gold") + f"#/event/{strike.event_id}")
    page.wait_for_selector("body[data-route=event]")
    header = page.locator("#event-page header").inner_text()
    wounded = [c for c in strike.claims if c.wounded is not None and c.wounded_qualifier == "at_least"]
    assert wounded and all(f"at least {c.wounded}" in header for c in wounded)
    badges = page.locator("#event-page .claim .badge").all_inner_texts()
    assert "Armenia (AM)" in badges and not any(b.startswith("side ") for b in badges)


def test_static_report_has_views_and_a_footer_naming_store_version_and_time(tab, reports):
    page, report = tab.page, reports("gold")
    page.goto(report.as_uri())
    tab.wait_loaded()
    footer = page.locator("#footer").inner_text()
    assert "gold.duckdb" in footer and "warledger 0." in footer and "generated 20" in footer
    page.goto(report.as_uri() + "#/disagreements")
    page.wait_for_selector("body[data-route=disagreements]")
    assert page.locator('#disagreements-page tr[data-kind="responsibility_denied"]').count() >= 1
    page.goto(report.as_uri())
    tab.wait_loaded()
    assert page.locator("#filters").is_visible()
    page.emulate_media(media="print")
    assert not page.locator("#filters").is_visible() and page.locator("#footer").is_visible()


def test_screenshots_of_each_view(tab, servers, store_events, tmp_path):
    """Pictures every view on the demo data; writes docs/*.png when WARLEDGER_UPDATE_SCREENSHOT=1."""
    page, base = tab.page, servers.url("demo")
    events = store_events("demo")
    contested = next(e for e in events if e.contradictions)
    folder = REPO / "docs" if os.environ.get("WARLEDGER_UPDATE_SCREENSHOT") else tmp_path
    page.set_viewport_size({"width": 1200, "height": 900})
    outlet = httpx.get(base + "api/outlets").json()[0]["outlet"]
    for name, hash_, route in (("dashboard", "", "dashboard"), ("event", f"#/event/{contested.event_id}", "event"),
                               ("disagreements", "#/disagreements", "disagreements"),
                               ("outlets", "#/outlets", "outlets"), ("outlet", f"#/outlet/{outlet}", "outlet")):
        page.goto(base + hash_)
        page.wait_for_selector(f"body[data-route={route}]")
        tab.wait_loaded()
        page.wait_for_selector(".leaflet-outlines-pane path", state="attached")
        page.wait_for_timeout(400)
        target = folder / f"dashboard-{name}.png"
        page.screenshot(path=str(target))
        assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and 20_000 < target.stat().st_size < 400_000
    assert tab.console.errors == []
