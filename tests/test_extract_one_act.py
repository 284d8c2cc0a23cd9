"""Short texts we wrote (illustrative, not real news), run through the whole pipeline: one act's toll, and acts named
only as a time or a pattern.

What they pin: "the death toll from Saturday's rocket attack on the regional capital had risen to 24" is that
attack's event (not a running total), with the figure its verb reaches however long the phrase, at the town that
shares its name with the region the text named, and the buildings the sentence carrying it on says were damaged
are its materiel; "in the hours after the attack on Belgorod" names the act as a time, and "has suffered shelling
and drone attacks all year" names a pattern: neither is a report; an act nobody commented on ("Neither Kyiv nor
Moscow commented on the airstrike", "declined to comment on the strike") has no claimant in that sentence, and
"Moscow says strikes in the region target military sites" is a claim about strikes in general; what raids on a
whole province killed is a tally of that province, and "44 dead and wounded" is one number for both, no figure of
either; "at least two civilians, including one child" counts two; "the number of people wounded during shelling
has increased to 23 people" is a wounded count of 23; an attacker that says it targeted militants (in a school)
tells its strike as one on the militants; "the governorate" is the governorate the text named before; "areas
controlled by the rebels" says who holds them, no taking; a strike told with no perpetrator is the story's last
attacker's, unless the town is that attacker's own (then the other side's); attacks "in recent weeks" are a
pattern; "following the army's retaking of Khartoum" names an act as a time, no report, unless it is dated ("...
last month"), when it is one of its own; a village the gazetteer does not know keeps its article as written
("al-Wahshiyya"); a side confirming the deaths of its own members carries on the strike told before (a period
named in a relative clause about the side, "since the war began", counts nothing); a passive act with no agent is
by the subject of its "when" clause ("were abducted when bandits invaded"), and a later abduction told with no
abductor is theirs; figures said to count all the towns an act hit ("countrywide") are the country's report, not
the last town's; "fired a missile on X from Y" is a strike on X, Y where it came from."""
from __future__ import annotations

import datetime as dt

import pytest
from written_texts import reports_by_text

TEXTS = {
    "toll": "Ivan Petrov, governor of the Belgorod region bordering Ukraine, said the death toll from Saturday's "
            "Ukrainian rocket attack on the regional capital had risen to 24. In a posting on Telegram he said "
            "there were also 108 wounded and that 37 apartment buildings had been damaged.",
    "references": "There was no official comment from Kyiv in the hours after the attack on Belgorod and "
                  "Illustrative Wire could not verify the reports. Like other border towns, Belgorod has "
                  "suffered shelling and drone attacks all year.",
    "pattern_and_act": "Border towns have suffered shelling and drone attacks all year. On Sunday, drones "
                       "struck Belgorod, killing three people, the governor said.",
    "no_comment": "Russian drones struck Kharkiv on Monday, killing five people, the mayor said.\n\nNeither Kyiv "
                  "nor Moscow commented on the airstrike, though Moscow says strikes in the region target military "
                  "sites.\n\nThe Russian army declined to comment on the strike on Kharkiv.",
    "province": "The health office in Hodeidah said 16 civilians were killed and 35 wounded in raids on the "
                "Hodeidah Governorate on Friday.\n\nThe death toll from the strikes on the port has risen to more "
                "than 44 dead and wounded, officials said.",
    "parts": "As a result of the shelling launched by Azerbaijan on Tuesday, September 19, at least two civilians, "
             "including one child, were killed in Stepanakert, the ombudsman said.\n\nLater, the ombudsman said "
             "that the number of people wounded during shelling from Azerbaijan has increased to 23 people.",
    "declared_target": "An Israeli airstrike on a school in Gaza City killed 90 people on Saturday, the civil "
                       "defence said.\n\nThe Israeli military, in a statement, claimed responsibility for the "
                       "strike, stating that it targeted Hamas militants operating within a command centre located "
                       "in the school.",
    "the_governorate": "The strikes hit the port of Salif in Hodeidah Governorate in Yemen on Friday.\n\nThe "
                       "health office in Hodeidah reported that 16 civilians were killed and 35 wounded as a result "
                       "of the airstrikes on the governorate overnight.",
    "held": "US and British forces carried out strikes on targets in areas controlled by the rebels in Yemen on "
            "Friday, the Pentagon said.",
    "story_attacker": "US-UK strikes hit the port of Salif in Yemen on Friday, the Houthi-run health office "
                      "said.\n\nThe health office said 16 civilians were killed in airstrikes on the port of "
                      "Hodeidah on Friday.",
    "own_town": "Russian missiles struck Kharkiv on Monday, killing five, the mayor said.\n\nShelling hit "
                "Belgorod on Monday, killing two people, the governor said.",
    "recent_weeks": "In recent weeks, the paramilitaries have stepped up their attacks on El Fasher, the only state "
                    "capital in Darfur still outside their control.",
    "following": "Rebels step up attacks following the army's retaking of Khartoum.\n\nResidents said the city "
                 "was calm.",
    "following_dated": "In recent weeks, the paramilitaries have stepped up their attacks on El Fasher, following "
                       "the army's retaking of the national capital Khartoum last month.",
    "particle": "Rebels took the villages of Erze, al-Wahshiyya, Kafrtun and Yadgun in Hama province on Tuesday, "
                "the observatory said.",
    "own_dead": "An Israeli strike hit the town of Kfar Kila in Lebanon on Saturday, the Israeli army said.\n\n"
                "Hezbollah, which has exchanged near-daily fire with the Israeli army since the war began, "
                "confirmed the deaths of four of its members.",
    "when_clause": "At least 312 students were abducted on Thursday when bandits invaded a school in Kuriga in "
                   "Kaduna State, officials said.\n\nCommunity leaders said 187 students were abducted from the "
                   "secondary school in Kuriga on Thursday.",
    "countrywide": "On Friday, Russia launched a large-scale drone and missile attack on Ukrainian cities, "
                   "including Kyiv, Odesa, Kharkiv and Lviv, killing over 40 people and wounding over 160 people "
                   "countrywide.",
    "fired_from": "The Israeli army said Hezbollah had fired a missile on the town of Majdal Shams from Southern "
                  "Lebanon on Saturday.",
}


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, list]:
    return reports_by_text(tmp_path_factory.mktemp("one_act"), TEXTS, published="2023-12-31")


def test_the_toll_of_one_named_attack_is_its_event_at_the_regional_capital(reports):
    events = [r for r in reports["toll"] if r.kind == "event"]
    assert len(events) == 1 and not [r for r in reports["toll"] if r.kind == "tally"]
    attack = events[0]
    assert attack.killed == 24 and attack.wounded == 108
    # what the attack damaged, told in the sentence that carries it on, is its materiel
    assert [(m.type, m.count, m.outcome) for m in attack.materiel] == [("building", 37, "damaged")]
    assert attack.location is not None and attack.location.name == "Belgorod" and attack.location.precision == "place"
    assert attack.date == dt.date(2023, 12, 30)


def test_an_act_named_as_a_time_or_a_pattern_is_no_report(reports):
    assert not [r for r in reports["references"] if r.kind == "event"]


def test_a_pattern_does_not_hide_the_act_told_after_it(reports):
    events = [r for r in reports["pattern_and_act"] if r.kind == "event"]
    assert len(events) == 1 and events[0].killed == 3 and events[0].location.name == "Belgorod"


def test_no_comment_and_strikes_in_general_are_no_reports(reports):
    events = [r for r in reports["no_comment"] if r.kind == "event"]
    assert len(events) == 1, [(r.claimant.name, [e.text[:40] for e in r.evidence]) for r in events]
    assert events[0].killed == 5 and events[0].claimant.kind == "official"


def test_raids_on_a_province_make_a_tally_of_it_and_a_joint_count_is_no_figure(reports):
    tallies = [r for r in reports["province"] if r.kind == "tally"]
    assert len(tallies) == 1 and (tallies[0].killed, tallies[0].wounded) == (16, 35)
    assert tallies[0].location is not None and tallies[0].location.name == "Al Hudaydah Governorate"
    assert not any(r.killed == 44 or r.wounded == 44 for r in reports["province"])


def test_a_part_named_inside_is_not_the_count_and_a_number_reached_is(reports):
    found = reports["parts"]
    assert any(r.killed == 2 and r.killed_qualifier == "at_least" for r in found)
    assert not any(r.killed == 1 for r in found)
    assert any(r.wounded == 23 for r in found)


def test_an_attacker_that_says_it_targeted_militants_hit_them_in_its_report(reports):
    own = [r for r in reports["declared_target"] if r.kind == "event" and r.claimant.side == "IL"]
    assert own and own[0].actor2 is not None and own[0].actor2.name != "Civilians"
    assert own[0].actor2.side == "XX" and "Hamas" in own[0].actor2.name


def test_the_governorate_is_the_one_named_before(reports):
    tallies = [r for r in reports["the_governorate"] if r.kind == "tally"]
    assert tallies and tallies[0].killed == 16
    assert tallies[0].location is not None and tallies[0].location.name == "Al Hudaydah Governorate"


def test_areas_controlled_by_a_group_are_no_taking(reports):
    events = [r for r in reports["held"] if r.kind == "event"]
    assert events and not any(r.event_type == "Battles" for r in events)


def test_a_strike_with_no_perpetrator_is_the_story_attackers_unless_the_town_is_its_own(reports):
    hodeidah = [r for r in reports["story_attacker"] if r.kind == "event" and r.killed == 16]
    assert hodeidah and hodeidah[0].actor1 is not None and hodeidah[0].actor1.side == "US"
    belgorod = [r for r in reports["own_town"] if r.kind == "event" and r.location.name == "Belgorod"]
    assert belgorod and belgorod[0].actor1.side == "UA"


def test_acts_in_recent_weeks_or_named_as_a_time_are_no_reports_unless_dated(reports):
    assert not [r for r in reports["recent_weeks"] if r.kind == "event"]
    assert not [r for r in reports["following"] if r.sub_event_type == "Government regains territory"]
    taken = [r for r in reports["following_dated"] if r.sub_event_type == "Government regains territory"]
    assert taken and taken[0].date_precision == "month" and taken[0].location.name == "Khartoum"
    assert len([r for r in reports["following_dated"] if r.kind == "event"]) == 1


def test_an_unknown_village_keeps_its_article(reports):
    names = {r.location.name for r in reports["particle"] if r.kind == "event" and r.location is not None}
    assert "al-Wahshiyya" in names and "Wahshiyya" not in names


def test_a_side_counting_its_own_dead_carries_on_the_strike_before(reports):
    found = reports["own_dead"]
    assert not [r for r in found if r.kind == "tally"]
    own = [r for r in found if r.kind == "event" and r.killed == 4]
    assert own and own[0].location.name == "Kfar Kila"


def test_a_passive_act_is_by_the_subject_of_its_when_clause_and_later_ones_too(reports):
    taken = [r for r in reports["when_clause"] if r.sub_event_type == "Abduction/forced disappearance"]
    assert taken and all(r.actor1 is not None and r.actor1.side == "XX" and r.actor1.name.lower() == "bandits"
                         for r in taken)


def test_figures_counted_countrywide_are_the_countrys_not_the_last_towns(reports):
    events = [r for r in reports["countrywide"] if r.kind == "event"]
    towns = {r.location.name: r for r in events if r.location.precision == "place"}
    assert {"Kyiv", "Odesa", "Kharkiv", "Lviv"} <= set(towns)
    assert all(r.killed is None for r in towns.values())
    whole = [r for r in events if r.location.precision == "country"]
    assert whole and whole[0].location.country == "UA" and (whole[0].killed, whole[0].wounded) == (40, 160)
    assert whole[0].actor2 is not None and whole[0].actor2.name == "Civilians"


def test_a_missile_fired_from_one_place_on_another_is_a_strike_on_the_other(reports):
    events = [r for r in reports["fired_from"] if r.kind == "event"]
    assert events and {r.location.name for r in events} == {"Majdal Shams"}
    assert events[0].sub_event_type == "Shelling/artillery/missile attack" and events[0].actor1.side == "XX"
