"""Copies: near-duplicate texts and shared passages (syndication), grouped so a wire story counts once.

Two documents are copies when the MinHash estimate of the Jaccard similarity of their word shingles is at
least `copies.threshold` (LSH finds the candidates, the estimate confirms), or when they share at least
`copies.passage_min_shared` passages (normalised sentences of `copies.passage_min_words` words or more).
Groups are the connected components; a group's id comes from its smallest doc_id, so it stays the same
when documents are added that do not change which document that is.
"""
from __future__ import annotations

import functools
import hashlib
import logging
import re
from collections import defaultdict

from datasketch import MinHash, MinHashLSH

from warledger.models import CopyGroup, Document, stable_id

from .columns import ascii_text
from .rules import load_rules

log = logging.getLogger(__name__)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_WORDS = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    return _WORDS.findall(ascii_text(text or "").lower())


def shingles(text: str, size: int) -> set[bytes]:
    tokens = words(text)
    if len(tokens) < size:
        return {" ".join(tokens).encode()} if tokens else set()
    return {" ".join(tokens[k:k + size]).encode() for k in range(len(tokens) - size + 1)}


def passages(text: str, min_words: int) -> set[str]:
    """Hashes of the document's long sentences, normalised (case, punctuation, spacing)."""
    out = set()
    for sentence in _SENTENCE_END.split(text or ""):
        tokens = words(sentence)
        if len(tokens) >= min_words:
            out.add(hashlib.sha1(" ".join(tokens).encode()).hexdigest()[:16])
    return out


def minhash(text: str, size: int, num_perm: int) -> MinHash:
    mh = MinHash(num_perm=num_perm, seed=1, permutations=_permutations(num_perm))
    mh.update_batch(sorted(shingles(text, size)))
    return mh


@functools.lru_cache(maxsize=4)
def _permutations(num_perm: int):
    """The permutations `MinHash(num_perm, seed=1)` draws, drawn once (each MinHash drew them again)."""
    return MinHash(num_perm=num_perm, seed=1).permutations


def detect_copies(documents: list[Document], rules: dict | None = None) -> list[CopyGroup]:
    """Groups of documents copied from each other (two or more members each), sorted by group id."""
    cfg = (rules or load_rules())["copies"]
    docs = sorted({d.doc_id: d for d in documents if d.text}.values(), key=lambda d: d.doc_id)
    lsh = MinHashLSH(threshold=cfg["threshold"], num_perm=cfg["num_perm"])
    hashes: dict[str, MinHash] = {}
    links: dict[tuple[str, str], float] = {}
    for d in docs:
        mh = minhash(d.text, cfg["shingle_words"], cfg["num_perm"])
        for other in lsh.query(mh):
            sim = mh.jaccard(hashes[other])
            if sim >= cfg["threshold"]:
                links[(other, d.doc_id)] = sim
        lsh.insert(d.doc_id, mh)
        hashes[d.doc_id] = mh
    shared: dict[tuple[str, str], int] = defaultdict(int)
    owners: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        for p in passages(d.text, cfg["passage_min_words"]):
            owners[p].append(d.doc_id)
    for holders in owners.values():
        if 1 < len(holders) <= 50:   # a sentence in 50+ documents is boilerplate, not a copied story
            for a_pos, a in enumerate(holders):
                for b in holders[a_pos + 1:]:
                    shared[(a, b)] += 1
    for pair, count in shared.items():
        if count >= cfg["passage_min_shared"] and pair not in links:
            links[pair] = hashes[pair[0]].jaccard(hashes[pair[1]])
    return _groups(links)


def _groups(links: dict[tuple[str, str], float]) -> list[CopyGroup]:
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in links:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    members: dict[str, list[str]] = defaultdict(list)
    for x in list(parent):
        members[find(x)].append(x)
    groups = []
    for root, ids in members.items():
        sims = [s for (a, b), s in links.items() if find(a) == root]
        groups.append(CopyGroup(group_id=stable_id("c", min(ids)), doc_ids=sorted(ids),
                                similarity=round(min(sims), 3)))
    log.debug("copy detection: %d groups", len(groups))
    return sorted(groups, key=lambda g: g.group_id)
