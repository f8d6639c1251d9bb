"""A load's bulk inserts: into ``tasks`` with its full secondary indexes dropped, and the first
load whose rows a child process makes (``stream.py``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from tracker.errors import BadInput
from tracker.plan.expand import paused_gc
from tracker.plan.model import Expansion, LazyExpansion
from tracker.store.diff import instance_count
from tracker.store.rows import INSERT_TASK, TaskRow, stream_insert
from tracker.store.stream import RowStream, StreamFailed, usable

BULK_INSERT = 20_000  # from this many new rows (and more than are stored), rebuild indexes


def first_load_stream(
    conn: sqlite3.Connection, expansion: Expansion | LazyExpansion, now: str
) -> RowStream | None:
    """A child process making the rows of a first load (stream.py), when this is one: a plan
    with templates (``read_plan_lazy``) and no rows yet, big enough for a bulk insert."""
    if expansion.blocks is None or not usable():
        return None
    if not bulk_first_load(conn, expansion.plan.id, instance_count(expansion)):
        return None
    return RowStream.start(expansion.blocks, expansion.plan.id, now)


def bulk_first_load(conn: sqlite3.Connection, plan_id: str, count: int) -> bool:
    """No row of the plan is stored, and ``count`` new rows make a bulk insert."""
    if conn.execute("SELECT 1 FROM tasks WHERE plan = ? LIMIT 1", (plan_id,)).fetchone():
        return False
    return is_bulk(conn, count)


def is_bulk(conn: sqlite3.Connection, count: int) -> bool:
    """Whether inserting ``count`` rows is a bulk insert (indexes dropped and built again):
    at least ``BULK_INSERT`` of them, and at least as many as ``tasks`` already holds."""
    return count >= BULK_INSERT and count >= row_count(conn)


def insert(conn: sqlite3.Connection, rows: list[TaskRow]) -> None:
    try:
        # As plain tuples: the sqlite3 module binds a tuple subclass's items through the generic
        # sequence protocol, which makes a 22-column insert a third slower.
        conn.executemany(INSERT_TASK, map(tuple, rows))
    except sqlite3.IntegrityError as e:  # the plan engine expanded one uid twice
        raise BadInput(
            "store.duplicate_uid", uid=_first_repeat(r.uid for r in rows) or str(e)
        ) from e


def insert_stream(conn: sqlite3.Connection, stream: RowStream) -> None:
    """Insert the child's rows as they come; a duplicate uid ends the stream (the rows are then
    made again in this process, and ``insert`` names the uid). The cycle collector pauses, as
    while rows are made: the chunks' tuples hold no cycles, and its passes over them would cost
    the load's critical path."""
    sql = stream_insert(stream.plan, stream.now)
    try:
        with paused_gc():
            for rows in stream.chunks():
                conn.executemany(sql, rows)
    except sqlite3.IntegrityError as e:
        raise StreamFailed(str(e)) from e


def _first_repeat(uids: Iterable[str]) -> str | None:
    seen: set[str] = set()
    for uid in uids:
        if uid in seen:
            return uid
        seen.add(uid)
    return None


@contextmanager
def secondary_indexes_dropped(conn: sqlite3.Connection) -> Iterator[None]:
    """Drop the full secondary indexes of ``tasks`` for a bulk insert; create them again after.

    A bulk insert (a first load) is much faster into a table with only its uid index, the
    others then built by one sort each, than with every index maintained row by row in random
    order. Partial indexes stay: a load's rows are mostly outside them (none is ``adhoc``, few
    have a target or a problem), so keeping them up costs a test per row, while building one
    again costs a scan of the whole table. The definitions are the database's own
    (``sqlite_master``, as the migrations made them). Inside the caller's transaction: other
    readers keep seeing the old, indexed table, and an error (or a crash) rolls the drop back
    with the rest.
    """
    indexes = conn.execute(
        "SELECT m.name, m.sql FROM sqlite_master m "
        "JOIN pragma_index_list('tasks') i ON i.name = m.name "
        "WHERE m.type = 'index' AND m.sql IS NOT NULL "  # not the uid's (UNIQUE: no sql)
        "AND i.partial = 0 ORDER BY m.rowid"  # the order they were created in
    ).fetchall()
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    yield  # no finally: on an error the transaction is rolled back, the indexes with it
    for _, sql in indexes:
        conn.execute(sql)


def row_count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COUNT(*) FROM tasks").fetchone()[0])
