"""A second, read-only connection at the main connection's snapshot, for a report's big scans.

A report at 500k instances reads for about a second, and a good part of that is a few grouped
scans that SQLite runs with the GIL released (one step each: they return one row, see
``Twin.submit``). Run on a second connection in a worker thread, they use the machine's other
core while the main thread builds the lists. Both connections must read the same state, and
SQLite cannot hand a snapshot from one connection to another: ``begin_with_twin`` reads
``PRAGMA data_version`` on the twin, starts the main snapshot, then starts the twin's and reads
it again. The value changes only when another connection commits, so equal values mean nothing
was committed between the two snapshots: they are the same. Otherwise it tries again, and after
a few tries (or without a database file, or where a second connection cannot be opened) the
main transaction runs alone, exactly as without a twin.
"""

from __future__ import annotations

import json
import sqlite3
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from concurrent.futures import Future

TRIES = 3  # snapshots to try to match before the report reads alone


class Twin:
    """The twin connection and the one thread that uses it."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        from concurrent.futures import ThreadPoolExecutor  # only a report needs threads

        self.conn = conn
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tracker-twin")
        self.pending: list[Future[list[tuple[Any, ...]]]] = []

    def submit(self, sql: str, params: dict[str, Any], width: int) -> Future[list[tuple[Any, ...]]]:
        """The rows of ``sql`` (``width`` columns of integers, texts or NULL), read in the
        worker thread.

        Wrapped to come back as one JSON row: a query that returns its rows one by one would
        wait for the GIL after each (up to the 5 ms switch interval, while the main thread runs
        Python). JSON keeps integers and texts exactly; real numbers it would round, so queries
        with them stay on the main connection.
        """
        cols = ", ".join(f"c{i}" for i in range(width))
        wrapped = f"WITH q({cols}) AS ({sql}) SELECT json_group_array(json_array({cols})) FROM q"
        future = self.pool.submit(self._rows, wrapped, params)
        self.pending.append(future)
        return future

    def _rows(self, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        (text,) = self.conn.execute(sql, params).fetchone()
        return [tuple(r) for r in json.loads(text)]

    def stop(self) -> None:
        """Give up the scans (the report failed): those not started are cancelled, a running
        one is interrupted (again until it stops: an interrupt that comes before its first
        step is lost)."""
        self.pool.shutdown(wait=False, cancel_futures=True)
        while any(not f.done() for f in self.pending):
            self.conn.interrupt()
            time.sleep(0.02)

    def close(self) -> None:
        self.pool.shutdown(wait=True)
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        self.conn.close()


def _main_file(conn: sqlite3.Connection) -> str:
    for _, name, file in conn.execute("PRAGMA database_list"):
        if name == "main":
            return str(file or "")
    return ""


def _open(path: str) -> sqlite3.Connection | None:
    from urllib.parse import quote

    try:
        return sqlite3.connect(
            f"file:{quote(path)}?mode=ro", uri=True, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error:
        return None


def _version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA data_version").fetchone()[0])


def begin_with_twin(conn: sqlite3.Connection) -> Twin | None:
    """``BEGIN`` a read transaction on ``conn`` (not in one) with its snapshot taken, and a
    twin at the same snapshot; ``None`` (the transaction begun all the same) if none could be
    had."""
    path = _main_file(conn)
    other = _open(path) if path else None
    if other is not None:
        try:
            for _ in range(TRIES):
                before = _version(other)
                conn.execute("BEGIN")
                _version(conn)  # a read: the main snapshot is taken here
                other.execute("BEGIN")
                if _version(other) == before:  # the twin's snapshot: nothing committed since
                    return Twin(other)
                other.execute("ROLLBACK")
                conn.execute("ROLLBACK")
        except sqlite3.Error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        other.close()
    conn.execute("BEGIN")
    return None
