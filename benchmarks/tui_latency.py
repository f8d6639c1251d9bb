"""First paint, filter and search latency and peak memory of ``tracker tui`` at scale.

    python benchmarks/tui_latency.py [--instances 500000] [--db PATH]

Builds (or reuses) a synthetic county database by inserting rows straight into the schema
that ``tracker.store.db.open_db`` creates: one plan, four campaigns, a county → township →
village unit tree, and ``--instances`` task instances spread over the year in every status.
Then it drives the real App headless at 100×30 through Pilot and prints one JSON object.
``build_db`` is also what ``tests/tui/test_tui_scale.py`` uses.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from textual import events

from tracker.context import Context
from tracker.store.db import immediate, open_db

TODAY = date(2020, 4, 15)
CAMPAIGNS = (
    ("spring", "春季攻势", date(2020, 2, 1), date(2020, 4, 30)),
    ("summer", "夏季提升", date(2020, 5, 1), date(2020, 7, 31)),
    ("autumn", "秋季巩固", date(2020, 8, 1), date(2020, 10, 31)),
    ("winter", "冬季决战", date(2020, 11, 1), date(2021, 1, 31)),
)
TOWNSHIPS = 24
VILLAGES_PER_TOWNSHIP = 18
TEMPLATES_PER_CAMPAIGN = 30
#: status by instance number modulo 20: mostly todo, some in every other state
STATUS_CYCLE = ["todo"] * 12 + ["doing"] * 3 + ["done"] * 2 + ["verified", "blocked", "todo"]


def _units() -> list[tuple[str, str, str | None]]:
    units: list[tuple[str, str, str | None]] = [("county", "县委县政府", None)]
    for t in range(TOWNSHIPS):
        units.append((f"town-{t:02d}", f"第{t + 1}镇", "county"))
        for v in range(VILLAGES_PER_TOWNSHIP):
            units.append((f"v-{t:02d}-{v:02d}", f"第{t + 1}镇{v + 1}村", f"town-{t:02d}"))
    return units


def _tasks(n: int, owners: list[tuple[str, str, str | None]]) -> Iterator[tuple[Any, ...]]:
    now = f"{TODAY.isoformat()}T08:00:00"
    for i in range(n):
        key, camp_name, start, end = CAMPAIGNS[i % len(CAMPAIGNS)]
        tpl = (i // len(CAMPAIGNS)) % TEMPLATES_PER_CAMPAIGN
        owner, owner_name, _ = owners[i % len(owners)]
        span = (end - start).days
        due = start + timedelta(days=(i * 7919) % (span + 1))
        status = STATUS_CYCLE[i % len(STATUS_CYCLE)]
        target = 100.0 if tpl % 5 == 0 else None
        progress = (i % 100) * 1.0 if target and status != "todo" else None
        yield (
            f"synthetic-county-2020/{key}/t{tpl:02d}/{owner}/{i}",
            "synthetic-county-2020",
            key,
            f"t{tpl:02d}",
            f"{owner_name}{camp_name}第{tpl + 1}项重点工作（{i}）",
            owner,
            start.isoformat(),
            due.isoformat(),
            due.isoformat(),
            target,
            "%" if target else None,
            status,
            progress,
            now if status in ("done", "verified") else None,
            i,
            now,
            now,
        )


def build_db(path: Path, n: int) -> Path:
    """A database holding ``n`` synthetic instances (reused when it already has them)."""
    db = open_db(path)
    try:
        have = db.conn.execute("SELECT COUNT(*) FROM tasks").fetchone()[0]
        if have == n:
            return path
        units = _units()
        # Seven indexes take random inserts: with the pages in memory this is seconds, not a
        # minute of disk churn.
        db.conn.execute("PRAGMA cache_size = -400000")
        with immediate(db):
            conn = db.conn
            conn.execute("DELETE FROM tasks")
            conn.execute("DELETE FROM units")
            conn.execute("DELETE FROM campaigns")
            conn.execute("DELETE FROM plans")
            conn.execute(
                "INSERT INTO plans (id, title, year, calendar, due_shift, loaded_at) "
                "VALUES ('synthetic-county-2020', '合成县2020年工作计划', 2020, 'cn', 'before', ?)",
                (f"{TODAY.isoformat()}T08:00:00",),
            )
            conn.executemany(
                'INSERT INTO campaigns (plan, key, name, start, "end", position) '
                "VALUES ('synthetic-county-2020', ?, ?, ?, ?, ?)",
                [
                    (k, nm, s.isoformat(), e.isoformat(), p)
                    for p, (k, nm, s, e) in enumerate(CAMPAIGNS)
                ],
            )
            conn.executemany(
                "INSERT INTO units (plan, key, name, parent, position) "
                "VALUES ('synthetic-county-2020', ?, ?, ?, ?)",
                [(k, nm, parent, p) for p, (k, nm, parent) in enumerate(units)],
            )
            # Bulk load without the secondary indexes, then rebuild them from their own
            # stored definitions: sorting once beats 500,000 random B-tree inserts.
            indexes = conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tasks'"
                " AND sql IS NOT NULL"
            ).fetchall()
            for name, _ in indexes:
                conn.execute(f'DROP INDEX "{name}"')
            conn.executemany(
                "INSERT INTO tasks (uid, plan, campaign, task_key, title, owner, start, due,"
                " planned_due, target, unit, status, progress, done_at, position, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                sorted(_tasks(n, units)),  # in uid order: the UNIQUE index appends
            )
            for _, sql in indexes:
                conn.execute(sql)
        db.conn.execute("ANALYZE")
    finally:
        db.conn.close()
    return path


async def measure(path: Path, lang: str = "zh") -> dict[str, float]:
    """Drive the App: first paint, quick-view filter, one search keystroke, End, in seconds."""
    from tracker.tui.app import TrackerApp

    app = TrackerApp(Context(db_path=path, today=TODAY, user="bench", lang=lang))
    loop = asyncio.get_running_loop()

    async def until(cond: Callable[[], bool], limit: float = 30.0) -> float:
        start = loop.time()
        while not cond():
            if loop.time() - start > limit:
                raise TimeoutError("the TUI did not answer")
            await asyncio.sleep(0.001)
        return loop.time() - start

    def painted(generation: int) -> Callable[[], bool]:
        def cond() -> bool:
            table = app.table
            return (
                app.generation >= generation
                and table.row_at(table.cursor) is not None
                and (table._pages.get(0) is not None or table.cursor >= 200)
            )

        return cond

    out: dict[str, float] = {}
    t0 = loop.time()
    async with app.run_test(size=(100, 30)) as pilot:
        await until(painted(1))
        out["first_paint_s"] = loop.time() - t0
        await until(lambda: app.total is not None)
        out["first_count_s"] = loop.time() - t0
        out["instances"] = float(app.total or 0)
        await until(lambda: len(app.units) > 0)  # the plan tree and unit list are in
        out["tree_loaded_s"] = loop.time() - t0

        async def timed(key: str, char: str) -> tuple[float, float]:
            """One key event, posted as the terminal would: until the rows, until the count."""
            start = loop.time()
            gen = app.generation + 1
            app.post_message(events.Key(key, char))
            await until(lambda: app.generation >= gen and 0 in app.table._pages)
            rows = loop.time() - start
            await until(lambda: app.total is not None)
            return rows, loop.time() - start

        # The search index (titles and notes in memory) is built in the background once the
        # tree is in; a user's first search keystroke comes later than that.
        await until(lambda: app.search_index is not None)
        out["search_index_s"] = loop.time() - t0
        out["filter_overdue_rows_s"], out["filter_overdue_count_s"] = await timed("3", "3")
        out["filter_all_rows_s"], out["filter_all_count_s"] = await timed("4", "4")
        await pilot.press("slash")
        out["search_key_rows_s"], out["search_key_count_s"] = await timed("镇", "镇")
        out["search_2nd_key_rows_s"], out["search_2nd_key_count_s"] = await timed("1", "1")
        await pilot.press("escape", "x")
        await until(lambda: app.total is not None and app.total > 1000)
        start = loop.time()
        await pilot.press("end")
        await until(lambda: app.table.row_at(app.table.cursor) is not None)
        out["jump_to_end_s"] = loop.time() - start
        out["pages_held"] = float(len(app.table._pages))
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", type=int, default=500_000)
    parser.add_argument("--db", type=Path, default=Path("bench-tui.db"))
    args = parser.parse_args(argv)
    t = time.perf_counter()
    build_db(args.db, args.instances)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    built = time.perf_counter() - t
    result = asyncio.run(measure(args.db))
    result = {"build_s": round(built, 2), "rss_after_build_mb": round(rss_before, 1), **result}
    print(json.dumps({k: round(v, 4) for k, v in result.items()}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
