"""Short texts we wrote (illustrative, not real news), run through the whole pipeline.

What they pin: sub-event types of acts told without their means (what was hit decides a clash; a story's
means told once stay with the act they were told of; explosives laid name their means; an explosion in a
story of missiles takes the story's); firing at a place, protesters or a bus; civilians told by where they
were (worshippers, a displacement camp); running totals by country and tolls told in parts; agreements ("a
cessation of hostilities", not a ceasefire refused); statements by each party a speaking group names, threats
and accusations in their usual words, and interviews, visits to a site and phone calls to the press that are
no meetings; arrests at a protest's town with the injured counted in its dispersal; places (a capital after an
abstract noun is its government, a town's apposition says where it is, a camp's name before "camp", the town
after "the capital" or after a named site); a headline under a date line; who acted (a coalition by its first
state, "the army's retaking"); a new claimant's word on the act just told; claimants read through "they", date
lines, datelines and "per"."""
from __future__ import annotations

import pytest
from written_texts import reports_by_text

TEXTS = {
    # an attack on an armed target, no means named: a clash, whatever the story's means
    "post": "Rebels attacked an army checkpoint in Kidal on Monday, the governor said. "
            "Artillery shelling hit Gao on Sunday, residents said. Shelling also hit Kidal on Saturday.",
    # a group's attack on civilians, the story's means told once, of another act: an attack on civilians
    "camp": "Militiamen attacked a displacement camp in Mopti on Monday, killing 12 civilians, the mayor said. "
            "On Sunday, shelling hit a market in Gao, residents said.",
    "by_country": "The United Nations says that more than 9,000 civilians have been killed in Ukraine since the "
                  "invasion and nearly 70 people inside Russia.",
    "unplaced": "The Rapid Support Forces have besieged El Fasher for a year. Since the war began, more than "
                "2,000 civilians have been killed, the doctors' network said.",
    "members": "Russian missiles struck Kyiv on Monday, killing five people, officials said. At an emergency "
               "session, most council members, including Norway, Brazil and Japan, expressed strong condemnation "
               "of the strikes.",
    "services": "Ukrainian drones struck the Russian city of Belgorod on Saturday, the governor said. The alert "
                "was repeated by the city's "
                "emergency services, who told residents to stay in shelters.",
    # the town named once, more than a few lines before the arrests
    "arrests": "Thousands of people rallied in Yerevan on Friday against the government. The rally in Yerevan "
               "began at noon outside the parliament building. It went on into the evening, with speakers "
               "addressing the crowd from a stage while others waved flags, sang and chanted slogans for several "
               "hours without a break, and more people kept arriving from the suburbs and from nearby towns. "
               "Late in the evening police dispersed the crowd with tear gas and water cannon. The interior "
               "ministry said 30 people were detained, and dozens of participants were injured.",
    "capital": "Russian missiles struck Sumy on Sunday, killing 20 people, officials said. Zelensky said the "
               "attack showed the cruelty of Moscow. On Monday Russian drones hit the centre of Kyiv, the mayor "
               "said.",
    # a date line above the headline: the headline is still the headline, and repeats the body
    "headline": "date 2024-03-12 WORLD\nOver 50 feared dead in militia raid on camp: UN\n\nMore than 50 civilians "
                "were killed when militiamen attacked a displacement camp in Mopti on Monday, the United Nations "
                "said.\n\nThe camp shelters thousands of families.\n\nAid workers said the wounded were taken to "
                "the town's hospital.",
    "apposition": "Russian shelling killed a man in Vovchansk, a town in Ukraine's Kharkiv, on Sunday, officials "
                  "said.",
    # a group's word on the act just told, at its place: the group's own report of it
    "responsibility": "Gunmen attacked a police station in Zahedan on Friday, killing four officers, the "
                      "governor said. In a statement, the Jaish ul-Adl group claimed responsibility for the "
                      "attack in Zahedan.",
    "described": "An airstrike hit a market in Idlib on Sunday, killing nine people, rescuers said. The "
                 "newspaper Al-Watan said that the airstrike targeted militants.",
    # "They" goes on for the speakers named before; a region far from the town told before is an act of its own
    "they": "Shelling killed three people in Belgorod on Saturday, Russia's emergencies ministry said. Moscow "
            "officials reported shooting down 20 drones. They also reported that a man was killed in a separate "
            "incident in the Bryansk region.",
    # an interview and an act's target are no meetings; a meeting held is one
    "interview": "A bomb killed 20 people at a railway station in Quetta on Saturday. Speaking to Geo News, the "
                 "commissioner said the blast occurred at 8:25am. Russian missiles hit the site of a meeting of "
                 "Ukrainian commanders in Sumy, the ministry said. The foreign minister met with his Turkish "
                 "counterpart in Ankara on Monday, the ministry said. The president said so after visiting the site of the "
                 "blast. The rebels' spokesman announced the capture of the town via a phone call.",
    "threats": "Hezbollah rockets hit Majdal Shams on Saturday, killing 12 children, the army said. \"We will "
               "prepare for a response against Hezbollah,\" the defence minister said. The ministry said the "
               "militants use civilians as a living shield.",
    # firing at a town takes the means of the act told there; at protesters it is force against them; at a
    # bus, with its dead, an attack
    "fire_at": "Shelling killed a man in Kherson on Sunday, the governor said. Russian troops also fired at "
               "Kherson on Monday, the city council said.",
    "fire_protest": "Police fired at protesters in Nairobi on Tuesday, witnesses said.",
    "fire_bus": "Gunmen fired on a bus in Kaduna on Monday, killing five passengers, police said.",
    # people at a place where civilians gather or shelter are civilians, and an attack on them names no means
    "worshippers": "Gunmen attacked worshippers at a mosque in Kaduna on Friday, the police said.",
    "displaced": "The paramilitary forces launched ground assaults on the Zamzam displacement camp near El Fasher "
                 "on Friday, the United Nations said.",
    # victims of one act counted by group add up to its toll; "at least" in one part makes the sum a floor
    "parts": "Three civilians and two soldiers were killed in shelling on Kherson on Sunday, the governor said. "
             "At least four civilians and one policeman were killed in a drone strike on Sumy on Monday, the "
             "regional administration said.",
    # a camp's name before "camp" is a place, however the tagger labels it
    "camp_name": "For the seventh day in a row, the Nuseirat camp in the middle of the Gaza Strip is witnessing "
                 "continuous missile and artillery bombardment, the agency's correspondent said.",
    # a strike word with an explosive laid in its clause is that explosive; an explosion in a story of missiles
    # takes the story's means
    "roadside": "A convoy was struck by a roadside bomb near Kidal on Monday, killing two soldiers, the army said.",
    "explosions": "Russian missiles struck Sumy on Sunday, killing 20 people, officials said. On Monday two "
                  "explosions hit the centre of Kharkiv, the mayor said.",
    # "the capital Sanaa", "the capital, Sanaa": the town named after the word, however the tagger labels it
    "capital_named": "The Houthi-run media said 13 strikes had been launched against Yemen on Thursday, including "
                     "six on the capital Sanaa.",
    "capital_comma": "US-UK raids on Friday targeted several areas, including the capital, Sanaa, the Houthi-run "
                     "channel said.",
    # a site named, then after a comma the town it stands in
    "site_town": "Bandits abducted 40 pupils on Thursday when they invaded the Government Secondary School, Kuriga "
                 "in Chikun Local Government Area of Kaduna State, the police said.",
    # a coalition named by its first state; the army's retaking of a town is the state's
    "coalition": "US-UK raids on Hodeidah on Friday killed two people, the Houthi-run channel said.",
    "retaking": "Drones hit Omdurman on Saturday, weeks after the army's retaking of Khartoum, the outlet said.",
    # a cessation of hostilities agreed is an agreement; a ceasefire refused is none
    "cessation": "The army and the rebels agreed to a cessation of hostilities in Juba on Monday, the mediators "
                 "said.",
    "refused": "The rebels refused to accept a ceasefire in Juba on Monday, the mediators said.",
    # the date line and a dateline's town are no speakers; "per the AP" names one
    "dateline": "date 2024-03-10 Russia on Sunday said it struck military facilities in Kharkiv.\n\n"
                "KYIV (Illustrative Wire) - Ukrainian officials said drones hit Odesa on Sunday.\n\n"
                "Drone strikes on Zaporizhzhia continued on Sunday, per the AP.",
}


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, list]:
    return reports_by_text(tmp_path_factory.mktemp("types"), TEXTS)


def _at(reports, place: str, kind: str = "event"):
    return [r for r in reports if r.kind == kind and r.location is not None and r.location.name.startswith(place)]


def test_an_attack_on_an_army_checkpoint_is_a_clash(reports):
    monday = [r for r in _at(reports["post"], "Kidal") if r.date.day == 11]
    assert monday and monday[0].sub_event_type == "Armed clash"
    assert any(r.sub_event_type == "Shelling/artillery/missile attack" for r in _at(reports["post"], "Gao"))


def test_a_militia_attack_on_civilians_keeps_no_means_told_of_another_act(reports):
    camp = _at(reports["camp"], "Mopti")
    assert camp and camp[0].sub_event_type == "Attack" and camp[0].killed == 12
    assert any(r.sub_event_type == "Shelling/artillery/missile attack" for r in _at(reports["camp"], "Gao"))


def test_a_count_told_for_two_countries_is_two_tallies(reports):
    ukraine, russia = _at(reports["by_country"], "Ukraine", "tally"), _at(reports["by_country"], "Russia", "tally")
    assert [(r.killed, r.actor2.side) for r in ukraine] == [(9000, "UA")]
    assert [(r.killed, r.killed_qualifier) for r in russia] == [(70, "approx")]
    assert not [r for r in reports["by_country"] if r.kind == "event"]


def test_an_unplaced_count_of_civilians_is_of_the_side_where_the_war_is(reports):
    counts = [r for r in reports["unplaced"] if r.kind == "tally"]
    assert counts and counts[0].killed == 2000 and counts[0].actor2.side == "SD"


def test_a_group_that_names_its_members_gives_one_statement_per_member(reports):
    condemned = [r for r in reports["members"] if r.kind == "statement" and r.statement_type == "condemn"]
    assert sorted(r.claimant.name for r in condemned) == ["Brazil", "Japan", "Norway"]
    assert {r.actor2.side for r in condemned} == {"RU"}   # the attacker the story told of


def test_an_appeal_in_a_relative_clause_is_the_antecedents(reports):
    appeals = [r for r in reports["services"] if r.kind == "statement" and r.statement_type == "appeal"]
    assert appeals and "emergency services" in appeals[0].claimant.mention
    assert appeals[0].location.name == "Belgorod"   # its sentence names no town: the act's just told


def test_arrests_far_from_the_town_are_there_and_hurt_nobody(reports):
    arrests = [r for r in reports["arrests"] if r.kind == "event" and r.sub_event_type == "Arrests"]
    assert arrests and arrests[0].location.name == "Yerevan" and arrests[0].wounded is None
    dispersal = [r for r in reports["arrests"] if r.kind == "event"
                 and r.sub_event_type == "Protest with intervention"]
    assert dispersal and dispersal[0].wounded == 12 and dispersal[0].wounded_qualifier == "at_least"


def test_a_capital_after_an_abstract_noun_is_its_government_not_a_place(reports):
    places = {r.location.name for r in reports["capital"] if r.kind == "event" and r.location is not None}
    assert "Moscow" not in places
    assert {"Sumy", "Kyiv"} <= places   # "the centre of Kyiv" is a place


def test_a_place_in_an_apposition_locates_the_town_and_is_no_act_of_its_own(reports):
    places = [r.location.name for r in reports["apposition"] if r.kind == "event"]
    assert places == ["Vovchansk"]


def test_a_headline_under_a_date_line_is_no_report_of_its_own(reports):
    found = reports["headline"]
    assert any(r.kind == "event" and r.killed == 50 for r in found)
    alone = [r for r in found if all("feared dead" in e.text for e in r.evidence)]
    assert not alone, alone


def test_a_claim_of_responsibility_for_the_act_just_told_is_the_groups_report_of_it(reports):
    found = _at(reports["responsibility"], "Zahedan")
    claimants = {r.claimant.mention or r.claimant.name for r in found}
    assert any("Jaish ul-Adl" in c for c in claimants) and len(found) == 2
    assert {r.sub_event_type for r in found} == {found[0].sub_event_type}   # the act told, not a new type
    # the story's war (the Jaish ul-Adl's, in Pakistan) is not the country the police station was in
    assert {r.actor2.side for r in found} == {"IR"} and {r.actor1.side for r in found} == {"XX"}


def test_what_a_new_speaker_says_the_act_hit_is_its_report_of_the_act(reports):
    found = _at(reports["described"], "Idlib")
    assert len(found) == 2 and any("Al-Watan" in (r.claimant.mention or r.claimant.name) for r in found)
    assert all(r.sub_event_type == "Air/drone strike" and r.date.day == 10 for r in found)


def test_they_carry_on_the_speakers_named_before_and_a_far_region_stays_apart(reports):
    bryansk = _at(reports["they"], "Bryansk")
    assert bryansk and bryansk[0].claimant.side == "RU" and bryansk[0].killed == 1
    belgorod = _at(reports["they"], "Belgorod")
    assert belgorod and all("Bryansk" not in e.text for r in belgorod for e in r.evidence)


def test_date_lines_and_datelines_are_no_speakers_and_per_names_one(reports):
    by_town = {r.location.name[:5]: r.claimant for r in reports["dateline"] if r.kind == "event" and r.location}
    assert by_town["Khark"].mention == "Russia"
    assert "KYIV" not in by_town["Odesa"].mention and by_town["Odesa"].side == "UA"
    assert by_town["Zapor"].name == "Associated Press"


def test_an_interview_and_an_acts_target_are_no_meetings(reports):
    meetings = [r for r in reports["interview"] if r.kind == "statement" and r.statement_type == "meet"]
    assert [e.text[:15] for r in meetings for e in r.evidence] == ["The foreign min"]


def test_firing_at_a_town_protesters_or_a_bus_is_typed_by_what_was_fired_at(reports):
    monday = [r for r in _at(reports["fire_at"], "Kherson") if r.date.day == 11]
    assert [r.sub_event_type for r in monday] == ["Shelling/artillery/missile attack"]
    assert [r.sub_event_type for r in _at(reports["fire_protest"], "Nairobi")] == ["Excessive force against protesters"]
    bus = _at(reports["fire_bus"], "Kaduna")
    assert [(r.sub_event_type, r.killed) for r in bus] == [("Attack", 5)]
    assert not [r for key in ("fire_at", "fire_protest", "fire_bus") for r in reports[key]
                if r.sub_event_type == "Change to group/activity"]   # nobody was dismissed


def test_an_attack_on_worshippers_or_a_displacement_camp_is_an_attack_on_civilians(reports):
    for key, town in (("worshippers", "Kaduna"), ("displaced", "Zamzam")):
        found = _at(reports[key], town)
        assert [(r.sub_event_type, r.actor2.name) for r in found] == [("Attack", "Civilians")], key


def test_victims_of_one_act_counted_by_group_add_up_to_its_toll(reports):
    tolls = {r.location.name[:5]: (r.killed, r.killed_qualifier) for r in reports["parts"] if r.kind == "event"}
    assert tolls == {"Khers": (5, "exact"), "Sumy": (5, "at_least")}


def test_a_camps_name_before_camp_is_its_place(reports):
    assert [r.location.geonameid for r in reports["camp_name"] if r.kind == "event"] == [281109]   # An Nusayrat


def test_an_explosive_laid_names_the_means_and_an_explosion_takes_the_storys(reports):
    assert [r.sub_event_type for r in _at(reports["roadside"], "Kidal")] == ["Remote explosive/landmine/IED"]
    assert [r.sub_event_type for r in _at(reports["explosions"], "Kharkiv")] == ["Shelling/artillery/missile attack"]


def test_a_response_against_is_a_threat_and_a_living_shield_an_accusation(reports):
    types = {r.statement_type for r in reports["threats"] if r.kind == "statement"}
    assert {"threaten", "accuse"} <= types


def test_the_town_named_after_the_capital_is_a_place(reports):
    for key in ("capital_named", "capital_comma"):
        assert [r.location.name for r in reports[key] if r.kind == "event"] == ["Sanaa"], key


def test_the_town_after_a_named_site_is_the_acts_place(reports):
    assert {r.location.name for r in reports["site_town"] if r.kind == "event"} == {"Kuriga"}


def test_a_coalition_is_named_by_its_first_state_and_the_armys_retaking_is_the_states(reports):
    assert {r.actor1.side for r in reports["coalition"] if r.kind in ("event", "tally")} == {"US"}
    retaken = _at(reports["retaking"], "Khartoum")
    assert [(r.sub_event_type, r.actor1.side) for r in retaken] == [("Government regains territory", "SD")]


def test_a_cessation_of_hostilities_agreed_is_an_agreement_and_a_refused_ceasefire_none(reports):
    assert [r.sub_event_type for r in _at(reports["cessation"], "Juba")] == ["Agreement"]
    assert not [r for r in reports["refused"] if r.kind == "event"]
