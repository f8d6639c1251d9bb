"""Fixtures of the TUI tests (helpers live in ``tui_helpers``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from tui_helpers import TODAY, FrozenContext, seed

from tracker.tui.app import TrackerApp


@pytest.fixture
def county_db(db_path: Path) -> Path:
    """The seeded county database (in the test's own directory)."""
    seed(db_path)
    return db_path


@pytest.fixture
def make_app(county_db: Path) -> Callable[..., TrackerApp]:
    """``make_app(lang="en", user="tester")``: a TUI on the seeded database, frozen clock."""

    def make(lang: str = "en", user: str = "tester") -> TrackerApp:
        return TrackerApp(FrozenContext(db_path=county_db, today=TODAY, user=user, lang=lang))

    return make
