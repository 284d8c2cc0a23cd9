"""The dashboard's API against hostile requests: 4xx answers with JSON errors, never a 500, and nothing written.

Runs the real app on real stores: the seeds' gold store (every endpoint and parameter the app declares in its
OpenAPI schema, so endpoints added later are covered too) and a small store written here whose ids hold `/`.
Static routes are probed through a real Uvicorn server and raw request lines, so no client tidies the path.
"""
from __future__ import annotations

import datetime as dt
import http.client
import json
import socket
from pathlib import Path

import pytest
import serve_fixtures
import typer
from fastapi.testclient import TestClient
from serve_fixtures import store_path, unavailable
from typer.testing import CliRunner

from warledger.cli_serve import register
from warledger.errors import StoreError
from warledger.models import Claim, Claimant, Document, Event, Evidence, Place, Report, Source
from warledger.serve import create_app
from warledger.serve.guard import MAX_QUERY_BYTES, MAX_SEARCH_WORDS, bound_names
from warledger.serve.index import search_words
from warledger.store import Store
from warledger.store.snapshot import signature

SQL = ["' OR '1'='1", "1; DROP TABLE events; --", "\") UNION SELECT text FROM documents --",
       "%' AND 1=1 AND '%'='", "x') OR 1=1; DELETE FROM reports; --"]
HOSTILE = SQL + ["-1", str(2**63), str(-2**63 - 1), "1e309", "NaN", "0x10", "9" * 400, "%00", "%ED%A0%80",
                 "<script>alert(1)</script>", "../../../../etc/passwd", "\u202e\U0001F600" * 20, ""]



@pytest.fixture(scope="module")
def gold_db() -> Path:
    if not serve_fixtures.seeds_available():
        pytest.skip("needs the seed corpus and gold at ../shared (the repo's sibling)")
    why = unavailable("gold")
    if why:
        pytest.skip(why)
    return store_path("gold")


@pytest.fixture(scope="module")
def client(gold_db):
    with TestClient(create_app(gold_db, refresh_s=0), base_url="http://127.0.0.1") as c:
        yield c


def _json_error(response) -> dict:
    assert 400 <= response.status_code < 500, (response.request.url, response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("application/json"), response.headers["content-type"]
    body = response.json()
    assert body.get("detail"), body
    return body


def _get_routes(app) -> list[tuple[str, list[str]]]:
    """Every GET route of the API with its query parameters, from the app's own OpenAPI schema."""
    routes = []
    for path, methods in app.openapi()["paths"].items():
        if "get" in methods:
            params = [p["name"] for p in methods["get"].get("parameters", []) if p["in"] == "query"]
            routes.append((path, params))
    return routes


def test_every_parameter_of_every_endpoint_answers_hostile_values_without_a_500(client, gold_db):
    before = (signature(gold_db), client.get("/api/stats").json()["counts"])
    routes = _get_routes(client.app)
    assert len(routes) >= 10 and any(params for _, params in routes)
    asked = 0
    for path, params in routes:
        url = path.replace("{event_id}", "nope").replace("{doc_id}", "nope")
        for name in params:
            for value in HOSTILE:
                # raw query string: the hostile value goes in as percent-encoded or not, exactly as written
                response = client.get(f"{url}?{name}={value.replace(' ', '%20').replace('#', '%23')}")
                asked += 1
                assert response.status_code < 500, (url, name, value, response.text[:300])
                # answers are JSON, but for downloads (/api/export sends the file's own type)
                assert response.headers["content-type"].startswith("application/json") or (
                    path == "/api/export" and response.status_code == 200), (url, name, value)
                if response.status_code >= 400:
                    _json_error(response)
    assert asked > 300
    # nothing was written: the store file is as it was, and so is what the API counts
    assert (signature(gold_db), client.get("/api/stats").json()["counts"]) == before


def test_sql_in_filters_matches_nothing_and_harms_nothing(client):
    total = client.get("/api/events").json()["total"]
    for text in SQL:
        for name in ("place", "claimant", "side", "event_type"):
            answer = client.get("/api/events", params={name: text})
            assert answer.status_code == 200 and answer.json()["total"] == 0, (name, text)
        # a search takes the words and nothing else: the quotes, dashes and semicolons change nothing
        words = " ".join(search_words(text))
        assert (client.get("/api/events", params={"q": text}).json()["total"]
                == client.get("/api/events", params={"q": words}).json()["total"])
        assert client.get("/api/documents", params={"q": text}).json()["total"] == 0
        assert client.get("/api/reports", params={"doc_id": text}).json()["total"] == 0
    assert client.get("/api/events").json()["total"] == total


@pytest.mark.parametrize("value", ["-1", "-100", str(2**63), str(2**64 + 1), "1" * 40, "1.5", "ten", "1e3"])
def test_out_of_range_limits_and_offsets_are_4xx(client, value):
    for path in ("/api/events", "/api/reports", "/api/documents", "/api/contradictions", "/api/map"):
        for name in ("limit", "offset"):
            body = _json_error(client.get(f"{path}?{name}={value}"))
            assert name in json.dumps(body), body


def test_a_deep_offset_within_bounds_is_an_empty_page(client):
    page = client.get("/api/events", params={"offset": 10**9}).json()
    assert page["items"] == [] and page["total"] > 0 and page["offset"] == 10**9


def test_a_search_of_500_words_is_refused_and_32_are_answered(client):
    words = " ".join(f"w{i}" for i in range(500))
    body = _json_error(client.get("/api/events", params={"q": words}))
    assert str(MAX_SEARCH_WORDS) in body["detail"]
    for path in ("/api/map", "/api/timeline", "/api/documents"):
        _json_error(client.get(path, params={"q": words}))
    answer = client.get("/api/events", params={"q": " ".join(["ganja"] * MAX_SEARCH_WORDS)})
    assert answer.status_code == 200
    assert answer.json()["total"] == client.get("/api/events", params={"q": "ganja"}).json()["total"] > 0


def test_a_10_kb_query_string_is_refused(client):
    for path in ("/api/events", "/api/documents", "/api/stats", "/"):
        response = client.get(f"{path}?place={'a' * 10_000}")
        assert response.status_code == 414
        assert str(MAX_QUERY_BYTES) in _json_error(response)["detail"].replace(",", "")
    _json_error(client.get("/api/events?" + "&".join(f"side=AM{i}" for i in range(200))))


@pytest.mark.parametrize("event_id", ["nope", "e_' OR 1=1 --", "%2e%2e%2fdocuments", "a/b/c", "%00", "x" * 2000])
def test_unknown_ids_are_404_with_json(client, event_id):
    assert _json_error(client.get(f"/api/events/{event_id}"))["detail"]
    assert _json_error(client.get(f"/api/documents/{event_id}"))["detail"]


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_no_endpoint_writes(client, method):
    for path in ("/api/events", "/api/documents/x", "/api/stats", "/", "/static/app.js"):
        response = client.request(method, path, content=b'{"event_id": "x"}')
        assert response.status_code == 405
        _json_error(response)


def test_the_host_header_must_name_the_server(client):
    for host in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000", "LOCALHOST", "127.0.0.1"):
        assert client.get("/api/stats", headers={"host": host}).status_code == 200, host
    for host in ("evil.example", "evil.example:8000", "127.0.0.1.evil.example", "localhost.evil.example", ""):
        response = client.get("/api/stats", headers={"host": host})
        assert response.status_code == 421, host
        assert "host" in _json_error(response)["detail"]
    assert client.get("/", headers={"host": "attacker.test"}).status_code == 421


def test_names_answered_follow_the_bound_address():
    assert bound_names("127.0.0.1") == {"localhost", "127.0.0.1", "::1"}
    assert "dash.example.org" in bound_names("127.0.0.1", ["Dash.Example.org"])
    everywhere = bound_names("0.0.0.0")
    assert socket.gethostname().lower() in everywhere and "evil.example" not in everywhere
    assert "10.1.2.3" in bound_names("10.1.2.3")


@pytest.fixture(scope="module")
def slash_db(tmp_path_factory) -> Path:
    """A store whose document and event ids contain `/` (saved sites: `site/a/index.html`)."""
    path = tmp_path_factory.mktemp("slash") / "slash.duckdb"
    text = "Officials said two drones were shot down near Tovuz on 18 October 2020."
    docs = [Document(doc_id=f"site/{d}/index.html", text=f"{text} ({d})", content_hash=f"h-{d}",
                     published=dt.date(2020, 10, 18), title=f"Page {d}") for d in ("a", "b")]
    claimant = Claimant(name="Ministry of Defense of Azerbaijan", kind="military", side="AZ")
    report = Report(doc_id=docs[0].doc_id, kind="event", event_type="Strategic developments",
                    sub_event_type="Disrupted weapons use", date=dt.date(2020, 10, 18), claimant=claimant,
                    evidence=[Evidence(start=0, end=len(text), text=text)]).with_id()
    event = Event(event_id="ev/2020/tovuz", event_type=report.event_type, sub_event_type=report.sub_event_type,
                  date=report.date, location=Place(name="Tovuz", lat=40.99, lon=45.63, country="AZ"),
                  claims=[Claim(report_id=report.report_id, doc_id=report.doc_id, claimant=claimant,
                                stance="asserted", date=report.date, evidence=report.evidence)],
                  sources=[Source(doc_id=report.doc_id)], independent_sources=1, report_ids=[report.report_id])
    with Store(path) as store:
        for doc in docs:
            store.put_document(doc)
        store.replace_reports(docs[0].doc_id, [report], version="test")
        store.replace_fusion([event], {report.report_id: event.event_id})
    return path


def test_ids_containing_a_slash_can_be_opened(slash_db):
    with TestClient(create_app(slash_db, refresh_s=0), base_url="http://127.0.0.1") as client:
        for doc in ("a", "b"):
            for path in (f"/api/documents/site/{doc}/index.html", f"/api/documents/site%2F{doc}%2Findex.html"):
                answer = client.get(path)
                assert answer.status_code == 200, (path, answer.text)
                assert answer.json()["doc_id"] == f"site/{doc}/index.html"
                assert answer.json()["text"].endswith(f"({doc})")
        event = client.get("/api/events/ev%2F2020%2Ftovuz").json()
        assert event["event_id"] == "ev/2020/tovuz" and "site/a/index.html" in event["documents"]
        assert client.get("/api/events/ev/2020/tovuz").json()["event_id"] == "ev/2020/tovuz"
        assert client.get("/api/reports", params={"doc_id": "site/a/index.html"}).json()["total"] == 1
        _json_error(client.get("/api/documents/site/c/index.html"))


TRAVERSALS = ["/static/../pyproject.toml", "/static/../../../../../../etc/passwd", "/static/..%2f..%2f..%2fapp.py",
              "/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/static/%252e%252e/%252e%252e/etc/passwd",
              "/static/....//....//etc/passwd", "/static//etc/passwd", "/static/%2Fetc%2Fpasswd",
              "/static/vendor/../../app.py", "/static/..\\..\\app.py", "/static/%c0%ae%c0%ae/app.py",
              "/static/%00../app.py", "/..%2f..%2fetc/passwd", "/static/"]


@pytest.fixture(scope="module")
def live_server(slash_db):
    live = serve_fixtures.LiveServer(create_app(slash_db, refresh_s=0))
    yield live.port
    live.stop()
    live.app.state.ledger.close()


def _raw_get(port: int, path: str) -> tuple[int, str, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)  # the path goes out as written
    conn.putheader("Host", f"127.0.0.1:{port}")
    conn.endheaders()
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, response.getheader("content-type", ""), body


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_traversal_on_static_routes_gets_a_json_4xx(live_server, path):
    status, content_type, body = _raw_get(live_server, path)
    assert 400 <= status < 500, (path, status, body[:200])
    assert content_type.startswith("application/json"), (path, content_type)
    assert b"root:" not in body and b"import" not in body and b"[project]" not in body


def test_static_files_and_the_page_are_served(live_server):
    status, content_type, body = _raw_get(live_server, "/static/app.js")
    assert status == 200 and "javascript" in content_type and len(body) > 1000
    status, content_type, body = _raw_get(live_server, "/")
    assert status == 200 and content_type.startswith("text/html") and b"<html" in body.lower()


def test_a_foreign_host_gets_nothing_from_a_live_server(live_server):
    conn = http.client.HTTPConnection("127.0.0.1", live_server, timeout=10)
    conn.request("GET", "/api/stats", headers={"Host": "rebound.attacker.test"})
    response = conn.getresponse()
    assert response.status == 421 and b"documents" not in response.read()


def _cli() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


@pytest.mark.parametrize("port", ["70000", "0", "-1", "65536"])
def test_serve_refuses_a_port_out_of_range(port, tmp_path):
    result = CliRunner().invoke(_cli(), ["serve", "--db", str(tmp_path / "x.duckdb"), "--port", port])
    assert result.exit_code == 2
    assert "--port" in result.output and "Traceback" not in result.output


def test_a_store_removed_or_replaced_while_served_leaves_the_last_snapshot_showing(tmp_path, slash_db):
    import shutil

    import duckdb

    path = tmp_path / "served.duckdb"
    shutil.copy(slash_db, path)
    with TestClient(create_app(path, refresh_s=0), base_url="http://127.0.0.1") as client:
        ledger = client.app.state.ledger
        shown = client.get("/api/stats").json()["counts"]
        assert shown["documents"] == 2
        path.unlink()                                    # removed
        assert not ledger.refresh()
        duckdb.connect(str(path)).execute("CREATE TABLE unrelated (x INTEGER)").close()  # not a store
        with pytest.raises(StoreError, match="not a warledger store"):
            ledger.refresh()
        assert not ledger.refresh()                      # the same bad file is not tried again and again
        assert client.get("/api/stats").json()["counts"] == shown
        assert client.get("/api/documents/site/a/index.html").status_code == 200
        path.unlink()
        shutil.copy(slash_db, path)                      # a store again
        with Store(path) as store:
            store.put_document(Document(doc_id="site/c/index.html", text="Back again.", content_hash="h-c"))
        assert ledger.refresh()
        assert client.get("/api/stats").json()["counts"]["documents"] == 3
