"""Sub-event types of acts told without their means, on short texts we wrote (illustrative, not real news):
what was hit decides a clash, and a story's means told once stay with the act they were told of."""
from __future__ import annotations

import json

import pytest

from warledger.pipeline import run
from warledger.store import Store

TEXTS = {
    # an attack on an armed target, no means named: a clash, whatever the story's means
    "post": "Rebels attacked an army checkpoint in Kidal on Monday, the governor said. "
            "Artillery shelling hit Gao on Sunday, residents said. Shelling also hit Kidal on Saturday.",
    # a group's attack on civilians, the story's means told once, of another act: an attack on civilians
    "camp": "Militiamen attacked a displacement camp in Mopti on Monday, killing 12 civilians, the mayor said. "
            "On Sunday, shelling hit a market in Gao, residents said.",
}


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, list]:
    tmp = tmp_path_factory.mktemp("types")
    rows = [{"id": key, "text": text, "published": "2024-03-12", "outlet": "Illustrative Wire"}
            for key, text in TEXTS.items()]
    (tmp / "texts.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    run([tmp / "texts.jsonl"], db=tmp / "s.duckdb")
    with Store(tmp / "s.duckdb", read_only=True) as store:
        found = store.reports()
    return {key: [r for r in found if r.doc_id.endswith(key) and r.kind == "event"] for key in TEXTS}


def _at(reports, place: str):
    return [r for r in reports if r.location is not None and r.location.name.startswith(place)]


def test_an_attack_on_an_army_checkpoint_is_a_clash(reports):
    monday = [r for r in _at(reports["post"], "Kidal") if r.date.day == 11]
    assert monday and monday[0].sub_event_type == "Armed clash"
    assert any(r.sub_event_type == "Shelling/artillery/missile attack" for r in _at(reports["post"], "Gao"))


def test_a_militia_attack_on_civilians_keeps_no_means_told_of_another_act(reports):
    camp = _at(reports["camp"], "Mopti")
    assert camp and camp[0].sub_event_type == "Attack" and camp[0].killed == 12
    assert any(r.sub_event_type == "Shelling/artillery/missile attack" for r in _at(reports["camp"], "Gao"))
