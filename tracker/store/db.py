"""Opening the database: pragmas for many concurrent staff, migrations, clear refusals.

Every write goes through ``immediate`` (``BEGIN IMMEDIATE``), so two writers queue on
the busy timeout instead of failing on a lock upgrade, and a transition is checked and
written under the same lock.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tracker.errors import BadInput
from tracker.fileio import create_private
from tracker.store.backup import backup_committed
from tracker.store.migrations import MIGRATION_SET, MIGRATIONS_TABLE, names, registry
from tracker.store.twin import Twin, begin_with_twin

BUSY_TIMEOUT_MS = 30_000


class Store:
    """An open tracker database: the connection every query and write runs on.

    The connection is in autocommit mode; writes are grouped with ``immediate``.
    """

    __slots__ = ("cache", "conn", "twin")

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        # per-connection memo of what a command reads more than once (the acting person)
        self.cache: dict[str, Any] = {}
        #: inside ``reading(twin=True)``: a second connection at the same snapshot (twin.py)
        self.twin: Twin | None = None

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def reading(self, *, twin: bool = False) -> Iterator[Store]:
        """One read transaction (a consistent snapshot while others write), unless the caller
        already holds a transaction. ``twin``: with ``self.twin`` at the same snapshot where
        one can be had (never inside the caller's transaction: its snapshot may be older)."""
        conn = self.conn
        own = not conn.in_transaction
        if own and twin:
            self.twin = begin_with_twin(conn)
        elif own:
            conn.execute("BEGIN")
        try:
            yield self
        except BaseException:
            if own and self.twin is not None:
                self.twin.stop()  # its scans are not wanted any more
            raise
        finally:
            if own and self.twin is not None:
                self.twin.close()
                self.twin = None
            if own and conn.in_transaction:
                conn.execute("COMMIT")


def open_db(path: Path | str, *, create: bool = True) -> Store:
    """Open (creating if needed) and migrate the database at ``path``.

    Raises ``BadInput`` for a directory, a file that is not SQLite, a corrupt file or a
    database written by a newer tracker, each with a one-line message.
    """
    p = Path(path)
    if p.is_dir():
        raise BadInput("store.db_is_dir", path=str(p))
    marker = damage_marker(p)
    if str(path) != ":memory:" and marker.exists():
        # Found damaged once: no more writes (nor reads of wrong figures) until restored.
        raise BadInput("safety.db_marked_damaged", path=str(p), marker=str(marker))
    if not create and not p.exists():
        raise BadInput("store.db_missing", path=str(p))
    if str(path) != ":memory:" and not p.exists() and p.parent.is_dir():
        # Staff's data: a new database (and the -wal/-shm files SQLite gives its mode) is
        # readable by its owner and group only.
        with contextlib.suppress(OSError):
            create_private(p)
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
        conn.execute("PRAGMA cell_size_check = ON")  # damaged pages found as they are read
        conn.execute("PRAGMA foreign_keys = ON")
        db = Store(conn)
        applied = applied_migrations(db)
        _refuse_newer(applied, p)
        if _pending(applied):
            _migrate(db, p)
    except sqlite3.DatabaseError as e:
        conn.close()
        raise BadInput("store.db_not_sqlite", path=str(p), reason=str(e)) from e
    return db


def damage_marker(path: Path) -> Path:
    """The file that records that the database at ``path`` was found damaged."""
    return path.with_name(path.name + ".damaged")


def mark_damaged(path: Path, reason: str) -> None:
    """Record that the database at ``path`` is damaged: every later command refuses it (one
    damaged page must not let the writes that miss it go on as if nothing happened)."""
    if str(path) == ":memory:" or not path.exists():
        return
    with contextlib.suppress(OSError):
        damage_marker(path).write_text(reason + "\n", encoding="utf-8")


def applied_migrations(db: Store) -> list[str]:
    """Names of this set's migrations the database has applied, in the order applied."""
    conn = db.conn
    if not conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (MIGRATIONS_TABLE,)
    ).fetchone():
        return []
    rows = conn.execute(
        f"SELECT name FROM [{MIGRATIONS_TABLE}] WHERE migration_set = ? ORDER BY rowid",
        (MIGRATION_SET,),
    )
    return [r[0] for r in rows]


def _migrate(db: Store, path: Path) -> None:
    """Apply the pending migrations with ``sqlite_utils.Migrations``, in one write transaction.

    Staff who upgrade together open the database together: the first takes the write lock,
    backs up and migrates; the others wait on the lock, then find nothing left to do.
    """
    from sqlite_utils import Database

    with immediate(db):
        applied = applied_migrations(db)  # again, under the lock
        _refuse_newer(applied, path)
        if not _pending(applied):
            return
        if applied and _holds_tasks(db):  # a database staff have worked in: keep a copy first
            backup_committed(db, "migrate")
        # No sqlite-utils plugins: loading them (entry points) costs ~20 ms.
        registry().apply(Database(db.conn, execute_plugins=False))


def _pending(applied: list[str]) -> bool:
    """Whether this version knows a migration the database has not applied."""
    return not set(names()) <= set(applied)


def _holds_tasks(db: Store) -> bool:
    """Whether an already-migrated database holds any task (worth a backup before migrating)."""
    found = db.conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tasks'"
    ).fetchone()
    return bool(found and db.conn.execute("SELECT 1 FROM tasks LIMIT 1").fetchone())


def _refuse_newer(applied: list[str], path: Path) -> None:
    """Refuse a database carrying migrations this version does not know."""
    known = set(names())
    unknown = [name for name in applied if name not in known]
    if unknown:
        raise BadInput("store.db_newer", path=str(path), migration=unknown[-1])


def schema_version(db: Store) -> int:
    """How many of this set's migrations the database has applied."""
    return len(applied_migrations(db))


@contextmanager
def immediate(db: Store) -> Iterator[Store]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``: one write transaction, rolled back on any error."""
    conn = db.conn
    if conn.in_transaction:  # nested in a caller's transaction: a savepoint
        conn.execute("SAVEPOINT tracker_nested")
        try:
            yield db
        except BaseException:
            conn.execute("ROLLBACK TO tracker_nested")
            conn.execute("RELEASE tracker_nested")
            raise
        conn.execute("RELEASE tracker_nested")
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


def fetch_dicts(db: Store, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    """Rows of ``sql`` as dicts, without changing the shared connection's row factory."""
    cur = db.conn.cursor()
    cur.row_factory = _dict_factory
    return list(cur.execute(sql, params).fetchall())


__all__ = [
    "MIGRATION_SET",
    "Store",
    "applied_migrations",
    "fetch_dicts",
    "immediate",
    "open_db",
    "schema_version",
]
