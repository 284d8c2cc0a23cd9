"""Resolution: places to GeoNames entries, actors and claimants to canonical names and sides, offline.

    from warledger.resolve import Resolver, resolve_reports
    resolver = Resolver.load()                    # builds the gazetteer index once into the cache dir
    resolver.place("Tufuz province")              # Place(name="Tovuz", geonameid=584821, precision="district")
    resolver.claimant("Azerbaijani President Ilham Aliyev")   # Claimant(name="Ilham Aliyev", side="AZ", ...)
    reports = resolve_reports(reports, document, resolver)
"""
from warledger.resolve.places import PlaceContext
from warledger.resolve.reports import resolve_reports
from warledger.resolve.resolver import Resolver, default_cache_dir
from warledger.resolve.text import fold, skeleton

__all__ = ["PlaceContext", "Resolver", "default_cache_dir", "fold", "resolve_reports", "skeleton"]
