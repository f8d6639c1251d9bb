"""Narrowing the list from the keyboard: quick views, status toggles, tree, units, search."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from textual.pilot import Pilot
from tui_helpers import TODAY, FrozenContext, drive, press

from tracker.plan import read_plan
from tracker.store.db import open_db
from tracker.store.load import load_expansion
from tracker.tui.app import TrackerApp
from tracker.tui.widgets.filter_bar import FilterBar


def bar_text(app: TrackerApp) -> str:
    return str(app.query_one(FilterBar).render())


def titles(app: TrackerApp) -> list[str]:
    table = app.table
    return [row.title for i in range(table.total) if (row := table.row_at(i))]


def test_first_paint_lists_everything_soonest_first(make_app: Callable[..., TrackerApp]) -> None:
    app = make_app()

    async def scenario(pilot: Pilot[None]) -> None:
        assert app.total == 11
        dues = [r.due for i in range(11) if (r := app.table.row_at(i))]
        assert dues == sorted(dues) and len(dues) == 11
        assert "11 tasks" in bar_text(app)

    drive(app, scenario)


def test_quick_views(make_app: Callable[..., TrackerApp]) -> None:
    app = make_app()

    async def scenario(pilot: Pilot[None]) -> None:
        await press(pilot, "3")  # overdue: the blocked 危房改造 and the started 巡视整改
        assert app.flt.view == "overdue" and app.total == 2
        assert set(titles(app)) == {"东村危房改造", "开展中央专项巡视反馈问题整改推进行动"}
        await press(pilot, "1")  # today
        assert app.total == 2 and all("村庄清洁" in t for t in titles(app))
        await press(pilot, "2")  # this week: today through Sunday 04-19
        assert app.total == 3 and "完成行政村人居环境整治" in titles(app)
        await press(pilot, "4")
        assert app.total == 11

    drive(app, scenario)


def test_status_toggles_combine(make_app: Callable[..., TrackerApp]) -> None:
    app = make_app()

    async def scenario(pilot: Pilot[None]) -> None:
        await press(pilot, "5")
        assert app.flt.statuses == {"todo"} and app.total == 6
        await press(pilot, "6")
        assert app.total == 8
        await press(pilot, "5", "6", "9")
        assert app.flt.statuses == {"verified"} and app.total == 1
        await press(pilot, "9")
        assert app.total == 11

    drive(app, scenario)


def test_tree_narrows_to_campaign_and_template(make_app: Callable[..., TrackerApp]) -> None:
    app = make_app()

    async def scenario(pilot: Pilot[None]) -> None:
        await press(pilot, "t")  # focus the tree: root, plan, 春季攻势, 夏季提升
        await press(pilot, "down", "down", "down", "enter")
        assert (app.flt.campaign, app.flt.task_key) == ("summer", None)
        assert app.total == 3
        assert "夏季提升" in bar_text(app)
        await press(pilot, "down", "enter")  # its first template: 发展扶贫产业项目 (2 towns)
        assert app.flt.task_key == "chanye" and app.total == 2
        await press(pilot, "home", "enter")  # the root: everything again
        assert app.flt.plan is None and app.total == 11

    drive(app, scenario)


def test_unit_picker_includes_the_subtree(make_app: Callable[..., TrackerApp]) -> None:
    app = make_app()

    async def scenario(pilot: Pilot[None]) -> None:
        await press(pilot, "u")
        await pilot.press(*"城关")
        await press(pilot, "enter")
        # 城关镇 owns a 清洁 and an 产业 task; its village 东村 owns the 危房改造.
        assert app.flt.owner == "town-a" and app.total == 3, app.flt
        assert "东村危房改造" in titles(app)
        assert "城关镇" in bar_text(app)
        await press(pilot, "u", "enter")  # "all units"
        assert app.flt.owner is None and app.total == 11

    drive(app, scenario)


def test_incremental_search_and_clear(make_app: Callable[..., TrackerApp]) -> None:
    app = make_app()

    async def scenario(pilot: Pilot[None]) -> None:
        await press(pilot, "slash")
        await pilot.press(*"调度")
        await press(pilot, "enter")
        assert app.flt.search == "调度" and app.total == 3
        assert "调度" in bar_text(app)
        assert app.focused is app.table
        await press(pilot, "slash", "backspace")  # one keystroke: 调
        assert app.flt.search == "调" and app.total == 3
        await press(pilot, "escape")
        await press(pilot, "5", "x")
        assert app.flt.search == "" and not app.flt.statuses and app.total == 11

    drive(app, scenario)


def test_search_finds_notes_too(make_app: Callable[..., TrackerApp]) -> None:
    app = make_app()

    async def scenario(pilot: Pilot[None]) -> None:
        await press(pilot, "slash")
        await pilot.press(*"专题会议")  # only in a note on 巡视整改
        await settle_and_check(pilot, app)

    async def settle_and_check(pilot: Pilot[None], app: TrackerApp) -> None:
        await press(pilot, "enter")
        assert titles(app) == ["开展中央专项巡视反馈问题整改推进行动"]

    drive(app, scenario)


def test_empty_result_says_so(make_app: Callable[..., TrackerApp]) -> None:
    app = make_app()

    async def scenario(pilot: Pilot[None]) -> None:
        await press(pilot, "slash")
        await pilot.press(*"nothing-like-this")
        await press(pilot, "enter")
        assert app.total == 0
        assert "no task matches" in str(app.table.render_line(1).text)

    drive(app, scenario)


def test_search_follows_a_reloaded_plan(
    make_app: Callable[..., TrackerApp], county_db: Path, tmp_path: Path
) -> None:
    """The in-memory search index is built after the first page and rebuilt after a load;
    a stale one is never used, so a renamed task is found under its new title at once."""
    from tui_helpers import PLAN

    app = make_app()
    edited = tmp_path / "county.toml"
    edited.write_text(
        PLAN.read_text(encoding="utf-8").replace("脱贫攻坚调度会", "脱贫攻坚推进会"),
        encoding="utf-8",
    )

    async def scenario(pilot: Pilot[None]) -> None:
        first = app.search_index
        assert first is not None and first.ids_matching("调度会")
        db = open_db(county_db)
        try:
            later = TODAY + timedelta(days=1)
            ctx = FrozenContext(db_path=county_db, today=later, user="planner", lang="en")
            load_expansion(db, read_plan(edited), ctx)
        finally:
            db.conn.close()
        assert not first.is_current(open_db(county_db))
        await press(pilot, "slash")
        await pilot.press(*"推进会")
        await press(pilot, "enter")
        assert app.total == 3 and set(titles(app)) == {"脱贫攻坚推进会"}
        loop = asyncio.get_running_loop()
        start = loop.time()
        while app.search_index is first and loop.time() - start < 5:  # the watcher sees the load
            await pilot.pause(0.05)
        assert app.search_index is not first and app.search_index is not None
        assert not app.search_index.ids_matching("调度会")
        await press(pilot, "slash", "backspace", "backspace", "backspace", *"调度会", "enter")
        assert app.flt.search == "调度会" and app.total == 0

    drive(app, scenario)
