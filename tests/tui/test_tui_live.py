"""Several people on one database: another process's change shows up without a restart;
plus the panes and screens that read the store (detail, overview, key map)."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static
from tui_helpers import TODAY, drive, goto, press, settle, uid_ids

from tracker.report.weekly import compute_weekly
from tracker.store.db import Store, open_db
from tracker.tui import data, workers
from tracker.tui.app import TrackerApp
from tracker.tui.screens.help import HelpScreen
from tracker.tui.screens.overview import OverviewScreen


def test_change_by_another_process_appears_within_a_second(
    make_app: Callable[..., TrackerApp], county_db: Path
) -> None:
    app = make_app()
    tid = uid_ids(county_db)["tijian"]

    async def scenario(pilot: Pilot[None]) -> None:
        await goto(pilot, tid)
        await press(pilot, "enter")  # the detail pane follows too
        env = dict(os.environ, TRACKER_DB=str(county_db), TRACKER_TODAY=TODAY.isoformat())
        env["TRACKER_USER"] = "other-clerk"
        cmd = [sys.executable, "-m", "tracker", "progress", str(tid), "30"]
        proc = await asyncio.to_thread(subprocess.run, cmd, env=env, capture_output=True)
        assert proc.returncode == 0, proc.stderr
        loop = asyncio.get_running_loop()
        start = loop.time()
        while loop.time() - start < 3:
            row = app.table.current
            if row is not None and row.progress == 30:
                break
            await asyncio.sleep(0.05)
        waited = loop.time() - start
        assert app.table.current is not None and app.table.current.progress == 30
        assert app.table.current.status == "doing"
        assert waited < 1.5
        await settle(pilot)
        assert "other-clerk" in str(app.query_one("#detail-body", Static).render())

    drive(app, scenario)


def test_detail_pane_shows_every_field_support_notes_history(
    make_app: Callable[..., TrackerApp], county_db: Path
) -> None:
    app = make_app()

    async def scenario(pilot: Pilot[None]) -> None:
        await goto(pilot, uid_ids(county_db)["xunshi"])
        await press(pilot, "enter")
        body = str(app.query_one("#detail-body", Static).render())
        for text in (
            "开展中央专项巡视反馈问题整改推进行动",
            "xx-county-2020/spring/xunshi",
            "县纪委监委",  # owner
            "县扶贫办、城关镇",  # supporting units, by name
            "王副县长",
            "2020-04-10",
            "5d late",
            "high",
            "整改",
            "明确任务书",  # the plan's notes
            "已召开专题会议",  # a staff note
            "clerk start todo→doing",  # history
        ):
            assert text in body, text
        await press(pilot, "down")  # the pane follows the cursor
        assert "xx-county-2020/spring/qingjie/town-a" in str(
            app.query_one("#detail-body", Static).render()
        )
        await press(pilot, "enter")
        assert not app.detail.display

    drive(app, scenario)


def test_overview_has_the_weekly_reports_figures(
    make_app: Callable[..., TrackerApp], county_db: Path
) -> None:
    app = make_app()

    async def scenario(pilot: Pilot[None]) -> None:
        await press(pilot, "o")
        screen = app.screen
        assert isinstance(screen, OverviewScreen)
        body = str(screen.query_one("#overview-body", Static).render())
        db = open_db(county_db)
        try:
            report = compute_weekly(db, today=TODAY, lang="en")
        finally:
            db.conn.close()
        assert report.week in body
        for camp in report.campaigns:
            f = camp.figures
            line = next(x for x in body.splitlines() if x.startswith(camp.name))
            assert f"{f.done_due}/{f.due_to_date}" in line
        for unit in report.units:
            assert unit.name in body
        await press(pilot, "escape")
        assert not isinstance(app.screen, OverviewScreen)

    drive(app, scenario)


def test_overview_follows_the_users_own_action(
    make_app: Callable[..., TrackerApp], county_db: Path
) -> None:
    app = make_app()

    async def scenario(pilot: Pilot[None]) -> None:
        await goto(pilot, uid_ids(county_db)["weifang"])
        await press(pilot, "o")
        screen = app.screen
        assert isinstance(screen, OverviewScreen)
        assert screen.overviews is not None
        before = screen.overviews[0].totals.done
        await press(pilot, "escape", "s", "d", "o")
        assert isinstance(app.screen, OverviewScreen)
        assert app.screen.overviews is not None
        assert app.screen.overviews[0].totals.done == before + 1

    drive(app, scenario)


def test_help_lists_the_keys_in_the_chosen_language(make_app: Callable[..., TrackerApp]) -> None:
    app = make_app(lang="zh")

    async def scenario(pilot: Pilot[None]) -> None:
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        body = str(app.screen.query_one("#help-body", Static).render())
        for text in ("销号", "延期", "撤销", "搜索", "总览", "逾期", "已完成"):
            assert text in body, text
        await press(pilot, "escape")
        assert not isinstance(app.screen, HelpScreen)

    drive(app, scenario)


def test_labels_follow_the_language(make_app: Callable[..., TrackerApp]) -> None:
    app = make_app(lang="zh")

    async def scenario(pilot: Pilot[None]) -> None:
        header = str(app.table.render_line(0).text)
        assert "任务" in header and "责任单位" in header and "进度" in header
        lines = [str(app.table.render_line(y).text) for y in range(1, 12)]
        assert any("逾期7天" in line and "受阻" in line for line in lines)
        assert any("今天" in line for line in lines)
        assert any("2天后" in line for line in lines)
        assert "共 11 项" in str(app.query_one("#filter-bar", Static).render())

    drive(app, scenario)


def test_a_refresh_that_brings_the_same_rows_draws_nothing(
    make_app: Callable[..., TrackerApp], county_db: Path
) -> None:
    """In a browser every visitor's list is refreshed after others' changes, mostly to rows
    elsewhere: drawing the same rows and the same filter bar again is CPU the host lacks."""
    app = make_app()
    tid = uid_ids(county_db)["tijian"]

    async def scenario(pilot: Pilot[None]) -> None:
        table, bar = app.table, app.filter_bar
        drawn: list[int] = []
        render_line = table.render_line

        def counted(y: int) -> object:
            drawn.append(y)
            return render_line(y)

        table.render_line = counted  # type: ignore[method-assign]
        updates: list[object] = []
        update = bar.update
        bar.update = lambda *a, **k: (updates.append(a), update(*a, **k))[1]  # type: ignore[method-assign]
        rows_before = [table.row_at(i) for i in range(table.total)]
        app._data_changed()  # what the watcher does after an unrelated change
        await settle(pilot)
        assert [table.row_at(i) for i in range(table.total)] == rows_before
        assert drawn == [] and updates == []
        db = open_db(county_db)  # now a row on screen changes
        try:
            db.conn.execute("UPDATE tasks SET progress = 30 WHERE id = ?", (tid,))
            db.conn.commit()
        finally:
            db.conn.close()
        app._data_changed()
        await settle(pilot)
        assert drawn, "a changed row on screen is drawn again"
        assert any(
            r is not None and r.id == tid and r.progress == 30
            for r in (table.row_at(i) for i in range(table.total))
        )

    drive(app, scenario)


class _ClosingConn:
    """A connection that says when it is closed (the watcher closes its own on leaving)."""

    def __init__(self, conn: sqlite3.Connection, closed: threading.Event) -> None:
        self._conn, self._closed = conn, closed

    def __getattr__(self, name: str) -> object:
        return getattr(self._conn, name)

    def close(self) -> None:
        self._conn.close()
        self._closed.set()


def test_the_database_watcher_ends_as_soon_as_it_is_cancelled(
    make_app: Callable[..., TrackerApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    """It waits a whole poll (0.5 s) between looks, on the worker's cancel event: quitting
    (a browser visitor leaving, the server stopping) never waits for the poll to end."""
    closed = threading.Event()

    def watched_db(path: Path) -> Store:
        db = open_db(path)
        db.conn = _ClosingConn(db.conn, closed)  # type: ignore[assignment]
        return db

    looked = threading.Event()
    data_version = data.data_version

    def looking(db: Store) -> int:
        looked.set()
        return data_version(db)

    monkeypatch.setattr(workers, "open_db", watched_db)
    monkeypatch.setattr(data, "data_version", looking)
    app = make_app()

    async def scenario(pilot: Pilot[None]) -> None:
        watcher = next(w for w in app.workers if w.group == "watch")
        looked.clear()
        assert await asyncio.to_thread(looked.wait, 2.0)  # it has just looked: a poll to go
        loop = asyncio.get_running_loop()
        start = loop.time()
        watcher.cancel()
        ended = await asyncio.to_thread(closed.wait, 0.25)
        assert ended, f"the watcher still ran {loop.time() - start:.2f} s after its cancel"

    drive(app, scenario)
