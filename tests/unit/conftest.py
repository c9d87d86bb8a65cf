"""Fixtures shared by the unit tests."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the repo root, so messages show paths as 'tests/data/...' the way pytest users see them."""
    monkeypatch.chdir(REPO)
    return REPO
