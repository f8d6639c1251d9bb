"""The TUI with a version 2 plan: the problem, people, kind and tag pickers beside the unit
picker, the detail pane's problem, responsible person and 序时进度, and waive."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static
from tui_helpers import TODAY, FrozenContext, drive, goto, press, settle, task_row, uid_ids

from tracker.plan import read_plan
from tracker.store.db import open_db
from tracker.store.load import load_expansion
from tracker.tui.app import TrackerApp
from tracker.tui.screens.choice_picker import ChoicePicker
from tracker.tui.screens.prompt import PromptScreen
from tracker.tui.widgets.filter_bar import FilterBar

PLAN = Path(__file__).parents[1] / "fixtures" / "plans" / "v2-town.toml"


@pytest.fixture
def town_app(db_path: Path) -> Callable[..., TrackerApp]:
    db = open_db(db_path)
    try:
        load_expansion(db, read_plan(PLAN), FrozenContext(db_path, TODAY, "planner", "en"))
    finally:
        db.conn.close()

    def make(lang: str = "en") -> TrackerApp:
        return TrackerApp(FrozenContext(db_path=db_path, today=TODAY, user="tester", lang=lang))

    return make


def bar(app: TrackerApp) -> str:
    return str(app.query_one(FilterBar).render())


def titles(app: TrackerApp) -> list[str]:
    return [r.title for i in range(app.table.total) if (r := app.table.row_at(i))]


async def pick(pilot: Pilot[None], key: str, text: str) -> None:
    """Open a picker with ``key``, type ``text`` and take the first match."""
    await press(pilot, key)
    assert isinstance(pilot.app.screen, ChoicePicker)
    await pilot.press(*text)
    await press(pilot, "enter")


def test_problem_picker_narrows_to_its_measures(town_app: Callable[..., TrackerApp]) -> None:
    app = town_app()

    async def scenario(pilot: Pilot[None]) -> None:
        assert app.total == 26
        await pick(pilot, "P", "饮水")
        assert app.flt.problem == "p2" and app.total == 3
        assert "problem: 饮水安全不稳定" in bar(app)
        await press(pilot, "P", "enter")  # the first entry: every problem again
        assert app.flt.problem is None and app.total == 26

    drive(app, scenario)


def test_people_picker_takes_a_leader_or_a_responsible_person(
    town_app: Callable[..., TrackerApp],
) -> None:
    app = town_app()

    async def scenario(pilot: Pilot[None]) -> None:
        await pick(pilot, "l", "王五")
        assert (app.flt.responsible, app.flt.leader) == ("王五", None) and app.total == 2
        assert "responsible: 王五" in bar(app)
        await pick(pilot, "l", "王镇长")
        assert (app.flt.leader, app.flt.responsible) == ("王镇长", None) and app.total == 2
        await pick(pilot, "l", "包村")
        assert app.flt.leader == "包村领导甲" and app.total == 5

    drive(app, scenario)


def test_kind_and_tag_pickers_combine_with_the_others(
    town_app: Callable[..., TrackerApp],
) -> None:
    app = town_app()

    async def scenario(pilot: Pilot[None]) -> None:
        await pick(pilot, "K", "office")
        assert app.flt.kind == "office" and titles(app) == ["学校资助核查"]
        await press(pilot, "K", "enter")
        await pick(pilot, "T", "公益岗")
        assert app.flt.tag == "公益岗" and app.total == 2 and "tag: 公益岗" in bar(app)
        await pick(pilot, "P", "饮水")
        assert app.total == 0  # tag and problem both apply
        await press(pilot, "x")
        assert (app.flt.tag, app.flt.problem, app.total) == (None, None, 26)

    drive(app, scenario)


def test_a_cancelled_picker_changes_nothing(town_app: Callable[..., TrackerApp]) -> None:
    app = town_app()

    async def scenario(pilot: Pilot[None]) -> None:
        await press(pilot, "P")
        await press(pilot, "escape")
        assert app.flt.problem is None and app.total == 26
        assert app.focused is app.table

    drive(app, scenario)


def test_detail_pane_shows_problem_responsible_and_expected(
    town_app: Callable[..., TrackerApp], db_path: Path
) -> None:
    app = town_app()
    tid = uid_ids(db_path)["gongyi/v1"]

    async def scenario(pilot: Pilot[None]) -> None:
        await goto(pilot, tid)
        await press(pilot, "enter")
        text = ""
        for _ in range(50):  # the detail comes from a worker: give a loaded machine time
            text = str(app.query_one("#detail-body", Static).render())
            if "responsible" in text:
                break
            await pilot.pause(0.1)
        assert "responsible 李四、王五" in text
        assert "problem 部分公益岗人员履职不到位 (p1)" in text
        assert "expected 3 户 by today (gap -3.0)" in text

    drive(app, scenario)


def test_waive_from_the_keyboard_with_a_reason(
    town_app: Callable[..., TrackerApp], db_path: Path
) -> None:
    app = town_app()

    async def scenario(pilot: Pilot[None]) -> None:
        await goto(pilot, 9)
        await press(pilot, "w")
        assert isinstance(app.screen, PromptScreen)
        await pilot.press(*"本期免报", "enter")
        await settle(pilot)
        assert task_row(db_path, 9)["status"] == "waived"
        await press(pilot, "minus")  # the waived status toggle
        assert app.flt.statuses == {"waived"} and app.total == 1

    drive(app, scenario)
