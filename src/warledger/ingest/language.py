"""Which language a document is in (ISO 639-1), with lingua, so non-English text is not mis-extracted.

The detector is built once, on first use, limited to the languages in `language.yaml`.
"""
from __future__ import annotations

import functools
from importlib import resources

import yaml


@functools.lru_cache(maxsize=1)
def _config() -> dict:
    text = resources.files("warledger.ingest").joinpath("language.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@functools.lru_cache(maxsize=1)
def _detector():
    from lingua import IsoCode639_1, LanguageDetectorBuilder  # slow import: only when first needed

    codes = [getattr(IsoCode639_1, code.upper()) for code in _config()["languages"]]
    builder = LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
    if _config().get("low_accuracy"):
        builder = builder.with_low_accuracy_mode()
    return builder.build()


def detect_language(text: str | None) -> str | None:
    """The ISO 639-1 code of the language `text` is written in ("en", "ru"), or None when it cannot tell."""
    if not text:
        return None
    config = _config()
    sample = text[: config["sample_chars"]]
    if sum(ch.isalpha() for ch in sample) < config["min_letters"]:
        return None
    language = _detector().detect_language_of(sample)
    return language.iso_code_639_1.name.lower() if language is not None else None


def is_english(text: str | None) -> bool:
    """True when the text is English or too short to tell (such text is let through, not skipped)."""
    return detect_language(text) in (None, "en")
