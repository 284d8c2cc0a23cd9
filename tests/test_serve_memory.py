"""The dashboard's in-memory answers (`serve/memory.py`) are the store's answers, byte for byte over HTTP."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import orjson
import pytest
import serve_fixtures
from fastapi.testclient import TestClient
from serve_fixtures import store_path, unavailable

from warledger.serve import EventFilters, Ledger, create_app
from warledger.serve import memory as memory_module
from warledger.serve.index import SORTS
from warledger.serve.live import LiveLedger
from warledger.serve.queries import NOT_IN_MEMORY

pytestmark = pytest.mark.skipif(not serve_fixtures.seeds_available(),
                                reason="needs the seed corpus and gold at ../shared (the repo's sibling)")


@pytest.fixture(scope="module", params=["pipeline", "gold"])
def db(request) -> Path:
    why = unavailable(request.param)
    if why:
        pytest.skip(why)
    return store_path(request.param)


@pytest.fixture(scope="module")
def ledgers(db):
    """The same store answered from memory and from DuckDB alone."""
    in_memory, from_store = Ledger.open(db, word_index="now", memory="now"), Ledger.open(db, memory="off")
    yield in_memory, from_store
    in_memory.close()
    from_store.close()


def rendered(answer) -> bytes:
    return orjson.dumps(answer, option=orjson.OPT_NON_STR_KEYS)  # what the app sends


def ids(ledger: Ledger) -> tuple[list[str], list[str]]:
    events = [e["event_id"] for e in ledger.events(limit=500)["items"]]
    docs = [d["doc_id"] for d in ledger.documents(limit=500)["items"]]
    return events, docs


def test_memory_is_built_and_kept(ledgers):
    in_memory, from_store = ledgers
    assert in_memory.index.memory.ready.is_set() and in_memory.index.memory.texts_kept
    assert not from_store.index.memory.ready.is_set()
    events, docs = ids(in_memory)
    assert events and docs
    assert in_memory.event_in_memory(events[0]) is not NOT_IN_MEMORY
    assert from_store.event_in_memory(events[0]) is NOT_IN_MEMORY
    assert from_store.events_page_in_memory() is NOT_IN_MEMORY


def test_every_event_document_and_report_list_is_the_stores(ledgers):
    in_memory, from_store = ledgers
    events, docs = ids(from_store)
    for event_id in events + ["no such event", ""]:
        assert rendered(in_memory.event_in_memory(event_id)) == rendered(from_store.event(event_id))
        for limit, offset in ((100, 0), (1, 1), (0, 0), (5, 500)):
            found = in_memory.reports_in_memory(event_id=event_id, limit=limit, offset=offset)
            if event_id:
                assert rendered(found) == rendered(from_store.reports(event_id=event_id, limit=limit, offset=offset))
            else:  # no event asked: every report, read from the store
                assert found is NOT_IN_MEMORY
    for doc_id in docs + ["no such document"]:
        assert rendered(in_memory.document_in_memory(doc_id)) == rendered(from_store.document(doc_id))
    # what memory does not answer goes to the store, with the same answer
    doc_id = docs[0]
    assert in_memory.reports_in_memory(doc_id=doc_id, event_id=events[0]) is NOT_IN_MEMORY
    assert rendered(in_memory.reports(doc_id=doc_id)) == rendered(from_store.reports(doc_id=doc_id))
    assert rendered(in_memory.documents_full(docs)) == rendered(from_store.documents_full(docs))
    total = from_store.contradictions()["total"]
    for limit, offset in ((100, 0), (2, 1), (0, 0), (10, total - 1), (5, total + 5)):
        assert (rendered(in_memory.contradictions_in_memory(limit, offset))
                == rendered(from_store.contradictions(limit, offset)))


@pytest.mark.parametrize("sort", list(SORTS))
def test_every_page_in_every_order_is_the_stores(ledgers, sort):
    in_memory, from_store = ledgers
    total = from_store.stats()["counts"]["events"]
    for descending in (True, False):
        for limit, offset in [(50, 0), (7, 3), (0, 0), (500, 0), (10, total - 5), (10, total + 10)]:
            page = in_memory.events_page_in_memory(None, limit, offset, sort, descending)
            assert page is not NOT_IN_MEMORY
            assert page == rendered(from_store.events(None, limit, offset, sort, descending)), (descending, limit)


@pytest.mark.parametrize("filters", [
    EventFilters(event_type=["Battles"]), EventFilters(side=["AZ", "AM"], contested=True),
    EventFilters(q="ganja"), EventFilters(q="!!!"), EventFilters(place=["ganja"], date_from=dt.date(2020, 10, 17)),
    EventFilters(claimant=["ministry"]), EventFilters(q="no such word at all"),
])
def test_filtered_pages_are_the_stores(ledgers, filters):
    in_memory, from_store = ledgers
    for sort in ("date", "killed"):
        for limit, offset in [(50, 0), (3, 2), (0, 0)]:
            assert (in_memory.events_json(filters, limit, offset, sort, True)
                    == rendered(from_store.events(filters, limit, offset, sort, True)))
            assert (from_store.events_json(filters, limit, offset, sort, True)
                    == rendered(from_store.events(filters, limit, offset, sort, True)))


def test_http_answers_are_the_same_bytes(ledgers):
    in_memory, from_store = ledgers
    with (TestClient(create_app(in_memory), base_url="http://127.0.0.1") as fast,
          TestClient(create_app(from_store), base_url="http://127.0.0.1") as slow):
        events = [e["event_id"] for e in slow.get("/api/events", params={"limit": 30}).json()["items"]]
        docs = [d["doc_id"] for d in slow.get("/api/documents", params={"limit": 30}).json()["items"]]
        urls = ["/api/events", "/api/events?offset=3&limit=4", "/api/events?sort=place&order=asc&limit=20",
                "/api/events?event_type=Battles", "/api/events?q=ganja&sort=killed", "/api/events/no%20such",
                "/api/reports?event_id=nothing", "/api/documents/nothing", "/api/reports",
                "/api/contradictions", "/api/contradictions?limit=1&offset=1"]
        urls += [f"/api/events/{e}" for e in events] + [f"/api/reports?event_id={e}" for e in events]
        urls += [f"/api/documents/{d}" for d in docs] + [f"/api/reports?doc_id={d}" for d in docs]
        for url in urls:
            a, b = fast.get(url), slow.get(url)
            assert (a.status_code, a.headers["content-type"], a.content) == (
                b.status_code, b.headers["content-type"], b.content), url


def test_texts_over_the_bound_are_read_from_the_store(db, monkeypatch):
    monkeypatch.setattr(memory_module, "MAX_TEXT_BYTES", 0)
    bounded, from_store = Ledger.open(db, memory="now"), Ledger.open(db, memory="off")
    try:
        assert bounded.index.memory.ready.is_set() and not bounded.index.memory.texts_kept
        events, docs = ids(from_store)
        assert bounded.event_in_memory(events[0]) is NOT_IN_MEMORY
        assert bounded.document_in_memory(docs[0]) is NOT_IN_MEMORY
        assert rendered(bounded.contradictions_in_memory(3, 1)) == rendered(from_store.contradictions(3, 1))
        assert bounded.events_page_in_memory(None, 10, 1) == rendered(from_store.events(None, 10, 1))  # still
        assert rendered(bounded.event(events[0])) == rendered(from_store.event(events[0]))
        assert rendered(bounded.document(docs[0])) == rendered(from_store.document(docs[0]))
    finally:
        bounded.close()
        from_store.close()


def test_a_ledger_closed_while_building_lets_go(db):
    for _ in range(3):
        Ledger.open(db, memory="background").close()  # interrupts the build; nothing raises or hangs


def test_the_dashboard_serves_each_snapshot_with_its_memory_built(tmp_path):
    live = LiveLedger(store_path("gold"), refresh_s=0)
    try:
        assert live.index.memory.ready.is_set()  # built before the first request
    finally:
        live.close()
    with pytest.raises(ValueError, match="memory must be"):
        Ledger.open(store_path("gold"), memory="sometimes")
