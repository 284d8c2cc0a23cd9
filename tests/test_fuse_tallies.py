"""Tally series: per counter and claimant, falling figures flagged; and the columnar figure ranges."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from test_fuse_gold import gold_reports, seed_documents

from warledger.fuse import event_figures, fuse
from warledger.models import Document, Place


@pytest.fixture(scope="module")
def toll():
    reports, keys = gold_reports(kinds=("tally",))
    return reports, keys, seed_documents()


def _later(report, doc_id, date, killed, qualifier="exact"):
    out = report.model_copy(deep=True, update={"doc_id": doc_id, "date": date, "killed": killed,
                                               "killed_qualifier": qualifier, "wounded": None})
    out.report_id = ""
    return out.with_id()


def _series_of(result, report_id):
    return next(s for s in result.tallies if any(p.report_id == report_id for p in s.points))


def test_rising_toll_is_one_series_in_date_order(toll):
    reports, keys, docs = toll
    prosecutor = next(r for r in reports if r.claimant.name.startswith("Prosecutor General"))
    later = _later(prosecutor, "950_update", dt.date(2020, 10, 25), 65)
    result = fuse(reports + [later], docs + [Document(doc_id="950_update", text="")])
    series = _series_of(result, later.report_id)
    assert [p.killed for p in series.points] == [60, 65]
    assert series.date_start == dt.date(2020, 9, 27) and not series.decreasing
    assert "AZ civilians" in series.counter
    assert result.assignments[later.report_id] == result.assignments[prosecutor.report_id]


def test_a_later_figure_below_an_earlier_one_is_flagged(toll):
    reports, keys, docs = toll
    prosecutor = next(r for r in reports if r.claimant.name.startswith("Prosecutor General"))
    lower = _later(prosecutor, "951_update", dt.date(2020, 10, 25), 55)
    result = fuse(reports + [lower], docs + [Document(doc_id="951_update", text="")])
    assert _series_of(result, lower.report_id).decreasing
    # "at least 58" later is no fall below 60 (it may be more)
    floor = _later(prosecutor, "952_update", dt.date(2020, 10, 25), 58, "at_least")
    result = fuse(reports + [floor], docs + [Document(doc_id="952_update", text="")])
    assert not _series_of(result, floor.report_id).decreasing


def test_other_claimants_keep_their_own_series(toll):
    reports, keys, docs = toll
    result = fuse(reports, docs)
    az = [r for r in reports if keys.get(r.report_id) == "az-civilian-toll"]
    assert len({_series_of(result, r.report_id).series_id for r in az}) == 4
    assert {_series_of(result, r.report_id).claimant.name for r in az} == {
        "Prosecutor General's Office of Azerbaijan", "Al Jazeera", "Anadolu Agency", "Azerbaijan"}
    ledger = {result.tally_ledgers[_series_of(result, r.report_id).series_id] for r in az}
    assert ledger == {result.assignments[az[0].report_id]}


def test_counts_of_unnamed_victims_in_two_countries_are_two_ledgers(toll):
    reports, keys, docs = toll
    base = next(r for r in reports if r.claimant.name.startswith("Prosecutor General"))
    places = {"960_gaza": Place(name="Gaza Strip", country="PS", precision="region"),
              "961_yemen": Place(name="Sanaa", geonameid=71137, country="YE", precision="place")}
    made = []
    for doc_id, place in places.items():
        copy = base.model_copy(deep=True, update={"doc_id": doc_id, "actor2": None, "location": place,
                                                   "killed": 7, "date_start": None})
        copy.report_id = ""
        made.append(copy.with_id())
    result = fuse(reports + made, docs + [Document(doc_id=d, text="") for d in places])
    assert result.assignments[made[0].report_id] != result.assignments[made[1].report_id]


def test_columnar_figures_take_each_claimants_latest():
    labels = np.array([0, 0, 0, 0, 5, 5, -1])
    claimant = np.array([1, 1, 2, 3, 1, 2, 1])
    day = np.array([10, 12, 11, 11, 3, 3, 3])
    killed = np.array([19, 21, 13, 40, 7, -1, 9])
    events, low, best, high = event_figures(labels, claimant, day, killed)
    # event 0: claimant 1 says 19 then 21 (21 counts), claimant 2 says 13, claimant 3 says 40
    assert events.tolist() == [0, 5]
    assert (low.tolist(), best.tolist(), high.tolist()) == ([13, 7], [21, 7], [40, 7])
