"""Short texts we wrote (illustrative, not real news), run through the whole pipeline.

What they pin: a long first sentence told in the past is the lead, a report of its own, and its town stays the
story's (a short present-tense first line is still a headline); an act that is the agent of a casualty figure
happened though no place is named; a landmark named with its town ("a Kidal Bus Station") is at that town; an
earlier act named to set one in its series ("comes a week after ...") is dated that far back and is not where the
story goes on; a running total named with a town is that town's; an official titled by a province speaks for its
country, and a director-general is no general; "a military source" or "the Air Force" is of the state whose forces
the text named last; "a total of 13 strikes" counts acts, not a toll; people killed by a strike, or a strike on a
rink or a school, are civilians; missiles and drones downed under one count are one item of mixed kind, counted by
the verb's own figure; protesters as a side of a clash riot, and force used on them that day there is the riot's;
entering a deadlock takes no ground; a short present-tense line standing alone near the top of the first paragraph
is a title, folded into the body's report."""
from __future__ import annotations

import datetime as dt

import pytest
from written_texts import reports_by_text

FILLER = ("\n\nThe region has seen fighting for years.\n\nAid groups said roads were closed.\n\n"
          "Markets reopened later in the week.")

TEXTS = {
    "lead": "date 2024-03-12 Rebel fighters have captured the town of Kidal after two days of heavy fighting with "
            "the army, residents and local officials said on Tuesday, in the group's biggest advance in a year."
            + FILLER + "\n\nLater, the group's spokesman said its fighters had also seized the airport.",
    "headline": "Rebels capture Kidal after two days of fighting\n\nRebel fighters captured Kidal on Tuesday, "
                "residents said." + FILLER,
    "agent": "Fresh clashes between the two armies left dozens dead on Monday, the defence ministry said.",
    "landmark": "A suicide bomber killed 20 people at a Quetta Bus Station in southwestern Pakistan on Monday, "
                "officials said.",
    "earlier": "Russian drones struck Kharkiv on Monday, killing five people, the mayor said.\n\n"
               "The strike comes a week after a missile attack on a market in Sumy killed eight people.\n\n"
               "The mayor said the strike also damaged a school.",
"official": "Sudan's army said drones struck El Fasher on Monday.\n\nIbrahim Musa, the director-general of "
                "the North Darfur State Health Ministry, said 20 civilians were killed in El Fasher on Monday.",
    "forces": "Russian missiles struck Kyiv on Monday, killing five people, the mayor said.\n\nOf the 40 missiles "
              "launched, Ukrainian air defences shot down 30, according to the Air Force.",
    "junta": "Rebels attacked Lashio in Myanmar on Monday, the junta said.\n\nA military source told reporters "
             "that soldiers repelled the attack on Lashio.",
    "a_total": "The Houthi-run media said a total of 13 strikes had been launched against Yemen, including six on "
               "the capital Sanaa.",
    "people": "Russian missiles struck Kharkiv on Monday, the governor said.\n\n31 people were killed, including "
              "2 children.",
    "rink": "Ukrainian drones struck Belgorod on Saturday. One strike hit close to a public ice rink in Belgorod, "
            "the governor said.",
    "of_the": "Of the 158 Russian missiles and drones launched at Ukraine, Ukrainian air defence downed 114, "
              "according to the Air Force.",
    "n_of_m": "Ukrainian air defences shot down 114 of 158 Russian missiles and drones, the air force said.",
    "riot": "Police fired tear gas at protesters in Nairobi on Tuesday, witnesses said.\n\nLater, a fierce clash "
            "between police and protesters broke out outside parliament in Nairobi, witnesses said.\n\nIn Mombasa, "
            "hundreds of people marched peacefully on Tuesday, residents said.",
    "deadlock": "The talks in Azerbaijan show that the president has entered into a deadlock, a former minister "
                "said in Baku on Monday.\n\nRebels entered the town of Kidal on Monday, residents said.",
    "title_line": "date 2024-03-12 404\nSorry, the page you were looking for does not exist.\nRebels attack kills 12 "
                  "civilians in Kidal\nRebels killed 12 civilians in an attack on Kidal on Monday, the army "
                  "said.\n\nThe rebels also shelled Kidal on Monday, residents said.\n\nAid groups said roads "
                  "were closed.",
    "town_total": "Since the war began in April 2023, at least 2,000 civilians have been killed in El Fasher in "
                  "Sudan, the doctors' network said.",
}


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, list]:
    return reports_by_text(tmp_path_factory.mktemp("leads"), TEXTS)


def _events(reports):
    return [r for r in reports if r.kind == "event"]


def test_a_long_past_tense_first_sentence_is_the_lead_and_a_report(reports):
    taken = [r for r in _events(reports["lead"]) if r.sub_event_type == "Non-state actor overtakes territory"]
    assert taken and taken[0].location is not None and taken[0].location.name == "Kidal"
    assert any("Rebel fighters have captured" in e.text for e in taken[0].evidence)
    # the lead's town stays the story's: the airport seized paragraphs later is Kidal's
    later = [r for r in _events(reports["lead"]) if any("airport" in e.text for e in r.evidence)]
    assert later and all(r.location is not None and r.location.name == "Kidal" for r in later)


def test_a_short_present_tense_first_line_is_still_a_headline(reports):
    events = _events(reports["headline"])
    assert events and not any(any(e.text.startswith("Rebels capture") for e in r.evidence) and
                              len(r.evidence) == 1 for r in events)


def test_an_act_that_left_dead_happened_though_no_place_is_named(reports):
    clash = [r for r in _events(reports["agent"]) if r.sub_event_type == "Armed clash"]
    assert clash and clash[0].killed == 12 and clash[0].killed_qualifier == "at_least"


def test_a_landmark_named_with_its_town_is_at_that_town(reports):
    events = _events(reports["landmark"])
    assert events and events[0].location is not None and events[0].location.name == "Quetta"


def test_an_earlier_act_in_the_series_is_dated_back_and_not_where_the_story_goes_on(reports):
    events = _events(reports["earlier"])
    sumy = [r for r in events if r.location is not None and r.location.name == "Sumy"]
    assert sumy and sumy[0].date == dt.date(2024, 3, 5) and sumy[0].date_precision == "week"
    school = [r for r in events if any("school" in e.text for e in r.evidence)]
    assert school and all(r.location.name == "Kharkiv" for r in school)


def test_a_running_total_named_with_a_town_is_that_towns(reports):
    totals = [r for r in reports["town_total"] if r.kind == "tally"]
    assert totals and totals[0].killed == 2000 and totals[0].location.name == "El Fasher"


def test_an_official_titled_by_a_province_speaks_for_its_country(reports):
    said = [r for r in reports["official"] if r.claimant.name == "Ibrahim Musa"]
    assert said and said[0].claimant.side == "SD" and said[0].claimant.kind == "official"


def test_a_bare_military_claimant_is_of_the_state_whose_forces_were_named_last(reports):
    air = [r for r in reports["forces"] if r.claimant.mention == "the Air Force"]
    assert air and air[0].claimant.side == "UA"
    source = [r for r in reports["junta"] if (r.claimant.mention or "").lower() == "a military source"]
    assert source and source[0].claimant.side == "MM"


def test_a_total_of_strikes_counts_acts_not_a_toll(reports):
    assert any(r.location is not None and r.location.name == "Sanaa" for r in _events(reports["a_total"]))


def test_people_killed_by_a_strike_and_a_strike_on_a_rink_are_civilians(reports):
    killed = [r for r in _events(reports["people"]) if r.killed == 31]
    assert killed and killed[0].actor2.name == "Civilians" and killed[0].actor2.side == "UA"
    rink = [r for r in _events(reports["rink"]) if any("rink" in e.text for e in r.evidence)]
    assert rink and rink[0].actor2.name == "Civilians"


def test_missiles_and_drones_downed_under_one_count_are_one_mixed_item(reports):
    for key in ("of_the", "n_of_m"):
        items = [(m.type, m.count, m.outcome, m.side) for r in _events(reports[key]) for m in r.materiel]
        assert items == [("other", 114, "shot_down", "RU")], (key, items)


def test_protesters_in_a_clash_riot_and_force_on_them_that_day_is_the_riots(reports):
    nairobi = [r for r in _events(reports["riot"]) if r.location is not None and r.location.name == "Nairobi"]
    assert nairobi and {r.sub_event_type for r in nairobi} == {"Violent demonstration"}
    assert {r.event_type for r in nairobi} == {"Riots"}
    mombasa = [r for r in _events(reports["riot"]) if r.location is not None and r.location.name == "Mombasa"]
    assert mombasa and {r.sub_event_type for r in mombasa} == {"Peaceful protest"}


def test_entering_a_deadlock_takes_no_ground_and_entering_a_town_does(reports):
    taken = [r for r in _events(reports["deadlock"]) if r.event_type == "Battles"]
    assert [r.location.name for r in taken] == ["Kidal"]


def test_a_title_line_inside_the_first_paragraph_is_a_headline(reports):
    events = _events(reports["title_line"])
    assert events and all(r.claimant.kind != "outlet" for r in events), [r.claimant for r in events]
    # the title joins the army's report, which keeps its own day and perpetrator ("on Monday", "Rebels")
    army = [r for r in events if any(e.text.startswith("Rebels attack kills") for e in r.evidence)]
    assert army and army[0].date == dt.date(2024, 3, 11) and army[0].actor1.name.lower() == "rebels"
