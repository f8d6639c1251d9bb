"""The physical limits: the same task rows inserted with one ``executemany`` in one transaction.

    python benchmarks/raw_insert.py PLAN WORKDIR [--repeats 3]

Reads and expands the plan with ``tracker.plan.read_plan`` (timed separately, in-process),
builds the row tuples the loader would write for ``tasks`` (every column it fills), and then,
for each repeat, times only ``BEGIN; executemany(INSERT …); COMMIT`` into two fresh databases:

- **raw** (``executemany_s``): created with ``tracker.store.db.open_db``, so the same schema,
  secondary indexes and pragmas as the real store, every index kept up row by row;
- **bare** (``bare_executemany_s``): a table with the same columns (the ``tasks`` table's own
  ``CREATE TABLE`` text, read from that schema) and only the uid's unique index, with the same
  pragmas. No store can be faster than this and still refuse a duplicate uid.

Prints one JSON line. Run as its own process by ``run.py`` so that half a million instances in
memory do not weigh on the runner.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import sqlite3
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any


def _json_list(items: object) -> str:
    return json.dumps(list(items or ()), ensure_ascii=False)  # type: ignore[call-overload]


def build_rows(instances: list, columns: list[str], now: str) -> list[tuple]:
    """One tuple per instance with a value for each of ``columns`` (the loader's view)."""
    rows = []
    for inst in instances:
        due = inst.due.isoformat()
        values = {
            "uid": inst.uid,
            "plan": inst.plan,
            "campaign": inst.campaign,
            "task_key": inst.task_key,
            "title": inst.title,
            "owner": inst.owner,
            "support": _json_list(inst.support),
            "leader": inst.leader,
            "start": inst.start.isoformat(),
            "due": due,
            "planned_due": due,
            "period": inst.period,
            "target": inst.target,
            "unit": inst.unit,
            "priority": inst.priority,
            "tags": _json_list(inst.tags),
            "notes": inst.notes,
            "after": _json_list(inst.after),
            "position": inst.position,
            "status": "todo",
            "postponed": 0,
            "touched": 0,
            "created_at": now,
            "updated_at": now,
        }
        if "fingerprint" in columns:
            values["fingerprint"] = hashlib.blake2b(repr(inst).encode(), digest_size=8).hexdigest()
        rows.append(tuple(values.get(c) for c in columns))
    return rows


def loader_rows(instances: list, now: str) -> tuple[list[str], list[tuple[Any, ...]], str] | None:
    """The loader's own rows and column names, where it exposes how it builds them.

    As plain tuples, as the loader hands them to ``executemany`` (the sqlite3 module binds a
    tuple subclass such as ``TaskRow`` more slowly).
    """
    try:
        from tracker.store.rows import TaskRow, task_row
    except ImportError:
        return None
    return (
        list(TaskRow._fields),
        [tuple(task_row(i, now)) for i in instances],
        "tracker.store.rows.task_row",
    )


def tasks_schema(path: Path) -> tuple[list[str], str]:
    """The columns of ``tasks`` (but ``id``) and its ``CREATE TABLE``, from a store made at
    ``path`` by ``open_db`` (so: as the migrations make it)."""
    from tracker.store.db import open_db

    fresh(path)
    conn = open_db(path).conn
    info = conn.execute("PRAGMA table_info(tasks)").fetchall()
    (sql,) = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'tasks'"
    ).fetchone()
    conn.close()
    return [r[1] for r in info if r[1] != "id"], sql


def fresh(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def open_bare(path: Path, tasks_sql: str) -> sqlite3.Connection:
    """A database holding only ``tasks`` as m001 creates it (its uid UNIQUE: the one index),
    with the pragmas ``open_db`` sets."""
    fresh(path)
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute(tasks_sql)
    indexes = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tasks'"
    ).fetchall()
    assert len(indexes) == 1, indexes  # sqlite_autoindex_tasks_1: uid UNIQUE
    return conn


def time_insert(connect: Callable[[], sqlite3.Connection], sql: str, rows: list) -> float:
    """Seconds of ``BEGIN IMMEDIATE; executemany; COMMIT`` into the fresh database ``connect``
    opens (checked to hold every row afterwards)."""
    conn = connect()
    gc.collect()
    t0 = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(sql, rows)
    conn.execute("COMMIT")
    took = time.perf_counter() - t0
    n = conn.execute("SELECT count(*) FROM tasks").fetchone()[0]
    conn.close()
    assert n == len(rows), (n, len(rows))
    return took


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("plan", type=Path)
    ap.add_argument("workdir", type=Path)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args(argv)

    from tracker.plan import read_plan
    from tracker.store.db import open_db

    t0 = time.perf_counter()
    expansion = read_plan(args.plan)
    t_read = time.perf_counter() - t0
    instances = expansion.instances

    args.workdir.mkdir(parents=True, exist_ok=True)
    db_path = args.workdir / "raw.db"
    bare_path = args.workdir / "bare.db"
    columns, tasks_sql = tasks_schema(db_path)
    now = datetime(2020, 1, 1, 9, 0).isoformat()
    t0 = time.perf_counter()
    found = loader_rows(instances, now)
    if found is not None:
        columns, rows, source = found
    else:
        rows = build_rows(instances, columns, now)
        source = "benchmarks/raw_insert.py build_rows"
    t_build = time.perf_counter() - t0
    sql = (
        f"INSERT INTO tasks ({', '.join(f'[{c}]' for c in columns)}) "
        f"VALUES ({', '.join('?' for _ in columns)})"
    )

    def full() -> sqlite3.Connection:
        fresh(db_path)
        return open_db(db_path).conn

    times, bare = [], []
    for _ in range(args.repeats):  # in turns, so that other load on the machine hits both alike
        times.append(time_insert(full, sql, rows))
        bare.append(time_insert(lambda: open_bare(bare_path, tasks_sql), sql, rows))
    fresh(db_path)
    fresh(bare_path)
    print(
        json.dumps(
            {
                "instances": len(rows),
                "columns": len(columns),
                "rows_from": source,
                "read_plan_s": t_read,
                "build_rows_s": t_build,
                "executemany_s": times,
                "bare_executemany_s": bare,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
