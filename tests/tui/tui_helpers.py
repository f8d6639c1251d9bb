"""Helpers of the TUI tests: a seeded county database, a frozen clock, a Pilot runner.

Tests are plain functions that run their scenario with ``asyncio.run`` (no pytest plugin
needed). ``settle`` waits until the App's workers are idle and their messages handled,
so assertions and snapshots never race the database threads.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date, datetime, time
from pathlib import Path

from textual.pilot import Pilot
from textual.worker import WorkerState

from tracker.context import Context
from tracker.plan import read_plan
from tracker.store import actions
from tracker.store.db import open_db
from tracker.store.load import load_expansion
from tracker.tui.app import TrackerApp

PLAN = Path(__file__).parent / "plans" / "county.toml"
TODAY = date(2020, 4, 15)  # a Wednesday in 春季攻势
SIZE = (100, 30)


class FrozenContext(Context):
    """A context whose clock stops at 09:30 on ``today``: history reads the same every run."""

    def now(self) -> datetime:
        return datetime.combine(self.today, time(9, 30))


def uid_ids(db_path: Path) -> dict[str, int]:
    """Task ids by the tail of their uid (``diaodu/2020-02``, ``renju`` …)."""
    db = open_db(db_path)
    try:
        rows = db.conn.execute("SELECT uid, id FROM tasks").fetchall()
    finally:
        db.conn.close()
    return {uid.split("/", 2)[2]: int(i) for uid, i in rows}


def seed(db_path: Path, user: str = "clerk") -> None:
    """Load the county plan and give its rows every state the table distinguishes."""
    ctx = FrozenContext(db_path=db_path, today=TODAY, user=user, lang="en")
    db = open_db(db_path)
    try:
        load_expansion(db, read_plan(PLAN), ctx)
        ids = {k: str(v) for k, v in uid_ids(db_path).items()}
        actions.done(db, ctx, [ids["diaodu/2020-02"], ids["diaodu/2020-03"]])
        actions.verify(db, ctx, [ids["diaodu/2020-02"]])
        actions.start(db, ctx, [ids["xunshi"]])
        actions.note(db, ctx, ids["xunshi"], "已召开专题会议")
        actions.progress(db, ctx, ids["weifang"], "5")
        actions.block(db, ctx, [ids["weifang"]], "资金未到位")
        actions.progress(db, ctx, ids["renju"], "40")
    finally:
        db.conn.close()


async def settle(pilot: Pilot[None], timeout: float = 5.0) -> None:
    """Wait until no worker but the database watcher runs and the UI has caught up."""
    app = pilot.app
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    quiet = 0
    while quiet < 2:
        await pilot.pause()
        busy = [
            w
            for w in app.workers
            if w.group != "watch" and w.state in (WorkerState.PENDING, WorkerState.RUNNING)
        ]
        quiet = 0 if busy else quiet + 1
        if loop.time() > deadline:
            raise AssertionError(f"TUI did not settle: {busy}")
        await asyncio.sleep(0.005)


def drive(app: TrackerApp, scenario: Callable[[Pilot[None]], Awaitable[None]]) -> None:
    """Run ``scenario`` against ``app`` at the snapshot size, settled first."""

    async def main() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await scenario(pilot)

    asyncio.run(main())


async def press(pilot: Pilot[None], *keys: str) -> None:
    """Press keys, then settle."""
    await pilot.press(*keys)
    await settle(pilot)


async def goto(pilot: Pilot[None], task_id: int) -> None:
    """Move the cursor onto task ``task_id`` with the arrow keys (from the top)."""
    app = pilot.app
    assert isinstance(app, TrackerApp)
    table = app.table
    index = next(i for i in range(table.total) if (r := table.row_at(i)) and r.id == task_id)
    await pilot.press("home", *["down"] * index)
    await settle(pilot)
    assert table.current is not None and table.current.id == task_id


def task_row(db_path: Path, task_id: int) -> dict[str, object]:
    """The stored row of a task, read on a fresh connection (what another process sees)."""
    db = open_db(db_path)
    try:
        cur = db.conn.execute("SELECT * FROM tasks WHERE id = ?", (task_id,))
        names = [d[0] for d in cur.description]
        return dict(zip(names, cur.fetchone(), strict=True))
    finally:
        db.conn.close()
