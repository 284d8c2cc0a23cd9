"""The dashboard's JSON API, the static report writer and the CLI commands, on a store built from the seeds."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import duckdb
import pytest
import serve_fixtures
import typer
from fastapi.testclient import TestClient
from serve_fixtures import XSS_DOC_ID, XSS_TEXT, store_path, unavailable
from typer.testing import CliRunner

from warledger.cli_serve import register
from warledger.errors import StoreError
from warledger.models import Document
from warledger.serve import EventFilters, Ledger, create_app, write_report
from warledger.serve.app import content_security_policy, is_loopback, tile_origin
from warledger.serve.report import inline_json
from warledger.store import Store

pytestmark = pytest.mark.skipif(not serve_fixtures.seeds_available(),
                                reason="needs the seed corpus and gold at ../shared (the repo's sibling)")


def _store(kind: str) -> Path:
    why = unavailable(kind)
    if why:
        pytest.skip(why)
    return store_path(kind)


@pytest.fixture(scope="module", params=["pipeline", "gold"])
def db(request) -> Path:
    """Each store in turn: tests taking `db` hold for any store."""
    return _store(request.param)


@pytest.fixture(scope="module")
def gold_db() -> Path:
    """The gold store: tests taking it check what the seeds' gold says the dashboard must show."""
    return _store("gold")


def _events(path: Path) -> list:
    with Store(path, read_only=True) as store:
        return store.events()


@pytest.fixture(scope="module")
def events(db) -> list:
    return _events(db)


@pytest.fixture(scope="module")
def gold_events(gold_db) -> list:
    return _events(gold_db)


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_app(db), base_url="http://127.0.0.1") as c:
        yield c


@pytest.fixture(scope="module")
def gold_client(gold_db):
    with TestClient(create_app(gold_db), base_url="http://127.0.0.1") as c:
        yield c


def ganja_strike(events):
    return next(e for e in events if e.location and e.location.name == "Ganja" and str(e.date) == "2020-10-17"
                and e.sub_event_type == "Shelling/artillery/missile attack")


def test_stats_count_what_the_store_holds(client, events):
    stats = client.get("/api/stats").json()
    assert stats["counts"]["events"] == len(events)
    assert sum(t["n"] for t in stats["by_type"]) == len(events)
    assert stats["events_located"] == sum(1 for e in events if e.location and e.location.lat is not None)
    assert stats["date_min"] == str(min(e.date for e in events if e.date))
    assert {"AZ", "AM"} <= {s["side"] for s in stats["sides"]}


def test_events_page_through_all_events_without_overlap(client, events):
    seen = []
    for offset in range(0, len(events) + 10, 10):
        page = client.get("/api/events", params={"limit": 10, "offset": offset}).json()
        assert page["total"] == len(events)
        seen += [e["event_id"] for e in page["items"]]
    assert sorted(seen) == sorted(e.event_id for e in events)
    dates = [e["date"] for e in client.get("/api/events", params={"limit": 500}).json()["items"]]
    assert dates == sorted(dates, reverse=True)


def test_events_sort_by_killed(client, events):
    top = client.get("/api/events", params={"sort": "killed", "limit": 1}).json()["items"][0]
    assert top["killed_best"] == max(e.killed.best for e in events if e.killed.best is not None)
    assert client.get("/api/events", params={"sort": "nonsense"}).status_code == 422


@pytest.mark.parametrize("params, keep", [
    ({"event_type": "Battles"}, lambda e: e.event_type == "Battles"),
    ({"sub_event_type": "Agreement"}, lambda e: e.sub_event_type == "Agreement"),
    ({"side": "nk"}, lambda e: "NK" in {a.side for a in (e.actor1, e.actor2) if a}),
    ({"place": "ganja"}, lambda e: e.location is not None and "ganja" in e.location.name.lower()),
    ({"claimant": "armenia"}, lambda e: any("armenia" in c.claimant.name.lower() for c in e.claims)),
    ({"contested": "true"}, lambda e: bool(e.contradictions)),
    ({"date_from": "2020-10-08", "date_to": "2020-10-10"},
     lambda e: e.date is not None and "2020-10-08" <= str(e.date) <= "2020-10-10"),
])
def test_event_filters_keep_exactly_the_matching_events(client, events, db, params, keep):
    page = client.get("/api/events", params={**params, "limit": 500}).json()
    expected = sorted(e.event_id for e in events if keep(e))
    if db == store_path("gold"):
        assert expected, "the gold store holds events for every filter"
    assert sorted(e["event_id"] for e in page["items"]) == expected
    assert page["total"] == len(expected)


def test_text_search_needs_every_word(client, events):
    hits = {e["event_id"] for e in client.get("/api/events", params={"q": "Ganja civilians", "limit": 500}).json()["items"]}
    assert ganja_strike(events).event_id in hits
    by_id = {e.event_id: e.model_dump_json().lower() for e in events}
    assert all("ganja" in by_id[h] and "civilians" in by_id[h] for h in hits)
    assert len(hits) < sum(1 for text in by_id.values() if "ganja" in text)  # the second word narrows
    assert client.get("/api/events", params={"q": "ganja zzzunlikely"}).json()["total"] == 0


def test_user_text_is_matched_literally(gold_client):
    assert gold_client.get("/api/events", params={"place": "%"}).json()["total"] == 0
    assert gold_client.get("/api/events", params={"place": "_"}).json()["total"] == 0
    # Only the hostile test document's claimant has an underscore (in its markup): `_` is no wildcard.
    assert gold_client.get("/api/events", params={"claimant": "_"}).json()["total"] == 1
    assert gold_client.get("/api/documents", params={"q": "%"}).json()["total"] == 0


def test_map_points_are_the_located_events(client, events):
    result = client.get("/api/map").json()
    located = {e.event_id for e in events if e.location and e.location.lat is not None}
    assert result["total"] == len(located)
    assert {p[0] for p in result["points"]} == located
    battles = client.get("/api/map", params={"event_type": "Battles"}).json()
    assert 0 < battles["total"] < result["total"]
    assert {p[4] for p in battles["points"]} == {"Battles"}


def test_timeline_counts_every_dated_event_once(client, events):
    rows = client.get("/api/timeline").json()
    assert sum(r["n"] for r in rows) == sum(1 for e in events if e.date)
    oct17 = {r["event_type"]: r["n"] for r in rows if r["date"] == "2020-10-17"}
    assert oct17["Explosions/Remote violence"] == sum(
        1 for e in events if str(e.date) == "2020-10-17" and e.event_type == "Explosions/Remote violence")


def test_one_event_has_its_claims_contradictions_and_sources(gold_client, gold_events):
    client = gold_client
    strike = ganja_strike(gold_events)
    body = client.get(f"/api/events/{strike.event_id}").json()
    stances = {c["claimant"]["name"]: c["stance"] for c in body["claims"]}
    assert stances["Armenia"] == "denied"
    assert stances["Al Jazeera"] == "asserted"
    assert "responsibility_denied" in {c["kind"] for c in body["contradictions"]}
    assert body["killed"]["best"] == 13
    assert {s["doc_id"] for s in body["sources"]} == {"000_d3cd856a60491968", "001_6731bb37b37029d6"}
    assert body["documents"]["001_6731bb37b37029d6"]["outlet"] == "Trend"
    assert client.get("/api/events/no-such-event").status_code == 404


def test_document_evidence_offsets_point_into_its_cleaned_text(client):
    doc_ids = [d["doc_id"] for d in client.get("/api/documents").json()["items"]]
    assert len(doc_ids) == 6
    checked = 0
    for doc_id in doc_ids:
        doc = client.get(f"/api/documents/{doc_id}").json()
        for report in doc["reports"]:
            assert report["doc_id"] == doc_id
            for ev in report["evidence"]:
                assert doc["text"][ev["start"]:ev["end"]] == ev["text"]
                checked += 1
    assert checked >= 50
    assert client.get("/api/documents/nope").status_code == 404


def test_document_lists_its_copies(gold_client):
    doc = gold_client.get("/api/documents/000_d3cd856a60491968").json()
    assert [c["doc_id"] for c in doc["copies"]] == ["001_6731bb37b37029d6"]
    assert doc["copies"][0]["outlet"] == "Trend"


def test_documents_list_and_reports_filters(client, events):
    docs = client.get("/api/documents").json()
    assert docs["total"] == 6
    assert {d["doc_id"] for d in docs["items"]} >= {XSS_DOC_ID, "000_d3cd856a60491968"}
    assert client.get("/api/documents", params={"q": "trend"}).json()["total"] == 1
    for event in events:
        reports = client.get("/api/reports", params={"event_id": event.event_id}).json()
        assert sorted(r["report_id"] for r in reports["items"]) == sorted(event.report_ids)
    tallies = client.get("/api/reports", params={"kind": "tally", "limit": 500}).json()
    assert tallies["total"] > 0 and {r["kind"] for r in tallies["items"]} == {"tally"}


def test_tallies_and_contradictions(gold_client, gold_events):
    client, events = gold_client, gold_events
    series = client.get("/api/tallies").json()
    toll = [s for s in series if s["counter"] == "az civilian toll"]
    assert {s["claimant"]["name"] for s in toll} >= {"Prosecutor General's Office of Azerbaijan"}
    assert all(p["report_id"] for s in series for p in s["points"])
    contested = client.get("/api/contradictions").json()
    assert contested["total"] == sum(1 for e in events if e.contradictions)
    assert contested["items"][0]["event_id"] == ganja_strike(events).event_id


def test_hostile_document_comes_back_as_data_not_markup(client):
    response = client.get(f"/api/documents/{XSS_DOC_ID}")
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["text"] == XSS_TEXT


def test_security_headers(client):
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    csp = page.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self';" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    # The served page has no inline script or style: everything comes from /static.
    assert not re.search(r"<script>(?!</script>)", page.text) and "<style" not in page.text
    assert client.get("/api/stats").headers["content-security-policy"] == csp


def test_openapi_describes_the_api(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/events", "/api/events/{event_id}", "/api/reports", "/api/documents", "/api/documents/{doc_id}",
            "/api/tallies", "/api/contradictions", "/api/stats", "/api/map", "/api/timeline"} <= set(paths)
    assert client.get("/api/events", params={"date_from": "17 October"}).status_code == 422


def test_api_has_no_write_endpoints(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {method for path in paths.values() for method in path} == {"get"}
    assert client.post("/api/events").status_code == 405


def test_tile_url_is_allowed_for_images_only():
    csp = content_security_policy("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png")
    assert "img-src 'self' data: https://*.tile.openstreetmap.org;" in csp
    assert tile_origin("http://localhost:8080/tiles/{z}/{x}/{y}.png") == "http://localhost:8080"
    with pytest.raises(ValueError, match="tile URL"):
        tile_origin("javascript:alert(1)")
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0")


def test_ledger_refuses_what_is_not_a_store(tmp_path):
    with pytest.raises(StoreError, match="no store at"):
        Ledger.open(tmp_path / "missing.duckdb")
    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).execute("CREATE TABLE t (x INT)").close()
    with pytest.raises(StoreError, match="not a warledger store"):
        Ledger.open(other)


def test_ledger_is_usable_from_python(gold_db):
    ledger = Ledger.open(gold_db)
    try:
        page = ledger.events(EventFilters(place="Ganja", date_from=dt.date(2020, 10, 17)))
        assert {e["date"].isoformat() for e in page["items"]} == {"2020-10-17", "2020-10-20"}
    finally:
        ledger.close()


def test_inline_json_cannot_close_its_script_tag():
    payload = {"text": "</script><script>alert(1)</script><!-- & \u2028"}
    encoded = inline_json(payload)
    assert "<" not in encoded and ">" not in encoded and "\u2028" not in encoded
    assert json.loads(encoded) == payload


def test_report_is_one_self_contained_file(db, events, tmp_path):
    out = write_report(db, tmp_path / "sub" / "report.html")
    html = out.read_text(encoding="utf-8")
    assert 'src="' not in html and 'href="static/' not in html  # nothing to fetch
    assert "<script>window.__xss" not in html and "\\u003cscript\\u003ewindow.__xss" in html
    data = json.loads(re.search(r'<script type="application/json" id="warledger-data">(.*?)</script>', html,
                                re.DOTALL).group(1))
    assert {s["event_id"] for s in data["summaries"]} == {e.event_id for e in events}
    assert XSS_DOC_ID not in data["documents"] or data["documents"][XSS_DOC_ID]["text"] == XSS_TEXT
    assert data["outlines"]["type"] == "FeatureCollection"
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html).group(1)
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp
    template = (Path(serve_fixtures.__file__).parents[1] / "src/warledger/serve/static/index.html").read_text()
    # One hash per inlined script and stylesheet (Leaflet, markercluster, uPlot, ours), none for anything else.
    assert csp.count("'sha256-") == template.count('<script src="static/') + template.count('rel="stylesheet"') > 5
    assert "@media print" in html
    assert {"disagreements", "running_totals", "outlets", "labels"} <= set(data)
    assert data["labels"]["store"] == Path(db).name and data["config"]["generated"]


def test_report_keeps_the_newest_events_when_capped(db, tmp_path):
    html = write_report(db, tmp_path / "r.html", max_events=5).read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="warledger-data">(.*?)</script>', html, re.DOTALL).group(1))
    assert len(data["summaries"]) == 5 == len(data["events"])


def test_cli_report_and_errors(gold_db, tmp_path):
    db = gold_db
    app = typer.Typer()
    register(app)
    runner = CliRunner()
    result = runner.invoke(app, ["report", "--db", str(db), "-o", str(tmp_path / "cli.html")])
    assert result.exit_code == 0, result.output
    assert Path(result.output.strip()).read_text(encoding="utf-8").startswith("<!doctype html>")
    missing = runner.invoke(app, ["report", "--db", str(tmp_path / "nope.duckdb")])
    assert missing.exit_code == 1 and "no store at" in missing.output
    bad_tiles = runner.invoke(app, ["serve", "--db", str(db), "--tiles", "ftp://x/{z}"])
    assert bad_tiles.exit_code == 1 and "tile URL" in bad_tiles.output


@pytest.mark.parametrize("q", ["ganja", "gan", "Ganja civilians", "al-jazeera", "shot down", "tufuz", "13",
                               "anja", "zzz"])
def test_search_index_and_scan_agree(db, q):
    with_index, scanning = Ledger.open(db, word_index="now"), Ledger.open(db, word_index="off")
    try:
        assert with_index.index.words_ready.is_set() and not scanning.index.words_ready.is_set()
        found = with_index.events(EventFilters(q=q), limit=500)
        assert found == scanning.events(EventFilters(q=q), limit=500)
        assert with_index.timeline(EventFilters(q=q)) == scanning.timeline(EventFilters(q=q))
    finally:
        with_index.close()
        scanning.close()


def test_search_matches_word_starts(gold_db):
    ledger = Ledger.open(gold_db, word_index="now")
    try:
        ganja = {e["event_id"] for e in ledger.events(EventFilters(place="ganja"), limit=500)["items"]}
        assert ganja <= {e["event_id"] for e in ledger.events(EventFilters(q="gan"), limit=500)["items"]}
        assert ledger.events(EventFilters(q="anja"))["total"] == 0  # not the start of a word
        # Evidence text is searched: the denial's sentence names no place but says "denied responsibility".
        assert ledger.events(EventFilters(q="denied responsibility"))["total"] >= 1
    finally:
        ledger.close()


def test_an_empty_store_still_answers(tmp_path):
    with TestClient(create_app(store_path("empty")), base_url="http://127.0.0.1") as client:
        assert client.get("/api/events").json() == {"total": 0, "limit": 50, "offset": 0, "items": []}
        stats = client.get("/api/stats").json()
        assert stats["counts"]["events"] == 0 and stats["date_min"] is None
        assert client.get("/api/map").json() == {"total": 0, "points": []}
        assert client.get("/api/timeline").json() == []
        assert client.get("/api/events", params={"q": "anything", "side": "AM"}).json()["total"] == 0
    html = write_report(store_path("empty"), tmp_path / "empty.html").read_text(encoding="utf-8")
    assert '"summaries":[]' in html


def test_app_leaves_the_store_writable_and_follows_it(tmp_path):
    path = tmp_path / "fresh.duckdb"
    Store(path).close()
    with TestClient(create_app(path, refresh_s=0), base_url="http://127.0.0.1") as client:
        assert client.get("/api/stats").json()["counts"]["documents"] == 0
        with Store(path) as store:  # the app reads a snapshot: a writer opens the store meanwhile
            store.put_document(Document(doc_id="later", text="Written while served.", content_hash="h-later"))
        assert client.get("/api/stats").json()["counts"]["documents"] == 0  # cached until the snapshot changes
        assert client.app.state.ledger.refresh()
        assert client.get("/api/stats").json()["counts"]["documents"] == 1
        assert client.get("/api/documents/later").json()["text"] == "Written while served."


# -- the analyst's views: repeatable filters, summary, export, disagreements, running totals, outlets ------
def test_repeated_filter_names_match_any_of_their_values(client, events):
    both = client.get("/api/events", params=[("event_type", "Battles"), ("event_type", "Strategic developments"),
                                             ("limit", "500")]).json()
    expected = {e.event_id for e in events if e.event_type in ("Battles", "Strategic developments")}
    assert {e["event_id"] for e in both["items"]} == expected and both["total"] == len(expected)
    places = client.get("/api/events", params=[("place", "ganja"), ("place", "barda"), ("limit", "500")]).json()
    assert {e["event_id"] for e in places["items"]} == {
        e.event_id for e in events if e.location and any(p in e.location.name.lower() for p in ("ganja", "barda"))}
    sides = client.get("/api/map", params=[("side", "NK"), ("side", "AM")]).json()
    assert {p[0] for p in sides["points"]} == {
        e.event_id for e in events if e.location and e.location.lat is not None
        and {"NK", "AM"} & {a.side for a in (e.actor1, e.actor2) if a}}


def test_summary_sums_the_matching_events(client, events):
    got = client.get("/api/summary", params={"event_type": "Explosions/Remote violence"}).json()
    kept = [e for e in events if e.event_type == "Explosions/Remote violence"]
    assert got["events"] == len(kept) and got["contested"] == sum(bool(e.contradictions) for e in kept)
    assert got["killed"]["best"] == sum(e.killed.best or 0 for e in kept)
    assert got["wounded"]["high"] == sum((e.wounded.high if e.wounded.high is not None else e.wounded.best) or 0
                                         for e in kept)


def test_api_export_equals_the_cli_export_with_the_same_filters(client, db, tmp_path):
    from warledger.cli import app

    for fmt in ("csv", "geojson"):
        answer = client.get("/api/export", params=[("format", fmt), ("side", "AM"), ("date_to", "2020-10-10")])
        assert answer.status_code == 200 and "attachment" in answer.headers["content-disposition"]
        out = tmp_path / f"x.{fmt}"
        result = CliRunner().invoke(app, ["export", "--db", str(db), "-f", fmt, "--side", "AM",
                                          "--date-to", "2020-10-10", "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert answer.text == out.read_text(encoding="utf-8")
    rows = answer.json()["features"]
    assert rows and all(f["properties"]["date"] <= "2020-10-10" for f in rows)
    assert client.get("/api/export", params={"format": "xlsx"}).status_code == 422


def test_filtered_cli_export_refuses_reports_with_a_clear_message(db):
    from warledger.cli import app

    result = CliRunner().invoke(app, ["export", "--db", str(db), "--place", "ganja"])
    assert result.exit_code == 1 and "--what events" in result.output


def test_disagreements_are_one_row_each_in_words(client, events):
    strike = ganja_strike(events)
    answer = client.get("/api/disagreements").json()
    assert "items" in answer, answer
    rows = answer["items"]
    denials = [r for r in rows if r["event_id"] == strike.event_id and r["kind"] == "responsibility_denied"]
    assert len(denials) == 1
    assert denials[0]["summary"].startswith("Armenia denies responsibility")
    claims = [c for p in denials[0]["positions"] for c in p["claims"]]
    paired = {n for c in strike.contradictions if c.kind == "responsibility_denied" for n in (c.claimant_a, c.claimant_b)}
    assert {c["claimant"] for c in claims} == paired and len(claims) == len(paired)
    assert all(c["evidence"] is None or c["evidence"]["text"] for c in claims)
    assert not any("actor1" in r["summary"] or "(exact)" in r["summary"] for r in rows)
    one = client.get(f"/api/events/{strike.event_id}/disagreements").json()["items"]
    assert [r["summary"] for r in one] == [r["summary"] for r in rows if r["event_id"] == strike.event_id]
    assert client.get("/api/disagreements", params={"place": "nowhere-at-all"}).json()["total"] == 0


def test_copies_of_one_text_count_once_in_a_disagreement(gold_db):
    from warledger.serve.disagreements import distinct_claims

    docs = {"a": {"copy_group": "g"}, "b": {"copy_group": "g"}, "c": {}}
    claim = {"claimant": {"name": "Armenia"}, "stance": "denied", "report_id": "r1", "doc_id": "a"}
    kept = distinct_claims([claim, {**claim, "report_id": "r2", "doc_id": "b"},
                            {**claim, "report_id": "r3", "doc_id": "c"}], docs)
    assert [(c["report_id"], c["copies"]) for c in kept] == [("r1", 1), ("r3", 0)]


def test_running_totals_have_human_titles_and_follow_dates(client):
    charts = client.get("/api/running-totals").json()
    assert charts and {c["measure"] for c in charts} >= {"killed"}
    for chart in charts:
        assert "/" not in chart["title"] and not re.search(r"\d{4}-\d\d-\d\d", chart["title"])
        assert chart["series"] and all(s["points"] for s in chart["series"])
    late = client.get("/api/running-totals", params={"date_from": "2020-10-15"}).json()
    assert all(p["date"] >= "2020-10-15" for c in late for s in c["series"] for p in s["points"])
    assert sum(len(s["points"]) for c in late for s in c["series"]) < sum(
        len(s["points"]) for c in charts for s in c["series"])


def test_running_total_titles_name_sides_and_dates():
    from warledger.serve.analysis import counter_title

    assert counter_title("AZ civilians killed/wounded since 2020-09-27", "killed") == \
        "Civilians of Azerbaijan killed since 27 September 2020"
    assert counter_title("any people killed/wounded", "wounded") == "People wounded"


def test_outlet_pages_count_loaded_terms_in_their_texts(client, db):
    outlets = client.get("/api/outlets").json()
    assert outlets and all(o["claims"] >= o["contested_claims"] for o in outlets)
    with Store(db, read_only=True) as store:
        texts = {}
        for doc in store.documents():
            texts.setdefault(doc.outlet or "outlet unknown", []).append(doc.text)
    for row in outlets:
        page = client.get(f"/api/outlets/{row['outlet']}").json()
        terms = {t["term"]: t["n"] for t in page["terms"]}
        occupied = sum(len(re.findall(r"\b(?:occupied|occupation|occupiers?|occupants|occupy|occupying)\b",
                                      t, re.IGNORECASE)) for t in texts[row["outlet"]])
        assert terms["occupied"] == occupied
        assert len(page["claims_list"]) == row["claims"]
    assert sum(o["loaded_terms"] for o in outlets) > 0, "the seeds say 'occupied' and 'liberated'"
    assert client.get("/api/outlets/no such outlet").status_code == 404


def test_labels_name_side_codes(client):
    labels = client.get("/api/labels").json()
    assert labels["sides"]["AZ"] == "Azerbaijan" and labels["sides"]["NK"] == "Nagorno-Karabakh"
    assert labels["sub_event_types"]["Armed clash"] == "Battles"
    assert labels["version"] and labels["store"].endswith(".duckdb")


def test_event_filters_read_query_parameters_and_refuse_bad_dates():
    from warledger.serve.filters import EventFilters, FilterError

    f = EventFilters.from_params({"event_type": ["Battles", " "], "side": "am", "contested": "true",
                                  "date_from": "2020-10-01"})
    assert f.event_type == ["Battles"] and f.side == ["am"] and f.contested and str(f.date_from) == "2020-10-01"
    assert f.params()[0] == ("date_from", "2020-10-01")
    with pytest.raises(FilterError, match="date_from must be a date"):
        EventFilters(date_from="yesterday")


def test_a_denial_repeated_in_a_copy_is_one_disagreement():
    """The demo's syndicated copy repeats the Russian ministry's denial: one row, "and 1 copy"."""
    with TestClient(create_app(_store("demo")), base_url="http://127.0.0.1") as demo:
        rows = [r for r in demo.get("/api/disagreements").json()["items"] if r["kind"] == "responsibility_denied"]
    assert len(rows) == 1
    denier = rows[0]["positions"][0]["claims"]
    assert [(c["claimant"], c["copies"]) for c in denier] == [("Ministry of Defense of Russia", 1)]
