"""Short texts we wrote (illustrative, not real news), run through the whole pipeline: who speaks.

What they pin: "he", when the sentences before name no person (the tagger can take "Telegram" for one), is the
last person who spoke, never the platform; "according to the outlet" is the medium named last, so its claim joins
that medium's report instead of standing as a claimant called "the outlet"; a governor's side comes from the town
he governs, not from a word of his name that is a village abroad; "struck Belgorod", with the town tagged an
organisation, is still the strike's place; a speaker named later by surname alone is the person named in full, and
"among the dead were nine" is a part of the toll told, no toll of its own; "contacted Azerbaijan with a proposal"
is a statement by the subject of the verb the proposal goes with; a lead the outlet goes on to tell in the body
with its own toll is the outlet's report, not folded into the lead's speaker's; a strike that is itself the
subject ("the strike ... and the killing of Ukrainian civilians is a war crime") names no perpetrator in its
victims; "those who launched missiles" is no act; missiles a town was hit with are the means, no materiel lost;
"the department claims" is the office named just before; "Ukraine" and "the State Emergency Service of Ukraine"
are two speakers, not a surname and its full name; a verb of saying before a colon speaks for the quote after it;
"I ask the personnel of the reserve troops to come" is an appeal, however many words name who is asked; "official
data" speaks for the state where it happened; "Russia's Ambassador to the United Nations, Vasily Nebenzya" is the
ambassador named, not the United Nations."""
from __future__ import annotations

import pytest
from written_texts import reports_by_text

TEXTS = {
    "platform": "Ukrainian drones struck Belgorod on Saturday, killing two people, regional governor Ivan Petrov "
                "has said.\n\nWriting on Telegram on Saturday, the official said that the barrage had hit the "
                "centre of the city. He said all information on casualties was preliminary, but added that the "
                "attack had hit a residential sector.",
    "outlet": "Ukrainian drones struck Belgorod on Saturday, regional governor Ivan Petrov said.\n\nThe Telegram "
              "channel Vesti reported that the death toll had risen to four people. According to the outlet, one "
              "shell fell directly on an ice rink in the downtown area.",
    "surname": "Drones struck the Zamzam camp in Sudan on Friday. More than 100 civilians were killed in the "
               "attack on the Zamzam camp, Ibrahim Musa, director general of the state health authority, said.\n\n"
               "Musa said that among the dead in the Zamzam camp were nine employees of an aid group. Musa said "
               "the drone attack on the Zamzam camp also wounded 20 people.",
    "proposal": "Authorities of the self-proclaimed Nagorno-Karabakh Republic contacted Azerbaijan with a proposal "
                "to stop hostilities and hold negotiations.",
    "lead_and_body": "The city of Sumy was struck by two ballistic missiles launched by the Russian army.\n\n"
                     "Lieutenant General Ivan Petrov, head of military intelligence, said this in a post on "
                     "Telegram.\n\nAccording to Petrov, the ballistic missile strike on Sumy and the killing of "
                     "Ukrainian civilians is another war crime by Russia. He said that no war criminal, from those "
                     "who gave orders to those who launched missiles, escapes retribution.\n\nOn the afternoon "
                     "of April 13, Russian troops hit the centre of Sumy with two ballistic missiles.\n\nThe death "
                     "toll from the Russian missile attack on Sumy rose to 32 people.",
    "the_department": "The Prosecutor General's Office of Azerbaijan announced at least one civilian death, killed "
                      "during shelling of Shusha on Tuesday. The department claims that the man died as a result "
                      "of shelling of Shusha by armed formations using mortars.",
    "two_bodies": "A Russian strike on Sumy killed at least 34 people on Sunday, Ukraine said.\n\nThe State "
                  "Emergency Service of Ukraine said 31 people were killed in the strike on Sumy.",
    "colon": "Russian missiles struck Sumy on Sunday, the mayor said.\n\nExpressing his condolences to the victims' "
             "families, General Ivan Petrov emphasized the importance of accountability: \"It is our common task "
             "to make sure that no war criminal escapes retribution.\"",
    "ask": "\u201cI ask the personnel of the reserve troops to come to their district commissariats,\u201d said Prime "
           "Minister Ivan Petrov.",
    "official_data": "Thousands of protesters rallied outside parliament in Tbilisi on Friday.\n\nAccording to "
                     "official data, 43 people were detained in Tbilisi on Friday.",
    "appositive": "Russian missiles struck Kyiv on Friday, the mayor said.\n\nRussia's Ambassador to the United "
                  "Nations, Vasily Nebenzya, asserted that Moscow had targeted military infrastructure, placing the "
                  "blame for civilian casualties on Ukraine's air defense systems.",
}


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, list]:
    return reports_by_text(tmp_path_factory.mktemp("speakers"), TEXTS)


def test_he_after_a_platform_is_the_last_person_who_spoke(reports):
    found = reports["platform"]
    assert found and not any(r.claimant.name.lower() == "telegram" for r in found)
    sector = [r for r in found if any("residential sector" in e.text for e in r.evidence)]
    assert sector and all("Ivan Petrov" in r.claimant.name for r in sector)


def test_a_governor_speaks_for_the_country_of_the_town_not_of_a_word_in_his_name(reports):
    # "Ivan", alone, is a village in Hungary: only the document's own countries may lend a side
    said = [r for r in reports["platform"] if "Ivan Petrov" in r.claimant.name]
    assert said and all(r.claimant.side == "RU" and r.claimant.kind == "official" for r in said)


def test_a_town_struck_is_the_place_though_the_tagger_calls_it_an_organisation(reports):
    struck = [r for r in reports["platform"] if r.kind == "event"]
    assert struck and all(r.location is not None and r.location.name == "Belgorod" for r in struck)
    assert all(r.actor2 is not None and r.actor2.side == "RU" for r in struck)


def test_according_to_the_outlet_is_the_medium_named_last(reports):
    found = reports["outlet"]
    assert not any(r.claimant.name.lower() in ("the outlet", "outlet") for r in found)
    rink = [r for r in found if any("ice rink" in e.text for e in r.evidence)]
    assert rink and all("Vesti" in r.claimant.name for r in rink)
    # one report for the medium: its toll and its rink are one claim of one strike
    assert len([r for r in found if "Vesti" in r.claimant.name and r.kind == "event"]) == 1


def test_a_surname_is_the_speaker_named_in_full_and_among_the_dead_is_no_toll(reports):
    said = [r for r in reports["surname"] if r.kind == "event" and "Musa" in r.claimant.name]
    assert len(said) == 1, [(r.claimant.name, r.killed) for r in said]
    assert said[0].killed == 100 and said[0].killed_qualifier == "at_least"
    assert not any(r.killed == 9 for r in reports["surname"])
    assert said[0].wounded == 20 and any("also wounded" in e.text for e in said[0].evidence)


def test_a_proposal_is_the_statement_of_the_subject_of_its_verb(reports):
    said = [r for r in reports["proposal"] if r.kind == "statement" and r.statement_type == "other"]
    assert said and said[0].claimant.side == "NK" and said[0].claimant.kind == "government"


def test_the_outlets_own_body_telling_stays_its_report(reports):
    found = [r for r in reports["lead_and_body"] if r.kind == "event"]
    outlet = [r for r in found if r.claimant.kind == "outlet"]
    assert len(outlet) == 1 and outlet[0].killed == 32 and outlet[0].materiel == []
    petrov = [r for r in found if "Petrov" in r.claimant.name]
    assert len(petrov) == 1 and petrov[0].actor1 is not None and petrov[0].actor1.side == "RU"
    assert not any(any("those who launched" in e.text for e in r.evidence) for r in found)
    # "He said": Petrov, not "Sumy" of "the strike on Sumy" (which the tagger calls a person)
    assert not any(r.claimant.name == "Sumy" for r in reports["lead_and_body"])


def test_the_department_is_the_office_named_before(reports):
    found = [r for r in reports["the_department"] if r.kind == "event"]
    assert found and all(r.claimant.name.startswith("Prosecutor General") for r in found)
    assert len(found) == 1 and len(found[0].evidence) == 2


def test_a_country_and_its_service_are_two_speakers(reports):
    tolls = sorted(r.killed for r in reports["two_bodies"] if r.kind == "event")
    assert tolls == [31, 34]


def test_a_verb_of_saying_before_a_colon_speaks_for_the_quote(reports):
    threats = [r for r in reports["colon"] if r.kind == "statement" and r.statement_type == "threaten"]
    assert threats and "Petrov" in threats[0].claimant.name


def test_asking_people_named_in_several_words_to_act_is_an_appeal(reports):
    assert any(r.kind == "statement" and r.statement_type == "appeal" and "Petrov" in r.claimant.name
               for r in reports["ask"])


def test_official_data_speak_for_the_state_where_it_happened(reports):
    arrests = [r for r in reports["official_data"] if r.sub_event_type == "Arrests"]
    assert arrests and arrests[0].claimant.side == "GE"


def test_a_title_with_the_name_in_apposition_is_the_person_named(reports):
    said = [r for r in reports["appositive"] if "Nebenzya" in r.claimant.name]
    assert said and all(r.claimant.side == "RU" for r in said)
    assert not any(r.claimant.side == "UN" for r in reports["appositive"])
