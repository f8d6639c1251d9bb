"""Narrowing the list from the keyboard: quick views, status toggles, tree, units, search."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot
from tui_helpers import drive, press

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
