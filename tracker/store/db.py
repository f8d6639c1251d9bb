"""Opening the database: pragmas for many concurrent staff, migrations, clear refusals.

Every write goes through ``immediate`` (``BEGIN IMMEDIATE``), so two writers queue on
the busy timeout instead of failing on a lock upgrade, and a transition is checked and
written under the same lock.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from tracker.errors import BadInput
from tracker.store.backup import automatic_backup
from tracker.store.migrations import MIGRATION_SET, migrations

BUSY_TIMEOUT_MS = 30_000


def open_db(path: Path | str, *, create: bool = True) -> Database:
    """Open (creating if needed) and migrate the database at ``path``.

    Raises ``BadInput`` for a directory, a file that is not SQLite, a corrupt file or a
    database written by a newer tracker, each with a one-line message.
    """
    p = Path(path)
    if p.is_dir():
        raise BadInput("store.db_is_dir", path=str(p))
    if not create and not p.exists():
        raise BadInput("store.db_missing", path=str(p))
    try:
        conn = sqlite3.connect(str(p), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as e:
        raise BadInput("store.db_cannot_open", path=str(p), reason=str(e)) from e
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # Switching to WAL needs a moment of exclusive access; skip it when already done
        # (WAL is persistent), so many staff opening the same database never race on it.
        if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        # No sqlite-utils plugins: loading them (entry points) costs ~20 ms on every command.
        db = Database(conn, execute_plugins=False)
        _refuse_newer(db, p)
        if migrations.pending(db):
            if _holds_data(db):  # a database staff have worked in: keep a copy first
                automatic_backup(db, p, "migrate", datetime.now())
            with immediate(db):
                # Re-check under the write lock: another process may have migrated meanwhile.
                migrations.apply(db)
    except sqlite3.DatabaseError as e:
        conn.close()
        raise BadInput("store.db_not_sqlite", path=str(p), reason=str(e)) from e
    return db


def _holds_data(db: Database) -> bool:
    """Whether an already-migrated database holds any task (worth a backup before migrating)."""
    if not migrations.applied(db):
        return False
    found = db.conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tasks'"
    ).fetchone()
    return bool(found and db.conn.execute("SELECT 1 FROM tasks LIMIT 1").fetchone())


def _refuse_newer(db: Database, path: Path) -> None:
    """Refuse a database carrying migrations this version does not know."""
    known = {m.name for m in migrations._migrations}
    unknown = [m.name for m in migrations.applied(db) if m.name not in known]
    if unknown:
        raise BadInput("store.db_newer", path=str(path), migration=unknown[-1])


def schema_version(db: Database) -> int:
    """How many of this set's migrations the database has applied."""
    return len(migrations.applied(db))


@contextmanager
def immediate(db: Database) -> Iterator[Database]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``: one write transaction, rolled back on any error."""
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


def _dict_factory(cursor: sqlite3.Cursor, row: tuple[Any, ...]) -> dict[str, Any]:
    return {d[0]: v for d, v in zip(cursor.description, row, strict=True)}


def fetch_dicts(db: Database, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    """Rows of ``sql`` as dicts, without changing the shared connection's row factory."""
    cur = db.conn.cursor()
    cur.row_factory = _dict_factory
    return list(cur.execute(sql, params).fetchall())


__all__ = [
    "MIGRATION_SET",
    "fetch_dicts",
    "immediate",
    "open_db",
    "schema_version",
]
