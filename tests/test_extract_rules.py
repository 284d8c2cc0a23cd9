"""Rule tests for the extractor's parts that need no trained model (spacy.blank), and the rule data files."""
from __future__ import annotations

import datetime as dt
import re

import pytest
import spacy

from warledger.extract import detect_conflict, infer_outlet
from warledger.extract.dates import find_dates, infer_published
from warledger.extract.lexicon import load_lexicon
from warledger.extract.numbers import amounts
from warledger.models import SUB_EVENT_TYPES, Materiel

SAT = dt.date(2020, 10, 17)   # a Saturday


@pytest.fixture(scope="module")
def blank():
    return spacy.blank("en")


def _amounts(nlp, text):
    doc = nlp(text)
    return [(a.value, a.qualifier) for a in amounts(doc[:])]


@pytest.mark.parametrize("text, expected", [
    ("13 people were killed", [(13, "exact")]),
    ("more than 40 were wounded", [(40, "at_least")]),
    ("at least 18 civilians", [(18, "at_least")]),
    ("about 20 soldiers", [(20, "approx")]),
    ("nearly 1,200 troops", [(1200, "approx")]),
    ("dozens of people", [(12, "at_least")]),
    ("hundreds of people", [(100, "at_least")]),
    ("several houses", [(3, "at_least")]),
    ("a number of vehicles", [(None, None)]),
    ("seven villages", [(7, "exact")]),
    ("two drones", [(2, "exact")]),
])
def test_amounts_read_numbers_words_and_qualifiers(blank, text, expected):
    assert _amounts(blank, text) == expected


def test_amounts_leave_out_years_and_day_numbers(blank):
    assert _amounts(blank, "since 27 September 2020, in 1994 and on October 10") == []


@pytest.mark.parametrize("text, date, precision", [
    ("Late on Friday evening, the city", dt.date(2020, 10, 16), "day"),
    ("announced yesterday that", dt.date(2020, 10, 16), "day"),
    ("earlier today, Saturday", SAT, "day"),
    ("on October 10th in Moscow", dt.date(2020, 10, 10), "day"),
    ("since last September 27", dt.date(2020, 9, 27), "day"),
    ("on Sept. 27.", dt.date(2020, 9, 27), "day"),
    ("in the early days of October", dt.date(2020, 10, 4), "week"),
    ("the army's retaking of the capital last month", dt.date(2020, 9, 1), "month"),
    ("two days ago", dt.date(2020, 10, 15), "day"),
    ("The attack comes a week after a bomb blast", dt.date(2020, 10, 10), "week"),
    ("three months earlier", dt.date(2020, 7, 19), "month"),
    # wire copy: the weekday in brackets is the day, "today (yesterday)" the day before the copy's date
    ("on the camp yesterday (Thursday), with dozens injured", dt.date(2020, 10, 15), "day"),
    ("Today (yesterday), 14 civilians were also killed", dt.date(2020, 10, 16), "day"),
    ("in response to strikes on the town the previous day", dt.date(2020, 10, 16), "day"),
])
def test_relative_dates_resolve_against_publication(text, date, precision):
    found = find_dates(text, SAT)
    assert found, text
    assert (found[0].date, found[0].precision) == (date, precision)


def test_two_days_of_this_month_are_two_dates():
    found = find_dates("agreements reached on the 10th and 17th of this month", dt.date(2020, 10, 20))
    assert [d.date.day for d in found] == [10, 17]


def test_future_and_unknown_dates():
    assert find_dates("the meeting next Friday", SAT)[0].date == dt.date(2020, 10, 23)
    assert find_dates("on Saturday", None) == []


def test_publication_inferred_from_the_latest_full_date():
    text = "Talks began on 3 October 2020. On October 12, 2020 the ministry said the strike of October 11 ..."
    assert infer_published(text) == dt.date(2020, 10, 12)
    assert infer_published("No date is written here.") is None


@pytest.mark.parametrize("text, outlet", [
    ("For his part, Al-Jazeera correspondent reported that", "Al-Jazeera"),
    ("In an exclusive interview with Al Jazeera, Hajiyev said", "Al Jazeera"),
    ("One of the tanks captured by the army (Reuters)\n\nThe ministry said", "Reuters"),
    ("The ministry said nothing about the outlet.", None),
])
def test_outlet_named_by_its_correspondent_or_credit(text, outlet):
    assert infer_outlet(text) == outlet


def test_conflict_detected_from_keywords():
    lex = load_lexicon()
    karabakh = detect_conflict("Azerbaijan and Armenia fought over Karabakh; Baku said", lex.conflicts)
    assert karabakh.start == dt.date(2020, 9, 27)
    assert karabakh.opponent("AZ") == "AM" and karabakh.opponent("NK") == "AZ"
    sudan = detect_conflict("The RSF shelled Omdurman as the Sudan army advanced in Khartoum", lex.conflicts)
    assert sudan.name.startswith("Sudan")
    assert detect_conflict("A quiet day at the stock exchange.", lex.conflicts) is None


def test_rule_files_use_the_contract_vocabulary():
    lex = load_lexicon()
    assert all(t.sub in SUB_EVENT_TYPES for t in lex.triggers)
    assert all(w["sub"] in SUB_EVENT_TYPES for w in lex.weapons)
    assert {s["type"] for s in lex.statements} <= {"accuse", "condemn", "deny", "appeal", "threaten", "meet",
                                                   "other"}
    for mtype in set(lex.materiel_types.values()):
        Materiel(type=mtype, outcome="destroyed")   # validates against the contract's types
    assert set(lex.outcomes.values()) <= {"destroyed", "damaged", "captured", "shot_down"}


def test_machine_translation_slips_are_data():
    lex = load_lexicon()
    assert lex.slip_materiel["marchers"] == "drones"
    # a war's place slips come from its conflict pack, in a document about that war only
    karabakh = detect_conflict("Azerbaijan and Armenia fought over Karabakh; Baku said", lex.conflicts)
    assert lex.slip_pattern("place", karabakh).search("Baqara Bagh") is not None
    assert (lex.slip_pattern("place") or re.compile("$^")).search("Baqara Bagh") is None
