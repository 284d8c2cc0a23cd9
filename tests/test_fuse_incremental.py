"""Event ids stay stable: when the same input is fused again, in another order, and when documents arrive."""
from __future__ import annotations

import random

import pytest
from test_fuse_gold import bcubed_f1, gold_reports, seed_documents

from warledger.fuse import fuse


@pytest.fixture(scope="module")
def gold():
    reports, keys = gold_reports()
    return reports, keys, seed_documents()


def _events_by_report(result):
    return {rid: eid for e in result.events for rid in e.report_ids for eid in [e.event_id]}


def test_same_input_in_any_order_gives_the_same_ids(gold):
    reports, _, docs = gold
    first = fuse(reports, docs)
    shuffled = reports[:]
    random.Random(7).shuffle(shuffled)
    again = fuse(shuffled, list(reversed(docs)))
    assert first.assignments == again.assignments
    assert [e.model_dump() for e in first.events] == [e.model_dump() for e in again.events]


def test_ids_survive_documents_arriving_one_by_one(gold):
    reports, keys, docs = gold
    # documents arrive newest first, so later arrivals carry the earlier reports of events already stored
    order = sorted(docs, key=lambda d: d.published, reverse=True)
    previous: list = []
    kept = 0
    for n in range(1, len(order) + 1):
        present = {d.doc_id for d in order[:n]}
        result = fuse([r for r in reports if r.doc_id in present], order[:n], previous_events=previous)
        now = _events_by_report(result)
        owner = {rid: e.event_id for e in previous for rid in e.report_ids}
        for old in previous:
            new_ids = {now[rid] for rid in old.report_ids}
            if len(new_ids) > 1:
                continue   # the event was split by what arrived: one part keeps the id (checked below)
            new_event = next(e for e in result.events if e.event_id in new_ids)
            absorbed = {owner[rid] for rid in new_event.report_ids if rid in owner}
            if absorbed == {old.event_id}:
                assert new_event.event_id == old.event_id, f"renamed after {order[n - 1].doc_id}"
                kept += 1
        for old in previous:   # a split event's id stays with the part holding its anchor report
            if len({now[rid] for rid in old.report_ids}) > 1:
                assert now[min(old.report_ids)] == old.event_id
        previous = result.events
    assert kept >= 70
    assert bcubed_f1(reports, keys, result.assignments) >= 0.95


def test_ganja_event_keeps_its_id_when_an_earlier_report_joins(gold):
    reports, keys, docs = gold
    ganja_ids = [rid for rid, key in keys.items() if key == "ganja-missile-2020-10-17"]
    trend = [r for r in reports if r.doc_id.startswith("001")]
    first = fuse(trend, [d for d in docs if d.doc_id.startswith("001")])
    trend_ganja = next(rid for rid in ganja_ids if rid in first.assignments)
    old_id = first.assignments[trend_ganja]
    later = fuse(reports, docs, previous_events=first.events)
    assert {later.assignments[rid] for rid in ganja_ids} == {old_id}
    # without the previous events the id would follow the smallest report id of the grown event
    fresh = fuse(reports, docs)
    assert len({fresh.assignments[rid] for rid in ganja_ids}) == 1


def test_new_clusters_do_not_reuse_previous_ids(gold):
    reports, _, docs = gold
    first = fuse(reports, docs)
    later = fuse(reports, docs, previous_events=first.events)
    assert later.assignments == first.assignments
    ids = [e.event_id for e in later.events]
    assert len(ids) == len(set(ids))


def test_events_round_trip_through_the_store_and_keep_their_ids(gold, tmp_path):
    from warledger.store import Store

    reports, _, docs = gold
    first_docs = [d for d in docs if d.doc_id < "002"]
    first = fuse([r for r in reports if r.doc_id < "002"], first_docs)
    with Store(tmp_path / "ledger.duckdb") as store:
        for d in docs:
            store.put_document(d)
        for d in docs:
            store.replace_reports(d.doc_id, [r for r in reports if r.doc_id == d.doc_id], "test")
        store.replace_fusion(first.events, first.assignments, first.tallies, first.copy_groups)
        stored = store.events()
        assert {e.event_id for e in stored} == {e.event_id for e in first.events}
        later = fuse(store.reports(), store.documents(), previous_events=stored)
        store.replace_fusion(later.events, later.assignments, later.tallies, later.copy_groups)
        by_report = {r.report_id: r.event_id for r in store.reports()}
    assert all(by_report[rid] == eid for rid, eid in first.assignments.items())
