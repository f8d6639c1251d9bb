"""Consistent copies of a live database through SQLite's online backup API.

A copy is taken page by page under SQLite's own locking, so it is consistent even while other
staff keep writing. Automatic copies (before a migration, or a load that withdraws or removes
instances) go to ``<db>.backups/`` and the oldest are pruned.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.errors import BadInput
from tracker.fileio import make_private_dir, write_with

if TYPE_CHECKING:
    from tracker.store.db import Store

KEEP_AUTOMATIC = 20


def backup_to(db: Store, dest: Path) -> Path:
    """Copy the whole database ``db`` into ``dest`` (replaced if it exists).

    SQLite's backup API writes a temporary file beside ``dest`` (owner and group only), which
    is then renamed over it (``tracker.fileio``): a device, a FIFO, a directory or a symlink
    to one is refused, never replaced, and an interrupted copy leaves ``dest`` as it was.
    """
    dest = Path(dest)
    if dest.is_dir():
        raise BadInput("store.backup_is_dir", path=str(dest))
    live = database_file(db)
    if live is not None and _same_file(dest, live):
        raise BadInput("store.backup_is_live", path=str(dest))
    if not dest.parent.is_dir():
        raise BadInput("store.backup_no_dir", path=str(dest.parent))

    def fill(tmp: Path) -> None:
        target = sqlite3.connect(str(tmp))
        try:
            db.conn.backup(target)
            # A damaged database copies page for page: such a copy must not replace a good
            # one (nor push the good automatic ones out of the newest 20).
            found = target.execute("PRAGMA quick_check(1)").fetchone()[0]
            if found != "ok":
                raise sqlite3.DatabaseError(f"database disk image is malformed: {found}")
        finally:
            target.close()

    try:
        write_with(dest, fill, private=True)
    except sqlite3.Error as e:
        raise BadInput("store.backup_failed", path=str(dest), reason=str(e)) from e
    return dest


def database_file(db: Store) -> Path | None:
    """The file behind ``db``'s main database (None for an in-memory one)."""
    row = db.conn.execute("PRAGMA database_list").fetchone()
    return Path(row[2]) if row and row[2] else None


def _same_file(dest: Path, live: Path) -> bool:
    """Whether ``dest`` is the live database or one of its -wal/-shm/-journal companions."""
    try:
        target = dest.resolve()
        live = live.resolve()
    except OSError:
        return False
    names = {live.name + suffix for suffix in ("", "-wal", "-shm", "-journal")}
    return target.parent == live.parent and target.name in names


def backup_dir(db_path: Path) -> Path:
    """Where automatic backups of ``db_path`` are kept."""
    return db_path.with_name(db_path.name + ".backups")


def automatic_backup(db: Store, db_path: Path, reason: str, when: datetime) -> Path:
    """Take a backup named after ``when`` and ``reason``; keep the newest ``KEEP_AUTOMATIC``."""
    folder = backup_dir(Path(db_path))
    try:
        make_private_dir(folder)
    except OSError as e:
        raise BadInput("store.backup_failed", path=str(folder), reason=str(e)) from e
    stamp = when.strftime("%Y%m%dT%H%M%S")
    dest = folder / f"{stamp}-{reason}.db"
    n = 1
    while dest.exists():
        n += 1
        dest = folder / f"{stamp}-{reason}-{n}.db"
    backup_to(db, dest)
    old = sorted(folder.glob("*.db"), key=lambda p: p.stat().st_mtime)
    for stale in old[:-KEEP_AUTOMATIC]:
        stale.unlink(missing_ok=True)
    # A copy cut short (the process killed mid-backup) leaves a ``.part``; an hour on, it is
    # surely nobody's work in progress.
    for part in folder.glob("*.part"):
        if part.is_symlink():
            continue
        with contextlib.suppress(OSError):
            if time.time() - part.stat().st_mtime > 3600:
                part.unlink()
    return dest


def backup_committed(db: Store, reason: str) -> Path | None:
    """An automatic backup of ``db`` as last committed, taken under the caller's write lock.

    A second connection reads the last committed state, which nobody can change until the
    caller commits or rolls back; so two processes never copy at once, and the copy holds
    nothing half-written. ``None`` for an in-memory database (nowhere to put a copy).
    """
    from tracker.store.db import Store

    path = database_file(db)
    if path is None:
        return None
    reader = Store(sqlite3.connect(str(path)))
    try:
        return automatic_backup(reader, path, reason, datetime.now())
    finally:
        reader.close()
