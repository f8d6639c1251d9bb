"""Store fixtures: a database with the sample plan (built from the model, no TOML) loaded."""

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

TODAY = date(2020, 4, 20)  # a Monday


@pytest.fixture
def ctx(db_path: Path) -> Context:
    """User ``tester`` on 2020-04-20, English."""
    return Context(db_path=db_path, today=TODAY, user="tester", lang="en")


@pytest.fixture
def db(db_path: Path) -> Any:
    """A fresh, migrated database."""
    return open_db(db_path)


@pytest.fixture
def loaded(db: Any, ctx: Context) -> Any:
    """The database with the sample plan loaded (ids 1..9 in expansion order)."""
    load_expansion(db, store_sample.expansion(), ctx)
    return db


@pytest.fixture
def sample() -> Any:
    """The ``store_sample`` module (instances(), expansion(), other_plan())."""
    return store_sample
