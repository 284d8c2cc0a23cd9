"""One Settings object; every field can be set by an environment variable `WARLEDGER_<FIELD>`."""
import os
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WARLEDGER_")

    db: Path = Field(Path("warledger.duckdb"), description="DuckDB file of the store.")
    cache_dir: Path = Field(Path.home() / ".cache" / "warledger",
                            description="Where the gazetteer index is built once and cached.")
    max_file_bytes: int = Field(20_000_000, description="Inputs larger than this are skipped with a reason.")
    batch_size: int = Field(32, description="Documents per spaCy batch.")
    fuse_window_days: int = Field(1, description="Reports this many days apart may be one event.")
    fuse_distance_km: float = Field(25.0, description="Places this close may be one event.")
    workers: int = Field(min(2, os.cpu_count() or 1),
                         description="Processes for spaCy on large batches (1 = in process only).")
