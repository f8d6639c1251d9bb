"""Helpers shared by the reliability suite: real processes, database fingerprints, a counter.

The suite drives ``python -m tracker`` in real subprocesses where it matters (kills, many
writers) and in-process elsewhere, and compares whole databases by their SQL dump so that
"changes nothing" is checked byte for byte at the level of rows.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
SPEC_PLAN = FIXTURES / "plans" / "spec-example.toml"

#: What the closing note of issue #6 reports; filled by the tests, printed at the session's end.
COUNTS: Counter[str] = Counter()


def tracker_env(db: Path, *, user: str = "tester", today: str = "2020-04-15") -> dict[str, str]:
    """The environment of one ``python -m tracker`` process on ``db``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update(
        TRACKER_DB=str(db),
        TRACKER_USER=user,
        TRACKER_TODAY=today,
        TRACKER_LANG="en",
        LANG="C.UTF-8",
        PYTHONPATH=str(REPO) + os.pathsep + env.get("PYTHONPATH", ""),
    )
    return env


def run_tracker(
    *args: str, db: Path, user: str = "tester", today: str = "2020-04-15", timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m tracker ARGS`` to completion; output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "tracker", *args],
        env=tracker_env(db, user=user, today=today),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def assert_clean_failure(proc_out: str, proc_err: str) -> None:
    """No traceback and no internal-error line anywhere in the output."""
    for text in (proc_out, proc_err):
        assert "Traceback" not in text, text
        assert "internal error" not in text, text


def dump(db: Path) -> list[str]:
    """Every row of every table as SQL, read through a plain read-only connection."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def digest(db: Path) -> str:
    """A short fingerprint of ``dump(db)``."""
    return hashlib.sha256("\n".join(dump(db)).encode()).hexdigest()[:16]


def integrity(db: Path) -> str:
    """``PRAGMA integrity_check`` of ``db`` (``"ok"`` when sound)."""
    conn = sqlite3.connect(str(db))
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def build_baseline(path: Path) -> dict[str, int]:
    """Load the spec's example plan into ``path`` and record progress on a few tasks.

    Returns ids by role: ``todo``, ``doing``, ``done``, ``verified``, ``noted``, ``target``
    (a task with a target, still todo). The database is checkpointed and closed.
    """
    from tracker.context import Context
    from tracker.plan import read_plan
    from tracker.store import actions
    from tracker.store.db import open_db
    from tracker.store.load import load_expansion

    ctx = Context(db_path=path, user="baseline", lang="en")
    ctx.today = __import__("datetime").date(2020, 4, 15)
    db = open_db(path)
    load_expansion(db, read_plan(SPEC_PLAN), ctx)
    plain = [r[0] for r in db.conn.execute("SELECT id FROM tasks WHERE target IS NULL ORDER BY id")]
    target = db.conn.execute("SELECT id FROM tasks WHERE target IS NOT NULL LIMIT 1").fetchone()
    ids = {
        "todo": plain[0],
        "doing": plain[1],
        "done": plain[2],
        "verified": plain[3],
        "noted": plain[4],
        "target": target[0],
    }
    actions.start(db, ctx, [str(ids["doing"])])
    actions.done(db, ctx, [str(ids["done"])])
    actions.done(db, ctx, [str(ids["verified"])])
    actions.verify(db, ctx, [str(ids["verified"])])
    actions.note(db, ctx, str(ids["noted"]), "已部署")
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    return ids
