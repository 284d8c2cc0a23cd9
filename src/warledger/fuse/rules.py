"""Fusion rules, read once from `rules.yaml` next to this file (rules are data, not code); which sides fight
together and how places are spelt come from the conflict packs (`warledger.conflicts`)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from warledger.conflicts import active_registry
from warledger.errors import FuseError

RULES_PATH = Path(__file__).with_name("rules.yaml")


def load_rules(path: str | None = None) -> dict:
    """The fusion rules as a dict, with derived lookups (`family_of`, `camp_of`, `place_aliases`) added."""
    rules = dict(_read_rules(path))
    registry = active_registry()
    rules["camp_of"] = {**registry.fuse_camps, **rules["camp_of"]}
    rules["place_aliases"] = {**_pack_place_aliases(registry, rules), **(rules.get("place_aliases") or {})}
    return rules


def _pack_place_aliases(registry, rules: dict) -> dict[str, str]:
    """The packs' place aliases as fusion compares names (filler words dropped); an alias that is another
    place's name is left out (a city's name that is also an alias of the region around it names the city)."""
    from warledger.fuse.columns import norm

    drop = set(rules.get("place_name_drop_words", []))

    def key(name: str) -> str:
        return " ".join(w for w in norm(name).split() if w not in drop)

    names = {key(p.name) for loaded in registry.packs for p in loaded.pack.places}
    out: dict[str, str] = {}
    for alias, name in registry.place_aliases.items():
        a, n = key(alias), key(name)
        if a and a != n and a not in names:
            out.setdefault(a, n)
    return out


@lru_cache(maxsize=4)
def _read_rules(path: str | None) -> dict:
    source = Path(path) if path else RULES_PATH
    try:
        rules = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise FuseError(f"cannot read the fusion rules {source}: {exc}") from exc
    rules["family_of"] = {sub: fam for fam, subs in rules["families"].items() for sub in subs}
    rules["family_names"] = list(rules["families"])
    rules["camp_of"] = {side: camp[0] for camp in rules.get("camps", []) for side in camp}
    return rules


def camp(side: str | None, rules: dict) -> str | None:
    """The camp a side fights in (sides of one camp of a war share it); None for unknown sides and XX."""
    if not side or side == "XX":
        return None
    return rules["camp_of"].get(side, side)
