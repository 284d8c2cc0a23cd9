"""The event filters, in one place: the API's query parameters, the page's URL and `warledger export` options.

`EventFilters` holds what a view is filtered by (every field optional; list fields take several values, any
of which may match). `EventFilters.from_params` reads it from query parameters (a name repeated for several
values, as the page's URL writes them); `where()` turns it into SQL over the filter index (`index.py`).
`matching_event_ids` answers it over any store, so the dashboard's export and `warledger export` give the
same rows for the same filters.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from warledger.errors import WarledgerError
from warledger.serve.index import prefix_range, search_words

LIST_FIELDS = ("event_type", "sub_event_type", "side", "place", "claimant")
# The query parameter names, in the order the page writes them into its URL.
FILTER_NAMES = ("date_from", "date_to", *LIST_FIELDS, "q", "contested")
TRUE = {"1", "true", "yes", "on"}


class FilterError(WarledgerError, ValueError):
    """A filter value that cannot be read (the API answers 422, the CLI says which option)."""


def _values(raw) -> list[str]:
    """A list of non-empty, stripped strings from one value, a list of them, or None."""
    if raw is None:
        return []
    items = [raw] if isinstance(raw, str) else list(raw)
    return [s for s in (str(v).strip() for v in items) if s]


def _date(name: str, raw) -> dt.date | None:
    if isinstance(raw, dt.date):
        return raw
    values = _values(raw)
    if not values:
        return None
    try:
        return dt.date.fromisoformat(values[-1])
    except ValueError:
        raise FilterError(f"{name} must be a date like 2020-10-17, not {values[-1]!r}") from None


@dataclass
class EventFilters:
    """What the event table, map, timeline, summaries and exports are filtered by; every field is optional.

    A list field matches when any of its values matches (`event_type=Battles&event_type=Protests`); the
    fields together must all match.
    """

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    event_type: list[str] = field(default_factory=list)
    sub_event_type: list[str] = field(default_factory=list)
    side: list[str] = field(default_factory=list)
    place: list[str] = field(default_factory=list)
    claimant: list[str] = field(default_factory=list)
    contested: bool = False
    q: str | None = None

    def __post_init__(self):
        # One value given as a plain string (the Python API's habit) is a list of one.
        for name in LIST_FIELDS:
            setattr(self, name, _values(getattr(self, name)))
        self.q = " ".join(_values(self.q)) or None
        self.date_from = _date("date_from", self.date_from)
        self.date_to = _date("date_to", self.date_to)

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> EventFilters:
        """From query parameters or CLI options: a name maps to one value or a list (repeated names)."""
        def get(name):
            if hasattr(params, "getlist"):  # Starlette's QueryParams: every repeat of a name
                return params.getlist(name)
            return params.get(name)
        contested = _values(get("contested"))
        return cls(date_from=get("date_from"), date_to=get("date_to"),
                   **{name: get(name) for name in LIST_FIELDS},
                   contested=bool(contested) and contested[-1].lower() in TRUE, q=get("q"))

    def is_empty(self) -> bool:
        return self == EventFilters()

    def params(self) -> list[tuple[str, str]]:
        """The filters as query parameters (repeated names for several values), as the page writes them."""
        out: list[tuple[str, str]] = []
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, list):
                out += [(f.name, v) for v in value]
            elif value is True:
                out.append((f.name, "true"))
            elif value:
                out.append((f.name, value.isoformat() if isinstance(value, dt.date) else str(value)))
        return out

    def where(self, word_index: bool = False) -> tuple[str, list[Any]]:
        """The SQL WHERE clause over `event_index` and its parameters (user text only ever as parameters).

        Text filters match case-insensitively: `place` and `claimant` anywhere in the name, `q` word by word,
        each word the start of a word of the event's text (place, types, actors, claimants, evidence).
        """
        clauses, params = [], []
        for clause, value in (("date >= ?", self.date_from), ("date <= ?", self.date_to)):
            if value:
                clauses.append(clause)
                params.append(value)
        for column, values in (("event_type", self.event_type), ("sub_event_type", self.sub_event_type)):
            if values:
                clauses.append(f"{column} IN ({', '.join('?' * len(values))})")
                params += values
        for column, values, norm in (("sides_key", [f",{s.upper()}," for s in self.side], None),
                                     ("place_key", self.place, str.lower),
                                     ("claimants_key", self.claimant, str.lower)):
            if values:
                clauses.append("(" + " OR ".join([f"contains({column}, ?)"] * len(values)) + ")")
                params += [norm(v) if norm else v for v in values]
        if self.contested:
            clauses.append("contested")
        words = search_words(self.q)
        if words and word_index:
            # Intersect the words' postings first: one semi-join, however many words.
            postings = " INTERSECT ".join(["SELECT rid FROM event_words WHERE word >= ? AND word < ?"] * len(words))
            clauses.append(f"rank_date_desc IN ({postings})")
            for word in words:
                params.extend(prefix_range(word))
        elif words:  # the same rule as a scan: `search` is " word word ... "
            for word in words:
                clauses.append("contains(search, ?)")
                params.append(" " + word)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def matching_event_ids(index_cursor, filters: EventFilters, word_index: bool = False) -> list[str]:
    """The ids of the events matching `filters`, in the store's own order (date, then id: what
    `Store.events()` and so an unfiltered export give)."""
    where, params = filters.where(word_index=word_index)
    rows = index_cursor.execute(f"SELECT event_id FROM event_index{where} ORDER BY date, event_id",
                                params).fetchall()
    return [r[0] for r in rows]


def filtered_events(store, filters: EventFilters | None, index=None) -> list:
    """The store's events matching `filters` (all of them when None or empty) in `Store.events()`'s order
    (date, then id). `index`: an open `EventIndex` over the same store (the dashboard's); else one is
    built. Reads through a cursor of its own, so a server thread may call it."""
    from warledger.models import Event
    from warledger.serve.index import EventIndex

    cur = store.con.cursor()
    try:
        if filters is None or filters.is_empty():
            rows = cur.execute("SELECT data FROM events ORDER BY date, event_id").fetchall()
            return [Event.model_validate_json(r[0]) for r in rows]
        own = index is None
        index = index or EventIndex(cur, word_index="off", memory="off")
        try:
            ids = matching_event_ids(index.cursor(), filters, word_index=index.words_ready.is_set())
        finally:
            if own:
                index.close()
        if not ids:
            return []
        found = dict(cur.execute("SELECT event_id, data FROM events WHERE event_id IN"
                                 " (SELECT unnest(?::VARCHAR[]))", [ids]).fetchall())
    finally:
        cur.close()
    return [Event.model_validate_json(found[i]) for i in ids if i in found]
