"""Shared fixtures: where ../shared is, and one store built by the real pipeline from the seed articles."""
from __future__ import annotations

import pytest
from shared_paths import SEEDS, need_seeds


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory):
    """The pipeline run once on the seed corpus: (summary, path of the DuckDB store)."""
    need_seeds()
    from warledger.pipeline import run
    db = tmp_path_factory.mktemp("seeds") / "seeds.duckdb"
    summary = run([SEEDS], db=db)
    return summary, db


@pytest.fixture(scope="session")
def seed_reports(seed_run):
    from warledger.store import Store
    with Store(seed_run[1], read_only=True) as store:
        return store.reports()
