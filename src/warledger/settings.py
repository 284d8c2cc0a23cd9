"""One Settings object; every field can be set by an environment variable `WARLEDGER_<FIELD>`.

Values out of range are refused when the settings are read, with a message naming the variable.
"""
import os
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from warledger.clean.budget import SPACY_MAX_LENGTH, Limits
from warledger.errors import WarledgerError

_DEFAULT = Limits()


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WARLEDGER_")

    db: Path = Field(Path("warledger.duckdb"), description="DuckDB file of the store.")
    cache_dir: Path = Field(Path.home() / ".cache" / "warledger",
                            description="Where the gazetteer index is built once and cached.")
    max_file_bytes: int = Field(20_000_000, gt=0, description="Inputs larger than this are skipped with a reason.")
    batch_size: int = Field(32, ge=1, le=10_000, description="Documents per spaCy batch.")
    fuse_window_days: int = Field(1, ge=0, le=366, description="Reports this many days apart may be one event.")
    fuse_distance_km: float = Field(25.0, ge=0, le=20_000, description="Places this close may be one event.")
    workers: int = Field(min(2, os.cpu_count() or 1), ge=1, le=256,
                         description="Processes for spaCy on large batches (1 = in process only).")
    engine: Literal["local", "ray"] = Field("local", description="Where steps 1-4 run: local (this machine's "
                                            "processes) or ray (Ray Data, here or on a cluster).")
    ray_address: str | None = Field(None, description="Ray cluster to join (\"auto\", \"ray://head:10001\"); "
                                    "none: Ray starts on this machine.")
    ray_output: str | None = Field(None, description="If set, the Ray engine also writes its reports there as a "
                                   "Parquet dataset (default: none; rows stream to the driver).")
    prepass: bool = Field(True, description="Parse only the sentences that can yield a report, their neighbours "
                          "and the lead (the reports are the same; 0 parses every sentence).")
    max_document_chars: int = Field(_DEFAULT.max_document_chars, ge=1_000, le=SPACY_MAX_LENGTH,
                                    description="Longer documents are split into parts at paragraph breaks.")
    max_parts: int = Field(_DEFAULT.max_parts, ge=1, description="Parts of one document kept; the rest dropped.")
    max_sentences: int = Field(_DEFAULT.max_sentences, ge=10,
                               description="Sentences per document part (about).")
    max_line_chars: int = Field(_DEFAULT.max_line_chars, ge=200,
                                description="Longer lines are broken at a sentence end.")
    max_token_chars: int = Field(_DEFAULT.max_token_chars, ge=20, le=10_000,
                                 description="Longer runs without a space get spaces.")

    def limits(self) -> Limits:
        return Limits(max_document_chars=self.max_document_chars, max_parts=self.max_parts,
                      max_sentences=self.max_sentences, max_line_chars=self.max_line_chars,
                      max_token_chars=self.max_token_chars)


def load_settings(**overrides) -> Settings:
    """The settings from the environment, or a WarledgerError naming each value out of range."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = "; ".join(f"WARLEDGER_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}"
                             f" (got {e.get('input')!r})" for e in exc.errors())
        raise WarledgerError(f"settings out of range: {problems}. Fix the environment variable(s).") from exc
