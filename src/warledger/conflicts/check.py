"""Checking a conflict pack: its problems, its clashes with the other packs, and what it matches in articles.

    result = check_pack("my-war.yaml", on="articles/")
    result.problems         # ["my-war.yaml: parties[1] (ZZ).side: ..."]: empty when the pack is valid
    result.matches          # which aliases, terms, places and keywords were found, in how many documents
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from warledger.conflicts.registry import PackError, active_registry, build_registry, detect_conflict, load_pack, pack_problems
from warledger.conflicts.schema import ConflictPack

MAX_DOCUMENTS = 5_000      # a check reads at most this many articles (it is a look at a sample, not a run)


@dataclass
class Match:
    kind: str            # actor | context alias | side term | place | slip | outlet | keyword
    name: str            # the actor, side, place or outlet it points to
    alias: str           # the words found
    documents: int = 0
    mentions: int = 0


@dataclass
class PackCheck:
    path: Path
    pack: ConflictPack | None
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)    # clashes with the other packs in force
    documents: int = 0
    about: int = 0       # documents the pack's keywords mark as being about its war
    matches: list[Match] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)   # actors and places no document names
    skipped: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_pack(path: str | Path, on: str | Path | None = None, max_bytes: int = 20_000_000) -> PackCheck:
    """Validate a pack file; with `on` (a folder or file of articles) also report what it matches there."""
    path = Path(path)
    problems = pack_problems(path)
    if problems:
        return PackCheck(path=path, pack=None, problems=problems)
    try:
        pack = load_pack(path)
    except PackError as exc:   # pragma: no cover - pack_problems found none
        return PackCheck(path=path, pack=None, problems=[str(exc)])
    result = PackCheck(path=path, pack=pack, warnings=clashes(pack, path))
    if on is not None:
        _match_articles(result, pack, Path(on), max_bytes)
    return result


def clashes(pack: ConflictPack, path: Path) -> list[str]:
    """Aliases the pack gives one side that another pack in force gives another (a warning: in a document
    about one war the alias means that war's side, elsewhere the first listed wins)."""
    try:
        registry = active_registry()
    except PackError as exc:
        return [f"the other packs could not be compared: {exc}"]
    theirs: dict[str, tuple[str, str]] = {}
    for loaded in registry.packs:
        if loaded.pack.name == pack.name:
            continue
        for party in loaded.pack.parties:
            for actor in party.actors:
                for alias in [actor.name, *actor.aliases]:
                    theirs.setdefault(alias.casefold(), (party.side, loaded.pack.name))
    out = []
    for party in pack.parties:
        for actor in party.actors:
            for alias in [actor.name, *actor.aliases]:
                other = theirs.get(alias.casefold())
                if other and other[0] != party.side:
                    out.append(f"{path}: alias {alias!r} is side {party.side} here but {other[0]} in the pack "
                               f"{other[1]!r}")
    return out


def _terms(pack: ConflictPack) -> list[tuple[str, tuple[str, str]]]:
    pairs: list[tuple[str, tuple[str, str]]] = []
    for party in pack.parties:
        for actor in party.actors:
            pairs += [(a, ("actor", actor.name)) for a in dict.fromkeys([actor.name, *actor.aliases])]
            pairs += [(a, ("context alias", actor.name)) for a in actor.context_aliases]
        pairs += [(t, ("side term", party.side)) for t in [*party.terms, *party.context_terms]]
    for place in pack.places:
        pairs += [(a, ("place", place.name)) for a in dict.fromkeys([place.name, *place.aliases])]
        pairs += [(a, ("slip", place.name)) for a in place.slips]
    for outlet in pack.outlets:
        pairs += [(a, ("outlet", outlet.name)) for a in dict.fromkeys([outlet.name, *outlet.aliases])]
    return pairs


def _match_articles(result: PackCheck, pack: ConflictPack, folder: Path, max_bytes: int) -> None:
    from warledger.clean import clean_document
    from warledger.ingest import Skipped, read_sources
    from warledger.resolve.terms import TermMatcher

    if not folder.exists():
        result.problems.append(f"{folder}: no such file or folder of articles")
        return
    pairs = _terms(pack)
    matcher = TermMatcher([(alias, i) for i, (alias, _) in enumerate(pairs)])
    conflicts = build_registry([result.path]).extractor_conflicts
    docs: Counter = Counter()
    mentions: Counter = Counter()
    for item in read_sources([folder], max_bytes=max_bytes):
        if isinstance(item, Skipped):
            result.skipped.append(f"{item.source}: {item.reason}")
            continue
        if result.documents >= MAX_DOCUMENTS:
            result.skipped.append(f"{item.source_path or item.doc_id}: past the first {MAX_DOCUMENTS} documents")
            break
        try:
            text = clean_document(item).text
        except Exception as exc:  # one unreadable article must not stop the check
            result.skipped.append(f"{item.source_path or item.doc_id}: {exc}")
            continue
        result.documents += 1
        found = detect_conflict(text, conflicts)
        if found is not None and found.name == pack.name:
            result.about += 1
        hits = Counter(_alias_key(pairs, hit.payload, hit.alias) for hit in matcher.find(text))
        for key, n in hits.items():
            docs[key] += 1
            mentions[key] += n
    for (kind, name, alias), n in docs.most_common():
        result.matches.append(Match(kind, name, alias, n, mentions[(kind, name, alias)]))
    named = {(m.kind if m.kind not in ("context alias", "slip") else {"context alias": "actor", "slip": "place"}[m.kind],
              m.name) for m in result.matches}
    for party in pack.parties:
        result.unmatched += [f"actor {a.name}" for a in party.actors if ("actor", a.name) not in named]
    result.unmatched += [f"place {p.name}" for p in pack.places if ("place", p.name) not in named]


def _alias_key(pairs: list, index: int, found: str) -> tuple[str, str, str]:
    alias, (kind, name) = pairs[index]
    return kind, name, alias
