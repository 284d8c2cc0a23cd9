"""The shape of a conflict pack (pydantic): what each key means, and the checks that make a bad pack fail
with a message naming the file, the key and what is wrong."""
from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

# A side code: an ISO 3166 alpha-2 country, XX (a non-state group with no state behind it, or unknown), UN,
# or a two-letter code a pack defines for a de facto authority (NK) by giving its party a `name`.
SIDE_CODE = re.compile(r"^[A-Z]{2}$")
SPECIAL_SIDES = {"XX", "UN"}
KINDS = ("military", "government", "official", "international", "other")
PRECISIONS = ("place", "district", "region")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PackActor(_Strict):
    """An armed force, named group, institution or official (or a title that points to one)."""

    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    kind: Literal[KINDS] = "military"  # type: ignore[valid-type]
    role: str | None = None            # for people: what they are ("Governor of Kharkiv Oblast")
    # aliases that name this actor only in a document about this war ("the army", "the junta", "AA")
    context_aliases: list[str] = Field(default_factory=list)


class Party(_Strict):
    """One side of the war: its code, the camp it fights in, and the actors that speak or fight for it."""

    side: str
    camp: str | None = None            # parties sharing a camp fight together; default: the side itself
    name: str | None = None            # display name; required for a side code that is not a country
    forces_name: str | None = None     # how its unnamed forces are called ("Military Forces of ...")
    territory: str | None = None       # a place of this pack the side holds (NK: Nagorno-Karabakh)
    refines: list[str] = Field(default_factory=list)   # when a text names both, this side wins (NK over AM)
    civilians: str | None = None       # whose civilians this side's counts are (AM counts NK's civilians)
    belligerent: bool = True           # false: a state that backs a camp but is no party (its outlets stay XX)
    fights: str | None = None          # for a side outside the war's two camps: the camp it strikes (Houthis)
    # how this side's strikes come when a text names no ground weapon: "air" makes its "strike", "raid" or
    # "missiles" an Air/drone strike (Israel's on Gaza, the US and UK's on Yemen); unset: as the words say
    strikes_from: Literal["air"] | None = None
    terms: list[str] = Field(default_factory=list)     # words that name the side anywhere ("Artsakh")
    context_terms: list[str] = Field(default_factory=list)  # ... only in a document about this war
    actors: list[PackActor] = Field(default_factory=list)

    @field_validator("side", "civilians")
    @classmethod
    def _code(cls, value: str | None) -> str | None:
        if value is not None and not SIDE_CODE.match(value):
            raise ValueError(f"{value!r} is not a side code (two capital letters: an ISO country, XX or UN)")
        return value

    @field_validator("refines")
    @classmethod
    def _codes(cls, values: list[str]) -> list[str]:
        for value in values:
            cls._code(value)
        return values


class PackPlace(_Strict):
    """A place beyond the gazetteer, or read differently in this war."""

    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    # spellings that mean this place only in a document about this war (machine-translation slips such as
    # "Gabriel" for Jabrayil); they are tried before the gazetteer, so they beat a real namesake elsewhere
    slips: list[str] = Field(default_factory=list)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    country: str | None = None         # ISO2 of the state it lies in (none for seas)
    side: str | None = None            # de facto holder, when not the country (disputed towns and regions)
    precision: Literal[PRECISIONS] = "place"  # type: ignore[valid-type]
    radius_km: float | None = Field(default=None, gt=0)    # extent of a region or district (and of `side`)
    bbox: tuple[float, float, float, float] | None = None  # [min_lon, min_lat, max_lon, max_lat], overrides radius
    geonameid: int | None = None       # the gazetteer entry this is (then the gazetteer's spelling is used)
    within: str | None = None          # the town it is part of (a neighbourhood, camp or landmark)

    @model_validator(mode="after")
    def _coordinates(self) -> PackPlace:
        if self.lat is None or self.lon is None:
            raise ValueError(f"place {self.name!r} has no coordinates: give lat and lon (a map is enough)")
        for code in (self.country, self.side):
            if code is not None and not SIDE_CODE.match(code):
                raise ValueError(f"place {self.name!r}: {code!r} is not a two-letter code")
        return self


class PackOutlet(_Strict):
    """A news outlet of the theatre: it speaks for its home country when that country is a party."""

    name: str = Field(min_length=1)
    home: str | None = None            # ISO2 of its home; none for an outlet run by a non-state group
    side: str | None = None            # how it is coded outside any war it is party to (default: its home)
    aliases: list[str] = Field(default_factory=list)


class Phase(_Strict):
    """A stage of a long war with its own start (a running tally "since fighting began" counts from it)."""

    name: str = Field(min_length=1)
    start: dt.date
    end: dt.date | None = None


class ConflictPack(_Strict):
    """All the project knows about one war."""

    name: str = Field(min_length=1)
    start: dt.date
    end: dt.date | None = None
    phases: list[Phase] = Field(default_factory=list)
    keywords: list[str] = Field(min_length=1)   # words that mark a document as being about this war
    parties: list[Party] = Field(min_length=1)
    places: list[PackPlace] = Field(default_factory=list)
    outlets: list[PackOutlet] = Field(default_factory=list)
    front: str | None = None          # where an act with no finer place is put (a place or country name)
    markers: list[str] = Field(default_factory=list)   # countries whose naming points to this war

    @field_validator("start", "end", mode="before")
    @classmethod
    def _date(cls, value):
        if value is None or isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise ValueError(f"{value!r} is not a date: write it as YYYY-MM-DD") from None

    @model_validator(mode="after")
    def _consistent(self) -> ConflictPack:
        # model-level checks: each message starts with the key it is about (pydantic cannot place it)
        known = {p.side for p in self.parties}
        seen: set[str] = set()
        for i, party in enumerate(self.parties):
            key = f"parties[{i}] ({party.side})"
            if party.side in seen:
                raise ValueError(f"{key}.side: {party.side!r} is listed twice; put all its actors in one party")
            seen.add(party.side)
            if party.side not in SPECIAL_SIDES and not _is_country(party.side) and not party.name:
                raise ValueError(f"{key}.side: {party.side!r} is no country code (ISO 3166 alpha-2), XX or UN; a de "
                                 f"facto side needs a `name` (e.g. side: NK, name: Nagorno-Karabakh)")
            for code in [*party.refines, *filter(None, [party.civilians])]:
                if code not in known:
                    raise ValueError(f"{key}: names side {code!r}, which is no party of this pack")
            camps = {p.camp or p.side for p in self.parties}
            if party.fights is not None and party.fights not in camps:
                raise ValueError(f"{key}.fights: {party.fights!r} is no camp of this pack (camps: "
                                 f"{', '.join(sorted(camps))})")
        owner: dict[str, tuple[str, str]] = {}
        for i, party in enumerate(self.parties):
            for j, actor in enumerate(party.actors):
                for alias in dict.fromkeys(_fold(a) for a in [actor.name, *actor.aliases, *actor.context_aliases]):
                    other = owner.setdefault(alias, (party.side, actor.name))
                    if other[0] != party.side:
                        raise ValueError(
                            f"parties[{i}] ({party.side}).actors[{j}] ({actor.name}): alias {alias!r} is claimed by "
                            f"two sides, {other[0]} ({other[1]}) and {party.side}: an alias may point to one side only")
        if self.end is not None and self.end < self.start:
            raise ValueError(f"end: {self.end} is before start {self.start}")
        for code in self.markers:
            if not _is_country(code):
                raise ValueError(f"markers: {code!r} is not an ISO country code")
        for i, place in enumerate(self.places):
            if place.side is not None and place.side not in known and not _is_country(place.side):
                raise ValueError(f"places[{i}] ({place.name}).side: {place.side!r} is no party of this pack")
        return self


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def _is_country(code: str) -> bool:
    import pycountry

    return pycountry.countries.get(alpha_2=code) is not None
