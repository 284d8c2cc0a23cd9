"""Errors with messages a user can act on: one base class, one subclass per stage."""


class WarledgerError(Exception):
    """Base class: the message says what went wrong and what to do."""


class IngestError(WarledgerError):
    """An input could not be read (the message names the file)."""


class CleanError(WarledgerError):
    """A document could not be cleaned."""


class ExtractError(WarledgerError):
    """The extractor could not run (usually: the spaCy model is missing)."""


class ResolveError(WarledgerError):
    """The gazetteer or actor data could not be loaded."""


class StoreError(WarledgerError):
    """The DuckDB store cannot be opened or written."""


class FuseError(WarledgerError):
    """Fusion failed."""


class ExportError(WarledgerError):
    """An export could not be written."""
