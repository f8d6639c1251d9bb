"""Opening the database: schema, pragmas, refusals."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tracker.errors import BadInput
from tracker.store.db import BUSY_TIMEOUT_MS, immediate, open_db, schema_version
from tracker.store.migrations import MIGRATION_SET, migrations


def test_open_creates_schema_in_wal_mode(db_path: Path) -> None:
    db = open_db(db_path)
    assert db_path.exists()
    tables = set(db.table_names())
    assert {"plans", "units", "campaigns", "tasks", "events"} <= tables
    assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.conn.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS
    assert schema_version(db) == len(migrations._migrations)


def test_indexes_for_filters_and_reports(db: Any) -> None:
    names = {r[0] for r in db.conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"tasks_due", "tasks_owner_due", "tasks_status_due", "tasks_campaign"} <= names


def test_reopen_is_idempotent(db_path: Path) -> None:
    open_db(db_path).conn.close()
    db = open_db(db_path)
    assert schema_version(db) == len(migrations._migrations)


def test_newer_schema_is_refused(db_path: Path) -> None:
    db = open_db(db_path)
    db.conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
        (MIGRATION_SET, "m999_from_the_future", "2030-01-01"),
    )
    db.conn.close()
    with pytest.raises(BadInput) as e:
        open_db(db_path)
    assert "m999_from_the_future" in e.value.render("en")
    assert "newer" in e.value.render("en")


def test_directory_and_garbage_are_refused(tmp_path: Path) -> None:
    with pytest.raises(BadInput):
        open_db(tmp_path)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(BadInput):
        open_db(junk)
    with pytest.raises(BadInput):
        open_db(tmp_path / "absent.db", create=False)


def test_immediate_rolls_back_on_error(db: Any) -> None:
    with pytest.raises(RuntimeError), immediate(db):
        db.conn.execute(
            "INSERT INTO plans (id, title, year, calendar, due_shift, loaded_at) "
            "VALUES ('p', 't', 2020, 'cn', 'before', 'x')"
        )
        raise RuntimeError("boom")
    assert db.conn.execute("SELECT COUNT(*) FROM plans").fetchone()[0] == 0
    assert not db.conn.in_transaction


def test_write_transactions_exclude_each_other(db_path: Path) -> None:
    """BEGIN IMMEDIATE takes the write lock up front; a second writer must wait for it."""
    a = open_db(db_path)
    b = open_db(db_path)
    b.conn.execute("PRAGMA busy_timeout = 50")  # short, so the test stays fast
    a.conn.execute("BEGIN IMMEDIATE")
    with pytest.raises(sqlite3.OperationalError):
        b.conn.execute("BEGIN IMMEDIATE")
    a.conn.execute("COMMIT")
    with immediate(b):
        pass
