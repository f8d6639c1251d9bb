"""The physical limit: the same task rows inserted with one ``executemany`` in one transaction.

    python benchmarks/raw_insert.py PLAN WORKDIR [--repeats 3]

Reads and expands the plan with ``tracker.plan.read_plan`` (timed separately, in-process),
builds the row tuples the loader would write for ``tasks`` (every column but ``id``), and then,
for each repeat, creates a fresh database with ``tracker.store.db.open_db`` (so: the same
schema, indexes and pragmas as the real store) and times only
``BEGIN; executemany(INSERT …); COMMIT``. Prints one JSON line.

Run as its own process by ``run.py`` so that half a million instances in memory do not weigh
on the runner.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import sys
import time
from datetime import datetime
from pathlib import Path


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
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    db = open_db(db_path)
    info = db.conn.execute("PRAGMA table_info(tasks)").fetchall()
    columns = [r[1] for r in info if r[1] != "id"]
    db.conn.close()
    now = datetime(2020, 1, 1, 9, 0).isoformat()
    t0 = time.perf_counter()
    try:  # the loader's own tuples, when it exposes how it builds them
        from tracker.store.load import PLAN_COLUMNS, fingerprint, plan_fields

        columns = ["uid", *PLAN_COLUMNS, "due", "position", "fingerprint"]
        columns += ["created_at", "updated_at"]
        rows = []
        for inst in instances:
            fields = plan_fields(inst)
            due = fields[PLAN_COLUMNS.index("planned_due")]
            rows.append((inst.uid, *fields, due, inst.position, fingerprint(inst), now, now))
        source = "tracker.store.load.plan_fields"
    except ImportError:
        rows = build_rows(instances, columns, now)
        source = "benchmarks/raw_insert.py build_rows"
    t_build = time.perf_counter() - t0
    sql = (
        f"INSERT INTO tasks ({', '.join(f'[{c}]' for c in columns)}) "
        f"VALUES ({', '.join('?' for _ in columns)})"
    )
    times = []
    for _ in range(args.repeats):
        for suffix in ("", "-wal", "-shm"):
            Path(str(db_path) + suffix).unlink(missing_ok=True)
        db = open_db(db_path)
        conn = db.conn
        gc.collect()
        t0 = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(sql, rows)
        conn.execute("COMMIT")
        times.append(time.perf_counter() - t0)
        n = conn.execute("SELECT count(*) FROM tasks").fetchone()[0]
        conn.close()
        assert n == len(rows), (n, len(rows))
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    print(
        json.dumps(
            {
                "instances": len(rows),
                "columns": len(columns),
                "rows_from": source,
                "read_plan_s": t_read,
                "build_rows_s": t_build,
                "executemany_s": times,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
