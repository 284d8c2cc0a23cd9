"""The columnar core of event clustering: numpy arrays in, one cluster label per report out.

Reports are blocked (same type family, and the same place, grid cell, region or parties, within a date
window), candidate pairs are scored (place, day, actors, figures, wording) and merged best-first.
Merging respects what one document says: two reports of one document are one event only when they come
from different claimants about the same place and day, and a cluster never spans more days than the
window allows (so daily shelling of one town does not chain into one event).

Reports of one place and day from different documents form units first (always one event); connected
components of units (scipy's union-find when installed, else numpy label propagation) are the events,
and only components that break a rule (two reports of one document, too long a span, places mixed with
region-level reports) go through the slower best-first merge in Python. 1M reports take seconds
(see benchmarks/fusion.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# Place levels, finest first.
PLACE, DISTRICT, REGION, COUNTRY, NOWHERE = 0, 1, 2, 3, 4
EARTH_KM_PER_DEG = 111.2


@dataclass
class ReportColumns:
    """One row per report. Integer codes are dense or hashed ids; -1 means unknown."""

    doc: np.ndarray                 # int64 document code
    claimant: np.ndarray            # int64 claimant code
    family: np.ndarray              # int64 type family code; -1: not clustered (tallies, statements)
    day: np.ndarray                 # int64 days since 1970-01-01
    slack: np.ndarray               # int64 extra days of tolerance (coarse date precision)
    level: np.ndarray               # int64 place level (PLACE .. NOWHERE)
    place: np.ndarray               # int64 place code (GeoNames id or name hash); -1 none
    lat: np.ndarray                 # float64, nan when unknown
    lon: np.ndarray
    area1: np.ndarray               # int64 code of the admin1 region a fine place lies in
    area2: np.ndarray               # int64 code of the country a place lies in
    parties: np.ndarray             # int64 code of the unordered pair of camps (actor1, actor2); -1 unknown
    actor1: np.ndarray              # int64 camp code of actor1; -1 unknown
    actor2: np.ndarray              # int64 camp code of actor2; -1 unknown
    killed: np.ndarray              # int64; -1 unknown
    by_parties: np.ndarray          # bool: family matched by parties, not place (agreements)
    signature: np.ndarray | None = None   # uint64 (n, k) MinHash of the evidence wording, optional

    def __len__(self) -> int:
        return len(self.doc)


@dataclass
class ClusterParams:
    window_days: int = 1
    distance_km: float = 25.0
    weights: dict = field(default_factory=dict)
    max_nested_candidates: int = 6   # a coarse report with more place-level candidates is left alone


def _dense(*keys: np.ndarray) -> np.ndarray:
    """A small non-negative int64 code for each row's tuple of keys (mixed-radix; densified when large)."""
    code = np.zeros(len(keys[0]), dtype=np.int64)
    bound = 1
    for key in keys:
        key = np.asarray(key, dtype=np.int64)
        low = int(key.min()) if len(key) else 0
        radix = (int(key.max()) - low + 1) if len(key) else 1
        if bound * radix >= 1 << 40:   # keep room for the day in the composite sort key
            code = np.unique(code, return_inverse=True)[1].reshape(-1).astype(np.int64)
            bound = int(code.max()) + 1 if len(code) else 1
            if bound * radix >= 1 << 40:
                uniques, key = np.unique(key, return_inverse=True)
                key, low, radix = key.reshape(-1).astype(np.int64), 0, len(uniques)
        code = code * radix + (key - low)
        bound *= radix
    return code


def _range_pairs(left_key, left_day, left_idx, right_key, right_day, right_idx, window,
                 same_set: bool, max_per_left: int | None = None):
    """Pairs (i, j) with equal key and |day_i - day_j| <= window (an int, or one per left row),
    via one sort and two searchsorted calls: no pair is formed outside its block."""
    if len(left_idx) == 0 or len(right_idx) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    window = np.broadcast_to(np.asarray(window, dtype=np.int64), left_idx.shape)
    reach = int(window.max())
    span = int(max(left_day.max(), right_day.max()) - min(left_day.min(), right_day.min())) + 2 * reach + 2
    base = int(min(left_day.min(), right_day.min())) - reach
    r_comp = right_key * span + (right_day - base)
    order = np.argsort(r_comp)
    r_sorted = r_comp[order]
    if same_set:   # left is right: already sorted
        left_idx, window, l_comp = left_idx[order], window[order], r_sorted
    else:          # sorted needles make searchsorted cache-friendly
        l_comp = left_key * span + (left_day - base)
        l_order = np.argsort(l_comp)
        left_idx, window, l_comp = left_idx[l_order], window[l_order], l_comp[l_order]
    lo = np.searchsorted(r_sorted, l_comp - window, side="left")
    hi = np.searchsorted(r_sorted, l_comp + window, side="right")
    counts = hi - lo
    if max_per_left is not None:
        counts = np.where(counts > max_per_left, 0, counts)
    total = int(counts.sum())
    if total == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    rows = np.repeat(np.arange(len(left_idx)), counts)
    starts = np.repeat(lo - np.concatenate(([0], np.cumsum(counts)[:-1])), counts)
    pos = starts + np.arange(total)
    i, j = left_idx[rows], right_idx[order[pos]]
    keep = i < j if same_set else i != j
    return i[keep], j[keep]


def _block_pairs(key, sel, cols: ReportColumns, window_days: int):
    """Pairs within blocks: reports dated to the day within the window; coarser dates within their slack."""
    day, slack = cols.day[sel], cols.slack[sel]
    i, j = _range_pairs(key, day, sel, key, day, sel, window_days, True)
    coarse = slack > 0
    if not coarse.any():
        return i, j
    ci, cj = _range_pairs(key[coarse], day[coarse], sel[coarse], key, day, sel,
                          window_days + slack[coarse], False)
    return np.concatenate([i, ci]), np.concatenate([j, cj])


def candidate_pairs(cols: ReportColumns, params: ClusterParams) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All candidate pairs (i < j) and whether each came only through region nesting."""
    n = len(cols)
    active = cols.family >= 0
    max_slack = int(cols.slack[active].max()) if active.any() else 0
    window = params.window_days + max_slack
    pieces_i, pieces_j, pieces_nest = [], [], []

    def add(i, j, nested=False):
        lo, hi = np.minimum(i, j), np.maximum(i, j)
        pieces_i.append(lo)
        pieces_j.append(hi)
        pieces_nest.append(np.full(len(lo), nested))

    idx = np.arange(n, dtype=np.int64)
    # agreements match by parties; one whose parties are unknown can still match by place
    placed = active & (cols.place >= 0) & (~cols.by_parties | (cols.parties < 0))
    if placed.any():   # the same place (GeoNames id or name)
        sel = idx[placed]
        key = _dense(cols.family[sel], cols.place[sel])
        add(*_block_pairs(key, sel, cols, params.window_days))
    has_xy = active & ~np.isnan(cols.lat) & (cols.level <= DISTRICT) & ~cols.by_parties
    if has_xy.any():   # nearby places: four grids shifted by half a cell find every pair closer than the cell
        sel = idx[has_xy]
        cell_deg = 2 * params.distance_km / EARTH_KM_PER_DEG
        y = cols.lat[sel] / cell_deg
        x = cols.lon[sel] * np.cos(np.radians(cols.lat[sel])) / cell_deg
        for dx, dy in ((0, 0), (0.5, 0), (0, 0.5), (0.5, 0.5)):
            key = _dense(cols.family[sel], np.floor(x + dx).astype(np.int64),
                         np.floor(y + dy).astype(np.int64))
            add(*_block_pairs(key, sel, cols, params.window_days))
    fine = active & (cols.level <= DISTRICT) & ~cols.by_parties
    coarse = active & ((cols.level == REGION) | (cols.level == COUNTRY)) & ~cols.by_parties
    for area, level in ((cols.area1, REGION), (cols.area2, COUNTRY)):   # a place inside a reported region
        c_sel = idx[coarse & (cols.level == level) & (cols.place >= 0)]
        f_sel = idx[fine & (area >= 0)]
        if len(c_sel) and len(f_sel):
            key_all = _dense(np.concatenate([cols.family[c_sel], cols.family[f_sel]]),
                             np.concatenate([cols.place[c_sel], area[f_sel]]))
            add(*_range_pairs(key_all[:len(c_sel)], cols.day[c_sel], c_sel, key_all[len(c_sel):],
                              cols.day[f_sel], f_sel, params.window_days + cols.slack[c_sel], False,
                              params.max_nested_candidates), nested=True)
    parties = active & cols.by_parties & (cols.parties >= 0)
    if parties.any():   # agreements: the same parties
        sel = idx[parties]
        key = _dense(cols.family[sel], cols.parties[sel])
        add(*_block_pairs(key, sel, cols, params.window_days))
    unplaced = active & (cols.place < 0)
    if unplaced.any():   # no place (often a denial): only with reports of the same document
        u_sel, a_sel = idx[unplaced], idx[active]
        key_all = _dense(np.concatenate([cols.family[u_sel], cols.family[a_sel]]),
                         np.concatenate([cols.doc[u_sel], cols.doc[a_sel]]))
        add(*_range_pairs(key_all[:len(u_sel)], cols.day[u_sel], u_sel, key_all[len(u_sel):],
                          cols.day[a_sel], a_sel, window, False))
    if not pieces_i:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, bool)
    # a pair found through a direct pass as well as through nesting counts as direct
    direct = [i * n + j for i, j, nest in zip(pieces_i, pieces_j, pieces_nest) if not nest[:1].any()]
    nested = [i * n + j for i, j, nest in zip(pieces_i, pieces_j, pieces_nest) if nest[:1].any()]
    direct_codes, nested_codes = _sorted_unique(direct), _sorted_unique(nested)
    nested_codes = nested_codes[~np.isin(nested_codes, direct_codes, assume_unique=True)]
    code = np.concatenate([direct_codes, nested_codes])
    nest = np.concatenate([np.zeros(len(direct_codes), bool), np.ones(len(nested_codes), bool)])
    return code // n, code % n, nest


def _sorted_unique(pieces: list[np.ndarray]) -> np.ndarray:
    """Sorted distinct values (a sort and a mask: faster here than numpy 2's hash-based np.unique)."""
    if not pieces:
        return np.empty(0, np.int64)
    values = np.sort(np.concatenate(pieces))
    keep = np.ones(len(values), bool)
    keep[1:] = values[1:] != values[:-1]
    return values[keep]


def score_pairs(cols: ReportColumns, i: np.ndarray, j: np.ndarray, nested: np.ndarray,
                params: ClusterParams) -> tuple[np.ndarray, np.ndarray]:
    """Score each candidate pair; returns (score, allowed) where allowed drops impossible pairs."""
    w = params.weights
    reach = params.window_days + np.maximum(cols.slack[i], cols.slack[j])
    allowed = np.abs(cols.day[i] - cols.day[j]) <= reach
    allowed &= cols.family[i] == cols.family[j]
    score = np.full(len(i), float(w.get("base", 1.0)))
    same_place = (cols.place[i] >= 0) & (cols.place[i] == cols.place[j])
    score += same_place * w.get("same_place", 1.0)
    both_xy = ~np.isnan(cols.lat[i]) & ~np.isnan(cols.lat[j])
    dist = _distance_km(cols.lat[i], cols.lon[i], cols.lat[j], cols.lon[j])
    near = both_xy & (dist <= params.distance_km) & ~same_place
    fine_both = (cols.level[i] <= DISTRICT) & (cols.level[j] <= DISTRICT)
    # two different places, both fine, farther apart than the distance: not one event
    allowed &= ~(fine_both & ~same_place & (cols.place[i] >= 0) & (cols.place[j] >= 0) & ~near)
    score += near * w.get("near_place", 0.5)
    score += (nested & ~same_place) * w.get("nested_place", -0.5)
    score += (cols.day[i] == cols.day[j]) * w.get("same_day", 0.5)
    a1_known = (cols.actor1[i] >= 0) & (cols.actor1[j] >= 0)
    score += (a1_known & (cols.actor1[i] == cols.actor1[j])) * w.get("actor1_agree", 0.75)
    score += (a1_known & (cols.actor1[i] != cols.actor1[j])) * w.get("actor1_conflict", -0.75)
    a2_known = (cols.actor2[i] >= 0) & (cols.actor2[j] >= 0)
    score += (a2_known & (cols.actor2[i] == cols.actor2[j])) * w.get("actor2_agree", 0.25)
    score += ((cols.killed[i] >= 0) & (cols.killed[i] == cols.killed[j])) * w.get("killed_agree", 0.75)
    if cols.signature is not None:
        sim = (cols.signature[i] == cols.signature[j]).mean(axis=1)
        score += sim * w.get("wording", 1.0)
    by_parties = cols.by_parties[i] & cols.by_parties[j]
    parties_known = (cols.parties[i] >= 0) & (cols.parties[j] >= 0)
    allowed &= ~(by_parties & parties_known & (cols.parties[i] != cols.parties[j]))
    # an agreement's place is where it was signed or what it is about ("a Karabakh truce agreed in Moscow"):
    # only two different towns, far apart, keep agreements apart
    allowed &= ~(by_parties & fine_both & (cols.place[i] >= 0) & (cols.place[j] >= 0) & ~same_place & ~near)
    score += (by_parties & parties_known) * w.get("parties_agree", 1.0)
    # two reports of one document: one event only from different claimants, same day, perpetrators agreeing
    same_doc = cols.doc[i] == cols.doc[j]
    # the same claimant twice in one document is two things, unless the extractor split one claim
    # (same place and day, figures not in conflict)
    one_claim = (same_place & (cols.day[i] == cols.day[j]) & (cols.slack[i] == 0) & (cols.slack[j] == 0)
                 & ((cols.killed[i] < 0) | (cols.killed[j] < 0) | (cols.killed[i] == cols.killed[j])))
    allowed &= ~(same_doc & (cols.claimant[i] == cols.claimant[j]) & ~one_claim)
    allowed &= ~(same_doc & (cols.slack[i] == 0) & (cols.slack[j] == 0) & (cols.day[i] != cols.day[j]))
    allowed &= ~(same_doc & (cols.place[i] >= 0) & (cols.place[j] >= 0) & ~same_place)
    allowed &= ~(same_doc & a1_known & (cols.actor1[i] != cols.actor1[j]))
    # another place nearby, or a place inside a reported region: only with support (figures, wording, actors)
    threshold = np.where((nested | near) & ~same_place, w.get("support_min_score", 3.5),
                         w.get("min_score", 1.0))
    allowed &= score >= threshold
    return score, allowed


def _distance_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Equirectangular distance: exact enough below a few hundred km, and cheap."""
    with np.errstate(invalid="ignore"):
        x = np.radians(lon2 - lon1) * np.cos(np.radians((lat1 + lat2) / 2))
        y = np.radians(lat2 - lat1)
        return np.sqrt(x * x + y * y) * 6371.0


def _components(n: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Connected-component labels: the smallest member index of each component."""
    labels = np.arange(n, dtype=np.int64)
    if len(i) == 0:
        return labels
    try:   # scipy's union-find is fastest; it is optional, so fall back to label propagation
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components
    except ImportError:
        return _propagate_labels(labels, i, j)
    graph = coo_matrix((np.ones(len(i), np.int8), (i, j)), shape=(n, n))
    _, comp = connected_components(graph, directed=False)
    smallest = np.full(comp.max() + 1, n, dtype=np.int64)
    np.minimum.at(smallest, comp, labels)
    return smallest[comp]


def _propagate_labels(labels: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Label propagation with pointer jumping (numpy only)."""
    while True:
        low = np.minimum(labels[i], labels[j])
        before = labels.copy()
        np.minimum.at(labels, i, low)
        np.minimum.at(labels, j, low)
        while True:   # pointer jumping: follow labels to their roots
            jumped = labels[labels]
            if np.array_equal(jumped, labels):
                break
            labels = jumped
        if np.array_equal(labels, before):
            return labels


def cluster(cols: ReportColumns, params: ClusterParams | None = None) -> np.ndarray:
    """One label per report (the smallest member index of its event); -1 for rows not clustered.

    Units first: reports of the same place and day (dated to the day, from different documents) are
    always one event, so they are joined without further checks. Components of units that keep every
    rule are events; the others are merged best-first, unit by unit.
    """
    params = params or ClusterParams()
    n = len(cols)
    i, j, nested = candidate_pairs(cols, params)
    score, allowed = score_pairs(cols, i, j, nested, params)
    i, j, score, nested = i[allowed], j[allowed], score[allowed], nested[allowed]
    strong = ((cols.day[i] == cols.day[j]) & (cols.slack[i] == 0) & (cols.slack[j] == 0)
              & (cols.place[i] == cols.place[j]) & (cols.level[i] <= DISTRICT) & (cols.level[j] <= DISTRICT)
              & (cols.doc[i] != cols.doc[j]))
    units = _components(n, i[strong], j[strong])
    units = _split_units_sharing_a_document(cols, units)
    ui, uj = units[i], units[j]
    cross = ui != uj
    labels = _components(n, ui[cross], uj[cross])[units]
    bad = _broken_components(cols, labels, params)
    if bad.any():
        in_bad = cross & bad[labels[i]]
        labels = _best_first(cols, units, bad[labels], ui[in_bad], uj[in_bad], score[in_bad],
                             i[in_bad & nested], j[in_bad & nested], labels, params)
    labels[cols.family < 0] = -1
    return labels


def _split_units_sharing_a_document(cols: ReportColumns, units: np.ndarray) -> np.ndarray:
    """Units holding two reports of one document go back to single reports (best-first sorts them out)."""
    order = np.lexsort((cols.doc, units))
    u, d = units[order], cols.doc[order]
    dup = (u[1:] == u[:-1]) & (d[1:] == d[:-1])
    if not dup.any():
        return units
    broken = np.zeros(len(units), bool)
    broken[u[1:][dup]] = True
    out = units.copy()
    members = broken[units]
    out[members] = np.flatnonzero(members)
    return out


def _broken_components(cols: ReportColumns, labels: np.ndarray, params: ClusterParams) -> np.ndarray:
    """Per label: True where the component holds two reports of one document or spans too many days."""
    n = len(labels)
    bad = np.zeros(n, bool)
    order = np.lexsort((cols.doc, labels))
    lab, doc = labels[order], cols.doc[order]
    dup = (lab[1:] == lab[:-1]) & (doc[1:] == doc[:-1])
    bad[lab[1:][dup]] = True
    lo = np.full(n, np.iinfo(np.int64).max)
    hi = np.full(n, np.iinfo(np.int64).min)
    slack = np.zeros(n, np.int64)
    np.minimum.at(lo, labels, cols.day)
    np.maximum.at(hi, labels, cols.day)
    np.maximum.at(slack, labels, cols.slack)
    size = np.bincount(labels, minlength=n)
    bad |= (size > 1) & (hi - lo > params.window_days + slack)
    precise = cols.slack == 0   # reports dated to the day must agree within the window itself
    lo_p = np.full(n, np.iinfo(np.int64).max)
    hi_p = np.full(n, np.iinfo(np.int64).min)
    np.minimum.at(lo_p, labels[precise], cols.day[precise])
    np.maximum.at(hi_p, labels[precise], cols.day[precise])
    bad |= (hi_p > lo_p) & (hi_p - lo_p > params.window_days)
    # places and regions together: a region-level report needs its own support to join (best-first checks)
    fine = np.zeros(n, bool)
    coarse = np.zeros(n, bool)
    fine[labels[(cols.level <= DISTRICT) & ~cols.by_parties]] = True
    coarse[labels[((cols.level == REGION) | (cols.level == COUNTRY)) & ~cols.by_parties]] = True
    bad |= fine & coarse
    return bad


def _best_first(cols, units, in_bad, ui, uj, score, nest_i, nest_j, labels, params) -> np.ndarray:
    """Merge the units of rule-breaking components best-first (best pair first), within the rules."""
    labels = labels.copy()
    # plain Python lists: element access on them is several times faster than on numpy arrays
    doc, claimant, place, day, slack, actor1, killed = (
        cols.doc.tolist(), cols.claimant.tolist(), cols.place.tolist(), cols.day.tolist(),
        cols.slack.tolist(), cols.actor1.tolist(), cols.killed.tolist())
    # agreements match by parties: their place level does not decide what they may join
    level = np.where(cols.by_parties, NOWHERE, cols.level).tolist()
    supported: dict[int, set[int]] = {}   # coarse report -> place-level reports it may join directly
    for a, b in zip(nest_i.tolist(), nest_j.tolist()):
        c, f = (a, b) if level[a] > DISTRICT else (b, a)
        supported.setdefault(c, set()).add(f)
    info: dict[int, dict] = {}
    for m, u in zip(np.flatnonzero(in_bad).tolist(), units[in_bad].tolist()):
        data = info.get(u)
        if data is None:
            data = info[u] = {"members": [], "fine": False, "coarse": [], "lo": day[m], "hi": day[m],
                              "slack": 0, "lo_p": None, "hi_p": None}
        data["members"].append(m)
        data["fine"] = data["fine"] or level[m] <= DISTRICT
        if level[m] in (REGION, COUNTRY):
            data["coarse"].append(m)
        data["lo"], data["hi"] = min(data["lo"], day[m]), max(data["hi"], day[m])
        data["slack"] = max(data["slack"], slack[m])
        if slack[m] == 0:
            data["lo_p"] = day[m] if data["lo_p"] is None else min(data["lo_p"], day[m])
            data["hi_p"] = day[m] if data["hi_p"] is None else max(data["hi_p"], day[m])
    # one pair per two units: the best-scoring one
    order = np.lexsort((uj, ui, -score))
    ui, uj, score = ui[order], uj[order], score[order]
    code = np.minimum(ui, uj) * len(units) + np.maximum(ui, uj)
    _, first = np.unique(code, return_index=True)
    first.sort()
    parent = {u: u for u in info}
    window = params.window_days

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in zip(ui[first].tolist(), uj[first].tolist()):
        a, b = find(a), find(b)
        if a == b:
            continue
        ca, cb = info[a], info[b]
        lo, hi, sl = min(ca["lo"], cb["lo"]), max(ca["hi"], cb["hi"]), max(ca["slack"], cb["slack"])
        if hi - lo > window + sl:
            continue
        precise = [d for d in (ca["lo_p"], ca["hi_p"], cb["lo_p"], cb["hi_p"]) if d is not None]
        lo_p, hi_p = (min(precise), max(precise)) if precise else (None, None)
        if precise and hi_p - lo_p > window:
            continue
        if not _docs_compatible(ca["members"], cb["members"], doc, claimant, place, day, slack, actor1,
                                killed):
            continue
        if not (_coarse_supported(ca, cb, supported) and _coarse_supported(cb, ca, supported)):
            continue
        if len(ca["members"]) < len(cb["members"]):
            a, b, ca, cb = b, a, cb, ca
        parent[b] = a
        ca["members"].extend(cb["members"])
        ca["coarse"].extend(cb["coarse"])
        ca["fine"] = ca["fine"] or cb["fine"]
        ca["lo"], ca["hi"], ca["slack"], ca["lo_p"], ca["hi_p"] = lo, hi, sl, lo_p, hi_p
        del info[b]
    for data in info.values():
        labels[data["members"]] = min(data["members"])
    return labels


def _coarse_supported(place_side: dict, region_side: dict, supported: dict[int, set[int]]) -> bool:
    """A cluster of region-level reports joins a place-level cluster only when each of them has its own
    supported pair with a member there (so "shelling in Azerbaijan" does not ride in on another report)."""
    if not place_side["fine"] or region_side["fine"] or not region_side["coarse"]:
        return True
    members = set(place_side["members"])
    return all(supported.get(c, set()) & members for c in region_side["coarse"])


def _docs_compatible(left, right, doc, claimant, place, day, slack, actor1, killed) -> bool:
    """Whether two clusters may merge given what each document says (see the module docstring)."""
    if len(left) > len(right):
        left, right = right, left
    docs_right: dict[int, list[int]] = {}
    for r in right:
        docs_right.setdefault(doc[r], []).append(r)
    for a in left:
        for b in docs_right.get(doc[a], ()):
            if place[a] >= 0 and place[b] >= 0 and place[a] != place[b]:
                return False
            if claimant[a] == claimant[b] and not (
                    place[a] >= 0 and place[a] == place[b] and day[a] == day[b] and slack[a] == 0 == slack[b]
                    and (killed[a] < 0 or killed[b] < 0 or killed[a] == killed[b])):
                return False
            if slack[a] == 0 and slack[b] == 0 and day[a] != day[b]:
                return False
            if actor1[a] >= 0 and actor1[b] >= 0 and actor1[a] != actor1[b]:
                return False
    return True


def event_figures(labels: np.ndarray, claimant: np.ndarray, day: np.ndarray, value: np.ndarray):
    """Columnar figure ranges: per label, each claimant's latest figure, then low, high and lower median.

    Returns (event labels, low, best, high) for the labels that have any figure (value >= 0). The model-level
    rule also prefers neutral claimants for `best`; this is the fast form for large runs.
    """
    has = (labels >= 0) & (value >= 0)
    lab, cl, dy, val = labels[has], claimant[has], day[has], value[has]
    order = np.lexsort((dy, cl, lab))
    lab, cl, val = lab[order], cl[order], val[order]
    last = np.ones(len(lab), bool)   # the latest figure of each (event, claimant)
    last[:-1] = (lab[1:] != lab[:-1]) | (cl[1:] != cl[:-1])
    lab, val = lab[last], val[last]
    order = np.lexsort((val, lab))
    lab, val = lab[order], val[order]
    if len(lab) == 0:
        empty = np.empty(0, np.int64)
        return empty, empty, empty, empty
    starts = np.flatnonzero(np.r_[True, lab[1:] != lab[:-1]])
    ends = np.r_[starts[1:], len(lab)]
    return lab[starts], val[starts], val[starts + (ends - starts - 1) // 2], val[ends - 1]
