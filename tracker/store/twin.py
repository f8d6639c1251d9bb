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
import threading
import time
from queue import SimpleQueue
from typing import Any

TRIES = 3  # snapshots to try to match before the report reads alone
Rows = list[tuple[Any, ...]]


class Pending:
    """One scan given to the twin: its rows once the worker has read them."""

    __slots__ = ("_cancelled", "_done", "_error", "_rows", "params", "sql")

    def __init__(self, sql: str, params: dict[str, Any]) -> None:
        self.sql = sql
        self.params = params
        self._done = threading.Event()
        self._rows: Rows = []
        self._error: BaseException | None = None
        self._cancelled = False

    def done(self) -> bool:
        return self._done.is_set()

    def cancelled(self) -> bool:
        return self._cancelled

    def result(self, timeout: float | None = None) -> Rows:
        """The rows (waiting for them); the scan's own error if it failed."""
        if not self._done.wait(timeout):
            raise TimeoutError("the twin's scan is still running")
        if self._error is not None:
            raise self._error
        if self._cancelled:
            raise RuntimeError("the twin's scan was cancelled")
        return self._rows


class Twin:
    """The twin connection and the one thread that uses it (started with the first scan).

    A plain thread and queue, not ``concurrent.futures``: importing that costs a report at
    100k instances a few percent of its time.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.pending: list[Pending] = []
        self.jobs: SimpleQueue[Pending | None] = SimpleQueue()
        self.thread: threading.Thread | None = None

    def submit(self, sql: str, params: dict[str, Any], width: int) -> Pending:
        """The rows of ``sql`` (``width`` columns of integers, texts or NULL), read in the
        worker thread.

        Wrapped to come back as one JSON row: a query that returns its rows one by one would
        wait for the GIL after each (up to the 5 ms switch interval, while the main thread runs
        Python). JSON keeps integers and texts exactly; real numbers it would round, so queries
        with them stay on the main connection.
        """
        cols = ", ".join(f"c{i}" for i in range(width))
        wrapped = f"WITH q({cols}) AS ({sql}) SELECT json_group_array(json_array({cols})) FROM q"
        job = Pending(wrapped, params)
        self.pending.append(job)
        self.jobs.put(job)
        if self.thread is None:
            self.thread = threading.Thread(target=self._work, name="tracker-twin", daemon=True)
            self.thread.start()
        return job

    def _work(self) -> None:
        while (job := self.jobs.get()) is not None:
            if not job._cancelled:
                try:
                    (text,) = self.conn.execute(job.sql, job.params).fetchone()
                    job._rows = [tuple(r) for r in json.loads(text)]
                except BaseException as e:
                    job._error = e
            job._done.set()

    def stop(self) -> None:
        """Give up the scans (the report failed): those not started are cancelled, a running
        one is interrupted (again until it stops: an interrupt that comes before its first
        step is lost)."""
        for job in self.pending:
            job._cancelled = True
        while self.thread is not None and any(not job.done() for job in self.pending):
            self.conn.interrupt()
            time.sleep(0.02)

    def close(self) -> None:
        if self.thread is not None:
            self.jobs.put(None)
            self.thread.join()
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
