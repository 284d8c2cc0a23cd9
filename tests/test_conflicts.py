"""Conflict packs: the schema's checks and messages, the registry (built-in and user packs), `warledger conflicts`,
and a war we make up coded from its pack alone."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from warledger.cli import app
from warledger.conflicts import (
    ENV_VAR,
    PackError,
    active_registry,
    build_registry,
    builtin_paths,
    load_pack,
    use_packs,
)
from warledger.conflicts.check import check_pack

SRC = Path(__file__).resolve().parents[1] / "src" / "warledger"
README = (SRC.parents[1] / "README.md").read_text(encoding="utf-8")

# A war that never was, fought in real towns: the groups' names are invented.
ALTIPLANO = """\
name: Altiplano war
start: 2031-03-02
keywords: [altiplano, reed brigades, sovereign guard]
parties:
  - side: BO
    camp: government
    actors:
      - {name: Sovereign Guard Corps, kind: military, aliases: [Sovereign Guard Corps, Sovereign Guard, SGC]}
  - side: XX
    camp: rebels
    actors:
      - {name: Crimson Reed Brigades, aliases: [Crimson Reed Brigades, Reed Brigades]}
"""
ARTICLE = """\
Rebels attack guard post near Oruro

ORURO, Bolivia, March 14, 2031 - Fighters of the Reed Brigades attacked a post of the Sovereign Guard near Oruro \
on Tuesday, killing three guardsmen, the Sovereign Guard said in a statement.

The Altiplano war began in March when the Reed Brigades seized mines around Potosi.
"""


@pytest.fixture(autouse=True)
def _no_user_packs(monkeypatch):
    """Every test starts (and ends) with the built-in packs only."""
    monkeypatch.delenv(ENV_VAR, raising=False)
    use_packs([])
    yield
    use_packs([])


def write(tmp_path: Path, text: str, name: str = "pack.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def broken(tmp_path: Path, old: str, new: str) -> Path:
    assert old in ALTIPLANO
    return write(tmp_path, ALTIPLANO.replace(old, new))


# ----- schema -----
def test_a_minimal_pack_is_valid_and_gets_its_camps_from_its_parties(tmp_path):
    pack = load_pack(write(tmp_path, ALTIPLANO))
    assert pack.name == "Altiplano war" and [p.side for p in pack.parties] == ["BO", "XX"]
    conflict = build_registry([tmp_path / "pack.yaml"]).get("Altiplano war")
    assert conflict is not None and conflict.source == "user"
    view = next(c for c in build_registry([tmp_path / "pack.yaml"]).extractor_conflicts if c.name == "Altiplano war")
    assert view.camps == (("BO",), ("XX",)) and view.opponent("XX") == "BO" and view.front is None


@pytest.mark.parametrize("old, new, key, problem", [
    ("side: BO", "side: ZQ", "parties[0] (ZQ).side", "'ZQ' is no country code"),
    ("aliases: [Crimson Reed Brigades, Reed Brigades]", "aliases: [Crimson Reed Brigades, Sovereign Guard]",
     "parties[1] (XX).actors[0] (Crimson Reed Brigades)",
     "alias 'sovereign guard' is claimed by two sides, BO (Sovereign Guard Corps) and XX"),
    ("start: 2031-03-02", "start: 2031-13-40", "start", "'2031-13-40' is not a date"),
    ("keywords: [altiplano, reed brigades, sovereign guard]\n",
     "keywords: [altiplano]\nplaces:\n  - {name: Oruro North, country: BO}\n", "places[0] (Oruro North)",
     "place 'Oruro North' has no coordinates"),
    ("    camp: rebels\n", "    camp: rebels\n    colour: red\n", "parties[1] (XX).colour", "unknown key"),
    ("    camp: rebels\n", "    camp: rebels\n    fights: loyalists\n", "parties[1] (XX).fights",
     "'loyalists' is no camp of this pack"),
])
def test_a_bad_pack_is_refused_naming_the_file_the_key_and_the_problem(tmp_path, old, new, key, problem):
    path = broken(tmp_path, old, new)
    with pytest.raises(PackError) as caught:
        load_pack(path)
    message = str(caught.value)
    assert message.startswith(str(path)), message
    assert f"{key}:" in message and problem in message, message


def test_a_side_outside_the_two_camps_fights_the_camp_its_pack_names(tmp_path):
    third = ALTIPLANO + "  - side: US\n    camp: strikers\n    belligerent: false\n    fights: rebels\n"
    view = next(c for c in build_registry([write(tmp_path, third)]).extractor_conflicts
                if c.name == "Altiplano war")
    assert view.opponent("US") == "XX" and view.opponent("BO") == "XX" and view.opponent("FR") is None


def test_a_pack_without_required_keys_says_which(tmp_path):
    path = write(tmp_path, "name: Nameless\nstart: 2030-01-01\n")
    with pytest.raises(PackError, match=r"keywords: missing \(required\).*parties: missing \(required\)"):
        load_pack(path)


def test_not_yaml_and_not_a_mapping_are_clear_errors(tmp_path):
    with pytest.raises(PackError, match="not valid YAML"):
        load_pack(write(tmp_path, "name: [unclosed\n"))
    with pytest.raises(PackError, match="a conflict pack is a YAML mapping"):
        load_pack(write(tmp_path, "- just\n- a list\n"))
    with pytest.raises(PackError, match="cannot read"):
        load_pack(tmp_path / "missing.yaml")


# ----- registry -----
def test_the_built_in_packs_are_valid_and_cover_the_theatres():
    names = active_registry().names()
    for wanted in ("Armenia-Azerbaijan", "Russia-Ukraine", "Sudan", "Israel-Gaza-Lebanon", "Yemen and the Red Sea",
                   "Syria", "Myanmar", "DR Congo", "Ethiopia", "Somalia", "Sahel", "Nigeria", "Pakistan"):
        assert wanted in names
    assert len(builtin_paths()) == len(names)


def test_a_user_pack_named_like_a_built_in_one_replaces_it(tmp_path):
    path = write(tmp_path, ALTIPLANO.replace("name: Altiplano war", "name: Sudan"))
    registry = use_packs([path])
    sudan = registry.get("Sudan")
    assert sudan.source == "user" and [p.side for p in sudan.pack.parties] == ["BO", "XX"]
    assert registry.names().count("Sudan") == 1


def test_packs_come_from_the_environment_too(tmp_path, monkeypatch):
    path = write(tmp_path, ALTIPLANO)
    monkeypatch.setenv(ENV_VAR, f"{tmp_path / 'nothing-here-yet.yaml'}:{path}".split(":", 1)[1])
    assert "Altiplano war" in active_registry().names()
    monkeypatch.delenv(ENV_VAR)
    assert "Altiplano war" not in active_registry().names()


def test_stage_data_files_hold_no_war_knowledge():
    """War knowledge is in the packs alone: the stages' own data files name no war, group or disputed place."""
    war_words = re.compile(r"karabakh|artsakh|gaza|hamas|hezbollah|houthi|darfur|donbas|tigray|shabaab|boko haram|"
                           r"\bm23\b|\brsf\b|zamzam|stepanakert|khankendi|kherson|idlib|hodeidah", re.IGNORECASE)
    files = [*sorted((SRC / "resolve" / "data").glob("*.yaml")), SRC / "extract" / "data" / "mt_slips.yaml",
             SRC / "fuse" / "rules.yaml", *sorted((SRC / "resolve").glob("*.py")), SRC / "fuse" / "rules.py",
             SRC / "extract" / "lexicon.py", SRC / "pipeline.py"]
    assert not (SRC / "extract" / "data" / "conflicts.yaml").exists()
    found = {f.name: war_words.findall(f.read_text(encoding="utf-8")) for f in files}
    assert not {k: v for k, v in found.items() if v}


# ----- a war we make up, coded from its pack -----
def _reports(db: Path) -> list[dict]:
    from warledger.store import Store

    with Store(db, read_only=True) as store:
        return [r.contract() for r in store.reports()]


def test_an_invented_war_is_coded_from_its_pack_and_not_without_it(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "altiplano.txt").write_text(ARTICLE, encoding="utf-8")
    pack = write(tmp_path, ALTIPLANO)
    runner = CliRunner()

    with_pack = runner.invoke(app, ["run", str(folder), "--db", str(tmp_path / "with.duckdb"), "-q",
                                    "--conflict-pack", str(pack)])
    assert with_pack.exit_code == 0, with_pack.output
    coded = _reports(tmp_path / "with.duckdb")
    claimants = {(r["claimant"]["name"], r["claimant"]["side"], r["claimant"]["kind"]) for r in coded}
    assert ("Sovereign Guard Corps", "BO", "military") in claimants
    actors = {(a["name"], a.get("side")) for r in coded for a in (r.get("actor1"), r.get("actor2")) if a}
    assert ("Crimson Reed Brigades", "XX") in actors

    use_packs([])
    without = runner.invoke(app, ["run", str(folder), "--db", str(tmp_path / "without.duckdb"), "-q"])
    assert without.exit_code == 0, without.output
    plain = _reports(tmp_path / "without.duckdb")
    assert plain, "the article still gives reports without the pack"
    assert not any(r["claimant"].get("side") == "BO" for r in plain)
    assert not any(a and a["name"] == "Crimson Reed Brigades" for r in plain for a in (r.get("actor1"), r.get("actor2")))


STRIKES = """\
ORURO, Bolivia, March 14, 2031 - The Sovereign Guard launched missiles at a camp of the Reed Brigades near Oruro \
on Tuesday, killing four fighters, the Sovereign Guard said in a statement.

In Potosi, Sovereign Guard artillery shelled positions of the Reed Brigades on Tuesday, the Altiplano war's \
monitors said.
"""


def test_a_side_whose_strikes_come_from_the_air_has_air_strikes_unless_a_ground_weapon_is_named(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "strikes.txt").write_text(STRIKES, encoding="utf-8")
    subs = {}
    for name, text in (("plain", ALTIPLANO), ("air", ALTIPLANO.replace(
            "    camp: government\n", "    camp: government\n    strikes_from: air\n"))):
        pack = write(tmp_path, text, name=f"{name}.yaml")
        db = tmp_path / f"{name}.duckdb"
        result = CliRunner().invoke(app, ["run", str(folder), "--db", str(db), "-q", "--conflict-pack", str(pack)])
        assert result.exit_code == 0, result.output
        subs[name] = {(r["location"] or {}).get("name"): r["sub_event_type"] for r in _reports(db)
                      if r["kind"] == "event"}
    assert subs["plain"].get("Oruro") == "Shelling/artillery/missile attack"
    assert subs["air"].get("Oruro") == "Air/drone strike"
    assert subs["air"].get("Potosí", subs["air"].get("Potosi")) == "Shelling/artillery/missile attack"


def test_a_bad_conflict_pack_stops_the_run_before_anything_is_stored(tmp_path):
    pack = broken(tmp_path, "side: BO", "side: ZQ")
    result = CliRunner().invoke(app, ["run", str(tmp_path), "--db", str(tmp_path / "s.duckdb"), "-q",
                                      "--conflict-pack", str(pack)])
    assert result.exit_code == 1
    assert "ZQ" in result.output and str(pack) in result.output.replace("\n", "")
    assert not (tmp_path / "s.duckdb").exists()


# ----- `warledger conflicts` -----
def test_conflicts_check_reports_each_problem_of_a_broken_pack(tmp_path):
    text = (ALTIPLANO.replace("side: BO", "side: ZQ")
            .replace("start: 2031-03-02", "start: someday")
            .replace("aliases: [Crimson Reed Brigades, Reed Brigades]", "aliases: [Crimson Reed Brigades, SGC]")
            + "places:\n  - {name: Oruro North, country: BO}\n")
    path = write(tmp_path, text)
    result = CliRunner().invoke(app, ["conflicts", "check", str(path), "--json"])
    assert result.exit_code == 1
    problems = json.loads(result.output)["problems"]
    joined = "\n".join(problems)
    assert all(p.startswith(str(path)) for p in problems)
    assert "start: 'someday' is not a date" in joined
    assert "place 'Oruro North' has no coordinates" in joined
    # the side and alias checks need the parties to parse; fix the date and coordinates and they show
    text = text.replace("start: someday", "start: 2031-03-02").replace("country: BO}", "country: BO, lat: -17.9, lon: -67.1}")
    result = CliRunner().invoke(app, ["conflicts", "check", str(write(tmp_path, text))])
    assert result.exit_code == 1
    assert "parties[0] (ZQ).side: 'ZQ' is no country code" in " ".join(result.output.split())
    text = text.replace("side: ZQ", "side: BO")
    result = CliRunner().invoke(app, ["conflicts", "check", str(write(tmp_path, text))])
    assert result.exit_code == 1
    assert "alias 'sgc' is claimed by two sides, BO (Sovereign Guard Corps) and XX" in " ".join(result.output.split())


def test_conflicts_check_on_a_folder_reports_what_the_pack_matched(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "b.txt").write_text("A quiet market day in Sucre, Bolivia. Nothing happened.\n", encoding="utf-8")
    pack = write(tmp_path, ALTIPLANO)
    result = check_pack(pack, on=folder)
    assert result.ok and result.documents == 2 and result.about == 1
    found = {(m.kind, m.name, m.alias): (m.documents, m.mentions) for m in result.matches}
    assert found[("actor", "Crimson Reed Brigades", "Reed Brigades")] == (1, 2)
    assert found[("actor", "Sovereign Guard Corps", "Sovereign Guard")] == (1, 2)
    assert "actor Sovereign Guard Corps" not in result.unmatched
    cli = CliRunner().invoke(app, ["conflicts", "check", str(pack), "--on", str(folder)])
    assert cli.exit_code == 0, cli.output
    assert "Reed Brigades" in cli.output and "2 document(s) read, 1 about this war" in cli.output


def test_conflicts_list_and_show(tmp_path):
    pack = write(tmp_path, ALTIPLANO)
    use_packs([pack])
    listed = CliRunner().invoke(app, ["conflicts", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    rows = {r["name"]: r for r in json.loads(listed.output)}
    assert rows["Altiplano war"]["source"] == "user" and rows["Sudan"]["source"] == "built-in"
    shown = CliRunner().invoke(app, ["conflicts", "show", "Altiplano war"])
    assert shown.exit_code == 0, shown.output
    data = yaml.safe_load(shown.output.split("\n", 1)[1])
    assert data["parties"][0]["actors"][0]["name"] == "Sovereign Guard Corps"
    missing = CliRunner().invoke(app, ["conflicts", "show", "Atlantis"])
    assert missing.exit_code == 1 and "no conflict pack named 'Atlantis'" in missing.output


@pytest.mark.parametrize("command", ["list", "show", "check"])
def test_conflicts_commands_have_help_and_are_documented(command):
    result = CliRunner().invoke(app, ["conflicts", command, "--help"])
    assert result.exit_code == 0 and len(result.output.strip()) > 40
    assert f"warledger conflicts {command}" in README


def test_the_readme_worked_example_is_a_valid_pack(tmp_path):
    start = README.index("### A worked example")
    block = README[README.index("```yaml", start) + 7:README.index("```", README.index("```yaml", start) + 7)]
    pack = load_pack(write(tmp_path, block, "example.yaml"))
    assert pack.name == "Cabo Delgado insurgency" and {p.side for p in pack.parties} == {"MZ", "RW", "XX"}
    assert any(pl.within == "Palma" for pl in pack.places)


def test_pack_places_live_beside_the_cached_index_not_in_it(tmp_path):
    from warledger.resolve import Resolver, default_cache_dir
    from warledger.resolve.gazetteer import cache_path

    pack = write(tmp_path, ALTIPLANO + "places:\n  - {name: Qoriwasi Camp, aliases: [Qoriwasi], lat: -17.95, "
                                       "lon: -67.10, country: BO}\n")
    before = cache_path(default_cache_dir())
    with_pack = Resolver.load(registry=build_registry([pack]))
    place = with_pack.place("the Qoriwasi camp")
    assert place is not None and (place.name, place.country, place.lat) == ("Qoriwasi Camp", "BO", -17.95)
    assert place.admin1   # the first-level area of the nearest gazetteer town (Oruro's)
    assert Resolver.load().place("the Qoriwasi camp") is None
    assert cache_path(default_cache_dir()) == before   # one index file whatever the packs
    assert with_pack.version != Resolver.load().version   # stored documents are re-resolved under new packs


def test_a_document_about_no_packs_war_is_still_coded():
    from warledger.resolve import Resolver

    resolver = Resolver.load()
    text = ("NAIROBI, Kenya - Police fired tear gas at protesters in Nairobi, Kenya, on Tuesday, as the Kenya "
            "Medical Association said 12 people were hurt. The Green Shield Movement said it would march again.")
    ctx = resolver.context(text)
    assert resolver.war(ctx) is None
    police = resolver.actor("Police", text, ctx)
    assert (police.name, police.side) == ("Police Forces of Kenya", "KE")
    assert resolver.actor("protesters", text, ctx).side == "KE"
    group = resolver.actor("the Green Shield Movement", text, ctx)
    assert (group.name, group.side) == ("Green Shield Movement", "XX")
    claimant = resolver.claimant("police", context=ctx)
    assert (claimant.side, claimant.kind) == ("KE", "government")
