"""Where the shared seed corpus and gold are (the repo's sibling ../shared), for tests that read them."""
from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
GOLD = SHARED / "gold" / "seeds"


def need_seeds() -> None:
    if not SEEDS.is_dir() or not GOLD.is_dir():
        pytest.skip(f"seed articles and gold not found at {SHARED} (the repo's sibling ../shared)")
