"""CLI fixtures: the sample plan loaded (from the model) into the test's database."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "fixtures" / "store"))

import store_sample

from tracker.context import Context
from tracker.store.db import open_db
from tracker.store.load import load_expansion

STORE_FIXTURES = Path(__file__).parent.parent / "fixtures" / "store"


@pytest.fixture
def loaded(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample plan (ids 1..9) in the test database; today is Monday 2020-04-20."""
    monkeypatch.setenv("TRACKER_TODAY", "2020-04-20")
    db = open_db(db_path)
    load_expansion(db, store_sample.expansion(), Context(db_path, date(2020, 4, 20), "planner"))
    db.conn.close()
    return db_path


@pytest.fixture
def county_toml(tmp_path: Path) -> Path:
    """A copy of fixtures/store/county.toml that a test may edit."""
    dest = tmp_path / "county.toml"
    dest.write_text((STORE_FIXTURES / "county.toml").read_text("utf-8"), "utf-8")
    return dest


@pytest.fixture
def sample() -> Any:
    return store_sample
