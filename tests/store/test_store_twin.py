"""The twin connection (store/twin.py): the same snapshot as the main one, or none at all."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tracker.store import twin as twin_mod
from tracker.store.db import Store, open_db


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    db = open_db(db_path)
    db.conn.execute("CREATE TABLE t (x INTEGER)")
    db.conn.execute("INSERT INTO t VALUES (1)")
    yield db
    db.close()


ENDLESS = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"


def _count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM t").fetchone()[0])


def test_twin_reads_the_main_snapshot_while_others_commit(store: Store, db_path: Path) -> None:
    writer = sqlite3.connect(db_path, isolation_level=None)
    with store.reading(twin=True):
        assert store.twin is not None
        writer.execute("INSERT INTO t VALUES (2)")  # committed after both snapshots
        assert _count(store.conn) == 1
        rows = store.twin.submit("SELECT count(*) FROM t", {}, 1).result()
        assert rows == [(1,)]
    assert store.twin is None
    assert not store.conn.in_transaction
    assert _count(store.conn) == 2
    writer.close()


def test_twin_rows_keep_integers_texts_and_nulls(store: Store) -> None:
    store.conn.execute("INSERT INTO t VALUES (NULL)")
    with store.reading(twin=True):
        assert store.twin is not None
        sql = "SELECT x, 'a' || x, count(*) FROM t GROUP BY x ORDER BY x"
        rows = store.twin.submit(sql, {}, 3).result()
        assert rows == store.conn.execute(sql).fetchall() == [(None, None, 1), (1, "a1", 1)]


def test_twin_cannot_write(store: Store) -> None:
    with store.reading(twin=True):
        assert store.twin is not None
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store.twin.conn.execute("INSERT INTO t VALUES (3)")
    assert _count(store.conn) == 1


def test_no_twin_when_a_commit_falls_between_the_snapshots(
    store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each try, another connection commits after the twin's first look: the snapshots could
    differ, so the main connection reads alone (and still in one transaction)."""
    writer = sqlite3.connect(db_path, isolation_level=None)
    real = twin_mod._version
    calls: list[int] = []

    def racing(conn: sqlite3.Connection) -> int:
        value = real(conn)
        calls.append(value)
        if conn is not store.conn and len(calls) % 3 == 1:  # the twin's look before the main's
            writer.execute("INSERT INTO t VALUES (9)")
        return value

    monkeypatch.setattr(twin_mod, "_version", racing)
    with store.reading(twin=True):
        assert store.twin is None
        assert store.conn.in_transaction
        seen = _count(store.conn)
        writer.execute("INSERT INTO t VALUES (10)")
        assert _count(store.conn) == seen  # still one snapshot
    assert len(calls) == 3 * twin_mod.TRIES
    writer.close()


def test_no_twin_for_a_database_in_memory() -> None:
    db = open_db(":memory:")
    with db.reading(twin=True):
        assert db.twin is None
        assert db.conn.in_transaction
    assert not db.conn.in_transaction


def test_no_twin_inside_the_callers_transaction(store: Store) -> None:
    """The caller's snapshot may be older than any the twin could take."""
    with store.reading(), store.reading(twin=True):
        assert store.twin is None


def test_an_error_stops_the_twins_scan(store: Store) -> None:
    """A failing report does not wait for a scan nobody will read."""
    with pytest.raises(ZeroDivisionError), store.reading(twin=True):
        assert store.twin is not None
        pending = store.twin.submit(ENDLESS, {}, 1)
        1 / 0  # noqa: B018
    with pytest.raises(sqlite3.OperationalError, match="interrupted"):
        pending.result(timeout=5)
    assert not store.conn.in_transaction


def test_an_error_cancels_scans_not_started(store: Store) -> None:
    with pytest.raises(ZeroDivisionError), store.reading(twin=True):
        assert store.twin is not None
        first = store.twin.submit(ENDLESS, {}, 1)
        second = store.twin.submit("SELECT count(*) FROM t", {}, 1)
        1 / 0  # noqa: B018
    assert first.done() and second.done()
    assert second.cancelled() or second.result() == [(1,)]
