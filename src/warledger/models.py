"""The data model: documents in, reports out, events fused from reports.

The report fields follow the contract in ``shared/spec/reports.md``; ``Report.contract()`` gives the
exact JSON object of one line of the JSONL export.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Kind = Literal["event", "tally", "statement"]
Stance = Literal["asserted", "denied"]
Qualifier = Literal["exact", "at_least", "approx"]
DatePrecision = Literal["day", "week", "month"]
PlacePrecision = Literal["place", "district", "region", "country"]
ClaimantKind = Literal["government", "military", "official", "outlet", "international", "other"]
MaterielType = Literal["drone", "aircraft", "helicopter", "tank", "armored_vehicle", "artillery",
                       "air_defense", "missile", "vehicle", "building", "other"]
MaterielOutcome = Literal["destroyed", "damaged", "captured", "shot_down"]
StatementType = Literal["accuse", "condemn", "deny", "appeal", "threaten", "meet", "other"]

# ACLED's sub-event types and the event type each belongs to (used verbatim).
SUB_EVENT_TYPES: dict[str, str] = {
    "Armed clash": "Battles", "Government regains territory": "Battles",
    "Non-state actor overtakes territory": "Battles",
    "Chemical weapon": "Explosions/Remote violence", "Air/drone strike": "Explosions/Remote violence",
    "Suicide bomb": "Explosions/Remote violence",
    "Shelling/artillery/missile attack": "Explosions/Remote violence",
    "Remote explosive/landmine/IED": "Explosions/Remote violence", "Grenade": "Explosions/Remote violence",
    "Sexual violence": "Violence against civilians", "Attack": "Violence against civilians",
    "Abduction/forced disappearance": "Violence against civilians",
    "Peaceful protest": "Protests", "Protest with intervention": "Protests",
    "Excessive force against protesters": "Protests",
    "Violent demonstration": "Riots", "Mob violence": "Riots",
    "Agreement": "Strategic developments", "Arrests": "Strategic developments",
    "Change to group/activity": "Strategic developments", "Disrupted weapons use": "Strategic developments",
    "Headquarters or base established": "Strategic developments",
    "Looting/property destruction": "Strategic developments",
    "Non-violent transfer of territory": "Strategic developments", "Other": "Strategic developments",
}


def stable_id(prefix: str, *parts: object, length: int = 16) -> str:
    """A short id that depends only on its parts: the same input always gives the same id."""
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}{digest[:length]}"


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class Document(Model):
    """One article as ingested and cleaned."""

    doc_id: str
    text: str = Field(description="cleaned text; evidence offsets point into it")
    raw_text: str | None = Field(None, description="text before cleaning (kept for audit)")
    content_hash: str = ""
    url: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    published_inferred: bool = Field(False, description="True when `published` was inferred from the text")
    title: str | None = None
    language: str | None = None
    source_path: str | None = None
    copy_group: str | None = Field(None, description="id of the group of near-identical texts it belongs to")


class Place(Model):
    name: str
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    admin1: str | None = None
    country: str | None = None
    precision: PlacePrecision = "place"


class Actor(Model):
    name: str
    side: str | None = None
    mention: str | None = Field(None, description="the actor as the document wrote it")


class Claimant(Model):
    name: str
    side: str | None = None
    kind: ClaimantKind = "other"
    mention: str | None = None


class Materiel(Model):
    type: MaterielType
    count: int | None = None
    outcome: MaterielOutcome
    side: str | None = None


class Evidence(Model):
    start: int
    end: int
    text: str


class Report(Model):
    """One claim, made in one document, about one thing (the contract's unit)."""

    doc_id: str
    report_id: str = ""
    kind: Kind
    event_type: str | None = None
    sub_event_type: str | None = None
    statement_type: StatementType | None = None
    date: dt.date | None = None
    date_start: dt.date | None = None
    date_precision: DatePrecision = "day"
    location: Place | None = None
    location_text: str | None = None
    actor1: Actor | None = None
    actor2: Actor | None = None
    killed: int | None = None
    wounded: int | None = None
    killed_qualifier: Qualifier | None = None
    wounded_qualifier: Qualifier | None = None
    materiel: list[Materiel] = Field(default_factory=list)
    claimant: Claimant
    stance: Stance = "asserted"
    evidence: list[Evidence] = Field(default_factory=list)
    confidence: float = 0.5
    event_id: str | None = None

    def with_id(self) -> Report:
        """Fill `report_id` from what the report says (stable across runs)."""
        what = self.sub_event_type or self.statement_type or ""
        first = self.evidence[0].start if self.evidence else -1
        place = self.location_text or (self.location.name if self.location else "")
        victims = (self.actor2.name, self.actor2.side) if self.actor2 else None
        # an item without a count sorts after counted ones of its kind (None and int do not compare)
        losses = sorted(((m.type, m.outcome, m.count) for m in self.materiel),
                        key=lambda t: (t[0], t[1], t[2] is None, t[2] or 0))
        self.report_id = stable_id("r", self.doc_id, self.kind, what, self.stance, self.claimant.name, place,
                                   self.date, first, victims, self.killed, self.wounded, losses)
        return self

    def contract(self) -> dict:
        """The report as one JSON object of the export (dates as ISO strings)."""
        return self.model_dump(mode="json")


class FigureRange(Model):
    """UCDP-style figures: best estimate, low and high."""

    best: int | None = None
    low: int | None = None
    high: int | None = None


class Claim(Model):
    """What one claimant said about an event, as listed on the event."""

    report_id: str
    doc_id: str
    claimant: Claimant
    stance: Stance = "asserted"
    date: dt.date | None = None
    killed: int | None = None
    killed_qualifier: Qualifier | None = None
    wounded: int | None = None
    wounded_qualifier: Qualifier | None = None
    actor1: Actor | None = None
    location_text: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)
    superseded: bool = Field(False, description="a later figure by the same claimant replaces this one")


class Contradiction(Model):
    kind: Literal["responsibility_denied", "perpetrator", "figures", "place", "date"]
    field: str | None = None
    claim_a: str = Field(description="report_id of one side")
    claim_b: str = Field(description="report_id of the other side")
    claimant_a: str | None = None
    claimant_b: str | None = None
    detail: str = ""


class Source(Model):
    doc_id: str
    outlet: str | None = None
    url: str | None = None
    copy_group: str | None = None


class Event(Model):
    """A real-world event fused from reports across documents."""

    event_id: str
    kind: Kind = "event"
    event_type: str | None = None
    sub_event_type: str | None = None
    date: dt.date | None = None
    date_precision: DatePrecision = "day"
    location: Place | None = None
    location_text: str | None = None
    actor1: Actor | None = None
    actor2: Actor | None = None
    killed: FigureRange = Field(default_factory=FigureRange)
    wounded: FigureRange = Field(default_factory=FigureRange)
    claims: list[Claim] = Field(default_factory=list)
    contradictions: list[Contradiction] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    independent_sources: int = 0
    report_ids: list[str] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list, description="e.g. 'alleged_ceasefire_violation'")
    alleged_by: list[str] = Field(default_factory=list, description="claimants alleging a ceasefire violation")
    confidence: float = 0.5


class TallyPoint(Model):
    date: dt.date | None
    killed: int | None = None
    wounded: int | None = None
    killed_qualifier: Qualifier | None = None
    wounded_qualifier: Qualifier | None = None
    report_id: str
    doc_id: str


class TallySeries(Model):
    """Claimed running totals of one counter by one claimant over time."""

    series_id: str
    counter: str = Field(description="what is counted, e.g. 'AZ civilians killed'")
    claimant: Claimant
    date_start: dt.date | None = None
    points: list[TallyPoint] = Field(default_factory=list)
    decreasing: bool = Field(False, description="a later figure falls below an earlier one")


class CopyGroup(Model):
    group_id: str
    doc_ids: list[str]
    similarity: float = 1.0
