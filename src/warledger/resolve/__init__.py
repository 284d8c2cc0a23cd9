"""Resolution: places to GeoNames entries, actors and claimants to canonical names and sides, offline.

    from warledger.resolve import Resolver, resolve_reports
    resolver = Resolver.load()                    # builds the gazetteer index once into the cache dir
    resolver.place("Cochabamba")                  # Place(name="Cochabamba", geonameid=3919968, ...)
    resolver.claimant("the Bolivian Defence Ministry")   # Claimant(name="Ministry of Defense of Bolivia", ...)
    reports = resolve_reports(reports, document, resolver)
"""
from warledger.resolve.places import PlaceContext
from warledger.resolve.reports import resolve_reports
from warledger.resolve.resolver import Resolver, default_cache_dir
from warledger.resolve.text import fold, skeleton

__all__ = ["PlaceContext", "Resolver", "default_cache_dir", "fold", "resolve_reports", "skeleton"]
