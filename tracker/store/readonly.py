"""Opening a database someone else owns (a county's, a restored replica) without changing it.

The province's roll-up and the restore drill read databases they must never modify: no
migration, no ``journal_mode`` switch, no ``-wal``/``-shm`` left beside the file. So the file is
opened through a read-only URI, ``immutable=1`` when no write-ahead log holds committed pages
(a restored replica, a backup, a county database its writers have closed), and plain
``mode=ro`` when a live ``-wal`` and its ``-shm`` exist (the writers' pages are then read
through them, and nothing new is created). A ``-wal`` without its ``-shm`` (a crash left it)
cannot be read without creating one: refused.

Schemas are recognised by the migrations table, as ``open_db`` does: one with a migration this
version does not know is *newer* and refused; one that lacks some this version knows is
*older*, and is copied into memory (the SQLite backup API) and migrated there, never in its
file. A file without tracker's tables is *not tracker's*.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from tracker.store.db import Store, applied_migrations, damage_marker
from tracker.store.migrations import MIGRATIONS_TABLE, names, registry


class Unreadable(Exception):
    """Why a database cannot be read: ``kind`` (missing, not_file, damaged, not_tracker,
    newer, wal_without_shm) and a detail (SQLite's message, the unknown migration)."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind
        self.detail = detail


@dataclass(slots=True)
class ReadOnly:
    """An open read-only database; ``migrated``: an older schema, migrated in a memory copy."""

    store: Store
    migrated: bool
    applied: int


def _uri(path: Path) -> str:
    """The read-only URI of ``path``: immutable unless a live write-ahead log is beside it."""
    wal = path.with_name(path.name + "-wal")
    shm = path.with_name(path.name + "-shm")
    live = wal.exists() and wal.stat().st_size > 0
    if live and not shm.exists():
        raise Unreadable("wal_without_shm", str(wal))
    flags = "mode=ro" if live else "mode=ro&immutable=1"
    return f"file:{quote(str(path.resolve()))}?{flags}"


def _connect(path: Path) -> sqlite3.Connection:
    if not path.exists():
        raise Unreadable("missing")
    if not path.is_file():
        raise Unreadable("not_file")
    if damage_marker(path).exists():  # found damaged by a command before: not read again
        raise Unreadable("damaged", str(damage_marker(path)))
    try:
        conn = sqlite3.connect(_uri(path), uri=True, isolation_level=None)
    except sqlite3.Error as e:
        raise Unreadable("damaged", str(e)) from e
    try:
        conn.execute("PRAGMA temp_store = MEMORY")  # the report's temp tables: never a file
        conn.execute("PRAGMA cell_size_check = ON")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as e:
        conn.close()
        raise Unreadable("damaged", str(e)) from e
    if MIGRATIONS_TABLE not in tables or "tasks" not in tables:
        conn.close()
        raise Unreadable("not_tracker")
    return conn


def open_readonly(path: Path | str) -> ReadOnly:
    """Open ``path`` for reading only, or raise ``Unreadable`` saying why it cannot be."""
    p = Path(path)
    conn = _connect(p)
    try:
        applied = applied_migrations(Store(conn))
    except sqlite3.DatabaseError as e:
        conn.close()
        raise Unreadable("damaged", str(e)) from e
    known = names()
    unknown = [n for n in applied if n not in known]
    if unknown:
        conn.close()
        raise Unreadable("newer", unknown[-1])
    if not applied:
        conn.close()
        raise Unreadable("not_tracker")
    if set(known) <= set(applied):
        return ReadOnly(Store(conn), False, len(applied))
    return ReadOnly(_migrated_copy(conn), True, len(applied))


def _migrated_copy(conn: sqlite3.Connection) -> Store:
    """An older schema: the database copied into memory and migrated there (its file is
    left as it is; the copy is as large as the database)."""
    from sqlite_utils import Database

    mem = sqlite3.connect(":memory:", isolation_level=None)
    try:
        conn.backup(mem)
        registry().apply(Database(mem, execute_plugins=False))
    except sqlite3.DatabaseError as e:
        mem.close()
        raise Unreadable("damaged", str(e)) from e
    finally:
        conn.close()
    return Store(mem)


__all__ = ["ReadOnly", "Unreadable", "open_readonly"]
