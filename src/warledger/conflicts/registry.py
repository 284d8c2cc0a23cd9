"""The loaded conflict packs, and the views of them each stage reads (the only place war knowledge comes from).

Built-in packs are the YAML files next to this module; user packs come from `use_packs(paths)` (the CLI's
`--conflict-pack`) and from $WARLEDGER_CONFLICT_PACKS (paths separated by ':'). A user pack with the name of a
built-in one replaces it. Every view is computed once per registry; the registry's `fingerprint` changes with
the packs' content, so caches keyed on it (the resolver, the extractor's lexicon) never serve stale knowledge.
"""
from __future__ import annotations

import hashlib
import os
import re
import time
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import yaml
from pydantic import ValidationError

from warledger.conflicts.schema import ConflictPack, Party
from warledger.errors import WarledgerError

BUILTIN_DIR = Path(__file__).parent
ENV_VAR = "WARLEDGER_CONFLICT_PACKS"
MAX_PACK_BYTES = 5_000_000


class _PackLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # the C parser: 13 packs in ~0.1 s
    """YAML without implicit timestamps: a date stays text until the schema reads it, so "2031-13-40" is the
    schema's clear error rather than the parser's crash."""


_PackLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def _read_yaml(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_PackLoader)


class PackError(WarledgerError):
    """A conflict pack that cannot be read or is not valid (the message names the file, the key, the problem)."""


@dataclass(frozen=True)
class Conflict:
    """The extractor's view of a war: two camps (the leading side first), its start, the region of a vague
    front, the words that mark a document as being about it."""

    name: str
    start: object
    camps: tuple[tuple[str, ...], ...]
    front: str | None
    keywords: tuple[str, ...]
    end: object = None
    civilian_side: dict = field(default_factory=dict)  # whose civilians a side's count is ({AM: NK})
    disputed: dict | None = None   # a region held de facto by another side: {region, side, radius_km}
    phases: tuple = ()             # (name, start, end) of the war's stages, in order
    lands: frozenset = frozenset()  # countries the pack's places lie in (the Golan Heights: SY, held by IL)
    enemies: dict = field(default_factory=dict)  # side outside the two camps -> the leading side it fights
    air_strikers: frozenset = frozenset()  # sides whose strikes with no ground weapon named are from the air

    def opponent(self, side: str | None) -> str | None:
        """The leading side of the other camp (for a side in neither of the first two camps, the leading side
        of the camp its pack says it `fights`, else None)."""
        if not side:
            return None
        for i, camp in enumerate(self.camps[:2]):
            if side in camp:
                other = self.camps[1 - i] if len(self.camps) >= 2 else ()
                return other[0] if other else None
        return self.enemies.get(side)   # a third camp's side: the camp its pack says it fights

    def camp_of(self, side: str | None) -> int | None:
        for i, camp in enumerate(self.camps[:2]):
            if side in camp:
                return i
        return None

    def at(self, ref) -> Conflict:
        """The war as of date `ref`: a long war's start is that of the stage the date falls in (or follows)."""
        if ref is None or not self.phases:
            return self
        current = None
        for _, start, _ in self.phases:
            if start <= ref:
                current = start
        if current is None or current == self.start:
            return self
        return replace(self, start=current)


@dataclass
class LoadedPack:
    pack: ConflictPack
    source: str          # "built-in" or "user"
    path: Path


def load_pack(path: str | Path) -> ConflictPack:
    """Read and check one pack file; a bad one raises PackError naming the file, the key and the problem."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_PACK_BYTES:
            raise PackError(f"{path}: larger than {MAX_PACK_BYTES // 1_000_000} MB; is this a conflict pack?")
        data = _read_yaml(path)
    except OSError as exc:
        raise PackError(f"{path}: cannot read the conflict pack ({exc.strerror or exc})") from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise PackError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise PackError(f"{path}: a conflict pack is a YAML mapping with name, start, parties and keywords")
    try:
        return ConflictPack.model_validate(data)
    except ValidationError as exc:
        raise PackError(f"{path}: " + "; ".join(_describe(err, data) for err in exc.errors())) from None


def pack_problems(path: str | Path) -> list[str]:
    """Every problem of a pack file, one line each (empty when the pack is valid)."""
    path = Path(path)
    try:
        data = _read_yaml(path)
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        return [f"{path}: cannot read the pack: {exc}"]
    if not isinstance(data, dict):
        return [f"{path}: a conflict pack is a YAML mapping with name, start, parties and keywords"]
    try:
        ConflictPack.model_validate(data)
    except ValidationError as exc:
        return [f"{path}: {_describe(err, data)}" for err in exc.errors()]
    return []


def _describe(err: dict, data: dict) -> str:
    """One pydantic error as "key: problem", with list positions named by the item's name where it has one."""
    parts: list[str] = []
    node = data
    for step in err.get("loc", ()):
        if isinstance(step, int):
            item = node[step] if isinstance(node, list) and step < len(node) else None
            label = (item.get("name") or item.get("side")) if isinstance(item, dict) else None
            parts[-1] = f"{parts[-1]}[{step}]" + (f" ({label})" if label else "") if parts else f"[{step}]"
            node = item
        else:
            parts.append(str(step))
            node = node.get(step) if isinstance(node, dict) else None
    key = ".".join(parts)
    message = re.sub(r"^(Value error|Assertion failed), ", "", err.get("msg", "invalid"))
    if not key:   # a check across keys: its message names the key itself
        return message
    if err.get("type") == "missing":
        message = "missing (required)"
    elif err.get("type") == "extra_forbidden":
        message = "unknown key (check the spelling; README lists the keys)"
    return f"{key}: {message}"


class Registry:
    """The packs in force, in order (built-in first, user packs after, replacing built-ins of the same name)."""

    def __init__(self, packs: list[LoadedPack]):
        self.packs = packs
        digest = hashlib.sha1()
        for loaded in packs:
            digest.update(loaded.pack.model_dump_json().encode())
        self.fingerprint = digest.hexdigest()[:10]

    def names(self) -> list[str]:
        return [p.pack.name for p in self.packs]

    def get(self, name: str) -> LoadedPack | None:
        wanted = _fold(name)
        return next((p for p in self.packs if _fold(p.pack.name) == wanted or p.path.stem == name), None)

    # ----- the extractor's view -----
    @cached_property
    def extractor_conflicts(self) -> list[Conflict]:
        return [_conflict(p.pack) for p in self.packs]

    def detect(self, text: str, ref=None) -> Conflict | None:
        """The war a text is about, by its keywords (two hits at least), as of date `ref`."""
        return detect_conflict(text, self.extractor_conflicts, ref)

    # ----- the fusion's view -----
    @cached_property
    def fuse_camps(self) -> dict[str, str]:
        """Side -> camp key for fusion: a side and the side it refines (NK and AM: the de facto side and its
        patron) are one, so naming one instead of the other is no perpetrator dispute. Allies of a camp stay
        apart: "Russian jets" against "Syrian jets" is a dispute about who struck."""
        parent: dict[str, str] = {}

        def root(side: str) -> str:
            while parent.setdefault(side, side) != side:
                side = parent[side]
            return side

        for loaded in self.packs:
            for party in loaded.pack.parties:
                for refined in party.refines:
                    a, b = root(refined), root(party.side)
                    if a != b:
                        parent[b] = a
        return {side: root(side) for side in parent}

    @cached_property
    def place_aliases(self) -> dict[str, str]:
        """Folded alias -> folded name of every pack place (fusion compares place names through them)."""
        out: dict[str, str] = {}
        for loaded in self.packs:
            for place in loaded.pack.places:
                name = _fold(place.name)
                for alias in [*place.aliases, *place.slips]:
                    out.setdefault(_fold(alias), name)
        return out

    def place_slips(self, name: str) -> list[str]:
        """The slips of a war's places ("Gabriel" for Jabrayil): in a document about it the extractor looks
        for them as place mentions."""
        loaded = self.get(name)
        return [slip.lower() for place in loaded.pack.places for slip in place.slips] if loaded else []

    # ----- the resolver's view -----
    def parties(self, loaded: LoadedPack) -> set[str]:
        """The sides that are parties to a war (a state that only backs a camp is none)."""
        return {p.side for p in loaded.pack.parties if p.belligerent}

    def markers(self, loaded: LoadedPack) -> set[str]:
        """Countries and region names whose naming points to this war."""
        pack = loaded.pack
        out = set(pack.markers) or {p.side for p in pack.parties if p.belligerent and len(p.side) == 2
                                    and p.side not in ("XX", "UN")} - {p.side for p in pack.parties if p.name}
        out |= {pl.name for pl in pack.places if pl.precision == "region"}
        return out

    @cached_property
    def side_parties(self) -> dict[str, Party]:
        """Side code -> its party, for sides a pack defines (a de facto side's display name, forces, territory)."""
        out: dict[str, Party] = {}
        for loaded in self.packs:
            for party in loaded.pack.parties:
                if party.name or party.forces_name or party.territory or party.terms:
                    out.setdefault(party.side, party)
        return out

    def side_name(self, side: str | None) -> str | None:
        party = self.side_parties.get(side or "")
        return party.name if party is not None else None

    def forces_name(self, side: str | None) -> str | None:
        party = self.side_parties.get(side or "")
        return party.forces_name if party is not None else None


def _camps(pack: ConflictPack) -> list[tuple[str, ...]]:
    order: dict[str, list[str]] = {}
    for party in pack.parties:
        order.setdefault(party.camp or party.side, []).append(party.side)
    return [tuple(sides) for sides in order.values()]


def _conflict(pack: ConflictPack) -> Conflict:
    disputed = next(({"region": pl.name, "side": pl.side, "radius_km": pl.radius_km or 50.0}
                     for pl in pack.places if pl.side and pl.precision == "region"), None)
    front = pack.front   # none: the resolver puts a placeless act in the region or country the story names most
    keywords = tuple(dict.fromkeys(k.lower() for k in pack.keywords))
    camps = _camps(pack)
    if len(camps) < 2:   # one listed party: it fights unnamed groups
        camps.append(("XX",) if "XX" not in camps[0] else ())
    return Conflict(name=pack.name, start=pack.start, end=pack.end, camps=tuple(camps), front=front,
                    keywords=keywords, civilian_side={p.side: p.civilians for p in pack.parties if p.civilians},
                    disputed=disputed, phases=tuple((ph.name, ph.start, ph.end) for ph in pack.phases),
                    lands=frozenset(pl.country for pl in pack.places if pl.country),
                    enemies=_enemies(pack),
                    air_strikers=frozenset(p.side for p in pack.parties if p.strikes_from == "air"))


def _enemies(pack: ConflictPack) -> dict[str, str]:
    """Each side with `fights: <camp>` -> the leading side of that camp."""
    leading: dict[str, str] = {}
    for party in pack.parties:
        leading.setdefault(party.camp or party.side, party.side)
    return {p.side: leading[p.fights] for p in pack.parties if p.fights and p.fights in leading}


def detect_conflict(text: str, conflicts: list[Conflict], ref=None) -> Conflict | None:
    """The war whose keywords a text names most (two hits at least), as of date `ref`; None for no war."""
    if not conflicts:
        return None
    low = text.lower()
    # a tie goes to the later pack: user packs come after the built-in ones
    scores = [(sum(_count(low, k) for k in c.keywords), i) for i, c in enumerate(conflicts)]
    best, index = max(scores)
    return conflicts[index].at(ref) if best >= 2 else None


def _count(low: str, keyword: str) -> int:
    # keywords are words: "rsf" must not count inside "transfer" (short ones need word edges)
    if len(keyword) > 4:
        return low.count(keyword)
    return len(re.findall(rf"(?<![a-z0-9]){re.escape(keyword)}(?![a-z0-9])", low))


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", str(text).lower()).split())


# ----- the packs in force -----
_USER_PATHS: list[Path] = []
_EXPORTED: list[str] = []   # paths use_packs put into the environment
_LAST: tuple | None = None   # (user paths, when checked, registry)
RECHECK_SECONDS = 2.0
_CACHE: dict[tuple, Registry] = {}


def builtin_paths() -> list[Path]:
    return sorted(BUILTIN_DIR.glob("*.yaml"))


def env_paths() -> list[Path]:
    raw = os.environ.get(ENV_VAR, "")
    return [Path(p).expanduser() for p in raw.split(":") if p.strip()]


def use_packs(paths: list[str | Path] | None) -> Registry:
    """Add user packs (checked now: a bad one raises PackError) to the built-in ones, for this process and
    the processes it starts (they inherit $WARLEDGER_CONFLICT_PACKS); `use_packs([])` undoes it."""
    global _USER_PATHS, _EXPORTED
    wanted = [Path(p).expanduser().resolve() for p in paths or []]
    for path in wanted:
        load_pack(path)
    _USER_PATHS = wanted
    kept = [p for p in os.environ.get(ENV_VAR, "").split(":") if p.strip() and p not in _EXPORTED]
    _EXPORTED = [str(p) for p in wanted if str(p) not in kept]
    if kept or _EXPORTED:
        os.environ[ENV_VAR] = ":".join([*kept, *_EXPORTED])
    else:
        os.environ.pop(ENV_VAR, None)
    return active_registry()


def active_registry() -> Registry:
    """The registry every stage reads: built-in packs plus the user's. Cached per set of files; the files'
    modification times are looked at again at most every RECHECK_SECONDS (stages ask for it per report)."""
    global _LAST
    user = list(dict.fromkeys([*env_paths(), *_USER_PATHS]))
    now = time.monotonic()
    if _LAST is not None and _LAST[0] == user and now - _LAST[1] < RECHECK_SECONDS:
        return _LAST[2]
    files = [*builtin_paths(), *user]
    key = tuple((str(p), _mtime(p)) for p in files)
    registry = _CACHE.get(key)
    if registry is None:
        registry = build_registry(user)
        _CACHE.clear()
        _CACHE[key] = registry
    _LAST = (user, now, registry)
    return registry


def build_registry(user_paths: list[str | Path] = ()) -> Registry:
    """Built-in packs, then user packs; a user pack named like a built-in one replaces it."""
    packs: dict[str, LoadedPack] = {}
    for path in builtin_paths():
        pack = load_pack(path)
        packs[_fold(pack.name)] = LoadedPack(pack, "built-in", path)
    for path in user_paths:
        pack = load_pack(path)
        packs.pop(_fold(pack.name), None)   # replaced: the user's pack goes last, in the order given
        packs[_fold(pack.name)] = LoadedPack(pack, "user", Path(path))
    return Registry(list(packs.values()))


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return -1.0
