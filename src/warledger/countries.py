"""Country names from ISO codes, shared by the stages that print them (actor names, exports)."""
from __future__ import annotations

import functools

import pycountry


@functools.lru_cache(maxsize=512)
def country_record(code_or_name: str | None):
    """The pycountry record for an ISO alpha-2/alpha-3 code or a country name; None when unknown."""
    if not code_or_name:
        return None
    try:
        return pycountry.countries.lookup(code_or_name)
    except LookupError:
        return None


def country_name(code_or_name: str | None) -> str | None:
    """The country's common English name ("Syria", not "Syrian Arab Republic"); what was given when unknown."""
    record = country_record(code_or_name)
    if record is None:
        return code_or_name
    return getattr(record, "common_name", None) or record.name
