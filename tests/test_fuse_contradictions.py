"""Contradictions, figure ranges and candidate rules on the Ganja strike of 17 October 2020.

The base reports come from the seed gold (evidence found in the seed texts); the disputes are added as
reports of a further document, as another outlet's article about the same strike would give them.
"""
from __future__ import annotations

import datetime as dt

import pytest
from test_fuse_gold import gold_reports, seed_documents

from warledger.fuse import fuse
from warledger.models import Actor, Claimant, Document, Place

GANJA = "ganja-missile-2020-10-17"
REUTERS = Claimant(name="Reuters", side="XX", kind="outlet")


@pytest.fixture(scope="module")
def base():
    reports, keys = gold_reports()
    ganja = [r for r in reports if keys.get(r.report_id) == GANJA]
    return ganja, seed_documents()


def _variant(report, doc_id, claimant, **changes):
    out = report.model_copy(deep=True, update={"doc_id": doc_id, "claimant": claimant, **changes})
    out.report_id = ""
    return out.with_id()


def _other_doc(doc_id="999_other_outlet", published=dt.date(2020, 10, 18), outlet="Other Outlet"):
    return Document(doc_id=doc_id, text="", outlet=outlet, published=published)


def _event_of(result, report):
    event_id = result.assignments[report.report_id]
    return next(e for e in result.events if e.event_id == event_id)


def _al_jazeera(ganja):
    return next(r for r in ganja if r.claimant.name == "Al Jazeera")


def test_responsibility_denied_names_both_sides(base):
    ganja, docs = base
    event = _event_of(fuse(ganja, docs), ganja[0])
    denial = [c for c in event.contradictions if c.kind == "responsibility_denied"]
    assert denial and all(c.claimant_b == "Armenia" for c in denial)
    assert {c.claimant_a for c in denial} == {"Al Jazeera", "Hikmat Hajiyev", "Trend News Agency"}
    assert len(event.report_ids) == 4   # the denial joined the event it denies


def test_different_perpetrators_are_a_dispute_not_two_events(base):
    ganja, docs = base
    other = _variant(_al_jazeera(ganja), "999_other_outlet",
                     Claimant(name="Ministry of Defense of Armenia", side="AM", kind="military"),
                     actor1=Actor(name="Azerbaijani forces", side="AZ"))
    result = fuse(ganja + [other], docs + [_other_doc()])
    event = _event_of(result, other)
    assert other.report_id in event.report_ids and len(event.report_ids) == 5
    perpetrator = [c for c in event.contradictions if c.kind == "perpetrator"]
    assert perpetrator and all("Ministry of Defense of Armenia" in (c.claimant_a, c.claimant_b)
                               for c in perpetrator)


def test_same_camp_is_not_a_perpetrator_dispute(base):
    ganja, docs = base
    other = _variant(_al_jazeera(ganja), "999_other_outlet", Claimant(name="Artsakh Defense Army", side="NK",
                     kind="military"), actor1=Actor(name="Artsakh forces", side="NK"))
    event = _event_of(fuse(ganja + [other], docs + [_other_doc()]), other)
    assert not [c for c in event.contradictions if c.kind == "perpetrator"]


def test_figures_beyond_their_qualifiers_disagree(base):
    ganja, docs = base
    low = _variant(_al_jazeera(ganja), "999_other_outlet", REUTERS,
                   killed=7, killed_qualifier="exact", wounded=None, wounded_qualifier=None)
    event = _event_of(fuse(ganja + [low], docs + [_other_doc()]), low)
    figures = [c for c in event.contradictions if c.kind == "figures"]
    assert [c.field for c in figures] == ["killed", "killed"]   # 7 vs 13 (Al Jazeera) and 7 vs 13 (Trend)
    assert (event.killed.low, event.killed.high) == (7, 13)
    assert event.killed.best == 7   # lower median of the neutral claimants' 7 and 13


def test_about_figures_within_tolerance_agree(base):
    ganja, docs = base
    about = _variant(_al_jazeera(ganja), "999_other_outlet", REUTERS,
                     killed=12, killed_qualifier="approx", wounded=None, wounded_qualifier=None)
    event = _event_of(fuse(ganja + [about], docs + [_other_doc()]), about)
    assert not [c for c in event.contradictions if c.kind == "figures"]


def test_place_in_dispute_within_distance(base):
    ganja, docs = base
    goygol = Place(name="Goygol", geonameid=584716, lat=40.58619, lon=46.3189, admin1="62", country="AZ")
    other = _variant(_al_jazeera(ganja), "999_other_outlet", REUTERS,
                     location=goygol, location_text="Goygol")
    event = _event_of(fuse(ganja + [other], docs + [_other_doc()]), other)
    assert len(event.report_ids) == 5   # 11 km from Ganja, same day, same figures: the same strike
    place = [c for c in event.contradictions if c.kind == "place"]
    assert place and "Goygol" in place[0].detail


def test_date_in_dispute_within_window(base):
    ganja, docs = base
    other = _variant(_al_jazeera(ganja), "999_other_outlet", REUTERS,
                     date=dt.date(2020, 10, 16))
    event = _event_of(fuse(ganja + [other], docs + [_other_doc()]), other)
    assert len(event.report_ids) == 5
    assert event.date == dt.date(2020, 10, 17)   # the date most claims give
    assert any(c.kind == "date" and "2020-10-16" in c.detail for c in event.contradictions)


def test_later_figure_supersedes_same_claimants_earlier_one(base):
    ganja, docs = base
    trend = next(r for r in ganja if r.claimant.name == "Trend News Agency")
    later = _variant(trend, "999_trend_update", trend.claimant, killed=14)
    result = fuse(ganja + [later], docs + [_other_doc("999_trend_update", dt.date(2020, 10, 19), "Trend")])
    event = _event_of(result, later)
    superseded = {c.report_id for c in event.claims if c.superseded}
    assert superseded == {trend.report_id}
    assert (event.killed.low, event.killed.high) == (13, 14)
    figures = [c for c in event.contradictions if c.kind == "figures"]
    assert figures == [c for c in figures if trend.report_id not in (c.claim_a, c.claim_b)]   # 13 is old
    assert [{c.claimant_a, c.claimant_b} for c in figures] == [{"Trend News Agency", "Al Jazeera"}]
    assert len(event.claims) == 5   # every claim stays listed


def test_a_day_far_outside_the_window_is_another_event(base):
    ganja, docs = base
    other = _variant(_al_jazeera(ganja), "999_other_outlet", REUTERS,
                     date=dt.date(2020, 10, 14))
    result = fuse(ganja + [other], docs + [_other_doc()])
    assert result.assignments[other.report_id] != result.assignments[ganja[0].report_id]


def test_week_precision_widens_the_window(base):
    ganja, docs = base
    other = _variant(_al_jazeera(ganja), "999_other_outlet", REUTERS,
                     date=dt.date(2020, 10, 14), date_precision="week")
    result = fuse(ganja + [other], docs + [_other_doc()])
    assert result.assignments[other.report_id] == result.assignments[ganja[0].report_id]


def test_country_level_report_joins_the_place_only_with_support(base):
    ganja, docs = base
    azerbaijan = Place(name="Azerbaijan", country="AZ", precision="country")
    supported = _variant(_al_jazeera(ganja), "999_other_outlet", REUTERS, location=azerbaijan,
                         location_text="Azerbaijan's second city")
    bare = _variant(_al_jazeera(ganja), "998_other_outlet", Claimant(name="BBC", side="XX", kind="outlet"),
                    location=azerbaijan, location_text="Azerbaijan", actor1=None, killed=None, wounded=None,
                    evidence=[])
    result = fuse(ganja + [supported, bare], docs + [_other_doc(), _other_doc("998_other_outlet")])
    ganja_id = result.assignments[ganja[0].report_id]
    assert result.assignments[supported.report_id] == ganja_id
    assert result.assignments[bare.report_id] != ganja_id


def test_a_claim_the_extractor_split_in_two_is_one_event(base):
    ganja, docs = base
    aj = _al_jazeera(ganja)
    headline = aj.model_copy(deep=True, update={"killed": None, "wounded": None, "evidence": aj.evidence[:0]})
    headline.report_id = "r-headline-copy"
    result = fuse(ganja + [headline], docs)
    assert result.assignments[headline.report_id] == result.assignments[aj.report_id]
    next_day = headline.model_copy(update={"report_id": "r-next-day", "date": dt.date(2020, 10, 18)})
    result = fuse(ganja + [next_day], docs)
    assert result.assignments[next_day.report_id] != result.assignments[aj.report_id]


def test_reports_missing_date_type_or_document_do_not_stop_fusion(base):
    ganja, docs = base
    odd = [
        _variant(_al_jazeera(ganja), "997_unknown_doc", Claimant(name="X", kind="other"), date=None),
        _variant(_al_jazeera(ganja), "996_unknown_doc", Claimant(name="Y", kind="other"), sub_event_type=None,
                 event_type=None),
        _variant(_al_jazeera(ganja), "995_unknown_doc", Claimant(name="Z", kind="other"), location=None,
                 location_text=None, actor1=None, actor2=None),
    ]
    result = fuse(ganja + odd, docs)
    assert all(r.report_id in result.assignments for r in odd)
    assert len({result.assignments[r.report_id] for r in odd}) == 3   # nothing to join them by: alone
