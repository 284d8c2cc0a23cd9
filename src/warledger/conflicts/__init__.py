"""Conflict packs: one YAML file per war holds all the project knows about it, and every stage reads it here.

    from warledger.conflicts import active_registry, load_pack, use_packs
    use_packs(["my-war.yaml"])            # add (or replace) packs for this process
    registry = active_registry()
    registry.names()                      # ["Armenia-Azerbaijan", ..., "My war"]
    registry.detect(text)                 # the extractor's Conflict a text is about, or None
    check_pack("my-war.yaml", on="articles/")   # problems, and which aliases and places matched
"""
from warledger.conflicts.registry import (
    ENV_VAR,
    Conflict,
    LoadedPack,
    PackError,
    Registry,
    active_registry,
    build_registry,
    builtin_paths,
    detect_conflict,
    load_pack,
    pack_problems,
    use_packs,
)
from warledger.conflicts.schema import ConflictPack, PackActor, PackOutlet, PackPlace, Party

__all__ = ["ENV_VAR", "Conflict", "ConflictPack", "LoadedPack", "PackActor", "PackError", "PackOutlet", "PackPlace",
           "Party", "Registry", "active_registry", "build_registry", "builtin_paths", "detect_conflict", "load_pack",
           "pack_problems", "use_packs"]
