"""The resolver on its own: toponyms and actor mentions in varied spellings, with their right answers
(tests/cases/resolve/*.yaml). Builds the gazetteer index once into the cache dir if it is not there yet."""
from pathlib import Path

import pytest
import yaml

from warledger.resolve import Resolver

CASES = Path(__file__).parent / "cases" / "resolve"
TOPONYMS = yaml.safe_load((CASES / "toponyms.yaml").read_text(encoding="utf-8"))
ACTORS = yaml.safe_load((CASES / "actors.yaml").read_text(encoding="utf-8"))
CONTEXTS = TOPONYMS["contexts"]


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver.load()


def _id(case: dict) -> str:
    return f"{case.get('mention') or case.get('text')}@{case.get('context', '-')}"


def test_the_suites_are_as_large_as_promised():
    assert len(TOPONYMS["toponyms"]) >= 60
    assert len(ACTORS["sides"]) + len(ACTORS["claimants"]) + len(ACTORS["actors"]) >= 40


@pytest.mark.parametrize("case", TOPONYMS["toponyms"], ids=_id)
def test_toponym(resolver: Resolver, case: dict):
    ctx = resolver.context(CONTEXTS[case["context"]]) if case.get("context") else None
    place = resolver.place(case["mention"], ctx)
    if case.get("none"):
        assert place is None, f"{case['mention']!r} should stay unresolved, got {place}"
        return
    assert place is not None, f"{case['mention']!r} not resolved"
    if "geonameid" in case:
        assert place.geonameid == case["geonameid"], f"{case['mention']!r} -> {place}"
    if "name" in case:
        assert place.name == case["name"]
    if "precision" in case:
        assert place.precision == case["precision"]
    if "country" in case:
        assert place.country == case["country"]


@pytest.mark.parametrize("case", ACTORS["sides"], ids=_id)
def test_side_of(resolver: Resolver, case: dict):
    assert resolver.side_of(case["text"]) == case["side"]


@pytest.mark.parametrize("case", ACTORS["claimants"], ids=_id)
def test_claimant(resolver: Resolver, case: dict):
    claimant = resolver.claimant(case["mention"])
    assert (claimant.side, claimant.kind) == (case["side"], case["kind"]), claimant
    if "name" in case:
        assert claimant.name == case["name"]
    assert claimant.mention == case["mention"]  # what the text said is kept


@pytest.mark.parametrize("case", ACTORS["actors"], ids=_id)
def test_actor(resolver: Resolver, case: dict):
    actor = resolver.actor(case["mention"], CONTEXTS.get(case.get("context", ""), None))
    assert actor is not None and actor.side == case["side"], actor
    if "name" in case:
        assert actor.name == case["name"]
    assert actor.mention == case["mention"]
