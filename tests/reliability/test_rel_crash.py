"""Crashes: ``tracker load`` killed with SIGKILL at random moments leaves a sound database
holding either the state before the load or the state after it, never a mix.

A plan of about 65,000 instances is generated once. First the initial load is killed
(empty → v1), then a reload (v1 with progress → v2, which renames, adds, removes and
withdraws). After every kill: ``PRAGMA integrity_check`` is ok, and the database's contents
(normalised: no clock columns) equal the old state or the new one exactly, so every earlier
tick survives. Delays come from a seeded generator, spread over the whole run of a load.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from rel_helpers import COUNTS, integrity, run_tracker, tracker_env

pytestmark = pytest.mark.slow

N_UNITS = 150  # × (366 daily + 12 monthly + 52 weekly) = 64,500 instances in v1
KILLS_FIRST_LOAD = 10
KILLS_RELOAD = 15


def plan_text(version: int) -> str:
    """v2 drops five units, adds five, renames the monthly task, drops the weekly, adds one."""
    units = [f"v{i:04d}" for i in range(N_UNITS)]
    if version == 2:
        units = units[:-5] + [f"w{i:04d}" for i in range(5)]
    out = ["[plan]", 'id = "big"', f'title = "压力测试 v{version}"', "year = 2020"]
    out += ['calendar = "none"', "", "[units.county]", 'name = "县委县政府"', "", "[units]"]
    out += [f'{u} = {{ name = "第{u}村", parent = "county" }}' for u in units]
    out += ["", "[groups]", "villages = [" + ", ".join(f'"{u}"' for u in units) + "]", ""]
    out += ["[[campaign]]", 'key = "year"', 'name = "全年"', "start = 2020-01-01"]
    out += ["end = 2020-12-31", ""]
    tasks = [("daily", "day", "报送"), ("weekly", "week", "周报"), ("monthly", "month", "调度")]
    if version == 2:
        tasks = [
            ("daily", "day", "报送"),
            ("monthly", "month", "按时调度"),
            ("q", "quarter", "季报"),
        ]
    for key, every, title in tasks:
        out += ["  [[campaign.task]]", f'  key = "{key}"', f'  title = "{{unit}}{title}"']
        out += ['  each = "villages"', f'  every = "{every}"', ""]
    return "\n".join(out) + "\n"


def state(db: Path) -> str:
    """A digest of everything a load may change or must keep, without clock columns."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    h = hashlib.sha256()
    queries = [
        "SELECT id, title, year FROM plans ORDER BY id",
        "SELECT plan, key, name, parent FROM units ORDER BY plan, key",
        'SELECT plan, key, name, start, "end" FROM campaigns ORDER BY plan, key',
        "SELECT id, uid, title, owner, start, due, planned_due, period, status, progress, "
        "done_at, postponed, withdrawn_status, touched, position FROM tasks ORDER BY id",
        "SELECT id, batch, task_id, user, action, before, after, note, undone_by "
        "FROM events ORDER BY id",
    ]
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "tasks" not in tables:
            return "empty"
        if not conn.execute("SELECT 1 FROM tasks LIMIT 1").fetchone():
            return "empty"
        for sql in queries:
            for row in conn.execute(sql):
                h.update(repr(row).encode())
    finally:
        conn.close()
    return h.hexdigest()


def _remove(db: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(db) + suffix).unlink(missing_ok=True)


def _restore(pristine: Path, db: Path) -> None:
    """Put the old state back: the killed process's WAL must not meet the fresh copy."""
    _remove(db)
    db.write_bytes(pristine.read_bytes())


def _timed_load(plan: Path, db: Path) -> float:
    t0 = time.monotonic()
    proc = run_tracker("load", str(plan), db=db, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return time.monotonic() - t0


def _kill_load(plan: Path, db: Path, delay: float) -> int:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tracker", "load", str(plan)],
        env=tracker_env(db),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
    return proc.wait(timeout=60)


def _progress(db: Path) -> None:
    """Ticks on tasks that v2 keeps, renames, and drops (those become withdrawn)."""
    from tracker.context import Context
    from tracker.store import actions
    from tracker.store.db import open_db

    ctx = Context(db_path=db, user="staff", lang="en")
    database = open_db(db)
    actions.done(database, ctx, ["big/year/daily/v0000/2020-01-05"])
    actions.start(database, ctx, ["big/year/monthly/v0001/2020-03"])  # renamed in v2
    actions.note(database, ctx, "big/year/weekly/v0002/2020-W10", "已报送")  # dropped task
    actions.done(database, ctx, [f"big/year/daily/v{N_UNITS - 1:04d}/2020-02-03"])  # dropped unit
    actions.block(database, ctx, [f"big/year/daily/v{N_UNITS - 2:04d}/2020-03-03"], "缺人")
    database.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    database.conn.close()


def _first_load_kills(
    v1: Path, db: Path, loaded_v1: str, seconds: float, seed: int
) -> dict[str, int]:
    """Kill the initial load (empty → v1) again and again."""
    rng = random.Random(seed)
    outcomes = {"empty": 0, "v1": 0}
    _remove(db)
    for _ in range(KILLS_FIRST_LOAD):
        _kill_load(v1, db, rng.uniform(0.1, seconds * 1.3))
        assert integrity(db) == "ok"
        now = state(db)
        assert now in ("empty", loaded_v1), "a killed first load left a partial plan"
        outcomes["empty" if now == "empty" else "v1"] += 1
        if now != "empty":
            _remove(db)
    return outcomes


def _reload_kills(
    v2: Path, db: Path, pristine: Path, old: str, new: str, seconds: float, seed: int
) -> dict[str, int]:
    """Kill the reload (old: v1 with progress → new: v2) again and again."""
    rng = random.Random(seed)
    outcomes = {"old": 0, "new": 0}
    _restore(pristine, db)
    for _ in range(KILLS_RELOAD):
        _kill_load(v2, db, rng.uniform(0.1, seconds * 1.3))
        assert integrity(db) == "ok"
        now = state(db)
        assert now in (old, new), "a killed reload left a mix of old and new"
        outcomes["old" if now == old else "new"] += 1
        if now == new:
            _restore(pristine, db)
    # A killed load never blocks the next one: it runs to the end on the recovered file.
    assert run_tracker("load", str(v2), db=db, timeout=300).returncode == 0
    assert integrity(db) == "ok" and state(db) == new
    return outcomes


def test_sigkill_during_load_and_reload_never_leaves_a_mix(tmp_path: Path) -> None:
    v1, v2 = tmp_path / "v1.toml", tmp_path / "v2.toml"
    v1.write_text(plan_text(1), encoding="utf-8")
    v2.write_text(plan_text(2), encoding="utf-8")
    db = tmp_path / "reference.db"

    # The reference states, and how long each load takes when nobody kills it.
    first_time = _timed_load(v1, db)
    loaded_v1 = state(db)
    _progress(db)
    old = state(db)
    pristine = tmp_path / "old.db"
    pristine.write_bytes(db.read_bytes())
    reload_time = _timed_load(v2, db)
    new = state(db)
    assert len({"empty", loaded_v1, old, new}) == 4

    # The two kill loops run side by side, each on its own database.
    with ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit(
            _first_load_kills, v1, tmp_path / "first.db", loaded_v1, first_time, 2020
        )
        again = pool.submit(
            _reload_kills, v2, tmp_path / "reload.db", pristine, old, new, reload_time, 415
        )
        outcomes = {**first.result(), **again.result()}
    COUNTS["kills"] += sum(outcomes.values())
    print(f"kills: {sum(outcomes.values())} {outcomes}")
    # The delays must have landed before the commit at least once in each loop.
    assert outcomes["old"] and outcomes["empty"]
