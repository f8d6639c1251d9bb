"""Opening the database: schema, pragmas, refusals."""

from __future__ import annotations

import ast
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tracker.errors import BadInput
from tracker.store.db import BUSY_TIMEOUT_MS, immediate, open_db, schema_version
from tracker.store.migrations import MIGRATION_SET, MIGRATIONS


def test_open_creates_schema_in_wal_mode(db_path: Path) -> None:
    db = open_db(db_path)
    assert db_path.exists()
    tables = {r[0] for r in db.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"plans", "units", "campaigns", "tasks", "events"} <= tables
    assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.conn.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS
    assert schema_version(db) == len(MIGRATIONS)


def test_indexes_for_filters_and_reports(db: Any) -> None:
    names = {r[0] for r in db.conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"tasks_due", "tasks_owner_due", "tasks_status_due", "tasks_campaign"} <= names


def test_reopen_is_idempotent(db_path: Path) -> None:
    open_db(db_path).conn.close()
    db = open_db(db_path)
    assert schema_version(db) == len(MIGRATIONS)


def test_migrations_are_recorded_by_sqlite_utils(db_path: Path) -> None:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    from tracker.store.migrations import MIGRATIONS_TABLE, registry

    assert Migrations.migrations_table == MIGRATIONS_TABLE
    open_db(db_path).close()
    reader = Database(db_path)
    applied = [m.name for m in registry().applied(reader)]
    assert applied == [fn.__name__ for fn in MIGRATIONS]
    # numbered in order (m010 belongs to a parallel branch: a gap is allowed until merged)
    numbers = [int(name[1:4]) for name in applied]
    assert all(name[0] == "m" and name[4] == "_" for name in applied)
    assert numbers == sorted(set(numbers)) and numbers[:9] == list(range(1, 10))
    assert registry().pending(reader) == []


def _modules_after_open(path: Path) -> list[str]:
    """Open ``path`` in a fresh interpreter; the sqlite_utils modules it imported."""
    code = (
        "import sys\n"
        "from tracker.store.db import open_db\n"
        f"open_db({str(path)!r}).close()\n"
        "print(sorted(m for m in sys.modules if m.startswith('sqlite_utils')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return list(ast.literal_eval(out.stdout.strip()))


def test_sqlite_utils_is_imported_only_to_migrate(db_path: Path) -> None:
    assert "sqlite_utils.migrations" in _modules_after_open(db_path)  # new: migrated
    assert _modules_after_open(db_path) == []  # up to date: one query, no import
    conn = sqlite3.connect(db_path)
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = ?", (MIGRATIONS[-1].__name__,))
    conn.commit()
    conn.close()
    assert "sqlite_utils.migrations" in _modules_after_open(db_path)  # one pending again
    assert schema_version(open_db(db_path)) == len(MIGRATIONS)


def test_nested_immediate_rolls_back_only_its_savepoint(db_path: Path) -> None:
    db = open_db(db_path)
    with immediate(db):
        db.conn.execute(
            "INSERT INTO plans (id, title, year, calendar, due_shift, lang, source, loaded_at,"
            " source_digest) VALUES ('a', 'A', 2020, '{}', 'none', NULL, NULL, 'x', NULL)"
        )
        with pytest.raises(ZeroDivisionError), immediate(db):
            db.conn.execute(
                "INSERT INTO plans (id, title, year, calendar, due_shift, lang, source, loaded_at,"
                " source_digest) VALUES ('b', 'B', 2020, '{}', 'none', NULL, NULL, 'x', NULL)"
            )
            _ = 1 / 0
    assert [r[0] for r in db.conn.execute("SELECT id FROM plans")] == ["a"]


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
