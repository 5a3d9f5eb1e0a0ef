"""Shared test fixtures: where the seed documents and the shipped examples live."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DERIVATIONS = ROOT / "derivations"
SEEDS = Path(os.environ.get("SYMBP_SEEDS", ROOT.parent / "shared" / "seeds"))


def seed_document(prefix: str) -> Path:
    """The seed document whose name starts with ``prefix`` (e.g. ``"003"``); skips if absent."""
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS} (they live in ../shared/seeds beside the repository)")
    matches = sorted(SEEDS.glob(f"{prefix}_*"))
    if not matches:
        pytest.skip(f"no seed document {prefix}_* in {SEEDS}")
    return matches[0]


@pytest.fixture
def seeds_dir() -> Path:
    """The folder of seed documents; the test is skipped when it is absent."""
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS}")
    return SEEDS
