"""Fusion rules, read once from `rules.yaml` next to this file (rules are data, not code)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from warledger.errors import FuseError

RULES_PATH = Path(__file__).with_name("rules.yaml")


@lru_cache(maxsize=4)
def load_rules(path: str | None = None) -> dict:
    """The fusion rules as a dict, with derived lookups (`family_of`, `camp_of`) added."""
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
    """The camp a side fights in (AM and NK are one camp); None for unknown sides and XX."""
    if not side or side == "XX":
        return None
    return rules["camp_of"].get(side, side)
