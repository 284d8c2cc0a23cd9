"""One report per claimant per thing that happened per document (the contract's coding rule).

Merges, in order: 1. repeats of the same claimant's act at the same place join one report, every sentence
kept as evidence; 2. a report with no place joins the one same-claimant act that has one; 3. lead sentences
that repeat a claim of the body join that claim; 4. a denial takes the place, date and type of the (merged)
event it denies; 5. headlines add their sentence to the body's report they repeat; a placed act the body does not
repeat is kept as its own report.
"""
from __future__ import annotations

from warledger.geo import haversine_km
from warledger.models import Report

PLACED = ("place", "district")


def _act(r: Report) -> str:
    return r.sub_event_type or r.statement_type or ""


def _family(r: Report) -> str:
    if r.kind != "event":
        return r.kind + ":" + (r.statement_type or "")
    sub = r.sub_event_type or ""
    if sub in ("Shelling/artillery/missile attack", "Air/drone strike", "Remote explosive/landmine/IED"):
        return "strike"
    return sub


def _place_key(r: Report):
    if r.location is None:
        return None
    return r.location.geonameid or r.location.name


def _placed(r: Report) -> bool:
    return r.location is not None and r.location.precision in PLACED


def _absorb(into: Report, other: Report) -> None:
    for ev in other.evidence:
        if all(ev.start != e.start for e in into.evidence):
            into.evidence.append(ev)
    into.evidence.sort(key=lambda e: e.start)
    for what in ("killed", "wounded"):
        if getattr(into, what) is None and getattr(other, what) is not None:
            setattr(into, what, getattr(other, what))
            setattr(into, f"{what}_qualifier", getattr(other, f"{what}_qualifier"))
    for m in other.materiel:
        if all((m.type, m.outcome) != (n.type, n.outcome) for n in into.materiel):
            into.materiel.append(m)
    for field in ("actor1", "actor2"):
        mine, theirs = getattr(into, field), getattr(other, field)
        if (mine is None or mine.side is None) and theirs is not None and theirs.side:
            setattr(into, field, theirs)
    if other.actor2 is not None and other.actor2.name == "Civilians" and (
            into.actor2 is None or into.actor2.name != "Civilians"):
        into.actor2 = other.actor2   # a later sentence said the dead were civilians
    into.confidence = min(0.95, max(into.confidence, other.confidence) + 0.05)


def consolidate(reports: list[Report], headline_ids: set[int], lead_ids: set[int]) -> list[Report]:
    """Merge repeats. `headline_ids`/`lead_ids` hold id() of reports drawn from headline and lead sentences."""
    body = [r for r in reports if id(r) not in headline_ids]
    heads = [r for r in reports if id(r) in headline_ids]
    merged: list[Report] = []
    lead_ids = set(lead_ids)
    for r in body:
        twin = next((m for m in merged if _same(m, r)), None)
        if twin is None:
            merged.append(r)
        else:
            _absorb(twin, r)
            if id(twin) in lead_ids and id(r) not in lead_ids:
                lead_ids.discard(id(twin))   # the outlet tells it in the body too: its own report, not the lead's
    # unplaced acts join the single placed act of the same claimant and kind
    out: list[Report] = []
    for r in merged:
        if r.kind == "event" and not _placed(r) and not r.killed and not r.wounded:
            homes = [m for m in merged if m is not r and _placed(m) and _compatible(m, r)
                     and _same_claimant(m.claimant.name, r.claimant.name) and m.stance == r.stance
                     and not _elsewhere(r, m)]
            if len(homes) == 1:
                _absorb(homes[0], r)
                continue
        out.append(r)
    # the lead in the outlet's voice repeating an attributed claim of the body
    final: list[Report] = []
    for r in out:
        if id(r) in lead_ids and r.kind == "statement":
            # the lead's "Turkey accused Armenia of war crimes" is the body's accusation by Turkey's minister
            homes = [m for m in out if m is not r and id(m) not in lead_ids and m.kind == "statement"
                     and m.statement_type == r.statement_type and m.claimant.side == r.claimant.side]
            if homes:
                _absorb(homes[0], r)
                continue
        if id(r) in lead_ids and r.claimant.kind == "outlet" and r.kind == "event":
            homes = [m for m in out if m is not r and m.claimant.kind != "outlet" and _compatible(m, r)
                     and (not _placed(r) or _place_key(m) == _place_key(r))]
            if len(homes) == 1:
                _absorb(homes[0], r)
                continue
        final.append(r)
    _link_denials(final)
    kept: list[Report] = []
    story = {r.location.country for r in final if r.kind == "event" and r.location is not None}
    for h in heads:
        homes = [m for m in final if _compatible(m, h) and (not _placed(h) or _place_key(m) == _place_key(h))]
        if homes:
            homes[0].evidence = sorted(homes[0].evidence + [e for e in h.evidence
                                                            if all(e.start != x.start for x in homes[0].evidence)],
                                       key=lambda e: e.start)
        elif h.kind == "event" and _placed(h) and _names_its_place(h) and (not story or h.location.country in story) \
                and not any(_same(k, h) for k in kept):
            # (talks "in Geneva" in a headline about the war are not where an act was)
            kept.append(h)   # a headline whose claim the body does not repeat is a report of its own
    return final + kept


# A town this far from the centre of a region its own sentence names is taken to lie outside that region
# (regions carry no code of their own to compare): "a 9-year-old was killed in the Bryansk region" is not the
# strike on Belgorod city told before.
REGION_REACH_KM = 250


def _elsewhere(r: Report, home: Report) -> bool:
    """Whether `r` names a region of its own that the town of `home` is not in."""
    loc, town = r.location, home.location
    if loc is None or town is None or loc.precision != "region" or not _names_its_place(r):
        return False
    if loc.name.split()[0].lower() in town.name.lower():   # "Belgorod Oblast" holds Belgorod
        return False
    if None in (loc.lat, loc.lon, town.lat, town.lon):
        return loc.country != town.country
    return haversine_km(loc.lat, loc.lon, town.lat, town.lon) > REGION_REACH_KM


def _names_its_place(r: Report) -> bool:
    """Whether the report's own sentence names its place (not a dateline's or an earlier sentence's)."""
    return bool(r.location_text) and any(r.location_text.lower() in e.text.lower() for e in r.evidence)


def _same(a: Report, b: Report) -> bool:
    if a.kind == b.kind == "statement" and a.statement_type == b.statement_type == "meet":
        # one meeting told twice ("a telephone conversation ...", "during the phone talk, ..."): one report
        sides_a = {_side(a.actor1), _side(a.actor2)} - {None}
        sides_b = {_side(b.actor1), _side(b.actor2)} - {None}
        return bool(sides_a and sides_b) and (sides_a <= sides_b or sides_b <= sides_a)
    if a.kind != b.kind or a.stance != b.stance or not _same_claimant(a.claimant.name, b.claimant.name):
        return False
    if a.kind == "statement":
        return a.statement_type == b.statement_type and (a.actor2.side if a.actor2 else None) == (
            b.actor2.side if b.actor2 else None)
    if a.kind == "tally":
        return _victims(a) == _victims(b)
    if _family(a) != _family(b):
        return False
    if _place_key(a) != _place_key(b):
        return False
    # a town's strike told "late on Friday" and "on Saturday" is one; a region's fighting on two days is two
    tolerance = 1 if _placed(a) else 0
    if a.date and b.date and abs((a.date - b.date).days) > tolerance:
        return False
    return _materiel_compatible(a, b)


def _same_claimant(a: str, b: str) -> bool:
    """"Ibrahim Khatir" and, later, "Khatir": one speaker (a surname alone is the person named in full)."""
    if a == b:
        return True
    short, full = sorted((a.split(), b.split()), key=len)
    # (a name, titled or not, in capitalised words: not "State Emergency Service of Ukraine" against "Ukraine")
    return len(short) == 1 and len(full) > 1 and short[0] == full[-1] and all(w[:1].isupper() for w in full)


def _side(actor) -> str | None:
    return actor.side if actor is not None else None


def _victims(r: Report):
    return ((r.actor2.name if r.actor2 else None), (r.actor2.side if r.actor2 else None))


def _compatible(a: Report, b: Report) -> bool:
    if a.kind != b.kind or _family(a) != _family(b) or a.stance != b.stance:
        return False
    if a.date and b.date and abs((a.date - b.date).days) > 1:
        return False
    return _materiel_compatible(a, b)


def _materiel_compatible(a: Report, b: Report) -> bool:
    ta, tb = {m.type for m in a.materiel}, {m.type for m in b.materiel}
    return not ta or not tb or bool(ta & tb)


def _link_denials(reports: list[Report]) -> None:
    """A denial names no place: it takes the place, date, type and perpetrator of the event it denies."""
    for i, r in enumerate(reports):
        if r.stance != "denied" or r.kind != "event":
            continue
        before = [m for m in reports[:i] if m.kind == "event" and m.stance == "asserted" and _family(m) == _family(r)]
        if _placed(r):   # a denial naming the place: the event told there
            before = [m for m in before if _place_key(m) == _place_key(r)]
        before = [m for m in before if _placed(m)] or before
        if not before:
            continue
        told = [m for m in before if m.killed is not None or m.wounded is not None]
        target = (told or before)[-1]   # the event as told with its toll, else the last one told
        r.location, r.location_text = target.location, target.location_text
        r.date, r.date_precision, r.sub_event_type = target.date, target.date_precision, target.sub_event_type
        r.event_type = target.event_type
        r.actor2 = target.actor2
        r.killed = r.wounded = None
        r.killed_qualifier = r.wounded_qualifier = None
        r.materiel = []
